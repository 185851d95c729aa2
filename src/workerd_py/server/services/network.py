"""Network service: forwards a request to the host named in its absolute URL, under an address policy.

How a request flows
-------------------
`handle(request)` checks the URL (http/https only), then:
1. If the host is an IP literal, the policy is checked right here (aiohttp connects to literals
   without asking a resolver).
2. Otherwise aiohttp asks `_PolicyResolver`, which resolves the name with `loop.getaddrinfo`,
   keeps only the addresses the policy allows and hands exactly those to the connector. The
   connection is made to a checked address, never to a second lookup (no DNS rebinding); TLS uses
   the URL's host name for SNI and certificate checks.
3. The request body streams from `request.body`; the response body streams back as an async
   iterator of bytes. No redirects are followed (the JS fetch layer does that), nothing is
   decompressed (content-encoding is passed through), no cookies are kept.

A refused destination raises `OutboundRefused` (and is logged); a failed connection raises
`NetworkError`. The worker layer turns either into a rejected fetch() with the message.

The aiohttp `ClientSession` (one per service, connection pooling) is created lazily on the running
loop and recreated if the loop changes. `HttpClient` and the TLS/header helpers here are shared
with `external.py`.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import ssl
import tempfile

import aiohttp
import aiohttp.helpers
from aiohttp.abc import AbstractResolver
from yarl import URL

from ..http import HttpResponse
from ..http.websocket import ABORT, BINARY, CLOSE, MAX_MESSAGE, TEXT, WsEndpoint
from .netpolicy import NetworkPolicy, PolicyConfigError, parse_ip

__all__ = ["NetworkService", "NetworkError", "OutboundRefused", "HttpClient", "make_ssl_context"]

log = logging.getLogger("workerd_py.server.services.network")

# Request headers that belong to one hop (RFC 9110 7.6.1) or that the client recomputes.
_DROP_REQUEST = frozenset((
    "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
    "upgrade", "content-length", "expect", "trailer",
))
_DROP_RESPONSE = frozenset((b"transfer-encoding", b"connection", b"keep-alive", b"proxy-connection"))
# aiohttp adds these when absent; workerd's fetch does not.
_SKIP_AUTO = frozenset(("User-Agent", "Accept", "Accept-Encoding", "Content-Type"))
_CHUNK = 65536


class NetworkError(Exception):
    """An outbound request failed (DNS, connection, TLS, protocol); the message says why."""


class OutboundRefused(NetworkError):
    """The destination is not allowed by the service's network policy."""


# ---------------------------------------------------------------------------------------------
# TLS
# ---------------------------------------------------------------------------------------------

_TLS_VERSIONS = {
    "ssl3": ssl.TLSVersion.MINIMUM_SUPPORTED,
    "tls1Dot0": ssl.TLSVersion.TLSv1,
    "tls1Dot1": ssl.TLSVersion.TLSv1_1,
    "tls1Dot2": ssl.TLSVersion.TLSv1_2,
    "tls1Dot3": ssl.TLSVersion.TLSv1_3,
}


def make_ssl_context(tls) -> ssl.SSLContext | None:
    """A client TLS context from plan TlsOptions, or None for the library default (system CAs).

    trustedCertificates are trusted; the system store is added when trustBrowserCas is set or when
    no certificate is given (otherwise nothing could verify). A keypair becomes the client
    certificate. minVersion and cipherList apply as in workerd."""
    if tls is None:
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    certs = tuple(getattr(tls, "trusted_certificates", ()) or ())
    if certs:
        ctx.load_verify_locations(cadata="\n".join(certs))
    if getattr(tls, "trust_browser_cas", False) or not certs:
        ctx.load_default_certs(ssl.Purpose.SERVER_AUTH)
    v = _TLS_VERSIONS.get(getattr(tls, "min_version", "goodDefault") or "goodDefault")
    if v is not None:
        try:
            ctx.minimum_version = v
        except (ValueError, ssl.SSLError):
            pass
    cipher_list = getattr(tls, "cipher_list", None)
    if cipher_list:
        ctx.set_ciphers(cipher_list)
    kp = getattr(tls, "keypair", None)
    if kp is not None:
        _load_keypair(ctx, kp.certificate_chain, kp.private_key)
    return ctx


