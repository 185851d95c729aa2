"""Loading a config: text (.capnp, with or without a file ID) or binary (a framed Config message).

How it works:
- Our schema (schema/workerd/workerd.capnp, workerd's file ID) is loaded once per process, in this
  process, and is the only schema the rest of the code reads messages with.
- A user's text config is compiled by pycapnp in a forked child process, with a fresh
  `capnp.SchemaParser()`. The child picks the Config constant, serializes it (embeds inlined) and
  sends the framed bytes back through a pipe. So a capnp crash (pycapnp >= 2.1 aborts on errors;
  2.0.0 raises) can never take this process down, the global capnp caches never mix configs, and
  a config can be reloaded (--watch) without "Duplicate ID" errors.
- A file without `@0x...;` gets a copy in the SAME folder (relative `embed` paths keep working)
  with a random ID prepended on its first line (line numbers keep working); the copy is deleted
  after, and its name is mapped back to the user's file name in messages.
- Binary input is checked in the child too (a full traversal) before this process reads it.
"""
from __future__ import annotations

import os
import pickle
import re
import secrets
import select
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

from .diagnostics import ConfigError, Diagnostic

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMA_FILE = SCHEMA_DIR / "workerd" / "workerd.capnp"
WORKERD_FILE_ID = 0xE6AFD26682091C01
TRAVERSAL_LIMIT_WORDS = 1 << 40  # configs embed big files; the default (64 MiB) is too small
LOAD_TIMEOUT = 120.0

_HAS_ID_RE = re.compile(rb"(?m)^[ \t]*@0x[0-9a-fA-F]+[ \t]*;")
_KJ_RE = re.compile(r"^(?P<file>.*?):(?P<line>\d+)(?::(?P<col>\d+)(?:-\d+)?)?: (?:failed: )?(?P<msg>.*)$",
                    re.DOTALL)


def capnp_import_dir() -> str:
    """The folder that holds pycapnp's package folder, so "/capnp/c++.capnp" resolves."""
    import capnp
    return str(Path(capnp.__file__).resolve().parent.parent)


def default_import_paths() -> list[str]:
    return [str(SCHEMA_DIR), capnp_import_dir()]


@lru_cache(maxsize=1)
def workerd_schema():
    """Our workerd.capnp, loaded once per process (the module; `.Config` is the struct)."""
    import capnp
    parser = capnp.SchemaParser()
    mod = parser.load(str(SCHEMA_FILE), imports=default_import_paths())
    workerd_schema._parser = parser  # keep alive
    return mod


def config_struct_id() -> int:
    return workerd_schema().Config.schema.node.id


@dataclass
class Loaded:
    """A loaded config: the framed Config message, and what we know about its text."""
    data: bytes                 # framed capnp message, root Config, embeds inlined
    file: str                   # display name of the config (as given; "<stdin>" for -)
    const: Optional[str]        # the chosen constant (None for binary)
    text: Optional[str]         # the config's text (None for binary)
    base_dir: str               # folder of the config (embeds are relative to it)
    binary: bool = False
    plan: object = None         # the Plan, when built (load(..., build=...)) and free of errors
    diags: list = None          # diagnostics of the build


def _build_in_child(res: dict, build: Optional[dict], file: str, text: Optional[str], base_dir: str,
                    binary: bool) -> dict:
    """Validate and build the plan here, in the child: reading a damaged binary message can crash
    pycapnp, and JS syntax checks run the engine; neither may take the caller down."""
    if build is None or not res.get("ok"):
        return res
    _warm()
    from .build import build_plan
    loaded = Loaded(res["data"], file, res.get("const"), text, base_dir, binary=binary)
    plan, diags = build_plan(loaded, **build)
    res["plan"] = plan
    res["diags"] = diags
    return res


def _diag(file: str, line: int, col: int, code: str, msg: str) -> Diagnostic:
    return Diagnostic(file, line, col, "error", code, msg)


# ------------------------------------------------------------------------------------------------
# The child: compile with pycapnp, return bytes or a list of errors
# ------------------------------------------------------------------------------------------------

