# A reverse proxy: a worker in front of an external origin. Point the origin elsewhere with
#   workerd serve samples/reverse-proxy/config.capnp -e origin=example.org:80
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "proxy", worker = .proxy),
    (name = "origin", external = (address = "127.0.0.1:9000", http = ())),
  ],
  sockets = [ (name = "http", address = "*:8080", http = (), service = "proxy") ],
);

const proxy :Workerd.Worker = (
  modules = [ (name = "proxy.js", esModule = embed "proxy.js") ],
  compatibilityDate = "2024-10-01",
  bindings = [ (name = "ORIGIN", service = "origin") ],
);
