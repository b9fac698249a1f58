// ONNX converters: shape and movement ops (Reshape, Flatten, Transpose, Squeeze, Unsqueeze,
// Concat, Split, Slice, Shape, Size, Expand, Tile, DepthToSpace, SpaceToDepth). Reshape-like
// results may be views of the input; shape operands (int tensors) are read back as numbers.
import type { Tensor } from '../../../../tensor';
import { tidy } from '../../../../memory';
import { cat, expand, flip, narrow, permute, reshape, slice } from '../../../../ops/movement';
import { split } from '../../../../ops/split';
import { repeat } from '../../../../ops/composite';
import { nodeError, type Attrs, type OnnxOp, type OpContext } from '../attrs';
import { intTensor, valuesOf, need, normAxis } from '../values';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;
const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Axes from the attribute (before `inputFrom`) or from input 1 (from it on); undefined when absent. */
function axesArg(inputs: (Tensor | undefined)[], a: Attrs, ctx: OpContext, inputFrom: number): number[] | undefined {
  if (ctx.opset >= inputFrom) return valuesOf(inputs[1]);
  return a.has('axes') ? a.ints('axes') : undefined;
}

/** Distinct non-negative axes for a tensor of rank `rank`; throws naming the node on repeats. */
function normAxes(ctx: OpContext, axes: readonly number[], rank: number): number[] {
  const out = axes.map((ax) => normAxis(ctx, ax, rank));
  if (new Set(out).size !== out.length) nodeError(ctx.node, `axes ${fmt(axes)} repeat an axis (rank ${rank})`);
  return out;
}

const reshapeOp: OnnxOp = (inputs, a, ctx) => {
  a.only('allowzero');
  const x = need(ctx, inputs, 0, 'data'), shape = valuesOf(need(ctx, inputs, 1, 'shape'))!;
  const allowzero = a.int('allowzero', 0) !== 0;
  if (allowzero && shape.includes(0) && shape.includes(-1)) nodeError(ctx.node, `with allowzero=1 the shape ${fmt(shape)} cannot hold both 0 and -1`);
  const dims = shape.map((d, i) => {
    if (d !== 0 || allowzero) return d;
    if (i >= x.ndim) nodeError(ctx.node, `shape ${fmt(shape)} copies dim ${i} (0) of an input of rank ${x.ndim}`);
    return x.shape[i];
  });
  const free = dims.filter((d) => d === -1).length, known = prod(dims.filter((d) => d !== -1));
  const out = dims.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  if (free > 1 || dims.some((d) => d < -1) || !out.every(Number.isInteger) || prod(out) !== x.size) {
    nodeError(ctx.node, `cannot reshape an input of shape ${fmt(x.shape)} (${x.size} elements) to ${fmt(shape)}`);
  }
  return reshape(x, out);
};

const flattenOp: OnnxOp = (inputs, a, ctx) => {
  a.only('axis');
  const x = need(ctx, inputs, 0, 'input');
  const axis = a.int('axis', 1);
  if (!(axis >= -x.ndim && axis <= x.ndim)) nodeError(ctx.node, `axis ${axis} is out of range [-${x.ndim}, ${x.ndim}] for input ${fmt(x.shape)}`);
  const k = axis < 0 ? axis + x.ndim : axis;
  return reshape(x, [prod(x.shape.slice(0, k)), prod(x.shape.slice(k))]);
};

const transposeOp: OnnxOp = (inputs, a, ctx) => {
  a.only('perm');
  const x = need(ctx, inputs, 0, 'data');
  const perm = a.ints('perm', x.shape.map((_, i) => x.ndim - 1 - i));
  if (perm.length !== x.ndim || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) {
    nodeError(ctx.node, `perm ${fmt(perm)} is not a permutation of the ${x.ndim} axes of input ${fmt(x.shape)}`);
  }
  return permute(x, perm);
};

const squeezeOp: OnnxOp = (inputs, a, ctx) => {
  a.only(...(ctx.opset < 13 ? ['axes'] : []));
  const x = need(ctx, inputs, 0, 'data');
  const given = axesArg(inputs, a, ctx, 13);
  const axes = given ? normAxes(ctx, given, x.ndim) : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  for (const ax of axes) if (x.shape[ax] !== 1) nodeError(ctx.node, `cannot squeeze axis ${ax} of size ${x.shape[ax]} (input ${fmt(x.shape)})`);
  return reshape(x, x.shape.filter((_, i) => !axes.includes(i)));
};

