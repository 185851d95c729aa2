using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = ( services = [(name = "crypto-record", worker = .w)] );
const w :Workerd.Worker = (
  compatibilityDate = "2023-01-01",
  modules = [
    (name = "record.js", esModule = embed "record.js"),
    (name = "cases.js", esModule = embed "cases.js"),
    (name = "keys.json", json = embed "keys.json"),
  ],
);
