"""The HTTP layer's floor: req/s of a fixed response, ours vs a bare uvloop + httptools protocol.

    .venv/bin/python bench/http_floor.py [--duration 5] [--connections 32] [--mode ours|raw|both]

Each server runs in a child process pinned to CPU 0, wrk (Debian package `wrk`) to CPU 1 when the
machine has two. Prints one line per mode. For tuning the protocol's per-request overhead only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BODY = b"Hello World\n"


def serve_ours(port: int, awaitable: bool = False) -> None:
    sys.path.insert(0, os.path.join(ROOT, "src"))
    import asyncio
    import uvloop
    from workerd_py.server.http import HttpResponse
    from workerd_py.server.sockets import SocketOptions, start_server

    class Fixed:
        __slots__ = ()

        def handle(self, request):
            return HttpResponse(200, [("content-type", "text/plain;charset=UTF-8")], BODY)

    class FixedAsync:
        """The same answer from a coroutine: the task path."""
        __slots__ = ()

        async def handle(self, request):
            return HttpResponse(200, [("content-type", "text/plain;charset=UTF-8")], BODY)

    async def main():
        await start_server(SocketOptions("bench", f"127.0.0.1:{port}"),
                           FixedAsync() if awaitable else Fixed())
        await asyncio.Event().wait()

    uvloop.run(main())


def serve_raw(port: int) -> None:
    """The floor: the least an httptools protocol can do per request."""
    import asyncio
    import httptools
    import uvloop

    response = (b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                b"Content-Type: text/plain;charset=UTF-8\r\n\r\n" % len(BODY)) + BODY

    class Raw(asyncio.Protocol):
        def connection_made(self, transport):
            self.transport = transport
            self.parser = httptools.HttpRequestParser(self)

        def data_received(self, data):
            self.parser.feed_data(data)

        def on_message_complete(self):
            self.transport.write(response)

    async def main():
        loop = asyncio.get_running_loop()
        await loop.create_server(Raw, "127.0.0.1", port, backlog=1024)
        await asyncio.Event().wait()

    uvloop.run(main())


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_listening(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(mode: str, duration: float, connections: int) -> tuple[float, float] | None:
    port = free_port()
    two = (os.cpu_count() or 1) >= 2
    pin = ["taskset", "-c", "0"] if two and shutil.which("taskset") else []
    server = subprocess.Popen(pin + [sys.executable, os.path.abspath(__file__), "--serve", mode,
                                     "--port", str(port)])
    try:
        wait_listening(port)
        wrk_pin = ["taskset", "-c", "1"] if pin else []
        cmd = wrk_pin + ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s",
                         f"http://127.0.0.1:{port}/"]
        subprocess.run(cmd[:-3] + ["-d1s", cmd[-1]], capture_output=True)   # warm up
        cpu0 = cpu_seconds(server.pid)
        out = subprocess.run(cmd, capture_output=True, text=True).stdout
        cpu = cpu_seconds(server.pid) - cpu0
        m = re.search(r"Requests/sec:\s+([\d.]+)", out)
        n = re.search(r"(\d+) requests in", out)
        if "Non-2xx" in out or "Socket errors" in out:
            print(out, file=sys.stderr)
        if not m or not n:
            return None
        return float(m.group(1)), cpu / int(n.group(1)) * 1e6
    finally:
        server.terminate()
        server.wait()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--serve", choices=["ours", "async", "raw"])
    ap.add_argument("--port", type=int)
    ap.add_argument("--mode", choices=["ours", "async", "raw", "both", "all"], default="both")
    ap.add_argument("--duration", type=float, default=5)
    ap.add_argument("--connections", type=int, default=32)
    args = ap.parse_args()
    if args.serve:
        if args.serve == "raw":
            serve_raw(args.port)
        else:
            serve_ours(args.port, awaitable=args.serve == "async")
        return 0
    if not shutil.which("wrk"):
        print("wrk not found (apt-get install -y wrk); skipping", file=sys.stderr)
        return 0
    results = {}
    modes = {"both": ["raw", "ours"], "all": ["raw", "ours", "async"]}.get(args.mode, [args.mode])
    for mode in modes:
        r = run(mode, args.duration, args.connections)
        results[mode] = r
        if r:
            print(f"{mode:5s} {r[0]:>10,.0f} req/s  {r[1]:6.1f} us CPU/request", flush=True)
        else:
            print(f"{mode:5s} failed", flush=True)
    if results.get("raw") and results.get("ours"):
        print(f"ours/raw throughput {results['ours'][0] / results['raw'][0]:.2f}, "
              f"CPU per request +{results['ours'][1] - results['raw'][1]:.1f} us")
    return 0


if __name__ == "__main__":
    sys.exit(main())
