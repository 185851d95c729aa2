"""The server side of WebSocket upgrades, in process: a Python service answers with
`HttpResponse(101, headers, endpoint)`; frames, close handshake, disconnects and pipelining."""
from __future__ import annotations

import asyncio

import aiohttp

from http_helpers import ErrorLog, run, serving

from workerd_py.server.http import HttpResponse
from workerd_py.server.http.websocket import (ABORT, BINARY, CLOSE, TEXT, WsEndpoint, accept_key,
                                              link)


class Echo(WsEndpoint):
    """A party that echoes, answers a close with the same code, and records what it heard."""

    def __init__(self):
        super().__init__()
        self.heard = []

    def deliver(self, msg):
        self.heard.append(msg)
        if msg[0] == TEXT:
            self.send((TEXT, "echo " + msg[1]))
        elif msg[0] == BINARY:
            self.send(msg)
        elif msg[0] == CLOSE:
            self.send((CLOSE, 1000 if msg[1] == 1005 else msg[1], msg[2]))


class Service:
    def __init__(self):
        self.endpoints = []

    def handle(self, request):
        if request.url.endswith("/plain"):
            return HttpResponse(200, [("content-type", "text/plain")], b"plain")
        ep = Echo()
        ep.send((TEXT, "hello first"))      # queued until the 101 is written and linked
        self.endpoints.append(ep)
        return HttpResponse(101, [("x-extra", "1")], ep)


def test_accept_key():
    assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


class Recorder(WsEndpoint):
    def __init__(self):
        super().__init__()
        self.heard = []

    def deliver(self, msg):
        self.heard.append(msg)


def test_link_flushes_queues_in_order():
    a, b = Echo(), Recorder()
    a.send((TEXT, "1"))
    a.send((TEXT, "2"))
    link(a, b)
    assert b.heard == [(TEXT, "1"), (TEXT, "2")]
    b.send((TEXT, "3"))
    assert a.heard == [(TEXT, "3")] and b.heard[-1] == (TEXT, "echo 3")


def test_echo_close_and_disconnect():
    svc = Service()

    async def main():
        async with serving(svc, error_log=ErrorLog()) as listener:
            url = f"http://127.0.0.1:{listener.port}/ws"
            async with aiohttp.ClientSession() as sess:
                async with sess.ws_connect(url) as ws:
                    assert ws._response.headers["x-extra"] == "1"
                    assert (await ws.receive()).data == "hello first"
                    await ws.send_str("a")
                    assert (await ws.receive()).data == "echo a"
                    await ws.send_bytes(b"\x00\x01")
                    assert (await ws.receive()).data == b"\x00\x01"
                    await ws.close(code=4001, message=b"bye")
                    assert ws.close_code == 4001
                assert svc.endpoints[0].heard[-1] == (CLOSE, 4001, "bye")
                # abrupt: the transport goes away without a close frame
                ws = await sess.ws_connect(url)
                assert (await ws.receive()).data == "hello first"
                ws._response.connection.transport.abort()
                for _ in range(100):
                    if svc.endpoints[1].heard and svc.endpoints[1].heard[-1] == (ABORT,):
                        break
                    await asyncio.sleep(0.01)
                assert svc.endpoints[1].heard[-1] == (ABORT,)
                await ws.close()
                # the server still serves plain requests
                async with sess.get(f"http://127.0.0.1:{listener.port}/plain") as r:
                    assert await r.text() == "plain"
                assert not listener.site.connections or all(
                    c._ws is None for c in listener.site.connections)
    run(main())


def test_refusals_and_non_websocket_request():
    svc = Service()

    async def raw(port, data):
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write(data)
        out = await asyncio.wait_for(r.read(), 5)
        w.close()
        return out

    async def main():
        log = ErrorLog()
        async with serving(svc, error_log=log) as listener:
            p = listener.port
            out = await raw(p, b"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               b"Sec-WebSocket-Version: 13\r\n\r\n")
            assert out.startswith(b"HTTP/1.1 400 Bad Request\r\n") and out.endswith(b"ERROR: Missing Sec-WebSocket-Key")
            out = await raw(p, b"GET /ws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert out.startswith(b"HTTP/1.1 500 Internal Server Error")
            assert "did not contain the header" in log.text()
            # an ordinary answer to an upgrade request: the connection goes on as HTTP
            out = await raw(p, b"GET /plain HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                               b"GET /plain HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert out.count(b"\r\n\r\nplain") == 2
        # refused sockets are let go silently
        assert svc.endpoints[0].heard == [(ABORT, True)]
    run(main())
