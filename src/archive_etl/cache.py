"""Incremental parsing: parse results cached by content hash and parser version.

Distinct texts are spread over `BUCKETS` buckets by the first hex digit of their
`article_id` (itself a hash of the text), so one new or changed file touches one bucket. A
bucket's cache entry is keyed by the parser version and the sorted article ids in it; a bucket
whose key is unchanged is read back instead of parsed. The parser version is a hash of the
core modules' source, so any change to parsing invalidates the cache by itself.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import polars as pl

import archive_etl
from archive_etl.tables import Parsed, distinct_texts, parse_texts

BUCKETS = 16
# The modules whose code decides what a text parses into.
_CORE = ("decode", "lines", "layout", "articles", "lexicon", "metrics", "tables", "schema")
_PARTS = ("fields", "paragraphs", "metrics")


def parser_version() -> str:
    """A hash of the parsing code: a new version whenever any core module changes."""
    digest = hashlib.sha256(archive_etl.__version__.encode())
    for name in _CORE:
        digest.update((Path(archive_etl.__file__).parent / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class CacheStats:
    """How much of a parse came from the cache."""

    buckets_parsed: int
    buckets_reused: int
    articles_parsed: int
    articles_reused: int


def _bucket_key(version: str, article_ids: list[str]) -> str:
    digest = hashlib.sha256(version.encode())
    for a in sorted(article_ids):
        digest.update(a.encode())
    return digest.hexdigest()[:20]


def _write_atomic(df: pl.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    df.write_parquet(tmp, compression="lz4")
    tmp.replace(path)


def parse_cached(sources: pl.DataFrame, cache_dir: Path) -> tuple[Parsed, CacheStats]:
    """Parse the distinct texts of `sources`, reusing every bucket whose content is unchanged."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    version = parser_version()
    texts = distinct_texts(sources).with_columns(_bucket=pl.col("article_id").str.slice(0, 1))
    parts: list[Parsed] = []
    parsed = reused = articles_parsed = articles_reused = 0
    live: set[str] = set()
    for (bucket,), group in sorted(texts.group_by("_bucket"), key=lambda g: str(g[0][0])):
        key = _bucket_key(version, group["article_id"].to_list())
        paths = {part: cache_dir / f"{bucket}-{key}.{part}.parquet" for part in _PARTS}
        live.update(p.name for p in paths.values())
        if all(p.is_file() for p in paths.values()):
            parts.append(Parsed(*(pl.read_parquet(paths[part]) for part in _PARTS)))
            reused += 1
            articles_reused += group.height
            continue
        result = parse_texts(group.drop("_bucket"))
        for part in _PARTS:
            _write_atomic(getattr(result, part), paths[part])
        parts.append(result)
        parsed += 1
        articles_parsed += group.height
    for stale in cache_dir.glob("*.parquet"):  # entries of buckets whose content changed
        if stale.name not in live:
            stale.unlink(missing_ok=True)
    return Parsed.concat(parts), CacheStats(parsed, reused, articles_parsed, articles_reused)
