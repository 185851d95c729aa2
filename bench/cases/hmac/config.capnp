# An HMAC-SHA256 signature per request (crypto.subtle.sign).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .hmac) ],
  sockets = [ (name = "http", address = "*:8080", http = (), service = "main") ]
);

const hmac :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.js") ],
  compatibilityDate = "2024-10-01",
);
