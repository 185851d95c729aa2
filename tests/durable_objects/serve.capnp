using Workerd = import "/workerd/workerd.capnp";

# Durable Objects behind an HTTP socket (test_serve.py): the front worker routes /<name>/... to the
# object named <name> of another worker.
const config :Workerd.Config = (
  services = [
    (name = "front", worker = .front),
    (name = "objects", worker = .objects),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "front")],
);

const front :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "front.js", esModule = embed "serve-front.js")],
  bindings = [(name = "COUNTERS", durableObjectNamespace = (className = "Counter", serviceName = "objects"))],
);

const objects :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "objects.js", esModule = embed "serve-objects.js")],
  durableObjectNamespaces = [(className = "Counter", uniqueKey = "serve-key")],
  durableObjectStorage = (inMemory = void),
);
