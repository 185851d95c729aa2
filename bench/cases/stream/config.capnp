# Streaming: the request body piped back as the response body.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .stream) ],
  sockets = [ (name = "http", address = "*:8080", http = (), service = "main") ]
);

const stream :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.js") ],
  compatibilityDate = "2024-10-01",
);
