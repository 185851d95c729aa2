"""DiskService: GET/HEAD/PUT/DELETE, listings, ranges, dotfiles and escape attempts.

Expected answers were observed from workerd 2026-11-17 (see server/services/README.md)."""
import asyncio
import json
import os

import pytest

from workerd_py.plan import model as P
from workerd_py.server.http import Body
from workerd_py.server.services.disk import DiskError, DiskService, parse_path, parse_range

from svc_helpers import header, read_body, request, run


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.txt").write_bytes(b"hello\n")
    (root / "b.json").write_bytes(b"{}\n")
    (root / "sub").mkdir()
    (root / "sub" / "inner.txt").write_bytes(b"inner")
    (root / ".dot").write_bytes(b"secret")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "f").write_bytes(b"hidden")
    (root / "link").symlink_to("a.txt")
    (root / "sublink").symlink_to("sub")
    (root / "dotlink").symlink_to(".dot")
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"OUTSIDE")
    (tmp_path / "outdir").mkdir()
    (tmp_path / "outdir" / "x").write_bytes(b"X")
    (root / "escape").symlink_to(outside)
    (root / "escape_abs").symlink_to("/etc/passwd")
    (root / "escdir").symlink_to(tmp_path / "outdir")
    (root / "up").symlink_to("..")
    os.mkfifo(root / "fifo")
    return root


def svc(root, writable=False, dots=False):
    return DiskService.from_plan("files", P.Disk(path=str(root), writable=writable, allow_dotfiles=dots))


def call(service, method, path, headers=(), body=None):
    async def go():
        res = service.handle(request(method, "http://files.local" + path, headers, body))
        if asyncio.iscoroutine(res):
            res = await res
        return res, await read_body(res)
    return run(go())


# ------------------------------------------------------------------ GET / HEAD

def test_get_file(tree):
    res, body = call(svc(tree), "GET", "/a.txt")
    assert res.status == 200 and body == b"hello\n"
    assert header(res, "content-type") == "application/octet-stream"
    assert header(res, "content-length") == "6"
    assert header(res, "last-modified").endswith(" GMT")


def test_json_file_is_still_octet_stream(tree):
    res, body = call(svc(tree), "GET", "/b.json")
    assert header(res, "content-type") == "application/octet-stream"


def test_head_file(tree):
    res, body = call(svc(tree), "HEAD", "/a.txt")
    assert res.status == 200 and body == b""
    assert header(res, "content-length") == "6"
    assert header(res, "content-type") == "application/octet-stream"


def test_missing_is_404(tree):
    res, body = call(svc(tree), "GET", "/nope")
    assert (res.status, body, res.headers) == (404, b"Not Found", [])
    res, _ = call(svc(tree), "HEAD", "/nope")
    assert res.status == 404


def test_listing_shape(tree):
    res, body = call(svc(tree), "GET", "/")
    assert res.status == 200
    assert header(res, "content-type") == "application/json"
    assert header(res, "content-length") is None          # streamed like workerd
    assert header(res, "last-modified")
    listing = json.loads(body)
    assert listing == [
        {"name": "a.txt", "type": "file"}, {"name": "b.json", "type": "file"},
        {"name": "dotlink", "type": "symlink"}, {"name": "escape", "type": "symlink"},
        {"name": "escape_abs", "type": "symlink"}, {"name": "escdir", "type": "symlink"},
        {"name": "fifo", "type": "namedPipe"}, {"name": "link", "type": "symlink"},
        {"name": "sub", "type": "directory"}, {"name": "sublink", "type": "symlink"},
        {"name": "up", "type": "symlink"},
    ]
    assert body.startswith(b'[{"name":"a.txt","type":"file"},')   # compact, as workerd


def test_listing_subdir_and_symlinked_dir(tree):
    for p in ("/sub", "/sub/", "/sublink", "/sublink/"):
        res, body = call(svc(tree), "GET", p)
        assert res.status == 200, p
        assert json.loads(body) == [{"name": "inner.txt", "type": "file"}]


def test_listing_with_dotfiles(tree):
    res, body = call(svc(tree, dots=True), "GET", "/")
    names = [e["name"] for e in json.loads(body)]
    assert names[:2] == [".dot", ".hidden"]


def test_head_directory(tree):
    res, body = call(svc(tree), "HEAD", "/sub")
    assert res.status == 200 and body == b""
    assert header(res, "content-type") == "application/json"
    assert header(res, "content-length") is None


def test_fifo_is_not_acceptable(tree):
    res, body = call(svc(tree), "GET", "/fifo")
    assert (res.status, body) == (406, b"Not Acceptable")


def test_symlink_inside_is_followed(tree):
    res, body = call(svc(tree), "GET", "/link")
    assert res.status == 200 and body == b"hello\n"
    res, body = call(svc(tree), "GET", "/sublink/inner.txt")
    assert body == b"inner"
    res, body = call(svc(tree), "GET", "/dotlink")   # the requested name is not a dotfile
    assert body == b"secret"


