"""The key checks behind `archive-etl validate` and the Dagster key checks, on Parquet files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from archive_etl.archive import keys
from archive_etl.schema import METRIC, PARAGRAPH

PARAGRAPHS = pl.DataFrame(
    {"article_id": ["a", "a", "b", None, "b"], "paragraph_no": [1, 2, 1, 1, 1]},
    schema={"article_id": pl.String, "paragraph_no": pl.Int64},
)
METRICS = pl.DataFrame(
    {"article_id": ["a", "b", "c", None], "paragraph_no": [2, 1, 1, 5]},
    schema={"article_id": pl.String, "paragraph_no": pl.Int64},
)


def _views(tmp_path: Path, **tables: pl.DataFrame) -> tuple[duckdb.DuckDBPyConnection, dict[str, str]]:
    """A key-check connection with each frame written to Parquet and viewed as validate views it."""
    con = keys.connect()
    views = {}
    for name, df in tables.items():
        df.write_parquet(tmp_path / f"{name}.parquet")
        views[name] = keys.table_view(con, name, tmp_path / f"{name}.parquet")
    return con, views


def test_primary_keys_report_repeats_and_nulls_with_their_first_rows(tmp_path: Path) -> None:
    con, views = _views(tmp_path, paragraph=PARAGRAPHS)
    repeated, nulls = keys.primary_key_problems(con, views["paragraph"], PARAGRAPH.primary_key)
    assert (repeated.type, repeated.count) == ("primary-key", 1)
    assert [(r["row_number"], r["article_id"]) for r in repeated.rows] == [(3, "b"), (5, "b")]
    assert (nulls.count, [r["row_number"] for r in nulls.rows]) == (1, [4])


def test_foreign_keys_report_rows_with_no_parent_but_not_nulls(tmp_path: Path) -> None:
    con, views = _views(tmp_path, paragraph=PARAGRAPHS, metric=METRICS)
    fk = METRIC.foreign_keys[0]
    (dangling,) = keys.foreign_key_problems(
        con, views["metric"], fk.fields, views["paragraph"], fk.reference_fields, "paragraph"
    )
    assert dangling.count == 1 and "no match in paragraph" in dangling.message
    assert [(r["row_number"], r["article_id"], r["paragraph_no"]) for r in dangling.rows] == [(3, "c", 1)]


def test_clean_tables_have_nothing_to_report(tmp_path: Path) -> None:
    clean = PARAGRAPHS.drop_nulls().unique(maintain_order=True)
    con, views = _views(tmp_path, paragraph=clean, metric=METRICS.head(2))
    fk = METRIC.foreign_keys[0]
    assert keys.primary_key_problems(con, views["paragraph"], PARAGRAPH.primary_key) == []
    assert (
        keys.foreign_key_problems(
            con, views["metric"], fk.fields, views["paragraph"], fk.reference_fields, "p"
        )
        == []
    )
