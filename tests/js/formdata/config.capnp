using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "formdata", worker = .formdata),
    (name = "files-as-strings", worker = .filesAsStrings),
  ],
);

const formdata :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "formdata.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);

const filesAsStrings :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  compatibilityFlags = ["formdata_parser_converts_files_to_strings"],
  modules = [(name = "main.js", esModule = embed "files_as_strings.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
