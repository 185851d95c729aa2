using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = ( services = [(name = "crypto-test", worker = .w)] );
const w :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [
    (name = "main.js", esModule = embed "main.js"),
    (name = "cases.js", esModule = embed "cases.js"),
    (name = "keys.json", json = embed "keys.json"),
  ],
  bindings = [(name = "EXPECTED", json = embed "expected.json")],
);
