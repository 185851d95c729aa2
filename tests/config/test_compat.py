"""Compatibility flags as data, with workerd's resolution rules; `workerd compat-flags`."""
from __future__ import annotations

import csv

import pytest

from cfg_helpers import ROOT, run_cli
from workerd_py.config import compat


def test_table_is_the_reference_table():
    ref = (ROOT.parent / "shared" / "reference" / "compat-flags.tsv")
    if not ref.exists():
        pytest.skip("shared/reference not present")
    ours = (ROOT / "src" / "workerd_py" / "config" / "data" / "compat-flags.tsv").read_text()
    assert ours == ref.read_text()


def test_table_parses():
    flags = compat.flags()
    assert len(flags) > 150
    names = [f.enable_flag for f in flags if f.enable_flag]
    assert len(names) == len(set(names))
    f = compat.lookup("nodejs_compat")[0]
    assert f.field == "nodeJsCompat" and f.disable_flag == "no_nodejs_compat"


def test_date_enables_flags():
    on = compat.resolve("2022-11-30", ())
    assert "streams_enable_constructors" in on and "formdata_parser_supports_files" in on
    assert "url_standard" in on
    off = compat.resolve("2022-11-29", ())
    assert "streams_enable_constructors" not in off and "url_standard" in off


def test_disable_flag_wins_over_date():
    on = compat.resolve("2024-01-01", ["url_original"])
    assert "url_standard" not in on


def test_enable_flag_before_its_date():
    assert "rpc" not in compat.resolve("2024-01-01", ())
    assert "rpc" in compat.resolve("2024-01-01", ["rpc"])


def test_implied_flags():
    on = compat.resolve("2024-09-23", ["nodejs_compat"])
    assert {"nodejs_compat", "nodejs_compat_v2", "nodejs_zlib"} <= on
    before = compat.resolve("2024-09-22", ["nodejs_compat"])
    assert "nodejs_compat_v2" not in before
    # the disable flag stops an implication
    assert "nodejs_compat_v2" not in compat.resolve("2024-10-01", ["nodejs_compat", "no_nodejs_compat_v2"])
    # chains: nodejs_compat -> enable_nodejs_http_modules -> enable_nodejs_http_server_modules
    deep = compat.resolve("2025-09-02", ["nodejs_compat"])
    assert {"enable_nodejs_http_modules", "enable_nodejs_http_server_modules"} <= deep


def test_implication_from_a_later_field_reaches_a_fixed_point():
    # removeNodejsCompatEOLv23 (118) is implied by removeNodejsCompatEOLv24 (119)
    on = compat.resolve("2026-01-01", ["remove_nodejs_compat_eol_v24"])
    assert "remove_nodejs_compat_eol_v23" in on


def test_check_flags_messages():
    probs = {p.code: p for p in compat.check_flags(
        ["nodejs_compat", "no_nodejs_compat", "experimental", "bogus", "rpc", "rpc"])}
    assert set(probs) == {"compat-flag-conflict", "compat-flag-experimental", "compat-flag-unknown",
                          "compat-flag-duplicate"}
    assert probs["compat-flag-duplicate"].severity == "warning"
    assert not compat.check_flags(["experimental"], experimental=True)


@pytest.mark.parametrize("date,code", [
    ("", "compat-date-missing"), ("2024-02-30", "compat-date-invalid"), ("24-01-01", "compat-date-invalid"),
    ("2024-01-01T00:00", "compat-date-invalid"), ("2999-01-01", "compat-date-future"),
])
def test_check_date(date, code):
    assert compat.check_date(date)[0] == code


def test_newest_supported_date():
    assert compat.NEWEST_SUPPORTED_DATE == "2026-11-24"
    assert compat.check_date("2026-11-25", today="2027-01-01")[0] == "compat-date-unsupported"
    assert compat.check_date("2026-11-24", today="2027-01-01") is None


def test_compat_flags_command():
    code, out, err = run_cli(["compat-flags", "--date", "2022-01-01"])
    text = out.decode()
    assert code == 0, err
    assert "formdata_parser_supports_files" in text and "streams_enable_constructors" not in text
    code, out, _ = run_cli(["compat-flags", "--all"])
    text = out.decode()
    assert code == 0 and "streams_enable_constructors" in text and "experimental" in text
    code, out, err = run_cli(["compat-flags", "--date", "nope"])
    assert code == 1 and "invalid compatibilityDate" in err


def test_compat_flags_default_date_is_today_or_newest():
    code, out, _ = run_cli(["compat-flags"])
    assert code == 0 and min(compat.today_utc(), compat.NEWEST_SUPPORTED_DATE) in out.decode()