def _warm() -> None:
    """Import and prepare, once per process, what the child needs, so each fork starts warm."""
    from . import build, compat, jscheck  # noqa: F401
    compat.flags()
    jscheck.warm()


def _child_compile_text(path: str, imports: list[str], const: Optional[str], config_id: int,
                        build: Optional[dict] = None, file: str = "", text: Optional[str] = None,
                        base_dir: str = "") -> dict:
    res = _compile_text(path, imports, const, config_id)
    return _build_in_child(res, build, file, text, base_dir, False)


def _compile_text(path: str, imports: list[str], const: Optional[str], config_id: int) -> dict:
    import capnp
    parser = capnp.SchemaParser()
    try:
        mod = parser.load(path, imports=imports)
    except capnp.KjException as e:
        return {"ok": False, "kj": str(e), "kj_line": getattr(e, "line", 0)}
    names = [n.name for n in mod.schema.node.nestedNodes]
    configs = []
    kinds = {}
    for name in names:
        try:
            s = mod.schema.get_nested(name)
            node = s.node
            if node.which() != "const":
                kinds[name] = node.which()
                continue
            t = node.const.type
            is_config = t.which() == "struct" and t.struct.typeId == config_id
            kinds[name] = "Config" if is_config else "const"
            if is_config:
                configs.append(name)
        except Exception:
            continue
    if const is None:
        if len(configs) != 1:
            return {"ok": False, "pick": configs, "names": names}
        const = configs[0]
    elif const not in names:
        return {"ok": False, "missing": const, "pick": configs}
    elif kinds.get(const) != "Config":
        return {"ok": False, "notconfig": const, "pick": configs}
    try:
        value = getattr(mod, const)
        data = value.as_builder().to_bytes()
    except capnp.KjException as e:
        return {"ok": False, "kj": str(e), "kj_line": getattr(e, "line", 0)}
    return {"ok": True, "data": data, "const": const}


def _child_check_binary(data: bytes, config_id: int, build: Optional[dict] = None, file: str = "",
                        base_dir: str = "") -> dict:
    res = _check_binary(data)
    return _build_in_child(res, build, file, None, base_dir, True)


def _check_binary(data: bytes) -> dict:
    schema = workerd_schema()
    try:
        with schema.Config.from_bytes(data, traversal_limit_in_words=TRAVERSAL_LIMIT_WORDS,
                                      nesting_limit=1000) as r:
            out = r.as_builder().to_bytes()  # full traversal: the message is well-formed
    except Exception as e:
        return {"ok": False, "binary": str(e)}
    return {"ok": True, "data": out, "const": None}


def _run_subprocess(fn, args, timeout: float) -> dict:
    import subprocess
    payload = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
    src_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = src_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    try:
        r = subprocess.run([sys.executable, "-c", "from workerd_py.config.loader import _subprocess_main; "
                            "_subprocess_main()"], input=payload, capture_output=True, timeout=timeout,
                           env=env)
    except subprocess.TimeoutExpired:
        return {"ok": False, "crash": f"parsing the config took longer than {timeout:.0f} s"}
    except OSError as e:
        return {"ok": False, "crash": f"cannot start the config parser: {e}"}
    if r.returncode < 0:
        return {"ok": False, "crash": f"the capnp parser crashed (signal {-r.returncode})"}
    try:
        return pickle.loads(r.stdout)
    except Exception:
        return {"ok": False, "crash": "the capnp parser ended without an answer"}


def _subprocess_main() -> None:
    """Entry of the fresh-interpreter child: pickled (fn, args) on stdin, pickled result on stdout."""
    out = sys.stdout.buffer
    try:
        fn, args = pickle.loads(sys.stdin.buffer.read())
        result = fn(*args)
    except BaseException as e:  # noqa: BLE001
        result = {"ok": False, "crash": f"internal error: {type(e).__name__}: {e}"}
    out.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    out.flush()


