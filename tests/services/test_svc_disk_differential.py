"""The disk service over real sockets, side by side with the real workerd (skipped without it).

Each request goes to `workerd serve` (ours) and to workerd 2026-11-17 on the same directory; status,
reason, the headers that matter and the body must agree. The one deliberate difference (symlinks
that point outside the directory) is checked separately."""
from __future__ import annotations

import http.client
import os
import shutil

import pytest

from support import Server, our_workerd, real_workerd

pytestmark = pytest.mark.timeout(180)

CONFIG = """using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "files", disk = (path = %(path)s, writable = %(writable)s, allowDotfiles = %(dots)s))],
  sockets = [(name = "http", service = "files", http = ())],
);
"""

HEADERS = ("content-type", "content-length", "content-range", "last-modified", "transfer-encoding")


def make_tree(root):
    os.makedirs(root / "sub")
    os.makedirs(root / ".hidden")
    (root / "a.txt").write_bytes(b"hello\n")
    (root / "b.json").write_bytes(b"{}\n")
    (root / "a b.txt").write_bytes(b"space\n")
    (root / "empty").write_bytes(b"")
    (root / "sub" / "inner.txt").write_bytes(b"inner")
    (root / ".dot").write_bytes(b"secret")
    (root / ".hidden" / "f").write_bytes(b"hidden")
    (root / "big.bin").write_bytes(bytes(range(256)) * 1024)
    (root / "link").symlink_to("a.txt")
    (root / "sublink").symlink_to("sub")
    os.mkfifo(root / "fifo")


def config(tmp_path, root, writable=False, dots=False, name="config"):
    text = CONFIG % {"path": '"%s"' % root, "writable": "true" if writable else "false",
                     "dots": "true" if dots else "false"}
    p = tmp_path / f"{name}.capnp"
    p.write_text(text)
    return str(p)