@pytest.mark.parametrize("path", ["/escape", "/escape_abs", "/escdir/x", "/escdir", "/up",
                                  "/up/outside.txt", "/up/root/a.txt/../../outside.txt"])
def test_symlink_escape_refused(tree, path):
    res, body = call(svc(tree), "GET", path)
    assert res.status == 404 and b"OUTSIDE" not in body and b"root:" not in body


@pytest.mark.parametrize("path", [
    "/../outside.txt", "/%2e%2e/outside.txt", "/sub/../../outside.txt", "/.%2e/outside.txt",
    "/sub/%2e%2e/%2e%2e/outside.txt", "/%2E%2E/%2E%2E/etc/passwd",
])
def test_dotdot_cannot_leave_the_root(tree, path):
    res, body = call(svc(tree), "GET", path)
    assert res.status == 404 and body == b"Not Found"


@pytest.mark.parametrize("path,expect", [
    ("/sub/../a.txt", b"hello\n"), ("/./a.txt", b"hello\n"), ("/sub/%2e%2e/a.txt", b"hello\n"),
    ("/a%2etxt", b"hello\n"), ("/a.txt/", b"hello\n"), ("/a.txt?x=1", b"hello\n"),
])
def test_normalised_paths(tree, path, expect):
    res, body = call(svc(tree), "GET", path)
    assert res.status == 200 and body == expect


@pytest.mark.parametrize("path", [
    "/sub%2Finner.txt", "/sub%2finner.txt", "/sub%5Cinner.txt", "/sub%5C..%5Ca.txt",
    "/sub%2F..%2F..%2Foutside.txt", "//a.txt", "/sub//inner.txt", "/a%00.txt",
    "/%2Fetc%2Fpasswd",
])
def test_encoded_separators_and_empty_segments_refused(tree, path):
    res, body = call(svc(tree), "GET", path)
    assert res.status == 404


@pytest.mark.parametrize("path", ["/.dot", "/.hidden", "/.hidden/", "/.hidden/f", "/%2edot",
                                  "/sub/../.dot"])
def test_dotfiles_refused(tree, path):
    res, body = call(svc(tree), "GET", path)
    assert (res.status, body) == (404, b"Not Found")


def test_dotfiles_allowed(tree):
    s = svc(tree, dots=True)
    assert call(s, "GET", "/.dot")[1] == b"secret"
    assert call(s, "GET", "/.hidden/f")[1] == b"hidden"
    assert json.loads(call(s, "GET", "/.hidden")[1]) == [{"name": "f", "type": "file"}]


def test_space_and_unicode_names(tree):
    (tree / "a b.txt").write_bytes(b"sp")
    (tree / "é.txt").write_bytes(b"e")
    s = svc(tree)
    assert call(s, "GET", "/a%20b.txt")[1] == b"sp"
    assert call(s, "GET", "/%C3%A9.txt")[1] == b"e"
    names = [e["name"] for e in json.loads(call(s, "GET", "/")[1])]
    assert "a b.txt" in names and "é.txt" in names


# ------------------------------------------------------------------ ranges

@pytest.mark.parametrize("rng,status,body,crange", [
    ("bytes=1-2", 206, b"el", "bytes 1-2/6"),
    ("bytes=-3", 206, b"lo\n", "bytes 3-5/6"),
    (" bytes = 1 - 2 ", 206, b"el", "bytes 1-2/6"),
    ("Bytes=1-1", 206, b"e", "bytes 1-1/6"),
    ("bytes=2-", 206, b"llo\n", "bytes 2-5/6"),
    ("bytes=0-", 200, b"hello\n", None),
    ("bytes=0-100", 200, b"hello\n", None),
    ("bytes=1-2,4-5", 200, b"hello\n", None),
    ("bytes=1-2,x", 200, b"hello\n", None),
    ("items=0-1", 416, b"Range Not Satisfiable", "bytes */6"),
    ("bytes=10-", 416, b"Range Not Satisfiable", "bytes */6"),
    ("bytes=-0", 416, b"Range Not Satisfiable", "bytes */6"),
    ("bytes=3-1", 416, b"Range Not Satisfiable", "bytes */6"),
    ("bytes=x", 416, b"Range Not Satisfiable", "bytes */6"),
    ("bytes=", 416, b"Range Not Satisfiable", "bytes */6"),
])
def test_ranges(tree, rng, status, body, crange):
    res, got = call(svc(tree), "GET", "/a.txt", [("range", rng)])
    assert res.status == status and got == body
    assert header(res, "content-range") == crange


