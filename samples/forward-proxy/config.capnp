# A forward proxy:  curl -x http://127.0.0.1:8080 http://example.com/
# The worker's globalOutbound is a network service; this sample also allows private and local
# addresses so that it can be tried against a server on this machine.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "proxy", worker = .proxy),
    (name = "net", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "*:8080", http = (style = proxy), service = "proxy") ],
);

const proxy :Workerd.Worker = (
  modules = [ (name = "proxy.js", esModule = embed "proxy.js") ],
  compatibilityDate = "2024-10-01",
  globalOutbound = "net",
);
