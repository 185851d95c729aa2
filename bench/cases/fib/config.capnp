# CPU-bound JS: fib(25), recursive, per request.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .fib) ],
  sockets = [ (name = "http", address = "*:8080", http = (), service = "main") ]
);

const fib :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.js") ],
  compatibilityDate = "2024-10-01",
);