def _load_keypair(ctx: ssl.SSLContext, chain_pem: str, key_pem: str) -> None:
    # The ssl module loads certificates only from files: write a private temp file, load, remove.
    fd, path = tempfile.mkstemp(prefix="workerd-py-keypair-", suffix=".pem")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(key_pem.rstrip("\n") + "\n" + chain_pem.rstrip("\n") + "\n")
        ctx.load_cert_chain(path)
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------
# The HTTP client (shared with external.py)
# ---------------------------------------------------------------------------------------------

def outgoing_headers(request, host: str | None = None) -> list[tuple[str, str]]:
    """The request's headers for the next hop: hop-by-hop ones dropped, Host set when given,
    Content-Length from the body's known length."""
    out = [(k, v) for k, v in request.headers if k.lower() not in _DROP_REQUEST]
    if host is not None:
        out.append(("Host", host))
    body = request.body
    if body is not None and body.length is not None:
        out.append(("Content-Length", str(body.length)))
    return out


async def _stream_body(body):
    while True:
        chunk = await body.read(_CHUNK)
        if not chunk:
            return
        yield chunk


class ResponseStream:
    """The response body as an async iterator of bytes; releases the connection at the end,
    aborts it when closed early (or collected unread)."""

    __slots__ = ("_resp", "_what", "_done")

    def __init__(self, resp: aiohttp.ClientResponse, what: str):
        self._resp = resp
        self._what = what
        self._done = False

    def __aiter__(self):
        return self

    async def __anext__(self) -> bytes:
        if self._done:
            raise StopAsyncIteration
        try:
            chunk = await self._resp.content.readany()
        except (aiohttp.ClientError, OSError) as e:
            self._finish(abort=True)
            raise NetworkError(f"{self._what}: the response body was cut off ({_reason(e)})") from None
        except BaseException:
            self._finish(abort=True)
            raise
        if not chunk:
            self._finish(abort=False)
            raise StopAsyncIteration
        return chunk

    def _finish(self, abort: bool) -> None:
        if not self._done:
            self._done = True
            if abort:
                self._resp.close()
            else:
                self._resp.release()

    async def aclose(self) -> None:
        self._finish(abort=True)

    def __del__(self):
        if not self._done:
            try:
                self._resp.close()
            except Exception:
                pass


@contextlib.contextmanager
def _client_errors(what: str):
    """aiohttp's failures -> NetworkError with `what` and the reason (a refused WebSocket handshake
    is an answer, not a failure: it passes through)."""
    try:
        yield
    except (NetworkError, aiohttp.WSServerHandshakeError):
        raise
    except aiohttp.InvalidURL as e:
        raise NetworkError(f"{what}: invalid URL ({e})") from None
    except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as e:
        raise NetworkError(f"{what} failed: {_reason(e)}") from None


