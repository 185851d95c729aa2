"""Helpers for the non-worker service tests: run a coroutine with a bound, local origin servers."""
from __future__ import annotations

import asyncio

from aiohttp import web

from workerd_py.server.http import Body, HttpRequest


def run(coro, timeout: float = 20.0):
    """Run `coro` on a fresh loop, failing after `timeout` seconds."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


class Origin:
    """An aiohttp test server on 127.0.0.1 (or a unix socket) for one test."""

    def __init__(self, app: web.Application, ssl=None, host="127.0.0.1", path=None):
        self.app = app
        self.ssl = ssl
        self.host = host
        self.path = path
        self.port = None
        self.runner = None
        self.connections = 0

    async def __aenter__(self):
        self.runner = web.AppRunner(self.app, access_log=None)
        await self.runner.setup()
        if self.path is not None:
            site = web.UnixSite(self.runner, self.path)
        else:
            site = web.TCPSite(self.runner, self.host, 0, ssl_context=self.ssl)
        await site.start()
        if self.path is None:
            self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc):
        await self.runner.cleanup()


def request(method: str, url: str, headers=(), body: bytes | Body | None = None) -> HttpRequest:
    if isinstance(body, (bytes, bytearray)):
        body = Body.from_bytes(bytes(body))
    return HttpRequest(method, url, list(headers), body)


async def read_body(res) -> bytes:
    b = res.body
    if b is None:
        return b""
    if isinstance(b, (bytes, bytearray, memoryview)):
        return bytes(b)
    parts = []
    async for chunk in b:
        parts.append(bytes(chunk))
    return b"".join(parts)


def header(res, name: str):
    for k, v in res.headers:
        if k.lower() == name:
            return v
    return None


def echo_app() -> web.Application:
    """An origin that reports what it received as JSON, plus a few special routes."""
    import gzip

    async def echo(req: web.Request):
        body = await req.read()
        return web.json_response({
            "method": req.method, "path": req.path_qs, "raw_path": req.raw_path,
            "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in req.raw_headers],
            "host": req.headers.get("Host"), "body_len": len(body), "body": body.decode("latin-1"),
            "chunked": req.headers.get("Transfer-Encoding") == "chunked",
            "peer": req.transport.get_extra_info("peername")[0] if req.transport.get_extra_info("peername") else "",
        })

    async def redirect(req):
        return web.Response(status=302, headers={"Location": "/elsewhere"}, text="moved")

    async def gz(req):
        data = gzip.compress(b"hello gzip " * 100)
        return web.Response(body=data, headers={"Content-Encoding": "gzip", "Content-Type": "text/plain"})

    async def stream(req):
        resp = web.StreamResponse()
        resp.enable_chunked_encoding()
        await resp.prepare(req)
        for i in range(16):
            await resp.write(bytes([65 + i]) * 65536)
            await asyncio.sleep(0.001)
        await resp.write_eof()
        return resp

    async def nocontent(req):
        return web.Response(status=204)

    async def cookies(req):
        r = web.Response(text="c")
        r.headers.add("Set-Cookie", "a=1")
        r.headers.add("Set-Cookie", "b=2")
        return r

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_get("/redirect", redirect)
    app.router.add_get("/gzip", gz)
    app.router.add_get("/stream", stream)
    app.router.add_get("/204", nocontent)
    app.router.add_get("/cookies", cookies)
    app.router.add_route("*", "/{tail:.*}", echo)
    return app
