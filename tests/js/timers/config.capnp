# setTimeout, setInterval, their clears, scheduler.wait, queueMicrotask. `node` runs at a date
# where nodejs_compat implies enable_nodejs_global_timers (Timeout objects, Node's messages).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "timers", worker = .timers),
    (name = "node", worker = .node),
  ],
);

const timers :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "timers.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const node :Workerd.Worker = (
  compatibilityDate = "2026-11-01",
  modules = [(name = "main.js", esModule = embed "node.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
