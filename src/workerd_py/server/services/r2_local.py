"""A local R2 bucket in a directory: the backend of an `r2Bucket` binding whose service is a
`disk` service (see README.md, "Local backends for KV, R2 and Queues").

It answers workerd's R2 wire protocol (what `api/js/r2.js` and the real workerd send):

    GET https://fake-host  CF-R2-Request: {"version":1,"method":"head"|"get"|"list",...}
        -> 200, CF-R2-Metadata-Size: N, body = N bytes of JSON metadata + the object's bytes
    PUT https://fake-host  CF-R2-Metadata-Size: N, body = N bytes of JSON request + payload
        methods put, delete, createMultipartUpload, uploadPart, completeMultipartUpload,
        abortMultipartUpload -> 200 with the JSON result
    errors: status >= 400 with CF-R2-Error: {"version":1,"v4code":...,"message":...}

Layout under `<dir>/r2/`:
    r2.sqlite3        objects(key BLOB PRIMARY KEY, blob, size, etag, version, uploaded,
                      http JSON, custom JSON, checksums JSON, storage_class),
                      uploads(upload_id, key, http, custom, storage_class, created),
                      parts(upload_id, part, blob, size, etag)
    blobs/<name>      one file per object version and per uploaded part
A write streams the payload into a new blob file (hashing it on the way), then commits the row
and removes the replaced blob: a failed or concurrent write never leaves a half-written object.

R2 semantics followed (https://developers.cloudflare.com/r2/api/workers/workers-api-reference/):
etag = MD5 hex of the bytes (multipart: MD5 of the parts' MD5s + "-N"); version = random 32 hex;
md5 checksum always, plus the sha* the writer supplied (verified, BadDigest 10037 on mismatch);
onlyIf with strong (etagMatches) and weak (etagDoesNotMatch) comparison, uploadedBefore/After,
secondsGranularity; ranges (offset/length/suffix or a Range header); list in UTF-8 byte order with
prefix, delimiter (each common prefix counts toward the limit), startAfter, an opaque cursor,
limit 1..1000 and `include`. Error codes: 10007 NoSuchKey, 10031 PreconditionFailed, 10020
InvalidObjectName (key > 1024 bytes), 10012 MetadataTooLarge (> 2048 bytes), 10039 InvalidRange,
10022 InvalidMaxKeys, 10024 NoSuchUpload, 10025 InvalidPart, 10011 EntityTooSmall (a non-final
part < 5 MiB), 10037 BadDigest, 10040 InvalidStorageClass. SSE-C is not supported (501).
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import time

from ..http import HttpResponse
from .kv_local import header_text, json_bytes, open_sqlite

__all__ = ["R2Local", "R2Error"]

MAX_KEY = 1024
MAX_CUSTOM_METADATA = 2048
MAX_LIST = 1000
MIN_PART = 5 * 1024 * 1024
MAX_DELETE = 1000
STORAGE_CLASSES = ("Standard", "InfrequentAccess")
_CHUNK = 256 * 1024
_HASHES = (("md5", "0", "MD5"), ("sha1", "1", "SHA-1"), ("sha256", "2", "SHA-256"),
           ("sha384", "3", "SHA-384"), ("sha512", "4", "SHA-512"))

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
  key BLOB PRIMARY KEY, blob TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
  version TEXT NOT NULL, uploaded INTEGER NOT NULL, http TEXT, custom TEXT, checksums TEXT,
  storage_class TEXT NOT NULL DEFAULT 'Standard'
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uploads (
  upload_id TEXT PRIMARY KEY, key BLOB NOT NULL, http TEXT, custom TEXT,
  storage_class TEXT NOT NULL DEFAULT 'Standard', created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS parts (
  upload_id TEXT NOT NULL, part INTEGER NOT NULL, blob TEXT NOT NULL, size INTEGER NOT NULL,
  etag TEXT NOT NULL, PRIMARY KEY (upload_id, part)
);
"""


