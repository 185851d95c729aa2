"""Loading, validating and compiling workerd configs (see README.md).

    from workerd_py.config import load_plan, ConfigError
    plan = load_plan("config.capnp")            # -> workerd_py.plan.Plan, or raises ConfigError

pycapnp readers never leave this package: everything downstream gets a `workerd_py.plan.Plan`.
"""
from __future__ import annotations

from typing import Optional, Sequence

from .diagnostics import ConfigError, Diagnostic

__all__ = ["load_plan", "check", "compile_config", "ConfigError", "Diagnostic"]


def check(path: str, const: Optional[str] = None, import_paths: Sequence[str] = (),
          binary: bool = False, experimental: bool = False, **kw):
    """Validate a config. Returns (plan or None, diagnostics, loaded or None); never raises
    ConfigError (load failures come back as diagnostics)."""
    from . import loader
    try:
        loaded = loader.load(path, const, import_paths, binary, build=dict(experimental=experimental, **kw))
    except ConfigError as e:
        return None, e.diagnostics, None
    return loaded.plan, loaded.diags, loaded


def load_plan(path: str, const: Optional[str] = None, import_paths: Sequence[str] = (),
              binary: bool = False, experimental: bool = False, *,
              default_compatibility_date: Optional[str] = None, **kw):
    """Load, validate and build the Plan of a config. Raises ConfigError (with .diagnostics).

    Warnings do not fail; they are in plan.warnings (formatted lines) for the caller to log.
    default_compatibility_date applies to workers that set none (`workerd test --compat-date`).
    """
    plan, diags, _ = check(path, const, import_paths, binary, experimental,
                           default_compatibility_date=default_compatibility_date, **kw)
    if plan is None:
        raise ConfigError(diags)
    return plan


def compile_config(path: str, const: Optional[str] = None, import_paths: Sequence[str] = (),
                   binary: bool = False, experimental: bool = False, **kw):
    """Validate and return (framed Config message bytes, diagnostics). Raises ConfigError."""
    plan, diags, loaded = check(path, const, import_paths, binary, experimental, **kw)
    if plan is None:
        raise ConfigError(diags)
    return loaded.data, diags
