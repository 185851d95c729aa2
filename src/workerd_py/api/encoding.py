"""Host side of the Encoding standard (https://encoding.spec.whatwg.org/): TextDecoder's decoders.

`enc` is an encoding name as js/encoding.js resolves it from a label. `mode` is a bit set (False
and True also work): FATAL raises on errors (TextDecoder's `fatal`), otherwise they become U+FFFD;
SURROGATES keeps unpaired surrogates in UTF-16LE, even when fatal (workerd before
text_decoder_replace_surrogates);
CJK decodes byte 0x80 of gbk and gb18030 as U+20AC, as the standard's decoders (workerd's since
text_decoder_cjk_decoder; before, ICU's, which replace it).

Single-byte encodings decode through 256-entry tables (Python's codec for each byte, corrected where
the standard's index differs), with the C charmap decoder.
"""
from __future__ import annotations

import codecs

FATAL, SURROGATES, CJK = 1, 2, 4

# encoding name -> Python codec (multi-byte and UTF-16)
_PY_CODEC = {
    "utf-8": "utf-8", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be",
    "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs", "euc-jp": "euc-jp",
    "iso-2022-jp": "iso2022-jp", "shift_jis": "cp932", "euc-kr": "cp949",
}
# single-byte encoding name -> Python codec its table starts from
_SINGLE_BYTE = {
    "ibm866": "cp866", "iso-8859-2": "iso8859-2", "iso-8859-3": "iso8859-3", "iso-8859-4": "iso8859-4",
    "iso-8859-5": "iso8859-5", "iso-8859-6": "iso8859-6", "iso-8859-7": "iso8859-7", "iso-8859-8": "iso8859-8",
    "iso-8859-8-i": "iso8859-8", "iso-8859-10": "iso8859-10", "iso-8859-13": "iso8859-13",
    "iso-8859-14": "iso8859-14", "iso-8859-15": "iso8859-15", "iso-8859-16": "iso8859-16",
    "koi8-r": "koi8-r", "koi8-u": "koi8-u", "macintosh": "mac-roman", "windows-874": "cp874",
    "windows-1250": "cp1250", "windows-1251": "cp1251", "windows-1252": "cp1252", "windows-1253": "cp1253",
    "windows-1254": "cp1254", "windows-1255": "cp1255", "windows-1256": "cp1256", "windows-1257": "cp1257",
    "windows-1258": "cp1258", "x-mac-cyrillic": "mac-cyrillic", "x-user-defined": None,
}
# where the standard's index differs from Python's codec: byte -> code point
_OVERRIDES = {
    # the 5 bytes cp1252 leaves undefined are C1 controls in the standard
    "windows-1252": {b: b for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)},
    # the standard's KOI8-U is KOI8-RU at these two bytes
    "koi8-u": {0xAE: 0x045E, 0xBE: 0x040E},
    "macintosh": {0xDB: 0x20AC},
    # https://encoding.spec.whatwg.org/#x-user-defined-decoder
    "x-user-defined": {b: 0xF780 + b - 0x80 for b in range(0x80, 0x100)},
}
_BOM = "\ufeff"
_tables: dict[str, str] = {}


def _table(enc: str) -> str:
    t = _tables.get(enc)
    if t is None:
        codec = _SINGLE_BYTE[enc]
        chars = []
        for b in range(256):
            if codec is None or (enc == "x-user-defined" and b < 0x80):
                chars.append(chr(b))
                continue
            try:
                chars.append(bytes([b]).decode(codec))
            except UnicodeDecodeError:
                chars.append("\ufffe")        # undefined: an error for charmap_decode
        for b, cp in _OVERRIDES.get(enc, {}).items():
            chars[b] = chr(cp)
        t = _tables[enc] = "".join(chars)
    return t


def _keep_surrogates(fatal: bool):
    """Error handler: an unpaired UTF-16 surrogate is kept; anything else is U+FFFD or raises."""
    def handler(e: UnicodeDecodeError):
        chunk = e.object[e.start:e.end]
        if len(chunk) == 2:
            cp = int.from_bytes(chunk, "little" if e.encoding.endswith("le") else "big")
            if 0xD800 <= cp <= 0xDFFF:
                return chr(cp), e.end
        if fatal:
            raise e
        return "\ufffd", e.end
    return handler


def _gb(fatal: bool):
    # https://encoding.spec.whatwg.org/#gb18030-decoder: a lone 0x80 is U+20AC
    def handler(e: UnicodeDecodeError):
        if e.object[e.start] == 0x80:
            return "\u20ac", e.start + 1
        if fatal:
            raise e
        return "\ufffd", e.end
    return handler


codecs.register_error("workerd-keep-surrogates", _keep_surrogates(False))
codecs.register_error("workerd-keep-surrogates-strict", _keep_surrogates(True))
codecs.register_error("workerd-gb-replace", _gb(False))
codecs.register_error("workerd-gb-strict", _gb(True))


def _errors(enc: str, mode: int) -> str:
    if mode & CJK and (enc == "gbk" or enc == "gb18030"):
        return "workerd-gb-strict" if mode & FATAL else "workerd-gb-replace"
    if mode & SURROGATES and enc == "utf-16le":
        return "workerd-keep-surrogates-strict" if mode & FATAL else "workerd-keep-surrogates"
    return "strict" if mode & FATAL else "replace"


def utf8_encode(s: str) -> bytes:
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError:
        # lone surrogates become U+FFFD (USVString conversion)
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in s).encode("utf-8")


def _fatal(enc):
    return TypeError("Failed to decode input.")


def decode(enc: str, data, mode, ignore_bom: bool) -> str:
    buf = data if isinstance(data, (bytes, bytearray)) else bytes(memoryview(data))
    mode = int(mode)
    try:
        if enc in _SINGLE_BYTE:
            return codecs.charmap_decode(buf, "strict" if mode & FATAL else "replace", _table(enc))[0]
        s = codecs.decode(buf, _PY_CODEC[enc], _errors(enc, mode))
    except UnicodeDecodeError:
        raise _fatal(enc) from None
    if not ignore_bom and s.startswith(_BOM) and enc.startswith("utf-"):
        s = s[1:]
    return s


class _SingleByteDecoder:
    """Single-byte decoders keep no state between chunks."""

    def __init__(self, enc, errors):
        self.table = _table(enc)
        self.errors = errors

    def decode(self, data, final=False):
        return codecs.charmap_decode(data, self.errors, self.table)[0]


class StreamDecoders:
    """Incremental decoders of `TextDecoder.decode(..., {stream: true})`, per isolate."""

    def __init__(self):
        self.decoders = {}

    def decode(self, did, enc, data, mode, ignore_bom, stream):
        entry = self.decoders.get(did)
        if entry is None:
            mode = int(mode)
            if enc in _SINGLE_BYTE:
                dec = _SingleByteDecoder(enc, "strict" if mode & FATAL else "replace")
            else:
                dec = codecs.getincrementaldecoder(_PY_CODEC[enc])(_errors(enc, mode))
            entry = self.decoders[did] = [dec, False]
        dec, seen_start = entry
        try:
            s = dec.decode(bytes(memoryview(data)), final=not stream)
        except UnicodeDecodeError:
            self.decoders.pop(did, None)
            raise _fatal(enc) from None
        if not seen_start and s:
            entry[1] = True
            if not ignore_bom and s.startswith(_BOM) and enc.startswith("utf-"):
                s = s[1:]
        if not stream:
            self.decoders.pop(did, None)
        return s
