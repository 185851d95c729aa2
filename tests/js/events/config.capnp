# Event, EventTarget, CustomEvent, AbortController, AbortSignal. `legacy` runs before
# set_event_target_this (2025-08-01): listeners are called with the global object as `this`.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "events", worker = .events),
    (name = "abort", worker = .abort),
    (name = "legacy", worker = .legacy),
  ],
);

const events :Workerd.Worker = (
  compatibilityDate = "2025-09-01",
  modules = [(name = "main.js", esModule = embed "events.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const abort :Workerd.Worker = (
  compatibilityDate = "2025-09-01",
  modules = [(name = "main.js", esModule = embed "abort.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const legacy :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "legacy.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
