"""ephemeralLocal Durable Object namespaces (--experimental), on workerd-py and the real workerd."""
from __future__ import annotations

import os
import subprocess

import pytest

from support import our_workerd, real_workerd

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ephemeral.capnp")


@pytest.mark.parametrize("which", ["ours", "real"])
def test_ephemeral(which):
    if which == "ours":
        cmd = our_workerd()
    else:
        real = real_workerd()
        if real is None:
            pytest.skip("the real workerd is not available")
        cmd = [real]
    p = subprocess.run(cmd + ["test", "--experimental", CONFIG], capture_output=True, text=True, timeout=120)
    out = p.stdout + p.stderr
    assert "[ PASS ] eph" in out and p.returncode == 0, out[-4000:]
    refused = subprocess.run(cmd + ["test", CONFIG], capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "--experimental" in refused.stdout + refused.stderr
