"""The outbound address policy: workerd's allow/deny names, CIDRs and specificity rule."""
import ipaddress

import pytest

from workerd_py.server.services.netpolicy import NetworkPolicy, PolicyConfigError

DEFAULT = NetworkPolicy()  # allow = ["public"]


@pytest.mark.parametrize("addr", [
    "127.0.0.1", "127.255.255.254", "127.1.2.3",          # loopback 127/8
    "10.0.0.1", "10.255.255.255",                         # RFC1918
    "172.16.0.1", "172.31.255.255", "192.168.1.1",
    "169.254.169.254", "169.254.0.1",                     # link-local (cloud metadata)
    "100.64.0.1", "100.127.255.255",                      # carrier-grade NAT
    "0.0.0.0",                                            # "connect to 0.0.0.0" = localhost
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1",    # v6 loopback, link-local, ULA
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",  # v4-mapped
    "224.0.0.1", "239.1.1.1", "255.255.255.255", "240.0.0.1", "192.0.0.1",  # reserved
    "ff02::1", "2001::1",
])
def test_default_refuses_non_public(addr):
    assert not DEFAULT.allows(addr)


@pytest.mark.parametrize("addr", ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111",
                                  "::ffff:8.8.8.8", "172.32.0.1", "100.128.0.1", "11.0.0.1"])
def test_default_allows_public(addr):
    assert DEFAULT.allows(addr)


def test_bracketed_and_scoped_literals():
    assert not DEFAULT.allows("[::1]")
    assert not DEFAULT.allows("fe80::1%eth0")
    assert DEFAULT.allows("[2606:4700::1]")
    assert not DEFAULT.allows("not-an-ip")


def test_private_and_local():
    p = NetworkPolicy(["private", "local"])
    for a in ("127.0.0.1", "::1", "10.1.1.1", "192.168.0.1", "169.254.1.1", "fd00::1"):
        assert p.allows(a), a
    assert not p.allows("8.8.8.8")
    assert not p.allows("224.0.0.1")


def test_private_includes_local_as_in_workerd():
    p = NetworkPolicy(["private"])
    assert p.allows("127.0.0.1") and p.allows("10.0.0.1")


def test_local_only():
    p = NetworkPolicy(["local"])
    assert p.allows("127.0.0.1") and p.allows("::1") and p.allows("0.0.0.0")
    assert not p.allows("10.0.0.1")
    assert not p.allows("169.254.169.254")   # link-local is "private" in workerd
    assert not p.allows("8.8.8.8")


def test_network_is_everything_but_local_and_reserved():
    p = NetworkPolicy(["network"])
    assert p.allows("8.8.8.8") and p.allows("10.0.0.1") and p.allows("169.254.1.1")
    assert not p.allows("127.0.0.1") and not p.allows("::1")
    assert not p.allows("224.0.0.1")


def test_empty_allow_refuses_everything():
    p = NetworkPolicy([])
    for a in ("8.8.8.8", "127.0.0.1", "10.0.0.1"):
        assert not p.allows(a)
    assert not p.allows_unix("/tmp/sock")


def test_narrow_deny_inside_wide_allow():
    p = NetworkPolicy(["private"], ["10.1.0.0/16"])
    assert p.allows("10.2.0.1")
    assert not p.allows("10.1.2.3")


def test_narrow_allow_inside_wide_deny():
    p = NetworkPolicy(["private", "10.1.2.0/24"], ["10.0.0.0/8"])
    assert p.allows("10.1.2.3")        # /24 allow beats /8 deny
    assert not p.allows("10.1.3.1")    # only the /8 allow (from private) matches: tie -> deny


def test_tie_favours_deny():
    p = NetworkPolicy(["10.0.0.0/8"], ["10.0.0.0/8"])
    assert not p.allows("10.0.0.1")


def test_public_with_specific_deny_and_allow():
    p = NetworkPolicy(["public", "10.5.0.0/16"], ["8.8.0.0/16"])
    assert p.allows("10.5.1.1")        # explicit CIDR opens a private range
    assert not p.allows("10.6.1.1")
    assert not p.allows("8.8.8.8")     # public counts as specificity 0: any deny wins
    assert p.allows("1.1.1.1")


def test_explicit_cidr_can_open_reserved_range():
    p = NetworkPolicy(["public", "224.0.0.0/4"])
    assert p.allows("224.0.0.1")


def test_v4_cidr_matches_v4_mapped_v6():
    p = NetworkPolicy(["public"], ["1.2.3.0/24"])
    assert not p.allows("::ffff:1.2.3.4")
    q = NetworkPolicy(["127.0.0.1/32"])
    assert q.allows("::ffff:127.0.0.1")
    assert q.allows(ipaddress.ip_address("127.0.0.1"))


def test_v6_cidr_does_not_match_v4():
    p = NetworkPolicy(["::/0"])
    assert not p.allows("8.8.8.8")
    assert p.allows("2606:4700::1")


def test_deny_local_inside_network():
    p = NetworkPolicy(["network"], ["local", "private"])
    assert p.allows("8.8.8.8")
    assert not p.allows("10.0.0.1")


def test_unix_rules():
    p = NetworkPolicy(["unix"])
    assert p.allows_unix("/run/x.sock") and not p.allows_unix("\0abstract")
    q = NetworkPolicy(["unix", "unix-abstract"], ["unix"])
    assert not q.allows_unix("/run/x.sock") and q.allows_unix("\0abstract")
    assert not DEFAULT.allows_unix("/run/x.sock")


@pytest.mark.parametrize("deny,msg", [("public", "don't deny 'public'"), ("network", "don't deny 'network'")])
def test_forbidden_denies(deny, msg):
    with pytest.raises(PolicyConfigError, match=msg):
        NetworkPolicy(["public"], [deny])


def test_invalid_rule():
    with pytest.raises(PolicyConfigError, match="invalid network rule"):
        NetworkPolicy(["publik"])


def test_describe():
    assert NetworkPolicy().describe() == 'allow = ["public"]'
    assert NetworkPolicy(["private"], ["10.0.0.0/8"]).describe() == 'allow = ["private"], deny = ["10.0.0.0/8"]'
