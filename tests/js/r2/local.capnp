using Workerd = import "/workerd/workerd.capnp";

# R2 bound to a `disk` service: workerd-py serves the binding from its local backend in that
# directory (r2/). Run with -d r2data=DIR (tests/bindings).
const config :Workerd.Config = (
  services = [
    (name = "r2-local", worker = .r2Local),
    (name = "r2data", disk = (path = "r2data", writable = true)),
  ],
);

const r2Local :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "local.js", esModule = embed "local.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
  bindings = [(name = "R2", r2Bucket = "r2data")],
);
