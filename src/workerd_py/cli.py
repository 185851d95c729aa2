"""Command line: `workerd serve|compile|check|test|compat-flags`, following workerd's own flags.

Each subcommand's implementation lives in its layer; this module only parses arguments and maps
user errors to a clear message and exit status (never a Python traceback).
"""
from __future__ import annotations

import argparse
import sys


class UsageError(Exception):
    """A user mistake on the command line or in a config; printed without a traceback."""


def _common(p: argparse.ArgumentParser, const: bool = True) -> None:
    p.add_argument("config", help="config file (.capnp), a binary plan, or - for stdin")
    if const:
        p.add_argument("const", nargs="?", default=None, help="name of the top-level Config constant")
    p.add_argument("-I", "--import-path", action="append", default=[], metavar="DIR",
                   help="add a directory to the capnp import path")
    p.add_argument("-b", "--binary", action="store_true", help="the config is a binary encoded Config")
    p.add_argument("--experimental", action="store_true", help="permit experimental features")
    p.add_argument("--verbose", action="store_true", help="log more")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workerd", description="workerd-py: serve Cloudflare Workers from a workerd config")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("serve", help="run a config or a compiled plan")
    p.add_argument("config", nargs="?", help="config file (.capnp), a binary plan, or - for stdin")
    p.add_argument("const", nargs="?", default=None)
    p.add_argument("-I", "--import-path", action="append", default=[], metavar="DIR")
    p.add_argument("-b", "--binary", action="store_true")
    p.add_argument("--experimental", action="store_true")
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--default", action="store_true", help="serve the embedded default config (samples/helloworld_esm)")
    p.add_argument("-s", "--socket-addr", action="append", default=[], metavar="NAME=ADDR")
    p.add_argument("-S", "--socket-fd", action="append", default=[], metavar="NAME=FD")
    p.add_argument("-d", "--directory-path", action="append", default=[], metavar="NAME=PATH")
    p.add_argument("-e", "--external-addr", action="append", default=[], metavar="NAME=ADDR")
    p.add_argument("-w", "--watch", action="store_true", help="reload changed configs and scripts")
    p.add_argument("--structured-logging", action="store_true", help="log JSON lines")
    p.add_argument("--cpu-limit-ms", type=float, default=None, help="per-request CPU time limit for each worker (default 30000)")
    p.add_argument("--memory-limit-mb", type=float, default=None, help="per-isolate memory limit (default 256)")
    p.add_argument("--js-slice-ms", type=float, default=None,
                   help="longest single synchronous run of JS before it is interrupted, so that other "
                        "workers keep answering (default 50)")
    p.add_argument("--shutdown-timeout", type=float, default=30.0, help="seconds to finish in-flight requests on SIGTERM")

    p = sub.add_parser("compile", help="validate a config and write a binary plan")
    _common(p)
    p.add_argument("-o", "--output", default=None, help="output file (default: stdout)")
    p.add_argument("--config-only", action="store_true", help="accepted for compatibility with workerd")

    p = sub.add_parser("check", help="validate a config (for CI)")
    _common(p)
    p.add_argument("--json", action="store_true", help="print diagnostics as JSON")

    p = sub.add_parser("test", help="run the workers' test() handlers")
    p.add_argument("config")
    p.add_argument("filter", nargs="?", default=None)
    p.add_argument("-I", "--import-path", action="append", default=[], metavar="DIR")
    p.add_argument("-b", "--binary", action="store_true")
    p.add_argument("--experimental", action="store_true")
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--compat-date", default=None)
    p.add_argument("-d", "--directory-path", action="append", default=[], metavar="NAME=PATH")

    p = sub.add_parser("compat-flags", help="print the compatibility flags a date enables")
    p.add_argument("--date", default=None)
    p.add_argument("--all", action="store_true", help="list every known flag")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    # workerd accepts positionals after options (`workerd test cfg -d x=y FILTER`)
    if extra and not any(e.startswith("-") for e in extra):
        for name in ("const", "filter"):
            if len(extra) == 1 and getattr(args, name, "absent") is None:
                setattr(args, name, extra.pop())
    if extra:
        parser.error("unrecognized arguments: " + " ".join(extra))
    if args.version:
        from . import __version__
        print(f"workerd-py {__version__}")
        return 0
    if not args.command:
        parser.print_help()
        return 2
    try:
        if args.command in ("compile", "check", "compat-flags"):
            from .config import commands
            return commands.run(args)
        from .server import commands as server_commands
        return server_commands.run(args)
    except UsageError as e:
        print(f"workerd: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # noqa: BLE001 - never a traceback for the user; --verbose shows it
        if getattr(args, "verbose", False):
            import traceback
            traceback.print_exc()
        print(f"workerd: internal error: {type(e).__name__}: {e} (run with --verbose for details)", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
