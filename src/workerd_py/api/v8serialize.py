"""Host functions of the V8 serializer glue (js/v8serialize.js): long strings in one call each way.

V8 writes a string as Latin-1 bytes when every code unit fits, else as UTF-16LE (lone surrogates
kept). The glue converts short strings itself; these convert long ones without a JS loop.
"""
from __future__ import annotations


def encode_string(text: str):
    """[True, latin-1 bytes] or [False, UTF-16LE bytes]."""
    try:
        return [True, text.encode("latin-1")]
    except UnicodeEncodeError:
        return [False, text.encode("utf-16-le", "surrogatepass")]


def decode_string(data, two_byte: bool):
    """The string of Latin-1 or UTF-16LE bytes; None when UTF-16 holds lone surrogates (JS decodes)."""
    raw = bytes(data)
    if not two_byte:
        return raw.decode("latin-1")
    try:
        return raw.decode("utf-16-le")
    except UnicodeDecodeError:
        return None


def host_functions(api_host) -> dict:
    return {"v8EncodeString": encode_string, "v8DecodeString": decode_string}
