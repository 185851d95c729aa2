"""https sockets with trustme certificates and real TLS clients."""

from __future__ import annotations

import asyncio
import glob
import os
import ssl
import tempfile

import aiohttp
import pytest
import trustme

from http_helpers import Fn, run, serving, text_response
from workerd_py.server.http.tls import TlsOptions, make_ssl_context


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture(scope="module")
def server_cert(ca):
    return ca.issue_cert("127.0.0.1", "localhost")


def tls_options(server_cert, **kw) -> TlsOptions:
    chain = "".join(blob.bytes().decode() for blob in server_cert.cert_chain_pems)
    return TlsOptions(certificate_chain=chain,
                      private_key=server_cert.private_key_pem.bytes().decode(), **kw)


def client_context(ca, cert=None, **kw) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    if cert is not None:
        cert.configure_cert(ctx)
    for k, v in kw.items():
        setattr(ctx, k, v)
    return ctx


URL_SERVICE = Fn(lambda req: text_response(req.url))


def test_https_with_aiohttp(ca, server_cert):
    async def main():
        async with serving(URL_SERVICE, tls=tls_options(server_cert)) as srv:
            async with aiohttp.ClientSession() as session:
                url = f"https://127.0.0.1:{srv.port}/secure?x=1"
                async with session.get(url, ssl=client_context(ca)) as resp:
                    assert resp.status == 200
                    assert await resp.text() == url      # the scheme is https
                async with session.post(url, data=b"x" * 200_000,
                                        ssl=client_context(ca)) as resp:
                    assert resp.status == 200
    run(main())


def test_https_raw_ssl_client_keep_alive_and_untrusted_client_fails(ca, server_cert):
    async def main():
        async with serving(URL_SERVICE, tls=tls_options(server_cert)) as srv:
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.port,
                                                           ssl=client_context(ca))
            assert writer.get_extra_info("ssl_object").selected_alpn_protocol() in (None,
                                                                                     "http/1.1")
            for _ in range(3):
                writer.write(b"GET /k HTTP/1.1\r\nHost: localhost\r\n\r\n")
                await writer.drain()
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
                assert head.startswith(b"HTTP/1.1 200 OK\r\nContent-Length: 19\r\n")
                assert await reader.readexactly(19) == b"https://localhost/k"
            writer.close()
            # a client that does not trust our CA refuses the handshake
            with pytest.raises(ssl.SSLError):
                await asyncio.open_connection("127.0.0.1", srv.port,
                                              ssl=ssl.create_default_context())
    run(main())


def test_client_certificates_required(ca, server_cert):
    async def main():
        client_ca = trustme.CA()
        good = client_ca.issue_cert("client@example.com")
        other = trustme.CA().issue_cert("intruder@example.com")
        opts = tls_options(server_cert, require_client_certs=True,
                           trusted_certificates=[client_ca.cert_pem.bytes().decode()])
        async with serving(URL_SERVICE, tls=opts) as srv:
            async def get(cert):
                async with aiohttp.ClientSession() as session:
                    async with session.get(f"https://127.0.0.1:{srv.port}/",
                                           ssl=client_context(ca, cert)) as resp:
                        return resp.status

            assert await get(good) == 200
            for cert in (None, other):
                with pytest.raises((aiohttp.ClientError, ssl.SSLError, ConnectionError)):
                    await get(cert)
    run(main())


def test_min_version_and_cipher_list(ca, server_cert):
    async def main():
        opts = tls_options(server_cert, min_version="tls1Dot3")
        async with serving(URL_SERVICE, tls=opts) as srv:
            old = client_context(ca, maximum_version=ssl.TLSVersion.TLSv1_2)
            with pytest.raises((ssl.SSLError, ConnectionError)):
                await asyncio.open_connection("127.0.0.1", srv.port, ssl=old)
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.port,
                                                           ssl=client_context(ca))
            assert writer.get_extra_info("ssl_object").version() == "TLSv1.3"
            writer.close()
        opts = tls_options(server_cert, min_version="tls1Dot2",
                           cipher_list="ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256")
        async with serving(URL_SERVICE, tls=opts) as srv:
            ctx = client_context(ca, maximum_version=ssl.TLSVersion.TLSv1_2)
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.port, ssl=ctx)
            assert "AES128-GCM" in writer.get_extra_info("ssl_object").cipher()[0]
            writer.close()
    run(main())


def test_bad_tls_options_are_clear_errors(server_cert):
    with pytest.raises(ValueError, match="minVersion"):
        make_ssl_context(tls_options(server_cert, min_version="tls9"))
    with pytest.raises(ValueError, match="cipherList"):
        make_ssl_context(tls_options(server_cert, cipher_list="NOT-A-CIPHER"))
    with pytest.raises(ValueError, match="keypair"):
        make_ssl_context(TlsOptions(certificate_chain="junk", private_key="junk"))
    with pytest.raises(ValueError, match="keypair"):
        make_ssl_context(TlsOptions(certificate_chain="", private_key=""))


def test_keypair_temp_file_is_deleted(server_cert):
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "workerd-py-tls-*")))
    make_ssl_context(tls_options(server_cert))
    after = set(glob.glob(os.path.join(tempfile.gettempdir(), "workerd-py-tls-*")))
    assert after == before


def test_https_upload_flow_control(ca, server_cert):
    import hashlib
    from http_helpers import HttpResponse

    payload = os.urandom(8 * 1024 * 1024)

    async def main():
        seen = {}

        async def handle(req):
            h = hashlib.sha256()
            while True:
                chunk = await req.body.read(16384)
                if not chunk:
                    break
                h.update(chunk)
                await asyncio.sleep(0)
            seen["max"] = req.body.max_buffered
            return HttpResponse(200, [], h.hexdigest().encode())

        async with serving(Fn(handle), tls=tls_options(server_cert)) as srv:
            async with aiohttp.ClientSession() as session:
                async with session.post(f"https://127.0.0.1:{srv.port}/", data=payload,
                                        ssl=client_context(ca)) as resp:
                    assert (await resp.read()).decode() == hashlib.sha256(payload).hexdigest()
        assert seen["max"] < 1024 * 1024, seen
    run(main(), timeout=60)
