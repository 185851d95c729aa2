"""Disk service: a directory served over HTTP, as workerd's `disk = (path, writable, allowDotfiles)`.

What it answers (checked against workerd 2026-11-17, see README.md)
-------------------------------------------------------------------
GET/HEAD file   200, content-type application/octet-stream, content-length, last-modified;
                GET with one satisfiable `Range` -> 206 + content-range; unsatisfiable -> 416.
GET/HEAD dir    200, content-type application/json, last-modified, streamed (no length):
                [{"name":"a.txt","type":"file"}, ...] sorted by name, dotfiles hidden unless
                allowDotfiles; type: file, directory, symlink, blockDevice, characterDevice,
                namedPipe, socket, other (of the entry itself, symlinks not followed).
GET other node  406 Not Acceptable (fifo, device, socket).
missing/refused 404 Not Found (also dotfile paths, `..`-escapes, encoded separators, empty
                segments, and -- unlike workerd -- symlinks resolving outside the directory).
PUT             writable: parents created, body streamed to a temp file in the target's
                directory and renamed over the target (atomic) -> 204; the path is a directory
                or under a file -> error (500, as workerd). Read-only -> 405. Dotfile or root -> 403.
DELETE          writable: file or symlink unlinked, directory removed recursively -> 204;
                missing -> 404. Read-only -> 405. Dotfile or root -> 403.
other methods   501 Not Implemented.

How a path is resolved
----------------------
The URL path is split on "/" and each segment percent-decoded. "." is dropped and ".." pops one
segment (never above the root), as URL parsing does. A decoded segment containing "/", "\\" or
NUL, or an empty segment (`//`), refuses the request; one trailing slash is ignored. Dotfile
rules apply to the resolved segments. Finally the real path (symlinks resolved) must stay inside
the directory's real path; PUT/DELETE check the parent's real path, so they act on a symlink
itself (replace or unlink it), never on what it points to.
"""
from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import os
import shutil
import stat as st
import tempfile
from urllib.parse import unquote_to_bytes, urlsplit

from ..http import HttpResponse

__all__ = ["DiskService"]

log = logging.getLogger("workerd_py.server.services.disk")

_INLINE_MAX = 64 * 1024      # files up to this size are answered with bytes, without a task
_CHUNK = 256 * 1024          # read size for streamed files

_old_umask = os.umask(0o022)
os.umask(_old_umask)
_FILE_MODE = 0o666 & ~_old_umask


def _err(status: int, reason: str, headers=None) -> HttpResponse:
    return HttpResponse(status, headers or [], reason.encode(), reason)


def _not_found() -> HttpResponse:
    return _err(404, "Not Found")


def _http_date(t: float) -> str:
    return email.utils.formatdate(t, usegmt=True)


_TYPES = (
    (st.S_ISREG, "file"), (st.S_ISDIR, "directory"), (st.S_ISLNK, "symlink"),
    (st.S_ISBLK, "blockDevice"), (st.S_ISCHR, "characterDevice"), (st.S_ISFIFO, "namedPipe"),
    (st.S_ISSOCK, "socket"),
)


def _type_name(mode: int) -> str:
    for test, name in _TYPES:
        if test(mode):
            return name
    return "other"


class DiskError(Exception):
    """A disk operation failed in a way workerd reports as an internal error (500)."""


def parse_path(url: str) -> list[str] | None:
    """The URL's path as decoded segments (file-system str), or None when the path is refused."""
    raw = urlsplit(url).path
    if raw.startswith("/"):
        raw = raw[1:]
    if not raw:
        return []
    parts = raw.split("/")
    if parts[-1] == "":
        parts.pop()              # one trailing slash is ignored
    out: list[str] = []
    for p in parts:
        b = unquote_to_bytes(p)
        if b == b".":
            continue
        if b == b"..":
            if out:
                out.pop()
            continue
        if not b or b"/" in b or b"\\" in b or b"\0" in b:
            return None
        out.append(os.fsdecode(b))
    return out


def parse_range(value: str, size: int):
    """One satisfiable (start, end) pair, "all" (serve everything) or None (unsatisfiable).

    Follows kj::tryParseHttpRangeHeader for a single range spec; like workerd 2026-11-17, a
    header listing several ranges is ignored (the whole file is sent)."""
    if "," in value:
        return "all"
    v = value.strip()
    if v[:5].lower() != "bytes":
        return None
    v = v[5:].lstrip(" \t")
    if not v.startswith("="):
        return None
    spec = v[1:].strip(" \t")
    first, dash, last = spec.partition("-")
    if not dash:
        return None
    first = first.strip(" \t")
    last = last.strip(" \t")
    if first:
        if not first.isdigit() or (last and not last.isdigit()):
            return None
        a = int(first)
        if last:
            b = int(last)
            if a > b:
                return None
            b = min(b, size - 1)
        else:
            b = size - 1
    else:
        if not last.isdigit():
            return None
        n = int(last)
        a, b = (0, size - 1) if n >= size else (size - n, size - 1)
    if a > b:
        return None
    if a == 0 and b == size - 1:
        return "all"
    return (a, b)