def _reason(e: BaseException) -> str:
    if isinstance(e, aiohttp.ClientConnectorCertificateError):
        return f"TLS certificate verification failed: {getattr(e.certificate_error, 'verify_message', None) or e.certificate_error}"
    if isinstance(e, aiohttp.ClientConnectorSSLError):
        return f"TLS handshake failed: {e.os_error}"
    if isinstance(e, aiohttp.ClientConnectorDNSError):
        oe = e.os_error
        return f"DNS lookup failed: {getattr(oe, 'strerror', None) or oe}"
    if isinstance(e, aiohttp.ClientConnectorError):
        oe = e.os_error
        where = _hostport(str(e.host), e.port) if e.host else "the server"
        if isinstance(oe, OSError) and oe.errno:
            why = os.strerror(oe.errno)
        else:
            why = str(oe) or type(oe).__name__
        if isinstance(oe, (asyncio.TimeoutError, TimeoutError)):
            why = "timed out"
        return f"connecting to {where}: {why[:1].lower()}{why[1:]}"
    if isinstance(e, aiohttp.ServerDisconnectedError):
        return "the server closed the connection without answering"
    if isinstance(e, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
        return "timed out"
    if isinstance(e, OSError):
        return (e.strerror or str(e) or type(e).__name__).lower()
    text = str(e)
    return text or type(e).__name__


async def _close_when_cancelled(session: aiohttp.ClientSession) -> None:
    try:
        await asyncio.get_running_loop().create_future()
    except asyncio.CancelledError:
        if not session.closed:
            await session.close()
        raise


class HttpClient:
    """One aiohttp ClientSession, made lazily on the running loop (and again if the loop changes).

    `make_connector()` builds the connector; `ssl` is the TLS context for https (None = default).
    """

    def __init__(self, make_connector, ssl_context: ssl.SSLContext | None = None, request_class=None):
        self._make_connector = make_connector
        self.ssl = ssl_context
        self._request_class = request_class
        self._session: aiohttp.ClientSession | None = None
        self._loop = None
        self._closer = None

    def session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        s = self._session
        if s is None or s.closed or self._loop is not loop:
            kw = {}
            if self._request_class is not None:
                kw["request_class"] = self._request_class
            s = aiohttp.ClientSession(
                connector=self._make_connector(),
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,
                skip_auto_headers=_SKIP_AUTO,
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=30),
                trust_env=False,
                max_line_size=65536,
                max_field_size=65536,
                **kw,
            )
            self._session = s
            self._loop = loop
            # Closed when the loop's remaining tasks are cancelled at shutdown (asyncio.run does
            # that), so pooled connections are closed cleanly instead of warned about at exit.
            self._closer = loop.create_task(_close_when_cancelled(s))
        return s

    async def close(self) -> None:
        s, self._session = self._session, None
        closer, self._closer = self._closer, None
        if closer is not None and not closer.done() and closer.get_loop() is asyncio.get_running_loop():
            closer.cancel()
        if s is not None and not s.closed:
            await s.close()


    async def send(self, method: str, url: URL, headers, body, what: str, websocket=False,
                   **kw) -> HttpResponse:
        """Send one request; `what` names it in error messages ("fetch http://...").
        `websocket`: the request asked for `Upgrade: websocket` (see `open_websocket`)."""
        if websocket:
            return await self.open_websocket(url, headers, what, **kw)
        data = None if body is None else _stream_body(body)
        if self.ssl is not None and "ssl" not in kw:
            kw["ssl"] = self.ssl
        with _client_errors(what):
            resp = await self.session().request(
                method, url, headers=headers, data=data, allow_redirects=False, **kw)
        return to_response(resp, method, what)


    async def open_websocket(self, url: URL, headers, what: str, **kw) -> HttpResponse:
        """A WebSocket handshake: `HttpResponse(101, headers, ClientWebSocket)` when the origin
        accepts, else its answer (status and headers; the body is not kept)."""
        if self.ssl is not None and "ssl" not in kw:
            kw["ssl"] = self.ssl
        hdrs = [(k, v) for k, v in headers if k.lower() not in _WS_OWN]
        try:
            with _client_errors(what):
                ws = await self.session().ws_connect(
                    url, headers=hdrs, autoclose=False, autoping=True, max_msg_size=MAX_MESSAGE,
                    timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=10.0), **kw)
        except aiohttp.WSServerHandshakeError as e:
            out = [(k, v) for k, v in (e.headers or {}).items() if k.lower() not in ("connection", "transfer-encoding")]
            return HttpResponse(e.status if 200 <= e.status < 600 else 502, out, b"")
        out = []
        for k, v in ws._response.raw_headers:
            k = k.lower()
            if k in _DROP_RESPONSE or k == b"upgrade" or k == b"sec-websocket-accept":
                continue
            out.append((k.decode("latin-1"), v.decode("latin-1")))
        return HttpResponse(101, out, ClientWebSocket(ws))


# the client library writes these itself in a handshake
_WS_OWN = frozenset(("sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
                     "upgrade", "connection"))


