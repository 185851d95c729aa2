using Workerd = import "/workerd/workerd.capnp";

# R2 binding wire tests: the binding's service is a recording worker, so the tests see the exact
# requests (and feed the exact answers). Runs on workerd-py and on the real workerd.
const config :Workerd.Config = (
  services = [
    (name = "r2", worker = .r2),
    (name = "recorder", worker = .recorder),
  ],
);

const r2 :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "wire.js", esModule = embed "wire.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
  bindings = [
    (name = "R2", r2Bucket = "recorder"),
    (name = "REC", service = "recorder"),
  ],
);

const recorder :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "recorder.js", esModule = embed "../lib/recorder.js")],
);
