import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))

import pytest  # noqa: E402


@pytest.fixture
def real_workerd_bin():
    """The real workerd's path (installed from npm once); the test skips where it cannot be."""
    import support
    path = support.real_workerd()
    if path is None:
        pytest.skip("the real workerd is not installable here (npm unreachable)")
    return path
