"""The HTTP/1.1 server protocol: socket bytes -> HttpRequest -> service -> HttpResponse -> bytes.

How this works
--------------
One `HttpProtocol` per connection, one httptools parser per protocol. httptools calls us back as
it parses: `on_url` (its first piece begins a message), `on_header`, `on_headers_complete`,
`on_body`, `on_message_complete`. A request without a body is dispatched when its message
completes; one with a body when its headers complete (after the rest of that socket read is
parsed), so the handler can stream the body while it arrives (body.py does the flow control).

Requests are answered strictly in order, one at a time: the one being answered is *active*;
requests parsed meanwhile (pipelining) wait in `_queue`. When more than `max_pipeline` wait, we
stop reading the socket. Each entry is a tuple `(request, keep_alive, is_head, http10, body,
handle, plain)` (`plain`: keep-alive HTTP/1.1 without a body, not HEAD, whose answer can take the
short way in `_respond`); an entry whose request is None carries ready error bytes in place of
`handle` (a malformed request after good pipelined ones is answered after them).

Starting a request calls `handle(request)`. An `HttpResponse` returned directly with a bytes or
None body is written at once with a single `transport.write` (the fast path: no task, no future).
An awaitable, or a streamed body, runs in one task. When the response is complete (`_finish`) the
connection closes, or the next queued request starts, or the connection becomes idle.

Connection states, for timeouts (one ticking timer per connection, see `_on_timer`):
  idle      no request, no bytes of the next one: closed silently after `idle_timeout`
  head      bytes of a request arrived, headers incomplete: `408` after `header_timeout`
  busy      a request is being answered: no protocol timeout (the body has its own)
  lingering we answered and close: we half-close, drop input for `linger` seconds, then close,
            so that unread request bytes do not make the kernel reset the connection before the
            client read our answer.

Error behaviour follows workerd (checked against workerd 2026-11-17): a malformed request head
gets `400` with a short text/plain reason and the connection closes; a head over the size limit
`431`, a URL over its limit `414`; a missing Host `400 Bad Request` (connection kept); a handler
that raises `500 Internal Server Error` with `Connection: close`. A response written while the
request body is still arriving closes the connection after it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import deque
from dataclasses import dataclass

import httptools

from .body import StreamBody
from .headers import HOP_BY_HOP, KNOWN, UNKNOWN_RANK
from .message import INTERNAL_ERROR, BodyError, HttpRequest, HttpResponse, STATUS_PHRASES
from .websocket import CLOSE, ServerWebSocket, WsEndpoint, accept_key, link

__all__ = ["HttpLimits", "HttpProtocol", "Site", "default_error_log"]

_logger = logging.getLogger("workerd_py.server.http")


def default_error_log(message: str, exc: BaseException | None = None) -> None:
    _logger.error("%s", message, exc_info=exc)


@dataclass(frozen=True)
class HttpLimits:
    """Per-socket limits. Defaults follow workerd where it has one."""
    max_head_bytes: int = 1024 * 1024   # request line + headers (workerd: 1 MiB) -> 431
    max_url_bytes: int = 65536          # request target (workerd: 64 KiB) -> 414
    max_headers: int = 1000             # header count (workerd: none but the size) -> 431
    header_timeout: float = 15.0        # first byte -> end of headers (workerd: 15 s) -> 408
    idle_timeout: float = 15.0          # keep-alive wait for the next request (workerd: 15 s)
    body_timeout: float | None = 120.0  # a body read waiting this long fails (workerd: none)
    max_pipeline: int = 16              # parsed requests waiting before reading pauses
    linger: float = 2.0                 # lingering close: drop input this long, then close


# -- precomputed bytes ---------------------------------------------------------------------------

_STATUS_11 = {c: f"HTTP/1.1 {c} {p}\r\n" for c, p in STATUS_PHRASES.items() if 200 <= c < 600}
_STATUS_10 = {c: f"HTTP/1.0 {c} {p}\r\n" for c, p in STATUS_PHRASES.items() if 200 <= c < 600}
_NO_BODY_STATUS = frozenset((204, 205, 304))
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_BAD_REQUEST_BODY = b"Bad Request"
_ISE = b"Internal Server Error"


def _error_bytes(status: int, reason: str, message: str) -> bytes:
    """A protocol error the way kj writes it (then the connection closes)."""
    body = message.encode()
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nConnection: close\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def _ise_bytes(v10: bool) -> bytes:
    return (b"HTTP/1.0" if v10 else b"HTTP/1.1") + (
        b" 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 21\r\n\r\n")


_ERR_431 = _error_bytes(431, "Request Header Fields Too Large", "message head is too large")
_ERR_414 = _error_bytes(414, "URI Too Long", "URI too long")
_ERR_408 = _error_bytes(408, "Request Timeout", "request timed out")
_ISE_11 = _ise_bytes(False)
_ISE_10 = _ise_bytes(True)
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# status lines of statuses that have a body (not 204, 205, 304), HTTP/1.1
_STATUS_11_BODY = {c: line for c, line in _STATUS_11.items() if c not in _NO_BODY_STATUS}
_CL_LINES = [f"Content-Length: {n}\r\n" for n in range(1024)]

# Response header names as given -> (rank, name to write); rank 0: content-length, -1: dropped
# (the server's own). Grows with the names seen (bounded), so a name is checked once.
_RESP_NAMES: dict[str, tuple[int, str]] = dict(KNOWN)
_RESP_NAMES.update((canon, (rank, canon)) for rank, canon in KNOWN.values())
_RESP_NAMES["content-length"] = (0, "Content-Length")
_RESP_NAMES.update((n, (-1, n)) for n in HOP_BY_HOP)
_RESP_NAMES_MAX = len(_RESP_NAMES) + 4096


def _response_name(name: str) -> tuple[int, str]:
    """(rank, name to write) of a header name not in the table yet; ValueError if invalid."""
    info = _RESP_NAMES.get(name.lower())
    if info is None:
        if type(name) is not str or not _TOKEN.fullmatch(name):
            raise ValueError(f"invalid response header name {name!r}")
        info = (UNKNOWN_RANK, name)
    if len(_RESP_NAMES) < _RESP_NAMES_MAX:
        _RESP_NAMES[name] = info
    return info


def _line_rank(line: str) -> int:
    return _RESP_NAMES.get(line[:line.index(":")], (UNKNOWN_RANK,))[0]


# (name, value) -> (rank, "Name: value\r\n"): formatted and checked header lines. Responses repeat
# their headers (content-type, cache-control ...): a hit costs one dict lookup. Bounded.
_LINES: dict = {}
_LINES_MAX = 4096


def _header_line(h) -> tuple[int, str]:
    """Check and format one response header; ValueError when it cannot be written."""
    name, value = h
    if type(value) is not str:
        raise ValueError(f"the value of response header {name!r} is not a str")
    if "\n" in value or "\r" in value:
        raise ValueError(f"the value of response header {name!r} contains CR or LF")
    rank, canon = _RESP_NAMES.get(name) or _response_name(name)
    info = (rank, f"{canon}: {value}\r\n")
    if type(h) is tuple and type(name) is str:
        if len(_LINES) >= _LINES_MAX:
            _LINES.clear()
        _LINES[h] = info
    return info


def _parse_error_message(exc: Exception) -> str:
    """kj's wording for the usual parse errors."""
    if isinstance(exc, httptools.HttpParserInvalidMethodError):
        return "invalid HTTP method parsed"
    text = str(exc).lower()
    if "content-length" in text:
        return "invalid content-length parsed"
    if "version" in text or "expected http/" in text:
        return "invalid HTTP version parsed"
    if "header" in text:
        return "invalid HTTP header parsed"
    if "url" in text or "uri" in text:
        return "invalid HTTP URL parsed"
    if "chunk" in text or "transfer-encoding" in text:
        return "invalid HTTP body framing parsed"
    return "invalid HTTP request parsed"


