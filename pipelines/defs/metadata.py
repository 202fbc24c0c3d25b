"""Materialisation metadata from the one schema definition: row counts, columns, a preview."""

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


def table_metadata(table: Table, df: pl.DataFrame) -> dict[str, object]:
    return {
        "dagster/row_count": df.height,
        "dagster/column_schema": column_schema(table),
        "preview": preview(df),
        "estimated_mb": round(df.estimated_size("mb"), 2),
    }
