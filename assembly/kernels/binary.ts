// Elementwise binary kernels with broadcasting. The host collapses every operand to at most
// four dims d0..d3 with element strides (stride 0 = broadcast); `out` is contiguous with shape
// [d0, d1, d2, d3]. The innermost dim picks a SIMD loop when both sides are contiguous or one
// side is a broadcast scalar; other stride patterns take a scalar loop.
// `out` may alias an input only when that input is contiguous with the output's shape.

export const B_ADD = 0, B_SUB = 1, B_MUL = 2, B_DIV = 3, B_MAX = 4, B_MIN = 5, B_POW = 6;
export const C_EQ = 0, C_NE = 1, C_LT = 2, C_LE = 3, C_GT = 4, C_GE = 5;

// @ts-ignore: decorator
@inline function applyV(op: i32, a: v128, b: v128): v128 {
  if (op == B_ADD) return f32x4.add(a, b);
  if (op == B_SUB) return f32x4.sub(a, b);
  if (op == B_MUL) return f32x4.mul(a, b);
  if (op == B_DIV) return f32x4.div(a, b);
  if (op == B_MAX) return f32x4.max(a, b);
  return f32x4.min(a, b);
}

// @ts-ignore: decorator
@inline function applyS(op: i32, a: f32, b: f32): f32 {
  if (op == B_POW) return Mathf.pow(a, b);
  return f32x4.extract_lane(applyV(op, f32x4.splat(a), f32x4.splat(b)), 0);
}

// @ts-ignore: decorator
@inline function innerF32(op: i32, po: usize, pa: usize, sa: i32, pb: usize, sb: i32, n: i32): void {
  let i = 0;
  if (op != B_POW) {
    if (sa == 1 && sb == 1) {
      for (; i + 8 <= n; i += 8) {
        const o = <usize>i << 2;
        v128.store(po + o, applyV(op, v128.load(pa + o), v128.load(pb + o)));
        v128.store(po + o, applyV(op, v128.load(pa + o, 16), v128.load(pb + o, 16)), 16);
      }
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(po + o, applyV(op, v128.load(pa + o), v128.load(pb + o)));
      }
    } else if (sa == 1 && sb == 0) {
      const vb = v128.load32_splat(pb);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(po + o, applyV(op, v128.load(pa + o), vb));
      }
    } else if (sa == 0 && sb == 1) {
      const va = v128.load32_splat(pa);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(po + o, applyV(op, va, v128.load(pb + o)));
      }
    }
  }
  for (; i < n; i++) {
    store<f32>(po + (<usize>i << 2), applyS(op, load<f32>(pa + (<usize>(i * sa) << 2)), load<f32>(pb + (<usize>(i * sb) << 2))));
  }
}

// @ts-ignore: decorator
@inline function binaryF32(op: i32, out: usize, a: usize, b: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  a0: i32, a1: i32, a2: i32, a3: i32, b0: i32, b1: i32, b2: i32, b3: i32): void {
  let po = out;
  const rowBytes = <usize>d3 << 2;
  for (let i0 = 0; i0 < d0; i0++) {
    for (let i1 = 0; i1 < d1; i1++) {
      for (let i2 = 0; i2 < d2; i2++) {
        const pa = a + (<usize>(i0 * a0 + i1 * a1 + i2 * a2) << 2);
        const pb = b + (<usize>(i0 * b0 + i1 * b1 + i2 * b2) << 2);
        innerF32(op, po, pa, a3, pb, b3, d3);
        po += rowBytes;
      }
    }
  }
}

