# URLPattern (https://urlpattern.spec.whatwg.org/), at a date with urlpattern_standard (2025-05-01).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "urlpattern", worker = .urlpattern),
  ],
);

const urlpattern :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "urlpattern.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
