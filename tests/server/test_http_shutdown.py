"""Graceful shutdown: stop accepting, finish in-flight requests, close idle connections."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time

from http_helpers import ROOT, ErrorLog, Fn, HttpResponse, parse_responses, run, text_response
from workerd_py.server.sockets import Server, SocketOptions


async def slow_get(port: int, path: str = "/slow") -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()          # until the server closes
    writer.close()
    return data


def test_shutdown_finishes_50_slow_requests_and_closes_idle_connections():
    async def main():
        started = 0

        async def slow(req):
            nonlocal started
            started += 1
            await asyncio.sleep(0.5)
            return text_response("done")

        def handle(req):
            return slow(req) if req.url.endswith("/slow") else text_response("quick")

        server = Server(error_log=ErrorLog())
        listener = await server.listen(SocketOptions("http", "127.0.0.1:0"), Fn(handle))
        port = listener.port

        # an idle keep-alive connection
        idle_r, idle_w = await asyncio.open_connection("127.0.0.1", port)
        idle_w.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        await idle_r.readuntil(b"quick")

        tasks = [asyncio.ensure_future(slow_get(port)) for _ in range(50)]
        while started < 50:
            await asyncio.sleep(0.01)
        t0 = time.monotonic()
        shutdown = asyncio.ensure_future(server.shutdown(timeout=10))
        await asyncio.sleep(0.05)
        # the idle connection is closed straight away
        assert await asyncio.wait_for(idle_r.read(), 2) == b""
        # new connections are refused
        try:
            r, w = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            pass
        else:
            w.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert await asyncio.wait_for(r.read(), 2) == b""
        results = await asyncio.gather(*tasks)
        await shutdown
        took = time.monotonic() - t0
        for data in results:
            (r,) = parse_responses(data)
            assert (r.status, r.body) == (200, b"done")
            assert r.header("connection") == "close"
        assert took < 3, took
        assert server.connections == 0
        await asyncio.wait_for(server.serve_forever(), 1)     # returns once shut down
    run(main())


def test_shutdown_timeout_drops_what_is_left():
    async def main():
        async def never(req):
            await asyncio.sleep(3600)
            return text_response("never")

        log = ErrorLog()
        server = Server(error_log=log)
        listener = await server.listen(SocketOptions("http", "127.0.0.1:0"), Fn(never))
        task = asyncio.ensure_future(slow_get(listener.port))
        await asyncio.sleep(0.1)
        t0 = time.monotonic()
        await server.shutdown(timeout=0.3)
        assert 0.25 < time.monotonic() - t0 < 2
        assert await asyncio.wait_for(task, 2) == b""
        assert "still busy" in log.text()
    run(main())


def test_shutdown_answers_pipelined_requests_already_received():
    async def main():
        async def slow(req):
            await asyncio.sleep(0.3)
            return HttpResponse(200, [], req.url.rsplit("/", 1)[1].encode())

        server = Server(error_log=ErrorLog())
        listener = await server.listen(SocketOptions("http", "127.0.0.1:0"), Fn(slow))
        reader, writer = await asyncio.open_connection("127.0.0.1", listener.port)
        writer.write(b"GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(0.1)
        await server.shutdown(timeout=5)
        data = await asyncio.wait_for(reader.read(), 2)
        rs = parse_responses(data)
        assert [r.body for r in rs] == [b"1", b"2"]
        assert [r.header("connection") for r in rs] == [None, "close"]
    run(main())


SCRIPT = textwrap.dedent("""
    import asyncio, sys
    sys.path.insert(0, {src!r})
    import uvloop
    from workerd_py.server.http import HttpResponse
    from workerd_py.server.sockets import Server, SocketOptions, install_signal_handlers

    class Slow:
        async def handle(self, req):
            await asyncio.sleep(1.0)
            return HttpResponse(200, [], b"finished")

    async def main():
        server = Server()
        listener = await server.listen(SocketOptions("http", "127.0.0.1:0"), Slow())
        done = install_signal_handlers(asyncio.get_running_loop(), server, 10)
        print(listener.port, flush=True)
        await done
        print("bye", flush=True)
        return 0

    sys.exit(uvloop.run(main()))
""")


def test_sigterm_with_50_requests_in_flight_then_exit_0():
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT.format(src=os.path.join(ROOT, "src"))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = int(proc.stdout.readline())

        async def main():
            tasks = [asyncio.ensure_future(slow_get(port)) for _ in range(50)]
            await asyncio.sleep(0.4)         # all 50 are in their handlers
            proc.send_signal(signal.SIGTERM)
            return await asyncio.gather(*tasks)

        results = run(main())
        assert proc.wait(timeout=10) == 0
        out, err = proc.communicate()
        assert "bye" in out
        assert "Traceback" not in err
        for data in results:
            (r,) = parse_responses(data)
            assert (r.status, r.body) == (200, b"finished")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
