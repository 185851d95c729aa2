"""WebSocket connections between services: endpoints, links, and the server side of a socket.

How this works
--------------
A WebSocket conversation is two *endpoints* joined by `link(a, b)`. Each endpoint stands for one
party: a client socket (`ServerWebSocket`: frames on an HTTP/1.1 connection after a 101), a JS
WebSocket in a worker's isolate (`JsEndpoint` in services/worker.py), an outbound client
connection (services/network.py). What one party says goes out through `endpoint.send(msg)` and
arrives at the other party's `endpoint.deliver(msg)`. Until an endpoint is linked, what it sends
is queued and handed over by `link` (a worker can send before its 101 is written).

Messages are tuples:
    (TEXT, str)  (BINARY, bytes)  (CLOSE, code, reason)  (ABORT,)
CLOSE is a close frame (code 1005 means "no code", as workerd's CloseEvent says); ABORT means the
party went away without a close frame (the other side sees 1006).

A service answers an upgrade with `HttpResponse(101, headers, endpoint)`: the server checks the
request as kj does, writes the 101 and links a `ServerWebSocket` to the endpoint. Framing is
wsproto (sans-IO): ping is answered with pong, fragments are joined, the close handshake is
completed, the server closes TCP after it.
"""
from __future__ import annotations

import base64
import hashlib

from wsproto.connection import Connection, ConnectionState, ConnectionType
from wsproto.frame_protocol import CloseReason
from wsproto.events import (BytesMessage, CloseConnection, Message, Ping, TextMessage)
from wsproto.utilities import RemoteProtocolError

__all__ = ["TEXT", "BINARY", "CLOSE", "ABORT", "WsEndpoint", "link", "ServerWebSocket",
           "accept_key", "MAX_MESSAGE"]

TEXT, BINARY, CLOSE, ABORT = 0, 1, 2, 3
_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_MESSAGE = 128 << 20        # kj with increase_websocket_message_size (on in workerd 2026-11-17)
_CLOSE_WAIT = 30.0             # after our close frame: the peer's answer or we drop the socket


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1(key.strip().encode("latin-1") + _GUID).digest()).decode()


class WsEndpoint:
    """One party of a WebSocket conversation. Subclasses implement `deliver`."""

    __slots__ = ("peer", "_pending", "__weakref__")

    def __init__(self):
        self.peer: WsEndpoint | None = None
        self._pending: list | None = []

    def send(self, msg) -> None:
        """A message from this party to the other one."""
        peer = self.peer
        if peer is not None:
            peer.deliver(msg)
        elif self._pending is not None:
            self._pending.append(msg)

    def deliver(self, msg) -> None:   # pragma: no cover - abstract
        raise NotImplementedError

    def unlink(self):
        """Detach from the peer; returns it (its messages queue again until it is linked)."""
        peer = self.peer
        self.peer = None
        if peer is not None:
            peer.peer = None
            if peer._pending is None:
                peer._pending = []
        return peer

    def discard(self) -> None:
        """Nobody will ever link this endpoint (the upgrade was refused): its party is let go
        without an event, as in workerd (`(ABORT, True)`: silently)."""
        self._pending = None
        self.deliver((ABORT, True))


def link(a: WsEndpoint, b: WsEndpoint) -> None:
    a.peer = b
    b.peer = a
    pa, pb = a._pending or (), b._pending or ()
    a._pending = b._pending = None
    for m in pa:
        b.deliver(m)
    for m in pb:
        a.deliver(m)


