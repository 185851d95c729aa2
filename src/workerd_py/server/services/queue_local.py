"""A local queue stored in SQLite: the backend of a `queue` binding whose service is a `disk`
service (see README.md, "Local backends for KV, R2 and Queues").

It answers workerd's Queue producer wire protocol (what `api/js/queue.js` and workerd send):

    POST /message   X-Msg-Fmt: text|bytes|json|v8 (absent: v8), X-Msg-Delay-Secs: N; body = message
    POST /batch     {"messages":[{"body":"<base64>","contentType"?,"delaySecs"?}]}, X-Msg-Delay-Secs
    GET  /metrics
and answers 200 {"metadata":{"metrics":{"backlogCount","backlogBytes","oldestMessageTimestamp"}}}
(/metrics: the metrics object), as the real Queues service does. Limits (Cloudflare's): a message
<= 128 KB, a batch <= 100 messages and 256 KB, delays 0..43200 s; refusals answer 400/413 with
`CF-Queues-Error-Cause` / `CF-Queues-Error-Code` headers.

Storage: `<dir>/queue.sqlite3`, table `messages(id TEXT PRIMARY KEY, body BLOB, content_type TEXT,
timestamp INTEGER ms, visible_at INTEGER ms, attempts INTEGER)`. Messages stay until a consumer
acknowledges them. workerd's config has no queue consumers, so nothing is delivered to a worker's
`queue()` handler; a consumer reads the store with the Python API below (or any SQLite client):

    q = QueueLocal("q", "/path/to/dir")
    batch = q.receive(max_messages=10, visibility_timeout=30)   # -> [QueueMessage], leased
    q.ack([m.id for m in batch]); q.retry(ids, delay_seconds=0)
"""
from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import sqlite3
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..http import HttpResponse
from .kv_local import json_bytes, open_sqlite

__all__ = ["QueueLocal", "QueueMessage"]

MAX_MESSAGE = 128 * 1000
MAX_BATCH_COUNT = 100
MAX_BATCH_BYTES = 256 * 1000
MAX_DELAY = 12 * 60 * 60
FORMATS = ("text", "bytes", "json", "v8")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY, body BLOB NOT NULL, content_type TEXT NOT NULL,
  timestamp INTEGER NOT NULL, visible_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS messages_visible ON messages (visible_at, timestamp);