const unsqueezeOp: OnnxOp = (inputs, a, ctx) => {
  a.only(...(ctx.opset < 13 ? ['axes'] : []));
  const x = need(ctx, inputs, 0, 'data');
  const given = axesArg(inputs, a, ctx, 13);
  if (!given) nodeError(ctx.node, ctx.opset < 13 ? "needs the attribute 'axes'" : 'needs input 1 (axes)');
  const rank = x.ndim + given.length;
  const axes = normAxes(ctx, given, rank);
  let next = 0;
  return reshape(x, Array.from({ length: rank }, (_, i) => (axes.includes(i) ? 1 : x.shape[next++])));
};

const concatOp: OnnxOp = (inputs, a, ctx) => {
  a.only('axis');
  if (inputs.length === 0 || inputs.some((t) => !t)) nodeError(ctx.node, 'needs at least one input, all present');
  const xs = inputs as Tensor[];
  const axis = normAxis(ctx, a.int('axis'), xs[0].ndim);
  for (const t of xs) {
    if (t.dtype !== xs[0].dtype || t.ndim !== xs[0].ndim || t.shape.some((d, i) => i !== axis && d !== xs[0].shape[i])) {
      nodeError(ctx.node, `inputs must share dtype and shape outside axis ${axis}, got ${xs.map((x) => `${x.dtype} ${fmt(x.shape)}`).join(', ')}`);
    }
  }
  return cat(xs, axis);
};

const splitOp: OnnxOp = (inputs, a, ctx) => {
  a.only('axis', ...(ctx.opset < 13 ? ['split'] : []), ...(ctx.opset >= 18 ? ['num_outputs'] : []));
  const x = need(ctx, inputs, 0, 'input');
  const axis = normAxis(ctx, a.int('axis', 0), x.ndim), n = x.shape[axis], outs = ctx.node.outputs.length;
  let sizes = ctx.opset < 13 ? (a.has('split') ? a.ints('split') : undefined) : valuesOf(inputs[1]);
  if (sizes) {
    if (sizes.length !== outs || sizes.some((s) => s < 0) || sizes.reduce((p, q) => p + q, 0) !== n) {
      nodeError(ctx.node, `split ${fmt(sizes)} must be ${outs} non-negative sizes summing to ${n} (axis ${axis} of input ${fmt(x.shape)})`);
    }
  } else if (a.has('num_outputs')) {
    const k = a.int('num_outputs');
    if (!(k >= 1 && k === outs)) nodeError(ctx.node, `num_outputs ${k} must be positive and match the node's ${outs} outputs`);
    const c = Math.ceil(n / k);
    sizes = Array.from({ length: k }, (_, i) => Math.max(0, Math.min(c, n - i * c)));
  } else {
    if (n % outs !== 0) nodeError(ctx.node, `cannot split axis ${axis} of size ${n} into ${outs} equal parts`);
    sizes = new Array<number>(outs).fill(n / outs);
  }
  return split(x, sizes, axis);
};

const sliceOp: OnnxOp = (inputs, a, ctx) => {
  const old = ctx.opset < 10;
  a.only(...(old ? ['starts', 'ends', 'axes'] : []));
  const x = need(ctx, inputs, 0, 'data');
  const starts = old ? a.ints('starts') : valuesOf(need(ctx, inputs, 1, 'starts'))!;
  const ends = old ? a.ints('ends') : valuesOf(need(ctx, inputs, 2, 'ends'))!;
  const axes = normAxes(ctx, (old ? a.ints('axes', starts.map((_, i) => i)) : valuesOf(inputs[3]) ?? starts.map((_, i) => i)), x.ndim);
  const steps = (old ? undefined : valuesOf(inputs[4])) ?? starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
    nodeError(ctx.node, `starts ${fmt(starts)}, ends ${fmt(ends)}, axes ${fmt(axes)} and steps ${fmt(steps)} must have the same length`);
  }
  if (steps.includes(0)) nodeError(ctx.node, `steps ${fmt(steps)} must be non-zero`);
  return tidy(() => {
    let cur = x;
    axes.forEach((ax, i) => {
      const n = cur.shape[ax], step = steps[i];
      const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
      if (step > 0) {
        const s = clamp(starts[i], 0, n), e = clamp(ends[i], 0, n);
        cur = slice(cur, ax, s, Math.max(s, e), step);
        return;
      }
      // Negative step: elements s, s - |step|, ... > e, taken as a forward slice then flipped.
      const s = clamp(starts[i], 0, n - 1), e = clamp(ends[i], -1, n - 1);
      const count = Math.max(0, Math.ceil((s - e) / -step));
      cur = count === 0 ? narrow(cur, ax, 0, 0) : flip(slice(cur, ax, s - (count - 1) * -step, s + 1, -step), [ax]);
    });
    return cur;
  });
};

