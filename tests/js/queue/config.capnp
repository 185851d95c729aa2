using Workerd = import "/workerd/workerd.capnp";

# Queue binding wire tests: the binding's service is a recording worker, so the tests see the
# exact requests (and feed the exact answers). Runs on workerd-py and on the real workerd.
# Three compatibility dates: JSON messages by default (queues_json_messages, 2024-03-18), V8
# serialization before that, and error codes in messages (queue_expose_error_codes, 2026-03-12).
const config :Workerd.Config = (
  services = [
    (name = "queue", worker = .queue),
    (name = "queue-v8", worker = .queueV8),
    (name = "queue-codes", worker = .queueCodes),
    (name = "recorder", worker = .recorder),
  ],
);

const queue :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "wire.js", esModule = embed "wire.js"), (name = "common.js", esModule = embed "common.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
  bindings = [(name = "Q", queue = "recorder"), (name = "REC", service = "recorder")],
);

const queueV8 :Workerd.Worker = (
  compatibilityDate = "2023-06-01",
  modules = [(name = "v8.js", esModule = embed "v8.js"), (name = "common.js", esModule = embed "common.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
  bindings = [(name = "Q", queue = "recorder"), (name = "REC", service = "recorder")],
);

const queueCodes :Workerd.Worker = (
  compatibilityDate = "2026-04-01",
  modules = [(name = "codes.js", esModule = embed "codes.js"), (name = "common.js", esModule = embed "common.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
  bindings = [(name = "Q", queue = "recorder"), (name = "REC", service = "recorder")],
);

const recorder :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "recorder.js", esModule = embed "../lib/recorder.js")],
);
