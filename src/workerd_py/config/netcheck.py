"""Checks of network-ish values: socket/external addresses, network allow/deny entries, keypairs."""
from __future__ import annotations

import ipaddress
import re
from typing import Optional

NETWORK_KEYWORDS = ("public", "private", "local", "network", "unix", "unix-abstract")
_HOST_RE = re.compile(r"^(?:\*|[A-Za-z0-9](?:[A-Za-z0-9\-_.]*[A-Za-z0-9_])?\.?)$")


def check_address(addr: str, *, allow_unix: bool = True, need_port: bool = False) -> Optional[str]:
    """None if `addr` is a valid workerd address, else why not.

    Forms: "host:port", "*:port", "[v6]:port", "host" (default port), "unix:/path",
    "unix-abstract:name". Ports are 0..65535 (0 = any free port).
    """
    if not addr:
        return "the address is empty"
    if addr != addr.strip():
        return "the address has leading or trailing spaces"
    if addr.startswith("unix:") or addr.startswith("unix-abstract:"):
        if not allow_unix:
            return "unix sockets are not allowed here"
        rest = addr.split(":", 1)[1]
        if not rest:
            return "a unix socket address needs a path after 'unix:'"
        if "\0" in rest:
            return "the unix socket path contains a NUL byte"
        if len(rest.encode()) > 107:
            return "the unix socket path is longer than 107 bytes"
        return None
    port: Optional[str] = None
    if addr.startswith("["):
        end = addr.find("]")
        if end < 0:
            return "missing ']' after the IPv6 address"
        host = addr[1:end]
        rest = addr[end + 1:]
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return f'"{host}" is not an IPv6 address'
        if rest:
            if not rest.startswith(":"):
                return "expected ':port' after ']'"
            port = rest[1:]
    else:
        if addr.count(":") > 1:
            return "an IPv6 address must be written in brackets, e.g. [::1]:8080"
        if ":" in addr:
            host, port = addr.rsplit(":", 1)
        else:
            host = addr
        if not host:
            return "the host is empty (use '*' for all interfaces)"
        if not _HOST_RE.match(host):
            return f'"{host}" is not a valid host name or address'
    if port is None:
        if need_port:
            return "the address needs a port, e.g. '*:8080'"
        return None
    if not port.isdigit():
        return f'the port "{port}" is not a number'
    if int(port) > 65535:
        return f"the port {port} is out of range (0-65535)"
    return None


def check_network_entry(entry: str, *, deny: bool) -> Optional[str]:
    if entry in NETWORK_KEYWORDS:
        if deny and entry in ("public", "network"):
            return (f'"{entry}" cannot be denied (workerd refuses to deny "public" or "network"); '
                    f'allow only what is needed instead')
        return None
    try:
        ipaddress.ip_network(entry, strict=False)
        return None
    except ValueError:
        pass
    return (f'"{entry}" is not an address range: expected a CIDR (e.g. "10.0.0.0/8", "::1/128") '
            f'or one of {", ".join(NETWORK_KEYWORDS)}')


def check_keypair(private_key: str, certificate_chain: str) -> Optional[str]:
    """None if the PEM key and certificate chain load and belong together, else why not."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization
    except Exception:  # pragma: no cover - cryptography is a dependency
        return None
    if not private_key.strip():
        return "the private key is empty"
    if not certificate_chain.strip():
        return "the certificate chain is empty"
    try:
        key = serialization.load_pem_private_key(private_key.encode(), password=None)
    except TypeError:
        return "the private key is encrypted (password-protected); workerd needs an unencrypted key"
    except Exception as e:
        return f"the private key does not load: {_short(e)}"
    try:
        certs = x509.load_pem_x509_certificates(certificate_chain.encode())
    except Exception as e:
        return f"the certificate chain does not load: {_short(e)}"
    if not certs:
        return "the certificate chain holds no certificate"
    try:
        fmt = serialization.PublicFormat.SubjectPublicKeyInfo
        enc = serialization.Encoding.DER
        if key.public_key().public_bytes(enc, fmt) != certs[0].public_key().public_bytes(enc, fmt):
            return "the private key does not match the first certificate of the chain"
    except Exception:
        pass
    return None


def check_certificate(pem: str) -> Optional[str]:
    try:
        from cryptography import x509
    except Exception:  # pragma: no cover
        return None
    try:
        if not x509.load_pem_x509_certificates(pem.encode()):
            return "no certificate found"
    except Exception as e:
        return f"the certificate does not load: {_short(e)}"
    return None


def _short(e: Exception) -> str:
    s = str(e).strip().splitlines()
    return s[0] if s else type(e).__name__
