"""Request and response bodies: 100-continue, flow control both ways, Body helpers."""

from __future__ import annotations

import asyncio
import hashlib
import os

from http_helpers import Fn, HttpResponse, exchange, parse_responses, run, serving, text_response
from workerd_py.server.http import Body, BodyError, BytesBody, IterBody
from workerd_py.server.http.body import HIGH_WATER


def test_100_continue_is_sent_when_the_handler_first_reads():
    async def main():
        async def handle(req):
            data = await req.body.read_all()
            return text_response("got " + data.decode())

        async with serving(Fn(handle)) as srv:
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
            writer.write(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                         b"Expect: 100-continue\r\n\r\n")
            await writer.drain()
            first = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            assert first == b"HTTP/1.1 100 Continue\r\n\r\n"
            writer.write(b"hello")
            await writer.drain()
            rest = await asyncio.wait_for(reader.readuntil(b"got hello"), 5)
            assert rest.startswith(b"HTTP/1.1 200 OK\r\n")
            writer.close()
    run(main())


def test_100_continue_not_sent_when_the_handler_answers_without_reading():
    async def main():
        async with serving(Fn(lambda req: text_response("not read"))) as srv:
            out = await exchange(srv.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                                 b"Expect: 100-continue\r\n\r\n", timeout=5)
        # as workerd: the final answer straight away, Connection: close, then the close
        assert not out.startswith(b"HTTP/1.1 100")
        (r,) = parse_responses(out)
        assert r.body == b"not read" and r.header("connection") == "close"
    run(main())


def test_streaming_50mb_upload_with_bounded_buffering():
    total = 50 * 1024 * 1024

    async def main():
        seen = {}

        async def handle(req):
            body = req.body
            h = hashlib.sha256()
            n = 0
            while True:
                chunk = await body.read(65536)
                if not chunk:
                    break
                h.update(chunk)
                n += len(chunk)
                if n % (4 * 1024 * 1024) < 65536:
                    await asyncio.sleep(0.001)        # a slowish consumer
            seen["max_buffered"] = body.max_buffered
            seen["n"] = n
            return text_response(h.hexdigest())

        block = os.urandom(1024 * 1024)
        expected = hashlib.sha256(block * 50).hexdigest()
        async with serving(Fn(handle)) as srv:
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
            writer.write(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % total)
            for _ in range(50):
                writer.write(block)
                await writer.drain()
            data = await asyncio.wait_for(reader.readuntil(expected.encode()), 30)
            writer.close()
        assert data.startswith(b"HTTP/1.1 200 OK")
        assert seen["n"] == total
        # never more than the high-water mark plus one socket read is held
        assert seen["max_buffered"] < 1024 * 1024, seen
    run(main(), timeout=60)


def test_unread_upload_is_not_buffered_beyond_the_limit():
    async def main():
        release = asyncio.Event()
        bodies = []

        async def handle(req):
            bodies.append(req.body)
            await release.wait()            # never reads while the client sends
            await req.body.read_all()
            return text_response("done")

        async with serving(Fn(handle)) as srv:
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
            writer.write(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                         % (20 * 1024 * 1024))
            sent = 0
            block = b"z" * 65536
            # the server stops reading: the client's writes stall well before 20 MB
            for _ in range(320):
                writer.write(block)
                try:
                    await asyncio.wait_for(writer.drain(), 0.3)
                except asyncio.TimeoutError:
                    break
                sent += len(block)
            assert sent < 20 * 1024 * 1024
            assert bodies[0].max_buffered < 1024 * 1024
            release.set()
            while sent < 20 * 1024 * 1024:
                writer.write(block)
                await writer.drain()
                sent += len(block)
            data = await asyncio.wait_for(reader.readuntil(b"done"), 20)
            assert data.startswith(b"HTTP/1.1 200")
            writer.close()
    run(main(), timeout=60)


