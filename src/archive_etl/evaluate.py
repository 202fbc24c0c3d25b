"""Scoring the metric extractor against a hand annotation (`make eval`).

The annotation lists every number token of a corpus (`source_file`, `paragraph_no`,
`char_start`, `raw`, `is_metric`, and for metrics `kind`, `value`, `denominator`, `unit`,
`qualifier`, `change`). A predicted metric is a true positive when it starts at an annotated
metric's token and reads the same value and denominator; the other fields are scored
separately, as accuracy over the true positives.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from archive_etl.sources import read_sources, scan
from archive_etl.tables import Tables, build_tables

KEY = ["source_file", "paragraph_no", "char_start"]
FIELDS = ["kind", "unit", "qualifier", "change"]


@dataclass(frozen=True)
class Score:
    """Precision, recall and per-field accuracy, with the rows behind them."""

    true_positives: int
    false_positives: pl.DataFrame
    false_negatives: pl.DataFrame
    field_accuracy: dict[str, float]
    field_errors: pl.DataFrame
    per_file: pl.DataFrame

    @property
    def precision(self) -> float:
        return self.true_positives / max(1, self.true_positives + self.false_positives.height)

    @property
    def recall(self) -> float:
        return self.true_positives / max(1, self.true_positives + self.false_negatives.height)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_annotation(path: Path) -> pl.DataFrame:
    """The annotation CSV with typed columns (empty cells are nulls)."""
    return pl.read_csv(
        path,
        schema_overrides={
            "paragraph_no": pl.Int64,
            "char_start": pl.Int64,
            "value": pl.Float64,
            "denominator": pl.Float64,
            "is_metric": pl.Boolean,
        },
        infer_schema=False,
    )


def predicted_metrics(tables: Tables) -> pl.DataFrame:
    return tables.metric.join(tables.article.select("article_id", "source_file"), on="article_id")


def score(predicted: pl.DataFrame, gold: pl.DataFrame) -> Score:
    """Compare predicted metrics with the annotation (both keyed by file, paragraph, offset)."""
    gold_metrics = gold.filter(pl.col("is_metric"))
    joined = predicted.join(gold_metrics, on=KEY, how="left", suffix="_gold")
    same_number = (pl.col("value") - pl.col("value_gold")).abs().fill_null(1) < 1e-9
    same_denominator = pl.col("denominator").eq_missing(pl.col("denominator_gold"))
    matched = joined.filter(pl.col("raw_gold").is_not_null() & same_number & same_denominator)
    false_positives = joined.join(matched.select(KEY), on=KEY, how="anti").join(
        gold.select(*KEY, "not_metric_reason"), on=KEY, how="left"
    )
    false_negatives = gold_metrics.join(matched.select(KEY), on=KEY, how="anti")
    accuracy = {
        f: matched.select(pl.col(f).eq_missing(pl.col(f"{f}_gold")).mean()).item() if matched.height else 0.0
        for f in FIELDS
    }
    errors = matched.filter(
        pl.any_horizontal(~pl.col(f).eq_missing(pl.col(f"{f}_gold")) for f in FIELDS)
    ).select(*KEY, "raw", *[c for f in FIELDS for c in (f, f"{f}_gold")])
    per_file = (
        gold_metrics.group_by("source_file")
        .agg(annotated=pl.len())
        .join(
            predicted.group_by("source_file").agg(extracted=pl.len()),
            on="source_file",
            how="full",
            coalesce=True,
        )
        .join(matched.group_by("source_file").agg(correct=pl.len()), on="source_file", how="left")
        .fill_null(0)
        .sort("source_file")
    )
    return Score(matched.height, false_positives, false_negatives, accuracy, errors, per_file)


def report(s: Score) -> str:
    lines = [
        f"precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
        f"({s.true_positives} correct, {s.false_positives.height} false positives, "
        f"{s.false_negatives.height} missed)",
        "field accuracy on correct metrics: "
        + ", ".join(f"{f} {a:.3f}" for f, a in s.field_accuracy.items()),
        "",
        str(s.per_file),
    ]
    with pl.Config(tbl_rows=100, fmt_str_lengths=40, tbl_width_chars=160):
        if s.false_positives.height:
            lines += [
                "",
                "false positives:",
                str(s.false_positives.select(*KEY, "raw", "value", "not_metric_reason")),
            ]
        if s.false_negatives.height:
            lines += ["", "missed:", str(s.false_negatives.select(*KEY, "raw", "value", "kind", "note"))]
        if s.field_errors.height:
            lines += ["", "field differences:", str(s.field_errors)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """`python -m archive_etl.evaluate ANNOTATION.csv [INPUT_DIR]`."""
    args = sys.argv[1:] if argv is None else argv
    annotation = Path(args[0]) if args else Path("tests/fixtures/seed_metrics.csv")
    corpus = Path(args[1]) if len(args) > 1 else Path("seeds")
    tables = build_tables(read_sources(scan(corpus)))
    print(report(score(predicted_metrics(tables), read_annotation(annotation))))


if __name__ == "__main__":
    main()
