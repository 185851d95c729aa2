# Headers: guards, combining, set-cookie, sorted lowercase iteration, validation errors.
# `headers` runs at a recent date; `legacy` before http_headers_getsetcookie (2023-03-01).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "headers", worker = .headers),
    (name = "legacy", worker = .legacy),
  ],
);

const headers :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "headers.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const legacy :Workerd.Worker = (
  compatibilityDate = "2023-02-01",
  modules = [(name = "main.js", esModule = embed "legacy.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