class ClientWebSocket(WsEndpoint):
    """An outbound WebSocket (aiohttp) as an endpoint: what the origin sends goes to the peer;
    what the peer sends is written in order by one writer task. See ../http/websocket.py."""

    __slots__ = ("_ws", "_out", "_reader", "_writer", "_got_close", "_sent_close", "_done")

    def __init__(self, ws):
        super().__init__()
        self._ws = ws
        self._out: asyncio.Queue = asyncio.Queue()
        self._got_close = False
        self._sent_close = False
        self._done = False
        loop = asyncio.get_running_loop()
        self._reader = loop.create_task(self._read())
        self._writer = loop.create_task(self._write())

    async def _read(self):
        ws = self._ws
        WT = aiohttp.WSMsgType
        try:
            while True:
                msg = await ws.receive()
                t = msg.type
                if t is WT.TEXT:
                    self.send((TEXT, msg.data))
                elif t is WT.BINARY:
                    self.send((BINARY, bytes(msg.data)))
                elif t is WT.CLOSE:
                    self._got_close = True
                    self.send((CLOSE, 1005 if msg.data is None else int(msg.data), msg.extra or ""))
                    if self._sent_close:        # the handshake is complete
                        self._done = True
                        ws._response.close()
                    return
                elif t in (WT.PING, WT.PONG):
                    continue
                elif t is WT.CLOSING:
                    return           # we are closing: the writer reports the answer
                else:                # CLOSED, ERROR: gone without a close frame
                    self._gone()
                    return
        except asyncio.CancelledError:
            raise
        except Exception:
            self._gone()

    def _gone(self):
        if not self._done:
            self._done = True
            self.send((ABORT,))
            self._writer.cancel()

    def _expire(self):
        """Our close frame got no answer in time: drop the connection."""
        if not self._done:
            self._reader.cancel()
            self._ws._response.close()
            self._gone()

    def deliver(self, msg):
        if not self._done:
            self._out.put_nowait(msg)

    async def _write(self):
        ws = self._ws
        try:
            while True:
                msg = await self._out.get()
                kind = msg[0]
                if kind == TEXT:
                    await ws.send_str(msg[1])
                elif kind == BINARY:
                    await ws.send_bytes(msg[1])
                elif kind == CLOSE:
                    # the close frame is written here (not ws.close(), which keeps the answer's
                    # reason to itself): the reader delivers the origin's close frame
                    code = msg[1]
                    await ws._writer.close(1000 if code in (1005, None) else code,
                                           (msg[2] or "").encode())
                    self._sent_close = True
                    if self._got_close:
                        self._done = True
                        ws._response.close()
                    else:
                        asyncio.get_running_loop().call_later(30.0, self._expire)
                    return
                else:
                    self._done = True
                    self._reader.cancel()
                    ws._response.close()
                    return
        except asyncio.CancelledError:
            raise
        except Exception:
            self._reader.cancel()
            try:
                ws._response.close()
            except Exception:
                pass
            self._gone()


def wants_websocket(request) -> bool:
    for k, v in request.headers:
        if k.lower() == "upgrade":
            return v.strip().lower() == "websocket"
    return False


def to_response(resp: aiohttp.ClientResponse, method: str, what: str) -> HttpResponse:
    headers = []
    for k, v in resp.raw_headers:
        k = k.lower()
        if k in _DROP_RESPONSE:
            continue
        headers.append((k.decode("latin-1"), v.decode("latin-1")))
    status = resp.status
    if status in (204, 304) or status < 200:
        resp.release()
        body = None
    elif resp.content_length == 0 and method != "HEAD":
        resp.release()
        body = b""
    elif method == "HEAD":
        # No body on the wire; an empty stream keeps the origin's content-length as it is.
        resp.release()
        body = _empty()
    else:
        body = ResponseStream(resp, what)
    return HttpResponse(status, headers, body, resp.reason)


async def _empty():
    return
    yield  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# Policy-checking resolver
# ---------------------------------------------------------------------------------------------

