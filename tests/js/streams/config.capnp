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
  modules = [(name = "main.js", esModule = embed "readable.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const writable :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "writable.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const transform :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "transform.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const bytes :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "bytes.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const pipe :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "pipe.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const workerd :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "workerd.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
