using Workerd = import "/workerd/workerd.capnp";

# Durable Objects on localDisk: the SQL API, storage.kv, transactionSync, persistence across runs
# and the on-disk format (shared with the real workerd). Run with `-d dodata=DIR` (test_disk.py).
const config :Workerd.Config = (
  services = [
    (name = "do", worker = .doWorker),
    (name = "dodata", disk = (path = "dodata", writable = true)),
  ],
);

const doWorker :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "disk.js", esModule = embed "disk.js")],
  durableObjectNamespaces = [
    (className = "Kv", uniqueKey = "kv-key"),
    (className = "Sql", uniqueKey = "sql-key", enableSql = true),
  ],
  durableObjectStorage = (localDisk = "dodata"),
  bindings = [
    (name = "KV", durableObjectNamespace = "Kv"),
    (name = "SQL", durableObjectNamespace = "Sql"),
  ],
);