def _run_isolated(fn, *args, timeout: float = LOAD_TIMEOUT) -> dict:
    """Run fn(*args) -> picklable dict in a forked child; fall back to in-process without fork."""
    if not hasattr(os, "fork"):
        try:
            return fn(*args)
        except Exception as e:  # pragma: no cover - non-POSIX
            return {"ok": False, "crash": f"{type(e).__name__}: {e}"}
    import threading
    if threading.active_count() > 1:
        # forking a threaded process can deadlock the child on a lock another thread held:
        # use a fresh interpreter instead (slower to start, equally isolated)
        return _run_subprocess(fn, args, timeout)
    workerd_schema()  # load before forking: the child reuses it
    rfd, wfd = os.pipe()
    try:
        pid = os.fork()
    except OSError as e:
        os.close(rfd)
        os.close(wfd)
        try:
            return fn(*args)
        except Exception as e2:
            return {"ok": False, "crash": f"{type(e2).__name__}: {e2}"}
    if pid == 0:  # child
        code = 0
        try:
            os.close(rfd)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:  # the child speaks only through the pipe: no crash dumps or C++ logs on stderr
                import faulthandler
                faulthandler.disable()
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 2)
                os.close(devnull)
            except Exception:
                pass
            try:
                result = fn(*args)
            except BaseException as e:  # noqa: BLE001 - report anything
                result = {"ok": False, "crash": f"internal error: {type(e).__name__}: {e}"}
            payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(payload)
            while view:
                n = os.write(wfd, view)
                view = view[n:]
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(wfd)
    chunks = []
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            r, _, _ = select.select([rfd], [], [], min(left, 1.0))
            if not r:
                continue
            b = os.read(rfd, 1 << 20)
            if not b:
                break
            chunks.append(b)
    finally:
        os.close(rfd)
        if timed_out:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _, status = os.waitpid(pid, 0)
    if timed_out:
        return {"ok": False, "crash": f"parsing the config took longer than {timeout:.0f} s"}
    if os.WIFSIGNALED(status):
        return {"ok": False, "crash": f"the capnp parser crashed (signal {os.WTERMSIG(status)})"}
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:
        return {"ok": False, "crash": "the capnp parser ended without an answer"}


# ------------------------------------------------------------------------------------------------
# Public entry
# ------------------------------------------------------------------------------------------------


_IMPORT_RE = re.compile(rb'\bimport\s+"([^"\\\n]+)"')
_PREFIX_LEN = len(b"@0x%016x;" % (1 << 63))