class R2Error(Exception):
    def __init__(self, status: int, code: int, message: str, metadata=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.metadata = metadata

    def response(self) -> HttpResponse:
        headers = [("cf-r2-error", json_bytes({"version": 1, "v4code": self.code, "message": self.message}).decode("ascii"))]
        body = None
        if self.metadata is not None:
            body = json_bytes(self.metadata)
            headers.append(("cf-r2-metadata-size", str(len(body))))
        return HttpResponse(self.status, headers, body)


def _no_such_key():
    return R2Error(404, 10007, "The specified key does not exist.")


def _no_such_upload():
    return R2Error(404, 10024, "The specified multipart upload does not exist.")


def _bad_request(code, message):
    return R2Error(400, code, message)


class _Obj:
    """A row of `objects`."""

    __slots__ = ("key", "blob", "size", "etag", "version", "uploaded", "http", "custom", "checksums", "storage_class")

    def __init__(self, row):
        (self.key, self.blob, self.size, self.etag, self.version, self.uploaded, self.http,
         self.custom, self.checksums, self.storage_class) = row
        self.key = bytes(self.key)

    def metadata(self, include_http=True, include_custom=True, range_=None) -> dict:
        m = {"name": self.key.decode("utf-8", "surrogatepass"), "version": self.version, "size": self.size,
             "etag": self.etag, "uploaded": self.uploaded, "storageClass": self.storage_class}
        if include_http and self.http:
            m["httpFields"] = json.loads(self.http)
        if include_custom and self.custom:
            m["customFields"] = [{"k": k, "v": v} for k, v in json.loads(self.custom)]
        if self.checksums:
            m["checksums"] = json.loads(self.checksums)
        if range_ is not None:
            m["range"] = {"offset": range_[0], "length": range_[1]}
        return m


_COLUMNS = "key, blob, size, etag, version, uploaded, http, custom, checksums, storage_class"


def _key_bytes(value) -> bytes:
    if not isinstance(value, str):
        raise _bad_request(10020, "The specified object name is not valid.")
    key = value.encode("utf-8", "surrogatepass")
    if len(key) > MAX_KEY:
        raise _bad_request(10020, "The specified object name is not valid.")
    return key


def _u64(value, default=None):
    if value is None:
        return default
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise _bad_request(10001, f"Invalid integer {value!r} in the request.") from None
    return None if n == 0xFFFFFFFFFFFFFFFF else n


class _Hashes:
    def __init__(self, extra: str | None):
        self.md5 = hashlib.md5()
        self.extra = None if extra in (None, "md5") else hashlib.new(extra)
        self.extra_name = extra

    def update(self, chunk):
        self.md5.update(chunk)
        if self.extra is not None:
            self.extra.update(chunk)


class R2Local:
    """One R2 bucket in `<directory>/r2/`."""

    def __init__(self, name: str, directory: str, writable: bool = True, clock=time.time):
        self.name = name
        self.root = os.path.join(directory, "r2")
        self.blobs = os.path.join(self.root, "blobs")
        self.writable = writable
        self.clock = clock
        self._db = None
        self._opened = False

    # ------------------------------------------------------------------ storage
    def _conn(self):
        if not self._opened or (self._db is None and not self.writable):
            if self.writable:
                os.makedirs(self.blobs, exist_ok=True)
            self._db = open_sqlite(os.path.join(self.root, "r2.sqlite3"), self.writable, _SCHEMA)
            self._opened = True
        return self._db

    def close(self):
        if self._db is not None:
            self._db.close()
            self._db = None
        self._opened = False

    def _now_ms(self) -> int:
        return int(self.clock() * 1000)

    def _object(self, key: bytes) -> _Obj | None:
        db = self._conn()
        if db is None:
            return None
        row = db.execute(f"SELECT {_COLUMNS} FROM objects WHERE key = ?", (key,)).fetchone()
        return None if row is None else _Obj(row)

    def _blob_path(self, name: str) -> str:
        return os.path.join(self.blobs, name)

    def _remove_blob(self, name: str | None):
        if name:
            try:
                os.unlink(self._blob_path(name))
            except FileNotFoundError:
                pass

    # ------------------------------------------------------------------ HTTP
    def handle(self, request):
        try:
            if request.method == "GET":
                header = request.header("cf-r2-request")
                if header is None:
                    raise _bad_request(10001, "Missing CF-R2-Request header.")
                return self._read(_parse(header_text(header)))
            if request.method == "PUT":
                return self._write(request)
            raise R2Error(405, 10001, f"Method {request.method} is not supported by the R2 binding protocol.")
        except R2Error as e:
            return e.response()
        except sqlite3.Error as e:
            return R2Error(500, 10001, f"We encountered an internal error. Please try again. ({e})").response()

    def _read(self, req: dict):
        method = req.get("method")
        if method == "head":
            return self._head(req)
        if method == "get":
            return self._get(req)
        if method == "list":
            return self._list(req)
        raise _bad_request(10001, f"Unsupported R2 read method {method!r}.")

    def _write(self, request):
        size = request.header("cf-r2-metadata-size")
        try:
            n = int(size)
        except (TypeError, ValueError):
            raise _bad_request(10001, "Missing or invalid CF-R2-Metadata-Size header.") from None

        async def run():
            try:
                meta = await _read_exactly(request.body, n)
                req = _parse(meta.decode("utf-8", "surrogatepass"))
                method = req.get("method")
                if not self.writable:
                    raise R2Error(403, 10001, "This bucket is read-only (its disk service is not writable).")
                handler = {
                    "put": self._put, "delete": self._delete,
                    "createMultipartUpload": self._create_upload, "uploadPart": self._upload_part,
                    "completeMultipartUpload": self._complete_upload, "abortMultipartUpload": self._abort_upload,
                }.get(method)
                if handler is None:
                    raise _bad_request(10001, f"Unsupported R2 write method {method!r}.")
                return await handler(req, request.body)
            except R2Error as e:
                return e.response()
            except sqlite3.Error as e:
                return R2Error(500, 10001, f"We encountered an internal error. Please try again. ({e})").response()
        return run()

    # ------------------------------------------------------------------ conditions
    def _check_conditions(self, cond: dict | None, obj: _Obj | None) -> bool:
        """R2's onlyIf (HTTP conditional request rules, RFC 9110 section 13.2.2)."""
        if not cond:
            return True
        matches = cond.get("etagMatches")
        not_matches = cond.get("etagDoesNotMatch")
        before = _u64(cond.get("uploadedBefore"))
        after = _u64(cond.get("uploadedAfter"))
        if obj is None:
            return not matches
        uploaded = obj.uploaded
        if cond.get("secondsGranularity"):
            uploaded = uploaded // 1000 * 1000
        if matches:
            if not any(_etag_matches(e, obj.etag, strong=True) for e in matches):
                return False
        elif before is not None and uploaded > before:
            return False
        if not_matches:
            if any(_etag_matches(e, obj.etag, strong=False) for e in not_matches):
                return False
        elif after is not None and uploaded <= after:
            return False
        return True

    # ------------------------------------------------------------------ reads
    def _head(self, req):
        obj = self._object(_key_bytes(req.get("object")))
        if obj is None:
            raise _no_such_key()
        body = json_bytes(obj.metadata())
        return HttpResponse(200, [("cf-r2-metadata-size", str(len(body)))], body)

    def _get(self, req):
        if req.get("ssec"):
            raise R2Error(501, 10001, "SSE-C is not supported by the local R2 backend.")
        obj = self._object(_key_bytes(req.get("object")))
        if obj is None:
            raise _no_such_key()
        if not self._check_conditions(req.get("onlyIf"), obj):
            raise R2Error(412, 10031, "At least one of the pre-conditions you specified did not hold.", obj.metadata())
        rng = _resolve_range(req, obj.size)
        offset, length = rng if rng is not None else (0, obj.size)
        meta = json_bytes(obj.metadata(range_=rng))
        headers = [("cf-r2-metadata-size", str(len(meta)))]
        path = self._blob_path(obj.blob)
        if length <= _CHUNK:
            try:
                with open(path, "rb") as f:
                    f.seek(offset)
                    data = f.read(length)
            except FileNotFoundError:
                raise R2Error(500, 10001, "We encountered an internal error. Please try again. (object data missing)") from None
            return HttpResponse(200, headers, meta + data)
        try:
            f = open(path, "rb")
        except FileNotFoundError:
            raise R2Error(500, 10001, "We encountered an internal error. Please try again. (object data missing)") from None
        headers.append(("content-length", str(len(meta) + length)))
        return HttpResponse(200, headers, _stream_file(f, meta, offset, length))

    def _list(self, req):
        limit = req.get("limit")
        if limit is None:
            limit = MAX_LIST
        elif not isinstance(limit, int) or not 1 <= limit <= MAX_LIST:
            raise _bad_request(10022, f"MaxKeys params must be positive integer <= {MAX_LIST}.")
        prefix = (req.get("prefix") or "").encode("utf-8", "surrogatepass")
        delimiter = (req.get("delimiter") or "").encode("utf-8", "surrogatepass")
        start = prefix
        exclusive = None
        start_after = req.get("startAfter")
        if start_after:
            sa = start_after.encode("utf-8", "surrogatepass")
            if sa >= start:
                start, exclusive = sa, sa
        cursor = req.get("cursor")
        if cursor:
            kind, value = _decode_cursor(cursor)
            if kind == "p":
                value = _prefix_end(value)
                if value is None:
                    return self._list_response([], [], False, None, [])
                if value > start or (value == start and exclusive is not None):
                    start, exclusive = value, None
            elif value >= start:
                start, exclusive = value, value
        include = req.get("include")
        if include is None and not req.get("newRuntime"):
            include = [0, 1]
        include = include or []
        upper = _prefix_end(prefix) if prefix else None
        objects, prefixes = [], []
        last = None
        truncated = False
        db = self._conn()
        if db is not None:
            while True:
                restart = False
                for obj in self._scan(db, start, exclusive, upper):
                    if len(objects) + len(prefixes) >= limit:
                        truncated = True
                        break
                    rest = obj.key[len(prefix):]
                    cut = rest.find(delimiter) if delimiter else -1
                    if cut < 0:
                        objects.append(obj)
                        last = ("k", obj.key)
                        continue
                    # a common prefix: report it once and skip every key under it
                    common = prefix + rest[:cut + len(delimiter)]
                    prefixes.append(common)
                    last = ("p", common)
                    nxt = _prefix_end(common)
                    if nxt is not None:
                        start, exclusive, restart = nxt, None, True
                    break
                if not restart:
                    break
        return self._list_response(objects, prefixes, truncated, last, include)

    def _scan(self, db, start: bytes, exclusive: bytes | None, upper: bytes | None, batch: int = 256):
        """Objects with start <= key (< upper), key != exclusive, in key order."""
        lo, strict = start, exclusive is not None and exclusive == start
        while True:
            sql = f"SELECT {_COLUMNS} FROM objects WHERE key {'>' if strict else '>='} ?"
            args: list = [lo]
            if upper is not None:
                sql += " AND key < ?"
                args.append(upper)
            sql += " ORDER BY key LIMIT ?"
            args.append(batch)
            rows = db.execute(sql, args).fetchall()
            for row in rows:
                yield _Obj(row)
            if len(rows) < batch:
                return
            lo, strict = bytes(rows[-1][0]), True

    def _list_response(self, objects, prefixes, truncated, last, include):
        result = {
            "objects": [o.metadata(0 in include, 1 in include) for o in objects],
            "truncated": truncated,
        }
        if truncated and last is not None:
            result["cursor"] = _encode_cursor(*last)
        result["delimitedPrefixes"] = [p.decode("utf-8", "surrogatepass") for p in prefixes]
        body = json_bytes(result)
        return HttpResponse(200, [("cf-r2-metadata-size", str(len(body)))], body)

    # ------------------------------------------------------------------ writes
    def _metadata_fields(self, req):
        custom = req.get("customFields") or []
        pairs = [(str(f.get("k", "")), str(f.get("v", ""))) for f in custom]
        size = sum(len(k.encode("utf-8", "surrogatepass")) + len(v.encode("utf-8", "surrogatepass")) for k, v in pairs)
        if size > MAX_CUSTOM_METADATA:
            raise _bad_request(10012, "Your metadata headers exceed the maximum allowed metadata size.")
        http = req.get("httpFields")
        if http is not None:
            http = {k: v for k, v in http.items() if k in ("contentType", "contentLanguage", "contentDisposition",
                                                          "contentEncoding", "cacheControl", "cacheExpiry")}
            if "cacheExpiry" in http:
                exp = _u64(http["cacheExpiry"])
                if exp is None:
                    del http["cacheExpiry"]
                else:
                    http["cacheExpiry"] = exp
        storage = req.get("storageClass") or "Standard"
        if storage not in STORAGE_CLASSES:
            raise _bad_request(10040, f"The storage class you specified is not valid: {storage}.")
        if req.get("ssec"):
            raise R2Error(501, 10001, "SSE-C is not supported by the local R2 backend.")
        return (json.dumps(http, separators=(",", ":")) if http else None,
                json.dumps(pairs, separators=(",", ":")) if custom else None,
                storage)

    async def _receive(self, body, hash_name: str | None = None):
        """Stream the rest of the request body into a new blob: (name, size, _Hashes)."""
        name = secrets.token_hex(16)
        path = self._blob_path(name)
        os.makedirs(self.blobs, exist_ok=True)
        hashes = _Hashes(hash_name)
        size = 0
        tmp = path + ".tmp"
        try:
            with open(tmp, "wb") as f:
                if body is not None:
                    while True:
                        chunk = await body.read(_CHUNK)
                        if not chunk:
                            break
                        f.write(chunk)
                        hashes.update(chunk)
                        size += len(chunk)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        return name, size, hashes

    async def _put(self, req, body):
        key = _key_bytes(req.get("object"))
        http, custom, storage = self._metadata_fields(req)
        if not self._check_conditions(req.get("onlyIf"), self._object(key)):
            raise R2Error(412, 10031, "At least one of the pre-conditions you specified did not hold.")
        wanted = None
        for name, _idx, _label in _HASHES:
            if req.get(name):
                wanted = name
                break
        blob, size, hashes = await self._receive(body, wanted)
        try:
            checksums = {"0": hashes.md5.hexdigest()}
            if wanted is not None:
                given = req[wanted]
                given_bytes = base64.b64decode(given) if wanted == "md5" else bytes.fromhex(given)
                actual = hashes.md5.digest() if wanted == "md5" else hashes.extra.digest()
                label = dict((n, lab) for n, _i, lab in _HASHES)[wanted]
                if given_bytes != actual:
                    raise _bad_request(10037, f"The {label} checksum you specified did not match what we received.\n"
                                              f"You provided a {label} checksum with value: {given_bytes.hex()}\n"
                                              f"Actual {label} was: {actual.hex()}")
                if wanted != "md5":
                    checksums[dict((n, i) for n, i, _l in _HASHES)[wanted]] = actual.hex()
            old = self._object(key)
            if not self._check_conditions(req.get("onlyIf"), old):
                raise R2Error(412, 10031, "At least one of the pre-conditions you specified did not hold.")
            row = (key, blob, size, hashes.md5.hexdigest(), secrets.token_hex(16), self._now_ms(), http, custom,
                   json.dumps(checksums, separators=(",", ":")), storage)
            self._conn().execute(f"INSERT OR REPLACE INTO objects ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", row)
        except BaseException:
            self._remove_blob(blob)
            raise
        if old is not None:
            self._remove_blob(old.blob)
        return HttpResponse(200, [("content-type", "application/json")], json_bytes(_Obj(row).metadata()))

    async def _delete(self, req, body):
        if "objects" in req:
            keys = req.get("objects") or []
            if len(keys) > MAX_DELETE:
                raise _bad_request(10001, f"You can delete at most {MAX_DELETE} objects at once.")
        else:
            keys = [req.get("object")]
        kb = [_key_bytes(k) for k in keys]
        db = self._conn()
        for key in kb:
            row = db.execute("SELECT blob FROM objects WHERE key = ?", (key,)).fetchone()
            if row is not None:
                db.execute("DELETE FROM objects WHERE key = ?", (key,))
                self._remove_blob(row[0])
        return HttpResponse(200, [("content-type", "application/json")], b"{}")

    async def _create_upload(self, req, body):
        key = _key_bytes(req.get("object"))
        http, custom, storage = self._metadata_fields(req)
        upload_id = secrets.token_urlsafe(24)
        self._conn().execute("INSERT INTO uploads (upload_id, key, http, custom, storage_class, created) VALUES (?,?,?,?,?,?)",
                             (upload_id, key, http, custom, storage, self._now_ms()))
        return HttpResponse(200, [("content-type", "application/json")], json_bytes({"uploadId": upload_id}))

    def _upload(self, req) -> tuple:
        key = _key_bytes(req.get("object"))
        row = self._conn().execute("SELECT upload_id, key, http, custom, storage_class FROM uploads WHERE upload_id = ?",
                                   (str(req.get("uploadId")),)).fetchone()
        if row is None or bytes(row[1]) != key:
            raise _no_such_upload()
        return row

    async def _upload_part(self, req, body):
        if req.get("ssec"):
            raise R2Error(501, 10001, "SSE-C is not supported by the local R2 backend.")
        upload = self._upload(req)
        part = req.get("partNumber")
        if not isinstance(part, int) or not 1 <= part <= 10000:
            raise _bad_request(10001, "Part number must be between 1 and 10000 (inclusive).")
        blob, size, hashes = await self._receive(body)
        etag = hashes.md5.hexdigest()
        db = self._conn()
        try:
            self._upload(req)  # still there after the upload?
            old = db.execute("SELECT blob FROM parts WHERE upload_id = ? AND part = ?", (upload[0], part)).fetchone()
            db.execute("INSERT OR REPLACE INTO parts (upload_id, part, blob, size, etag) VALUES (?,?,?,?,?)",
                       (upload[0], part, blob, size, etag))
        except BaseException:
            self._remove_blob(blob)
            raise
        if old is not None:
            self._remove_blob(old[0])
        return HttpResponse(200, [("content-type", "application/json")], json_bytes({"etag": etag}))

    async def _complete_upload(self, req, body):
        upload = self._upload(req)
        upload_id, key = upload[0], bytes(upload[1])
        wanted = req.get("parts") or []
        if not wanted:
            raise _bad_request(10025, "One or more of the specified parts could not be found.")
        db = self._conn()
        stored = {p: (b, s, e) for p, b, s, e in db.execute("SELECT part, blob, size, etag FROM parts WHERE upload_id = ?", (upload_id,))}
        chosen = []
        seen = set()
        for p in sorted(wanted, key=lambda x: int(x.get("part", 0))):
            n = int(p.get("part", 0))
            s = stored.get(n)
            if s is None or n in seen or s[2] != str(p.get("etag")):
                raise _bad_request(10025, "One or more of the specified parts could not be found.")
            seen.add(n)
            chosen.append(s)
        for blob, size, etag in chosen[:-1]:
            if size < MIN_PART:
                raise _bad_request(10011, "Your proposed upload is smaller than the minimum allowed object size.")
        name = secrets.token_hex(16)
        path = self._blob_path(name)
        sources = [self._blob_path(blob) for blob, _s, _e in chosen]

        def concatenate():  # off the event loop: parts may be gigabytes
            tmp = path + ".tmp"
            try:
                with open(tmp, "wb") as out:
                    for src in sources:
                        with open(src, "rb") as f:
                            shutil.copyfileobj(f, out, _CHUNK)
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except FileNotFoundError:
                    pass
                raise
        try:
            await asyncio.get_running_loop().run_in_executor(None, concatenate)
        except FileNotFoundError:
            raise R2Error(500, 10001, "We encountered an internal error. Please try again. (part data missing)") from None
        try:
            self._upload(req)  # not completed or aborted meanwhile
        except R2Error:
            self._remove_blob(name)
            raise
        total = sum(size for _b, size, _e in chosen)
        digest = hashlib.md5(b"".join(bytes.fromhex(etag) for _b, _s, etag in chosen))
        old = self._object(key)
        row = (key, name, total, f"{digest.hexdigest()}-{len(chosen)}", secrets.token_hex(16), self._now_ms(),
               upload[2], upload[3], None, upload[4])
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute(f"INSERT OR REPLACE INTO objects ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", row)
            db.execute("DELETE FROM uploads WHERE upload_id = ?", (upload_id,))
            db.execute("DELETE FROM parts WHERE upload_id = ?", (upload_id,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            self._remove_blob(name)
            raise
        for blob, _s, _e in stored.values():
            self._remove_blob(blob)
        if old is not None:
            self._remove_blob(old.blob)
        return HttpResponse(200, [("content-type", "application/json")], json_bytes(_Obj(row).metadata()))

    async def _abort_upload(self, req, body):
        db = self._conn()
        upload_id = str(req.get("uploadId"))
        blobs = [b for (b,) in db.execute("SELECT blob FROM parts WHERE upload_id = ?", (upload_id,))]
        db.execute("DELETE FROM uploads WHERE upload_id = ?", (upload_id,))
        db.execute("DELETE FROM parts WHERE upload_id = ?", (upload_id,))
        for b in blobs:
            self._remove_blob(b)
        return HttpResponse(200, [("content-type", "application/json")], b"{}")


# ---------------------------------------------------------------------- helpers
def _parse(text: str) -> dict:
    try:
        req = json.loads(text)
    except ValueError:
        raise _bad_request(10001, "The R2 request is not valid JSON.") from None
    if not isinstance(req, dict):
        raise _bad_request(10001, "The R2 request is not a JSON object.")
    return req


async def _read_exactly(body, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = await body.read(n - len(buf)) if body is not None else b""
        if not chunk:
            raise _bad_request(10001, "The request body is shorter than CF-R2-Metadata-Size.")
        buf += chunk
    return bytes(buf)


def _etag_matches(entry: dict, etag: str, strong: bool) -> bool:
    kind = entry.get("type")
    if kind == "wildcard":
        return True
    if strong and kind == "weak":
        return False
    return entry.get("value") == etag


def _resolve_range(req: dict, size: int):
    """(offset, length) for the request's range, None when it asked for none; R2Error if invalid."""
    bad = R2Error(416, 10039, "The requested range is not satisfiable")
    header = req.get("rangeHeader")
    if header is not None:
        spec = header.strip()
        if not spec.startswith("bytes=") or "," in spec:
            raise bad
        first, _, last = spec[6:].strip().partition("-")
        try:
            if first == "":
                n = int(last)
                if n <= 0:
                    raise bad
                n = min(n, size)
                return size - n, n
            start = int(first)
            end = int(last) if last != "" else size - 1
        except ValueError:
            raise bad from None
        if start >= size or end < start:
            raise bad
        end = min(end, size - 1)
        return start, end - start + 1
    rng = req.get("range")
    if rng is None:
        return None
    offset = _u64(rng.get("offset"))
    length = _u64(rng.get("length"))
    suffix = _u64(rng.get("suffix"))
    if suffix is not None:
        n = min(suffix, size)
        return size - n, n
    offset = offset or 0
    if offset > size or (offset == size and size > 0 and length != 0):
        raise bad
    if length is None:
        length = size - offset
    return offset, min(length, size - offset)


async def _stream_file(f, head: bytes, offset: int, length: int):
    """The metadata, then the object's bytes read off the event loop in 256 KiB chunks."""
    loop = asyncio.get_running_loop()
    try:
        yield head
        f.seek(offset)
        left = length
        while left > 0:
            chunk = await loop.run_in_executor(None, f.read, min(_CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
    finally:
        f.close()


def _prefix_end(prefix: bytes) -> bytes | None:
    p = bytearray(prefix)
    while p:
        if p[-1] < 0xFF:
            p[-1] += 1
            return bytes(p)
        p.pop()
    return None


def _encode_cursor(kind: str, key: bytes) -> str:
    return base64.urlsafe_b64encode(kind.encode() + key).decode("ascii").rstrip("=")


def _decode_cursor(cursor: str):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except ValueError:
        raise _bad_request(10001, "The cursor is not valid.") from None
    kind = raw[:1].decode("latin-1")
    if kind not in ("k", "p"):
        raise _bad_request(10001, "The cursor is not valid.")
    return kind, raw[1:]
