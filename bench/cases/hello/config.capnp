# Hello world. The socket address is overridden by `-s http=127.0.0.1:PORT`.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .hello) ],
  sockets = [ (name = "http", address = "*:8080", http = (), service = "main") ]
);

const hello :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.js") ],
  compatibilityDate = "2024-10-01",
);
