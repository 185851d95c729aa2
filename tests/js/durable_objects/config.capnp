using Workerd = import "/workerd/workerd.capnp";

# Durable Objects, JS level: ids, stubs (fetch and RPC), storage, transactions, the input gate,
# alarms and the SQL API. The objects live in "do"; "client" reaches them through a binding that
# names the other worker (serviceName). Runs on workerd-py and on the real workerd.
const config :Workerd.Config = (
  services = [
    (name = "do", worker = .doWorker),
    (name = "client", worker = .client),
  ],
);

const doWorker :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "do.js", esModule = embed "do.js")],
  durableObjectNamespaces = [
    (className = "Counter", uniqueKey = "test-key"),
    (className = "Plain", uniqueKey = "plain-key"),
    (className = "Gate", uniqueKey = "gate-key"),
    (className = "Retry", uniqueKey = "retry-key"),
  ],
  durableObjectStorage = (inMemory = void),
  bindings = [
    (name = "COUNTER", durableObjectNamespace = "Counter"),
    (name = "PLAIN", durableObjectNamespace = "Plain"),
    (name = "GATE", durableObjectNamespace = "Gate"),
    (name = "RETRY", durableObjectNamespace = "Retry"),
  ],
);

const client :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "client.js", esModule = embed "client.js")],
  bindings = [
    (name = "REMOTE", durableObjectNamespace = (className = "Counter", serviceName = "do")),
  ],
);