def test_head_ignores_range(tree):
    res, _ = call(svc(tree), "HEAD", "/a.txt", [("range", "bytes=1-2")])
    assert res.status == 200 and header(res, "content-length") == "6"


def test_parse_range_unit():
    assert parse_range("bytes=0-0", 1) == "all"
    assert parse_range("bytes=0-", 0) is None


# ------------------------------------------------------------------ big files stream

def test_big_file_streams_in_chunks(tree):
    data = os.urandom(3 * 1024 * 1024 + 17)
    (tree / "big.bin").write_bytes(data)
    s = svc(tree)

    async def go():
        res = s.handle(request("GET", "http://x/big.bin"))
        assert not isinstance(res.body, (bytes, type(None)))
        chunks = [c async for c in res.body]
        return res, chunks
    res, chunks = run(go())
    assert header(res, "content-length") == str(len(data))
    assert len(chunks) > 4 and max(map(len, chunks)) <= 256 * 1024
    assert b"".join(chunks) == data

    async def ranged():
        res = s.handle(request("GET", "http://x/big.bin", [("range", "bytes=100000-2999999")]))
        return res, b"".join([c async for c in res.body])
    res, got = run(ranged())
    assert res.status == 206 and got == data[100000:3000000]


# ------------------------------------------------------------------ refused methods

@pytest.mark.parametrize("method", ["POST", "PATCH", "OPTIONS", "PROPFIND", "get"])
def test_unknown_methods_501(tree, method):
    res, body = call(svc(tree, writable=True), method, "/a.txt")
    assert (res.status, body) == (501, b"Not Implemented")


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_read_only_405(tree, method):
    res, body = call(svc(tree), method, "/a.txt", body=b"x")
    assert (res.status, body) == (405, b"Method Not Allowed")
    assert (tree / "a.txt").read_bytes() == b"hello\n"
    res, body = call(svc(tree), method, "/.dot", body=b"x")
    assert res.status == 405


# ------------------------------------------------------------------ PUT / DELETE

def test_put_creates_atomically_with_parents(tree):
    s = svc(tree, writable=True)
    res, body = call(s, "PUT", "/new.txt", body=b"new content")
    assert (res.status, body, res.headers) == (204, b"", [])
    assert (tree / "new.txt").read_bytes() == b"new content"
    res, _ = call(s, "PUT", "/deep/dir/file.txt", body=b"deep")
    assert res.status == 204 and (tree / "deep" / "dir" / "file.txt").read_bytes() == b"deep"
    res, _ = call(s, "PUT", "/a.txt", body=b"replaced")
    assert (tree / "a.txt").read_bytes() == b"replaced"
    assert not [n for n in os.listdir(tree) if n.startswith(".workerd-put-")]


def test_put_streams_body_and_replaces_at_end(tree):
    s = svc(tree, writable=True)
    seen = []

    async def gen():
        for i in range(10):
            # while the upload runs, the old content is still in place (temp file + rename)
            seen.append((tree / "a.txt").read_bytes())
            yield bytes([48 + i]) * 100_000
            await asyncio.sleep(0)

    res, _ = call(s, "PUT", "/a.txt", body=Body.from_iter(gen()))
    assert res.status == 204
    assert set(seen) == {b"hello\n"}
    assert (tree / "a.txt").read_bytes() == b"".join(bytes([48 + i]) * 100_000 for i in range(10))


def test_put_failed_body_leaves_target_and_no_temp(tree):
    s = svc(tree, writable=True)

    async def gen():
        yield b"partial"
        raise RuntimeError("client went away")

    with pytest.raises(Exception):
        call(s, "PUT", "/a.txt", body=Body.from_iter(gen()))
    assert (tree / "a.txt").read_bytes() == b"hello\n"
    assert not [n for n in os.listdir(tree) if n.startswith(".workerd-put-")]


def test_put_empty_body(tree):
    s = svc(tree, writable=True)
    res, _ = call(s, "PUT", "/empty.txt")
    assert res.status == 204 and (tree / "empty.txt").read_bytes() == b""


def test_put_over_symlink_replaces_the_link(tree):
    s = svc(tree, writable=True)
    res, _ = call(s, "PUT", "/link", body=b"via link")
    assert res.status == 204
    assert not (tree / "link").is_symlink() and (tree / "link").read_bytes() == b"via link"
    assert (tree / "a.txt").read_bytes() == b"hello\n"
    res, _ = call(s, "PUT", "/escape", body=b"pwn")
    assert res.status == 204 and (tree.parent / "outside.txt").read_bytes() == b"OUTSIDE"


def test_put_dotdot_stays_inside(tree):
    res, _ = call(svc(tree, writable=True), "PUT", "/sublink/../../outside.txt", body=b"in")
    assert res.status == 204 and (tree / "outside.txt").read_bytes() == b"in"
    assert (tree.parent / "outside.txt").read_bytes() == b"OUTSIDE"


