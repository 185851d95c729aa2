"""The local KV, R2 and queue backends, driven directly with wire-protocol requests.

These are the services a kvNamespace / r2Bucket / queue binding reaches when it names a `disk`
service (see src/workerd_py/server/services/README.md). A fake clock checks expiry and delays.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os

import pytest

from workerd_py.server.http import Body, HttpRequest, HttpResponse
from workerd_py.server.services.kv_local import KvLocal
from workerd_py.server.services.queue_local import QueueLocal
from workerd_py.server.services.r2_local import R2Local


class Clock:
    def __init__(self, t=1_700_000_000.0):
        self.t = t

    def __call__(self):
        return self.t


async def _body_bytes(body) -> bytes:
    if body is None:
        return b""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    return b"".join([c async for c in body])


def call(svc, method, url, headers=(), body=None):
    async def go():
        req = HttpRequest(method, url, list(headers), None if body is None else Body.from_bytes(body))
        res = svc.handle(req)
        if not isinstance(res, HttpResponse):
            res = await res
        return res.status, dict(res.headers), await _body_bytes(res.body)
    return asyncio.run(go())


# ---------------------------------------------------------------------- KV
@pytest.fixture
def kv(tmp_path):
    clock = Clock()
    store = KvLocal("kv", str(tmp_path), True, clock)
    store.clock_ = clock
    yield store
    store.close()


def kv_put(kv, key, value, query="", headers=()):
    return call(kv, "PUT", f"https://fake-host/{key}?urlencoded=true{query}", headers, value)


def kv_get(kv, key, query=""):
    return call(kv, "GET", f"https://fake-host/{key}?urlencoded=true{query}")


def test_kv_roundtrip_and_metadata(kv):
    assert kv_put(kv, "a%20b%2Fc", b"v1", headers=[("cf-kv-metadata", '{"x":"\\u00e9"}')])[0] == 200
    status, headers, body = kv_get(kv, "a%20b%2Fc")
    assert (status, body) == (200, b"v1")
    assert json.loads(headers["cf-kv-metadata"]) == {"x": "\u00e9"}
    assert kv_get(kv, "missing")[0] == 404
    assert call(kv, "DELETE", "https://fake-host/a%20b%2Fc?urlencoded=true")[0] == 200
    assert kv_get(kv, "a%20b%2Fc")[0] == 404
    assert call(kv, "DELETE", "https://fake-host/a%20b%2Fc?urlencoded=true")[0] == 200


def test_kv_expiration_with_clock(kv):
    now = int(kv.clock_.t)
    assert kv_put(kv, "ttl", b"v", "&expiration_ttl=60")[0] == 200
    assert kv_put(kv, "abs", b"v", f"&expiration={now + 120}")[0] == 200
    listed = json.loads(call(kv, "GET", "https://fake-host/")[2])
    assert listed == {"keys": [{"name": "abs", "expiration": now + 120}, {"name": "ttl", "expiration": now + 60}], "list_complete": True}
    kv.clock_.t += 59
    assert kv_get(kv, "ttl")[0] == 200
    kv.clock_.t += 1
    assert kv_get(kv, "ttl")[0] == 404, "expired at its expiration second"
    assert [k["name"] for k in json.loads(call(kv, "GET", "https://fake-host/")[2])["keys"]] == ["abs"]
    status, _, body = kv_put(kv, "short", b"v", "&expiration_ttl=59")
    assert status == 400 and body == b"Invalid expiration_ttl of 59. Expiration TTL must be at least 60."
    assert kv_put(kv, "past", b"v", f"&expiration={int(kv.clock_.t) + 10}")[0] == 400
    assert kv_get(kv, "abs", "&cache_ttl=59")[0] == 400
    assert kv_get(kv, "abs", "&cache_ttl=60")[0] == 200


def test_kv_limits(kv):
    assert kv_get(kv, "..")[0] == 400
    assert kv_get(kv, "x" * 513)[0] == 414
    assert kv_get(kv, "x" * 512)[0] == 404
    status, _, body = kv_put(kv, "m", b"v", headers=[("cf-kv-metadata", json.dumps({"k": "v" * 1100}))])
    assert status == 413 and body.startswith(b"Metadata length of ")
    assert kv_put(kv, "m", b"v", headers=[("cf-kv-metadata", "{not json")])[0] == 400
    assert kv_put(kv, "big", b"x" * (25 * 1024 * 1024 + 1))[0] == 413
    assert call(kv, "GET", "https://fake-host/?key_count_limit=1001")[0] == 400
    assert call(kv, "GET", "https://fake-host/?key_count_limit=0")[0] == 400


def test_kv_list_pagination_and_prefix(kv):
    for i in range(57):
        kv_put(kv, f"p%2F{i:03d}", b"v")
    kv_put(kv, "q", b"v")
    names, cursor = [], None
    while True:
        q = "?prefix=p%2F&key_count_limit=10" + (f"&cursor={cursor}" if cursor else "")
        page = json.loads(call(kv, "GET", "https://fake-host/" + q)[2])
        names += [k["name"] for k in page["keys"]]
        if page["list_complete"]:
            assert "cursor" not in page
            break
        cursor = page["cursor"]
    assert names == [f"p/{i:03d}" for i in range(57)]


def test_kv_keys_are_bytes(kv):
    # a key with a lone surrogate arrives as WTF-8 (%ED%A0%80) and is listed back as one
    assert kv_put(kv, "%ED%A0%80x", b"v")[0] == 200
    assert kv_put(kv, "%C3%A9", b"v")[0] == 200
    assert kv_put(kv, "z", b"v")[0] == 200
    raw = call(kv, "GET", "https://fake-host/")[2]
    assert [k["name"] for k in json.loads(raw)["keys"]] == ["z", "\u00e9", "\ud800x"], "UTF-8 byte order"
    assert raw.isascii()


def test_kv_bulk(kv):
    kv_put(kv, "a", b'{"n":1}', headers=[("cf-kv-metadata", '{"m":1}')])
    kv_put(kv, "b", b"text")
    post = lambda body: call(kv, "POST", "https://fake-host/bulk/get", [("content-type", "application/json")], json.dumps(body).encode())
    assert json.loads(post({"keys": ["a", "b", "c"]})[2]) == {"a": '{"n":1}', "b": "text", "c": None}
    assert json.loads(post({"keys": ["a"], "type": "json"})[2]) == {"a": {"n": 1}}
    assert json.loads(post({"keys": ["a", "c"], "withMetadata": True})[2]) == {
        "a": {"value": '{"n":1}', "metadata": {"m": 1}}, "c": {"value": None, "metadata": None}}
    assert post({"keys": ["b"], "type": "json"})[0] == 400
    assert post({"keys": ["a"], "type": "stream"})[0] == 400
    assert post({"keys": [str(i) for i in range(101)]})[0] == 400
    assert post({"keys": ["a"], "cacheTtl": "30"})[0] == 400
    assert post({"nokeys": 1})[0] == 400


def test_kv_read_only(tmp_path):
    ro = KvLocal("ro", str(tmp_path), writable=False)
    assert kv_get(ro, "k")[0] == 404
    assert json.loads(call(ro, "GET", "https://fake-host/")[2]) == {"keys": [], "list_complete": True}
    assert kv_put(ro, "k", b"v")[0] == 405
    assert call(ro, "DELETE", "https://fake-host/k?urlencoded=true")[0] == 405
    assert os.listdir(tmp_path) == []
    rw = KvLocal("rw", str(tmp_path))
    kv_put(rw, "k", b"written")
    assert kv_get(ro, "k")[2] == b"written", "a read-only view sees data written elsewhere"
    rw.close()
    ro.close()


# ---------------------------------------------------------------------- R2
@pytest.fixture
def r2(tmp_path):
    clock = Clock()
    bucket = R2Local("r2", str(tmp_path), True, clock)
    bucket.clock_ = clock
    yield bucket
    bucket.close()


def r2_read(r2, req):
    status, headers, body = call(r2, "GET", "https://fake-host/", [("cf-r2-request", json.dumps(req))])
    n = int(headers.get("cf-r2-metadata-size", 0))
    meta = json.loads(body[:n]) if n else None
    return status, headers, meta, body[n:]


def r2_write(r2, req, payload=b""):
    meta = json.dumps(req).encode()
    status, headers, body = call(r2, "PUT", "https://fake-host/", [("cf-r2-metadata-size", str(len(meta)))], meta + payload)
    return status, headers, (json.loads(body) if body else None)


def r2_error(headers):
    return json.loads(headers["cf-r2-error"])


def test_r2_put_get_head(r2):
    status, _, meta = r2_write(r2, {"version": 1, "method": "put", "object": "a/\u00e9",
                                    "httpFields": {"contentType": "text/plain", "cacheExpiry": "1700000000000"},
                                    "customFields": [{"k": "x", "v": "y"}]}, b"hello")
    assert status == 200
    assert meta["name"] == "a/\u00e9" and meta["size"] == 5 and meta["etag"] == hashlib.md5(b"hello").hexdigest()
    assert meta["uploaded"] == 1_700_000_000_000 and meta["checksums"] == {"0": meta["etag"]}
    assert meta["httpFields"] == {"contentType": "text/plain", "cacheExpiry": 1700000000000}
    assert meta["customFields"] == [{"k": "x", "v": "y"}]
    status, headers, got, data = r2_read(r2, {"version": 1, "method": "get", "object": "a/\u00e9"})
    assert (status, data) == (200, b"hello")
    assert got == meta
    status, _, got, data = r2_read(r2, {"version": 1, "method": "head", "object": "a/\u00e9"})
    assert (status, data, got["version"]) == (200, b"", meta["version"])
    status, headers, _, _ = r2_read(r2, {"version": 1, "method": "get", "object": "nope"})
    assert status == 404 and r2_error(headers) == {"version": 1, "v4code": 10007, "message": "The specified key does not exist."}


def test_r2_large_object_streams(r2):
    data = os.urandom(700_000)
    r2_write(r2, {"version": 1, "method": "put", "object": "big"}, data)
    status, headers, meta, body = r2_read(r2, {"version": 1, "method": "get", "object": "big", "range": {"offset": "100", "length": "600000"}})
    assert status == 200 and body == data[100:600100]
    assert meta["range"] == {"offset": 100, "length": 600000}
    assert int(headers["content-length"]) == int(headers["cf-r2-metadata-size"]) + 600000


def test_r2_ranges(r2):
    r2_write(r2, {"version": 1, "method": "put", "object": "r"}, b"0123456789")
    get = lambda extra: r2_read(r2, {"version": 1, "method": "get", "object": "r", **extra})
    assert get({"range": {"suffix": "3"}})[3] == b"789"
    assert get({"rangeHeader": "bytes=2-4"})[3] == b"234"
    assert get({"rangeHeader": "bytes=8-"})[3] == b"89"
    assert get({"range": {"offset": "10", "length": "0"}})[:4:3] == (200, b""), "an empty range at the end"
    for bad in ({"range": {"offset": "10"}}, {"range": {"offset": "11"}}, {"rangeHeader": "bytes=10-"}, {"rangeHeader": "bytes=0-1,3-4"}, {"rangeHeader": "items=0-1"}):
        status, headers, _, _ = get(bad)
        assert status == 416 and r2_error(headers)["v4code"] == 10039, bad


def test_r2_conditionals_seconds_granularity(r2):
    r2.clock_.t = 1_700_000_000.750
    _, _, meta = r2_write(r2, {"version": 1, "method": "put", "object": "c"}, b"x")
    assert meta["uploaded"] == 1_700_000_000_750
    cond = lambda c: r2_read(r2, {"version": 1, "method": "get", "object": "c", "onlyIf": c})[0]
    assert cond({"uploadedAfter": "1700000000000"}) == 200
    assert cond({"uploadedAfter": "1700000000000", "secondsGranularity": True}) == 412, "same second: not modified since"
    assert cond({"uploadedBefore": "1700000000000"}) == 412
    assert cond({"uploadedBefore": "1700000000000", "secondsGranularity": True}) == 200
    assert cond({"etagMatches": [{"type": "wildcard"}]}) == 200
    assert cond({"etagMatches": [{"value": meta["etag"], "type": "weak"}]}) == 412
    assert cond({"etagDoesNotMatch": [{"value": meta["etag"], "type": "weak"}]}) == 412
    status, headers, got, body = r2_read(r2, {"version": 1, "method": "get", "object": "c", "onlyIf": {"etagMatches": [{"value": "no", "type": "strong"}]}})
    assert status == 412 and r2_error(headers)["v4code"] == 10031 and got["etag"] == meta["etag"] and body == b""


def test_r2_bad_digest_leaves_nothing(r2, tmp_path):
    status, headers, _ = r2_write(r2, {"version": 1, "method": "put", "object": "d", "sha256": "00" * 32}, b"abc")
    assert status == 400 and r2_error(headers)["v4code"] == 10037
    assert "Actual SHA-256 was: " + hashlib.sha256(b"abc").hexdigest() in r2_error(headers)["message"]
    assert os.listdir(tmp_path / "r2" / "blobs") == []
    md5 = base64.b64encode(hashlib.md5(b"abc").digest()).decode()
    assert r2_write(r2, {"version": 1, "method": "put", "object": "d", "md5": md5}, b"abc")[0] == 200
    r2_write(r2, {"version": 1, "method": "put", "object": "d"}, b"replaced")
    assert len(os.listdir(tmp_path / "r2" / "blobs")) == 1, "the replaced blob is removed"
    r2_write(r2, {"version": 1, "method": "delete", "objects": ["d"]})
    assert os.listdir(tmp_path / "r2" / "blobs") == []


def test_r2_list_many_with_delimiter(r2):
    keys = [f"dir{d}/file{f:03d}" for d in range(3) for f in range(300)] + [f"top{i:04d}" for i in range(700)]
    for k in keys:
        r2_write(r2, {"version": 1, "method": "put", "object": k}, b"")
    seen, cursor, pages = [], None, 0
    while True:
        req = {"version": 1, "method": "list", "delimiter": "/", "limit": 250, "newRuntime": True}
        if cursor:
            req["cursor"] = cursor
        _, _, page, _ = r2_read(r2, req)
        pages += 1
        seen += page["delimitedPrefixes"] + [o["name"] for o in page["objects"]]
        assert len(page["objects"]) + len(page["delimitedPrefixes"]) <= 250
        if not page["truncated"]:
            assert "cursor" not in page
            break
        cursor = page["cursor"]
    assert sorted(seen) == ["dir0/", "dir1/", "dir2/"] + [f"top{i:04d}" for i in range(700)]
    assert pages == 3
    # everything, without a delimiter, default limit 1000
    _, _, page, _ = r2_read(r2, {"version": 1, "method": "list", "newRuntime": True})
    assert len(page["objects"]) == 1000 and page["truncated"]
    assert [o["name"] for o in page["objects"]] == sorted(keys)[:1000]
    _, _, rest, _ = r2_read(r2, {"version": 1, "method": "list", "newRuntime": True, "cursor": page["cursor"]})
    assert [o["name"] for o in rest["objects"]] == sorted(keys)[1000:] and not rest["truncated"]
    # include: only what is asked for; old runtimes (no newRuntime) get both
    r2_write(r2, {"version": 1, "method": "put", "object": "zz", "httpFields": {"contentType": "a/b"}, "customFields": [{"k": "a", "v": "b"}]})
    last = lambda req: r2_read(r2, {"version": 1, "method": "list", "prefix": "zz", **req})[2]["objects"][0]
    assert "httpFields" not in last({"newRuntime": True}) and "customFields" not in last({"newRuntime": True})
    assert "httpFields" in last({"newRuntime": True, "include": [0]}) and "customFields" not in last({"newRuntime": True, "include": [0]})
    assert "httpFields" in last({}) and "customFields" in last({})


def test_r2_multipart_etag(r2):
    _, _, created = r2_write(r2, {"version": 1, "method": "createMultipartUpload", "object": "mp"})
    uid = created["uploadId"]
    part1 = b"a" * (5 * 1024 * 1024)
    _, _, p1 = r2_write(r2, {"version": 1, "method": "uploadPart", "object": "mp", "uploadId": uid, "partNumber": 1}, part1)
    _, _, p2 = r2_write(r2, {"version": 1, "method": "uploadPart", "object": "mp", "uploadId": uid, "partNumber": 2}, b"end")
    status, headers, _ = r2_write(r2, {"version": 1, "method": "uploadPart", "object": "other", "uploadId": uid, "partNumber": 3}, b"x")
    assert status == 404 and r2_error(headers)["v4code"] == 10024, "an upload belongs to its key"
    status, _, meta = r2_write(r2, {"version": 1, "method": "completeMultipartUpload", "object": "mp", "uploadId": uid,
                                    "parts": [{"etag": p1["etag"], "part": 1}, {"etag": p2["etag"], "part": 2}]})
    expected = hashlib.md5(hashlib.md5(part1).digest() + hashlib.md5(b"end").digest()).hexdigest() + "-2"
    assert status == 200 and meta["etag"] == expected and meta["size"] == len(part1) + 3
    assert r2_read(r2, {"version": 1, "method": "get", "object": "mp", "range": {"suffix": "4"}})[3] == b"aend"


def test_r2_malformed_and_read_only(tmp_path):
    r2 = R2Local("r2", str(tmp_path))
    status, headers, _ = call(r2, "GET", "https://fake-host/", [("cf-r2-request", "not json")])
    assert status == 400 and "cf-r2-error" in headers
    assert call(r2, "GET", "https://fake-host/")[0] == 400
    assert call(r2, "PUT", "https://fake-host/", [], b"{}")[0] == 400, "no metadata size"
    status, headers, _ = call(r2, "PUT", "https://fake-host/", [("cf-r2-metadata-size", "100")], b"{}")
    assert status == 400, "body shorter than the metadata size"
    assert r2_write(r2, {"version": 1, "method": "put", "object": "x" * 1025})[0] == 400
    r2_write(r2, {"version": 1, "method": "put", "object": "kept"}, b"data")
    r2.close()
    ro = R2Local("ro", str(tmp_path), writable=False)
    assert r2_read(ro, {"version": 1, "method": "get", "object": "kept"})[3] == b"data"
    status, headers, _ = r2_write(ro, {"version": 1, "method": "put", "object": "new"}, b"x")
    assert status == 403 and r2_error(headers)["v4code"] == 10001
    ro.close()


# ---------------------------------------------------------------------- queue
@pytest.fixture
def queue(tmp_path):
    clock = Clock()
    q = QueueLocal("q", str(tmp_path), True, clock)
    q.clock_ = clock
    yield q
    q.close()


def test_queue_send_receive_ack_retry(queue):
    status, _, body = call(queue, "POST", "https://fake-host/message", [("x-msg-fmt", "json")], b'{"a":1}')
    assert status == 200
    assert json.loads(body) == {"metadata": {"metrics": {"backlogCount": 1, "backlogBytes": 7, "oldestMessageTimestamp": 1_700_000_000_000}}}
    call(queue, "POST", "https://fake-host/message", [("x-msg-delay-secs", "30")], b"\xff\x0f\x54")
    batch = {"messages": [{"body": base64.b64encode(b"t").decode(), "contentType": "text"},
                          {"body": base64.b64encode(b"\x01").decode(), "contentType": "bytes", "delaySecs": 0}]}
    status, _, _ = call(queue, "POST", "https://fake-host/batch", [("x-msg-delay-secs", "10")], json.dumps(batch).encode())
    assert status == 200
    got = queue.receive(10, visibility_timeout=5)
    assert [(m.content_type, m.body) for m in got] == [("json", b'{"a":1}'), ("bytes", b"\x01")], "delayed ones hidden"
    assert queue.receive(10) == [], "leased"
    queue.clock_.t += 10
    got2 = queue.receive(10)
    assert [(m.content_type, m.body, m.attempts) for m in got2] == [("json", b'{"a":1}', 2), ("text", b"t", 1), ("bytes", b"\x01", 2)]
    queue.ack([m.id for m in got2 if m.content_type != "text"])
    queue.retry([m.id for m in got2 if m.content_type == "text"], delay_seconds=0)
    queue.clock_.t += 30
    left = queue.receive(10)
    assert sorted((m.content_type, m.decode()) for m in left) == [("text", "t"), ("v8", b"\xff\x0f\x54")]
    status, _, body = call(queue, "GET", "https://fake-host/metrics")
    assert json.loads(body)["backlogCount"] == 2


def test_queue_limits(queue, tmp_path):
    status, headers, _ = call(queue, "POST", "https://fake-host/message", [("x-msg-fmt", "xml")], b"x")
    assert status == 400 and "cf-queues-error-cause" in headers
    assert call(queue, "POST", "https://fake-host/message", [("x-msg-delay-secs", "43201")], b"x")[0] == 400
    assert call(queue, "POST", "https://fake-host/message", [("x-msg-delay-secs", "-1")], b"x")[0] == 400
    assert call(queue, "POST", "https://fake-host/message", [], b"x" * 128_001)[0] == 413
    too_many = {"messages": [{"body": "eA=="}] * 101}
    assert call(queue, "POST", "https://fake-host/batch", [], json.dumps(too_many).encode())[0] == 413
    too_big = {"messages": [{"body": base64.b64encode(b"x" * 100_000).decode()}] * 3}
    assert call(queue, "POST", "https://fake-host/batch", [], json.dumps(too_big).encode())[0] == 413
    assert call(queue, "POST", "https://fake-host/batch", [], b"{}")[0] == 400
    assert call(queue, "GET", "https://fake-host/nope")[0] == 404
    assert queue.metrics()["backlogCount"] == 0
    ro = QueueLocal("ro", str(tmp_path), writable=False)
    assert call(ro, "POST", "https://fake-host/message", [], b"x")[0] == 405
    assert json.loads(call(ro, "GET", "https://fake-host/metrics")[2])["backlogCount"] == 0
    ro.close()
