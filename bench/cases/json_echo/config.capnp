# JSON echo: POST a JSON body, get it back parsed and re-serialized (post_1k.lua, post_1m.lua).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .jsonEcho) ],
  sockets = [ (name = "http", address = "*:8080", http = (), service = "main") ]
);

const jsonEcho :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.js") ],
  compatibilityDate = "2024-10-01",
);
