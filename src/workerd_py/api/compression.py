"""Host side of Compression Streams (https://compression.spec.whatwg.org/) on zlib.

Each CompressionStream/DecompressionStream owns one zlib object, kept per isolate in a dict by id
(the JS glue holds only the id). Output is byte-identical to workerd's (same zlib defaults).
"""
from __future__ import annotations

import itertools
import zlib

_WBITS = {"gzip": 31, "deflate": 15, "deflate-raw": -15}
# Decompression returns at most this much per call; the glue calls again (with no new input) while
# a call returns a full piece, waiting for the reader in between, so a small input that inflates
# to gigabytes never sits in memory at once.
PIECE = 65536
_BAD_FORMAT = "The compression format must be either 'deflate', 'deflate-raw' or 'gzip'."


def host_functions(api_host) -> dict:
    states: dict[int, tuple] = {}  # id -> (zlib object, decompress?)
    ids = itertools.count(1)

    def new(fmt, decompress) -> int:
        wbits = _WBITS.get(fmt)
        if wbits is None:
            raise TypeError(_BAD_FORMAT)
        sid = next(ids)
        z = zlib.decompressobj(wbits) if decompress else zlib.compressobj(-1, zlib.DEFLATED, wbits)
        states[sid] = (z, bool(decompress))
        return sid

    def push(sid, data, finish) -> bytes:
        """Feed one chunk (and, when `finish`, end the stream); returns the output bytes.

        When decompressing, a result of PIECE bytes means more output may be pending: call again
        with empty data (and `finish` only once a call returns less than PIECE).
        """
        st = states.get(sid)
        if st is None:
            raise TypeError("This compression stream has already finished.")
        z, decompress = st
        buf = memoryview(data)
        if not decompress:
            out = z.compress(buf) if len(buf) else b""
            if finish:
                out += z.flush()
                del states[sid]
            return out
        # https://compression.spec.whatwg.org/#decompress-and-enqueue-a-chunk
        try:
            if z.eof and len(buf):
                raise TypeError("Trailing bytes after end of compressed data")
            tail = z.unconsumed_tail
            inp = (tail + bytes(buf)) if tail and len(buf) else (buf if len(buf) else tail)
            out = z.decompress(inp, PIECE) if len(inp) else b""
            if z.eof and z.unused_data:
                raise TypeError("Trailing bytes after end of compressed data")
            if finish and not z.eof:
                raise TypeError("Called close() on a decompression stream with incomplete data")
        except zlib.error:
            states.pop(sid, None)
            raise TypeError("Decompression failed.") from None
        except TypeError:
            states.pop(sid, None)
            raise
        if finish:
            del states[sid]
        return out

    def free(sid) -> None:
        states.pop(sid, None)

    return {"compressionNew": new, "compressionPush": push, "compressionFree": free}