def fetch(port, method, path, headers=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            c.putheader(k, v)
        if body is not None:
            c.putheader("Content-Length", str(len(body)))
        c.endheaders(body)
        r = c.getresponse()
        data = r.read()
        hs = {h: r.getheader(h) for h in HEADERS}
        return (r.status, r.reason, hs, data)
    finally:
        c.close()


@pytest.fixture(scope="module")
def real():
    path = real_workerd()
    if not path:
        pytest.skip("the real workerd (npm package workerd) is not available")
    return path


READ_CASES = [
    ("GET", "/", None), ("HEAD", "/", None), ("GET", "/a.txt", None), ("HEAD", "/a.txt", None),
    ("GET", "/b.json", None), ("GET", "/sub", None), ("GET", "/sub/", None), ("HEAD", "/sub", None),
    ("GET", "/link", None), ("GET", "/sublink", None), ("GET", "/sublink/inner.txt", None),
    ("GET", "/fifo", None), ("GET", "/nope", None), ("HEAD", "/nope", None), ("GET", "/empty", None),
    ("GET", "/.dot", None), ("GET", "/.hidden", None), ("GET", "/.hidden/f", None),
    ("GET", "/sub/../a.txt", None), ("GET", "/./a.txt", None), ("GET", "/sub/%2e%2e/a.txt", None),
    ("GET", "/%2e%2e/etc/passwd", None), ("GET", "/../../etc/passwd", None),
    ("GET", "/sub%2F..%2Fa.txt", None), ("GET", "/sub%5C..%5Ca.txt", None), ("GET", "/a%2etxt", None),
    ("GET", "//a.txt", None), ("GET", "/sub//", None), ("GET", "/a.txt/", None),
    ("GET", "/a%20b.txt", None), ("GET", "/a.txt?x=1", None), ("GET", "/big.bin", None),
    ("GET", "/a.txt", {"Range": "bytes=1-2"}), ("GET", "/a.txt", {"Range": "bytes=-3"}),
    ("GET", "/a.txt", {"Range": "bytes=0-"}), ("GET", "/a.txt", {"Range": "bytes=10-"}),
    ("GET", "/a.txt", {"Range": "items=0-1"}), ("GET", "/a.txt", {"Range": "bytes=1-2,4-5"}),
    ("GET", "/a.txt", {"Range": "bytes=3-1"}), ("GET", "/big.bin", {"Range": "bytes=1000-200000"}),
    ("HEAD", "/a.txt", {"Range": "bytes=1-2"}), ("GET", "/empty", {"Range": "bytes=0-"}),
    ("POST", "/a.txt", b"x"), ("PATCH", "/a.txt", b"x"), ("OPTIONS", "/a.txt", None),
    ("PUT", "/a.txt", b"x"), ("DELETE", "/a.txt", None), ("PROPFIND", "/", None),
]


@pytest.mark.parametrize("dots", [False, True])
def test_read_only_matches_real_workerd(tmp_path, real, dots):
    root = tmp_path / "root"
    make_tree(root)
    cfg = config(tmp_path, root, dots=dots)
    with Server([real], cfg) as theirs, Server(our_workerd(), cfg) as ours:
        for method, path, extra in READ_CASES:
            headers = extra if isinstance(extra, dict) else None
            body = extra if isinstance(extra, bytes) else None
            want = fetch(theirs.port, method, path, headers, body)
            got = fetch(ours.port, method, path, headers, body)
            assert got == want, (method, path, extra)


def test_symlink_escape_is_our_one_difference(tmp_path, real):
    root = tmp_path / "root"
    make_tree(root)
    (tmp_path / "outside.txt").write_bytes(b"OUTSIDE")
    (root / "escape").symlink_to(tmp_path / "outside.txt")
    cfg = config(tmp_path, root)
    with Server([real], cfg) as theirs, Server(our_workerd(), cfg) as ours:
        assert fetch(theirs.port, "GET", "/escape")[3] == b"OUTSIDE"     # workerd follows it
        assert fetch(ours.port, "GET", "/escape")[:2] == (404, "Not Found")
        # both list it as a symlink
        assert fetch(theirs.port, "GET", "/")[3] == fetch(ours.port, "GET", "/")[3]


WRITE_CASES = [
    ("PUT", "/new.txt", b"new content"), ("GET", "/new.txt", None),
    ("PUT", "/deep/dir/new.txt", b"deep"), ("GET", "/deep/dir", None),
    ("PUT", "/a.txt", b"replaced"), ("GET", "/a.txt", None),
    ("PUT", "/link", b"via link"), ("GET", "/a.txt", None), ("GET", "/link", None),
    ("PUT", "/.dotnew", b"d"), ("PUT", "/", b"d"), ("PUT", "/sub/.x", b"d"),
    ("PUT", "/empty2", b""),
    ("DELETE", "/new.txt", None), ("DELETE", "/new.txt", None), ("DELETE", "/deep", None),
    ("GET", "/deep", None), ("DELETE", "/.dot", None), ("DELETE", "/", None),
    ("DELETE", "/sublink", None), ("GET", "/sub/inner.txt", None),
    ("POST", "/a.txt", b"x"), ("GET", "/", None),
]


def test_writable_matches_real_workerd(tmp_path, real):
    trees = []
    for name in ("theirs", "ours"):
        root = tmp_path / name
        make_tree(root)
        trees.append(root)
    cfg_theirs = config(tmp_path, trees[0], writable=True, name="theirs")
    cfg_ours = config(tmp_path, trees[1], writable=True, name="ours")
    with Server([real], cfg_theirs) as theirs, Server(our_workerd(), cfg_ours) as ours:
        for method, path, body in WRITE_CASES:
            want = fetch(theirs.port, method, path, None, body)
            got = fetch(ours.port, method, path, None, body)
            # last-modified of freshly written files differs by the second they were written in
            want[2].pop("last-modified"), got[2].pop("last-modified")
            assert got == want, (method, path, body)

    def snapshot(root):
        out = []
        for d, dirs, files in os.walk(root):
            for n in sorted(dirs + files):
                p = os.path.join(d, n)
                rel = os.path.relpath(p, root)
                if os.path.islink(p):
                    out.append((rel, "link", os.readlink(p)))
                elif os.path.isfile(p):
                    with open(p, "rb") as f:
                        out.append((rel, "file", f.read()))
                elif os.path.isdir(p):
                    out.append((rel, "dir", None))
        return sorted(out)
    assert snapshot(trees[1]) == snapshot(trees[0])


def test_put_onto_directory_is_an_error_in_both(tmp_path, real):
    trees = []
    for name in ("theirs", "ours"):
        root = tmp_path / name
        make_tree(root)
        trees.append(root)
    with Server([real], config(tmp_path, trees[0], writable=True, name="t")) as theirs, \
            Server(our_workerd(), config(tmp_path, trees[1], writable=True, name="o")) as ours:
        for path in ("/sub", "/a.txt/x"):
            want = fetch(theirs.port, "PUT", path, None, b"x")
            got = fetch(ours.port, "PUT", path, None, b"x")
            assert want[:2] == got[:2] == (500, "Internal Server Error"), path
    shutil.rmtree(tmp_path / "theirs")