class ServerWebSocket(WsEndpoint):
    """The client's side of an accepted upgrade: wsproto over the HTTP connection's transport."""

    __slots__ = ("_conn", "_transport", "_on_done", "_parts", "_size", "_kind", "_done",
                 "_loop", "_timer", "_max")

    def __init__(self, transport, loop, on_done, extensions=None, max_message=MAX_MESSAGE):
        super().__init__()
        self._conn = Connection(ConnectionType.SERVER, extensions=extensions or None)
        self._transport = transport
        self._loop = loop
        self._on_done = on_done       # called once when the socket is finished (closed/aborted)
        self._parts: list = []
        self._size = 0
        self._kind = None
        self._done = False
        self._timer = None
        self._max = max_message

    # -- bytes from the client
    def receive_data(self, data: bytes) -> None:
        if self._done:
            return
        conn = self._conn
        try:
            conn.receive_data(data)
            for ev in conn.events():
                if isinstance(ev, Message):
                    self._on_message(ev)
                elif isinstance(ev, Ping):
                    self._write(conn.send(ev.response()))
                elif isinstance(ev, CloseConnection):
                    self._on_close(ev)
                if self._done:
                    return
        except RemoteProtocolError as exc:
            self._fail(exc.event_hint.code if exc.event_hint is not None else 1002,
                       str(exc))

    def _on_message(self, ev) -> None:
        data = ev.data
        self._size += len(data)
        if self._size > self._max:
            self._fail(1009, "Message is too large")
            return
        if ev.message_finished and not self._parts:
            self._size = 0
            self.send((TEXT, data) if isinstance(ev, TextMessage) else (BINARY, bytes(data)))
            return
        self._parts.append(data)
        if ev.message_finished:
            parts, self._parts, self._size = self._parts, [], 0
            if isinstance(ev, TextMessage):
                self.send((TEXT, "".join(parts)))
            else:
                self.send((BINARY, b"".join(parts)))

    def _on_close(self, ev) -> None:
        code = ev.code
        self.send((CLOSE, 1005 if code is None else int(code), ev.reason or ""))
        if self._conn.state is ConnectionState.CLOSED:
            self._finish()        # our close was answered: the handshake is complete

    def _fail(self, code: int, reason: str) -> None:
        """A protocol violation: close frame with `code`, drop the socket, the peer sees 1006."""
        try:
            if self._conn.state is ConnectionState.OPEN:
                self._write(self._conn.send(CloseConnection(code, reason)))
        except Exception:
            pass
        self.send((ABORT,))
        self._finish()

    # -- messages from the other party
    def deliver(self, msg) -> None:
        if self._done:
            return
        conn = self._conn
        kind = msg[0]
        try:
            if kind == TEXT or kind == BINARY:
                state = conn.state
                if state is ConnectionState.OPEN:
                    self._write(conn.send(TextMessage(msg[1]) if kind == TEXT else BytesMessage(msg[1])))
                elif state is ConnectionState.REMOTE_CLOSING:
                    # the client closed first: messages before our close frame still go out (as
                    # kj does; wsproto only allows them while OPEN)
                    self._write(conn._proto.send_data(msg[1], True))
            elif kind == CLOSE:
                state = conn.state
                if state is ConnectionState.OPEN or state is ConnectionState.REMOTE_CLOSING:
                    code, reason = msg[1], msg[2]
                    if code == 1005 or code is None:
                        code = CloseReason.NO_STATUS_RCVD   # a close frame without a body
                    data = conn.send(CloseConnection(code, reason or None))
                    self._write(data)
                    if conn.state is ConnectionState.CLOSED:
                        self._finish()
                    else:
                        self._timer = self._loop.call_later(_CLOSE_WAIT, self.abort)
            else:  # ABORT: the other party is gone without a close frame
                self.abort()
        except Exception:
            self.abort()

    def _write(self, data) -> None:
        if data and not self._done:
            self._transport.write(data)

    # -- the end
    def connection_lost(self) -> None:
        """The client went away; without a finished close handshake the peer sees ABORT."""
        if self._done:
            return
        closed = self._conn.state is ConnectionState.CLOSED
        self._done = True
        self._cancel_timer()
        if not closed:
            self.send((ABORT,))
        self._on_done()

    def abort(self) -> None:
        if self._done:
            return
        self.send((ABORT,))
        self._finish()

    def _cancel_timer(self):
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        self._cancel_timer()
        try:
            self._transport.close()
        except Exception:
            pass
        self._on_done()
