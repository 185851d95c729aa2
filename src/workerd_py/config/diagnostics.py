"""Diagnostics: what is wrong in a config, where, and how bad."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable


@dataclass(frozen=True)
class Diagnostic:
    """One finding. line/column are 1-based; 0 when unknown (e.g. binary configs)."""
    file: str
    line: int
    column: int
    severity: str  # "error" | "warning"
    code: str      # stable, machine-readable: "ref-unknown-service", "compat-date-future", ...
    message: str

    def format(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {self.message}"

    def to_json(self) -> dict:
        return asdict(self)

    __str__ = format


class ConfigError(Exception):
    """A config that cannot be served. `.diagnostics` lists every finding (errors and warnings)."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.severity == "error"] or self.diagnostics
        super().__init__("\n".join(d.format() for d in errors))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]
