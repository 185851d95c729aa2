"""TLS for https sockets: workerd's TlsOptions -> ssl.SSLContext.

The keypair comes as PEM strings in memory. `ssl` only loads a certificate chain from a file, so it
is written to a file in a fresh 0700 directory, loaded, and deleted straight away.
"""

from __future__ import annotations

import os
import shutil
import ssl
import tempfile
from dataclasses import dataclass, field

__all__ = ["TlsOptions", "make_ssl_context", "TLS_VERSIONS"]

#: workerd's TlsOptions.Version names -> the minimum ssl.TLSVersion.
TLS_VERSIONS = {
    "goodDefault": ssl.TLSVersion.TLSv1_2,
    "ssl3": ssl.TLSVersion.MINIMUM_SUPPORTED,
    "tls1Dot0": ssl.TLSVersion.TLSv1,
    "tls1Dot1": ssl.TLSVersion.TLSv1_1,
    "tls1Dot2": ssl.TLSVersion.TLSv1_2,
    "tls1Dot3": ssl.TLSVersion.TLSv1_3,
}


@dataclass
class TlsOptions:
    """workerd's TlsOptions for a listening socket."""
    certificate_chain: str             # PEM, leaf first
    private_key: str                   # PEM
    min_version: str = "goodDefault"
    cipher_list: str | None = None     # OpenSSL cipher string (TLS 1.2 and below)
    require_client_certs: bool = False
    trusted_certificates: list[str] = field(default_factory=list)   # PEMs to verify clients
    trust_browser_cas: bool = False


def make_ssl_context(options: TlsOptions) -> ssl.SSLContext:
    """A server context. Raises ValueError with a readable message on bad input."""
    if not options.certificate_chain or not options.private_key:
        raise ValueError("https socket needs tlsOptions.keypair (certificateChain and privateKey)")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        ctx.minimum_version = TLS_VERSIONS[options.min_version]
    except KeyError:
        raise ValueError(f"unknown TLS minVersion {options.min_version!r}; expected one of "
                         f"{', '.join(TLS_VERSIONS)}") from None
    if options.cipher_list:
        try:
            ctx.set_ciphers(options.cipher_list)
        except ssl.SSLError as exc:
            raise ValueError(f"invalid cipherList {options.cipher_list!r}: {exc}") from None
    _load_keypair(ctx, options.certificate_chain, options.private_key)
    if options.require_client_certs:
        ctx.verify_mode = ssl.CERT_REQUIRED
        trusted = [pem for pem in options.trusted_certificates if pem.strip()]
        if trusted:
            try:
                ctx.load_verify_locations(cadata="\n".join(trusted))
            except ssl.SSLError as exc:
                raise ValueError(f"invalid trustedCertificates: {exc}") from None
        if options.trust_browser_cas:
            ctx.load_default_certs(ssl.Purpose.CLIENT_AUTH)
    try:
        ctx.set_alpn_protocols(["http/1.1"])
    except NotImplementedError:  # pragma: no cover - OpenSSL without ALPN
        pass
    return ctx


def _load_keypair(ctx: ssl.SSLContext, chain: str, key: str) -> None:
    tmpdir = tempfile.mkdtemp(prefix="workerd-py-tls-")   # mode 0700
    path = os.path.join(tmpdir, "keypair.pem")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(key.strip() + "\n" + chain.strip() + "\n")
        try:
            ctx.load_cert_chain(path)
        except ssl.SSLError as exc:
            raise ValueError(f"invalid TLS keypair: {exc}") from None
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
