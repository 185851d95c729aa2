# structuredClone, reportError, navigator, performance, self.
# Dates: `globals` 2025-06-01; `enhanced` after enhanced_error_serialization (2026-04-21);
# `oct2024` before enable_navigator_language (2025-05-19); `jan2022` before global_navigator
# (2022-03-21).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "clone", worker = .clone),
    (name = "globals", worker = .globals),
    (name = "enhanced", worker = .enhanced),
    (name = "oct2024", worker = .oct2024),
    (name = "jan2022", worker = .jan2022),
  ],
);

const clone :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "clone.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const globals :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "globals.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const enhanced :Workerd.Worker = (
  compatibilityDate = "2026-05-01",
  modules = [(name = "main.js", esModule = embed "enhanced.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const oct2024 :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "oct2024.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const jan2022 :Workerd.Worker = (
  compatibilityDate = "2022-01-01",
  modules = [(name = "main.js", esModule = embed "jan2022.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
