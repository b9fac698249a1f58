// The workload as a Cloudflare Worker: the kernels come in as a precompiled WebAssembly.Module
// binding (workerd forbids compiling wasm from bytes), handed to ready({ wasm }).
import * as ag from './index.js';
import wasm from './asgrad.wasm';
import { workload } from './workload.mjs';

let result = null;
export default {
  async fetch() {
    result ??= await workload(ag, { wasm });
    return Response.json(result);
  },
};
