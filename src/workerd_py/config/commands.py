"""`workerd compile`, `workerd check` and `workerd compat-flags` (called from workerd_py.cli)."""
from __future__ import annotations

import json
import os
import sys
import tempfile

from .diagnostics import ConfigError, Diagnostic


def run(args) -> int:
    try:
        return _run(args)
    except Exception as e:  # a bug here must still not print a traceback at the user
        print(f"workerd: internal error in {args.command}: {type(e).__name__}: {e} "
              f"(please report this with the config that caused it)", file=sys.stderr)
        return 70


def _run(args) -> int:
    try:
        if args.command == "compile":
            return cmd_compile(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "compat-flags":
            return cmd_compat_flags(args)
    except ConfigError as e:  # pragma: no cover - handled below, kept as a last line
        for d in e.diagnostics:
            print(d.format(), file=sys.stderr)
        return 1
    print(f"workerd: unknown command {args.command}", file=sys.stderr)
    return 2


def _print_diags(diags: list[Diagnostic], stream=None) -> None:
    stream = stream or sys.stderr
    for d in diags:
        print(d.format(), file=stream)


def cmd_compile(args) -> int:
    from . import check
    plan, diags, loaded = check(args.config, args.const, args.import_path, args.binary, args.experimental)
    _print_diags(diags)
    if plan is None:
        return 1
    data = loaded.data
    out = args.output
    if out is None or out == "-":
        if sys.stdout.isatty():
            print("workerd: refusing to write a binary plan to a terminal; use -o plan.bin",
                  file=sys.stderr)
            return 1
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        folder = os.path.dirname(os.path.abspath(out))
        fd, tmp = tempfile.mkstemp(prefix=".plan-", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except OSError as e:
        print(f"workerd: cannot write {out}: {e.strerror or e}", file=sys.stderr)
        return 1
    return 0


def cmd_check(args) -> int:
    from . import check
    plan, diags, _ = check(args.config, args.const, args.import_path, args.binary, args.experimental)
    if args.json:
        print(json.dumps([d.to_json() for d in diags], indent=2))
    else:
        _print_diags(diags, sys.stdout)
        errors = sum(1 for d in diags if d.severity == "error")
        warnings = len(diags) - errors
        if errors or warnings:
            print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 0 if plan is not None else 1


def cmd_compat_flags(args) -> int:
    from . import compat
    date = args.date or min(compat.today_utc(), compat.NEWEST_SUPPORTED_DATE)
    if args.date:
        prob = compat.check_date(args.date)
        if prob and prob[0] in ("compat-date-invalid", "compat-date-missing"):
            print(f"workerd: {prob[1]}", file=sys.stderr)
            return 1
        if prob:
            print(f"workerd: warning: {prob[1]}", file=sys.stderr)
    rows = compat.describe(date)
    if args.all:
        print(f"# compatibility flags (date {date}): state, flag, disable flag, enable date, notes")
        for f, on in rows:
            if not f.enable_flag and not f.disable_flag:
                continue
            notes = []
            if f.experimental:
                notes.append("experimental")
            for imp in f.implied_by:
                notes.append(f"implied by {' or '.join(imp.fields)} after {imp.date}")
            print("\t".join([("on " if on else "off"), f.enable_flag or "-", f.disable_flag or "-",
                             f.enable_date or "-", "; ".join(notes)]))
        return 0
    print(f"# flags enabled by compatibilityDate = \"{date}\" (enable date, flag, disable with)")
    for f, on in rows:
        if on and f.enable_flag:
            print(f"{f.enable_date or '-':10}  {f.enable_flag}" + (f"  (disable: {f.disable_flag})"
                                                                   if f.disable_flag else ""))
    return 0
