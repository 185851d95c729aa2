"""Socket options as workerd applies them (observed with workerd 2026-11-17), and addresses."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import tempfile

import pytest

from http_helpers import (ErrorLog, Fn, HttpResponse, exchange, parse_responses, run, serving,
                          text_response)
from workerd_py.server.sockets import SocketOptions, parse_address, start_server


def echo(req):
    doc = {"url": req.url, "headers": req.headers, "cf": req.cf}
    return HttpResponse(200, [("content-type", "application/json")], json.dumps(doc).encode())


ECHO = Fn(echo)


def docs(out: bytes):
    return [json.loads(r.body) for r in parse_responses(out)]


def test_proxy_style_takes_the_absolute_url():
    async def main():
        async with serving(ECHO, style="proxy") as srv:
            out = await exchange(srv.port,
                                 b"GET http://other.com/p?q HTTP/1.1\r\nHost: x\r\n\r\n"
                                 b"GET https://other.com:8443/p HTTP/1.1\r\n\r\n"
                                 b"GET http://other.com HTTP/1.1\r\n\r\n"
                                 b"GET http://other.com?q=1#f HTTP/1.1\r\n\r\n",
                                 expect=4, until_eof=False)
            assert [d["url"] for d in docs(out)] == [
                "http://other.com/p?q", "https://other.com:8443/p", "http://other.com/",
                "http://other.com/?q=1"]
            # an origin-form target on a proxy socket is refused
            (r,) = parse_responses(await exchange(srv.port, b"GET /p HTTP/1.1\r\nHost: x\r\n\r\n"))
            assert r.status == 400 and r.header("connection") == "close"
    run(main())


def test_forwarded_proto_and_cf_blob_headers_are_used_and_removed():
    async def main():
        async with serving(ECHO, forwarded_proto_header="X-Forwarded-Proto",
                           cf_blob_header="CF-Blob") as srv:
            out = await exchange(srv.port, b"GET /p HTTP/1.1\r\nHost: x\r\n"
                                 b"X-Forwarded-Proto: https\r\n"
                                 b"cf-blob: {\"country\":\"US\",\"a\":1}\r\nX-Keep: 1\r\n\r\n"
                                 b"GET /q HTTP/1.1\r\nHost: x\r\n\r\n",
                                 expect=2, until_eof=False)
            first, second = docs(out)
            assert first == {"url": "https://x/p", "cf": {"country": "US", "a": 1},
                             "headers": [["host", "x"], ["x-keep", "1"]]}
            # no blob header: cf is null (as workerd); no proto header: the socket's scheme
            assert second == {"url": "http://x/q", "cf": None, "headers": [["host", "x"]]}
            # a blob that is not JSON: 500 and close, as workerd
            out = await exchange(srv.port, b"GET /p HTTP/1.1\r\nHost: x\r\ncf-blob: nope\r\n\r\n")
            (r,) = parse_responses(out)
            assert r.status == 500 and r.header("connection") == "close"
    run(main())


def test_cf_defaults_to_client_ip_without_a_blob_header():
    async def main():
        async with serving(ECHO) as srv:
            out = await exchange(srv.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", expect=1,
                                 until_eof=False)
        (doc,) = docs(out)
        ip, port = doc["cf"]["clientIp"].rsplit(":", 1)
        assert ip == "127.0.0.1" and port.isdigit()
    run(main())


def test_injected_request_and_response_headers():
    async def main():
        def handle(req):
            return HttpResponse(200, [("content-type", "text/plain"), ("x-from-worker", "1")],
                                json.dumps(req.headers).encode())

        async with serving(Fn(handle),
                           inject_request_headers=[("X-Injected", "yes"), ("User-Agent", None)],
                           inject_response_headers=[("X-Resp", "r"), ("Content-Type", None)]
                           ) as srv:
            out = await exchange(srv.port, b"GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: ua\r\n"
                                 b"X-Injected: orig\r\nX-Other: o\r\n\r\n", expect=1,
                                 until_eof=False)
        (r,) = parse_responses(out)
        assert json.loads(r.body) == [["host", "x"], ["x-other", "o"], ["x-injected", "yes"]]
        assert r.header("x-resp") == "r" and r.header("content-type") is None
        assert r.header("x-from-worker") == "1"
    run(main())


def test_parse_address():
    a = parse_address("*:8080")
    assert (a.kind, a.host, a.port) == ("tcp", None, 8080)       # every interface
    a = parse_address("127.0.0.1:80")
    assert (a.kind, a.host, a.port) == ("tcp", "127.0.0.1", 80)
    a = parse_address("[::1]:8443")
    assert (a.kind, a.host, a.port) == ("tcp", "::1", 8443)
    a = parse_address("localhost", default_port=443)
    assert (a.host, a.port) == ("localhost", 443)
    assert parse_address("unix:/tmp/x.sock").path == "/tmp/x.sock"
    assert parse_address("unix-abstract:name").path == "\0name"
    assert parse_address("host:http").port == 80
    for bad in ("", "host:99999", "[::1", "host:notaport", "unix:"):
        with pytest.raises(ValueError):
            parse_address(bad)


def test_unix_socket_and_inherited_fd():
    async def main():
        path = os.path.join(tempfile.mkdtemp(), "s.sock")
        async with serving(Fn(lambda req: text_response(req.url)), address=f"unix:{path}"):
            reader, writer = await asyncio.open_unix_connection(path)
            writer.write(b"GET /u HTTP/1.1\r\nHost: local\r\n\r\n")
            data = await asyncio.wait_for(reader.readuntil(b"http://local/u"), 5)
            assert data.startswith(b"HTTP/1.1 200")
            writer.close()

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        listener = await start_server(SocketOptions("fd", fd=sock.fileno()),
                                      Fn(lambda req: text_response("from fd")))
        try:
            out = await exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", expect=1,
                                 until_eof=False)
            assert parse_responses(out)[0].body == b"from fd"
        finally:
            listener.close()
            listener.site.abort_all()
            sock.close()
    run(main())


def test_listen_errors_are_clear():
    async def main():
        holder = socket.socket()
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        try:
            with pytest.raises(OSError, match="cannot listen on"):
                await start_server(SocketOptions("busy", f"127.0.0.1:{port}"), ECHO)
            with pytest.raises(ValueError, match="no address"):
                await start_server(SocketOptions("none"), ECHO)
            with pytest.raises(ValueError, match="style"):
                await start_server(SocketOptions("s", "127.0.0.1:0", style="weird"), ECHO)
        finally:
            holder.close()
    run(main())


def test_wildcard_address_listens_on_all_interfaces():
    async def main():
        log = ErrorLog()
        async with serving(Fn(lambda req: text_response("any")), address="*:0",
                           error_log=log) as srv:
            port = srv.port
            out = await exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", expect=1,
                                 until_eof=False)
            assert parse_responses(out)[0].body == b"any"
    run(main())
