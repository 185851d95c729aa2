using Workerd = import "/workerd/workerd.capnp";

# KV bound to `disk` services: workerd-py serves the binding from its local SQLite backend in
# that directory (kv.sqlite3). Run with -d kvdata=DIR -d kvro=DIR (tests/bindings).
const config :Workerd.Config = (
  services = [
    (name = "kv-local", worker = .kvLocal),
    (name = "kvdata", disk = (path = "kvdata", writable = true)),
    (name = "kvro", disk = (path = "kvro")),
  ],
);

const kvLocal :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "local.js", esModule = embed "local.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
  bindings = [
    (name = "KV", kvNamespace = "kvdata"),
    (name = "RO", kvNamespace = "kvro"),
  ],
);
