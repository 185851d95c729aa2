# Several workers, bindings of many kinds, named entrypoints, props, a network service.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .mainWorker),
    (name = "backend", worker = .backendWorker),
    (name = "greeter", worker = (
      serviceWorkerScript = "addEventListener('fetch', e => e.respondWith(new Response('hello from greeter')));",
      compatibilityDate = "2024-01-01",
    )),
    (name = "loopback", network = (allow = ["private", "local"], deny = ["10.0.0.0/8"])),
  ],
  sockets = [
    ( name = "http", address = "127.0.0.1:8080", http = (), service = "main" ),
  ],
);

const mainWorker :Workerd.Worker = (
  modules = [
    (name = "main.js", esModule = embed "main.js"),
    (name = "lib/util.js", esModule = "export function shout(s) { return s.toUpperCase() + '!'; }"),
    (name = "data.json", json = "{\"answer\": 42}"),
    (name = "note.txt", text = "a text module"),
  ],
  compatibilityDate = "2024-10-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [
    (name = "GREETING", text = "hi there"),
    (name = "SETTINGS", json = "{\"mode\": \"test\", \"n\": [1, 2, 3]}"),
    (name = "BLOB", data = 0x"68656c6c6f"),
    (name = "BACKEND", service = (name = "backend", entrypoint = "Admin", props = (json = "{\"role\": \"admin\"}"))),
    (name = "BACKEND_DEFAULT", service = "backend"),
    (name = "GREETER", service = "greeter"),
    (name = "FROM_ENV", fromEnvironment = "WORKERD_PY_TEST_VAR"),
  ],
  globalOutbound = "loopback",
);

const backendWorker :Workerd.Worker = (
  modules = [ (name = "backend.js", esModule = embed "backend.js") ],
  compatibilityDate = "2024-10-01",
);
