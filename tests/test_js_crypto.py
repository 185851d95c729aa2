"""JS-level WebCrypto tests (tests/js/crypto): `workerd test` must pass every entrypoint. The same
configs also run on the real workerd when its npm binary is installed, which keeps the recorded
expectations (expected*.json) honest."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "tests", "js", "crypto")
# config.capnp: compatibility date 2024-10-01; config-2023.capnp: 2023-01-01 (older crypto behaviour)
CONFIGS = {"config.capnp": "crypto-test", "config-2023.capnp": "crypto-test-2023"}
WORKERD_PY = os.path.join(os.path.dirname(sys.executable), "workerd")
REAL_WORKERD = os.path.expanduser("~/.cache/workerd-py/npm/node_modules/.bin/workerd")


def _entrypoints() -> list[str]:
    with open(os.path.join(ROOT, "tests", "js", "crypto", "main.js"), encoding="utf-8") as f:
        return re.findall(r"^export const (\w+) = ", f.read(), re.M)


def _run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=HERE)


def _check(proc, service):
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    passed = set(re.findall(rf"\[ PASS \] {service}:(\w+)", out))
    missing = [e for e in _entrypoints() if e not in passed]
    assert not missing, f"no PASS line for {missing}\n{out[-3000:]}"


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_js_crypto_workerd_py(config):
    if not os.path.exists(WORKERD_PY):
        pytest.skip("workerd-py is not installed in this environment")
    _check(_run([WORKERD_PY, "test", config]), CONFIGS[config])


@pytest.mark.skipif(not os.path.exists(REAL_WORKERD), reason="the real workerd (npm) is not installed")
@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_js_crypto_real_workerd(config):
    _check(_run([REAL_WORKERD, "test", config]), CONFIGS[config])
