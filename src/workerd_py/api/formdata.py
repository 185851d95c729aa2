"""Host side of FormData: multipart/form-data parsing for Body.formData().

RFC 7578 (multipart/form-data) over RFC 2046 section 5.1.1 (multipart body syntax), with
workerd's tolerances and error messages: bare LF line breaks are accepted, a part whose filename
is empty is a plain field, and parameters may be quoted (with backslash escapes) or tokens.
The JS glue (js/formdata.js) turns the flat result into a FormData; errors are TypeErrors.
"""
from __future__ import annotations

import re

_HEADERS_END = re.compile(rb"\r?\n\r?\n")
_LINE = re.compile(r"\r?\n")
# a header parameter: name=token or name="quoted string" (RFC 9110 section 5.6.6)
_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')
_ESCAPE = re.compile(r"\\(.)")


def _disposition(value: str):
    """(name, filename | None) of a `Content-Disposition: form-data; ...` header value."""
    kind = value.partition(";")[0].strip()
    if kind.lower() != "form-data":
        raise TypeError('Content-Disposition header for FormData part must have the value "form-data", '
                        f'possibly followed by parameters. Got: "{kind}"')
    params = {}
    for m in _PARAM.finditer(value):
        v = m.group(2).strip()
        if v.startswith('"') and v.endswith('"') and len(v) >= 2:
            v = _ESCAPE.sub(r"\1", v[1:-1])
        params.setdefault(m.group(1).lower(), v)
    if "name" not in params:
        raise TypeError("Content-Disposition header in FormData part is missing a name.")
    return params["name"], params.get("filename") or None


def parse_multipart(data, boundary: str) -> list:
    """Parse a multipart/form-data body.

    Returns a flat list [name, value, filename, content_type, ...] where value is a str for a
    field and bytes for a file part (filename is not None); content_type is None when absent.
    """
    body = data if isinstance(data, bytes) else bytes(data)
    n = len(body)
    delim = b"--" + boundary.encode("utf-8")
    # the first delimiter: at the start, or after a preamble and a line break
    if body.startswith(delim):
        pos = len(delim)
    else:
        i = body.find(b"\n" + delim)
        if i < 0:
            raise TypeError("No initial boundary string (or you have a truncated message).")
        pos = i + 1 + len(delim)
    out = []
    next_delim = b"\n" + delim
    while True:
        if pos >= n:
            raise TypeError("No subsequent boundary string after multipart message.")
        if body.startswith(b"--", pos):
            return out  # the close delimiter; the epilogue is ignored
        while pos < n and body[pos] in b" \t":  # transport padding
            pos += 1
        if body.startswith(b"\r\n", pos):
            pos += 2
        elif body.startswith(b"\n", pos):
            pos += 1
        else:
            raise TypeError("Boundary string was not succeeded by CRLF, LF, or '--'.")
        end = body.find(next_delim, pos - 1)
        if end < 0:
            raise TypeError("No subsequent boundary string after multipart message.")
        part_end = end - 1 if end > pos and body[end - 1] == 0x0D else end
        if body.startswith(b"\r\n", pos) or body.startswith(b"\n", pos):
            raw_headers, content_start = b"", pos + (2 if body[pos] == 0x0D else 1)
        else:
            m = _HEADERS_END.search(body, pos, end + 1)
            if m is None:
                raise TypeError("No multipart message header termination found.")
            raw_headers, content_start = body[pos:m.start()], m.end()
        content = body[content_start:max(part_end, content_start)]
        pos = end + len(next_delim)
        name = filename = ctype = None
        found = False
        for line in _LINE.split(raw_headers.decode("utf-8", "replace")):
            k, colon, v = line.partition(":")
            if not colon:
                continue
            k = k.strip().lower()
            if k == "content-disposition":
                name, filename = _disposition(v.strip())
                found = True
            elif k == "content-type":
                ctype = v.strip()
        if not found:
            raise TypeError("No valid Content-Disposition header found in FormData part.")
        if filename is None:
            out += [name, content.decode("utf-8", "replace"), None, None]
        else:
            out += [name, content, filename, ctype]


def host_functions(api_host) -> dict:
    return {"parseMultipart": parse_multipart}
