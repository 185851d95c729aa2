using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "readable", worker = .readable),
    (name = "writable", worker = .writable),
    (name = "transform", worker = .transform),
    (name = "bytes", worker = .bytes),
    (name = "pipe", worker = .pipe),
    (name = "workerd", worker = .workerd),
  ],
);

const readable :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "readable.js")],
);
const writable :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "writable.js")],
);
const transform :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "transform.js")],
);
const bytes :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "bytes.js")],
);
const pipe :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "pipe.js")],
);
const workerd :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "workerd.js")],
);
