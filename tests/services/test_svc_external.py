"""ExternalService: a fixed address over http, https (trustme), unix sockets; host and proxy styles."""
import asyncio
import json
import os
import socket
import ssl
import tempfile

import pytest
import trustme

from workerd_py.plan import model as P
from workerd_py.server.http import Body
from workerd_py.server.services.external import ExternalService, parse_address, split_url
from workerd_py.server.services.network import NetworkError

from svc_helpers import Origin, echo_app, header, read_body, request, run


def ext(address, protocol="http", style="host", tls=None, certificate_host=None, inject_req=(), inject_res=()):
    http = P.HttpOptions(style=style,
                         inject_request_headers=tuple(P.Header(n, v) for n, v in inject_req),
                         inject_response_headers=tuple(P.Header(n, v) for n, v in inject_res))
    body = P.External(address=address, protocol=protocol, http=http, tls=tls, certificate_host=certificate_host)
    return ExternalService.from_plan("backend", body, None)


def test_parse_address():
    assert parse_address("example.com:8080", 80) == ("tcp", "example.com", 8080)
    assert parse_address("example.com", 443) == ("tcp", "example.com", 443)
    assert parse_address("[::1]:81", 80) == ("tcp", "::1", 81)
    assert parse_address("[::1]", 80) == ("tcp", "::1", 80)
    assert parse_address("unix:/run/x.sock", 80) == ("unix", "/run/x.sock")
    assert parse_address("unix-abstract:name", 80) == ("unix", "\0name")
    for bad in ("host:99999", "host:x", ":80", "[::1", "unix:"):
        with pytest.raises(ValueError):
            parse_address(bad, 80)


def test_split_url():
    assert split_url("http://a.example:81/p/q?x=1#frag") == ("http", "a.example:81", "/p/q?x=1")
    assert split_url("https://u:p@h/?") == ("https", "h", "/?")
    assert split_url("http://h") == ("http", "h", "/")
    assert split_url("http://h?q") == ("http", "h", "/?q")


def test_host_style_keeps_path_query_and_host():
    async def go():
        async with Origin(echo_app()) as origin:
            svc = ext(f"127.0.0.1:{origin.port}")
            res = await svc.handle(request("POST", "https://api.example.com/v1/items%20x?a=1&b=%2F",
                                           [("x-one", "1"), ("host", "stale.example")], b"payload"))
            data = json.loads(await read_body(res))
            await svc.close()
            return res, data
    res, data = run(go())
    assert res.status == 200
    assert data["raw_path"] == "/v1/items%20x?a=1&b=%2F"
    assert data["host"] == "api.example.com"
    assert data["body"] == "payload" and data["method"] == "POST"
    assert [v for k, v in data["headers"] if k.lower() == "host"] == ["api.example.com"]
    assert any(k.lower() == "x-one" for k, v in data["headers"])


def test_host_header_keeps_port():
    async def go():
        async with Origin(echo_app()) as origin:
            svc = ext(f"127.0.0.1:{origin.port}")
            res = await svc.handle(request("GET", "http://site.example:8443/x"))
            data = json.loads(await read_body(res))
            await svc.close()
            return data
    assert run(go())["host"] == "site.example:8443"


def test_private_addresses_are_fine_for_external():
    """External services are not subject to a network policy (the operator named the address)."""
    async def go():
        async with Origin(echo_app()) as origin:
            svc = ext(f"localhost:{origin.port}")
            res = await svc.handle(request("GET", "http://whatever/"))
            await read_body(res)
            await svc.close()
            return res.status
    assert run(go()) == 200


def test_proxy_style_sends_absolute_uri():
    async def go():
        async with Origin(echo_app()) as origin:
            svc = ext(f"127.0.0.1:{origin.port}", style="proxy")
            res = await svc.handle(request("GET", "http://upstream.example/path?q=1", [("x-a", "b")]))
            data = json.loads(await read_body(res))
            await svc.close()
            return data
    data = run(go())
    assert data["raw_path"] == "http://upstream.example/path?q=1"
    assert data["host"] == "upstream.example"


def test_proxy_style_https_url_is_a_clear_error():
    async def go():
        svc = ext("127.0.0.1:1", style="proxy")
        with pytest.raises(NetworkError, match="style = proxy"):
            await svc.handle(request("GET", "https://upstream.example/"))
    run(go())


def test_streaming_and_inject_headers():
    async def gen():
        for i in range(5):
            yield b"x" * 50_000
            await asyncio.sleep(0)

    async def go():
        async with Origin(echo_app()) as origin:
            svc = ext(f"127.0.0.1:{origin.port}", inject_req=[("x-injected", "yes"), ("x-drop", None)],
                      inject_res=[("x-from-proxy", "1"), ("content-type", None)])
            res = await svc.handle(request("PUT", "http://h/up", [("x-drop", "gone")], Body.from_iter(gen())))
            data = json.loads(await read_body(res))
            res2 = await svc.handle(request("GET", "http://h/stream"))
            chunks = [c async for c in res2.body]
            await svc.close()
            return res, data, chunks
    res, data, chunks = run(go())
    names = {k.lower(): v for k, v in data["headers"]}
    assert names.get("x-injected") == "yes" and "x-drop" not in names
    assert data["body_len"] == 250_000
    assert header(res, "x-from-proxy") == "1" and header(res, "content-type") is None
    assert len(b"".join(chunks)) == 16 * 65536 and len(chunks) > 1


