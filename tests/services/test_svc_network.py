"""NetworkService over real sockets on 127.0.0.1: policy, resolution, streaming, TLS."""
import asyncio
import gzip
import json
import socket
import ssl

import pytest
import trustme

from workerd_py.plan import model as P
from workerd_py.server.http import Body
from workerd_py.server.services.network import NetworkError, NetworkService, OutboundRefused

from svc_helpers import Origin, echo_app, header, read_body, request, run

LOCAL = P.Network(allow=("private", "local"))


def service(plan=LOCAL, logs=None):
    app = None
    if logs is not None:
        class _App:
            def log(self, level, msg):
                logs.append((level, msg))
        app = _App()
    return NetworkService.from_plan("net", plan, app)


def fake_lookup(table, calls=None):
    """A getaddrinfo answering from `table` {name: [ip, ...]}."""
    async def lookup(host, port, *, family=0, type=0, proto=0, flags=0):
        if calls is not None:
            calls.append(host)
        out = []
        for ip in table[host]:
            fam = socket.AF_INET6 if ":" in ip else socket.AF_INET
            sa = (ip, port, 0, 0) if fam == socket.AF_INET6 else (ip, port)
            out.append((fam, socket.SOCK_STREAM, 6, "", sa))
        return out
    return lookup


# ------------------------------------------------------------------ the default policy refuses

@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.53", "10.0.0.1", "169.254.169.254", "[::1]",
                                  "[::ffff:127.0.0.1]", "0.0.0.0", "192.168.1.1", "[fe80::1]"])
def test_default_internet_refuses_literal(host):
    logs = []
    svc = service(P.Network(), logs)

    async def go():
        with pytest.raises(OutboundRefused) as ei:
            await svc.handle(request("GET", f"http://{host}:8080/x"))
        return str(ei.value)
    msg = run(go())
    assert "is not allowed by this service's network policy" in msg
    assert 'allow = ["public"]' in msg
    assert ":8080" in msg
    assert logs and logs[0][0] == "warning" and "not allowed" in logs[0][1]


def test_refusal_message_shape():
    svc = service(P.Network())

    async def go():
        with pytest.raises(OutboundRefused) as ei:
            await svc.handle(request("GET", "http://127.0.0.1:8080/"))
        return str(ei.value)
    assert run(go()).startswith("connecting to 127.0.0.1:8080 is not allowed by this service's network policy")


def test_default_refuses_localhost_name():
    """A host name that resolves to loopback is refused after resolution (real resolver)."""
    async def go():
        async with Origin(echo_app()) as origin:
            svc = service(P.Network())
            with pytest.raises(OutboundRefused) as ei:
                await svc.handle(request("GET", f"http://localhost:{origin.port}/"))
            await svc.close()
            return str(ei.value), origin.port
    msg, port = run(go())
    assert msg.startswith(f"connecting to localhost:{port} (")
    assert "127.0.0.1" in msg or "::1" in msg


@pytest.mark.parametrize("ips", [["127.0.0.1"], ["10.1.2.3"], ["169.254.169.254"], ["::1"],
                                 ["192.168.0.10", "10.0.0.1"]])
def test_default_refuses_names_resolving_to_private(ips):
    calls = []
    svc = service(P.Network())
    svc.getaddrinfo = fake_lookup({"evil.example": ips}, calls)

    async def go():
        with pytest.raises(OutboundRefused) as ei:
            await svc.handle(request("GET", "http://evil.example/"))
        await svc.close()
        return str(ei.value)
    msg = run(go())
    assert "evil.example:80" in msg and ips[0] in msg
    assert calls == ["evil.example"]


def test_bad_scheme_and_missing_host():
    svc = service(P.Network())

    async def go():
        with pytest.raises(NetworkError, match="only http: and https:"):
            await svc.handle(request("GET", "ftp://example.com/"))
        with pytest.raises(NetworkError):
            await svc.handle(request("GET", "http:///nohost"))
    run(go())


# ------------------------------------------------------------------ an allow list opens what it names