def _hostport(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class _PolicyResolver(AbstractResolver):
    """getaddrinfo, then only the addresses the policy allows (raises OutboundRefused if none)."""

    def __init__(self, service: "NetworkService"):
        self._svc = service

    async def resolve(self, host, port=0, family=socket.AF_UNSPEC):
        lookup = self._svc.getaddrinfo or asyncio.get_running_loop().getaddrinfo
        try:
            infos = await lookup(host, port, type=socket.SOCK_STREAM, family=family,
                                 flags=socket.AI_ADDRCONFIG)
        except socket.gaierror as e:
            raise NetworkError(f"DNS lookup of {host} failed: {e.strerror or e}") from None
        policy = self._svc.policy
        out = []
        refused = []
        seen = set()
        for fam, _type, proto, _canon, sockaddr in infos:
            addr = sockaddr[0]
            if addr in seen:
                continue
            seen.add(addr)
            if fam == socket.AF_INET6 and len(sockaddr) >= 4 and sockaddr[3]:
                shown = f"{addr}%{sockaddr[3]}"
            else:
                shown = addr
            if policy.allows(addr):
                out.append({"hostname": host, "host": shown, "port": port,
                            "family": fam, "proto": proto,
                            "flags": socket.AI_NUMERICHOST | socket.AI_NUMERICSERV})
            else:
                refused.append(addr)
        if not out:
            if not refused:
                raise NetworkError(f"DNS lookup of {host} returned no addresses")
            raise self._svc.refusal(f"{_hostport(host, port)} ({', '.join(refused)})")
        return out

    async def close(self):
        pass


# ---------------------------------------------------------------------------------------------
# The service
# ---------------------------------------------------------------------------------------------

class NetworkService:
    """workerd's `network = (allow = [...], deny = [...], tlsOptions = ...)` service."""

    def __init__(self, name: str, policy: NetworkPolicy, tls=None, logger=None):
        self.name = name
        self.policy = policy
        self._logger = logger
        self.client = HttpClient(self._connector, make_ssl_context(tls))
        # The name lookup (loop.getaddrinfo's signature); replaceable in tests.
        self.getaddrinfo = None

    @classmethod
    def from_plan(cls, name, plan_body, app=None):
        allow = tuple(getattr(plan_body, "allow", ("public",)))
        deny = tuple(getattr(plan_body, "deny", ()))
        logger = getattr(app, "log", None)
        try:
            policy = NetworkPolicy(allow, deny)
        except PolicyConfigError as e:
            # The config layer validates rules; this only guards a hand-made plan.
            if logger:
                logger("error", f"network service \"{name}\": {e}; it refuses every request")
            policy = NetworkPolicy((), ())
        return cls(name, policy, getattr(plan_body, "tls", None), logger)

    def _connector(self):
        return aiohttp.TCPConnector(resolver=_PolicyResolver(self), limit=0, use_dns_cache=True,
                                    ttl_dns_cache=10)

    def refusal(self, target: str) -> OutboundRefused:
        msg = (f"connecting to {target} is not allowed by this service's network policy "
               f"(service \"{self.name}\": {self.policy.describe()})")
        self._log("warning", msg)
        return OutboundRefused(msg)

    def _log(self, level, msg):
        if self._logger is not None:
            try:
                self._logger(level, msg)
                return
            except Exception:
                pass
        log.warning(msg)

    async def handle(self, request):
        url = request.url
        try:
            u = URL(url, encoded=True)
        except (ValueError, TypeError):
            raise NetworkError(f"fetch {url}: invalid URL") from None
        scheme = u.scheme.lower()
        if scheme not in ("http", "https"):
            raise NetworkError(f"fetch {url}: only http: and https: URLs can be fetched from the network "
                               f"(got {scheme or 'no scheme'}:)")
        host = u.raw_host
        if not host:
            raise NetworkError(f"fetch {url}: the URL has no host")
        port = u.port or (443 if scheme == "https" else 80)
        ip = parse_ip(host)
        if ip is not None:
            if not self.policy.allows(ip):
                raise self.refusal(_hostport(str(ip), port))
        elif aiohttp.helpers.is_ip_address(host):
            # A form aiohttp would connect to directly but we cannot parse: refuse.
            raise self.refusal(_hostport(host, port))
        headers = outgoing_headers(request)
        return await self.client.send(request.method, u, headers, request.body, f"fetch {url}",
                                      websocket=wants_websocket(request))

    async def close(self):
        await self.client.close()
