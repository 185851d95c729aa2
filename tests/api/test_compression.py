"""api/compression.py: zlib state per stream id behind CompressionStream/DecompressionStream."""
import gzip
import zlib

import pytest

from workerd_py.api.compression import host_functions


@pytest.fixture
def h():
    return host_functions(None)


def test_known_output(h):
    # byte-for-byte what workerd produces
    sid = h["compressionNew"]("gzip", False)
    out = h["compressionPush"](sid, b"hi", False) + h["compressionPush"](sid, b"", True)
    assert list(out) == [31, 139, 8, 0, 0, 0, 0, 0, 0, 3, 203, 200, 4, 0, 172, 42, 147, 216, 2, 0, 0, 0]
    assert gzip.decompress(out) == b"hi"


@pytest.mark.parametrize("fmt, wbits", [("gzip", 31), ("deflate", 15), ("deflate-raw", -15)])
def test_round_trip_in_pieces(h, fmt, wbits):
    data = bytes(range(256)) * 200
    c = zlib.compressobj(-1, zlib.DEFLATED, wbits)
    comp = c.compress(data) + c.flush()
    sid = h["compressionNew"](fmt, True)
    out = b"".join(h["compressionPush"](sid, comp[i:i + 100], False) for i in range(0, len(comp), 100))
    out += h["compressionPush"](sid, b"", True)
    assert out == data


def test_errors(h):
    with pytest.raises(TypeError, match="compression format"):
        h["compressionNew"]("br", False)
    sid = h["compressionNew"]("deflate", True)
    with pytest.raises(TypeError, match="Decompression failed"):
        h["compressionPush"](sid, b"\x01\x02\x03\x04\x05\x06", False)
    with pytest.raises(TypeError, match="already finished"):
        h["compressionPush"](sid, b"", True)  # the state was freed with the error
    full = gzip.compress(b"data", mtime=0)
    sid = h["compressionNew"]("gzip", True)
    with pytest.raises(TypeError, match="Trailing bytes"):
        h["compressionPush"](sid, full + b"junk", False)
    sid = h["compressionNew"]("gzip", True)
    h["compressionPush"](sid, full[:10], False)
    with pytest.raises(TypeError, match="incomplete data"):
        h["compressionPush"](sid, b"", True)


def test_free_is_idempotent(h):
    sid = h["compressionNew"]("gzip", False)
    h["compressionFree"](sid)
    h["compressionFree"](sid)
    with pytest.raises(TypeError):
        h["compressionPush"](sid, b"x", False)
