# One service-binding hop: front -> backend (hello world).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .front),
    (name = "backend", worker = .backend),
  ],
  sockets = [ (name = "http", address = "*:8080", http = (), service = "main") ]
);

const front :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "front.js") ],
  compatibilityDate = "2024-10-01",
  bindings = [ (name = "BACKEND", service = "backend") ],
);

const backend :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "../hello/worker.js") ],
  compatibilityDate = "2024-10-01",
);
