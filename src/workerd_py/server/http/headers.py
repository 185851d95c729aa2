"""Response header names as workerd writes them: canonical case and its order.

workerd (kj's HttpHeaders) writes headers it knows by id in table order with canonical case, then
the others in the order given. Matching it keeps our bytes identical to the reference for the
common responses. Order and case carry no meaning in HTTP/1.1 (same-name headers keep their
relative order, the sort is stable), so this is fidelity, not correctness.
Observed with workerd 2026-11-17.
"""

from __future__ import annotations

# Headers the server owns: a handler's value is dropped (content-length is read, see protocol).
HOP_BY_HOP = frozenset(("connection", "keep-alive", "te", "trailer", "upgrade", "transfer-encoding",
                        "proxy-connection"))

_ORDER = (
    # kj built-ins (Connection, Keep-Alive, TE, Trailer, Upgrade, Content-Length and
    # Transfer-Encoding come first but are written by the server itself).
    "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Accept",
    "Sec-WebSocket-Extensions", "Host", "Date", "Location", "Content-Type",
    # workerd's table
    "Range", "Content-Range",
    "Accept-Charset", "Accept-Encoding", "Accept-Language", "Accept-Ranges", "Accept",
    "Access-Control-Allow-Origin", "Age", "Allow", "Authorization", "Cache-Control",
    "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Location", "Cookie",
    "ETag", "Expect", "Expires", "From", "If-Match", "If-Modified-Since", "If-None-Match",
    "If-Range", "If-Unmodified-Since", "Last-Modified", "Link", "Max-Forwards",
    "Proxy-Authenticate", "Proxy-Authorization", "Referer", "Refresh", "Retry-After", "Server",
    "Set-Cookie", "Strict-Transport-Security", "User-Agent", "Vary", "Via", "WWW-Authenticate",
    "CF-Cache-Status", "Pragma", "Sec-WebSocket-Protocol", "CF-Ray", "Origin",
)

#: lowercase name -> (rank, canonical name). Unknown names rank after all of these.
KNOWN: dict[str, tuple[int, str]] = {n.lower(): (i, n) for i, n in enumerate(_ORDER, 1)}
UNKNOWN_RANK = len(_ORDER) + 1
