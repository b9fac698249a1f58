# workerd config for the README's Worker example. The portability test copies it next to
# readme-worker.mjs, dist/index.js, dist/asgrad.wasm and a trained mlp.safetensors, and sets the port.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "readme-worker.mjs"),
    (name = "index.js", esModule = embed "index.js"),
    (name = "asgrad.wasm", wasm = embed "asgrad.wasm"),
    (name = "mlp.safetensors", data = embed "mlp.safetensors"),
  ],
  compatibilityDate = "2025-06-01",  # 2025-05-05 or later: FinalizationRegistry (enable_weak_ref)
);
