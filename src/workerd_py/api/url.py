"""Host side of the URL standard on ada-url (the WHATWG parser workerd uses)."""
from __future__ import annotations

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


def form_parse(s: str) -> list:
    out = []
    if not s:
        return out
    for k, v in ada_url.URLSearchParams(s).items():
        out.append(k)
        out.append(v)
    return out


def form_serialize(flat) -> str:
    n = len(flat)
    if n == 0:
        return ""
    p = ada_url.URLSearchParams("")
    for i in range(0, n, 2):
        p.append(flat[i], flat[i + 1])
    return str(p)
