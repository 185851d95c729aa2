# A chain of 5 workers: w1 -> w2 -> w3 -> w4 -> w5 (hello world); 4 service-binding hops.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .w1),
    (name = "w2", worker = .w2),
    (name = "w3", worker = .w3),
    (name = "w4", worker = .w4),
    (name = "w5", worker = .w5),
  ],
  sockets = [ (name = "http", address = "*:8080", http = (), service = "main") ]
);

const w1 :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "next.js") ],
  compatibilityDate = "2024-10-01",
  bindings = [ (name = "NEXT", service = "w2") ],
);

const w2 :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "next.js") ],
  compatibilityDate = "2024-10-01",
  bindings = [ (name = "NEXT", service = "w3") ],
);

const w3 :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "next.js") ],
  compatibilityDate = "2024-10-01",
  bindings = [ (name = "NEXT", service = "w4") ],
);

const w4 :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "next.js") ],
  compatibilityDate = "2024-10-01",
  bindings = [ (name = "NEXT", service = "w5") ],
);

const w5 :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "../hello/worker.js") ],
  compatibilityDate = "2024-10-01",
);
