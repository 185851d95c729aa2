using Workerd = import "/workerd/workerd.capnp";

# KV binding wire tests: the binding's service is a recording worker, so the tests see the exact
# requests (and feed the exact answers). Runs on workerd-py and on the real workerd.
const config :Workerd.Config = (
  services = [
    (name = "kv", worker = .kv),
    (name = "recorder", worker = .recorder),
  ],
);

const kv :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "wire.js", esModule = embed "wire.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
  bindings = [
    (name = "KV", kvNamespace = "recorder"),
    (name = "REC", service = "recorder"),
  ],
);

const recorder :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "recorder.js", esModule = embed "../lib/recorder.js")],
);
