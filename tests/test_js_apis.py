"""JS-level API tests: every tests/js/<name>/config.capnp is run with `workerd test`.

Each directory holds a config and the worker modules it embeds; every exported `test()` handler
must report `[ PASS ]`. The expected test names are read from the config and the modules, so a
handler that silently does not run fails too. With the real workerd available (tests/support.py),
the same configs also run there: the tests describe workerd's behaviour, not only ours.
"""
from __future__ import annotations

import os
import re
import subprocess

import pytest

from support import our_workerd, real_workerd

JS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "js")
DIRS = sorted(d for d in os.listdir(JS_DIR) if os.path.isfile(os.path.join(JS_DIR, d, "config.capnp")))

_SERVICE = re.compile(r'\(\s*name\s*=\s*"([^"]+)"\s*,\s*worker\s*=\s*\.(\w+)\s*\)')
_WORKER = re.compile(r'const\s+(\w+)\s*:Workerd\.Worker\s*=\s*\((.*?)\);', re.S)
_MAIN = re.compile(r'modules\s*=\s*\[\s*\(\s*name\s*=\s*"[^"]+"\s*,\s*esModule\s*=\s*embed\s*"([^"]+)"')
_EXPORT = re.compile(r'^export\s+(?:const\s+(\w+)\s*=|default\b)', re.M)


def expected_tests(d: str) -> set[str]:
    """`service` for a default export, `service:name` for a named one, as `workerd test` prints."""
    text = open(os.path.join(JS_DIR, d, "config.capnp"), encoding="utf-8").read()
    workers = {name: body for name, body in _WORKER.findall(text)}
    names = set()
    for service, ident in _SERVICE.findall(text):
        main = _MAIN.search(workers[ident]).group(1)
        src = open(os.path.join(JS_DIR, d, main), encoding="utf-8").read()
        for m in _EXPORT.finditer(src):
            names.add(service if m.group(1) is None else f"{service}:{m.group(1)}")
    return names


def run(cmd: list[str], d: str) -> tuple[int, str]:
    p = subprocess.run(cmd + ["test", os.path.join(JS_DIR, d, "config.capnp")], capture_output=True,
                       text=True, timeout=240)
    return p.returncode, p.stdout + p.stderr


def check(cmd: list[str], d: str) -> None:
    rc, out = run(cmd, d)
    expected = expected_tests(d)
    assert expected, f"no tests found in tests/js/{d}"
    passed = set(re.findall(r"\[ PASS \] (\S+)", out))
    missing = sorted(expected - passed)
    assert not missing, f"tests/js/{d}: not passed: {missing}\n{out[-6000:]}"
    assert rc == 0, f"tests/js/{d}: exit status {rc}\n{out[-6000:]}"


@pytest.mark.parametrize("d", DIRS)
def test_js(d):
    check(our_workerd(), d)


@pytest.mark.parametrize("d", DIRS)
def test_js_on_real_workerd(d):
    real = real_workerd()
    if real is None:
        pytest.skip("the real workerd is not available")
    check([real], d)
