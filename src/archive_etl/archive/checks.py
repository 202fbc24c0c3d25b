"""Integrity checks on built tables, as pure Polars functions (the Dagster asset checks call them).

Each returns the offending rows, so an empty frame means the check passed.
"""

from __future__ import annotations

import polars as pl

from archive_etl.schema import Table

# A percentage this large is a reading error far more often than a fact.
MAX_PLAUSIBLE_PERCENT = 1000


def duplicate_keys(df: pl.DataFrame, table: Table) -> pl.DataFrame:
    """Rows whose primary key is null or repeated."""
    keys = list(table.primary_key)
    nulls = df.filter(pl.any_horizontal(pl.col(k).is_null() for k in keys))
    repeated = df.filter(pl.struct(keys).is_duplicated())
    return pl.concat([nulls, repeated]).select(keys).unique(maintain_order=True)


def dangling_keys(child: pl.DataFrame, parent: pl.DataFrame, table: Table) -> pl.DataFrame:
    """Child rows whose foreign keys (of `table`) match no parent row (null keys excepted)."""
    out = []
    for fk in table.foreign_keys:
        present = child.drop_nulls(list(fk.fields))
        missing = present.join(
            parent.select(list(fk.reference_fields)).unique(),
            left_on=list(fk.fields),
            right_on=list(fk.reference_fields),
            how="anti",
        )
        out.append(missing.select(list(fk.fields)))
    return pl.concat(out) if out else child.clear()


def unaccounted_inputs(entries: pl.DataFrame, source_file: pl.DataFrame) -> pl.DataFrame:
    """Input entries missing from source_file, and rows not articles that give no reason."""
    missing = entries.join(source_file, on="source_file", how="anti").select(
        "source_file", problem=pl.lit("not in source_file")
    )
    silent = source_file.filter((pl.col("status") != "article") & pl.col("reason").is_null()).select(
        "source_file", problem=pl.lit("no reason given")
    )
    return pl.concat([missing, silent])


def metric_outliers(metric: pl.DataFrame) -> pl.DataFrame:
    """Metrics that are probably misread: huge percentages, ratios above their whole."""
    return metric.filter(
        ((pl.col("kind") == "percent") & (pl.col("value") > MAX_PLAUSIBLE_PERCENT))
        | ((pl.col("kind") == "ratio") & (pl.col("value") > pl.col("denominator")))
    ).select("metric_id", "raw", "kind", "value", "denominator", "subject")


def header_warnings(article: pl.DataFrame) -> pl.DataFrame:
    """(source_file, warning) of every article whose header had a value that could not be read."""
    return article.filter(pl.col("warning").is_not_null()).select("source_file", "warning")
