"""Durable Objects: namespaces, ids, one live instance per id, storage, alarms.

The pieces
----------
- `Registry` (one per App, `registry(server)`): every namespace declared by any worker of the plan,
  keyed by (service, class). Created on the first `durableObjectNamespace` binding; it then also
  re-arms the alarms persisted on disk. Closed by App.close() (it sits in the App's backend cache).
- `Namespace`: the unique key's HMAC key, the storage kind, the live objects by id.
- `ObjectSlot`: one object: its JS instance in the isolate of the worker exporting the class (created
  on first use with `new Class(state, env)`), its input gate and event queue, its `ObjectStore`, its alarm.
- `ObjectStore`: one SQLite database per object, laid out as workerd does it: table `_cf_KV(key TEXT
  PRIMARY KEY, value BLOB) WITHOUT ROWID` holding V8-serialized values, `_cf_METADATA` (key 1 = alarm
  time in ns), and per namespace `metadata.sqlite` with `_cf_ALARM(actor_id, scheduled_time, actor_name)`.
  `localDisk` puts them in `<disk directory>/<uniqueKey>/<id>.sqlite` (the real workerd reads what we
  write and the reverse); `inMemory` uses `:memory:` databases (kept across isolate restarts).

Ids (as workerd, see /work/shared/FACTS.md): key = SHA-256(uniqueKey [+ modifier]); idFromName: first
16 bytes = HMAC-SHA256(key, name)[:16], second 16 = HMAC-SHA256(key, first16)[:16]; newUniqueId: 16
random bytes + the same MAC; idFromString checks the MAC.

Events and the input gate
-------------------------
Every event (a stub's fetch, an RPC call, an alarm) is queued on its object and delivered in order
while the gate is open. `blockConcurrencyWhile()` and `storage.transaction()` close the gate until
their promise settles; events arriving meanwhile wait. Storage operations are synchronous SQLite calls
whose results JS wraps in settled promises, so no event can run between a storage call and its
continuation (what workerd's input gate guarantees) without any further bookkeeping. Writes of one
turn are batched into one SQLite transaction committed at the end of the turn (call_soon), as workerd
coalesces writes.

Calls between isolates carry bytes only (V8-serialized arguments, results and errors; HTTP requests
and responses as for service bindings): no JS value ever crosses from one isolate to another.

Other behaviour matched with workerd 2026-11-17: a failed blockConcurrencyWhile() or ctx.abort()
resets the object (events in flight fail, stubs that used it keep failing, new stubs get a new
instance); alarms fire at the set time (a past time at once), getAlarm() is null inside alarm(), a
failing alarm is retried after 2 s, 4 s, ... (6 times); at most 256 object databases stay open.

Not implemented: instance eviction (objects live as long as the App), WebSocket hibernation,
passing functions/stubs/RpcTargets/streams over RPC (DataCloneError), storage options
(allowConcurrency, noCache...), point-in-time recovery, exact SQL rowsRead (approximated).

This module uses the worker service's glue methods (`_new_io`, `_promise_future`, `_settle_later`,
`_finish`, `register_body`, `_log`, `_restart`) and its `api`, `internal`, `isolate`, `env`, `exports`.
"""
from __future__ import annotations

import asyncio
import collections
import hashlib
import hmac
import itertools
import os
import secrets
import sqlite3
import time
import weakref

from .. import engine

__all__ = ["Registry", "registry", "make_namespace_binding", "namespace_key", "id_from_name",
           "new_unique_id", "valid_id"]

_JSObject = engine.JSObject
_undefined = engine.undefined

MAX_ALARM_RETRIES = 6
MAX_OPEN_FILES = 256        # object databases kept open at once (localDisk)
ALARM_BACKOFF_S = 2.0       # first retry after 2 s, then doubling
_REMOTE = "\x00remote:"     # message prefix: durable_objects.js sets `remote = true` on such errors

_KV_DDL = """CREATE TABLE IF NOT EXISTS _cf_KV (
        key TEXT PRIMARY KEY,
        value BLOB
      ) WITHOUT ROWID"""
_META_DDL = """CREATE TABLE IF NOT EXISTS _cf_METADATA (
        key INTEGER PRIMARY KEY,
        value BLOB
      )"""
_ALARM_DDL = """CREATE TABLE IF NOT EXISTS _cf_ALARM (
      actor_id TEXT PRIMARY KEY,
      scheduled_time INTEGER,
      actor_name TEXT
    ) WITHOUT ROWID"""


# ---------------------------------------------------------------------------- ids
def _utf8(s: str) -> bytes:
    """The bytes workerd derives from a JS string: UTF-8, lone surrogates as 3-byte WTF-8."""
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogatepass")


def _key(k: str) -> str:
    """A storage key as workerd stores it: a lone surrogate's WTF-8 bytes read back as U+FFFDs."""
    try:
        k.encode("utf-8")
        return k
    except UnicodeEncodeError:
        return k.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def namespace_key(unique_key: str, modifier: str | None = None) -> bytes:
    return hashlib.sha256(_utf8(unique_key + (modifier or ""))).digest()


