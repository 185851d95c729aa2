# Durable Objects with on-disk storage (as workerd's samples/durable-objects-chat).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .counterWorker),
    (name = "do-storage", disk = (path = "/tmp/workerd-py-do-storage", writable = true)),
  ],
  sockets = [ ( name = "http", address = "*:8080", http = (), service = "main" ) ]
);

const counterWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "counter.js", esModule = embed "counter.js"),
  ],
  compatibilityDate = "2024-04-03",
  durableObjectNamespaces = [
    (className = "Counter", uniqueKey = "210bd0cbd803ef7883a1ee9d86cce06e"),
    (className = "Scratch", uniqueKey = "5b8ba1a5e1f4e2cd7a8a3a4e3f0e6c11"),
  ],
  durableObjectStorage = (localDisk = "do-storage"),
  bindings = [
    (name = "COUNTER", durableObjectNamespace = "Counter"),
    (name = "SCRATCH", durableObjectNamespace = (className = "Scratch")),
  ],
);
