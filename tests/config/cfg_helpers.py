"""Helpers for the config layer's tests (imported by the test modules; fixtures are in conftest.py)."""
from __future__ import annotations

import io
import os
import sys
import textwrap
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[2]


HEADER = 'using Workerd = import "/workerd/workerd.capnp";\n'

HELLO_JS = 'export default { async fetch(req, env, ctx) { return new Response("hi"); } };\n'


def worker_config(worker_fields: str = 'compatibilityDate = "2024-01-01",', *, services: str = "",
                  sockets: str = '( name = "http", address = "*:8080", http = (), service = "main" )',
                  modules: str = '(name = "worker", esModule = embed "worker.js")') -> str:
    """A config with one worker "main" (const w) whose fields are `worker_fields`."""
    return HEADER + textwrap.dedent(f"""\
        const config :Workerd.Config = (
          services = [
            (name = "main", worker = .w),
            {services}
          ],
          sockets = [ {sockets} ],
        );

        const w :Workerd.Worker = (
          modules = [ {modules} ],
          {worker_fields}
        );
        """)


def run_cli(argv, stdin: bytes | None = None, cwd: str | None = None):
    """Run `workerd ARGV` in-process. Returns (exit code, stdout text, stderr text)."""
    from workerd_py.cli import main
    out, err = io.StringIO(), io.StringIO()
    out_bin = io.BytesIO()

    class Out(io.TextIOWrapper):
        pass

    old = sys.stdout, sys.stderr, sys.stdin
    old_cwd = os.getcwd()
    stdout = io.TextIOWrapper(out_bin, encoding="utf-8", write_through=True)
    sys.stdout, sys.stderr = stdout, err
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        if cwd:
            os.chdir(cwd)
        try:
            code = main(list(argv))
        except SystemExit as e:  # argparse
            code = e.code if isinstance(e.code, int) else 2
    finally:
        os.chdir(old_cwd)
        sys.stdout, sys.stderr, sys.stdin = old
    stdout.flush()
    return code, out_bin.getvalue(), err.getvalue()


def diags_of(path: str, **kw):
    from workerd_py.config import check
    plan, diags, _ = check(path, **kw)
    return plan, diags


def codes(diags, severity: str | None = "error"):
    return [d.code for d in diags if severity is None or d.severity == severity]
