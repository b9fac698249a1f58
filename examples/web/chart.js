// Canvas charts without libraries: the training curves (loss and accuracy per batch, raw and
// smoothed) and the bar chart of the ten class probabilities.
const C = { loss: '#e8590c', acc: '#1c7ed6', grid: '#e9ecef', axis: '#adb5bd', text: '#495057', bar: '#ced4da', top: '#2b8a3e' };
const FONT = '12px system-ui, sans-serif';

/** Sizes the backing store to the CSS box times devicePixelRatio; returns a context in CSS pixels. */
function prepare(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.font = FONT;
  return { ctx, w, h };
}

/** Exponential moving average, the smoothed curve drawn over the noisy per-batch values. */
export function smooth(values, alpha = 0.05) {
  const out = [];
  let s = values[0];
  for (const v of values) out.push((s = s + alpha * (v - s)));
  return out;
}

function line(ctx, values, x, y, color, width, alphaValue) {
  ctx.strokeStyle = color;
  ctx.globalAlpha = alphaValue;
  ctx.lineWidth = width;
  ctx.beginPath();
  values.forEach((v, i) => (i ? ctx.lineTo(x(i), y(v)) : ctx.moveTo(x(i), y(v))));
  ctx.stroke();
  ctx.globalAlpha = 1;
}

/**
 * Loss (left axis, 0..max) and accuracy (right axis, 0..1) per batch; the x axis spans `total`
 * batches (or more if training ran past it).
 */
export function drawTraining(canvas, { loss, acc, total }) {
  const { ctx, w, h } = prepare(canvas);
  const pad = { l: 40, r: 44, t: 12, b: 26 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  const n = Math.max(total || 0, loss.length, 1);
  // A multiple of 0.4 keeps the four grid steps at round values (0.6, 1.2, ...).
  const maxLoss = Math.max(0.4, Math.ceil(Math.max(0, ...loss.slice(0, 50)) / 0.4) * 0.4);
  const x = (i) => pad.l + (pw * (i + 1)) / n;
  const yLoss = (v) => pad.t + ph * (1 - Math.min(v, maxLoss) / maxLoss);
  const yAcc = (v) => pad.t + ph * (1 - v);

  ctx.strokeStyle = C.grid;
  ctx.lineWidth = 1;
  ctx.textBaseline = 'middle';
  for (let k = 0; k <= 4; k++) {
    const yy = Math.round(pad.t + (ph * k) / 4) + 0.5;
    ctx.beginPath(); ctx.moveTo(pad.l, yy); ctx.lineTo(pad.l + pw, yy); ctx.stroke();
    ctx.fillStyle = C.loss; ctx.textAlign = 'right';
    ctx.fillText((maxLoss * (1 - k / 4)).toFixed(1), pad.l - 6, yy);
    ctx.fillStyle = C.acc; ctx.textAlign = 'left';
    ctx.fillText(`${100 - 25 * k}%`, pad.l + pw + 6, yy);
  }
  ctx.fillStyle = C.text; ctx.textAlign = 'center'; ctx.textBaseline = 'top';
  for (let k = 0; k <= 4; k++) ctx.fillText(String(Math.round((n * k) / 4)), pad.l + (pw * k) / 4, pad.t + ph + 6);
  ctx.strokeStyle = C.axis;
  ctx.strokeRect(pad.l + 0.5, pad.t + 0.5, pw, ph);

  if (loss.length === 0) {
    ctx.textBaseline = 'middle';
    ctx.fillText('press Train: loss and accuracy of every batch appear here', pad.l + pw / 2, pad.t + ph / 2);
    return;
  }
  line(ctx, loss, x, yLoss, C.loss, 1, 0.25);
  line(ctx, acc, x, yAcc, C.acc, 1, 0.25);
  line(ctx, smooth(loss), x, yLoss, C.loss, 2, 1);
  line(ctx, smooth(acc), x, yAcc, C.acc, 2, 1);
}

/** Ten bars, one per digit, the most probable one highlighted; probs null draws empty bars. */
export function drawProbabilities(canvas, probs) {
  const { ctx, w, h } = prepare(canvas);
  const top = probs ? probs.indexOf(Math.max(...probs)) : -1;
  const pad = { t: 18, b: 20 };
  const slot = w / 10, ph = h - pad.t - pad.b;
  ctx.textAlign = 'center';
  for (let d = 0; d < 10; d++) {
    const p = probs ? probs[d] : 0;
    const bx = d * slot + slot * 0.15, bw = slot * 0.7, bh = Math.max(1, ph * p);
    ctx.fillStyle = d === top ? C.top : C.bar;
    ctx.fillRect(bx, pad.t + ph - bh, bw, bh);
    ctx.fillStyle = C.text;
    ctx.textBaseline = 'top';
    ctx.font = d === top ? `bold ${FONT}` : FONT;
    ctx.fillText(String(d), bx + bw / 2, pad.t + ph + 5);
    if (probs && p >= 0.005) {
      ctx.textBaseline = 'bottom';
      ctx.fillText(`${Math.round(p * 100)}%`, bx + bw / 2, pad.t + ph - bh - 2);
    }
  }
}
