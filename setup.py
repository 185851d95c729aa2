"""Build the engine extension against the pinned quickjs-ng sources.

The QuickJS-ng engine sources are never committed. At build time they are taken
from the `quickjs-ng==0.17.0.2` sdist on PyPI (its `upstream-quickjs/` folder),
after checking the sdist's sha256. The download is cached in
$WORKERD_PY_CACHE (default ~/.cache/workerd-py) so rebuilds work offline.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

QJS_DIST = "quickjs-ng"
QJS_VERSION = "0.17.0.2"
QJS_SHA256 = "43d2e48272208721a7aaea8e3f02d4b9318f12ef20cc4f5421b59d9a470706ef"
QJS_FILES = ["quickjs.c", "libregexp.c", "libunicode.c", "dtoa.c"]

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.environ.get("WORKERD_PY_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "workerd-py"))
SRC_DIR = os.path.join(CACHE, f"quickjs-ng-{QJS_VERSION}")


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _sdist_urls():
    """Where the pinned sdist can be fetched: PyPI's simple index (any mirror pip uses works too),
    then its JSON API."""
    import re
    name = f"quickjs_ng-{QJS_VERSION}.tar.gz"
    for index in ("https://pypi.org/simple/quickjs-ng/",):
        try:
            with urllib.request.urlopen(index, timeout=60) as r:
                page = r.read().decode("utf-8", "replace")
            for href in re.findall(r'href="([^"]+)"', page):
                if name in href:
                    yield urllib.parse.urljoin(index, href.split("#", 1)[0])
        except Exception:
            pass
    for api in (f"https://pypi.org/pypi/{QJS_DIST}/{QJS_VERSION}/json", f"https://pypi.org/pypi/{QJS_DIST}/json"):
        try:
            with urllib.request.urlopen(api, timeout=60) as r:
                meta = json.load(r)
            urls = meta.get("urls") or meta.get("releases", {}).get(QJS_VERSION, [])
            for u in urls:
                if u.get("packagetype") == "sdist":
                    yield u["url"]
        except Exception:
            pass


def _download_sdist(dest_dir):
    """Fetch the pinned sdist (sha256-checked) into dest_dir; several sources, then `pip download`."""
    name = f"quickjs_ng-{QJS_VERSION}.tar.gz"
    target = os.path.join(dest_dir, name)
    if os.path.exists(target) and _sha256(target) == QJS_SHA256:
        return target
    errors = []
    for url in _sdist_urls():
        try:
            tmp = target + ".part"
            with urllib.request.urlopen(url, timeout=120) as r, open(tmp, "wb") as f:
                shutil.copyfileobj(r, f)
            if _sha256(tmp) == QJS_SHA256:
                os.replace(tmp, target)
                return target
            errors.append(f"{url}: sha256 mismatch")
            os.unlink(tmp)
        except Exception as e:  # pragma: no cover - network dependent
            errors.append(f"{url}: {e}")
    pips = [[sys.executable, "-m", "pip"]]
    for exe in ("pip3", "pip"):
        path = shutil.which(exe)
        if path:
            pips.append([path])
    for pip in pips:
        try:
            subprocess.check_call(pip + ["download", "--no-deps", "--no-binary", ":all:", "-d", dest_dir,
                                         f"{QJS_DIST}=={QJS_VERSION}"])
            break
        except Exception as e:
            errors.append(f"{' '.join(pip)} download: {e}")
    if not os.path.exists(target):
        raise RuntimeError("could not fetch the quickjs-ng sdist: " + "; ".join(errors))
    digest = _sha256(target)
    if digest != QJS_SHA256:
        os.unlink(target)
        raise RuntimeError(f"quickjs-ng sdist sha256 mismatch: got {digest}, want {QJS_SHA256}")
    return target


def ensure_quickjs_sources():
    marker = os.path.join(SRC_DIR, ".ok")
    if os.path.exists(marker):
        return SRC_DIR
    os.makedirs(CACHE, exist_ok=True)
    sdist = _download_sdist(CACHE)
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        with tarfile.open(sdist) as tf:
            members = [m for m in tf.getmembers() if "/upstream-quickjs/" in m.name and m.isfile()]
            tf.extractall(tmp, members=members)
        (top,) = os.listdir(tmp)
        if os.path.exists(SRC_DIR):
            shutil.rmtree(SRC_DIR)
        shutil.move(os.path.join(tmp, top, "upstream-quickjs"), SRC_DIR)
    open(marker, "w").close()
    return SRC_DIR


LOCAL_QJS = os.path.join("build", f"quickjs-ng-{QJS_VERSION}")


def local_quickjs_sources():
    """Copy the cached engine sources under build/ so every source path is relative to the project
    (setuptools refuses absolute source paths in editable and wheel builds)."""
    src = ensure_quickjs_sources()
    dest = os.path.join(HERE, LOCAL_QJS)
    if not os.path.exists(os.path.join(dest, ".ok")):
        if os.path.exists(dest):
            shutil.rmtree(dest)
        shutil.copytree(src, dest)
    return LOCAL_QJS


class BuildExt(build_ext):
    def run(self):
        src = local_quickjs_sources()
        for ext in self.extensions:
            ext.include_dirs.append(src)
            ext.sources = [s if not s.startswith("@QJS/") else os.path.join(src, s[5:]) for s in ext.sources]
        super().run()


ENGINE_C = sorted(
    os.path.join("src", "workerd_py", "engine", f)
    for f in os.listdir(os.path.join(HERE, "src", "workerd_py", "engine"))
    if f.endswith(".c")
) if os.path.isdir(os.path.join(HERE, "src", "workerd_py", "engine")) else []

ext_modules = []
# The Makefile installs the package (editable) with WORKERD_PY_NO_EXT=1 and then builds the engine
# in place once, instead of compiling QuickJS twice.
if ENGINE_C and not os.environ.get("WORKERD_PY_NO_EXT"):
    ext_modules.append(Extension(
        "workerd_py.engine._quickjs",
        # quickjs.c itself is compiled through engine/_qjs_engine.c (allocator settings)
        sources=ENGINE_C + [f"@QJS/{f}" for f in QJS_FILES if f != "quickjs.c"],
        define_macros=[("_GNU_SOURCE", None)],
        extra_compile_args=["-O2", "-std=gnu11", "-Wno-sign-compare", "-Wno-unused-parameter",
                            "-Wno-missing-field-initializers", "-fno-strict-aliasing"],
        libraries=["m"],
    ))

setup(ext_modules=ext_modules, cmdclass={"build_ext": BuildExt})