class _Shadow:
    """Copies of capnp files that declare no ID (the config, and the files it imports by relative
    path), next to their originals, with a random ID prepended on line 1 and imports redirected to
    the copies. Messages that name a copy are mapped back to the original file."""

    def __init__(self):
        self.created: list[Path] = []
        self.tmp_dirs: list[str] = []
        self.by_real: dict[Path, Path] = {}
        self.names: dict[str, tuple[str, list[str]]] = {}  # copy's basename -> (display, text lines)
        self.displays: dict[str, tuple[str, list[str]]] = {}  # original basename -> same
        self.main_lines: list[str] = []

    def prepare(self, real: Path, display: str, raw: Optional[bytes] = None, main: bool = False,
                depth: int = 0) -> Path:
        key = real.resolve() if not main else real
        if key in self.by_real:
            return self.by_real[key]
        self.by_real[key] = real  # while in progress (import cycles)
        if raw is None:
            raw = real.read_bytes()
        lines = raw.decode("utf-8", "replace").splitlines()
        self.displays.setdefault(real.name, (display, lines))
        if main:
            self.main_lines = lines
        rewrites: list[tuple[int, int, bytes]] = []
        if depth < 16:
            for m in _IMPORT_RE.finditer(raw):
                spec = m.group(1).decode("utf-8", "replace")
                if spec.startswith("/"):
                    continue
                target = real.parent / spec
                try:
                    if not target.is_file():
                        continue
                    sub_display = os.path.normpath(os.path.join(os.path.dirname(display), spec)) \
                        if display != "<stdin>" else spec
                    copy = self.prepare(target, sub_display, depth=depth + 1)
                except OSError:
                    continue
                if copy != target:
                    rel = os.path.relpath(copy, real.parent)
                    rewrites.append((m.start(1), m.end(1), rel.encode()))
        has_id = bool(_HAS_ID_RE.search(raw))
        if has_id and not rewrites and not (main and display == "<stdin>"):
            return real
        body = raw
        for a, b, rep in reversed(rewrites):
            body = body[:a] + rep + body[b:]
        if not has_id:
            body = (b"@0x%016x;" % (secrets.randbits(64) | (1 << 63))) + body
        name = f".{real.name}.workerd-py-{secrets.token_hex(6)}.capnp"
        copy = real.parent / name
        try:
            fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(body)
        except OSError:
            if not main:
                raise
            # read-only folder: a temp folder whose entries link to the config folder's entries
            tmp_dir = tempfile.mkdtemp(prefix="workerd-py-config-")
            self.tmp_dirs.append(tmp_dir)
            try:
                for entry in os.listdir(real.parent):
                    try:
                        os.symlink(real.parent / entry, Path(tmp_dir) / entry)
                    except OSError:
                        pass
            except OSError:
                pass
            copy = Path(tmp_dir) / name
            copy.write_bytes(body)
        self.created.append(copy)
        self.names[name] = (display, lines)
        self.by_real[key] = copy
        return copy

    def cleanup(self) -> None:
        for p in self.created:
            try:
                p.unlink()
            except OSError:
                pass
        if self.tmp_dirs:
            import shutil
            for d in self.tmp_dirs:
                shutil.rmtree(d, ignore_errors=True)

    def kj_to_diag(self, kj: str, kj_line: int, display: str) -> Diagnostic:
        msg = kj.strip()
        # pycapnp 2.0.0 reports 0-based line numbers
        file, line, col = display, int(kj_line or 0) + 1, 0
        lines: list[str] = self.main_lines
        shifted = False
        m = _KJ_RE.match(msg)
        if m:
            base = os.path.basename(m.group("file"))
            line = int(m.group("line")) + 1
            col = int(m.group("col") or 0)
            msg = m.group("msg").strip()
            if base in self.names:
                file, lines = self.names[base]
                shifted = True
            elif base in self.displays:
                file, lines = self.displays[base]
            elif m.group("file"):
                file, lines = m.group("file"), []
        msg = msg.split("\nstack:")[0].split("; stack:")[0].strip()
        if shifted and line == 1 and col > _PREFIX_LEN:
            col -= _PREFIX_LEN  # a column from capnp counts the injected ID
        if line and not col and 0 < line <= len(lines):
            col = _guess_column(lines[line - 1], msg)
        code = "capnp-parse" if "Parse error" in msg else "capnp"
        if "embed" in msg:
            code = "capnp-embed"
        elif "has no field named" in msg or "no member named" in msg.lower():
            code = "capnp-unknown-field"
        elif "Import failed" in msg:
            code = "capnp-import"
        return _diag(file, line, col, code, msg)


def _guess_column(src_line: str, msg: str) -> int:
    for token in re.findall(r"'([^']+)'", msg) + re.findall(r": (\S+)$", msg):
        j = src_line.find(token)
        if j >= 0:
            return j + 1
    stripped = len(src_line) - len(src_line.lstrip())
    return stripped + 1