"""


@dataclass
class QueueMessage:
    id: str
    body: bytes
    content_type: str          # text | bytes | json | v8
    timestamp: float           # seconds since the epoch (when sent)
    attempts: int

    def decode(self):
        """The body as a Python value (text -> str, json -> parsed, bytes/v8 -> bytes)."""
        if self.content_type == "text":
            return self.body.decode("utf-8", "replace")
        if self.content_type == "json":
            return json.loads(self.body.decode("utf-8", "replace"))
        return self.body


class _Refused(Exception):
    def __init__(self, status, cause):
        super().__init__(cause)
        self.status = status
        self.cause = cause

    def response(self):
        return HttpResponse(self.status, [("cf-queues-error-cause", self.cause), ("cf-queues-error-code", "10000" if self.status == 413 else "10001"),
                                          ("content-type", "text/plain;charset=UTF-8")], self.cause.encode(),
                            "Payload Too Large" if self.status == 413 else None)


def _delay(value) -> int:
    if value is None or value == "":
        return 0
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise _Refused(400, f"message delay {value} is invalid") from None
    if not 0 <= n <= MAX_DELAY:
        raise _Refused(400, f"message delay {value} is invalid: must be between 0 and {MAX_DELAY} seconds")
    return n


class QueueLocal:
    """One queue in `<directory>/queue.sqlite3`."""

    def __init__(self, name: str, directory: str, writable: bool = True, clock=time.time):
        self.name = name
        self.path = os.path.join(directory, "queue.sqlite3")
        self.writable = writable
        self.clock = clock
        self._db = None
        self._opened = False

    def _conn(self):
        if not self._opened or (self._db is None and not self.writable):
            self._db = open_sqlite(self.path, self.writable, _SCHEMA)
            self._opened = True
        return self._db

    def close(self):
        if self._db is not None:
            self._db.close()
            self._db = None
        self._opened = False

    def _now_ms(self) -> int:
        return int(self.clock() * 1000)

    # ------------------------------------------------------------------ HTTP
    def handle(self, request):
        path = urlsplit(request.url).path
        try:
            if request.method == "GET" and path == "/metrics":
                return HttpResponse(200, [("content-type", "application/json")], json_bytes(self.metrics()))
            if request.method == "POST" and path in ("/message", "/batch"):
                if not self.writable:
                    raise _Refused(405, "this queue is read-only (its disk service is not writable)")
                return self._send(request, path == "/batch")
            raise _Refused(404, f"unknown queue operation {request.method} {path}")
        except _Refused as e:
            return e.response()
        except sqlite3.Error as e:
            return _Refused(500, f"queue storage error: {e}").response()

    def _send(self, request, batch: bool):
        delay = _delay(request.header("x-msg-delay-secs"))
        fmt = request.header("x-msg-fmt")

        async def run():
            try:
                body = b"" if request.body is None else await request.body.read_all(limit=MAX_BATCH_BYTES * 2 + 4096)
            except Exception:  # noqa: BLE001 - too large or aborted
                return _Refused(413, "request body too large").response()
            try:
                if batch:
                    items = self._parse_batch(body, request, delay)
                else:
                    if fmt is not None and fmt not in FORMATS:
                        raise _Refused(400, f"message content type {fmt} is invalid; if specified, must be one of 'text', 'json', 'bytes', or 'v8'")
                    if len(body) > MAX_MESSAGE:
                        raise _Refused(413, f"message length of {len(body)} bytes exceeds limit of {MAX_MESSAGE}")
                    items = [(body, fmt or "v8", delay)]
                self._store(items)
            except _Refused as e:
                return e.response()
            return HttpResponse(200, [("content-type", "application/json")], json_bytes({"metadata": {"metrics": self.metrics()}}))
        return run()

    def _parse_batch(self, body: bytes, request, default_delay: int):
        try:
            messages = json.loads(body)["messages"]
            if not isinstance(messages, list):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise _Refused(400, "invalid batch: expected {\"messages\": [...]}") from None
        if len(messages) > MAX_BATCH_COUNT:
            raise _Refused(413, f"batch message count of {len(messages)} exceeds limit of {MAX_BATCH_COUNT}")
        items = []
        total = 0
        for m in messages:
            try:
                data = base64.b64decode(m["body"], validate=True)
            except (KeyError, TypeError, binascii.Error):
                raise _Refused(400, "invalid batch: each message needs a base64 body") from None
            fmt = m.get("contentType") or "v8"
            if fmt not in FORMATS:
                raise _Refused(400, f"message content type {fmt} is invalid; if specified, must be one of 'text', 'json', 'bytes', or 'v8'")
            if len(data) > MAX_MESSAGE:
                raise _Refused(413, f"message in batch has length {len(data)} bytes which exceeds single message size limit of {MAX_MESSAGE}")
            total += len(data)
            delay = _delay(m["delaySecs"]) if m.get("delaySecs") is not None else default_delay
            items.append((data, fmt, delay))
        if total > MAX_BATCH_BYTES:
            raise _Refused(413, f"batch size of {total} bytes exceeds limit of {MAX_BATCH_BYTES}")
        return items

    def _store(self, items):
        now = self._now_ms()
        db = self._conn()
        db.execute("BEGIN IMMEDIATE")
        try:
            for data, fmt, delay in items:
                db.execute("INSERT INTO messages (id, body, content_type, timestamp, visible_at, attempts) VALUES (?,?,?,?,?,0)",
                           (secrets.token_hex(16), data, fmt, now, now + delay * 1000))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------------ consumer API
    def metrics(self) -> dict:
        db = self._conn()
        if db is None:
            return {"backlogCount": 0, "backlogBytes": 0, "oldestMessageTimestamp": 0}
        count, size, oldest = db.execute("SELECT COUNT(*), COALESCE(SUM(LENGTH(body)), 0), COALESCE(MIN(timestamp), 0) FROM messages").fetchone()
        return {"backlogCount": count, "backlogBytes": size, "oldestMessageTimestamp": oldest}

    def receive(self, max_messages: int = 10, visibility_timeout: float = 30.0) -> list[QueueMessage]:
        """Lease up to `max_messages` visible messages (oldest first) for `visibility_timeout` s."""
        db = self._conn()
        if db is None:
            return []
        now = self._now_ms()
        db.execute("BEGIN IMMEDIATE")
        try:
            rows = db.execute("SELECT id, body, content_type, timestamp, attempts FROM messages WHERE visible_at <= ? "
                              "ORDER BY timestamp, rowid LIMIT ?", (now, max_messages)).fetchall()
            lease = now + int(visibility_timeout * 1000)
            for row in rows:
                db.execute("UPDATE messages SET visible_at = ?, attempts = attempts + 1 WHERE id = ?", (lease, row[0]))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return [QueueMessage(r[0], bytes(r[1]), r[2], r[3] / 1000.0, r[4] + 1) for r in rows]

    def ack(self, ids) -> None:
        db = self._conn()
        if db is not None:
            db.executemany("DELETE FROM messages WHERE id = ?", [(i,) for i in ids])

    def retry(self, ids, delay_seconds: int = 0) -> None:
        db = self._conn()
        if db is not None:
            at = self._now_ms() + int(delay_seconds * 1000)
            db.executemany("UPDATE messages SET visible_at = ? WHERE id = ?", [(at, i) for i in ids])
