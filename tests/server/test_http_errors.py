"""Bad requests, limits, timeouts and failing handlers."""

from __future__ import annotations

import asyncio
import time

from http_helpers import (ErrorLog, Fn, HttpResponse, exchange, parse_responses, run, serving,
                          text_response)
from workerd_py.server.http import BodyError

HELLO = Fn(lambda req: text_response("hello"))


def test_malformed_requests_get_400_and_close_like_workerd():
    cases = {
        b"GARBAGE\r\n\r\n": b"invalid HTTP method parsed",
        b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n": b"invalid HTTP header parsed",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd":
            b"invalid content-length parsed",
        b"GET / HTTP/2.0\r\nHost: x\r\n\r\n": b"invalid HTTP version parsed",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n":
            b"invalid content-length parsed",
    }

    async def main():
        async with serving(HELLO) as srv:
            for request, reason in cases.items():
                out = await exchange(srv.port, request)       # returns at EOF: closed
                assert out == (b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
                               b"Connection: close\r\nContent-Length: %d\r\n\r\n%s"
                               % (len(reason), reason)), request
    run(main())


def test_malformed_after_good_pipelined_requests_is_answered_in_turn():
    async def main():
        async def slow(req):
            await asyncio.sleep(0.1)
            return text_response("slow")

        async with serving(Fn(lambda req: slow(req) if "slow" in req.url
                              else text_response("ok"))) as srv:
            out = await exchange(srv.port, b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                                 b"GET / HTTP/1.1\r\nHost: x\r\n\r\nNOT HTTP\r\n\r\n")
        rs = parse_responses(out)
        assert [(r.status, r.body) for r in rs] == [(200, b"slow"), (200, b"ok"),
                                                    (400, b"invalid HTTP method parsed")]
    run(main())