def load(path: str, const: Optional[str] = None, import_paths: Sequence[str] = (),
         binary: bool = False, build: Optional[dict] = None) -> Loaded:
    """Load a config into a framed Config message. Raises ConfigError.

    With `build` (keyword arguments of build.build_plan), also validate and build the plan (in the
    same isolated child): Loaded.plan (None if there were errors) and Loaded.diags."""
    display = "<stdin>" if path == "-" else path
    if path == "-":
        try:
            raw = sys.stdin.buffer.read()
        except Exception as e:
            raise ConfigError([_diag(display, 0, 0, "io", f"cannot read the config from stdin: {e}")])
        base_dir = os.getcwd()
    else:
        try:
            raw = Path(path).read_bytes()
        except IsADirectoryError:
            raise ConfigError([_diag(display, 0, 0, "io", "cannot read the config: it is a directory")])
        except OSError as e:
            raise ConfigError([_diag(display, 0, 0, "io", f"cannot read the config: {e.strerror or e}")])
        base_dir = str(Path(path).resolve().parent)

    if build is not None:
        _warm()
    if not binary and b"\0" in raw[:4096]:
        binary = True  # capnp text never holds NUL; a framed message always does (serve plan.bin)
    if binary:
        res = _run_isolated(_child_check_binary, raw, 0, build, display, base_dir)
        if not res.get("ok"):
            why = res.get("binary") or res.get("crash") or "unknown error"
            why = why.split("\nstack:")[0].strip()
            raise ConfigError([_diag(display, 0, 0, "binary-invalid",
                                     f"not a valid binary Config message: {why}")])
        return Loaded(res["data"], display, None, None, base_dir, binary=True, plan=res.get("plan"),
                      diags=res.get("diags"))

    if b"\0" in raw:
        raise ConfigError([_diag(display, raw[:raw.index(b"\0")].count(b"\n") + 1, 0, "text-invalid",
                                 "the config text contains a NUL byte")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise ConfigError([_diag(display, line, 0, "text-invalid", "the config is not valid UTF-8 text")])
    text_lines = text.splitlines()

    imports = [str(Path(p).resolve()) for p in import_paths] + default_import_paths()
    for p in import_paths:
        if not Path(p).is_dir():
            raise ConfigError([_diag(display, 0, 0, "import-path",
                                     f"import path {p!r} is not a directory")])

    shadow = _Shadow()
    try:
        try:
            load_path = shadow.prepare(Path(base_dir) / ("stdin" if path == "-" else Path(path).name),
                                       display, raw=raw, main=True)
        except OSError as e:
            raise ConfigError([_diag(display, 0, 0, "io", f"cannot prepare the config: {e.strerror or e}")])
        res = _run_isolated(_child_compile_text, str(load_path), imports, const, config_struct_id(),
                            build, display, text, base_dir)
    finally:
        shadow.cleanup()

    if res.get("ok"):
        return Loaded(res["data"], display, res["const"], text, base_dir, plan=res.get("plan"),
                      diags=res.get("diags"))
    if "kj" in res:
        diags = [shadow.kj_to_diag(part, res.get("kj_line", 0), display) for part in _split_kj(res["kj"])]
        raise ConfigError(diags)
    if "crash" in res:
        raise ConfigError([_diag(display, 0, 0, "capnp-crash", f"cannot read the config: {res['crash']}")])
    from .capnp_text import TextIndex
    idx = TextIndex(text, display)
    pick = res.get("pick", [])
    if "missing" in res or "notconfig" in res:
        name = res.get("missing") or res.get("notconfig")
        what = "no constant named" if "missing" in res else "not a Config constant:"
        cands = ", ".join(pick) if pick else "none"
        pos = idx.const_pos(name) or (0, 0)
        raise ConfigError([_diag(display, pos[0], pos[1], "const-not-found",
                                 f"{what} {name!r} (Config constants in this file: {cands})")])
    if not pick:
        raise ConfigError([_diag(display, 0, 0, "const-none",
                                 "no top-level constant of type Config (workerd.Config) in this file; "
                                 "declare one: const config :Workerd.Config = (...);")])
    pos = idx.const_pos(pick[1]) or (0, 0)
    raise ConfigError([_diag(display, pos[0], pos[1], "const-ambiguous",
                             f"several Config constants: {', '.join(pick)}; name one on the command line")])


def _split_kj(msg: str) -> list[str]:
    """pycapnp joins several compiler errors into one message on separate lines."""
    lines = [l for l in msg.strip().splitlines() if l.strip()]
    parts: list[str] = []
    for l in lines:
        if _KJ_RE.match(l) and re.match(r"^\S.*?:\d+(:\d+(-\d+)?)?: ", l):
            parts.append(l)
        elif parts:
            parts[-1] += "\n" + l
        else:
            parts.append(l)
    return parts or [msg]
