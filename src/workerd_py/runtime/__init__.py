"""Isolates, module loading, per-request IO contexts and the job pump. Imports engine/ only."""