def test_private_local_reaches_loopback():
    async def go():
        async with Origin(echo_app()) as origin:
            svc = service()
            res = await svc.handle(request("POST", f"http://127.0.0.1:{origin.port}/a/b?c=d",
                                           [("x-test", "1"), ("host", "ignored.example")], b"hello"))
            data = json.loads(await read_body(res))
            await svc.close()
            return res, data, origin.port
    res, data, port = run(go())
    assert res.status == 200
    assert data["method"] == "POST" and data["path"] == "/a/b?c=d" and data["body"] == "hello"
    assert data["host"] == f"127.0.0.1:{port}"
    names = [k.lower() for k, _ in data["headers"]]
    assert "x-test" in names
    assert "user-agent" not in names and "accept-encoding" not in names


def test_localhost_name_allowed_by_local():
    async def go():
        async with Origin(echo_app()) as origin:
            svc = service(P.Network(allow=("local",)))
            res = await svc.handle(request("GET", f"http://localhost:{origin.port}/hi"))
            data = json.loads(await read_body(res))
            await svc.close()
            return data, origin.port
    data, port = run(go())
    assert data["path"] == "/hi" and data["host"] == f"localhost:{port}"


def test_exact_cidr_allow_and_specific_deny():
    async def go():
        async with Origin(echo_app()) as origin:
            ok = service(P.Network(allow=("127.0.0.1/32",)))
            res = await ok.handle(request("GET", f"http://127.0.0.1:{origin.port}/"))
            assert res.status == 200
            await read_body(res)
            await ok.close()
            denied = service(P.Network(allow=("local",), deny=("127.0.0.1/32",)))
            with pytest.raises(OutboundRefused, match=r'deny = \["127.0.0.1/32"\]'):
                await denied.handle(request("GET", f"http://127.0.0.1:{origin.port}/"))
            # the deny names exactly 127.0.0.1: another loopback address is still open
            other = service(P.Network(allow=("local",), deny=("127.0.0.2/32",)))
            res = await other.handle(request("GET", f"http://127.0.0.1:{origin.port}/"))
            assert res.status == 200
            await read_body(res)
            await other.close()
    run(go())


def test_connects_only_to_checked_addresses():
    """Mixed answers: refused addresses are dropped; one lookup per connection (no rebinding)."""
    calls = []

    async def go():
        async with Origin(echo_app()) as origin:
            svc = service(P.Network(allow=("local",), deny=("127.0.0.2/32",)))
            svc.getaddrinfo = fake_lookup({"mixed.test": ["127.0.0.2", "127.0.0.1"]}, calls)
            res = await svc.handle(request("GET", f"http://mixed.test:{origin.port}/"))
            data = json.loads(await read_body(res))
            await svc.close()
            return data, origin.port
    data, port = run(go())
    assert data["host"] == f"mixed.test:{port}"
    assert data["peer"] == "127.0.0.1"
    assert calls == ["mixed.test"]


