using Workerd = import "/workerd/workerd.capnp";

# A queue bound to a `disk` service: workerd-py stores the messages in its local backend in that
# directory (queue.sqlite3). Run with -d qdata=DIR (tests/bindings).
const config :Workerd.Config = (
  services = [
    (name = "queue-local", worker = .queueLocal),
    (name = "qdata", disk = (path = "qdata", writable = true)),
  ],
);

const queueLocal :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "local.js", esModule = embed "local.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
  bindings = [(name = "Q", queue = "qdata")],
);
