using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "compression", worker = .compression)],
);

const compression :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "compression.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
