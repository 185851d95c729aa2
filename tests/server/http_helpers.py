"""Helpers for the HTTP server tests: run a coroutine on uvloop, serve a Python service on an
ephemeral port, talk raw HTTP, and parse what comes back."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys

import httptools
import uvloop

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "src"))

from workerd_py.server.http import HttpResponse  # noqa: E402
from workerd_py.server.sockets import HttpLimits, SocketOptions, start_server  # noqa: E402


def run(coro, timeout: float = 30.0):
    """Run `coro` on a fresh uvloop loop, bounded by `timeout` seconds."""
    async def bounded():
        return await asyncio.wait_for(coro, timeout)
    return uvloop.run(bounded())


class ErrorLog:
    """Collects what the server reports through its error_log callback."""

    def __init__(self):
        self.entries: list[tuple[str, BaseException | None]] = []

    def __call__(self, message, exc=None):
        self.entries.append((message, exc))

    def text(self) -> str:
        return "\n".join(f"{m} {e!r}" for m, e in self.entries)


@contextlib.asynccontextmanager
async def serving(service, address="127.0.0.1:0", error_log=None, **options):
    """Serve `service` on an ephemeral port; yields the Listener."""
    limits = options.pop("limits", None)
    opts = SocketOptions("test", address, **options)
    if limits is not None:
        opts.limits = limits if isinstance(limits, HttpLimits) else HttpLimits(**limits)
    listener = await start_server(opts, service, error_log=error_log or ErrorLog())
    try:
        yield listener
    finally:
        listener.close()
        listener.site.abort_all()
        await asyncio.sleep(0)


class Fn:
    """A service from a function."""

    def __init__(self, fn):
        self.handle = fn


def text_response(text: str, status: int = 200, headers=()) -> HttpResponse:
    return HttpResponse(status, [("content-type", "text/plain;charset=UTF-8"), *headers],
                        text.encode())


async def exchange(port: int, data: bytes, *, until_eof: bool = True, timeout: float = 5.0,
                   host: str = "127.0.0.1", expect: int | None = None) -> bytes:
    """Send raw bytes; return what comes back until EOF (or `expect` responses, or timeout)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(data)
        await writer.drain()
        out = b""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            left = deadline - loop.time()
            if left <= 0:
                break
            try:
                chunk = await asyncio.wait_for(reader.read(65536), left)
            except asyncio.TimeoutError:
                break
            if not chunk:
                break
            out += chunk
            if expect is not None and len(parse_responses(out, partial=True)) >= expect:
                if not until_eof:
                    break
        return out
    finally:
        writer.close()


class Parsed:
    def __init__(self):
        self.status = None
        self.reason = None
        self.headers: list[tuple[str, str]] = []
        self.raw_headers: list[tuple[bytes, bytes]] = []
        self.body = b""
        self.complete = False
        self.version = None

    def header(self, name: str):
        for n, v in self.headers:
            if n == name.lower():
                return v
        return None

    def __repr__(self):
        return f"<Parsed {self.status} {self.headers} {self.body[:60]!r}>"


def parse_responses(data: bytes, partial: bool = False, head_methods=()) -> list[Parsed]:
    """Split a byte stream into responses. `head_methods`: indexes of responses to HEAD
    requests (they have no body whatever their content-length says)."""
    out: list[Parsed] = []

    class P:
        def __init__(self):
            self.cur = None

        def on_message_begin(self):
            self.cur = Parsed()

        def on_status(self, status):
            self.cur.reason = (self.cur.reason or "") + status.decode("latin-1")

        def on_header(self, name, value):
            self.cur.raw_headers.append((name, value))
            self.cur.headers.append((name.decode().lower(), value.decode("latin-1")))

        def on_headers_complete(self):
            self.cur.status = parser.get_status_code()
            self.cur.version = parser.get_http_version()
            out.append(self.cur)

        def on_body(self, body):
            self.cur.body += body

        def on_message_complete(self):
            self.cur.complete = True

    p = P()
    parser = httptools.HttpResponseParser(p)
    # HEAD responses: feed them one by one, resetting the parser (no body to expect)
    if head_methods:
        rest = data
        i = 0
        while rest:
            if i in head_methods:
                end = rest.find(b"\r\n\r\n")
                if end < 0:
                    break
                one = HttpResponseOnly(rest[:end + 4])
                out.append(one)
                rest = rest[end + 4:]
            else:
                sub = parse_responses(rest, partial=True)
                if not sub:
                    break
                first = sub[0]
                out.append(first)
                rest = rest[_response_length(rest):]
            i += 1
        return out
    try:
        parser.feed_data(data)
    except httptools.HttpParserError:
        if not partial:
            raise
    return out


def HttpResponseOnly(head: bytes) -> Parsed:
    p = Parsed()
    lines = head.decode("latin-1").split("\r\n")
    version, status, *reason = lines[0].split(" ", 2)
    p.version = version.split("/")[1]
    p.status = int(status)
    p.reason = reason[0] if reason else ""
    for line in lines[1:]:
        if line:
            n, v = line.split(":", 1)
            p.raw_headers.append((n.encode(), v.strip().encode()))
            p.headers.append((n.lower(), v.strip()))
    p.complete = True
    return p


def _response_length(data: bytes) -> int:
    """Bytes taken by the first (non-HEAD) response in data."""
    state = {"done": False}
    count = 0

    class P:
        def on_message_complete(self):
            state["done"] = True

    parser = httptools.HttpResponseParser(P())
    for i in range(0, len(data), 1):
        parser.feed_data(data[i:i + 1])
        count += 1
        if state["done"]:
            return count
    return len(data)
