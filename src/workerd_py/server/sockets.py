"""Listening sockets: workerd's `Socket` config -> asyncio servers speaking HTTP, and graceful
shutdown.

    options = SocketOptions(name="http", address="*:8080")
    server = Server()
    await server.listen(options, service)        # service.handle(HttpRequest) -> HttpResponse
    done = install_signal_handlers(loop, server, timeout=30)
    await done                                    # SIGTERM/SIGINT: shutdown finished; exit 0

Shutdown: stop accepting, let in-flight requests finish (their answers say `Connection: close`),
close idle keep-alive connections at once, and after `timeout` drop what is left.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from dataclasses import dataclass, field
from typing import Callable

from .http.protocol import HttpLimits, HttpProtocol, Site, default_error_log
from .http.tls import TlsOptions, make_ssl_context

__all__ = ["SocketOptions", "TlsOptions", "HttpLimits", "Listener", "Server", "start_server",
           "parse_address", "install_signal_handlers"]

ErrorLog = Callable[[str, "BaseException | None"], None]


@dataclass
class SocketOptions:
    """One listening socket, as workerd's config describes it."""
    name: str
    address: str | None = None              # "host:port", "*:port", "[v6]:port", "unix:/path"
    fd: int | None = None                   # an already-listening socket (-S name=fd)
    style: str = "host"                     # "host" | "proxy"
    forwarded_proto_header: str | None = None
    cf_blob_header: str | None = None
    inject_request_headers: list = field(default_factory=list)    # [(name, value | None)]
    inject_response_headers: list = field(default_factory=list)   # [(name, value | None)]
    tls: TlsOptions | None = None           # set for https
    limits: HttpLimits = field(default_factory=HttpLimits)
    backlog: int = 1024


@dataclass(frozen=True)
class Address:
    kind: str               # "tcp" | "unix"
    host: str | None = None   # None: every interface ("*")
    port: int = 0
    path: str | None = None   # unix path; abstract names start with "\0"


def parse_address(address: str, default_port: int = 80) -> Address:
    """Parse an address the way workerd writes it. Raises ValueError naming the problem."""
    a = address.strip()
    if not a:
        raise ValueError("empty socket address")
    if a.startswith("unix:"):
        path = a[5:]
        if not path:
            raise ValueError(f"socket address {address!r}: unix socket needs a path")
        return Address("unix", path=path)
    if a.startswith("unix-abstract:"):
        name = a[len("unix-abstract:"):]
        if not name:
            raise ValueError(f"socket address {address!r}: abstract unix socket needs a name")
        return Address("unix", path="\0" + name)
    port_text = None
    if a.startswith("["):
        end = a.find("]")
        if end < 0:
            raise ValueError(f"socket address {address!r}: missing ']'")
        host = a[1:end]
        rest = a[end + 1:]
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"socket address {address!r}: expected ':' after ']'")
            port_text = rest[1:]
    elif a.count(":") == 1:
        host, port_text = a.split(":")
    elif ":" in a:   # a bare IPv6 address without brackets: no port
        host = a
    else:
        host = a
    if port_text is None:
        port = default_port
    else:
        try:
            port = int(port_text)
        except ValueError:
            try:
                port = socket.getservbyname(port_text, "tcp")
            except OSError:
                raise ValueError(f"socket address {address!r}: invalid port {port_text!r}") \
                    from None
        if not 0 <= port <= 65535:
            raise ValueError(f"socket address {address!r}: port out of range")
    if host in ("*", ""):
        host = None
    return Address("tcp", host=host, port=port)


class Listener:
    """One listening socket serving HTTP."""

    def __init__(self, options: SocketOptions, site: Site, server: asyncio.AbstractServer):
        self.options = options
        self.name = options.name
        self.site = site
        self.server = server

    @property
    def sockets(self):
        return list(self.server.sockets or ())

    @property
    def sockname(self):
        """The first bound address (host, port) or unix path."""
        socks = self.sockets
        return socks[0].getsockname() if socks else None

    @property
    def port(self) -> int | None:
        name = self.sockname
        return name[1] if isinstance(name, tuple) else None

    @property
    def connections(self) -> int:
        return len(self.site.connections)

    def close(self) -> None:
        """Stop accepting; open connections stay (see Server.shutdown)."""
        self.server.close()

    async def wait_closed(self) -> None:
        await self.server.wait_closed()

    async def serve_forever(self) -> None:
        await self.server.serve_forever()


