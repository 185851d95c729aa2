# Request, Response, bodies and fetch() (through a globalOutbound worker that echoes requests).
# Compatibility dates: most workers run at 2025-06-01 (`fetch` at 2025-09-01, with
# strip_authorization_on_cross_origin_redirect); `mar2026` has fetch_iterable_type_support
# (2026-02-19) and strip_bom_in_read_all_text (2026-01-13); `oct2024` is before
# upper_case_all_http_methods (2024-10-14); `jan2023` before response_redirect_url_standard
# (2023-03-14) and fetch_standard_url (2024-06-03); `nov2021` before
# fetch_refuses_unknown_protocols (2021-11-10).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "request", worker = .request),
    (name = "response", worker = .response),
    (name = "body", worker = .body),
    (name = "fetch", worker = .fetch),
    (name = "mar2026", worker = .mar2026),
    (name = "oct2024", worker = .oct2024),
    (name = "jan2023", worker = .jan2023),
    (name = "nov2021", worker = .nov2021),
    (name = "echo", worker = .echo),
  ],
);

const request :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "request.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const response :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "response.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const body :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "body.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const fetch :Workerd.Worker = (
  compatibilityDate = "2025-09-01",
  modules = [(name = "main.js", esModule = embed "fetch.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
  globalOutbound = "echo",
);
const mar2026 :Workerd.Worker = (
  compatibilityDate = "2026-03-01",
  modules = [(name = "main.js", esModule = embed "mar2026.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const oct2024 :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "oct2024.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
  globalOutbound = "echo",
);
const jan2023 :Workerd.Worker = (
  compatibilityDate = "2023-01-01",
  modules = [(name = "main.js", esModule = embed "jan2023.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
);
const nov2021 :Workerd.Worker = (
  compatibilityDate = "2021-11-01",
  modules = [(name = "main.js", esModule = embed "nov2021.js"), (name = "assert.js", esModule = embed "../lib/assert.js")],
  globalOutbound = "echo",
);
const echo :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [(name = "main.js", esModule = embed "echo.js")],
);
