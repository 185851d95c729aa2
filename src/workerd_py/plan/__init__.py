"""Frozen dataclasses built from a validated config; see README.md and model.py.

The server and runtime import from here only; they never see capnp readers. Build a Plan with
`workerd_py.config.load_plan(path, ...)`.
"""
from .model import *  # noqa: F401,F403
from .model import __all__  # noqa: F401
