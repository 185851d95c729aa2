"""Compatibility dates and flags, as data (data/compat-flags.tsv) with workerd's resolution rules.

A flag is ON when its enable flag is listed, or when the date is >= its enable date and its disable
flag is not listed. Then implications apply (repeated to a fixed point): a flag implied by another
flag after a date is ON when that flag is ON and the date is >= the implication date, unless its
own disable flag is listed. Unknown flags, an enable flag together with its disable flag, and
experimental flags without --experimental are errors.

Resolved flags are named by their enable flag (e.g. "nodejs_compat"); a field without an enable
flag (obsolete ones) is named by its field name.
"""
from __future__ import annotations

import functools

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional

#: The newest compatibility date this implementation supports (like workerd 2026-11-17).
NEWEST_SUPPORTED_DATE = "2026-11-24"

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Implication:
    fields: tuple[str, ...]  # implying field names (any of them)
    date: str


@dataclass(frozen=True)
class Flag:
    ordinal: int
    field: str
    enable_flag: Optional[str]
    disable_flag: Optional[str]
    enable_date: Optional[str]
    implied_by: tuple[Implication, ...]
    experimental: bool

    @property
    def name(self) -> str:
        return self.enable_flag or self.field


_IMPLIED_RE = re.compile(r"\$impliedByAfterDate\(([^)]*)\)")
_NAME_RE = re.compile(r'names?\s*=\s*(\[[^\]]*\]|"[^"]*")')
_IDATE_RE = re.compile(r'date\s*=\s*"([^"]*)"')


def _parse_implied(text: str) -> tuple[Implication, ...]:
    text = text.strip().strip('"').replace('\\"', '"')
    out = []
    for m in _IMPLIED_RE.finditer(text):
        args = m.group(1)
        nm = _NAME_RE.search(args)
        dm = _IDATE_RE.search(args)
        if not nm or not dm:
            continue
        names = tuple(re.findall(r'"([^"]*)"', nm.group(1)))
        out.append(Implication(names, dm.group(1)))
    return tuple(out)


@lru_cache(maxsize=1)
def flags() -> tuple[Flag, ...]:
    """The flag table, in file order."""
    text = resources.files(__package__).joinpath("data/compat-flags.tsv").read_text("utf-8")
    out = []
    header_seen = False
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            header_seen = True
            if cols[0] == "ordinal":
                continue
        cols += [""] * (7 - len(cols))
        ordinal, fld, en, dis, date, implied, exp = cols[:7]
        out.append(Flag(int(ordinal), fld, en or None, dis or None, date or None,
                        _parse_implied(implied), exp.strip() == "yes"))
    return tuple(out)


@lru_cache(maxsize=1)
def _by_name() -> dict[str, tuple[Flag, bool]]:
    """flag name -> (Flag, is_enable_flag)."""
    d: dict[str, tuple[Flag, bool]] = {}
    for f in flags():
        if f.enable_flag:
            d.setdefault(f.enable_flag, (f, True))
        if f.disable_flag:
            d.setdefault(f.disable_flag, (f, False))
    return d


def lookup(name: str) -> Optional[tuple[Flag, bool]]:
    return _by_name().get(name)


def today_utc() -> str:
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def check_date(date: str, *, today: Optional[str] = None,
               newest: str = NEWEST_SUPPORTED_DATE) -> Optional[tuple[str, str]]:
    """None when the date is acceptable, else (code, message)."""
    if not date:
        return ("compat-date-missing", "no compatibilityDate given")
    m = _DATE_RE.match(date)
    valid = False
    if m:
        try:
            datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            valid = True
        except ValueError:
            pass
    if not valid:
        return ("compat-date-invalid",
                f'invalid compatibilityDate "{date}": expected YYYY-MM-DD, a real calendar date')
    today = today or today_utc()
    if date > today:
        return ("compat-date-future",
                f'compatibilityDate "{date}" is in the future (today is {today} UTC)')
    if date > newest:
        return ("compat-date-unsupported",
                f'compatibilityDate "{date}" is newer than the newest date supported by workerd-py, '
                f'"{newest}"')
    return None


@dataclass
class FlagProblem:
    code: str
    message: str
    flag: str  # the flag (as written) the message is about
    severity: str = "error"


def check_flags(listed: Iterable[str], *, experimental: bool = False,
                date: Optional[str] = None) -> list[FlagProblem]:
    problems: list[FlagProblem] = []
    listed = list(listed)
    seen: set[str] = set()
    present = set(listed)
    for name in listed:
        if name in seen:
            problems.append(FlagProblem("compat-flag-duplicate",
                                        f'compatibility flag "{name}" is listed more than once',
                                        name, "warning"))
            continue
        seen.add(name)
        hit = lookup(name)
        if hit is None:
            sugg = _suggest(name)
            more = f' (did you mean "{sugg}"?)' if sugg else ""
            problems.append(FlagProblem("compat-flag-unknown",
                                        f'unknown compatibility flag "{name}"{more}', name))
            continue
        flag, is_enable = hit
        if is_enable and flag.disable_flag and flag.disable_flag in present:
            problems.append(FlagProblem(
                "compat-flag-conflict",
                f'compatibility flags "{name}" and "{flag.disable_flag}" contradict each other: '
                f'list at most one of them', name))
        if is_enable and date and flag.enable_date and date >= flag.enable_date:
            problems.append(FlagProblem(
                "compat-flag-redundant",
                f'compatibility flag "{name}" became the default as of {flag.enable_date}, so it '
                f'does not need to be listed', name, "warning"))
        if is_enable and flag.experimental and not experimental:
            problems.append(FlagProblem(
                "compat-flag-experimental",
                f'compatibility flag "{name}" is experimental and may change or be removed; '
                f'pass --experimental to use it', name))
    return problems


def _suggest(name: str) -> Optional[str]:
    import difflib
    m = difflib.get_close_matches(name, list(_by_name().keys()), n=1, cutoff=0.8)
    return m[0] if m else None


def resolve(date: str, listed: Iterable[str]) -> frozenset[str]:
    """The set of enabled flags (by name) for a date and the flags listed in the config.
    Unknown names are ignored here (check_flags reports them)."""
    return _resolve(date, frozenset(listed))


@functools.lru_cache(maxsize=256)
def _resolve(date: str, listed: frozenset) -> frozenset[str]:
    # configs with many workers mostly share a date and flags: resolve each combination once
    on: dict[str, bool] = {}
    for f in flags():
        by_enable = f.enable_flag is not None and f.enable_flag in listed
        by_disable = f.disable_flag is not None and f.disable_flag in listed
        value = by_enable or (f.enable_date is not None and bool(date) and date >= f.enable_date
                              and not by_disable)
        on[f.field] = value
    changed = True
    rounds = 0
    while changed and rounds < 50:
        changed = False
        rounds += 1
        for f in flags():
            if on[f.field] or not f.implied_by:
                continue
            if f.disable_flag is not None and f.disable_flag in listed:
                continue
            for imp in f.implied_by:
                if date and date >= imp.date and any(on.get(x, False) for x in imp.fields):
                    on[f.field] = True
                    changed = True
                    break
    return frozenset(f.name for f in flags() if on[f.field])


def describe(date: str, listed: Iterable[str] = ()) -> list[tuple[Flag, bool]]:
    """(flag, enabled) for every flag, for `workerd compat-flags`."""
    enabled = resolve(date, listed)
    return [(f, f.name in enabled) for f in flags()]
