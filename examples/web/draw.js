// The drawing pad (mouse, pen or touch through pointer events) and MNIST's preprocessing of what
// is drawn: the ink's bounding box scaled to fit 20x20 (aspect kept, area-averaged grey levels),
// then placed in 28x28 with its center of mass at the center.

/** Calls onChange (at most once per frame) whenever the drawing changes. */
export function createPad(canvas, { lineWidth = 20, onChange = () => {} } = {}) {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let last = null, queued = false;
  const changed = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; onChange(); });
  };
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
  };
  const stroke = (from, to) => {
    ctx.strokeStyle = '#111';
    ctx.lineWidth = lineWidth;
    ctx.lineCap = ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(...from);
    ctx.lineTo(...to);
    ctx.stroke();
    changed();
  };
  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    stroke(last, last);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = at(e);
    stroke(last, p);
    last = p;
  });
  for (const type of ['pointerup', 'pointercancel']) canvas.addEventListener(type, () => { last = null; });
  return {
    clear() { ctx.clearRect(0, 0, canvas.width, canvas.height); changed(); },
    /** The drawing as MNIST input: Float32Array(784) in [0, 1], or null if nothing is drawn. */
    toMnist: () => toMnist(ctx.getImageData(0, 0, canvas.width, canvas.height)),
  };
}

/** Ink intensity (alpha) of an ImageData -> 28x28 MNIST-style Float32Array, or null if blank. */
export function toMnist({ data, width, height }) {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * 4 + 3] > 0) {
        if (x < x0) x0 = x; if (x > x1) x1 = x;
        if (y < y0) y0 = y; if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  const s = 20 / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * s)), th = Math.max(1, Math.round(bh * s));
  // Box filter: every source pixel adds its ink to the target cell it falls in.
  const sum = new Float32Array(tw * th), count = new Float32Array(tw * th);
  for (let y = y0; y <= y1; y++) {
    const ty = Math.min(th - 1, Math.floor((y - y0) * s));
    for (let x = x0; x <= x1; x++) {
      const k = ty * tw + Math.min(tw - 1, Math.floor((x - x0) * s));
      sum[k] += data[(y * width + x) * 4 + 3] / 255;
      count[k]++;
    }
  }
  let m = 0, mx = 0, my = 0;
  for (let k = 0; k < sum.length; k++) {
    sum[k] = count[k] ? sum[k] / count[k] : 0;
    m += sum[k];
    mx += sum[k] * ((k % tw) + 0.5);
    my += sum[k] * (Math.floor(k / tw) + 0.5);
  }
  const ox = Math.min(28 - tw, Math.max(0, Math.round(14 - mx / m)));
  const oy = Math.min(28 - th, Math.max(0, Math.round(14 - my / m)));
  const out = new Float32Array(784);
  for (let k = 0; k < sum.length; k++) out[(oy + Math.floor(k / tw)) * 28 + ox + (k % tw)] = sum[k];
  return out;
}

/** Paints a 28x28 input into a 28x28 canvas (white ink on black, as MNIST stores it). */
export function drawPreview(canvas, input) {
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round((input ? input[i] : 0) * 255);
    img.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
}