@pytest.mark.parametrize("path", ["/escdir/x", "/escdir/new", "/up/outside.txt", "/up/evil.txt"])
def test_put_through_escaping_symlink_refused(tree, path):
    s = svc(tree, writable=True)
    res, _ = call(s, "PUT", path, body=b"pwn")
    assert res.status in (403, 404)
    assert (tree.parent / "outside.txt").read_bytes() == b"OUTSIDE"
    assert (tree.parent / "outdir" / "x").read_bytes() == b"X"
    assert not (tree.parent / "evil.txt").exists() and not (tree.parent / "outdir" / "new").exists()


@pytest.mark.parametrize("path", ["/.dotnew", "/sub/.x", "/.hidden/f", "/", ""])
def test_put_dotfile_or_root_403(tree, path):
    res, body = call(svc(tree, writable=True), "PUT", path, body=b"d")
    assert (res.status, body, res.reason) == (403, b"Unauthorized", "Unauthorized")


def test_put_dotfile_allowed(tree):
    res, _ = call(svc(tree, writable=True, dots=True), "PUT", "/.env", body=b"k=v")
    assert res.status == 204 and (tree / ".env").read_bytes() == b"k=v"


def test_put_onto_directory_or_under_file_is_an_error(tree):
    s = svc(tree, writable=True)
    with pytest.raises(DiskError, match="directory"):
        call(s, "PUT", "/sub", body=b"x")
    with pytest.raises(DiskError):
        call(s, "PUT", "/a.txt/x", body=b"x")
    assert (tree / "sub").is_dir() and (tree / "a.txt").read_bytes() == b"hello\n"


def test_delete(tree):
    s = svc(tree, writable=True)
    res, _ = call(s, "DELETE", "/a.txt")
    assert res.status == 204 and not (tree / "a.txt").exists()
    res, body = call(s, "DELETE", "/a.txt")
    assert (res.status, body) == (404, b"Not Found")
    res, _ = call(s, "DELETE", "/sub")          # recursive, as workerd
    assert res.status == 204 and not (tree / "sub").exists()


def test_delete_symlink_removes_link_only(tree):
    s = svc(tree, writable=True)
    res, _ = call(s, "DELETE", "/escdir")
    assert res.status == 204 and not (tree / "escdir").is_symlink()
    assert (tree.parent / "outdir" / "x").exists()
    res, _ = call(s, "DELETE", "/escape")
    assert res.status == 204 and (tree.parent / "outside.txt").exists()


@pytest.mark.parametrize("path", ["/escdir/x", "/up/outside.txt", "/up/root"])
def test_delete_through_escaping_symlink_refused(tree, path):
    s = svc(tree, writable=True)
    res, _ = call(s, "DELETE", path)
    assert res.status in (403, 404)
    assert (tree.parent / "outdir" / "x").exists() and (tree.parent / "outside.txt").exists()
    assert tree.exists()


@pytest.mark.parametrize("path", ["/.dot", "/", "/.hidden"])
def test_delete_dotfile_or_root_403(tree, path):
    res, body = call(svc(tree, writable=True), "DELETE", path)
    assert (res.status, body) == (403, b"Unauthorized")
    assert (tree / ".dot").exists() and (tree / ".hidden").exists()


# ------------------------------------------------------------------ config

def test_missing_directory_is_a_config_error(tmp_path):
    logs = []

    class App:
        def log(self, level, msg):
            logs.append((level, msg))
    s = DiskService.from_plan("files", P.Disk(path=str(tmp_path / "nope")), App())
    assert s.config_error and logs[0][0] == "error" and "not found" in logs[0][1]
    with pytest.raises(DiskError, match="not found"):
        s.handle(request("GET", "http://x/"))
    s2 = DiskService.from_plan("files", P.Disk(path=None), None)
    assert "--directory-path" in s2.config_error


def test_relative_path_is_relative_to_cwd(tree, monkeypatch):
    monkeypatch.chdir(tree.parent)
    s = DiskService.from_plan("files", P.Disk(path="root"), None)
    assert call(s, "GET", "/a.txt")[1] == b"hello\n"


def test_root_symlink_is_resolved(tree, tmp_path):
    alias = tmp_path / "alias"
    alias.symlink_to(tree)
    s = svc(alias)
    assert call(s, "GET", "/a.txt")[1] == b"hello\n"
    assert call(s, "GET", "/escape")[0].status == 404


def test_parse_path_unit():
    assert parse_path("http://h/") == []
    assert parse_path("http://h") == []
    assert parse_path("http://h/a/b/") == ["a", "b"]
    assert parse_path("http://h/a/./b/../c") == ["a", "c"]
    assert parse_path("http://h/../../a") == ["a"]
    assert parse_path("http://h/a%2Fb") is None
    assert parse_path("http://h/a//b") is None
