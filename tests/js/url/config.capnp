# URL and URLSearchParams (ada-url, the WHATWG parser workerd uses).
# `legacy` runs before urlsearchparams_delete_has_value_arg (2023-07-01).
# (url_standard off, before 2022-10-31, selects workerd's legacy URL class, which this runtime
# does not have: it always uses the standard one.)
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "url", worker = .url),
    (name = "params", worker = .params),
    (name = "legacy", worker = .legacy),
  ],
);

const url :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "url.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const params :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "params.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const legacy :Workerd.Worker = (
  compatibilityDate = "2023-06-01",
  modules = [(name = "main.js", esModule = embed "legacy.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
