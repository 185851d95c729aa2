"""A local Workers KV namespace stored in SQLite: the backend of a `kvNamespace` binding whose
service is a `disk` service (see README.md, "Local backends for KV, R2 and Queues").

It answers workerd's KV wire protocol (what `api/js/kv.js` and the real workerd send):

    GET    /<key>?urlencoded=true[&cache_ttl=N]   200 value (+ CF-KV-Metadata) | 404
    PUT    /<key>?urlencoded=true[&expiration=N][&expiration_ttl=N]   CF-KV-Metadata; body = value
    DELETE /<key>?urlencoded=true                 200 (also when missing)
    GET    /?key_count_limit=&prefix=&cursor=      {"keys":[...],"list_complete":..,"cursor"?}
    POST   /bulk/get   {"keys":[...],"type"?,"withMetadata"?,"cacheTtl"?}  -> {key: value|{value,metadata}}

Storage: `<dir>/kv.sqlite3`, table `kv(key BLOB PRIMARY KEY, value BLOB, expiration INTEGER NULL,
metadata TEXT NULL)`. Keys are the UTF-8 bytes of the key (so listing is in UTF-8 byte order, as
KV lists), `expiration` is seconds since the epoch, `metadata` JSON text. Expired entries are
invisible and deleted when met. Every write is one autocommitted statement (WAL journal).

Cloudflare's limits are enforced with its messages (status 400/413/414, plain-text body): keys
<= 512 bytes and not empty, "." or ".."; values <= 25 MiB; metadata <= 1024 bytes of JSON;
expiration / expiration_ttl at least 60 seconds ahead; cache_ttl >= 60; list limit <= 1000;
bulk gets of at most 100 keys, type "text" or "json". A read-only disk service serves reads and
answers writes with 405.
"""
from __future__ import annotations

import base64
import json
import os
import sqlite3
import time
from urllib.parse import parse_qsl, unquote_to_bytes, urlsplit

from ..http import HttpResponse

__all__ = ["KvLocal", "open_sqlite", "header_text", "json_bytes", "text_response"]

MAX_KEY = 512
MAX_VALUE = 25 * 1024 * 1024
MAX_METADATA = 1024
MIN_TTL = 60
MAX_LIST = 1000
MAX_BULK = 100


def open_sqlite(path: str, writable: bool, schema: str) -> sqlite3.Connection | None:
    """Open (creating when writable) a SQLite database in autocommit + WAL mode.

    Read-only: opened with mode=ro; None when the file does not exist (an empty store)."""
    if writable:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.executescript(schema)
        return conn
    if not os.path.exists(path):
        return None
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


_REASONS = {413: "Payload Too Large", 414: "URI Too Long"}  # RFC 7231 names (Python's are older)


def text_response(status: int, message: str, reason: str | None = None, headers=()) -> HttpResponse:
    return HttpResponse(status, [("content-type", "text/plain;charset=UTF-8"), *headers], message.encode(),
                        reason or _REASONS.get(status))


def json_bytes(value) -> bytes:
    """Compact, ASCII-only JSON (header-safe; lone surrogates escaped)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def header_text(value: str) -> str:
    """A header value as text: headers arrive latin-1 decoded; UTF-8 senders are re-decoded."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def key_text(key: bytes) -> str:
    """A stored key as a JS string (WTF-8 -> lone surrogates kept)."""
    return key.decode("utf-8", "surrogatepass")


