"""The embedded default config served by `workerd serve --default` (and `make run`): the
helloworld_esm sample on 127.0.0.1:8080, built directly as a Plan so it needs no files."""
from __future__ import annotations

from ..plan import model as P

WORKER_JS = """\
export default {
  async fetch(request, env, ctx) {
    return new Response("Hello World\\n");
  },
};
"""

COMPAT_DATE = "2024-10-01"


def default_plan() -> P.Plan:
    from ..config import compat
    flags = frozenset(compat.resolve(COMPAT_DATE, ()))
    worker = P.Worker(compatibility_date=COMPAT_DATE, compat_flags=flags,
                      modules=(P.Module(name="worker", kind="esModule", content=WORKER_JS),))
    return P.Plan(
        services={"main": P.Service("main", worker)},
        sockets=(P.Socket(name="http", address="127.0.0.1:8080", service=P.ServiceDesignator("main")),),
        source="<default>",
    )