def test_rebinding_answer_after_check_is_not_used():
    """The resolver answers allowed first and refused later: the request uses the first answer,
    and a new connection after the cache expires is checked again."""
    answers = [["127.0.0.1"], ["127.0.0.2"]]
    calls = []

    async def lookup(host, port, **kw):
        calls.append(host)
        ip = answers[min(len(calls) - 1, 1)][0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    async def go():
        async with Origin(echo_app()) as origin:
            svc = service(P.Network(allow=("127.0.0.1/32",)))
            svc.getaddrinfo = lookup
            res = await svc.handle(request("GET", f"http://rebind.test:{origin.port}/"))
            assert res.status == 200
            await read_body(res)
            # a fresh session (no pooled connection, no DNS cache): looked up and checked again
            await svc.close()
            with pytest.raises(OutboundRefused, match="127.0.0.2"):
                await svc.handle(request("GET", f"http://rebind.test:{origin.port}/"))
            await svc.close()
    run(go())
    assert calls == ["rebind.test", "rebind.test"]


# ------------------------------------------------------------------ the client's behaviour

def test_no_redirects_no_decompression_multi_headers():
    async def go():
        async with Origin(echo_app()) as origin:
            svc = service()
            base = f"http://127.0.0.1:{origin.port}"
            r1 = await svc.handle(request("GET", base + "/redirect"))
            b1 = await read_body(r1)
            r2 = await svc.handle(request("GET", base + "/gzip", [("accept-encoding", "gzip")]))
            b2 = await read_body(r2)
            r3 = await svc.handle(request("GET", base + "/cookies"))
            await read_body(r3)
            r4 = await svc.handle(request("GET", base + "/204"))
            await svc.close()
            return r1, b1, r2, b2, r3, r4
    r1, b1, r2, b2, r3, r4 = run(go())
    assert r1.status == 302 and header(r1, "location") == "/elsewhere" and b1 == b"moved"
    assert header(r2, "content-encoding") == "gzip"
    assert gzip.decompress(b2) == b"hello gzip " * 100
    assert header(r2, "content-length") == str(len(b2))
    assert [v for k, v in r3.headers if k == "set-cookie"] == ["a=1", "b=2"]
    assert r4.status == 204 and r4.body is None


def test_streams_request_and_response_bodies():
    async def gen():
        for i in range(8):
            yield bytes([97 + i]) * 100_000
            await asyncio.sleep(0)

    async def go():
        async with Origin(echo_app()) as origin:
            svc = service()
            base = f"http://127.0.0.1:{origin.port}"
            res = await svc.handle(request("PUT", base + "/up", body=Body.from_iter(gen())))
            up = json.loads(await read_body(res))
            res2 = await svc.handle(request("PUT", base + "/up2", body=Body.from_iter(gen(), 800_000)))
            up2 = json.loads(await read_body(res2))
            res3 = await svc.handle(request("GET", base + "/stream"))
            assert not isinstance(res3.body, (bytes, type(None)))
            chunks = []
            async for c in res3.body:
                chunks.append(c)
            await svc.close()
            return up, up2, chunks
    up, up2, chunks = run(go())
    assert up["body_len"] == 800_000 and up["chunked"]
    assert up2["body_len"] == 800_000 and not up2["chunked"]
    data = b"".join(chunks)
    assert len(data) == 16 * 65536 and len(chunks) > 1


def test_head_keeps_length_without_body():
    async def go():
        async with Origin(echo_app()) as origin:
            svc = service()
            res = await svc.handle(request("HEAD", f"http://127.0.0.1:{origin.port}/x"))
            body = await read_body(res)
            await svc.close()
            return res, body
    res, body = run(go())
    assert res.status == 200 and body == b""
    assert header(res, "content-length") is not None


def test_connection_refused_is_a_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    async def go():
        svc = service()
        with pytest.raises(NetworkError) as ei:
            await svc.handle(request("GET", f"http://127.0.0.1:{port}/"))
        await svc.close()
        return str(ei.value)
    msg = run(go())
    assert f"fetch http://127.0.0.1:{port}/ failed" in msg and "refused" in msg


def test_connection_pooling_reuses_connections():
    conns = []

    async def go():
        app = echo_app()
        async with Origin(app) as origin:
            server = origin.runner.server
            svc = service()
            for _ in range(5):
                res = await svc.handle(request("GET", f"http://127.0.0.1:{origin.port}/"))
                await read_body(res)
            conns.append(len(server.connections))
            await svc.close()
    run(go())
    assert conns == [1]


# ------------------------------------------------------------------ TLS

@pytest.fixture(scope="module")
def tls_origin_ctx():
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    return ca, ctx


def test_https_with_trusted_certificate(tls_origin_ctx):
    ca, ctx = tls_origin_ctx
    tls = P.TlsOptions(trusted_certificates=(ca.cert_pem.bytes().decode(),))

    async def go():
        async with Origin(echo_app(), ssl=ctx) as origin:
            svc = service(P.Network(allow=("local",), tls=tls))
            res = await svc.handle(request("GET", f"https://localhost:{origin.port}/secure"))
            data = json.loads(await read_body(res))
            await svc.close()
            untrusted = service(P.Network(allow=("local",)))
            with pytest.raises(NetworkError, match="certificate"):
                await untrusted.handle(request("GET", f"https://localhost:{origin.port}/secure"))
            await untrusted.close()
            return data
    assert run(go())["path"] == "/secure"
