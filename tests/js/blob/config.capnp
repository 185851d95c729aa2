using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "blob", worker = .blob)],
);

const blob :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "blob.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
