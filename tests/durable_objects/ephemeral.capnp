using Workerd = import "/workerd/workerd.capnp";

# ephemeralLocal namespaces (experimental in workerd: run with --experimental): get(name) only,
# no storage, ctx.id is the name.
const config :Workerd.Config = (
  services = [(name = "eph", worker = .eph)],
);

const eph :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "ephemeral.js", esModule = embed "ephemeral.js")],
  durableObjectNamespaces = [(className = "Room", ephemeralLocal = void)],
  durableObjectStorage = (inMemory = void),
  bindings = [(name = "ROOMS", durableObjectNamespace = "Room")],
);