def test_streamed_response_respects_backpressure():
    async def main():
        produced = []

        async def gen():
            block = b"y" * 65536
            for i in range(320):                # 20 MB
                produced.append(i)
                yield block

        async with serving(Fn(lambda req: HttpResponse(200, [], gen()))) as srv:
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.port, limit=65536)
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            await writer.drain()
            await reader.readuntil(b"\r\n\r\n")
            await asyncio.sleep(0.5)            # the client does not read
            # the producer stalls: transport buffer (64 KiB) + kernel socket buffers only
            assert len(produced) < 200, len(produced)
            got = 0
            while True:
                chunk = await asyncio.wait_for(reader.read(1 << 20), 10)
                if not chunk:
                    break
                got += len(chunk)
                if chunk.endswith(b"0\r\n\r\n"):
                    break
            assert len(produced) == 320
            assert got > 20 * 1024 * 1024
            writer.close()
    run(main(), timeout=60)


def test_echo_streams_request_body_into_response():
    payload = os.urandom(3 * 1024 * 1024 + 17)

    async def main():
        # the request Body is an async iterable: hand it straight back
        async with serving(Fn(lambda req: HttpResponse(200, [], req.body))) as srv:
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
            writer.write(b"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(payload))

            async def send():
                for i in range(0, len(payload), 100_000):
                    writer.write(payload[i:i + 100_000])
                    await writer.drain()

            async def receive():
                data = b""
                while b"\r\n0\r\n\r\n" not in data[-16:]:
                    chunk = await reader.read(1 << 20)
                    assert chunk
                    data += chunk
                return data

            _, data = await asyncio.gather(send(), receive())
            writer.close()
        (r,) = parse_responses(data)
        assert r.header("transfer-encoding") == "chunked" and r.body == payload
    run(main(), timeout=60)


def test_body_helpers():
    async def main():
        b = Body.from_bytes(b"hello world")
        assert b.length == 11
        assert await b.read(5) == b"hello"
        assert await b.read() == b" world"
        assert await b.read() == b""

        async def gen():
            yield b"ab"
            yield b""
            yield b"cdef"

        it = Body.from_iter(gen())
        assert isinstance(it, IterBody) and it.length is None
        assert await it.read(3) == b"ab"
        assert await it.read(3) == b"cde"
        assert await it.read_all() == b"f"

        b = BytesBody(b"x" * 100)
        try:
            await b.read_all(limit=50)
        except BodyError:
            pass
        else:
            raise AssertionError("limit not enforced")

        async def failing():
            yield b"a"
            raise OSError("gone")

        chunks = []
        try:
            async for chunk in Body.from_iter(failing()):
                chunks.append(chunk)
        except BodyError as exc:
            assert "gone" in str(exc)
        assert chunks == [b"a"]
    run(main())


def test_socket_body_read_max_and_length():
    async def main():
        results = {}

        async def handle(req):
            results["length"] = req.body.length
            parts = []
            while True:
                chunk = await req.body.read(7)
                if not chunk:
                    break
                assert len(chunk) <= 7
                parts.append(chunk)
            results["body"] = b"".join(parts)
            return text_response("ok")

        async with serving(Fn(handle)) as srv:
            payload = bytes(range(256)) * 40
            out = await exchange(srv.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
                                 b"\r\n%s" % (len(payload), payload), expect=1, until_eof=False)
        assert parse_responses(out)[0].status == 200
        assert results == {"length": len(payload), "body": payload}
    run(main())


def test_high_water_mark_is_64k():
    assert HIGH_WATER == 64 * 1024


def test_pipelined_upload_waits_behind_a_slow_request_with_bounded_buffering():
    payload = os.urandom(2 * 1024 * 1024)

    async def main():
        bodies = []

        async def handle(req):
            if req.body is None:
                await asyncio.sleep(0.3)
                return text_response("slow")
            bodies.append(req.body)
            data = await req.body.read_all()
            return text_response(hashlib.sha256(data).hexdigest())

        async with serving(Fn(handle)) as srv:
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
            writer.write(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                         b"POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                         % len(payload))
            for i in range(0, len(payload), 65536):
                writer.write(payload[i:i + 65536])
                await writer.drain()
            digest = hashlib.sha256(payload).hexdigest().encode()
            data = await asyncio.wait_for(reader.readuntil(digest), 20)
            writer.close()
        rs = parse_responses(data)
        assert [r.body for r in rs] == [b"slow", digest]
        assert bodies[0].max_buffered < 1024 * 1024
    run(main(), timeout=60)
