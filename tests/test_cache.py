"""Incremental parsing: only new or changed texts are parsed again; the result is the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive_etl import cache
from archive_etl.build import build
from archive_etl.sources import read_sources, scan
from archive_etl.tables import build_tables
from conftest import SEEDS


def test_second_build_reuses_every_bucket_and_gives_the_same_tables(tmp_path: Path) -> None:
    first = build(SEEDS, tmp_path / "a", cache_dir=tmp_path / "cache")
    second = build(SEEDS, tmp_path / "b", cache_dir=tmp_path / "cache")
    assert first.cache.articles_parsed == 5 and first.cache.articles_reused == 0
    assert second.cache.articles_parsed == 0 and second.cache.articles_reused == 5
    uncached = build_tables(read_sources(scan(SEEDS)))
    for (table, cached), (_, fresh) in zip(second.tables.items(), uncached.items(), strict=True):
        keys = list(table.primary_key)
        assert cached.sort(keys).equals(fresh.sort(keys)), table.name
    assert (tmp_path / "a" / "metric.parquet").read_bytes() == (
        tmp_path / "b" / "metric.parquet"
    ).read_bytes()


def test_a_new_file_parses_only_its_bucket(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    shutil.copytree(SEEDS, corpus)
    build(corpus, tmp_path / "pkg", cache_dir=tmp_path / "cache")
    (corpus / "new.txt").write_text("Tin mới\n\nPhường có 1.200 hộ, đạt 98,5%.", encoding="utf-8")
    result = build(corpus, tmp_path / "pkg", cache_dir=tmp_path / "cache")
    assert result.cache.buckets_parsed == 1
    assert result.cache.articles_reused >= 3
    assert result.tables.article.height == 6
    assert result.tables.metric.filter(result.tables.metric["raw"] == "98,5%").height == 1


def test_a_new_parser_version_parses_everything_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(SEEDS, tmp_path / "pkg", cache_dir=tmp_path / "cache")
    monkeypatch.setattr(cache, "parser_version", lambda: "another-parser")
    result = build(SEEDS, tmp_path / "pkg", cache_dir=tmp_path / "cache")
    assert result.cache.articles_parsed == 5 and result.cache.articles_reused == 0
    assert len(list((tmp_path / "cache").glob("*.parquet"))) == 3 * result.cache.buckets_parsed


def test_parser_version_follows_the_code() -> None:
    assert cache.parser_version() == cache.parser_version()
    assert len(cache.parser_version()) == 16
