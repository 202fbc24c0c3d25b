"""Incremental parsing: only new or changed texts are parsed again; the result is the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from archive_etl import resources
from archive_etl.build import build, cache
from archive_etl.build.tables import Tables
from archive_etl.parse.texts import PARSED_PARTS
from archive_etl.read import index, sources
from archive_etl.read.decode import Decoded
from archive_etl.schema import TABLES
from conftest import NEW_ARTICLE, SEEDS


def test_second_build_reuses_every_bucket_and_gives_the_same_tables(
    tmp_path: Path, seed_tables: Tables
) -> None:
    first = build(SEEDS, tmp_path / "a", cache_dir=tmp_path / "cache")
    second = build(SEEDS, tmp_path / "b", cache_dir=tmp_path / "cache")
    assert first.cache.articles_parsed == 5 and first.cache.articles_reused == 0
    assert second.cache.articles_parsed == 0 and second.cache.articles_reused == 5
    for (table, cached), (_, fresh) in zip(second.tables.items(), seed_tables.items(), strict=True):
        assert cached.equals(fresh), table.name
    assert (tmp_path / "a" / "metric.parquet").read_bytes() == (
        tmp_path / "b" / "metric.parquet"
    ).read_bytes()


def test_a_new_file_parses_only_its_bucket(corpus: Path, tmp_path: Path) -> None:
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
    entries = list((tmp_path / "cache").glob("*.parquet"))
    assert len(entries) == len(PARSED_PARTS) * result.cache.buckets_parsed


def test_each_stage_version_follows_its_own_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A change to parse/ makes a new parse version and leaves the read version; and back."""
    copy = tmp_path / "archive_etl"
    shutil.copytree(resources.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(resources, "PACKAGE_DIR", copy)
    parse, read = resources.code_version("parse", "schema"), resources.code_version("read")
    assert parse == cache.parser_version() and len(parse) == 16
    with (copy / "parse" / "metrics.py").open("a") as f:
        f.write("\n# a change\n")
    assert resources.code_version("parse", "schema") != parse
    assert resources.code_version("read") == read
    with (copy / "read" / "decode.py").open("a") as f:
        f.write("\n# a change\n")
    assert resources.code_version("read") != read


def test_the_source_index_spares_reading_unchanged_files(corpus: Path, tmp_path: Path) -> None:
    """With a cache, only new or changed files are read; the package is the same as without."""
    cache = tmp_path / "cache"
    first = build(corpus, tmp_path / "a", cache_dir=cache)
    assert first.files_read == 5
    (corpus / "moi.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    second = build(corpus, tmp_path / "b", cache_dir=cache)
    assert second.files_read == 1
    assert second.cache is not None and second.cache.articles_parsed == 1
    plain = build(corpus, tmp_path / "plain")
    for table in TABLES:
        assert (second.output / table.path).read_bytes() == (plain.output / table.path).read_bytes()


def test_a_changed_file_is_read_again_and_its_bucket_reparsed_from_disk(tmp_path: Path) -> None:
    """A bucket to parse again needs the texts of its unchanged files too: they are re-read."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(40):  # 40 short articles: several share each of the 16 buckets
        (corpus / f"{i:02d}.txt").write_text(f"Tin số {i}\n\nXã có {i + 10} hộ gia đình.", encoding="utf-8")
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "a", cache_dir=cache)
    (corpus / "07.txt").write_text("Tin số 7, sửa lại\n\nXã có 99 hộ gia đình.", encoding="utf-8")
    again = build(corpus, tmp_path / "b", cache_dir=cache)
    assert again.files_read == 1
    assert again.cache is not None and again.cache.articles_parsed > 1  # its bucket-mates too
    plain = build(corpus, tmp_path / "plain")
    for table in TABLES:
        assert (again.output / table.path).read_bytes() == (plain.output / table.path).read_bytes()


def test_a_decoder_change_changes_a_cached_build_as_it_changes_an_uncached_one(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The source index is keyed by the read stage's version: a new decoder reads every file
    again, so the cached build gives what a build without the cache gives, and never fails."""
    (corpus / "legacy.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    before = build(corpus, tmp_path / "cached", cache_dir=tmp_path / "cache")
    assert before.count("rejected") == 1

    seed = "003_249a505a986ba66b.txt"
    real_decode = sources.decode

    def new_decoder(data: bytes) -> Decoded:
        """Rejects what was rejected and what it was told to; changes one text."""
        decoded = real_decode(data)
        if data == (corpus / seed).read_bytes():
            return Decoded(decoded.text.replace("Quận ủy", "Quận uỷ"), "UTF-8 (new decoder)", None, False)
        if data.startswith(b"\x89PNG"):
            return Decoded("Tin tức\n\nTrang nhị phân\nThân bài.", "binary (new decoder)", None, False)
        return decoded

    monkeypatch.setattr(sources, "decode", new_decoder)
    monkeypatch.setattr(index, "read_version", lambda: "a-new-read-stage")
    cached = build(corpus, tmp_path / "cached", cache_dir=tmp_path / "cache")
    build(corpus, tmp_path / "fresh")
    assert cached.files_read == 6
    for table in TABLES:
        assert (tmp_path / "cached" / table.path).read_bytes() == (
            tmp_path / "fresh" / table.path
        ).read_bytes()
    got = cached.source_file.filter(pl.col("source_file").is_in(["legacy.txt", seed]))
    assert got["encoding"].to_list() == ["UTF-8 (new decoder)", "binary (new decoder)"]
    assert cached.count("rejected") == 0
