"""Materialisation metadata from the one schema definition: row counts, columns, a preview."""

from pathlib import Path

import polars as pl
from dagster import MetadataValue, TableColumn, TableColumnConstraints, TableSchema

from archive_etl.results import markdown_table
from archive_etl.schema import Table

PREVIEW_ROWS = 5


def column_schema(table: Table) -> TableSchema:
    """The Dagster column schema of a table, with each column's description and constraints."""
    columns = []
    for f in table.fields:
        other = []
        if f.enum:
            other.append("one of " + ", ".join(f.enum))
        if f.pattern:
            other.append(f"matches {f.pattern}")
        if f.minimum is not None:
            other.append(f">= {f.minimum}")
        if f.maximum is not None:
            other.append(f"<= {f.maximum}")
        constraints = TableColumnConstraints(nullable=not f.required, unique=f.unique, other=other)
        columns.append(TableColumn(f.name, f.type, description=f.description, constraints=constraints))
    return TableSchema(columns=columns)


def markdown(df: pl.DataFrame, **options: int) -> MetadataValue:
    """A frame as a Markdown table for the UI (`options` as for `markdown_table`)."""
    return MetadataValue.md(markdown_table(df.columns, df.rows(), **options))


def preview(df: pl.DataFrame, rows: int = PREVIEW_ROWS) -> MetadataValue:
    return markdown(df.head(rows), width=60)


def file_table_metadata(table: Table, path: Path) -> dict[str, object]:
    """Row count, columns, a preview and the size of a table written to `path` (read lazily:
    the first rows only)."""
    return {
        "dagster/row_count": pl.scan_parquet(path).select(pl.len()).collect().item(),
        "dagster/column_schema": column_schema(table),
        "preview": preview(pl.scan_parquet(path).head(PREVIEW_ROWS).collect()),
        "mb": round(path.stat().st_size / 1e6, 3),
        "path": MetadataValue.path(str(path)),
    }