const shapeOp: OnnxOp = (inputs, a, ctx) => {
  a.only(...(ctx.opset >= 15 ? ['start', 'end'] : []));
  const x = need(ctx, inputs, 0, 'data'), r = x.ndim;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const s = clamp(a.int('start', 0)), e = clamp(a.int('end', r));
  return intTensor(x.shape.slice(s, Math.max(s, e)));
};

const sizeOp: OnnxOp = (inputs, a, ctx) => {
  a.only();
  return intTensor([need(ctx, inputs, 0, 'data').size], []);
};

const expandOp: OnnxOp = (inputs, a, ctx) => {
  a.only();
  const x = need(ctx, inputs, 0, 'input'), shape = valuesOf(need(ctx, inputs, 1, 'shape'))!;
  const rank = Math.max(x.ndim, shape.length);
  const out = Array.from({ length: rank }, (_, i) => {
    const p = x.shape[i - (rank - x.ndim)] ?? 1, q = shape[i - (rank - shape.length)] ?? 1;
    if (p !== q && p !== 1 && q !== 1) nodeError(ctx.node, `cannot broadcast input ${fmt(x.shape)} with shape ${fmt(shape)}`);
    return p === 1 ? q : p;
  });
  return expand(x, out);
};

const tileOp: OnnxOp = (inputs, a, ctx) => {
  a.only();
  const x = need(ctx, inputs, 0, 'input'), reps = valuesOf(need(ctx, inputs, 1, 'repeats'))!;
  if (reps.length !== x.ndim || reps.some((r) => r < 0)) nodeError(ctx.node, `repeats ${fmt(reps)} must hold ${x.ndim} non-negative counts for input ${fmt(x.shape)}`);
  return repeat(x, reps);
};

/** DepthToSpace / SpaceToDepth: reshape to 6-D, permute, reshape back (as the ONNX spec defines them). */
function blockOp(toSpace: boolean): OnnxOp {
  return (inputs, a, ctx) => {
    a.only('blocksize', ...(toSpace ? ['mode'] : []));
    const x = need(ctx, inputs, 0, 'input'), b = a.int('blocksize'), mode = toSpace ? a.string('mode', 'DCR') : 'DCR';
    if (x.ndim !== 4) nodeError(ctx.node, `expects a 4-D input [N, C, H, W], got ${fmt(x.shape)}`);
    if (!(b >= 1)) nodeError(ctx.node, `blocksize must be positive, got ${b}`);
    if (mode !== 'DCR' && mode !== 'CRD') nodeError(ctx.node, `mode '${mode}' is not supported (supported: DCR, CRD)`);
    const [N, C, H, W] = x.shape;
    if (toSpace ? C % (b * b) !== 0 : H % b !== 0 || W % b !== 0) {
      nodeError(ctx.node, `input ${fmt(x.shape)} is not divisible by blocksize ${b} (${toSpace ? 'C by blocksize²' : 'H and W by blocksize'})`);
    }
    return tidy(() => {
      if (!toSpace) {
        const t = permute(reshape(x, [N, C, H / b, b, W / b, b]), [0, 3, 5, 1, 2, 4]);
        return reshape(t, [N, C * b * b, H / b, W / b]);
      }
      const c = C / (b * b);
      const t = mode === 'DCR' ? permute(reshape(x, [N, b, b, c, H, W]), [0, 3, 4, 1, 5, 2])
        : permute(reshape(x, [N, c, b, b, H, W]), [0, 1, 4, 2, 5, 3]);
      return reshape(t, [N, c, H * b, W * b]);
    });
  };
}

export const SHAPE_OPS: Record<string, OnnxOp> = {
  Reshape: reshapeOp,
  Flatten: flattenOp,
  Transpose: transposeOp,
  Squeeze: squeezeOp,
  Unsqueeze: unsqueezeOp,
  Concat: concatOp,
  Split: splitOp,
  Slice: sliceOp,
  Shape: shapeOp,
  Size: sizeOp,
  Expand: expandOp,
  Tile: tileOp,
  DepthToSpace: blockOp(true),
  SpaceToDepth: blockOp(false),
};
