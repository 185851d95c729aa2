using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = ( services = [(name = "crypto-test-2023", worker = .w)] );
const w :Workerd.Worker = (
  compatibilityDate = "2023-01-01",
  modules = [
    (name = "main.js", esModule = embed "main.js"),
    (name = "cases.js", esModule = embed "cases.js"),
    (name = "keys.json", json = embed "keys.json"),
  ],
  bindings = [(name = "EXPECTED", json = embed "expected-2023.json")],
);
