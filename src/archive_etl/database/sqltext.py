"""Quoting for SQL text built in Python (DuckDB dialect)."""

from __future__ import annotations


def identifier(name: str) -> str:
    """A quoted identifier: `"name"`, inner quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    """A SQL literal: strings single-quoted with quotes doubled, numbers as written."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)
