"""Host side of the Encoding standard (https://encoding.spec.whatwg.org/)."""
from __future__ import annotations

import codecs


_PY_CODEC = {
    "utf-8": "utf-8", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be", "windows-1252": "cp1252",
    "iso-8859-2": "iso8859-2", "iso-8859-15": "iso8859-15", "windows-1251": "cp1251", "koi8-r": "koi8-r",
    "gbk": "gbk", "gb18030": "gb18030", "big5": "big5hkscs", "euc-jp": "euc-jp", "shift_jis": "cp932",
    "euc-kr": "cp949",
}
_BOMS = {"utf-8": "\ufeff", "utf-16le": "\ufeff", "utf-16be": "\ufeff"}


def utf8_encode(s: str) -> bytes:
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError:
        # lone surrogates become U+FFFD (USVString conversion)
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in s).encode("utf-8")


def _fatal(enc):
    return TypeError(f"The encoded data was not valid for encoding {enc}")


def decode(enc: str, data, fatal: bool, ignore_bom: bool) -> str:
    buf = memoryview(data) if not isinstance(data, (bytes, bytearray)) else data
    codec = _PY_CODEC.get(enc, enc)
    try:
        if enc == "windows-1252":
            s = _cp1252(buf)
        else:
            s = bytes(buf).decode(codec, "strict" if fatal else "replace")
    except UnicodeDecodeError:
        raise _fatal(enc) from None
    if not ignore_bom and enc in _BOMS and s.startswith("\ufeff"):
        s = s[1:]
    return s


def _cp1252(buf) -> str:
    # WHATWG windows-1252 maps the 5 bytes Python's cp1252 leaves undefined to C1 controls
    return "".join([_CP1252_TABLE[b] for b in bytes(buf)])


_CP1252_TABLE = []
for _b in range(256):
    try:
        _CP1252_TABLE.append(bytes([_b]).decode("cp1252"))
    except UnicodeDecodeError:
        _CP1252_TABLE.append(chr(_b))


class StreamDecoders:
    """Incremental decoders of `TextDecoder.decode(..., {stream: true})`, per isolate."""

    def __init__(self):
        self.decoders = {}

    def decode(self, did, enc, data, fatal, ignore_bom, stream):
        entry = self.decoders.get(did)
        if entry is None:
            dec = codecs.getincrementaldecoder(_PY_CODEC.get(enc, enc))("strict" if fatal else "replace")
            entry = self.decoders[did] = [dec, False]
        dec, seen_start = entry
        try:
            s = dec.decode(bytes(memoryview(data)), final=not stream)
        except UnicodeDecodeError:
            self.decoders.pop(did, None)
            raise _fatal(enc) from None
        if not seen_start and s:
            entry[1] = True
            if not ignore_bom and enc in _BOMS and s.startswith("\ufeff"):
                s = s[1:]
        if not stream:
            self.decoders.pop(did, None)
        return s