def _mac(key: bytes, base: bytes) -> bytes:
    return hmac.new(key, base, hashlib.sha256).digest()[:16]


def id_from_name(key: bytes, name: str) -> str:
    base = hmac.new(key, _utf8(name), hashlib.sha256).digest()[:16]
    return (base + _mac(key, base)).hex()


def new_unique_id(key: bytes) -> str:
    base = secrets.token_bytes(16)
    return (base + _mac(key, base)).hex()


def valid_id(key: bytes, hex_id: str) -> bool:
    try:
        raw = bytes.fromhex(hex_id)
    except ValueError:
        return False
    return len(raw) == 32 and hmac.compare_digest(_mac(key, raw[:16]), raw[16:])


_alarm_owners: dict = {}   # localDisk directory -> weakref of the Namespace arming its alarms


def _now_ms() -> int:
    return int(time.time() * 1000)


# ---------------------------------------------------------------------------- storage
class StorageError(Exception):
    pass


class ObjectStore:
    """The SQLite database of one object (a file, or `:memory:`)."""

    def __init__(self, path: str | None, loop):
        self.path = path
        self.loop = loop
        self.db = sqlite3.connect(path or ":memory:", isolation_level=None, check_same_thread=False)
        self.savepoints = 0
        self._sp_ids = itertools.count(1)
        self._sp_stack: list[str] = []
        self._commit_handle = None
        self._user_denied = None
        self._reads_table = False

    # -------------------------------------------------- transactions
    def _write(self):
        if not self.db.in_transaction:
            self.db.execute("BEGIN")
        if self._commit_handle is None and self.savepoints == 0:
            self._commit_handle = self.loop.call_soon(self.commit)

    def commit(self):
        self._commit_handle = None
        if self.savepoints == 0 and self.db.in_transaction:
            self.db.execute("COMMIT")

    def begin(self):
        self._write()
        name = f"_cf_txn{next(self._sp_ids)}"
        self.db.execute(f"SAVEPOINT {name}")
        self._sp_stack.append(name)
        self.savepoints += 1

    def end(self, commit: bool):
        if not self._sp_stack:
            return
        name = self._sp_stack.pop()
        self.savepoints -= 1
        try:
            if not commit:
                self.db.execute(f"ROLLBACK TO {name}")
            self.db.execute(f"RELEASE {name}")
        except sqlite3.OperationalError:
            pass  # a statement error already rolled the whole transaction back
        if self.savepoints == 0 and self._commit_handle is None:
            self._commit_handle = self.loop.call_soon(self.commit)

    # -------------------------------------------------- KV
    def _read(self, sql, params=()):
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as e:
            if "no such table: _cf_" in str(e):
                return []
            raise

    def _kv_write(self, sql, params=(), many=False):
        self._write()
        try:
            cur = self.db.executemany(sql, params) if many else self.db.execute(sql, params)
        except sqlite3.OperationalError as e:
            if "no such table: _cf_KV" not in str(e):
                raise
            self.db.execute(_KV_DDL)
            cur = self.db.executemany(sql, params) if many else self.db.execute(sql, params)
        return cur.rowcount

    def get(self, keys: list[str]) -> list:
        if len(keys) == 1:
            rows = self._read("SELECT value FROM _cf_KV WHERE key = ?", (keys[0],))
            return [rows[0][0] if rows else None]
        found = dict(self._read(f"SELECT key, value FROM _cf_KV WHERE key IN ({','.join('?' * len(keys))})", keys))
        return [found.get(k) for k in keys]

    def get1(self, key: str):
        try:
            row = self.db.execute("SELECT value FROM _cf_KV WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError as e:
            if "no such table: _cf_" in str(e):
                return None
            raise
        return None if row is None else row[0]

    def put1(self, key: str, value: bytes):
        self._kv_write("INSERT OR REPLACE INTO _cf_KV (key, value) VALUES (?, ?)", (key, value))

    def get_sorted(self, keys: list[str]) -> list:
        if not keys:
            return []
        rows = self._read(f"SELECT key, value FROM _cf_KV WHERE key IN ({','.join('?' * len(keys))}) ORDER BY key", keys)
        return [x for kv in rows for x in kv]

    def put(self, keys: list[str], values: list[bytes]):
        if keys:
            self._kv_write("INSERT OR REPLACE INTO _cf_KV (key, value) VALUES (?, ?)", list(zip(keys, values)), many=True)

    def delete(self, keys: list[str]) -> int:
        n = 0
        if not keys or not self._read("SELECT 1 FROM sqlite_master WHERE name = '_cf_KV'"):
            return 0
        for k in dict.fromkeys(keys):
            n += max(0, self._kv_write("DELETE FROM _cf_KV WHERE key = ?", (k,)))
        return n

    def list(self, start, after, end, prefix, reverse, limit) -> list:
        where, params = [], []
        if start is not None:
            where.append("key >= ?"); params.append(start)
        if after is not None:
            where.append("key > ?"); params.append(after)
        if end is not None:
            where.append("key < ?"); params.append(end)
        if prefix:
            where.append("key >= ? AND substr(key, 1, ?) = ?"); params += [prefix, len(prefix), prefix]
        sql = "SELECT key, value FROM _cf_KV"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY key DESC" if reverse else " ORDER BY key"
        if limit is not None:
            sql += " LIMIT ?"; params.append(int(limit))
        return [x for kv in self._read(sql, params) for x in kv]

    def delete_all(self):
        """Everything but the alarm goes: KV pairs and the SQL API's tables, views and triggers."""
        rows = self._read("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                          "AND name != '_cf_METADATA' AND type IN ('table', 'view', 'trigger')")
        if not rows:
            return
        self._write()
        for kind, name in rows:
            if kind == "table" or kind == "view":
                self.db.execute(f'DROP {kind.upper()} IF EXISTS "{name.replace(chr(34), chr(34) * 2)}"')

    # -------------------------------------------------- alarm (ns since the epoch, as workerd stores it)
    def get_alarm(self):
        rows = self._read("SELECT value FROM _cf_METADATA WHERE key = 1")
        return None if not rows or rows[0][0] is None else int(rows[0][0]) // 1_000_000

    def set_alarm(self, ms):
        self._write()
        if ms is None:
            self._read("DELETE FROM _cf_METADATA WHERE key = 1")
        else:
            self.db.execute(_META_DDL)
            self.db.execute("INSERT OR REPLACE INTO _cf_METADATA (key, value) VALUES (1, ?)", (int(ms) * 1_000_000,))

    # -------------------------------------------------- SQL API
    _TABLE_ACCESS = (sqlite3.SQLITE_READ, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_INSERT, sqlite3.SQLITE_DELETE)

    def _authorize(self, action, a1, a2, dbname, source):
        """The SQL API may not touch workerd's own `_cf_` tables nor run transactions."""
        if action in (sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_SAVEPOINT):
            self._user_denied = ("transaction", None)
            return sqlite3.SQLITE_DENY
        if action in self._TABLE_ACCESS and isinstance(a1, str):
            if a1.startswith("_cf_"):
                self._user_denied = ("hidden", a1)   # as if the table did not exist
                return sqlite3.SQLITE_DENY
            if action == sqlite3.SQLITE_READ and not a1.startswith("sqlite_"):
                self._reads_table = True
        for name in (a1, a2):
            if isinstance(name, str) and name.startswith("_cf_") and action != sqlite3.SQLITE_FUNCTION:
                self._user_denied = ("auth", name)
                return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    def sql(self, query: str, params: list):
        stmts = _split_sql(query)
        if not stmts:
            return [[], [], 0, 0]
        self._write()
        before = self.db.total_changes
        self._user_denied = None
        self._reads_table = False
        self.db.set_authorizer(self._authorize)
        try:
            cur = None
            for i, s in enumerate(stmts):
                cur = self.db.execute(s, params if i == len(stmts) - 1 else ())
            names = [d[0] for d in cur.description] if cur.description else []
            rows = [list(r) for r in cur.fetchall()] if cur.description else []
        except sqlite3.Error as e:
            denied = self._user_denied[0] if self._user_denied else None
            if isinstance(e, sqlite3.ProgrammingError) and "bindings" in str(e):
                raise StorageError("Wrong number of parameter bindings for SQL query.") from None
            if denied == "transaction":
                raise StorageError("To execute a transaction, please use the state.storage.transaction() or "
                                   "state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or "
                                   "SAVEPOINT statements. The JavaScript API is safer because it will "
                                   "automatically roll back on exceptions, and because it interacts correctly "
                                   "with Durable Objects' automatic atomic write coalescing.") from None
            if denied == "hidden":
                raise StorageError(f"no such table: {self._user_denied[1]}: SQLITE_ERROR") from None
            if denied:
                raise StorageError("not authorized: SQLITE_AUTH") from None
            code = getattr(e, "sqlite_errorname", None) or "SQLITE_ERROR"
            raise StorageError(f"{e}: {code}") from None
        finally:
            self.db.set_authorizer(None)
        written = self.db.total_changes - before
        # rowsRead is approximated (SQLite's VM counters are out of Python's reach): rows returned
        # (as they are consumed) or rows written, when the statement reads a table; else 0
        return [names, rows, self._reads_table, written]

    def size(self) -> int:
        pc = self.db.execute("PRAGMA page_count").fetchone()[0]
        ps = self.db.execute("PRAGMA page_size").fetchone()[0]
        return int(pc) * int(ps)

    def close(self):
        if self._commit_handle is not None:
            self._commit_handle.cancel()
            self._commit_handle = None
        try:
            while self._sp_stack:
                self.end(False)
            if self.db.in_transaction:
                self.db.execute("COMMIT")
        except sqlite3.Error:
            pass
        self.db.close()


def _split_sql(query: str) -> list[str]:
    """Statements of a semicolon-separated script (SQLite's own idea of a complete statement)."""
    out, start, i = [], 0, 0
    while True:
        j = query.find(";", i)
        if j < 0:
            break
        chunk = query[start:j + 1]
        if sqlite3.complete_statement(chunk):
            out.append(chunk)
            start = j + 1
        i = j + 1
    if query[start:].strip():
        out.append(query[start:])
    return [s for s in out if s.strip().strip(";").strip()]


# ---------------------------------------------------------------------------- errors across isolates
class _Reset(engine.JSError):
    """The object was reset while the event was in flight (or the stub talked to a reset object)."""


def _portable(e: BaseException, remote: bool = False) -> BaseException:
    """An exception safe to hand to another isolate (never carries a JS value)."""
    from .services.worker import PromiseRejected
    from ..runtime.isolate import CpuLimitExceeded
    if isinstance(e, _Reset):
        return engine.JSError(e.message, e.name)
    prefix = _REMOTE if remote else ""
    if isinstance(e, (CpuLimitExceeded, engine.Interrupted)):
        return engine.JSError(prefix + "Worker exceeded CPU time limit.", "Error")
    if isinstance(e, engine.OutOfMemory):
        return engine.JSError(prefix + "Worker exceeded memory limit.", "Error")
    value = e.value if isinstance(e, (PromiseRejected, engine.JSError)) else None
    if isinstance(value, _JSObject):
        try:
            if value.is_error:
                name = value.get("name")
                msg = value.get("message")
                return engine.JSError(prefix + (msg if isinstance(msg, str) else ""),
                                      name if isinstance(name, str) and name else "Error")
        except Exception:
            pass
        return engine.JSError(prefix + "[object Object]", "Error")
    if isinstance(e, (PromiseRejected, engine.JSError)):
        if value is not None and value is not _undefined:
            text = str(value).lower() if isinstance(value, bool) else ("null" if value is None else str(value))
            return engine.JSError(prefix + text, "Error")
        if isinstance(e, engine.JSError) and e.name:
            return engine.JSError(prefix + e.message, e.name)
        return engine.JSError(prefix + str(e), "Error")
    if isinstance(e, TypeError):
        return engine.JSError(prefix + str(e), "TypeError")
    return engine.JSError(prefix + (str(e) or type(e).__name__), "Error")


# ---------------------------------------------------------------------------- objects
def _consume(w, io, promise) -> asyncio.Future:
    """A future of a JS promise whose outcome we take over (a rejection is not "unhandled")."""
    if promise.promise_state == "rejected":
        try:
            promise.mark_handled()
        except Exception:
            pass
    return w._promise_future(io, promise)


class ObjectSlot:
    """One Durable Object: instance, input gate, event queue, storage, alarm."""

    def __init__(self, ns: "Namespace", hex_id: str | None, name: str | None):
        reg = ns.registry
        self.ns = ns
        self.hex = hex_id
        self.name = name
        self.oid = next(reg.oids)
        reg.objects[self.oid] = self
        self.instance = None
        self.api = None               # the ApiHost the instance was built in (a restart drops it)
        self.gate = 0
        self.queue: collections.deque = collections.deque()
        self._pump_handle = None
        self._store: ObjectStore | None = None
        self.alarm_ms: int | None = None
        self.alarm_timer = None
        self.alarm_retry = 0
        self.alarm_first: int | None = None   # scheduledTime reported to alarm() during retries
        # a reset (failed blockConcurrencyWhile, ctx.abort()) starts a new generation: events in
        # flight fail, stubs that talked to the old instance keep failing, new stubs get a new one
        self.generation = 0
        self.broken: dict[int, str] = {}
        self.inflight: dict = {}

    # -------------------------------------------------- the owner worker
    @property
    def worker(self):
        return self.ns.worker()

    @property
    def store(self) -> ObjectStore:
        s = self._store
        if s is None:
            s = self._store = self.ns.open_store(self.hex)
        if s.path is not None:
            self.ns.registry.touch(self)
        return s

    def close_store(self) -> bool:
        """Close the database file (reopened on next use); False while a transaction is open."""
        s = self._store
        if s is None:
            return True
        if s.savepoints:
            return False
        s.close()
        self._store = None
        return True

    # -------------------------------------------------- input gate
    def submit(self, gen, run, fail):
        """Queue an event. `run(slot, token)` delivers it (synchronously, into the isolate) and must
        call `slot.inflight.pop(token)` once settled; `fail(exc)` reports a failure. `gen` is the
        generation the caller's stub is bound to (None: the current one)."""
        if gen is not None and gen != self.generation:
            fail(self._reset_error(gen))
            return
        self.queue.append((gen, run, fail))
        if self.gate == 0 and self._pump_handle is None:
            self._pump()

    def _reset_error(self, gen):
        return _Reset(self.broken.get(gen, "This Durable Object was reset."), "Error")

    def _schedule_pump(self):
        if self._pump_handle is None and self.queue:
            self._pump_handle = self.ns.registry.loop().call_soon(self._pump)

    def _pump(self):
        self._pump_handle = None
        while self.queue and self.gate == 0:
            gen, run, fail = self.queue[0]
            if gen is not None and gen != self.generation:
                self.queue.popleft()
                fail(self._reset_error(gen))
                continue
            w = self.worker
            if self.instance is None or self.api is not w.api or (w.isolate is not None and w.isolate.broken):
                try:
                    self._construct()
                except BaseException as e:  # noqa: BLE001 - the event fails, the next one tries again
                    self.queue.popleft()
                    fail(e)
                continue
            self.queue.popleft()
            token = object()
            self.inflight[token] = fail
            try:
                run(self, token)
            except BaseException as e:  # noqa: BLE001
                self.inflight.pop(token, None)
                fail(e)

    def gate_change(self, delta):
        if delta > 0:
            self.gate += 1
            return
        self.gate = max(0, self.gate - 1)
        if self.gate == 0:
            self._schedule_pump()

    def reset(self, why: str):
        """The object breaks: every event in flight fails with `why` (an Error, not `remote`)."""
        self.broken[self.generation] = why
        self.generation += 1
        self.instance = None
        self.gate = 0
        fails = list(self.inflight.values())
        self.inflight.clear()
        for fail in fails:
            fail(_Reset(why, "Error"))
        self._schedule_pump()

    def _construct(self):
        w = self.worker
        if w.isolate is None:
            raise RuntimeError(f"worker \"{self.ns.service_name}\" is not running")
        if w.isolate.broken:
            w._restart()
        if self.instance is not None and self.api is not w.api:
            # the isolate was recreated (memory limit): events still running in the old one fail
            self.reset("Durable Object reset because its isolate was recreated.")
        install(w)
        cls = w.exports.get(self.ns.class_name) if w.exports is not None else _undefined
        if cls is _undefined or cls is None:
            raise engine.JSError(f"Durable Object class \"{self.ns.class_name}\" is not exported by worker "
                                 f"\"{self.ns.service_name}\".", "Error")
        io = w._new_io()
        self.instance = w.isolate.enter(io, w.internal.get("doConstruct").call, cls, self.oid, self.hex,
                                        self.name, w.env, self.ns.enable_sql, self.ns.ephemeral,
                                        self.ns.sqlite_backed)
        self.api = w.api

    # -------------------------------------------------- events
    def rpc(self, gen, method: str, mode: str, data: bytes) -> asyncio.Future:
        loop = self.ns.registry.loop()
        fut = loop.create_future()

        def fail(e):
            if not fut.done():
                fut.set_exception(_portable(e))

        def run(slot, token):
            w = slot.worker
            io = w._new_io()
            ctx = w.isolate.ctx
            p = w.isolate.enter(io, w.internal.get("doRpc").call, slot.instance, method, mode,
                                ctx.new_uint8array(data), slot.ns.ephemeral)
            inner = _consume(w, io, p)

            def done(f):
                slot.inflight.pop(token, None)
                if fut.done():
                    return
                if f.cancelled() or f.exception() is not None:
                    fail(f.exception() if not f.cancelled() else asyncio.CancelledError())
                    return
                v = f.result()
                fut.set_result((bool(v.get(0)), bytes(v.get(1))))
            inner.add_done_callback(done)
        self.submit(gen, run, fail)
        return fut

    def fetch(self, gen, request) -> asyncio.Future:
        loop = self.ns.registry.loop()
        fut = loop.create_future()

        def fail(e):
            if not fut.done():
                fut.set_exception(_portable(e, remote=True))

        def run(slot, token):
            w = slot.worker
            io = w._new_io()
            body = request.body
            bid = None if body is None else w.register_body(body, body.length)
            flat = [x for kv in request.headers for x in kv]
            r = w.isolate.enter(io, w.internal.get("doFetch").call, slot.instance, request.method,
                                request.url, flat, bid, request.cf, None if body is None else body.length)
            if isinstance(r, _JSObject) and r.is_promise:
                inner = _consume(w, io, r)

                def done(f):
                    slot.inflight.pop(token, None)
                    if fut.done():
                        return
                    if f.cancelled() or f.exception() is not None:
                        fail(f.exception() if not f.cancelled() else asyncio.CancelledError())
                        return
                    try:
                        fut.set_result(w._finish(io, f.result()))
                    except BaseException as e:  # noqa: BLE001
                        fail(e)
                inner.add_done_callback(done)
            else:
                slot.inflight.pop(token, None)
                fut.set_result(w._finish(io, r))
        self.submit(gen, run, fail)
        return fut

    # -------------------------------------------------- alarms
    def get_alarm(self):
        return self.alarm_ms

    def set_alarm(self, ms):
        """From storage.setAlarm()/deleteAlarm(): a past time fires at once."""
        self.alarm_retry = 0
        self.alarm_first = None
        if ms is not None:
            ms = max(int(ms), _now_ms())
        self._persist_alarm(ms)
        self._arm()

    def _persist_alarm(self, ms):
        self.alarm_ms = ms
        if self.ns.directory is not None and self.hex is not None:
            self.store.set_alarm(ms)
            self.ns.index_alarm(self.hex, ms, self.name)

    def _arm(self):
        if self.alarm_timer is not None:
            self.alarm_timer.cancel()
            self.alarm_timer = None
        if self.alarm_ms is not None:
            delay = max(0.0, (self.alarm_ms - _now_ms()) / 1000.0)
            self.alarm_timer = self.ns.registry.loop().call_later(delay, self._alarm_due)

    def _alarm_due(self):
        self.alarm_timer = None
        t = self.alarm_ms
        if t is None:
            return
        if t > _now_ms() + 5:
            self._arm()
            return
        retry = self.alarm_retry
        scheduled = self.alarm_first if retry and self.alarm_first is not None else t

        def run(slot, token):
            slot.inflight.pop(token, None)   # a reset does not fail an alarm: it is retried below
            if slot.alarm_ms != t:   # reset or deleted while queued
                return
            slot._persist_alarm(None)   # getAlarm() is null while alarm() runs
            w = slot.worker
            io = w._new_io()
            p = w.isolate.enter(io, w.internal.get("doAlarm").call, slot.instance, scheduled, retry)
            inner = _consume(w, io, p)
            inner.add_done_callback(lambda f: slot._alarm_done(f, scheduled, retry))

        def fail(e):
            self._alarm_failed(e, scheduled, retry)
        self.submit(None, run, fail)

    def _alarm_done(self, f, scheduled, retry):
        if f.cancelled():
            return
        e = f.exception()
        if e is None:
            if self.alarm_ms is None:
                self.alarm_retry = 0
                self.alarm_first = None
            return
        self._alarm_failed(e, scheduled, retry)

    def _alarm_failed(self, e, scheduled, retry):
        from .services.worker import js_error_text
        try:
            self.worker._log("error", "Uncaught " + js_error_text(e))
        except Exception:
            pass
        if self.alarm_ms is not None or retry >= MAX_ALARM_RETRIES:
            return
        self.alarm_retry = retry + 1
        self.alarm_first = scheduled
        self._persist_alarm(_now_ms() + int(ALARM_BACKOFF_S * 1000 * (2 ** retry)))
        self._arm()

    def close(self):
        if self.alarm_timer is not None:
            self.alarm_timer.cancel()
            self.alarm_timer = None
        if self._pump_handle is not None:
            self._pump_handle.cancel()
            self._pump_handle = None
        if self._store is not None:
            self._store.close()
            self._store = None


class _ObjectTarget:
    """The outbound target of a stub's Fetcher: requests go to the object."""

    __slots__ = ("ns", "hex", "name", "gen")

    def __init__(self, ns, hex_id, name, gen):
        self.ns = ns
        self.hex = hex_id
        self.name = name
        self.gen = gen

    def handle(self, request):
        return self.ns.slot(self.hex, self.name).fetch(self.gen, request)


class Namespace:
    def __init__(self, registry: "Registry", handle: int, service_name: str, worker_plan, decl):
        self.registry = registry
        self.handle = handle
        self.service_name = service_name
        self.class_name = decl.class_name
        self.unique_key = decl.unique_key
        self.ephemeral = bool(decl.ephemeral_local)
        # workerd's inMemory storage is not SQLite-backed: the SQL API needs localDisk
        self.sqlite_backed = getattr(worker_plan.durable_object_storage, "kind", None) == "localDisk"
        self.enable_sql = bool(decl.enable_sql) and self.sqlite_backed
        self.key = (namespace_key(decl.unique_key, worker_plan.durable_object_unique_key_modifier)
                    if decl.unique_key is not None else None)
        self.directory = None
        self.storage_error = None
        storage = worker_plan.durable_object_storage
        kind = getattr(storage, "kind", None)
        if self.ephemeral:
            pass
        elif kind == "localDisk":
            disk = registry.server.services.get(storage.service)
            problem = getattr(disk, "config_error", None)
            root = getattr(disk, "root", None)
            if problem or not root:
                self.storage_error = problem or f"Durable Object storage service \"{storage.service}\" is not a directory"
            else:
                self.directory = os.path.join(root, decl.unique_key)
        elif kind != "inMemory":
            self.storage_error = (f"Worker service \"{service_name}\" implements durable object classes but has "
                                  "`durableObjectStorage` set to `none`.")
        self.objects: dict = {}
        self._meta = None

    def worker(self):
        return self.registry.server.services[self.service_name]

    def slot(self, hex_id, name) -> ObjectSlot:
        key = name if self.ephemeral else hex_id
        s = self.objects.get(key)
        if s is None:
            s = self.objects[key] = ObjectSlot(self, hex_id, name)
        elif name is not None and s.name is None:
            s.name = name
        return s

    # -------------------------------------------------- ids
    def id_from_name(self, name):
        return id_from_name(self.key, name)

    def new_unique_id(self):
        return new_unique_id(self.key)

    def valid_id(self, hex_id):
        return valid_id(self.key, hex_id)

    # -------------------------------------------------- storage
    def open_store(self, hex_id) -> ObjectStore:
        if self.storage_error:
            raise StorageError(self.storage_error)
        path = None
        if self.directory is not None:
            os.makedirs(self.directory, exist_ok=True)
            path = os.path.join(self.directory, hex_id + ".sqlite")
        return ObjectStore(path, self.registry.loop())

    def _metadata(self, create):
        if self._meta is None:
            path = os.path.join(self.directory, "metadata.sqlite")
            if not create and not os.path.exists(path):
                return None
            os.makedirs(self.directory, exist_ok=True)
            self._meta = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._meta.execute(_ALARM_DDL)
        return self._meta

    def index_alarm(self, hex_id, ms, name):
        db = self._metadata(ms is not None)
        if db is None:
            return
        if ms is None:
            db.execute("DELETE FROM _cf_ALARM WHERE actor_id = ?", (hex_id,))
        else:
            db.execute("INSERT OR REPLACE INTO _cf_ALARM (actor_id, scheduled_time, actor_name) VALUES (?, ?, ?)",
                       (hex_id, int(ms) * 1_000_000, name))

    def restore_alarms(self):
        """Alarms persisted by an earlier run (ours or workerd's) fire again. An earlier App of this
        process (before a `serve -w` reload) stops arming the same directory's alarms."""
        if self.directory is None or self.storage_error:
            return
        prev = _alarm_owners.get(self.directory)
        if prev is not None and prev() is not None and prev() is not self:
            prev().cancel_alarms()
        _alarm_owners[self.directory] = weakref.ref(self)
        try:
            db = self._metadata(False)
            if db is None:
                return
            rows = db.execute("SELECT actor_id, scheduled_time, actor_name FROM _cf_ALARM").fetchall()
        except sqlite3.Error as e:
            self.registry.server.warn(f"Durable Object alarms of \"{self.class_name}\": {e}")
            return
        for hex_id, ns_time, name in rows:
            if not isinstance(hex_id, str) or ns_time is None:
                continue
            s = self.slot(hex_id, name)
            s.alarm_ms = int(ns_time) // 1_000_000
            s._arm()

    def cancel_alarms(self):
        for s in self.objects.values():
            if s.alarm_timer is not None:
                s.alarm_timer.cancel()
                s.alarm_timer = None
            s.alarm_ms = None

    def close(self):
        for s in list(self.objects.values()):
            s.close()
        if self._meta is not None:
            self._meta.close()
            self._meta = None


class Registry:
    """All Durable Object namespaces of one App."""

    def __init__(self, server):
        self.server = server
        self.namespaces: dict[tuple[str, str], Namespace] = {}
        self.handles: list[Namespace] = []
        self.objects: dict[int, ObjectSlot] = {}
        self.oids = itertools.count(1)
        self._loop = None
        self._open: collections.OrderedDict = collections.OrderedDict()   # disk stores, LRU first
        plan = getattr(server, "plan", None)
        if plan is not None:
            for name, svc in plan.services.items():
                body = svc.body
                for decl in getattr(body, "durable_object_namespaces", ()) or ():
                    self._add(name, body, decl)
            for ns in self.handles:
                ns.restore_alarms()

    def loop(self):
        if self._loop is None:
            self._loop = asyncio.get_event_loop()
        return self._loop

    def _add(self, service_name, worker_plan, decl):
        key = (service_name, decl.class_name)
        ns = self.namespaces.get(key)
        if ns is None:
            ns = Namespace(self, len(self.handles), service_name, worker_plan, decl)
            self.namespaces[key] = ns
            self.handles.append(ns)
        return ns

    def namespace(self, service_name, class_name) -> Namespace | None:
        ns = self.namespaces.get((service_name, class_name))
        if ns is None:
            svc = self.server.services.get(service_name)
            plan = getattr(svc, "plan", None)
            for decl in getattr(plan, "durable_object_namespaces", ()) or ():
                if decl.class_name == class_name:
                    return self._add(service_name, plan, decl)
        return ns

    def touch(self, slot):
        """Keep at most MAX_OPEN_FILES object databases open (least recently used closed first)."""
        opened = self._open
        if slot.oid in opened:
            opened.move_to_end(slot.oid)
            return
        opened[slot.oid] = slot
        if len(opened) > MAX_OPEN_FILES:
            for oid, other in list(opened.items()):
                if len(opened) <= MAX_OPEN_FILES:
                    break
                if other is not slot and other.close_store():
                    del opened[oid]

    def close(self):
        for ns in self.handles:
            ns.close()


def registry(server) -> Registry:
    """The App's registry, created once and closed with the App's other local backends."""
    reg = getattr(server, "_durable_objects", None)
    if reg is None:
        reg = Registry(server)
        try:
            setattr(server, "_durable_objects", reg)
            cache = getattr(server, "_binding_backends", None)
            if cache is None:
                cache = {}
                setattr(server, "_binding_backends", cache)
            cache[("durable-objects", "")] = reg   # App.close() closes every entry
        except AttributeError:
            pass
    return reg


# ---------------------------------------------------------------------------- host functions
def install(worker):
    """Load the glue into a worker's isolate (once per isolate) with its host functions."""
    api = worker.api
    if getattr(api, "_durable_objects", None) is not None:
        return
    reg = registry(worker.server)
    ctx = worker.isolate.ctx
    objects = reg.objects
    handles = reg.handles
    targets_cache: dict = {}

    def obj(oid) -> ObjectSlot:
        s = objects.get(oid)
        if s is None:
            raise RuntimeError("this Durable Object is gone")
        return s

    def strs(arr):
        return [_key(x if isinstance(x, str) else str(x)) for x in arr]

    # caller side
    def do_id_from_name(h, name):
        return handles[h].id_from_name(name)

    def do_new_unique_id(h):
        return handles[h].new_unique_id()

    def do_check_id(h, hex_id):
        return handles[h].valid_id(hex_id)

    def do_stub_gen(h, hex_id, name):
        return handles[h].slot(hex_id, name).generation

    def do_target(h, hex_id, name, gen):
        key = (h, hex_id if hex_id is not None else name, gen)
        idx = targets_cache.get(key)
        if idx is None or idx >= len(worker.targets):
            worker.targets.append(_ObjectTarget(handles[h], hex_id, name, gen))
            idx = targets_cache[key] = len(worker.targets) - 1
        return idx

    def do_call(h, hex_id, name, gen, method, mode, data):
        io = worker.isolate.current
        ns = handles[h]
        payload = bytes(data)

        async def call():
            try:
                return await ns.slot(hex_id, name).rpc(gen, method, mode, payload)
            except BaseException as e:  # noqa: BLE001 - never hand over another isolate's values
                raise _portable(e) from None

        return worker._settle_later(io, call(), lambda r: [r[0], r[1]])

    # owner side: storage (synchronous), gate, alarms
    def do_get(oid, keys):
        return obj(oid).store.get(strs(keys))

    def do_get1(oid, key):
        return obj(oid).store.get1(_key(key))

    def do_put1(oid, key, value):
        obj(oid).store.put1(_key(key), bytes(value))

    def do_get_sorted(oid, keys):
        return obj(oid).store.get_sorted(strs(keys))

    def do_put(oid, keys, values):
        obj(oid).store.put(strs(keys), [bytes(v) for v in values])

    def do_delete(oid, keys):
        return obj(oid).store.delete(strs(keys))

    def do_list(oid, start, after, end, prefix, reverse, limit):
        start, after, end, prefix = (None if x is None else _key(x) for x in (start, after, end, prefix))
        return obj(oid).store.list(start, after, end, prefix, bool(reverse), limit)

    def do_delete_all(oid):
        obj(oid).store.delete_all()

    def do_get_alarm(oid):
        return obj(oid).get_alarm()

    def do_set_alarm(oid, ms):
        obj(oid).set_alarm(None if ms is None or ms is _undefined else int(ms))

    def do_txn(oid, op, gate):
        s = obj(oid)
        if op == "begin":
            s.store.begin()
            if gate:
                s.gate_change(1)
        else:
            try:
                s.store.end(op == "commit")
            finally:
                if gate:
                    s.gate_change(0)

    def do_sql(oid, query, params):
        conv = []
        for p in params:
            conv.append(bytes(p) if isinstance(p, _JSObject) else _key(p) if isinstance(p, str) else p)
        return obj(oid).store.sql(query, conv)   # StorageError -> Error(message) in JS

    def do_db_size(oid):
        return obj(oid).store.size()

    def do_gate(oid, delta, why=None):
        if delta == -1:   # blockConcurrencyWhile() failed: the object is reset
            obj(oid).reset(str(why))
        else:
            obj(oid).gate_change(int(delta))

    def do_abort(oid, why):
        s = objects.get(oid)
        if s is not None:
            s.reset(str(why))

    funcs = {
        "doIdFromName": do_id_from_name, "doNewUniqueId": do_new_unique_id, "doCheckId": do_check_id,
        "doStubGen": do_stub_gen, "doTarget": do_target, "doCall": do_call,
        "doGet": do_get, "doGet1": do_get1, "doPut1": do_put1, "doGetSorted": do_get_sorted, "doPut": do_put, "doDelete": do_delete,
        "doList": do_list, "doDeleteAll": do_delete_all, "doGetAlarm": do_get_alarm,
        "doSetAlarm": do_set_alarm, "doTxn": do_txn, "doSql": do_sql, "doDbSize": do_db_size,
        "doGate": do_gate, "doAbort": do_abort,
    }
    host = api.host
    for k, fn in funcs.items():
        host.set(k, ctx.new_function(fn, k))
    api.load_module("fetch")
    api.load_module("durable_objects")
    api._durable_objects = targets_cache


def make_namespace_binding(worker_service, binding):
    """env[name] for a `durableObjectNamespace` binding (None if the namespace is unknown)."""
    value = binding.value
    reg = registry(worker_service.server)
    ns = reg.namespace(value.service_name, value.class_name)
    if ns is None:
        return None
    install(worker_service)
    maker = "makeEphemeralNamespace" if ns.ephemeral else "makeDurableObjectNamespace"
    return worker_service.internal.get(maker).call(ns.handle)