# Request headers noticed while parsing: lowercase name -> kind.
_H_HOST, _H_CLEN, _H_TE, _H_EXPECT, _H_CONN, _H_UPGRADE = 1, 2, 3, 4, 5, 6
_REQ_SPECIAL = {"host": _H_HOST, "content-length": _H_CLEN, "transfer-encoding": _H_TE,
                "expect": _H_EXPECT, "connection": _H_CONN, "upgrade": _H_UPGRADE}
# bits of HttpProtocol._flags, about the request being parsed
_F_BODY, _F_CHUNKED, _F_EXPECT, _F_CONN, _F_HOST2, _F_WS = 1, 2, 4, 8, 16, 32

# raw header name -> (lowercase str, kind): names repeat, decoding and lowercasing them does not
# need to. Bounded: once full, new names are decoded each time.
_NAMES: dict[bytes, tuple[str, int]] = {}
_NAMES_MAX = 4096


class _HeadError(Exception):
    """Raised inside a parser callback to stop parsing and answer `data`, then close."""

    def __init__(self, data: bytes):
        self.data = data


class _StopParsing(Exception):
    """Raised inside a parser callback: the connection is closing; ignore the rest."""


class Site:
    """What every connection accepted by one listening socket shares."""

    __slots__ = ("service", "handle", "scheme", "proxy_style", "forwarded_proto", "cf_blob",
                 "inject_request", "inject_response", "rewrite", "limits", "error_log",
                 "connections", "closing", "drained", "loop")

    def __init__(self, service, *, scheme="http", proxy_style=False, forwarded_proto=None,
                 cf_blob=None, inject_request=(), inject_response=(), limits=None,
                 error_log=None, loop=None):
        self.service = service
        self.handle = service.handle
        self.scheme = scheme
        self.proxy_style = proxy_style
        self.forwarded_proto = forwarded_proto.lower() if forwarded_proto else None
        self.cf_blob = cf_blob.lower() if cf_blob else None
        self.inject_request = [(n.lower(), v) for n, v in inject_request]
        self.inject_response = [(n.lower(), v) for n, v in inject_response]
        self.rewrite = bool(self.forwarded_proto or self.cf_blob or self.inject_request)
        self.limits = limits or HttpLimits()
        self.error_log = error_log or default_error_log
        self.connections: set = set()   # HttpProtocols not yet closed nor lingering
        self.closing = False            # graceful shutdown in progress
        self.drained: asyncio.Event | None = None  # set when closing and no connection is left
        self.loop = loop

    def _forget(self, conn) -> None:
        self.connections.discard(conn)
        if self.closing and not self.connections and self.drained is not None:
            self.drained.set()

    def begin_shutdown(self) -> None:
        self.closing = True
        if self.drained is None:
            self.drained = asyncio.Event()
        for conn in list(self.connections):
            conn.begin_shutdown()
        if not self.connections:
            self.drained.set()

    def abort_all(self) -> None:
        for conn in list(self.connections):
            conn.abort()


_NO_HOST = object()
_new = object.__new__


class _BadRequest:
    """Stands in for the service when a request cannot be served (e.g. no Host)."""

    @staticmethod
    def handle(request):
        return HttpResponse(400, (), _BAD_REQUEST_BODY)


