// The shared-memory variant of a kernel module, derived from its bytes: the same module with its
// memory import declared `shared` with a maximum. asc's `--enable threads --sharedMemory
// --maximumMemory 65536` build differs from the plain one in exactly those bytes (the kernels use
// no atomics), so rewriting the import at load time gives the asc build byte for byte
// (test/backend/threads.test.ts compares them) without inlining two more modules in the bundle.

/** Pages the shared memory may grow to: the wasm32 limit, as for the unshared heap (4 GiB). */
export const SHARED_MAX_PAGES = 65536;

function readLeb(b: Uint8Array, p: number): [number, number] {
  let r = 0, s = 0, x: number;
  do { x = b[p++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80);
  return [r, p];
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let x = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) x |= 0x80;
    out.push(x);
  } while (n > 0);
  return out;
}

/**
 * `bytes` with its imported memory (the module's only memory) declared `shared`, maximum
 * `maxPages`; null when the module imports no memory (then it cannot run on a pool).
 */
export function sharedVariant(bytes: Uint8Array, maxPages = SHARED_MAX_PAGES): Uint8Array | null {
  let p = 8;
  while (p < bytes.length) {
    const id = bytes[p];
    const [size, body] = readLeb(bytes, p + 1);
    const end = body + size;
    if (id === 2) { // the import section: module name, field name, kind, descriptor
      let [count, r] = readLeb(bytes, body);
      for (let i = 0; i < count; i++) {
        for (let s = 0; s < 2; s++) { const [len, q] = readLeb(bytes, r); r = q + len; }
        const kind = bytes[r++];
        if (kind === 0) r = readLeb(bytes, r)[1]; // function: type index
        else if (kind === 1) { r += 1; const f = bytes[r++]; r = readLeb(bytes, r)[1]; if (f & 1) r = readLeb(bytes, r)[1]; } // table
        else if (kind === 3) r += 2; // global: type, mutability
        else if (kind === 2) { // memory: limits flags (0 min, 1 min+max, 3 shared min+max), min, [max]
          const flags = bytes[r], at = r;
          if (flags & 2) return bytes; // already shared
          let [initial, q] = readLeb(bytes, r + 1);
          if (flags & 1) q = readLeb(bytes, q)[1];
          const limits = [0x03, ...leb(initial), ...leb(maxPages)];
          const sectionSize = (at - body) + limits.length + (end - q);
          const head = [2, ...leb(sectionSize)];
          const out = new Uint8Array(p + head.length + sectionSize + bytes.length - end);
          let o = 0;
          const put = (part: ArrayLike<number>) => { out.set(part, o); o += part.length; };
          put(bytes.subarray(0, p)); put(head); put(bytes.subarray(body, at)); put(limits); put(bytes.subarray(q, end)); put(bytes.subarray(end));
          return out;
        } else return null;
      }
      return null;
    }
    p = end;
  }
  return null;
}
