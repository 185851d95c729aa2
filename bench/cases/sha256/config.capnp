# SHA-256 of a 64 KiB buffer per request (crypto.subtle.digest).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .sha256) ],
  sockets = [ (name = "http", address = "*:8080", http = (), service = "main") ]
);

const sha256 :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.js") ],
  compatibilityDate = "2024-10-01",
);
