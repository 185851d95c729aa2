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


def _download_sdist(dest_dir):
    """Fetch the sdist from PyPI (JSON API first, `pip download` as a fallback)."""
    name = f"quickjs_ng-{QJS_VERSION}.tar.gz"
    target = os.path.join(dest_dir, name)
    if os.path.exists(target) and _sha256(target) == QJS_SHA256:
        return target
    errors = []
    try:
        with urllib.request.urlopen(f"https://pypi.org/pypi/{QJS_DIST}/{QJS_VERSION}/json", timeout=60) as r:
            meta = json.load(r)
        url = next(u["url"] for u in meta["urls"] if u["packagetype"] == "sdist")
        tmp = target + ".part"
        with urllib.request.urlopen(url, timeout=120) as r, open(tmp, "wb") as f:
            shutil.copyfileobj(r, f)
        os.replace(tmp, target)
    except Exception as e:  # pragma: no cover - network dependent
        errors.append(f"PyPI JSON API: {e}")
        try:
            subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                                   "-d", dest_dir, f"{QJS_DIST}=={QJS_VERSION}"])
        except Exception as e2:
            errors.append(f"pip download: {e2}")
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
if ENGINE_C:
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
