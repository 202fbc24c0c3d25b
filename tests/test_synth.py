"""`archive-etl synth`: a deterministic corpus that the build reads like the seeds."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from archive_etl.sources import read_sources, scan
from archive_etl.synth import synthesise
from archive_etl.tables import build_tables


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a = synthesise(20, tmp_path / "a", seed=7)
    b = synthesise(20, tmp_path / "b", seed=7)
    c = synthesise(20, tmp_path / "c", seed=8)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]


def test_corpus_looks_like_the_seeds_to_the_parser(tmp_path: Path) -> None:
    paths = synthesise(200, tmp_path / "in", seed=1)
    sizes = [p.stat().st_size for p in paths]
    assert 8_000 <= sum(sizes) / len(sizes) <= 11_000
    t = build_tables(read_sources(scan(tmp_path / "in")))
    assert t.article.height == 200
    formats = t.article["header_format"].value_counts().sort("header_format")
    assert dict(formats.iter_rows()) == {"A": formats["count"][0], "B": formats["count"][1]}
    assert t.article.filter(pl.col("header_format") == "B")["author"].null_count() == 0
    assert t.article["published_at"].null_count() == 0
    kinds = set(t.paragraph["kind"].unique())
    assert {"caption", "list_item", "byline", "boilerplate", "lead", "dateline"} <= kinds
    assert t.metric.height > 10 * t.article.height
