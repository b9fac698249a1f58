// The TypeScript-owned heap over the one WebAssembly.Memory. This file is the only code that
// grows memory, so it is the only place typed-array views can go stale; `f32()`/`i32()`/`u8()`
// rebuild them whenever `memory.buffer` changed. That also covers a shared memory (worker pool,
// threads.ts): grow does not detach the old SharedArrayBuffer, whose views keep the old length, but
// `memory.buffer` then returns a new, longer SharedArrayBuffer object, so the identity check fires.
//
//   0 ........ heapBase ........ base (64-aligned) ........ top ........ buffer.byteLength
//   [ wasm static data ][ unused ][ blocks handed out / free lists ][ bump region ]
//
// Blocks are 64-byte aligned. Sizes are rounded up to size classes with four steps per power of
// two (at most 25% waste); freed blocks go on a per-class free list and are reused first, so a
// training loop that allocates the same shapes every step keeps the heap flat.

const ALIGN = 64;
const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB, the wasm32 limit

/** Smallest size class >= bytes: 64-byte multiples up to 1 KiB, then {1, 1.25, 1.5, 1.75} x 2^k. */
export function sizeClass(bytes: number): number {
  if (bytes <= ALIGN) return ALIGN;
  if (bytes <= 1024) return (bytes + ALIGN - 1) & -ALIGN;
  // Integer bit tricks below 1 GiB (every call allocates: this is on the hot path), floats above.
  const step = bytes < 2 ** 30 ? (1 << (31 - Math.clz32(bytes))) >> 2 : 2 ** Math.floor(Math.log2(bytes)) / 4;
  return Math.ceil(bytes / step) * step;
}

export class Heap {
  readonly memory: WebAssembly.Memory;
  private top: number;
  private readonly base: number;
  private readonly free = new Map<number, number[]>();
  private f32View = new Float32Array(0);
  private i32View = new Int32Array(0);
  private u8View = new Uint8Array(0);
  /** Bytes in blocks currently handed out (size-class bytes). */
  usedBytes = 0;
  peakBytes = 0;

  constructor(memory: WebAssembly.Memory, heapBase: number) {
    this.memory = memory;
    this.base = Math.ceil(heapBase / ALIGN) * ALIGN;
    this.top = this.base;
  }

  /** A 64-byte aligned block of at least `bytes` bytes (never 0: empty tensors get 64). */
  alloc(bytes: number): number {
    if (!Number.isFinite(bytes) || bytes < 0) throw new Error(`asgrad.alloc: invalid size ${bytes} bytes`);
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    let ptr: number;
    if (list && list.length > 0) ptr = list.pop()!;
    else {
      ptr = this.top;
      this.ensure(ptr + size);
      this.top = ptr + size;
    }
    this.usedBytes += size;
    if (this.usedBytes > this.peakBytes) this.peakBytes = this.usedBytes;
    return ptr;
  }

  release(ptr: number, bytes: number): void {
    const size = sizeClass(bytes);
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(ptr);
    this.usedBytes -= size;
  }

  /** Bytes of linear memory the heap spans (handed out, free-listed and bump region). */
  get heapBytes(): number {
    return this.memory.buffer.byteLength;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pagesNow = have / PAGE;
    const need = Math.ceil((end - have) / PAGE);
    // Grow geometrically (at least double) to keep the number of grow calls logarithmic.
    const want = Math.min(Math.max(need, pagesNow), MAX_PAGES - pagesNow);
    if (want < need) throw new Error(`asgrad: out of memory: need ${end} bytes, the wasm32 limit is 4 GiB`);
    try {
      this.memory.grow(want);
    } catch {
      try { this.memory.grow(need); } catch {
        throw new Error(`asgrad: out of memory: could not grow the heap to ${end} bytes`);
      }
    }
  }

  f32(): Float32Array {
    if (this.f32View.buffer !== this.memory.buffer) this.f32View = new Float32Array(this.memory.buffer);
    return this.f32View;
  }

  i32(): Int32Array {
    if (this.i32View.buffer !== this.memory.buffer) this.i32View = new Int32Array(this.memory.buffer);
    return this.i32View;
  }

  u8(): Uint8Array {
    if (this.u8View.buffer !== this.memory.buffer) this.u8View = new Uint8Array(this.memory.buffer);
    return this.u8View;
  }
}
