"""Fixtures of the config layer's tests; helpers live in cfg_helpers.py."""
from __future__ import annotations

import pytest

from cfg_helpers import HELLO_JS


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: needs the network or a long time (npm install, real workerd)")


@pytest.fixture
def cfgdir(tmp_path):
    """A folder with worker.js; `cfgdir.write(text, **files)` writes config.capnp (and files)."""

    class D:
        path = tmp_path

        def write(self, text: str, name: str = "config.capnp", **files) -> str:
            (tmp_path / "worker.js").write_text(files.pop("worker_js", HELLO_JS))
            for fname, content in files.items():
                p = tmp_path / fname.replace("__", "/")
                p.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(content, bytes):
                    p.write_bytes(content)
                else:
                    p.write_text(content)
            (tmp_path / name).write_text(text)
            return str(tmp_path / name)

    return D()
