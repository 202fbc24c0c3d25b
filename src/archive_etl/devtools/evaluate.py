"""Scoring the metric extractor against hand annotations (`make eval`).

Two kinds of annotation:
- the seeds' CSV lists every number token (`source_file`, `paragraph_no`, `char_start`, `raw`,
  `is_metric`, and for metrics `kind`, `value`, `denominator`, `unit`, `qualifier`, `change`).
  A predicted metric is a true positive when it starts at an annotated metric's token and reads
  the same value and denominator;
- a gold folder of real text (`files.txt`, `text/<file>`, `labels/<file>.jsonl`, labelled by
  `../shared/realdev/gold/GUIDE.md`: every number token, the value as written with its scale
  word, each end of a range on its own). A predicted metric matches an unused gold metric of the
  same line whose value is the same, as written or with the scale applied; a range row matches
  up to two, by `value` and `value_high`. Gold tokens marked not `required` are neither demanded
  nor penalised. This is the rule of `../shared/realdev/score.py`, except that compound scale
  words ("nghìn tỷ") and "vạn" are applied too.
Fields are scored separately, as accuracy over the true positives.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from archive_etl.build.tables import Tables, build_tables
from archive_etl.parse.lexicon import SCALES
from archive_etl.read.sources import read_sources, scan

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


# The text of a gold label, folded for comparison: lowercase, tone marks off, "đ" as "d".
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _loose(text: str | None) -> str | None:
    if text is None:
        return None
    folded = "".join(
        c for c in unicodedata.normalize("NFD", " ".join(text.lower().split())) if c not in _TONES
    )
    return unicodedata.normalize("NFC", folded).replace("đ", "d")


def unit_matches(predicted: str | None, gold: str | None, scale: str | None) -> bool:
    """Units agree: the same head noun, the scale word written or not ("tỷ đồng" / "đồng")."""
    if gold is None:
        return predicted is None or _loose(predicted) == _loose(scale)
    if predicted is None:
        return False
    p, g = _loose(predicted) or "", _loose(gold) or ""
    if g in ("%", "phan tram"):
        return p.startswith("%")
    candidates = {g, g.split()[0]}
    if scale and g.startswith(_loose(scale) or ""):
        rest = g[len(_loose(scale) or "") :].strip()
        if rest:
            candidates |= {rest, rest.split()[0]}
    return p in candidates or p.split()[0] in candidates


@dataclass
class GoldScore:
    """Precision and recall over required gold metrics, and field accuracy on the matches."""

    name: str
    files: int
    right: int = 0
    false: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    found: int = 0
    required: int = 0
    fields: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    field_errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / max(1, self.right + len(self.false))

    @property
    def recall(self) -> float:
        return self.found / max(1, self.required)

    def accuracy(self, name: str) -> float:
        good, total = self.fields[name]
        return good / max(1, total)

    def summary(self) -> str:
        fields = ", ".join(f"{f} {self.accuracy(f):.3f} ({g}/{n})" for f, (g, n) in self.fields.items())
        return (
            f"{self.name} ({self.files} files): precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"({self.right} right, {len(self.false)} false, {self.found} of {self.required} gold found); "
            f"field accuracy: {fields}"
        )


def _value_matches(value: float, gold: dict[str, object]) -> bool:
    written = float(gold["value"])  # type: ignore[arg-type]
    scaled = written * SCALES.get(str(gold.get("scale") or ""), 1.0)
    return abs(value - written) < 1e-6 or abs(value - scaled) < 1e-3 * max(1.0, scaled)


def score_gold(gold_dir: Path, name: str | None = None) -> GoldScore:
    """Build the gold folder's texts and score their metrics against the labels."""
    files = (gold_dir / "files.txt").read_text(encoding="utf-8").split()
    tables = build_tables(read_sources(scan(gold_dir / "text")))
    metrics = tables.metric.join(
        tables.paragraph.select("article_id", "paragraph_no", "line_no"), on=["article_id", "paragraph_no"]
    ).join(tables.article.select("article_id", "source_file"), on="article_id")
    result = GoldScore(name or gold_dir.name, len(files))
    for file in files:
        labels = [
            json.loads(line)
            for line in (gold_dir / "labels" / f"{file}.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        by_line: dict[int, list[dict[str, object]]] = defaultdict(list)
        for label in labels:
            by_line[int(label["line"])].append(label)
        result.required += sum(1 for g in labels if g["metric"] and g["required"])
        used: set[int] = set()
        rows = (
            metrics.filter(pl.col("source_file") == file).sort("line_no", "char_start").iter_rows(named=True)
        )
        for m in rows:
            here = [g for g in by_line[m["line_no"]] if g["metric"] and id(g) not in used]
            hit = next((g for g in here if _value_matches(m["value"], g)), None)
            high = None
            if m["value_high"] is not None:
                high = next((g for g in here if g is not hit and _value_matches(m["value_high"], g)), None)
            where = f"{file}:{m['line_no']} {m['raw']!r}"
            if hit is None and high is None:
                not_metric = [g for g in by_line[m["line_no"]] if not g["metric"]]
                if not any(not g["required"] and str(g["token"]) in m["raw"] for g in not_metric):
                    result.false.append(f"{where} -> {m['value']} {m['unit']} {m['kind']}")
                continue
            result.right += 1
            for g in (hit, high):
                if g is not None:
                    used.add(id(g))
                    result.found += bool(g["required"])
            main = hit or high
            assert main is not None
            if not main["required"]:
                continue
            for fname, ok in (
                ("unit", unit_matches(m["unit"], main.get("unit"), main.get("scale"))),  # type: ignore[arg-type]
                ("kind", m["kind"] == main.get("kind")),
                ("qualifier", m["qualifier"] == main.get("qualifier")),
                ("change", m["change"] == main.get("change")),
            ):
                result.fields[fname][0] += ok
                result.fields[fname][1] += 1
                if not ok:
                    result.field_errors.append(f"{where} {fname}: {m[fname]!r}, gold {main.get(fname)!r}")
        for g in labels:
            if g["metric"] and g["required"] and id(g) not in used:
                result.missed.append(f"{file}:{g['line']} {g['token']} {g.get('unit')} ({g.get('kind')})")
    return result


def gold_report(s: GoldScore, show: bool = False) -> str:
    lines = [s.summary()]
    if show:
        for title, items in (("false", s.false), ("missed", s.missed), ("fields", s.field_errors)):
            lines += [f"  {title}:", *(f"    {item}" for item in items)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """`python -m archive_etl.devtools.evaluate ANNOTATION.csv [INPUT_DIR] [--gold DIR ...] [--show]`."""
    args = sys.argv[1:] if argv is None else list(argv)
    show = "--show" in args
    args = [a for a in args if a != "--show"]
    golds: list[Path] = []
    while "--gold" in args:
        at = args.index("--gold")
        golds.append(Path(args[at + 1]))
        del args[at : at + 2]
    annotation = Path(args[0]) if args else Path("tests/fixtures/seed_metrics.csv")
    corpus = Path(args[1]) if len(args) > 1 else Path("seeds")
    tables = build_tables(read_sources(scan(corpus)))
    print(f"== seeds: {annotation}")
    print(report(score(predicted_metrics(tables), read_annotation(annotation))))
    for gold in golds:
        if (gold / "files.txt").is_file():
            print(f"\n== {gold}")
            print(gold_report(score_gold(gold, str(gold)), show))
        else:
            print(f"\n== {gold}: not here, skipped")


if __name__ == "__main__":
    main()
