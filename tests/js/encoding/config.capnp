# TextEncoder, TextDecoder, atob and btoa. `legacy` runs before text_decoder_replace_surrogates
# (2026-02-24) and text_decoder_cjk_decoder (2026-03-03), `current` after them.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "encoding", worker = .encoding),
    (name = "base64", worker = .base64),
    (name = "current", worker = .current),
    (name = "legacy", worker = .legacy),
  ],
);

const encoding :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "encoding.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const base64 :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "base64.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const current :Workerd.Worker = (
  compatibilityDate = "2026-03-10",
  modules = [(name = "main.js", esModule = embed "current.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const legacy :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "legacy.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