class HttpProtocol(asyncio.Protocol):
    __slots__ = (
        "_site", "_loop", "_time", "_handle", "_limits", "_transport", "_parser", "_client",
        "_url_prefix", "_c_host", "_c_prefix", "_cf", "_plain", "_max_url", "_max_head",
        "_max_headers", "_slow",
        # the request being parsed
        "_in_head", "_seq", "_head_bytes", "_head_raw", "_url", "_headers", "_host",
        "_flags", "_clen", "_r_body",
        "_r_entry", "_stop_parsing", "_discard", "_defer",
        # the request being answered and the ones waiting
        "_active", "_task", "_queue", "_dispatching", "_started", "_broken_body",
        # flow control and lifetime
        "_read_block", "_write_paused", "_drain_waiter", "_closed", "_lingering", "_peer_eof",
        "_timer", "_tick", "_t_seq", "_t_since", "_t_busy", "_exact_head",
        # WebSocket: the upgrade request waiting for its answer (bytes after it are held), the
        # socket once upgraded
        "_ws_hold", "_ws_buf", "_ws",
    )

    def __init__(self, site: Site):
        self._site = site
        loop = site.loop or asyncio.get_event_loop()
        self._loop = loop
        self._time = loop.time
        self._handle = site.handle
        limits = self._limits = site.limits
        self._max_url = limits.max_url_bytes
        self._max_head = limits.max_head_bytes
        self._max_headers = limits.max_headers
        self._slow = bool(site.inject_response)   # responses need the long way (_head)
        self._plain = not site.proxy_style and not site.rewrite
        self._transport = None
        self._parser = None
        self._client = ""
        self._url_prefix = site.scheme + "://"
        self._c_host = _NO_HOST      # the last Host seen and its URL prefix "http://host"
        self._c_prefix = ""
        self._cf = None              # request.cf when no cfBlobHeader: {"clientIp": peer}
        self._in_head = False
        self._seq = 0                # counts request heads begun (the timer watches it)
        self._head_bytes = 0
        self._head_raw = 0
        self._url = b""
        self._headers = None
        self._host = None
        self._flags = 0
        self._clen = None
        self._r_body = None
        self._r_entry = None
        self._stop_parsing = False
        self._discard = False
        self._defer = False          # requests queued while parsing start after the feed
        self._active = None          # entry being answered: (req, keep, head, v10, body, handle)
        self._task = None
        self._queue = deque()
        self._dispatching = False
        self._started = False
        self._broken_body = None
        self._read_block = 0
        self._write_paused = False
        self._drain_waiter = None
        self._closed = False
        self._lingering = False
        self._peer_eof = False
        self._timer = None
        self._tick = max(0.005, min(limits.idle_timeout, limits.header_timeout) / 4)
        self._t_seq = 0
        self._t_since = 0.0
        self._t_busy = False
        # A head within one socket read (<= 256 KiB) is only counted exactly when the limit is
        # below that; above, counting whole reads of a head in progress bounds it.
        self._exact_head = limits.max_head_bytes < 262144
        self._ws_hold = None         # the websocket request whose answer is awaited, or True
        self._ws_buf = []            # (flushing) / bytes received meanwhile
        self._ws = None              # the ServerWebSocket after a 101

    # -- connection lifetime ---------------------------------------------------------------------

    def connection_made(self, transport) -> None:
        self._transport = transport
        self._parser = httptools.HttpRequestParser(self)
        peer = transport.get_extra_info("peername")
        if isinstance(peer, tuple) and len(peer) >= 2:
            host = peer[0]
            self._client = f"[{host}]:{peer[1]}" if ":" in host else f"{host}:{peer[1]}"
        elif peer:
            self._client = f"unix:{peer}"
        site = self._site
        if site.cf_blob is None:
            self._cf = {"clientIp": self._client}
        site.connections.add(self)
        self._t_since = self._time()
        self._arm(self._tick)
        if site.closing:
            self.begin_shutdown()

    def connection_lost(self, exc) -> None:
        if self._ws is not None:
            self._ws.connection_lost()
        self._closed = True
        self._stop_parsing = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        err = None
        for body in self._bodies():
            if not body.complete:
                if err is None:
                    err = BodyError("the client disconnected before sending the whole body")
                body.feed_error(err)
        task = self._task
        if task is not None and not task.done():
            task.cancel()
        w = self._drain_waiter
        if w is not None:
            self._drain_waiter = None
            if not w.done():
                w.set_exception(ConnectionResetError("the client disconnected"))
        self._queue.clear()
        self._site._forget(self)

    def _bodies(self):
        active = self._active
        if active is not None and active[4] is not None:
            yield active[4]
        for entry in self._queue:
            if entry[4] is not None:
                yield entry[4]
        if self._r_body is not None:
            yield self._r_body

    def eof_received(self):
        self._peer_eof = True
        if self._ws is not None:     # the client left without finishing the close handshake
            self._ws.abort()
            return False
        if self._lingering:
            self._transport.close()
            return False
        for body in self._bodies():
            if not body.complete:
                body.feed_error(BodyError("the client closed the connection before sending the "
                                          "whole body"))
        self._in_head = False
        self._stop_parsing = True
        if self._active is None and not self._queue:
            self._close()
            return False
        return True   # answer what was asked, then close

    def pause_writing(self) -> None:
        self._write_paused = True

    def resume_writing(self) -> None:
        self._write_paused = False
        w = self._drain_waiter
        if w is not None:
            self._drain_waiter = None
            if not w.done():
                w.set_result(None)
        if self._active is None and self._queue:
            self._run_queue()

    async def _drain(self) -> None:
        if self._closed:
            raise ConnectionResetError("the client disconnected")
        if self._write_paused:
            w = self._drain_waiter
            if w is None:
                w = self._drain_waiter = self._loop.create_future()
            await w

    def _close(self) -> None:
        if not self._closed:
            self._closed = True
            self._stop_parsing = True
            self._transport.close()
            self._site._forget(self)

    def abort(self) -> None:
        """Drop the connection now (shutdown past its deadline)."""
        if self._transport is not None:
            self._transport.abort()
        self._closed = True
        self._stop_parsing = True
        self._site._forget(self)

    def _close_lingering(self) -> None:
        """Close after our answer without a reset: half-close, drop input a while, then close."""
        if self._closed or self._lingering:
            return
        transport = self._transport
        self._discard = True
        self._in_head = False
        for body in self._bodies():
            body.discard()
        if self._peer_eof or not transport.can_write_eof():
            self._close()
            return
        self._lingering = True
        self._stop_parsing = True
        if self._read_block:
            self._read_block = 0
            transport.resume_reading()
        try:
            transport.write_eof()
        except (OSError, RuntimeError):
            self._close()
            return
        self._site._forget(self)
        self._arm(self._limits.linger)

    def begin_shutdown(self) -> None:
        """Graceful shutdown: finish what was asked (answers say Connection: close), then close."""
        self._slow = True
        if self._ws is not None:     # a WebSocket: close it with 1001 "going away"
            self._ws.deliver((CLOSE, 1001, ""))
            return
        if self._active is None and not self._queue and not self._in_head:
            self._close()
        # else: `_finish` closes after the last queued answer; a head in progress is answered

    # -- timers ----------------------------------------------------------------------------------

    # One timer per connection ticks every `_tick` (a quarter of the shortest timeout) and
    # looks at the state, so the request path never reads the clock nor re-arms a timer: it
    # only counts heads in `_seq`. A state is timed from the first tick that saw it, so a
    # timeout fires between T and T + tick after the state began, never early.

    def _arm(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._loop.call_later(delay, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        if self._closed:
            return
        if self._lingering:
            self._closed = True
            self._transport.close()
            return
        now = self._time()
        if self._active is not None or self._queue:      # busy: the handler's own business
            self._t_busy = True
        elif self._t_busy or self._seq != self._t_seq:   # a new state: time it from now
            self._t_busy = False
            self._t_seq = self._seq
            self._t_since = now
        elif self._in_head:
            if now - self._t_since >= self._limits.header_timeout:
                self._in_head = False
                self._discard = True
                self._transport.write(_ERR_408)
                self._close_lingering()
                return
        elif now - self._t_since >= self._limits.idle_timeout:
            self._close()
            return
        self._arm(self._tick)

    # -- reading ---------------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if self._ws is not None:
            self._ws.receive_data(data)
            return
        if self._ws_hold is not None:
            self._ws_buf.append(data)
            return
        if self._discard:
            return
        if self._in_head:
            self._head_raw += len(data)
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade as exc:
            self._on_upgrade(data, exc.args[0] if exc.args else len(data))
        except httptools.HttpParserCallbackError as exc:
            self._on_callback_error(exc.__context__ or exc)
        except httptools.HttpParserError as exc:
            self._on_parse_error(exc)
        else:
            if self._in_head and self._head_raw > self._max_head:
                self._head_error(_ERR_431)
        if self._defer:
            # A request with a body was parsed: its handler starts now that the body bytes of
            # this read are buffered (a handler answering at once without reading finds the
            # body complete, and the connection stays open, as in workerd).
            self._defer = False
            if self._active is None:
                self._run_queue()

    # (No on_message_begin: a message begins with its first URL piece, saving a callback.)

    def on_url(self, url: bytes) -> None:
        if self._in_head:                # the URL arrives in pieces
            url = self._url + url
            if len(url) > self._max_url:
                raise _HeadError(_ERR_414)
            self._url = url
            return
        if self._stop_parsing:           # (set when the connection closes)
            raise _StopParsing()
        self._in_head = True
        self._seq += 1
        if len(url) > self._max_url:
            raise _HeadError(_ERR_414)
        self._url = url
        self._head_bytes = 0
        self._head_raw = 0
        self._headers = []
        self._host = None
        self._flags = 0

    def on_header(self, name: bytes, value: bytes) -> None:
        if not self._in_head:
            return   # a trailer after a chunked body: ignored, as workerd does
        headers = self._headers
        if len(headers) >= self._max_headers:
            raise _HeadError(_ERR_431)
        if self._exact_head:
            size = self._head_bytes = self._head_bytes + len(name) + len(value) + 4
            if size > self._max_head:
                raise _HeadError(_ERR_431)
        info = _NAMES.get(name)
        if info is None:
            lname = name.decode("latin-1").lower()
            info = (lname, _REQ_SPECIAL.get(lname, 0))
            if len(_NAMES) < _NAMES_MAX:
                _NAMES[name] = info
        lname, kind = info
        headers.append((lname, value.decode("latin-1")))
        if kind:
            if kind == _H_HOST:
                if self._host is None:
                    self._host = value
                else:
                    self._flags |= _F_HOST2
            elif kind == _H_CLEN:
                if value != b"0":
                    self._flags |= _F_BODY
                self._clen = value
            elif kind == _H_TE:
                self._flags |= _F_BODY | _F_CHUNKED
            elif kind == _H_CONN:
                self._flags |= _F_CONN
            elif kind == _H_UPGRADE:
                if value.strip().lower() == b"websocket":
                    self._flags |= _F_WS
            elif value.lower() == b"100-continue":
                self._flags |= _F_EXPECT

    def on_headers_complete(self) -> None:
        self._in_head = False
        parser = self._parser
        keep = parser.should_keep_alive()
        flags = self._flags
        if keep and not flags & _F_CONN:
            v10 = False      # only HTTP/1.1 keeps alive without a Connection header
        else:
            version = parser.get_http_version()
            if version == "1.1":
                v10 = False
            elif version == "1.0":
                v10 = True
            else:
                raise _HeadError(_error_bytes(400, "Bad Request", "invalid HTTP version parsed"))
        m = parser.get_method()
        method = _METHODS.get(m) or m.decode("latin-1")
        handle = self._handle
        cf = self._cf

        # the URL: "scheme://host" (cached per connection) + the target
        host = self._host
        if host == self._c_host and not flags & _F_HOST2:    # (only set on plain sockets)
            target = self._url
            if target[:1] != b"/" or target.find(b"#") >= 0:   # (`in` on bytes is slow)
                target = _origin_form(target)
            try:
                url = self._c_prefix + target.decode("ascii")
            except UnicodeDecodeError:
                url = self._c_prefix + target.decode("utf-8", "replace")
        else:
            url, handle, cf = self._make_url(v10)

        body = None
        if flags & _F_BODY:
            length = None
            if not flags & _F_CHUNKED and self._clen is not None:
                try:
                    length = int(self._clen)
                except ValueError:
                    length = None
            body = StreamBody(self, length, bool(flags & _F_EXPECT) and not v10,
                              self._limits.body_timeout)
        # (HttpRequest(...) without the call: __new__ and slot stores cost a third as much)
        req = _new(HttpRequest)
        req.method = method
        req.url = url
        req.headers = self._headers
        req.body = body
        req.client = self._client
        req.cf = cf
        req.version = "1.0" if v10 else "1.1"
        head = method == "HEAD"
        # (request, keep-alive, HEAD, HTTP/1.0, body, handler, plain: keep-alive HTTP/1.1
        # without a body, not HEAD: its answer can take the short way in _respond)
        entry = (req, keep, head, v10, body, handle, keep and not head and not v10 and not body)
        if not keep:
            self._stop_parsing = True
        if body is None:
            self._r_entry = entry        # dispatched when the message completes
        else:
            self._r_body = body          # dispatched after this read is parsed (see
            self._r_entry = None         # data_received); the handler streams the body
            self._defer = True
            self._enqueue(entry)

    def on_body(self, data: bytes) -> None:
        body = self._r_body
        if body is not None:
            body.feed(data)

    def on_message_complete(self) -> None:
        body = self._r_body
        if body is not None:
            self._r_body = None
            body.feed_eof()
            return
        entry = self._r_entry
        if entry is not None:
            self._r_entry = None
            if self._flags & _F_WS:
                # bytes after a websocket request wait for its answer: frames after a 101,
                # the next request otherwise
                self._ws_hold = entry[0]
            if self._active is None and not self._queue and not self._write_paused:
                self._start(entry)       # the fast path
            else:
                self._enqueue(entry)

    def _make_url(self, v10: bool):
        """The request URL when the fast path does not apply: a new Host, proxy style, or
        socket options that rewrite requests. Returns (url, handle, cf)."""
        site = self._site
        handle = self._handle
        cf = self._cf
        target = self._url
        if site.proxy_style:
            url = self._proxy_url(target)
            if url is None:
                raise _HeadError(_error_bytes(400, "Bad Request",
                                              "proxy-style socket needs an absolute URL"))
        else:
            host = self._host
            if host == self._c_host and not self._flags & _F_HOST2:
                prefix = self._c_prefix
            elif host is None or self._flags & _F_HOST2 or not _valid_host(host):
                if self._flags & _F_HOST2 or (host is not None and not _valid_host(host)):
                    raise _HeadError(_error_bytes(400, "Bad Request", "invalid Host header"))
                handle = _BadRequest.handle     # no Host: 400, connection kept (as workerd)
                prefix = self._url_prefix
            else:
                prefix = self._url_prefix + _decode(host)
                if self._plain and not self._flags & _F_HOST2:
                    self._c_host = host
                    self._c_prefix = prefix
            if target[:1] != b"/" or target.find(b"#") >= 0:
                target = _origin_form(target)
            url = prefix + _decode(target)
        if site.rewrite:
            try:
                url, blob = self._rewrite(url, self._headers)
            except ValueError as exc:
                site.error_log(f"bad request on {self._client}: {exc}", None)
                raise _HeadError((_ISE_10 if v10 else _ISE_11) + _ISE) from None
            if site.cf_blob is not None:
                cf = blob
        return url, handle, cf

    def _proxy_url(self, target: bytes) -> str | None:
        i = target.find(b"://")
        if i <= 0:
            return None
        j = target.find(b"#")
        if j >= 0:
            target = target[:j]
        if target.find(b"/", i + 3) < 0:
            q = target.find(b"?", i + 3)
            target = target + b"/" if q < 0 else target[:q] + b"/" + target[q:]
        try:
            return target.decode("ascii")
        except UnicodeDecodeError:
            return target.decode("utf-8", "replace")

    def _rewrite(self, url: str, headers: list) -> tuple[str, dict | None]:
        """forwardedProtoHeader, cfBlobHeader and injectRequestHeaders, as workerd applies them."""
        site = self._site
        cf = None
        proto_name, cf_name = site.forwarded_proto, site.cf_blob
        if proto_name or cf_name:
            keep = []
            for name, value in headers:
                if name == proto_name:
                    if not site.proxy_style:
                        url = value.strip() + url[url.index("://"):]
                    continue
                if name == cf_name:
                    try:
                        cf = json.loads(value)
                    except ValueError:
                        raise ValueError(f"{name} header is not valid JSON") from None
                    if not isinstance(cf, dict):
                        raise ValueError(f"{name} header is not a JSON object")
                    continue
                keep.append((name, value))
            headers[:] = keep
        if site.inject_request:
            names = {n for n, _ in site.inject_request}
            headers[:] = [h for h in headers if h[0] not in names]
            headers.extend((n, v) for n, v in site.inject_request if v is not None)
        return url, cf

    def _on_upgrade(self, data: bytes, offset: int) -> None:
        # `Upgrade:` or CONNECT. Served as a plain request (as workerd does for unknown
        # upgrades); parsing restarts on a fresh parser after the request's head.
        if self._r_entry is not None:
            self.on_message_complete()
        self._parser = httptools.HttpRequestParser(self)
        rest = data[offset:]
        if rest and not self._closed:
            if self._ws_hold is not None and self._ws is None:
                self._ws_buf.append(rest)
            else:
                self.data_received(rest)

    def _on_callback_error(self, exc: BaseException) -> None:
        if isinstance(exc, _HeadError):
            self._head_error(exc.data)
        elif isinstance(exc, _StopParsing):
            self._discard = True
        else:  # a bug of ours inside a callback
            self._site.error_log("internal error while parsing a request", exc)
            self._head_error(_error_bytes(400, "Bad Request", "invalid HTTP request parsed"))

    def _on_parse_error(self, exc: Exception) -> None:
        body = self._r_body
        if body is not None and not body.complete:
            # a malformed chunked body: its handler is running; it sees a BodyError, and the
            # connection closes without an answer for it (as workerd does).
            self._r_body = None
            self._discard = True
            self._broken_body = body
            body.feed_error(BodyError(f"malformed request body: {exc}"))
            return
        if self._stop_parsing:   # bytes after a request that closes the connection
            self._discard = True
            return
        self._head_error(_error_bytes(400, "Bad Request", _parse_error_message(exc)))

    def _head_error(self, data: bytes) -> None:
        """Answer a bad request head (after the answers before it), then close."""
        self._in_head = False
        self._discard = True
        self._r_entry = None
        self._enqueue((None, False, False, False, None, data, False))

    def _body_pause(self, paused: bool) -> None:
        self._set_read_block(1, paused)

    def _body_timed_out(self, body) -> None:
        # the client stalled: nothing more will be read from this connection
        self._discard = True
        if self._r_body is body:
            self._r_body = None

    def _set_read_block(self, bit: int, on: bool) -> None:
        before = self._read_block
        after = (before | bit) if on else (before & ~bit)
        self._read_block = after
        if self._closed or self._lingering:
            return
        if after and not before:
            self._transport.pause_reading()
        elif before and not after:
            self._transport.resume_reading()

    def _send_continue(self, body) -> None:
        active = self._active
        if active is not None and active[4] is body and not self._started and not self._closed:
            self._transport.write(_CONTINUE)

    # -- dispatching ----------------------------------------------------------------------------

    def _enqueue(self, entry) -> None:
        if (self._active is None and not self._queue and not self._dispatching
                and not self._write_paused and not self._defer):
            self._start(entry)
            return
        self._queue.append(entry)
        if len(self._queue) >= self._limits.max_pipeline:
            self._set_read_block(2, True)
        if self._active is None and not self._defer:
            self._run_queue()

    def _run_queue(self) -> None:
        if self._dispatching:
            return
        self._dispatching = True
        try:
            queue = self._queue
            while self._active is None and queue and not self._closed:
                if self._write_paused:
                    return    # resume_writing() continues
                entry = queue.popleft()
                if self._read_block & 2 and len(queue) < self._limits.max_pipeline // 2:
                    self._set_read_block(2, False)
                self._start(entry)
        finally:
            self._dispatching = False

    def _start(self, entry) -> None:
        req = entry[0]
        if req is None:                  # a protocol error answered in its turn
            self._active = entry
            self._started = True
            self._transport.write(entry[5])
            self._active = None
            self._close_lingering()
            return
        self._active = entry
        self._started = False
        try:
            res = entry[5](req)
        except Exception as exc:
            self._handler_failed(exc)
            return
        if type(res) is HttpResponse:
            body = res.body
            if body is None or type(body) is bytes:
                self._respond(res, body)
            else:
                self._task = self._loop.create_task(self._await_response(res, True))
        else:
            self._task = self._loop.create_task(self._await_response(res, False))

    async def _await_response(self, awaitable, streamed: bool) -> None:
        """The task of one request: await the handler (unless `streamed`: `awaitable` is then
        the response), write the answer. Nothing escapes: a stray exception (a bug of ours)
        is logged, never left for asyncio to print, and the connection is dropped."""
        try:
            if streamed:
                await self._respond_async(awaitable)
            else:
                await self._await_handler(awaitable)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            self._site.error_log("internal error in the HTTP server", exc)
            if not self._closed:
                self.abort()
            if not isinstance(exc, Exception):
                raise

    async def _await_handler(self, awaitable) -> None:
        try:
            res = await awaitable
        except asyncio.CancelledError:
            if self._closed:
                return
            self._handler_failed(None, "the request handler was cancelled")
            return
        except Exception as exc:
            self._handler_failed(exc)
            return
        if self._closed:
            await _close_body(res)
            return
        if type(res) is not HttpResponse:
            self._handler_failed(None, f"the request handler returned {type(res).__name__}, "
                                       "not an HttpResponse")
            return
        body = res.body
        if body is None or type(body) is bytes:
            self._respond(res, body)
        else:
            await self._respond_async(res)

    def _handler_failed(self, exc: BaseException | None, message: str | None = None) -> None:
        req = self._active[0] if self._active is not None else None
        where = f"{req.method} {req.url}" if isinstance(req, HttpRequest) else "request"
        self._site.error_log(f"uncaught exception while handling {where}"
                             if message is None else f"{message} ({where})", exc)
        self._write_500()

    def _write_500(self) -> None:
        if self._closed:
            return
        if self._started:      # the head is out: all we can do is cut the response short
            self._task = None
            self._active = None
            self._close()
            return
        self._started = True
        active = self._active
        if active is None:
            return
        if active[4] is not None and active[4] is self._broken_body:
            data = b""
        else:
            data = _ISE_10 if active[3] else _ISE_11
            if not active[2]:
                data += _ISE
        if data:
            self._transport.write(data)
        self._task = None
        self._active = None
        self._close_lingering()

    # -- writing ----------------------------------------------------------------------------------

    def _head(self, res: HttpResponse, length: int | None) -> tuple[bytes, bool, int | None, bool]:
        """The response head. Returns (bytes, keep_alive, content_length, chunked).

        `length` is the bytes body's length (0 for no body), or None for a streamed body.
        """
        status = res.status
        _, keep, is_head, v10, body, _, _ = self._active
        line = (_STATUS_10 if v10 else _STATUS_11).get(status)
        if line is None or res.reason is not None:
            if type(status) is not int or not 200 <= status < 600:
                raise ValueError(f"invalid response status {status!r}")
            reason = STATUS_PHRASES.get(status, "Unknown") if res.reason is None else res.reason
            if "\n" in reason or "\r" in reason:
                raise ValueError("the response reason contains CR or LF")
            line = f"HTTP/1.{0 if v10 else 1} {status} {reason}\r\n"

        headers = res.headers
        site = self._site
        if site.inject_response:
            headers = _inject(headers, site.inject_response)
        lines = [line, None]     # [1]: the framing header, filled in below
        last = 0
        ordered = True
        declared = None
        cache = _LINES
        for h in headers:
            try:
                info = cache.get(h)
            except TypeError:    # not a hashable (name, value) pair
                info = None
            if info is None:
                info = _header_line(h)
            rank = info[0]
            if rank <= 0:
                if rank == 0:
                    declared = h[1]
                continue
            lines.append(info[1])
            if rank < last:
                ordered = False
            last = rank
        if not ordered:
            lines[2:] = sorted(lines[2:], key=_line_rank)

        clen = None
        if declared is not None:
            try:
                clen = int(declared)
                if clen < 0:
                    raise ValueError
            except ValueError:
                raise ValueError(f"invalid content-length {declared!r}") from None

        if body is not None and not (body._eof or body._error is not None):
            keep = False       # the client is still sending: close after the answer
        elif site.closing and not self._queue:
            keep = False
        chunked = False
        if status in _NO_BODY_STATUS:
            clen = None
            del lines[1]
        else:
            if length is not None and (clen is None or not is_head):
                clen = length                 # bytes or no body: its length wins
            if clen is not None:
                lines[1] = _CL_LINES[clen] if clen < 1024 else f"Content-Length: {clen}\r\n"
            elif is_head:                     # HEAD of a stream of unknown length
                del lines[1]
            elif v10:
                keep = False                  # HTTP/1.0 stream: ends when we close
                del lines[1]
            else:
                chunked = True
                lines[1] = "Transfer-Encoding: chunked\r\n"
        if keep:
            if v10:
                lines.append("Connection: keep-alive\r\n\r\n")
            else:
                lines.append("\r\n")
        elif v10:
            lines.append("\r\n")
        else:
            lines.append("Connection: close\r\n\r\n")
        text = "".join(lines)
        try:
            data = text.encode("latin-1")
        except UnicodeEncodeError:
            data = text.encode("utf-8")
        return data, keep, clen, chunked

    def _respond(self, res: HttpResponse, body: bytes | None) -> None:
        """Write a whole response (bytes or no body) at once."""
        if self._active[6] and not self._slow and res.reason is None:
            # The common case, kept short: an HTTP/1.1 keep-alive request without a body
            # (not HEAD), a standard status. Anything unusual falls through to `_head`.
            length = 0 if body is None else len(body)
            lines = [_STATUS_11_BODY.get(res.status),
                     _CL_LINES[length] if length < 1024 else f"Content-Length: {length}\r\n"]
            data = None
            if lines[0] is not None:
                last = 0
                ordered = True
                cache = _LINES
                try:
                    for h in res.headers:
                        info = cache.get(h)
                        if info is None:
                            info = _header_line(h)
                        rank = info[0]
                        if rank < last or rank <= 0:
                            if rank <= 0:
                                break          # content-length or hop-by-hop: the long way
                            ordered = False
                        last = rank
                        lines.append(info[1])
                    else:
                        if not ordered:
                            lines[2:] = sorted(lines[2:], key=_line_rank)
                        lines.append("\r\n")
                        data = "".join(lines).encode("latin-1")
                except Exception:
                    data = None        # the long way reports it
            if data is not None:
                if length <= 65536:
                    self._transport.write(data + body if length else data)
                else:
                    self._transport.write(data)
                    self._transport.write(body)
                if self._queue or self._peer_eof or self._ws_hold is not None:
                    self._finish(True)
                else:
                    self._active = None            # now idle
                return
        if self._closed:
            self._active = None
            return
        if res is INTERNAL_ERROR or (self._broken_body is not None
                                     and self._active[4] is self._broken_body):
            self._write_500()
            return
        try:
            data, keep, _, _ = self._head(res, 0 if body is None else len(body))
        except Exception as exc:
            self._handler_failed(exc, "invalid response")
            return
        self._started = True
        if body and not self._active[2] and res.status not in _NO_BODY_STATUS:
            if len(body) <= 65536:
                self._transport.write(data + body)
            else:
                self._transport.write(data)
                self._transport.write(body)
        else:
            self._transport.write(data)
        self._finish(keep)

    async def _respond_async(self, res: HttpResponse) -> None:
        """Write a response whose body is an async iterable of bytes."""
        body = res.body
        if isinstance(body, WsEndpoint):
            self._respond_ws(res, body)
            return
        if self._broken_body is not None and self._active[4] is self._broken_body:
            await _close_body(res)
            self._write_500()
            return
        if isinstance(body, (bytearray, memoryview)):
            res.body = bytes(body)
            return self._respond(res, res.body)
        if not hasattr(body, "__aiter__"):
            await _close_body(res)
            self._handler_failed(None, f"invalid response body of type {type(body).__name__}")
            return
        try:
            data, keep, clen, chunked = self._head(res, None)
        except Exception as exc:
            await _close_body(res)
            self._handler_failed(exc, "invalid response")
            return
        self._started = True
        transport = self._transport
        transport.write(data)
        if self._active[2] or res.status in _NO_BODY_STATUS:
            await _close_body(res)
            self._finish(keep)
            return
        sent = 0
        it = None
        try:
            it = body.__aiter__()
            async for chunk in it:
                if self._closed:
                    break
                n = len(chunk)
                if not n:
                    continue
                if chunked:
                    if n <= 16384:
                        transport.write(b"%x\r\n%b\r\n" % (n, chunk))
                    else:
                        transport.write(b"%x\r\n" % n)
                        transport.write(chunk)
                        transport.write(b"\r\n")
                else:
                    if clen is not None and sent + n > clen:
                        raise ValueError(f"response body is longer than its content-length "
                                         f"{clen}")
                    transport.write(chunk)
                sent += n
                if self._write_paused:
                    await self._drain()
        except (asyncio.CancelledError, ConnectionError):
            if self._closed:
                return
            raise
        except Exception as exc:
            self._site.error_log("the response body stream failed", exc)
            self._close()     # the client sees a truncated response
            return
        finally:
            aclose = getattr(it, "aclose", None) if it is not None else None
            if aclose is not None:
                try:
                    await aclose()
                except Exception:
                    pass
        if self._closed:
            return
        if chunked:
            transport.write(b"0\r\n\r\n")
        elif clen is not None and sent != clen:
            self._site.error_log(f"response body ended after {sent} of {clen} bytes", None)
            self._close()
            return
        self._finish(keep)

    def _finish(self, keep: bool) -> None:
        """The active response is written: close, or go on with the next request."""
        asked_keep = self._active is not None and self._active[1]
        if self._ws_hold is not None and self._active is not None and self._ws_hold is self._active[0]:
            self._ws_unhold()
        self._active = None
        self._task = None
        if not keep or self._closed:
            if asked_keep and not self._peer_eof:
                self._close_lingering()
            else:
                self._close()
            return
        if self._queue:
            if not self._dispatching:
                self._run_queue()
            return
        if self._peer_eof:
            self._close()
            return
        if self._site.closing and not self._in_head:
            self._close()


    # -- WebSocket upgrades -------------------------------------------------------------------------

    def _ws_unhold(self) -> None:
        """The websocket request got an ordinary answer: parse what arrived meanwhile as HTTP."""
        if not self._ws_buf:
            self._ws_hold = None
            return
        self._ws_hold = True          # still held until the flush runs (keeps the byte order)
        self._loop.call_soon(self._ws_flush)

    def _ws_flush(self) -> None:
        buf, self._ws_buf = self._ws_buf, []
        self._ws_hold = None
        if buf and not self._closed:
            self.data_received(b"".join(buf))

    def _respond_ws(self, res: HttpResponse, endpoint: WsEndpoint) -> None:
        """A WebSocket answer: check the request as kj's acceptWebSocket() does, write the 101,
        and from then on the connection carries frames between the client and `endpoint`."""
        req = self._active[0]
        upgrade = key = version = None
        offers = []
        for name, value in req.headers:
            if name == "upgrade":
                if upgrade is None:
                    upgrade = value
            elif name == "sec-websocket-key":
                key = value
            elif name == "sec-websocket-version":
                version = value
            elif name == "sec-websocket-extensions":
                offers.append(value)
        if upgrade is None or upgrade.strip().lower() != "websocket" or self._active[3]:
            endpoint.discard()
            self._handler_failed(None, "Uncaught TypeError: Worker tried to return a WebSocket in "
                                 "a response to a request which did not contain the header "
                                 "\"Upgrade: websocket\".")
            return
        if req.method != "GET":
            return self._ws_refuse(endpoint, 400, "Bad Request",
                                   "ERROR: WebSocket must be initiated with a GET request.")
        if key is None:
            return self._ws_refuse(endpoint, 400, "Bad Request", "ERROR: Missing Sec-WebSocket-Key")
        if version is None or version.strip() != "13":
            return self._ws_refuse(endpoint, 426, "Upgrade Required",
                                   "ERROR: The requested WebSocket version is not supported.",
                                   "Sec-WebSocket-Version: 13\r\n")
        extensions = None
        lines = [(3, f"Sec-WebSocket-Accept: {accept_key(key)}\r\n")]
        if getattr(endpoint, "compression", False) and offers:
            extensions, header = _negotiate_deflate(", ".join(offers))
            if header is not None:
                lines.append((4, f"Sec-WebSocket-Extensions: {header}\r\n"))
        try:
            for h in res.headers:
                rank, line = _LINES.get(h) or _header_line(h)
                if rank <= 0 or rank == 3 or rank == 4:   # framing, hop-by-hop, ours
                    continue
                lines.append((rank, line))
        except Exception as exc:
            endpoint.discard()
            self._handler_failed(exc, "invalid response")
            return
        lines.sort(key=lambda x: x[0])
        head = ("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "".join(line for _, line in lines) + "\r\n")
        self._started = True
        self._task = None
        transport = self._transport
        transport.write(head.encode("latin-1", "replace"))
        ws = self._ws = ServerWebSocket(transport, self._loop, self._ws_done, extensions)
        buf, self._ws_buf = self._ws_buf, []
        self._ws_hold = None
        if self._read_block:
            self._read_block = 0
            transport.resume_reading()
        link(ws, endpoint)
        if buf:
            ws.receive_data(b"".join(buf))

    def _ws_refuse(self, endpoint, status, reason, message, extra="") -> None:
        endpoint.discard()
        body = message.encode()
        self._started = True
        self._transport.write((f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
                               f"Content-Length: {len(body)}\r\n{extra}Content-Type: text/plain"
                               "\r\n\r\n").encode() + body)
        self._ws_hold = None
        self._ws_buf = []
        self._task = None
        self._active = None
        self._close_lingering()

    def _ws_done(self) -> None:
        """The WebSocket is finished (close handshake done, aborted, or the client left)."""
        self._active = None
        self._task = None
        if not self._closed:
            self._close()


def _negotiate_deflate(offers: str):
    """permessage-deflate as the client offered it: ([extension], header) or (None, None)."""
    from wsproto.extensions import PerMessageDeflate
    for offer in offers.split(","):
        name = offer.split(";", 1)[0].strip()
        if name == "permessage-deflate":
            ext = PerMessageDeflate()
            try:
                accepted = ext.accept(offer.strip())
            except Exception:
                continue
            if accepted is None or accepted is False:
                continue
            header = name if accepted is True or accepted == "" else f"{name}; {accepted}"
            return [ext], header
    return None, None


_GOOD_HOSTS: dict = {}


def _valid_host(host: bytes) -> bool:
    """A Host value we can put in a URL (no space, path, query, fragment or userinfo)."""
    if host in _GOOD_HOSTS:
        return True
    for c in (b" ", b"/", b"\\", b"?", b"#", b"@", b"\t"):
        if host.find(c) >= 0:
            return False
    if len(_GOOD_HOSTS) >= 1024:
        _GOOD_HOSTS.clear()
    _GOOD_HOSTS[host] = True
    return True


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


_METHODS = {m.encode(): m for m in ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
                                     "CONNECT", "TRACE")}


def _origin_form(target: bytes) -> bytes:
    """The path?query of a request target (absolute-form, `*`, fragment dropped)."""
    if target == b"*":
        return target
    if target[:1] == b"/":
        i = target.find(b"#")
        return target[:i] if i >= 0 else target
    i = target.find(b"://")
    if i > 0:
        j = target.find(b"/", i + 3)
        q = target.find(b"?", i + 3)
        if j < 0 or (0 <= q < j):
            target = b"/" + target[q:] if q >= 0 else b"/"
        else:
            target = target[j:]
    else:
        target = b"/" + target
    i = target.find(b"#")
    return target[:i] if i >= 0 else target


def _inject(headers, inject):
    names = {n for n, _ in inject}
    out = [h for h in headers if h[0].lower() not in names]
    out.extend((n, v) for n, v in inject if v is not None)
    return out


async def _close_body(res) -> None:
    body = getattr(res, "body", None)
    aclose = getattr(body, "aclose", None)
    if aclose is not None:
        try:
            await aclose()
        except Exception:
            pass
