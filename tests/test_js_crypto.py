"""JS-level WebCrypto tests (tests/js/crypto): `workerd test` must pass every entrypoint. The same
config also runs on the real workerd when its npm binary is installed, which keeps expected.json honest."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(ROOT, "tests", "js", "crypto", "config.capnp")
WORKERD_PY = os.path.join(os.path.dirname(sys.executable), "workerd")
REAL_WORKERD = os.path.expanduser("~/.cache/workerd-py/npm/node_modules/.bin/workerd")


def _entrypoints() -> list[str]:
    with open(os.path.join(ROOT, "tests", "js", "crypto", "main.js"), encoding="utf-8") as f:
        return re.findall(r"^export const (\w+) = ", f.read(), re.M)


def _run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=os.path.dirname(CONFIG))


def _check(proc):
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    passed = set(re.findall(r"\[ PASS \] crypto-test:(\w+)", out))
    missing = [e for e in _entrypoints() if e not in passed]
    assert not missing, f"no PASS line for {missing}\n{out[-3000:]}"


def test_js_crypto_workerd_py():
    if not os.path.exists(WORKERD_PY):
        pytest.skip("workerd-py is not installed in this environment")
    _check(_run([WORKERD_PY, "test", CONFIG]))


@pytest.mark.skipif(not os.path.exists(REAL_WORKERD), reason="the real workerd (npm) is not installed")
def test_js_crypto_real_workerd():
    _check(_run([REAL_WORKERD, "test", CONFIG]))
