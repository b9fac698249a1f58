// The README's Cloudflare Worker example, verbatim: an iris classifier answering POSTed rows with
// class probabilities. Modules (readme-config.capnp): this file, dist/index.js, dist/asgrad.wasm
// as a wasm module and mlp.safetensors as a data module; the portability test serves and queries it.
import * as ag from './index.js';
import wasm from './asgrad.wasm';          // a WebAssembly.Module: workerd forbids compiling from bytes
import weights from './mlp.safetensors';   // a data module: an ArrayBuffer

let model = null;
async function load() {
  await ag.ready({ wasm });
  const net = new ag.nn.Sequential(new ag.nn.Linear(4, 8), new ag.nn.ReLU(), new ag.nn.Linear(8, 3));
  const sd = ag.safetensorsToStateDict(weights);
  net.loadStateDict(sd); ag.dispose(Object.values(sd));
  return net.eval();
}

export default {
  async fetch(request) {
    model ??= await load();
    const x = ag.tensor(await request.json());   // [[5.1, 3.5, 1.4, 0.2], ...]
    const probs = ag.tidy(() => ag.noGrad(() => model.forward(x).softmax(1).toArray()));
    x.dispose();
    return Response.json(probs);
  },
};
