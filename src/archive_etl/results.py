"""Printing query results: a readable table, CSV or JSON (for `archive-etl sql` and the docs)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from rich.console import Console
from rich.table import Table


def plain(value: object) -> object:
    """A JSON- and CSV-friendly version of a DuckDB value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def as_text(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(plain(value))


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[object]], width: int = 90) -> str:
    """A Markdown table, long cells cut to `width` characters."""

    def cell(value: object) -> str:
        text = as_text(value).replace("|", "\\|").replace("\n", " ")
        return text if len(text) <= width else text[: width - 1] + "…"

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def render(columns: Sequence[str], rows: Sequence[Sequence[object]], fmt: str, console: Console) -> None:
    if fmt == "json":
        data = [{c: plain(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        console.print_json(json.dumps(data, ensure_ascii=False))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([as_text(v) if v is not None else "" for v in row] for row in rows)
        console.out(buffer.getvalue(), end="", highlight=False)
    else:
        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*(as_text(v) for v in row))
        console.print(table)
        console.print(f"{len(rows)} row(s)", style="dim")