_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (
  key BLOB PRIMARY KEY,
  value BLOB NOT NULL,
  expiration INTEGER,
  metadata TEXT
) WITHOUT ROWID;
"""


class KvLocal:
    """One KV namespace in `<directory>/kv.sqlite3`."""

    def __init__(self, name: str, directory: str, writable: bool = True, clock=time.time):
        self.name = name
        self.path = os.path.join(directory, "kv.sqlite3")
        self.writable = writable
        self.clock = clock
        self._db: sqlite3.Connection | None = None
        self._opened = False

    # ------------------------------------------------------------------ storage
    def _conn(self):
        if not self._opened or (self._db is None and not self.writable and os.path.exists(self.path)):
            self._db = open_sqlite(self.path, self.writable, _SCHEMA)
            self._opened = True
        return self._db

    def close(self):
        if self._db is not None:
            self._db.close()
            self._db = None
        self._opened = False

    def _now(self) -> int:
        return int(self.clock())

    def _row(self, key: bytes):
        db = self._conn()
        if db is None:
            return None
        row = db.execute("SELECT value, expiration, metadata FROM kv WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        if row[1] is not None and row[1] <= self._now():
            if self.writable:
                db.execute("DELETE FROM kv WHERE key = ? AND expiration = ?", (key, row[1]))
            return None
        return row

    # ------------------------------------------------------------------ HTTP
    def handle(self, request):
        try:
            parts = urlsplit(request.url)
            path = parts.path
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            method = request.method
            if path in ("", "/"):
                if method == "GET":
                    return self._list(query)
                return text_response(405, "Method Not Allowed")
            if path == "/bulk/get" and method == "POST":
                return self._bulk(request)
            key = unquote_to_bytes(path[1:])
            if method == "GET":
                return self._get(key, query)
            if method == "PUT":
                return self._put(key, query, request)
            if method == "DELETE":
                return self._delete(key)
            return text_response(405, "Method Not Allowed")
        except sqlite3.Error as e:
            return text_response(500, f"KV storage error: {e}")

    @staticmethod
    def _check_key(key: bytes) -> HttpResponse | None:
        if key in (b"", b".", b".."):
            return text_response(400, "Invalid key name: it cannot be empty, \".\" or \"..\".")
        if len(key) > MAX_KEY:
            return text_response(414, f"UTF-8 encoded length of {len(key)} exceeds key length limit of {MAX_KEY}.")
        return None

    @staticmethod
    def _check_cache_ttl(value) -> HttpResponse | None:
        if value is None:
            return None
        try:
            ttl = int(value)
        except ValueError:
            ttl = 0
        if ttl < MIN_TTL:
            return text_response(400, f"Invalid cache_ttl of {value}. Cache TTL must be at least {MIN_TTL}.")
        return None

    def _get(self, key: bytes, query: dict) -> HttpResponse:
        bad = self._check_key(key) or self._check_cache_ttl(query.get("cache_ttl"))
        if bad is not None:
            return bad
        row = self._row(key)
        if row is None:
            return text_response(404, "Not Found")
        headers = []
        if row[2] is not None:
            headers.append(("cf-kv-metadata", row[2]))
        if row[1] is not None:
            headers.append(("expiration", str(row[1])))
        return HttpResponse(200, headers, bytes(row[0]))

    def _expiration(self, query: dict) -> tuple[int | None, HttpResponse | None]:
        now = self._now()
        ttl = query.get("expiration_ttl")
        if ttl is not None:
            try:
                n = int(ttl)
            except ValueError:
                n = 0
            if n < MIN_TTL:
                return None, text_response(400, f"Invalid expiration_ttl of {ttl}. Expiration TTL must be at least {MIN_TTL}.")
            return now + n, None
        exp = query.get("expiration")
        if exp is not None:
            try:
                n = int(exp)
            except ValueError:
                n = 0
            if n < now + MIN_TTL:
                return None, text_response(400, f"Invalid expiration of {exp}. Expiration times must be at least {MIN_TTL} seconds in the future.")
            return n, None
        return None, None

    async def _read_value(self, request) -> bytes | None:
        if request.body is None:
            return b""
        chunks = []
        total = 0
        while True:
            chunk = await request.body.read(65536)
            if not chunk:
                return b"".join(chunks)
            total += len(chunk)
            if total > MAX_VALUE:
                return None
            chunks.append(chunk)

    def _put(self, key: bytes, query: dict, request):
        if not self.writable:
            return text_response(405, "Method Not Allowed")
        bad = self._check_key(key)
        if bad is not None:
            return bad
        expiration, bad = self._expiration(query)
        if bad is not None:
            return bad
        metadata = request.header("cf-kv-metadata")
        if metadata is not None:
            try:
                obj = json.loads(header_text(metadata))
            except ValueError:
                return text_response(400, "Metadata is not valid JSON.")
            size = len(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass"))
            if size > MAX_METADATA:
                return text_response(413, f"Metadata length of {size} exceeds limit of {MAX_METADATA}.")
            metadata = json_bytes(obj).decode("ascii")

        async def finish():
            value = await self._read_value(request)
            if value is None:
                return text_response(413, f"Value length exceeds limit of {MAX_VALUE}.")
            self._conn().execute("INSERT OR REPLACE INTO kv (key, value, expiration, metadata) VALUES (?, ?, ?, ?)",
                                 (key, value, expiration, metadata))
            return HttpResponse(200, [], b"")
        return finish()

    def _delete(self, key: bytes) -> HttpResponse:
        if not self.writable:
            return text_response(405, "Method Not Allowed")
        bad = self._check_key(key)
        if bad is not None:
            return bad
        self._conn().execute("DELETE FROM kv WHERE key = ?", (key,))
        return HttpResponse(200, [], b"")

    def _list(self, query: dict) -> HttpResponse:
        limit = MAX_LIST
        if "key_count_limit" in query:
            try:
                limit = int(query["key_count_limit"])
            except ValueError:
                limit = -1
            if limit < 1 or limit > MAX_LIST:
                return text_response(400, f"Invalid key_count_limit of {query['key_count_limit']}. Please specify an integer between 1 and {MAX_LIST}.")
        prefix = query.get("prefix", "").encode("utf-8", "surrogatepass")
        after = None
        cursor = query.get("cursor")
        if cursor:
            try:
                after = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            except ValueError:
                return text_response(400, "Invalid cursor.")
        keys = []
        complete = True
        db = self._conn()
        if db is not None:
            now = self._now()
            sql = "SELECT key, expiration, metadata FROM kv WHERE key >= ?"
            args: list = [prefix]
            upper = _prefix_end(prefix)
            if upper is not None:
                sql += " AND key < ?"
                args.append(upper)
            if after is not None:
                sql += " AND key > ?"
                args.append(after)
            sql += " AND (expiration IS NULL OR expiration > ?) ORDER BY key LIMIT ?"
            args += [now, limit + 1]
            rows = db.execute(sql, args).fetchall()
            if len(rows) > limit:
                complete = False
                rows = rows[:limit]
            for key, expiration, metadata in rows:
                item = {"name": key_text(bytes(key))}
                if expiration is not None:
                    item["expiration"] = expiration
                if metadata is not None:
                    item["metadata"] = json.loads(metadata)
                keys.append(item)
        result = {"keys": keys, "list_complete": complete}
        if not complete:
            result["cursor"] = base64.urlsafe_b64encode(bytes(rows[-1][0])).decode("ascii").rstrip("=")
        return HttpResponse(200, [("content-type", "application/json")], json_bytes(result))

    def _bulk(self, request):
        async def run():
            raw = await self._read_value(request)
            try:
                body = json.loads(raw or b"null")
                keys = body["keys"]
                if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
                    raise TypeError
            except (ValueError, KeyError, TypeError):
                return text_response(400, "Invalid bulk get request: expected {\"keys\": [...]}.")
            if len(keys) > MAX_BULK:
                return text_response(400, f"You can request a maximum of {MAX_BULK} keys at once.")
            type_ = body.get("type") or "text"
            if type_ not in ("text", "json"):
                return text_response(400, f"Invalid type {type_}: bulk gets support only \"text\" and \"json\".")
            bad = self._check_cache_ttl(body.get("cacheTtl"))
            if bad is not None:
                return bad
            with_metadata = bool(body.get("withMetadata"))
            out = {}
            for k in keys:
                kb = k.encode("utf-8", "surrogatepass")
                bad = self._check_key(kb)
                if bad is not None:
                    return bad
                row = self._row(kb)
                if row is None:
                    value = metadata = None
                else:
                    text = bytes(row[0]).decode("utf-8", "replace")
                    if type_ == "json":
                        try:
                            value = json.loads(text)
                        except ValueError:
                            return text_response(400, f"The value of key {k!r} is not valid JSON.")
                    else:
                        value = text
                    metadata = None if row[2] is None else json.loads(row[2])
                out[k] = {"value": value, "metadata": metadata} if with_metadata else value
            return HttpResponse(200, [("content-type", "application/json")], json_bytes(out))
        return run()


def _prefix_end(prefix: bytes) -> bytes | None:
    """The smallest byte string greater than every string starting with `prefix` (None: no bound)."""
    p = bytearray(prefix)
    while p:
        if p[-1] < 0xFF:
            p[-1] += 1
            return bytes(p)
        p.pop()
    return None