def test_unix_socket_address():
    d = tempfile.mkdtemp(prefix="wpy-ext-")
    path = os.path.join(d, "s.sock")

    async def go():
        async with Origin(echo_app(), path=path):
            svc = ext(f"unix:{path}")
            res = await svc.handle(request("GET", "http://unix.example/over/unix?x=1"))
            data = json.loads(await read_body(res))
            await svc.close()
            return data
    data = run(go())
    assert data["raw_path"] == "/over/unix?x=1" and data["host"] == "unix.example"


def test_connection_refused_message():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    async def go():
        svc = ext(f"127.0.0.1:{port}")
        with pytest.raises(NetworkError) as ei:
            await svc.handle(request("GET", "http://h/"))
        await svc.close()
        return str(ei.value)
    msg = run(go())
    assert "backend" in msg and f"127.0.0.1:{port}" in msg and "refused" in msg


def test_missing_address_and_tcp():
    svc = ExternalService.from_plan("backend", P.External(address=None), None)
    assert "--external-addr" in svc.config_error

    async def go():
        with pytest.raises(NetworkError, match="--external-addr"):
            await svc.handle(request("GET", "http://h/"))
        tcp = ExternalService.from_plan("t", P.External(address="127.0.0.1:1", protocol="tcp", http=None), None)
        with pytest.raises(NetworkError, match="TCP"):
            await tcp.handle(request("GET", "http://h/"))
    run(go())


# ------------------------------------------------------------------ https

@pytest.fixture(scope="module")
def pki():
    ca = trustme.CA()
    cert = ca.issue_cert("backend.internal", "127.0.0.1")
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    return ca, ctx


def test_https_with_certificate_host(pki):
    ca, ctx = pki
    tls = P.TlsOptions(trusted_certificates=(ca.cert_pem.bytes().decode(),))

    async def go():
        async with Origin(echo_app(), ssl=ctx) as origin:
            # the address is an IP; the certificate names backend.internal
            svc = ext(f"127.0.0.1:{origin.port}", "https", tls=tls, certificate_host="backend.internal")
            res = await svc.handle(request("GET", "https://public.example/secure?x=1"))
            data = json.loads(await read_body(res))
            await svc.close()
            # without certificateHost the IP itself is checked (the cert has it as a SAN)
            svc2 = ext(f"127.0.0.1:{origin.port}", "https", tls=tls)
            res2 = await svc2.handle(request("GET", "https://public.example/"))
            await read_body(res2)
            await svc2.close()
            # a wrong certificateHost fails verification
            svc3 = ext(f"127.0.0.1:{origin.port}", "https", tls=tls, certificate_host="other.internal")
            with pytest.raises(NetworkError, match="certificate"):
                await svc3.handle(request("GET", "https://public.example/"))
            await svc3.close()
            # an untrusted CA fails
            svc4 = ext(f"127.0.0.1:{origin.port}", "https", certificate_host="backend.internal")
            with pytest.raises(NetworkError, match="certificate"):
                await svc4.handle(request("GET", "https://public.example/"))
            await svc4.close()
            return data, res2.status
    data, status2 = run(go())
    assert data["raw_path"] == "/secure?x=1" and data["host"] == "public.example"
    assert status2 == 200


def test_https_client_certificate(pki):
    ca, _ = pki
    server_cert = ca.issue_cert("127.0.0.1")
    client_cert = ca.issue_cert("client.example")
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_cert.configure_cert(ctx)
    ca.configure_trust(ctx)
    ctx.verify_mode = ssl.CERT_REQUIRED
    kp = P.Keypair(private_key=client_cert.private_key_pem.bytes().decode(),
                   certificate_chain="".join(b.bytes().decode() for b in client_cert.cert_chain_pems))
    tls = P.TlsOptions(keypair=kp, trusted_certificates=(ca.cert_pem.bytes().decode(),))

    async def go():
        async with Origin(echo_app(), ssl=ctx) as origin:
            svc = ext(f"127.0.0.1:{origin.port}", "https", tls=tls)
            res = await svc.handle(request("GET", "https://x/"))
            await read_body(res)
            await svc.close()
            return res.status
    assert run(go()) == 200


def test_inject_without_value_removes():
    """The plan may carry "" for a header given without a value: it removes, as in workerd."""
    async def go():
        async with Origin(echo_app()) as origin:
            svc = ext(f"127.0.0.1:{origin.port}", inject_req=[("user-agent", ""), ("x-set", "v")],
                      inject_res=[("content-type", "")])
            res = await svc.handle(request("GET", "http://h/", [("user-agent", "curl")]))
            data = json.loads(await read_body(res))
            await svc.close()
            return res, data
    res, data = run(go())
    names = {k.lower(): v for k, v in data["headers"]}
    assert "user-agent" not in names and names["x-set"] == "v"
    assert header(res, "content-type") is None
