"""Outbound address policy of a network service: workerd's `allow` / `deny` lists.

How this works
--------------
A rule is a CIDR ("10.1.0.0/16", "2001:db8::/32"; a bare address means a /32 or /128) or one of the
names `public`, `private`, `local`, `network`, `unix`, `unix-abstract`. The semantics follow the
peer filter of KJ, the I/O library under workerd (kj/async-io.c++, "restrictPeers"):

- `local`   = loopback plus the "connect to 0.0.0.0 means localhost" ranges:
              127.0.0.0/8, ::1/128, 0.0.0.0/32, ::/128.
- `private` = 10/8, 100.64/10 (carrier-grade NAT), 169.254/16 (link-local), 172.16/12,
              192.168/16, fc00::/7 (unique local), fe80::/10 (link-local) -- AND everything in
              `local` (allowing "private" also allows loopback, as in workerd).
- `public`  = any IP address that is not private, local or reserved (multicast, broadcast,
              240/4, 192.0.0/24, 2001::/23). Matches with specificity 0.
- `network` = any IP address that is not local or reserved (private included). Specificity 0.
- `unix`, `unix-abstract`: unix-domain socket paths and Linux abstract sockets.
- Reserved ranges are never part of a name, but an explicit CIDR may allow them.

An address is allowed when some allow rule matches it and no deny rule at least as specific as
the most specific matching allow rule matches it (specificity = prefix length; `public` and
`network` count as 0). So a narrower deny inside a wider allow refuses, a narrower allow inside a
wider deny permits, and a tie refuses. An IPv4 CIDR also matches the IPv4-mapped IPv6 form of its
addresses (::ffff:a.b.c.d), so mapped addresses cannot slip past a v4 rule.

Denying `public` or `network` is refused ("don't deny 'public', allow 'private' instead"), as in
workerd.
"""
from __future__ import annotations

import ipaddress
import json

__all__ = ["NetworkPolicy", "PolicyConfigError", "DEFAULT_ALLOW"]

DEFAULT_ALLOW = ("public",)

_Net = ipaddress.IPv4Network | ipaddress.IPv6Network
_Addr = ipaddress.IPv4Address | ipaddress.IPv6Address


def _nets(*cidrs: str) -> tuple[_Net, ...]:
    return tuple(ipaddress.ip_network(c) for c in cidrs)


LOCAL = _nets("127.0.0.0/8", "::1/128", "0.0.0.0/32", "::/128")
PRIVATE = _nets("10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12",
                "192.168.0.0/16", "fc00::/7", "fe80::/10")
RESERVED = _nets("192.0.0.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
                 "2001::/23", "ff00::/8")

NAMES = ("public", "private", "local", "network", "unix", "unix-abstract")


class PolicyConfigError(ValueError):
    """An allow/deny rule that is not a name or a CIDR, or a forbidden deny."""


def parse_cidr(rule: str) -> _Net:
    try:
        return ipaddress.ip_network(rule.strip(), strict=False)
    except ValueError:
        raise PolicyConfigError(
            f"invalid network rule {rule!r}: expected a CIDR such as \"10.0.0.0/8\" or one of "
            + ", ".join(NAMES)) from None


def _matches(net: _Net, addr: _Addr) -> bool:
    if net.version == addr.version:
        return addr in net
    if net.version == 4:
        mapped = addr.ipv4_mapped  # type: ignore[union-attr]
        return mapped is not None and mapped in net
    return False


def _any(nets, addr) -> bool:
    for n in nets:
        if _matches(n, addr):
            return True
    return False


def parse_ip(text: str) -> _Addr | None:
    """An IP literal as it appears in a URL host ("[::1]", "fe80::1%eth0", "1.2.3.4"), or None."""
    h = text
    if h.startswith("[") and h.endswith("]"):
        h = h[1:-1]
    h = h.split("%", 1)[0]
    try:
        return ipaddress.ip_address(h)
    except ValueError:
        return None


class NetworkPolicy:
    """A compiled allow/deny list. `allows(address)` answers for one resolved address."""

    __slots__ = ("allow", "deny", "_allow_public", "_allow_network", "_allow_unix",
                 "_allow_abstract", "_allow_cidrs", "_deny_cidrs")

    def __init__(self, allow=DEFAULT_ALLOW, deny=()):
        self.allow = tuple(allow)
        self.deny = tuple(deny)
        self._allow_public = False
        self._allow_network = False
        self._allow_unix = False
        self._allow_abstract = False
        allow_cidrs: list[_Net] = []
        deny_cidrs: list[_Net] = []
        for rule in self.allow:
            if rule == "local":
                allow_cidrs.extend(LOCAL)
            elif rule == "network":
                self._allow_network = True
            elif rule == "private":
                allow_cidrs.extend(PRIVATE)
                allow_cidrs.extend(LOCAL)
            elif rule == "public":
                self._allow_public = True
            elif rule == "unix":
                self._allow_unix = True
            elif rule == "unix-abstract":
                self._allow_abstract = True
            else:
                allow_cidrs.append(parse_cidr(rule))
        for rule in self.deny:
            if rule == "local":
                deny_cidrs.extend(LOCAL)
            elif rule == "network":
                raise PolicyConfigError("don't deny 'network', allow 'local' instead")
            elif rule == "private":
                deny_cidrs.extend(PRIVATE)
            elif rule == "public":
                raise PolicyConfigError("don't deny 'public', allow 'private' instead")
            elif rule == "unix":
                self._allow_unix = False
            elif rule == "unix-abstract":
                self._allow_abstract = False
            else:
                deny_cidrs.append(parse_cidr(rule))
        self._allow_cidrs = tuple(allow_cidrs)
        self._deny_cidrs = tuple(deny_cidrs)

    # ------------------------------------------------------------------ queries
    def allows(self, address) -> bool:
        """True when connecting to `address` (an IP string or ipaddress object) is allowed."""
        if isinstance(address, str):
            a = parse_ip(address)
            if a is None:
                return False
        else:
            a = address
        allowed = False
        specificity = 0
        if self._allow_public and not _any(PRIVATE, a) and not _any(LOCAL, a) and not _any(RESERVED, a):
            allowed = True
        if self._allow_network and not _any(LOCAL, a) and not _any(RESERVED, a):
            allowed = True
        for n in self._allow_cidrs:
            if _matches(n, a):
                allowed = True
                if n.prefixlen > specificity:
                    specificity = n.prefixlen
        if not allowed:
            return False
        for n in self._deny_cidrs:
            if n.prefixlen >= specificity and _matches(n, a):
                return False
        return True

    def allows_unix(self, path: str) -> bool:
        """A unix socket path; a leading NUL (or "unix-abstract:" form) is an abstract socket."""
        if path.startswith("\0"):
            return self._allow_abstract
        return self._allow_unix

    def describe(self) -> str:
        """`allow = ["public"]` or `allow = [...], deny = [...]`, as written in a config."""
        text = "allow = " + json.dumps(list(self.allow))
        if self.deny:
            text += ", deny = " + json.dumps(list(self.deny))
        return text

    def __repr__(self):
        return f"NetworkPolicy({self.describe()})"