class FileStream:
    """A regular file (or a range of it) as an async iterator of bytes; reads off the loop."""

    __slots__ = ("_fd", "_pos", "_left")

    def __init__(self, fd: int, start: int, length: int):
        self._fd = fd
        self._pos = start
        self._left = length

    def __aiter__(self):
        return self

    async def __anext__(self) -> bytes:
        if self._left <= 0 or self._fd < 0:
            self._close()
            raise StopAsyncIteration
        n = min(_CHUNK, self._left)
        try:
            data = await asyncio.get_running_loop().run_in_executor(None, os.pread, self._fd, n, self._pos)
        except BaseException:
            self._close()
            raise
        if not data:
            # The file shrank while being sent: end early (the peer sees a short body).
            self._close()
            raise DiskError("file changed size while it was being read")
        self._pos += len(data)
        self._left -= len(data)
        return data

    def _close(self):
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)

    async def aclose(self):
        self._close()

    def __del__(self):
        try:
            self._close()
        except Exception:
            pass


async def _once(data: bytes):
    yield data


async def _nothing():
    return
    yield  # pragma: no cover


class DiskService:
    """workerd's disk directory service."""

    def __init__(self, name: str, path: str | None, writable: bool = False,
                 allow_dotfiles: bool = False, logger=None):
        self.name = name
        self.writable = bool(writable)
        self.allow_dotfiles = bool(allow_dotfiles)
        self._logger = logger
        self.config_error: str | None = None
        self.root = ""
        if path is None:
            self.config_error = (f"Directory \"{name}\" has no path in the config, so must be specified "
                                 f"on the command line with `--directory-path`.")
        else:
            root = os.path.realpath(os.path.abspath(path))
            if not os.path.isdir(root):
                self.config_error = f"Directory named \"{name}\" not found: {path}"
            elif self.writable and not os.access(root, os.W_OK | os.X_OK):
                self.config_error = f"Directory named \"{name}\" is not writable: {path}"
            self.root = root
        if self.config_error and logger is not None:
            try:
                logger("error", self.config_error)
            except Exception:
                pass

    @classmethod
    def from_plan(cls, name, plan_body, app=None):
        return cls(name, getattr(plan_body, "path", None), getattr(plan_body, "writable", False),
                   getattr(plan_body, "allow_dotfiles", False), getattr(app, "log", None))

    # ------------------------------------------------------------------ paths
    def _segments(self, url: str) -> list[str] | None:
        segs = parse_path(url)
        if segs is None:
            return None
        if not self.allow_dotfiles:
            for s in segs:
                if s.startswith("."):
                    return None
        return segs

    def _inside(self, real: str) -> bool:
        root = self.root
        return real == root or real.startswith(root + os.sep) or (root == os.sep and real.startswith(os.sep))

    # ------------------------------------------------------------------ dispatch
    def handle(self, request):
        if self.config_error:
            raise DiskError(f"service \"{self.name}\" cannot handle requests: {self.config_error}")
        m = request.method
        if m == "GET" or m == "HEAD":
            segs = self._segments(request.url)
            if segs is None:
                return _not_found()
            return self._get(segs, m == "HEAD", request)
        if m == "PUT" or m == "DELETE":
            if not self.writable:
                return _err(405, "Method Not Allowed")
            segs = self._segments(request.url)
            if not segs:
                return _err(403, "Unauthorized")
            if m == "PUT":
                return self._put(segs, request.body)
            return self._delete(segs)
        return _err(501, "Not Implemented")

    # ------------------------------------------------------------------ GET / HEAD
    def _get(self, segs, head: bool, request) -> HttpResponse:
        full = os.path.join(self.root, *segs)
        real = os.path.realpath(full)
        if not self._inside(real):
            return _not_found()
        try:
            meta0 = os.stat(real)
        except (FileNotFoundError, NotADirectoryError):
            return _not_found()
        except OSError:
            return _not_found()          # ELOOP, ENAMETOOLONG ...
        if not (st.S_ISREG(meta0.st_mode) or st.S_ISDIR(meta0.st_mode)):
            return _err(406, "Not Acceptable")   # never open a fifo, device or socket
        try:
            fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW)
        except (FileNotFoundError, NotADirectoryError):
            return _not_found()
        except PermissionError:
            raise DiskError(f"cannot open {'/'.join(segs)}: permission denied") from None
        except OSError:
            return _not_found()          # a symlink swapped in after realpath (ELOOP) ...
        keep = False
        try:
            meta = os.fstat(fd)
            mode = meta.st_mode
            if (meta.st_dev, meta.st_ino) != (meta0.st_dev, meta0.st_ino):
                return _not_found()      # replaced between stat and open
            if st.S_ISDIR(mode):
                return self._listing(real, meta, head)
            if not st.S_ISREG(mode):
                return _err(406, "Not Acceptable")
            size = meta.st_size
            headers = [("content-type", "application/octet-stream"),
                       ("last-modified", _http_date(meta.st_mtime))]
            if head:
                headers.append(("content-length", str(size)))
                return HttpResponse(200, headers, _nothing(), "OK")
            start, length, status, reason = 0, size, 200, "OK"
            rng = request.header("range")
            if rng is not None:
                r = parse_range(rng, size)
                if r is None:
                    return _err(416, "Range Not Satisfiable", [("content-range", f"bytes */{size}")])
                if r != "all":
                    start, end = r
                    length = end - start + 1
                    status, reason = 206, "Partial Content"
                    headers.append(("content-range", f"bytes {start}-{end}/{size}"))
            headers.append(("content-length", str(length)))
            if length <= _INLINE_MAX:
                data = os.pread(fd, length, start)
                if len(data) != length:
                    raise DiskError(f"{'/'.join(segs)} changed size while it was being read")
                return HttpResponse(status, headers, data, reason)
            keep = True
            return HttpResponse(status, headers, FileStream(fd, start, length), reason)
        finally:
            if not keep:
                os.close(fd)

    def _listing(self, real: str, meta, head: bool) -> HttpResponse:
        headers = [("content-type", "application/json"), ("last-modified", _http_date(meta.st_mtime))]
        if head:
            return HttpResponse(200, headers, _nothing(), "OK")
        entries = []
        with os.scandir(real) as it:
            for e in it:
                name = e.name
                if not self.allow_dotfiles and name.startswith("."):
                    continue
                try:
                    kind = _type_name(e.stat(follow_symlinks=False).st_mode)
                except OSError:
                    kind = "other"
                entries.append((os.fsencode(name), name, kind))
        entries.sort()
        parts = []
        for _b, name, kind in entries:
            try:
                jname = json.dumps(name, ensure_ascii=False)
                jname.encode("utf-8")
            except UnicodeEncodeError:
                # A name that is not UTF-8: shown with replacement characters.
                jname = json.dumps(os.fsencode(name).decode("utf-8", "replace"), ensure_ascii=False)
            parts.append('{"name":' + jname + ',"type":"' + kind + '"}')
        body = ("[" + ",".join(parts) + "]").encode("utf-8")
        # workerd sends listings without a length (reserving the right to stream them).
        return HttpResponse(200, headers, _once(body), "OK")

    # ------------------------------------------------------------------ PUT
    def _parent_inside(self, segs) -> str | None:
        """The real path of the target's parent directory if it stays inside the root."""
        parent = os.path.realpath(os.path.join(self.root, *segs[:-1]))
        return parent if self._inside(parent) else None

    async def _put(self, segs, body) -> HttpResponse:
        parent = self._parent_inside(segs)
        if parent is None:
            return _err(403, "Unauthorized")
        target = os.path.join(parent, segs[-1])
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError as e:
            raise DiskError(f"PUT {'/'.join(segs)}: cannot create the parent directory: "
                            f"{e.strerror or e}") from None
        # The parent may have been swapped for a symlink meanwhile: check again once it exists.
        if not self._inside(os.path.realpath(parent)):
            return _err(403, "Unauthorized")
        if os.path.isdir(target) and not os.path.islink(target):
            raise DiskError(f"PUT {'/'.join(segs)}: the path is a directory")
        fd, tmp = tempfile.mkstemp(prefix=".workerd-put-", dir=parent)
        try:
            try:
                os.fchmod(fd, _FILE_MODE)
                if body is not None:
                    while True:
                        chunk = await body.read(_CHUNK)
                        if not chunk:
                            break
                        view = memoryview(chunk)
                        while view:
                            n = os.write(fd, view)
                            view = view[n:]
            finally:
                os.close(fd)
            os.replace(tmp, target)
        except BaseException as e:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            if isinstance(e, OSError):
                raise DiskError(f"PUT {'/'.join(segs)}: {e.strerror or e}") from None
            raise
        return HttpResponse(204, [], None, "No Content")

    # ------------------------------------------------------------------ DELETE
    def _delete(self, segs) -> HttpResponse:
        parent = self._parent_inside(segs)
        if parent is None:
            return _err(403, "Unauthorized")
        target = os.path.join(parent, segs[-1])
        try:
            meta = os.lstat(target)
        except (FileNotFoundError, NotADirectoryError):
            return _not_found()
        try:
            if st.S_ISDIR(meta.st_mode):
                shutil.rmtree(target)
            else:
                os.unlink(target)
        except FileNotFoundError:
            return _not_found()
        except OSError as e:
            raise DiskError(f"DELETE {'/'.join(segs)}: {e.strerror or e}") from None
        return HttpResponse(204, [], None, "No Content")
