# Nanoservices: a front worker, an auth worker and an API worker in one process; service bindings
# are in-process calls. Serve with:  workerd serve samples/nanoservices/config.capnp
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "front", worker = .front),
    (name = "auth", worker = .auth),
    (name = "api", worker = .api),
  ],
  sockets = [ (name = "http", address = "*:8080", http = (), service = "front") ],
);

const front :Workerd.Worker = (
  modules = [ (name = "front.js", esModule = embed "front.js") ],
  compatibilityDate = "2024-10-01",
  bindings = [
    (name = "AUTH", service = "auth"),
    (name = "API", service = "api"),
  ],
);

const auth :Workerd.Worker = (
  modules = [ (name = "auth.js", esModule = embed "auth.js") ],
  compatibilityDate = "2024-10-01",
);

const api :Workerd.Worker = (
  modules = [ (name = "api.js", esModule = embed "api.js") ],
  compatibilityDate = "2024-10-01",
  bindings = [ (name = "GREETING", text = "hello from the config") ],
);
