/** First byte above the module's static data; the host heap (src/backend/heap.ts) starts above it. */
export function heapBase(): usize { return __heap_base; }