def test_missing_host_is_400_and_keeps_the_connection():
    async def main():
        async with serving(HELLO) as srv:
            out = await exchange(srv.port, b"GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n"
                                 b"\r\n", expect=2, until_eof=False)
        rs = parse_responses(out)
        assert [(r.status, r.body) for r in rs] == [(400, b"Bad Request"), (200, b"hello")]
        assert out.startswith(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\n\r\n")
    run(main())


def test_duplicate_or_invalid_host_is_refused():
    async def main():
        async with serving(HELLO) as srv:
            for req in (b"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
                        b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
                        b"GET / HTTP/1.1\r\nHost: evil.com/x?\r\n\r\n"):
                (r,) = parse_responses(await exchange(srv.port, req))
                assert r.status == 400, req
    run(main())


def test_oversized_head_is_431():
    async def main():
        async with serving(HELLO, limits=dict(max_head_bytes=8192)) as srv:
            ok = await exchange(srv.port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 7000
                                + b"\r\n\r\n", expect=1, until_eof=False)
            assert parse_responses(ok)[0].status == 200
            # in one send
            out = await exchange(srv.port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000
                                 + b"\r\n\r\n")
            assert out == (b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
                           b"Content-Type: text/plain\r\nConnection: close\r\n"
                           b"Content-Length: 25\r\n\r\nmessage head is too large")
            # a header that never ends, sent in pieces: refused without waiting for its end
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nX-Endless: ")
            for _ in range(20):
                writer.write(b"b" * 1000)
                await writer.drain()
                await asyncio.sleep(0.01)
            data = await asyncio.wait_for(reader.read(), 5)
            writer.close()
            assert data.startswith(b"HTTP/1.1 431 ")
    run(main())


def test_too_many_headers_is_431():
    async def main():
        async with serving(HELLO, limits=dict(max_headers=50)) as srv:
            many = b"".join(b"X-H%d: v\r\n" % i for i in range(60))
            (r,) = parse_responses(await exchange(srv.port, b"GET / HTTP/1.1\r\nHost: x\r\n"
                                                  + many + b"\r\n"))
            assert r.status == 431
            few = b"".join(b"X-H%d: v\r\n" % i for i in range(40))
            out = await exchange(srv.port, b"GET / HTTP/1.1\r\nHost: x\r\n" + few + b"\r\n",
                                 expect=1, until_eof=False)
            assert parse_responses(out)[0].status == 200
    run(main())


def test_long_url_is_414():
    async def main():
        async with serving(HELLO, limits=dict(max_url_bytes=1000)) as srv:
            (r,) = parse_responses(await exchange(srv.port, b"GET /" + b"a" * 2000
                                                  + b" HTTP/1.1\r\nHost: x\r\n\r\n"))
            assert (r.status, r.body) == (414, b"URI too long")
    run(main())


def test_slow_headers_get_408_and_idle_connections_close_silently():
    async def main():
        limits = dict(header_timeout=0.3, idle_timeout=0.5)
        async with serving(HELLO, limits=limits) as srv:
            t0 = time.monotonic()
            out = await exchange(srv.port, b"GET / HTTP/1.1\r\nHost: x\r\n", timeout=5)
            took = time.monotonic() - t0
            assert out.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), out
            assert 0.25 < took < 2, took
            # nothing sent at all: closed without an answer after the idle timeout
            t0 = time.monotonic()
            out = await exchange(srv.port, b"", timeout=5)
            assert out == b"" and 0.25 < time.monotonic() - t0 < 2
            # after a response, a keep-alive connection waits idle_timeout, then closes
            t0 = time.monotonic()
            out = await exchange(srv.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", timeout=5)
            assert parse_responses(out)[0].status == 200
            assert 0.4 < time.monotonic() - t0 < 2
    run(main())


def test_slow_body_read_times_out():
    async def main():
        seen = []

        async def handle(req):
            try:
                await req.body.read_all()
            except BodyError as exc:
                seen.append(str(exc))
                raise
            return text_response("unreachable")

        log = ErrorLog()
        async with serving(Fn(handle), error_log=log, limits=dict(body_timeout=0.3)) as srv:
            out = await exchange(srv.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n"
                                 b"\r\nabc", timeout=5)
        assert seen and "no request body data" in seen[0]
        assert parse_responses(out)[0].status == 500
    run(main())


def test_handler_exceptions_are_500_logged_and_never_printed(capfd):
    async def main():
        def boom(req):
            raise RuntimeError("sync boom")

        async def aboom(req):
            await asyncio.sleep(0)
            raise ValueError("async boom")

        def handle(req):
            if req.url.endswith("/sync"):
                return boom(req)
            if req.url.endswith("/async"):
                return aboom(req)
            if req.url.endswith("/notresponse"):
                return 42
            if req.url.endswith("/badstatus"):
                return HttpResponse(99, [], b"")
            if req.url.endswith("/badheader"):
                return HttpResponse(200, [("x-a", "1\r\nInjected: yes")], b"")
            if req.url.endswith("/badname"):
                return HttpResponse(200, [("bad name", "v")], b"")
            return text_response("ok")

        log = ErrorLog()
        async with serving(Fn(handle), error_log=log) as srv:
            for path in (b"sync", b"async", b"notresponse", b"badstatus", b"badheader",
                         b"badname"):
                out = await exchange(srv.port, b"GET /%s HTTP/1.1\r\nHost: x\r\n\r\n" % path)
                # as workerd: 500, no content-type, Connection: close, then the close
                assert out == (b"HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n"
                               b"Content-Length: 21\r\n\r\nInternal Server Error"), path
            # the server is still fine
            out = await exchange(srv.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", expect=1,
                                 until_eof=False)
            assert parse_responses(out)[0].body == b"ok"
        text = log.text()
        assert "sync boom" in text and "async boom" in text and "int" in text
        assert "CR or LF" in text and "invalid response status" in text
        assert "invalid response header name" in text
    run(main())
    captured = capfd.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err


def test_failing_response_stream_cuts_the_connection():
    async def main():
        async def gen():
            yield b"partial"
            raise RuntimeError("stream broke")

        log = ErrorLog()
        async with serving(Fn(lambda req: HttpResponse(200, [], gen())), error_log=log) as srv:
            out = await exchange(srv.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert out == (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                       b"7\r\npartial\r\n")                      # no terminating chunk: EOF
        assert "stream broke" in log.text()
    run(main())


def test_malformed_chunked_body_fails_the_read_and_closes_without_answer():
    async def main():
        seen = []

        async def handle(req):
            try:
                await req.body.read_all()
            except BodyError as exc:
                seen.append(exc)
                raise
            return text_response("unreachable")

        async with serving(Fn(handle)) as srv:
            out = await exchange(srv.port, b"POST / HTTP/1.1\r\nHost: x\r\n"
                                 b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
        assert out == b""                 # as workerd: closed, no answer
        assert seen and "malformed" in str(seen[0])
    run(main())


def test_client_disconnect_cancels_the_handler_and_fails_the_body():
    async def main():
        events = []
        started = asyncio.Event()

        async def handle(req):
            started.set()
            try:
                await req.body.read_all()
            except BodyError as exc:
                events.append(("body", str(exc)))
                raise
            except asyncio.CancelledError:
                events.append(("cancelled", None))
                raise
            return text_response("unreachable")

        async with serving(Fn(handle)) as srv:
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
            writer.write(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
            await writer.drain()
            await started.wait()
            writer.transport.abort()
            for _ in range(100):
                if events:
                    break
                await asyncio.sleep(0.01)
            assert srv.connections == 0 or events
        assert events and events[0][0] in ("body", "cancelled")
    run(main())


def test_unread_body_complete_keeps_alive_incomplete_closes_like_workerd():
    async def main():
        async with serving(Fn(lambda req: text_response("not read"))) as srv:
            out = await exchange(srv.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                                 b"\r\nhelloGET / HTTP/1.1\r\nHost: x\r\n\r\n", expect=2,
                                 until_eof=False)
            rs = parse_responses(out)
            assert [r.status for r in rs] == [200, 200]
            assert rs[0].header("connection") is None
            # the client is still sending: answer with Connection: close, then close
            t0 = time.monotonic()
            out = await exchange(srv.port, b"POST / HTTP/1.1\r\nHost: x\r\n"
                                 b"Content-Length: 10000000\r\n\r\n" + b"x" * 100000, timeout=5)
            (r,) = parse_responses(out)
            assert r.body == b"not read" and r.header("connection") == "close"
            assert time.monotonic() - t0 < 4
    run(main())


def test_internal_error_response_closes_like_an_uncaught_exception():
    from workerd_py.server.http import INTERNAL_ERROR

    async def main():
        async with serving(Fn(lambda req: INTERNAL_ERROR)) as srv:
            out = await exchange(srv.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                                 b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert out == (b"HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n"
                       b"Content-Length: 21\r\n\r\nInternal Server Error")
    run(main())


def test_request_smuggling_shapes_are_refused():
    async def main():
        async with serving(HELLO) as srv:
            for req in (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                        b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5"
                        b"\r\n\r\nabcde",
                        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"
                        b"0\r\n\r\n",
                        b"GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n"):
                (r,) = parse_responses(await exchange(srv.port, req))
                assert r.status == 400 and r.header("connection") == "close", req
    run(main())


def test_upgrade_requests_are_served_as_plain_requests():
    async def main():
        async with serving(Fn(lambda req: text_response(req.url))) as srv:
            out = await exchange(srv.port, b"GET /u HTTP/1.1\r\nHost: x\r\nUpgrade: foo\r\n"
                                 b"Connection: upgrade\r\n\r\n"
                                 b"GET /next HTTP/1.1\r\nHost: x\r\n\r\n",
                                 expect=2, until_eof=False)
        assert [r.body for r in parse_responses(out)] == [b"http://x/u", b"http://x/next"]
    run(main())


def test_half_closed_client_still_gets_its_answers():
    async def main():
        async def later(req):
            await asyncio.sleep(0.05)
            return text_response("late")

        async with serving(Fn(lambda req: later(req) if "late" in req.url
                              else text_response("now"))) as srv:
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
            writer.write(b"GET /late HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
            writer.write_eof()
            data = await asyncio.wait_for(reader.read(), 5)      # then the server closes
            writer.close()
        assert [r.body for r in parse_responses(data)] == [b"late", b"now"]
    run(main())


def test_malformed_chunked_body_on_a_closing_request_still_fails_the_read():
    async def main():
        seen = []

        async def handle(req):
            try:
                await req.body.read_all()
            except BodyError as exc:
                seen.append(exc)
                raise
            return text_response("unreachable")

        async with serving(Fn(handle), limits=dict(body_timeout=30)) as srv:
            out = await exchange(srv.port, b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                 b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n", timeout=5)
        assert out == b"" and seen
    run(main())
