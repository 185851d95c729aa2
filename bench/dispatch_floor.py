#!/usr/bin/env python3
"""The floor of a service-binding hop: CPU per in-process dispatch of the hello-world worker.

    .venv/bin/python bench/dispatch_floor.py [--seconds 3]

A hop runs its target worker's whole dispatch (a Request in the target's isolate, its fetch
handler, its Response, unpacked for the caller), so a hop cannot cost less CPU than one dispatch of
the target worker without any HTTP. This loads bench/cases/hello, calls `WorkerService.handle()`
on one request in a loop (no sockets, no HTTP parsing or writing) and prints JSON
{"us_per_dispatch": best CPU microseconds per call over several chunks}. bench/run.py runs it
pinned to the server's CPU next to the hop case and reports it beside the hop's cost.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


async def _measure(seconds: float) -> float:
    from workerd_py.config import load_plan
    from workerd_py.server.app import App
    from workerd_py.server.http import HttpRequest, HttpResponse

    plan = load_plan(os.path.join(HERE, "cases", "hello", "config.capnp"))
    app = App(plan)
    errors = app.start_workers()
    if errors:
        raise SystemExit(f"hello did not start: {errors}")
    svc = app.resolve(plan.sockets[0].service)
    # what wrk sends, as the HTTP server hands it over
    req = HttpRequest("GET", "http://127.0.0.1/", [("host", "127.0.0.1")], None, "127.0.0.1",
                      {"clientIp": "127.0.0.1"})
    r = svc.handle(req)
    if not isinstance(r, HttpResponse) or r.status != 200:
        raise SystemExit(f"unexpected answer: {r!r}")
    for _ in range(2000):
        svc.handle(req)
    best = float("inf")
    chunk = 5000
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t = time.process_time()
        for _ in range(chunk):
            svc.handle(req)
        best = min(best, (time.process_time() - t) / chunk)
    await app.close()
    return best * 1e6


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args(argv)
    us = asyncio.run(_measure(args.seconds))
    print(json.dumps({"us_per_dispatch": round(us, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
