"""The request body fed by a socket, with flow control.

How this works: the protocol (protocol.py) calls `feed` for each piece of body httptools parses,
`feed_eof` at the end of the message and `feed_error` when the client aborts or the chunked
framing is malformed. Pieces wait in a deque until the handler `read`s them. When more than
`HIGH_WATER` bytes wait unread, the body asks the connection to pause reading the socket; when a
read brings it down to `LOW_WATER`, reading resumes. So a 1 GB upload holds at most about
HIGH_WATER plus one socket read (256 KiB with uvloop) in memory.

States: open (pieces may arrive) -> eof (all arrived) | error (BodyError raised once the pieces
that did arrive are read). `Expect: 100-continue`: the first read that has to wait asks the
connection to send `HTTP/1.1 100 Continue`.
"""

from __future__ import annotations

from collections import deque

from .message import Body, BodyError

__all__ = ["StreamBody", "HIGH_WATER", "LOW_WATER"]

HIGH_WATER = 64 * 1024
LOW_WATER = 16 * 1024


class StreamBody(Body):
    __slots__ = ("_conn", "_chunks", "_buffered", "_eof", "_error", "_waiter",
                 "_want_continue", "_timeout", "_paused", "max_buffered", "received")

    def __init__(self, conn, length: int | None, want_continue: bool = False,
                 timeout: float | None = None):
        super().__init__(length)
        self._conn = conn              # HttpProtocol: pause/resume reading, 100-continue, loop
        self._chunks: deque = deque()
        self._buffered = 0             # bytes fed but not yet read
        self._eof = False
        self._error: BodyError | None = None
        self._waiter = None            # future a waiting read() sleeps on
        self._want_continue = want_continue
        self._timeout = timeout        # seconds a read() may wait for more data
        self._paused = False           # we asked the connection to pause reading
        self.max_buffered = 0          # high-water mark actually reached (tests, diagnostics)
        self.received = 0              # total bytes fed

    # -- protocol side ------------------------------------------------------------------------

    @property
    def complete(self) -> bool:
        """All of the body arrived (or it failed): nothing more will be fed."""
        return self._eof or self._error is not None

    def feed(self, data: bytes) -> None:
        if self._eof or self._error is not None:
            return
        self._chunks.append(data)
        n = self._buffered + len(data)
        self._buffered = n
        self.received += len(data)
        if n > self.max_buffered:
            self.max_buffered = n
        self._wake()
        if n > HIGH_WATER and not self._paused:
            self._paused = True
            self._conn._body_pause(True)

    def feed_eof(self) -> None:
        if self._error is None:
            self._eof = True
        self._want_continue = False
        self._wake()
        self._unpause()

    def feed_error(self, error: BodyError) -> None:
        if self._eof or self._error is not None:
            return
        self._error = error
        self._want_continue = False
        self._wake()
        self._unpause()

    def discard(self) -> None:
        """Drop what is buffered (the handler will never read it)."""
        self._chunks.clear()
        self._buffered = 0
        self._unpause()

    def _wake(self) -> None:
        w = self._waiter
        if w is not None:
            self._waiter = None
            if not w.done():
                w.set_result(None)

    def _unpause(self) -> None:
        if self._paused:
            self._paused = False
            self._conn._body_pause(False)

    # -- handler side ---------------------------------------------------------------------------

    async def read(self, max: int | None = None) -> bytes:  # noqa: A002 - the contract's name
        chunks = self._chunks
        while not chunks:
            if self._error is not None:
                raise self._error
            if self._eof:
                return b""
            await self._wait()
        chunk = chunks.popleft()
        if max is not None and len(chunk) > max:
            if max <= 0:
                chunks.appendleft(chunk)
                return b""
            chunks.appendleft(chunk[max:])
            chunk = chunk[:max]
        n = self._buffered - len(chunk)
        self._buffered = n
        if self._paused and n <= LOW_WATER:
            self._unpause()
        return chunk

    async def _wait(self) -> None:
        conn = self._conn
        if self._want_continue:
            self._want_continue = False
            conn._send_continue(self)
        loop = conn._loop
        fut = loop.create_future()
        self._waiter = fut
        timer = None
        if self._timeout:
            timer = loop.call_later(self._timeout, self._on_timeout, fut)
        try:
            await fut
        finally:
            if self._waiter is fut:
                self._waiter = None
            if timer is not None:
                timer.cancel()

    def _on_timeout(self, fut) -> None:
        if not fut.done():
            self.feed_error(BodyError(
                f"no request body data for {self._timeout:g} seconds; giving up"))
            self._conn._body_timed_out(self)
