"""Integrity checks on built tables that no validator makes, as pure Polars functions (the
Dagster asset checks call them; keys are checked in DuckDB, by `archive.keys`).

Each takes frames or lazy frames (`pl.scan_parquet` of only the columns it needs) and returns the
offending rows, so an empty frame means the check passed. Lazy inputs run on Polars' streaming
engine, which keeps a large archive's scans in bounded memory.
"""

from __future__ import annotations

import polars as pl

# A percentage this large is a reading error far more often than a fact.
MAX_PLAUSIBLE_PERCENT = 1000


Frame = pl.DataFrame | pl.LazyFrame


def _collect(lf: pl.LazyFrame) -> pl.DataFrame:
    return lf.collect(engine="streaming")


def unaccounted_inputs(entries: Frame, source_file: Frame) -> pl.DataFrame:
    """Input entries missing from source_file, and rows not articles that give no reason."""
    missing = (
        entries.lazy()
        .join(source_file.lazy(), on="source_file", how="anti")
        .select("source_file", problem=pl.lit("not in source_file"))
    )
    silent = (
        source_file.lazy()
        .filter((pl.col("status") != "article") & pl.col("reason").is_null())
        .select("source_file", problem=pl.lit("no reason given"))
    )
    return _collect(pl.concat([missing, silent]))


def metric_outliers(metric: Frame) -> pl.DataFrame:
    """Metrics that are probably misread: huge percentages, ratios above their whole."""
    return _collect(
        metric.lazy()
        .filter(
            ((pl.col("kind") == "percent") & (pl.col("value") > MAX_PLAUSIBLE_PERCENT))
            | ((pl.col("kind") == "ratio") & (pl.col("value") > pl.col("denominator")))
        )
        .select("metric_id", "raw", "kind", "value", "denominator", "subject")
    )


def header_warnings(article: Frame) -> pl.DataFrame:
    """(source_file, warning) of every article whose header had a value that could not be read."""
    return _collect(article.lazy().filter(pl.col("warning").is_not_null()).select("source_file", "warning"))
