"""The HTTP/1.1 server layer: request/response types and the socket protocol. See README.md."""

from .message import (INTERNAL_ERROR, STATUS_PHRASES, Body, BodyError, BytesBody, HttpRequest,
                      HttpResponse, IterBody)
from .protocol import HttpLimits, HttpProtocol, Site, default_error_log
from .tls import TlsOptions, make_ssl_context

__all__ = [
    "INTERNAL_ERROR", "Body", "BodyError", "BytesBody", "IterBody", "HttpRequest", "HttpResponse",
    "STATUS_PHRASES",
    "HttpLimits", "HttpProtocol", "Site", "default_error_log", "TlsOptions", "make_ssl_context",
]
