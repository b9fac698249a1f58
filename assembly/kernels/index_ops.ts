// Indexing over 32-bit elements, in the [outer, axis, inner] decomposition of a contiguous
// tensor along one dim. Indices are i32 and already range-checked by the host.

/** out[o, j, :] = x[o, idx[j], :] with x [outer, axisLen, inner], out [outer, nIdx, inner]. */
export function index_select_32(out: usize, x: usize, idx: usize, outer: i32, axisLen: i32, nIdx: i32, inner: i32): void {
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) for (let j = 0; j < nIdx; j++) {
    const k = load<i32>(idx + (<usize>j << 2));
    memory.copy(out + (<usize>(o * nIdx + j)) * rowBytes, x + (<usize>(o * axisLen + k)) * rowBytes, rowBytes);
  }
}

/** out[o, idx[j], :] += src[o, j, :]; out [outer, axisLen, inner], src [outer, nIdx, inner]. */
export function index_add_f32(out: usize, src: usize, idx: usize, outer: i32, axisLen: i32, nIdx: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) for (let j = 0; j < nIdx; j++) {
    const k = load<i32>(idx + (<usize>j << 2));
    const po = out + (<usize>((o * axisLen + k) * inner) << 2);
    const ps = src + (<usize>((o * nIdx + j) * inner) << 2);
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      const b = <usize>i << 2;
      v128.store(po + b, f32x4.add(v128.load(po + b), v128.load(ps + b)));
    }
    for (; i < inner; i++) {
      const b = <usize>i << 2;
      store<f32>(po + b, load<f32>(po + b) + load<f32>(ps + b));
    }
  }
}

/** torch.gather: out[o, j, i] = x[o, idx[o, j, i], i]; x [outer, axisLen, inner], idx/out [outer, nIdx, inner]. */
export function gather_32(out: usize, x: usize, idx: usize, outer: i32, axisLen: i32, nIdx: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) for (let j = 0; j < nIdx; j++) for (let i = 0; i < inner; i++) {
    const e = (o * nIdx + j) * inner + i;
    const k = load<i32>(idx + (<usize>e << 2));
    store<i32>(out + (<usize>e << 2), load<i32>(x + (<usize>((o * axisLen + k) * inner + i) << 2)));
  }
}

/** Inverse of gather: out[o, idx[o, j, i], i] += src[o, j, i]. */
export function scatter_add_f32(out: usize, src: usize, idx: usize, outer: i32, axisLen: i32, nIdx: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) for (let j = 0; j < nIdx; j++) for (let i = 0; i < inner; i++) {
    const e = (o * nIdx + j) * inner + i;
    const k = load<i32>(idx + (<usize>e << 2));
    const p = out + (<usize>((o * axisLen + k) * inner + i) << 2);
    store<f32>(p, load<f32>(p) + load<f32>(src + (<usize>e << 2)));
  }
}

/** out[r, c] = c == labels[r] ? on : off for r < rows, c < classes (f32 one-hot rows). */
export function one_hot_f32(out: usize, labels: usize, rows: i32, classes: i32, on: f32, off: f32): void {
  for (let r = 0; r < rows; r++) {
    const k = load<i32>(labels + (<usize>r << 2));
    for (let c = 0; c < classes; c++) store<f32>(out + (<usize>(r * classes + c) << 2), c == k ? on : off);
  }
}