async def start_server(options: SocketOptions, service, loop=None, *,
                       error_log: ErrorLog | None = None) -> Listener:
    """Listen on `options` and serve `service` (anything with `handle(request)`)."""
    loop = loop or asyncio.get_running_loop()
    if options.style not in ("host", "proxy"):
        raise ValueError(f"socket {options.name!r}: unknown http style {options.style!r}")
    ssl_ctx = make_ssl_context(options.tls) if options.tls is not None else None
    site = Site(
        service,
        scheme="https" if ssl_ctx is not None else "http",
        proxy_style=options.style == "proxy",
        forwarded_proto=options.forwarded_proto_header,
        cf_blob=options.cf_blob_header,
        inject_request=options.inject_request_headers,
        inject_response=options.inject_response_headers,
        limits=options.limits,
        error_log=error_log or default_error_log,
        loop=loop,
    )

    def factory():
        return HttpProtocol(site)

    if options.fd is not None:
        sock = socket.socket(fileno=os.dup(options.fd))
        sock.setblocking(False)
        if sock.family == socket.AF_UNIX:
            server = await loop.create_unix_server(factory, sock=sock, ssl=ssl_ctx,
                                                   backlog=options.backlog)
        else:
            server = await loop.create_server(factory, sock=sock, ssl=ssl_ctx,
                                              backlog=options.backlog)
        return Listener(options, site, server)
    if not options.address:
        raise ValueError(f"socket {options.name!r} has no address; give one in the config "
                         f"or with --socket-addr {options.name}=ADDRESS")
    addr = parse_address(options.address, 443 if ssl_ctx is not None else 80)
    try:
        if addr.kind == "unix":
            if addr.path.startswith("\0"):
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.bind(addr.path)
                sock.setblocking(False)
                server = await loop.create_unix_server(factory, sock=sock, ssl=ssl_ctx,
                                                       backlog=options.backlog)
            else:
                server = await loop.create_unix_server(factory, addr.path, ssl=ssl_ctx,
                                                       backlog=options.backlog)
        else:
            server = await loop.create_server(factory, addr.host, addr.port, ssl=ssl_ctx,
                                              reuse_address=True, backlog=options.backlog)
    except OSError as exc:
        raise OSError(exc.errno, f"socket {options.name!r}: cannot listen on "
                                 f"{options.address}: {exc.strerror or exc}") from None
    return Listener(options, site, server)


class Server:
    """The listeners of one process, shut down together."""

    def __init__(self, error_log: ErrorLog | None = None):
        self.error_log = error_log or default_error_log
        self.listeners: list[Listener] = []
        self._done: asyncio.Event | None = None
        self._shutdown_task: asyncio.Task | None = None

    async def listen(self, options: SocketOptions, service) -> Listener:
        listener = await start_server(options, service, error_log=self.error_log)
        self.listeners.append(listener)
        return listener

    def add(self, listener: Listener) -> None:
        self.listeners.append(listener)

    @property
    def connections(self) -> int:
        return sum(listener.connections for listener in self.listeners)

    def _event(self) -> asyncio.Event:
        if self._done is None:
            self._done = asyncio.Event()
        return self._done

    async def serve_forever(self) -> None:
        """Wait until `shutdown` has finished."""
        await self._event().wait()

    async def shutdown(self, timeout: float = 30.0) -> None:
        """Stop accepting, let in-flight requests finish within `timeout`, close the rest."""
        if self._shutdown_task is None:
            self._shutdown_task = asyncio.ensure_future(self._shutdown(timeout))
        await asyncio.shield(self._shutdown_task)

    async def _shutdown(self, timeout: float) -> None:
        for listener in self.listeners:
            listener.close()
        for listener in self.listeners:
            listener.site.begin_shutdown()
        waits = [listener.site.drained.wait() for listener in self.listeners]
        if waits:
            try:
                await asyncio.wait_for(asyncio.gather(*waits), timeout)
            except asyncio.TimeoutError:
                left = self.connections
                if left:
                    self.error_log(f"shutdown: {left} connection(s) still busy after "
                                   f"{timeout:g} s; closing them", None)
            for listener in self.listeners:
                listener.site.abort_all()
        self._event().set()

    def abort(self) -> None:
        """Drop everything now."""
        for listener in self.listeners:
            listener.close()
            listener.site.begin_shutdown()
            listener.site.abort_all()
        self._event().set()


def install_signal_handlers(loop: asyncio.AbstractEventLoop, server: Server,
                            timeout: float = 30.0) -> asyncio.Future:
    """SIGTERM/SIGINT start a graceful shutdown; a second signal drops what is left.

    Returns a future that resolves to 0 when the shutdown is done: await it, then exit 0.
    """
    done = loop.create_future()
    state = {"signals": 0}

    def finished(task: asyncio.Future) -> None:
        if not done.done():
            done.set_result(0)

    def on_signal(signum: int) -> None:
        state["signals"] += 1
        if state["signals"] == 1:
            task = asyncio.ensure_future(server.shutdown(timeout))
            task.add_done_callback(finished)
        else:
            server.abort()
            if not done.done():
                done.set_result(0)

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, on_signal, sig)
    return done
