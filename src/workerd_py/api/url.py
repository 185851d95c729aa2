"""Host side of the URL standard on ada-url (the WHATWG parser workerd uses).

`url_parse`/`url_set` return the components as a list (see js/url.js) or None for an invalid URL.
`form_parse` and `form_serialize` implement application/x-www-form-urlencoded
(https://url.spec.whatwg.org/#concept-urlencoded) over a flat [name, value, ...] list.
"""
from __future__ import annotations

from urllib.parse import unquote_to_bytes

import ada_url

from .. import engine

_URL = ada_url.URL
_undefined = engine.undefined


def _parts(u) -> list:
    return [u.href, u.origin, u.protocol, u.username, u.password, u.host, u.hostname, u.port,
            u.pathname, u.search, u.hash]


def url_parse(s, base=None):
    try:
        u = _URL(s) if (base is None or base is _undefined) else _URL(s, base)
    except ValueError:
        return None
    return _parts(u)


def url_set(href, prop, value):
    try:
        u = _URL(href)
        setattr(u, prop, value)
    except (ValueError, AttributeError):
        return None
    return _parts(u)


def _decode(s: str) -> str:
    # https://url.spec.whatwg.org/#percent-decode, then UTF-8 decode without BOM or fail
    if "+" in s:
        s = s.replace("+", " ")
    if "%" not in s:
        return s
    return unquote_to_bytes(s).decode("utf-8", "replace")


def form_parse(s: str) -> list:
    """https://url.spec.whatwg.org/#concept-urlencoded-parser (the input has no leading '?')."""
    out = []
    if not s:
        return out
    for seq in s.split("&"):
        if not seq:
            continue
        name, sep, value = seq.partition("=")
        out.append(_decode(name))
        out.append(_decode(value))
    return out


def form_serialize(flat) -> str:
    n = len(flat)
    if n == 0:
        return ""
    p = ada_url.URLSearchParams("")
    for i in range(0, n, 2):
        p.append(flat[i], flat[i + 1])
    return str(p)
