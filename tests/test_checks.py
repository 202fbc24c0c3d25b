"""The integrity checks behind the asset checks, on frames and on lazy scans alike."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from archive_etl.archive.checks import dangling_keys, duplicate_keys
from archive_etl.schema import METRIC, PARAGRAPH

PARAGRAPHS = pl.DataFrame(
    {"article_id": ["a", "a", "b", None, "b"], "paragraph_no": [1, 2, 1, 1, 1]},
    schema={"article_id": pl.String, "paragraph_no": pl.Int64},
)
METRICS = pl.DataFrame(
    {"article_id": ["a", "b", "c", None], "paragraph_no": [2, 1, 1, 5]},
    schema={"article_id": pl.String, "paragraph_no": pl.Int64},
)


@pytest.fixture(params=["frame", "scan"])
def as_input(request: pytest.FixtureRequest, tmp_path: Path):
    def convert(df: pl.DataFrame, name: str) -> pl.DataFrame | pl.LazyFrame:
        if request.param == "frame":
            return df
        df.write_parquet(tmp_path / f"{name}.parquet")
        return pl.scan_parquet(tmp_path / f"{name}.parquet")

    return convert


def test_duplicate_keys_lists_each_null_or_repeated_key_once(as_input) -> None:
    bad = duplicate_keys(as_input(PARAGRAPHS, "paragraph"), PARAGRAPH)
    assert bad.rows() == [("b", 1), (None, 1)]


def test_dangling_keys_lists_foreign_keys_with_no_parent_but_not_nulls(as_input) -> None:
    bad = dangling_keys(as_input(METRICS, "metric"), as_input(PARAGRAPHS, "paragraph"), METRIC)
    assert bad.rows() == [("c", 1)]


def test_clean_tables_have_nothing_to_report(as_input) -> None:
    clean = PARAGRAPHS.drop_nulls().unique()
    assert duplicate_keys(as_input(clean, "paragraph"), PARAGRAPH).is_empty()
    assert dangling_keys(as_input(METRICS.head(2), "metric"), as_input(clean, "paragraph"), METRIC).is_empty()