/** out = a (op) b over f32 with the broadcast layout described at the top of this file. */
export function binary_f32(op: i32, out: usize, a: usize, b: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  a0: i32, a1: i32, a2: i32, a3: i32, b0: i32, b1: i32, b2: i32, b3: i32): void {
  switch (op) {
    case B_ADD: binaryF32(B_ADD, out, a, b, d0, d1, d2, d3, a0, a1, a2, a3, b0, b1, b2, b3); break;
    case B_SUB: binaryF32(B_SUB, out, a, b, d0, d1, d2, d3, a0, a1, a2, a3, b0, b1, b2, b3); break;
    case B_MUL: binaryF32(B_MUL, out, a, b, d0, d1, d2, d3, a0, a1, a2, a3, b0, b1, b2, b3); break;
    case B_DIV: binaryF32(B_DIV, out, a, b, d0, d1, d2, d3, a0, a1, a2, a3, b0, b1, b2, b3); break;
    case B_MAX: binaryF32(B_MAX, out, a, b, d0, d1, d2, d3, a0, a1, a2, a3, b0, b1, b2, b3); break;
    case B_MIN: binaryF32(B_MIN, out, a, b, d0, d1, d2, d3, a0, a1, a2, a3, b0, b1, b2, b3); break;
    case B_POW: binaryF32(B_POW, out, a, b, d0, d1, d2, d3, a0, a1, a2, a3, b0, b1, b2, b3); break;
    default: unreachable();
  }
}

// @ts-ignore: decorator
@inline function cmpS<T>(op: i32, x: T, y: T): i32 {
  if (op == C_EQ) return i32(x == y);
  if (op == C_NE) return i32(x != y);
  if (op == C_LT) return i32(x < y);
  if (op == C_LE) return i32(x <= y);
  if (op == C_GT) return i32(x > y);
  return i32(x >= y);
}

// @ts-ignore: decorator
@inline function intS(op: i32, x: i32, y: i32): i32 {
  if (op == B_ADD) return x + y;
  if (op == B_SUB) return x - y;
  if (op == B_MUL) return x * y;
  if (op == B_MAX) return max(x, y);
  return min(x, y);
}

// @ts-ignore: decorator
@inline function stridedLoop<T, R>(kind: i32, op: i32, out: usize, a: usize, b: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  a0: i32, a1: i32, a2: i32, a3: i32, b0: i32, b1: i32, b2: i32, b3: i32): void {
  let po = out;
  for (let i0 = 0; i0 < d0; i0++) for (let i1 = 0; i1 < d1; i1++) for (let i2 = 0; i2 < d2; i2++) {
    const pa = a + (<usize>(i0 * a0 + i1 * a1 + i2 * a2) << 2);
    const pb = b + (<usize>(i0 * b0 + i1 * b1 + i2 * b2) << 2);
    for (let i3 = 0; i3 < d3; i3++) {
      const x = load<T>(pa + (<usize>(i3 * a3) << 2));
      const y = load<T>(pb + (<usize>(i3 * b3) << 2));
      if (kind == 0) store<i32>(po, cmpS<T>(op, x, y));
      else store<i32>(po, intS(op, <i32>x, <i32>y));
      po += 4;
    }
  }
}

/** out (i32 0/1) = a (cmp op) b over f32 inputs, broadcast layout as above. */
export function compare_f32(op: i32, out: usize, a: usize, b: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  a0: i32, a1: i32, a2: i32, a3: i32, b0: i32, b1: i32, b2: i32, b3: i32): void {
  stridedLoop<f32, i32>(0, op, out, a, b, d0, d1, d2, d3, a0, a1, a2, a3, b0, b1, b2, b3);
}

/** out (i32 0/1) = a (cmp op) b over i32 inputs. */
export function compare_i32(op: i32, out: usize, a: usize, b: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  a0: i32, a1: i32, a2: i32, a3: i32, b0: i32, b1: i32, b2: i32, b3: i32): void {
  stridedLoop<i32, i32>(0, op, out, a, b, d0, d1, d2, d3, a0, a1, a2, a3, b0, b1, b2, b3);
}

/** out (i32) = a (op) b for op in add, sub, mul, max, min (wrapping 32-bit arithmetic). */
export function binary_i32(op: i32, out: usize, a: usize, b: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  a0: i32, a1: i32, a2: i32, a3: i32, b0: i32, b1: i32, b2: i32, b3: i32): void {
  stridedLoop<i32, i32>(1, op, out, a, b, d0, d1, d2, d3, a0, a1, a2, a3, b0, b1, b2, b3);
}
