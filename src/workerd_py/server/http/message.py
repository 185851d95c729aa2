"""Request and response types every service speaks, and the `Body` byte stream.

These are plain containers: the socket protocol (protocol.py) builds `HttpRequest`s and writes
`HttpResponse`s; services (workers, network, disk, service bindings) consume and produce them.
A service binding can build an `HttpRequest` itself, with any `Body`.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import AsyncIterable, AsyncIterator, Iterable

__all__ = [
    "HttpRequest",
    "HttpResponse",
    "Body",
    "BodyError",
    "BytesBody",
    "IterBody",
    "STATUS_PHRASES",
    "INTERNAL_ERROR",
]

#: Standard reason phrases; unknown codes get "Unknown".
STATUS_PHRASES: dict[int, str] = {s.value: s.phrase for s in HTTPStatus}
STATUS_PHRASES.setdefault(418, "I'm a teapot")


class BodyError(Exception):
    """Reading a body failed: the client aborted, sent a malformed chunked body, timed out,
    or the body exceeded a limit."""


class HttpRequest:
    """One request as the server hands it to a service.

    `headers` is a list of (name, value) str tuples in wire order, names lowercased, values
    latin-1 decoded. `body` is a `Body` or None. See README.md for each field.
    """

    __slots__ = ("method", "url", "headers", "body", "client", "cf", "version")

    def __init__(self, method: str, url: str, headers: list, body: "Body | None" = None,
                 client: str = "", cf: dict | None = None, version: str = "1.1"):
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.client = client
        self.cf = cf
        self.version = version

    def header(self, name: str) -> str | None:
        """First value of the header `name` (lowercase), or None."""
        for n, v in self.headers:
            if n == name:
                return v
        return None

    def __repr__(self) -> str:
        return f"<HttpRequest {self.method} {self.url}>"


class HttpResponse:
    """A response from a service.

    `body`: bytes (content-length added), None (no body), or an async iterable of bytes
    (streamed; chunked unless `headers` carries a content-length).
    """

    __slots__ = ("status", "headers", "body", "reason")

    def __init__(self, status: int = 200, headers: Iterable = (), body=None,
                 reason: str | None = None):
        self.status = status
        self.headers = headers
        self.body = body
        self.reason = reason

    def __repr__(self) -> str:
        return f"<HttpResponse {self.status}>"


#: Return this from `handle` to answer exactly as workerd does for an uncaught exception:
#: `500 Internal Server Error`, body `Internal Server Error`, no content-type, and the
#: connection closes after it (raising from `handle` does the same, and logs the exception).
INTERNAL_ERROR = HttpResponse(500, (), b"Internal Server Error", "Internal Server Error")


class Body:
    """An async byte stream.

    Subclasses implement `read`. `length` is the content-length when known, else None.
    """

    __slots__ = ("length",)

    def __init__(self, length: int | None = None):
        self.length = length

    async def read(self, max: int | None = None) -> bytes:  # noqa: A002 - the contract's name
        """Up to `max` bytes (any amount when None); b"" at the end. Raises BodyError."""
        raise NotImplementedError

    async def read_all(self, limit: int | None = None) -> bytes:
        """The rest of the body; BodyError when it is longer than `limit`."""
        parts = []
        total = 0
        while True:
            chunk = await self.read()
            if not chunk:
                break
            total += len(chunk)
            if limit is not None and total > limit:
                raise BodyError(f"body is longer than {limit} bytes")
            parts.append(chunk)
        if len(parts) == 1:
            return parts[0]
        return b"".join(parts)

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._iter_chunks()

    async def _iter_chunks(self):
        while True:
            chunk = await self.read()
            if not chunk:
                return
            yield chunk

    @staticmethod
    def from_bytes(data: bytes) -> "BytesBody":
        return BytesBody(data)

    @staticmethod
    def from_iter(chunks: AsyncIterable[bytes], length: int | None = None) -> "IterBody":
        return IterBody(chunks, length)


class BytesBody(Body):
    """A body over bytes already in memory."""

    __slots__ = ("_data", "_pos")

    def __init__(self, data: bytes):
        super().__init__(len(data))
        self._data = bytes(data)
        self._pos = 0

    async def read(self, max: int | None = None) -> bytes:  # noqa: A002
        data, pos = self._data, self._pos
        if pos >= len(data):
            return b""
        if max is None or pos + max >= len(data):
            self._pos = len(data)
            return data[pos:] if pos else data
        self._pos = pos + max
        return data[pos:pos + max]


class IterBody(Body):
    """A body over an async iterable of bytes (a service binding's stream, a generator)."""

    __slots__ = ("_it", "_rest", "_done")

    def __init__(self, chunks: AsyncIterable[bytes], length: int | None = None):
        super().__init__(length)
        self._it = chunks.__aiter__()
        self._rest = b""
        self._done = False

    async def read(self, max: int | None = None) -> bytes:  # noqa: A002
        chunk = self._rest
        while not chunk:
            if self._done:
                return b""
            try:
                chunk = await self._it.__anext__()
            except StopAsyncIteration:
                self._done = True
                return b""
            except BodyError:
                raise
            except Exception as exc:  # the producer failed: the reader sees a BodyError
                self._done = True
                raise BodyError(str(exc) or type(exc).__name__) from exc
            chunk = bytes(chunk)
        if max is not None and len(chunk) > max:
            self._rest = chunk[max:]
            return chunk[:max]
        self._rest = b""
        return chunk
