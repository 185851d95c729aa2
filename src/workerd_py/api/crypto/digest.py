"""Digests: `crypto.subtle.digest` (https://w3c.github.io/webcrypto/#SubtleCrypto-method-digest) and
the incremental contexts behind workerd's `crypto.DigestStream`, which also offers crc32, crc32c
and crc64nvme (big-endian results)."""
from __future__ import annotations

import zlib

from ._util import hashlib_new, lookup_digest


def digest(name, data) -> bytes:
    return hashlib_new(lookup_digest(name), data).digest()


def _table(poly: int) -> list[int]:
    out = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        out.append(c)
    return out


class _Crc:
    """A reflected CRC (init and final xor all ones), one table lookup per byte."""
    __slots__ = ("value", "table", "mask", "size")

    def __init__(self, poly: int, bits: int):
        self.table = _TABLES.setdefault(poly, _table(poly))
        self.mask = (1 << bits) - 1
        self.value = self.mask
        self.size = bits // 8

    def update(self, data) -> None:
        c, t = self.value, self.table
        for b in bytes(data):
            c = t[(c ^ b) & 0xFF] ^ (c >> 8)
        self.value = c

    def digest(self) -> bytes:
        return (self.value ^ self.mask).to_bytes(self.size, "big")


_TABLES: dict[int, list[int]] = {}


class _Crc32:
    __slots__ = ("value",)

    def __init__(self):
        self.value = 0

    def update(self, data) -> None:
        self.value = zlib.crc32(data, self.value)

    def digest(self) -> bytes:
        return self.value.to_bytes(4, "big")


def new_context(name):
    """An object with update(data) and digest() for a DigestStream algorithm name."""
    if name == "crc32":
        return _Crc32()
    if name == "crc32c":
        return _Crc(0x82F63B78, 32)
    if name == "crc64nvme":
        return _Crc(0x9A6C9329AC4BC9B5, 64)
    return hashlib_new(lookup_digest(name))
