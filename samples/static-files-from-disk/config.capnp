# Static files: a worker serving the `public` folder through a disk service (a relative disk path
# is relative to the current directory, as in workerd: run it from this folder, or use -d).
#   workerd serve samples/static-files-from-disk/config.capnp -d files=/some/other/folder
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "site", worker = .site),
    (name = "files", disk = (path = "public")),
  ],
  sockets = [ (name = "http", address = "*:8080", http = (), service = "site") ],
);

const site :Workerd.Worker = (
  modules = [ (name = "site.js", esModule = embed "site.js") ],
  compatibilityDate = "2024-10-01",
  bindings = [ (name = "FILES", service = "files") ],
);
