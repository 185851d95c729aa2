"""External service: every request goes to one fixed server, as workerd's `external = (...)`.

How a request flows
-------------------
The address is fixed at startup (`-e name=addr` overrides are already in the plan):
"host:port", "host" (port 80 for http, 443 for https), "[v6]:port", "unix:/path" or
"unix-abstract:name". The request's URL only supplies the request target and the Host header:

- style = host (default): the request line is the URL's path and query; `Host` is the URL's host
  (with its port), as workerd's HttpRewriter does.
- style = proxy: the request line is the absolute URL, as sent to an HTTP proxy; headers pass as
  they are. (Supported for http:// URLs over a TCP address: see README.md.)

https: TLS to the fixed address with `tlsOptions` (trusted certificates ...). The certificate is
checked against `certificateHost` when given, else against the host of the address; SNI is the same
name. `injectRequestHeaders` / `injectResponseHeaders` of the service's HttpOptions are applied.

The client is network.py's HttpClient (aiohttp, pooled, no redirects, no decompression, bodies
streamed both ways). Connection failures raise NetworkError with the address in the message.
"""
from __future__ import annotations

import aiohttp
from yarl import URL

from .network import HttpClient, NetworkError, make_ssl_context, outgoing_headers, wants_websocket

__all__ = ["ExternalService", "parse_address"]


def parse_address(addr: str, default_port: int):
    """("tcp", host, port) | ("unix", path) for a workerd address string; ValueError if bad."""
    if addr.startswith("unix:"):
        path = addr[5:]
        if not path:
            raise ValueError(f"invalid address {addr!r}: empty unix socket path")
        return ("unix", path)
    if addr.startswith("unix-abstract:"):
        return ("unix", "\0" + addr[len("unix-abstract:"):])
    if addr.startswith("["):
        end = addr.find("]")
        if end < 0:
            raise ValueError(f"invalid address {addr!r}: missing ']'")
        host = addr[1:end]
        rest = addr[end + 1:]
        if rest and not rest.startswith(":"):
            raise ValueError(f"invalid address {addr!r}")
        port_text = rest[1:] if rest else ""
    elif addr.count(":") == 1:
        host, port_text = addr.split(":")
    elif ":" in addr:
        host, port_text = addr, ""          # a bare IPv6 address
    else:
        host, port_text = addr, ""
    if not host:
        raise ValueError(f"invalid address {addr!r}: no host")
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(f"invalid address {addr!r}: bad port")
        port = int(port_text)
    else:
        port = default_port
    return ("tcp", host, port)


def split_url(url: str) -> tuple[str, str, str]:
    """(scheme, authority-host with port, path?query) of an absolute URL, text kept as sent."""
    i = url.find("://")
    if i < 0:
        raise ValueError("not an absolute URL")
    scheme = url[:i].lower()
    rest = url[i + 3:]
    end = len(rest)
    for c in "/?#":
        j = rest.find(c)
        if 0 <= j < end:
            end = j
    authority = rest[:end]
    target = rest[end:]
    h = target.find("#")
    if h >= 0:
        target = target[:h]
    if not target.startswith("/"):
        target = "/" + target
    at = authority.rfind("@")
    if at >= 0:
        authority = authority[at + 1:]
    return scheme, authority, target


class ExternalService:
    """workerd's external server (http or https; tcp answers with an error)."""

    def __init__(self, name: str, address: str | None, protocol: str = "http", http=None, tls=None,
                 certificate_host: str | None = None, logger=None):
        self.name = name
        self.protocol = protocol
        self.https = protocol == "https"
        self.style = getattr(http, "style", "host") or "host"
        self.certificate_host = certificate_host
        self.address = address
        self.config_error: str | None = None
        # A header without a value removes it. The plan may carry "" for an absent value (capnp
        # text default), so "" is taken as "remove" too.
        self._inject_req = tuple((h.name, h.value or None)
                                 for h in getattr(http, "inject_request_headers", ()) or ())
        self._inject_res = tuple((h.name.lower(), h.value or None)
                                 for h in getattr(http, "inject_response_headers", ()) or ())
        self._target = None
        if address is None:
            self.config_error = (f"External service \"{name}\" has no address in the config, so must be "
                                 f"specified on the command line with `--external-addr`.")
        elif protocol == "tcp":
            self.config_error = None
        else:
            try:
                self._target = parse_address(address, 443 if self.https else 80)
            except ValueError as e:
                self.config_error = f"External service \"{name}\": {e}"
        if self.config_error and logger is not None:
            try:
                logger("error", self.config_error)
            except Exception:
                pass
        ssl_ctx = make_ssl_context(tls) if self.https else None
        self.client = HttpClient(self._connector, ssl_ctx)
        if self._target is not None and self._target[0] == "tcp":
            host, port = self._target[1], self._target[2]
            shown = f"[{host}]" if ":" in host else host
            self._base = f"{'https' if self.https else 'http'}://{shown}:{port}"
        else:
            self._base = "https://localhost" if self.https else "http://localhost"

    @classmethod
    def from_plan(cls, name, plan_body, app=None):
        return cls(name, getattr(plan_body, "address", None), getattr(plan_body, "protocol", "http"),
                   getattr(plan_body, "http", None), getattr(plan_body, "tls", None),
                   getattr(plan_body, "certificate_host", None), getattr(app, "log", None))

    def _connector(self):
        t = self._target
        if t is not None and t[0] == "unix":
            return aiohttp.UnixConnector(path=t[1], limit=0)
        return aiohttp.TCPConnector(limit=0)

    def _where(self) -> str:
        return f"external service \"{self.name}\" ({self.address})"

    async def handle(self, request):
        if self.config_error:
            raise NetworkError(f"service \"{self.name}\" cannot handle requests: {self.config_error}")
        if self.protocol == "tcp":
            raise NetworkError("External TCP servers don't support this event type.")
        try:
            scheme, authority, target = split_url(request.url)
        except ValueError:
            raise NetworkError(f"{self._where()}: invalid URL {request.url!r}") from None
        kw = {}
        if self.style == "proxy":
            if self._target[0] != "tcp" or scheme != "http" or self.https:
                raise NetworkError(
                    f"{self._where()}: style = proxy forwards only http:// URLs to a plain http "
                    f"TCP address in this implementation (got {request.url})")
            url = URL(request.url, encoded=True)
            headers = outgoing_headers(request)
            kw["proxy"] = self._base
        else:
            url = URL(self._base + target, encoded=True)
            headers = outgoing_headers(request, host=authority)
            if self.https and self.certificate_host:
                kw["server_hostname"] = self.certificate_host
        if self._inject_req:
            headers = _inject(headers, self._inject_req)
        res = await self.client.send(request.method, url, headers, request.body,
                                     f"{request.method} {request.url} via {self._where()}",
                                     websocket=wants_websocket(request), **kw)
        if self._inject_res:
            res.headers = _inject(list(res.headers), self._inject_res)
        return res

    async def close(self):
        await self.client.close()


def _inject(headers, injected):
    """Set (value) or remove (None) each injected header, as workerd's HeaderInjector."""
    names = {n.lower() for n, _ in injected}
    out = [(k, v) for k, v in headers if k.lower() not in names]
    for n, v in injected:
        if v is not None:
            out.append((n, v))
    return out
