# Static files from disk (as workerd's samples/static-files-from-disk).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "site-worker", worker = .siteWorker),
    (name = "__static-site-data", disk = "./content-dir"),
  ],
  sockets = [ ( name = "http", address = "*:8080", http = (), service = "site-worker" ) ]
);

const siteWorker :Workerd.Worker = (
  compatibilityDate = "2023-02-28",
  modules = [ (name = "static.js", esModule = embed "static.js") ],
  bindings = [
    (name = "files", service = "__static-site-data"),
    (name = "config", json = "{\"hideHtmlExtension\": true}"),
  ],
);
