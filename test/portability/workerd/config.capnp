# workerd config for the portability test: the bundle (and the files it imports on demand: the
# TensorFlow.js model loader, model saving and loading), the workload and the baseline kernel build as a wasm module.
# The test picks the port: `workerd serve config.capnp --socket-addr http=127.0.0.1:PORT`.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "index.js", esModule = embed "../../../dist/index.js"),
    (name = "tfjs-loader.js", esModule = embed "../../../dist/tfjs-loader.js"),
    (name = "model-io.js", esModule = embed "../../../dist/model-io.js"),
    (name = "workload.mjs", esModule = embed "../workload.mjs"),
    (name = "asgrad.wasm", wasm = embed "../../../dist/asgrad.wasm"),
  ],
  compatibilityDate = "2025-06-01",  # 2025-05-05 or later: FinalizationRegistry (enable_weak_ref)
);
