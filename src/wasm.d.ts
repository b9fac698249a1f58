// The build inlines the kernel modules as bytes (esbuild's binary loader; a vitest plugin in tests).
/** A binary delta between kernel builds (src/backend/wasm_delta.ts). */
declare module '*.bin' {
  const bytes: Uint8Array;
  export default bytes;
}
declare module '*.wasm' {
  const bytes: Uint8Array;
  export default bytes;
}
