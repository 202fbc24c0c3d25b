"""Incremental parsing: parse results cached by content hash and parser version.

Distinct texts are spread over `BUCKETS` buckets by the first hex digit of their
`article_id` (itself a hash of the text), so one new or changed file touches one bucket. A
bucket's cache entry is keyed by the parser version and the sorted article ids in it; a bucket
whose key is unchanged is read back instead of parsed. The parser version is a hash of the
core modules' source, so any change to parsing invalidates the cache by itself.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import astuple, dataclass
from pathlib import Path

import polars as pl

import archive_etl
from archive_etl.tables import PARSED_PARTS, Parsed, distinct_texts, parse_texts

BUCKETS = 16
# Parse calls at once, one per core.
PARSE_THREADS = os.cpu_count() or 1
# Texts parsed in one call, at least (whole buckets): enough to make its fixed cost small.
BATCH_TEXTS = 1000
# The modules whose code decides what a text parses into.
_CORE = ("decode", "lines", "layout", "articles", "lexicon", "metrics", "tables", "schema")


@functools.cache
def parser_version() -> str:
    """A hash of the parsing code: a new version whenever any core module changes."""
    digest = hashlib.sha256(archive_etl.__version__.encode())
    for name in _CORE:
        digest.update((Path(archive_etl.__file__).parent / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Bucket:
    """One bucket of distinct texts: its name, its article ids, and how to load its texts."""

    name: str
    ids: list[str]
    load: Callable[[], pl.DataFrame]


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


def write_atomic(df: pl.DataFrame, path: Path, compression: str = "zstd") -> None:
    """Write Parquet beside `path` and rename it over: a reader never meets half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    df.write_parquet(tmp, compression=compression)
    tmp.replace(path)


def bucket_of(prefix: int) -> pl.Expr:
    """A text's bucket: the first `prefix` hex digits of its article_id (a hash of the text)."""
    return pl.col("article_id").str.slice(0, prefix)


def prefix_length(texts: int) -> int:
    """Hex digits of article_id that name a bucket: about a thousand texts a bucket or fewer."""
    length = 1
    while BUCKETS**length * 1000 < texts:
        length += 1
    return length


class ParseCache:
    """Parse texts bucket by bucket, reusing what an earlier build with the same parser parsed."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.cache_dir = cache_dir
        self.version = parser_version()
        self.live: set[str] = set()
        self.counts = [0, 0, 0, 0]  # buckets parsed, reused; articles parsed, reused
        self._lock = threading.Lock()  # buckets may be parsed on several threads at once
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)

    def _count(self, *, reused: bool, texts: int, live: list[str] | None = None) -> None:
        with self._lock:
            self.counts[1 if reused else 0] += 1
            self.counts[3 if reused else 2] += texts
            self.live.update(live or ())

    def _paths(self, bucket: Bucket) -> dict[str, Path] | None:
        if self.cache_dir is None:
            return None
        key = _bucket_key(self.version, bucket.ids)
        return {part: self.cache_dir / f"{bucket.name}-{key}.{part}.parquet" for part in PARSED_PARTS}

    def _load(self, bucket: Bucket, paths: dict[str, Path]) -> dict[str, Parsed]:
        self._count(reused=True, texts=len(bucket.ids), live=[p.name for p in paths.values()])
        return {bucket.name: Parsed(*(pl.read_parquet(paths[part]) for part in PARSED_PARTS))}

    def _parse(self, batch: list[tuple[Bucket, dict[str, Path] | None]]) -> dict[str, Parsed]:
        """Parse several buckets in one call, then store and return each bucket's part."""
        parsed = parse_texts(pl.concat([bucket.load() for bucket, _ in batch]))
        results = {}
        for bucket, paths in batch:
            part = parsed.only(pl.Series(bucket.ids, dtype=pl.String))
            for name, path in (paths or {}).items():
                write_atomic(getattr(part, name), path, compression="lz4")
            self._count(reused=False, texts=len(bucket.ids), live=[p.name for p in (paths or {}).values()])
            results[bucket.name] = part
        return results

    def parse_in_order(self, buckets: Iterable[Bucket]) -> Iterator[Parsed]:
        """Each bucket's parse, in the order given: from the cache, or parsed on a thread per core.

        A bucket's texts are loaded only when it must be parsed. Buckets to parse are taken a few
        at a time (`BATCH_TEXTS`): a parse call costs about 60 ms whatever its size (compiling
        the regexes), which many small buckets would pay again and again. Polars releases the
        GIL while it works, so threads use every core without the start-up and pickling of a
        process pool (measured at 10,000 articles: 3.3 s against 5.3 s on two cores). At most
        one batch more than there are threads waits to be written: memory stays bounded.
        """
        with ThreadPoolExecutor(PARSE_THREADS, thread_name_prefix="parse") as pool:
            pending: deque[tuple[str, Future[dict[str, Parsed]]]] = deque()
            batch: list[tuple[Bucket, dict[str, Path] | None]] = []

            def submit_batch() -> None:
                if batch:
                    future = pool.submit(self._parse, list(batch))
                    pending.extend((b.name, future) for b, _ in batch)
                    batch.clear()

            for bucket in buckets:
                paths = self._paths(bucket)
                if paths is not None and all(p.is_file() for p in paths.values()):
                    submit_batch()  # keep the order: the batch so far goes first
                    pending.append((bucket.name, pool.submit(self._load, bucket, paths)))
                else:
                    batch.append((bucket, paths))
                    if sum(len(b.ids) for b, _ in batch) >= BATCH_TEXTS:
                        submit_batch()
                while len({id(f) for _, f in pending}) > PARSE_THREADS:
                    name, future = pending.popleft()
                    yield future.result()[name]
            submit_batch()
            while pending:
                name, future = pending.popleft()
                yield future.result()[name]

    @property
    def stats(self) -> CacheStats:
        return CacheStats(*self.counts)

    def finish(self) -> CacheStats:
        """Drop cache entries no bucket of this build used; say how much was reused."""
        if self.cache_dir is not None:
            prune(self.cache_dir, self.live)
        return self.stats


def prune(cache_dir: Path, live: set[str]) -> None:
    """Remove the cache entries not in `live` (those no bucket of the latest build used)."""
    for stale in cache_dir.glob("*.parquet"):
        if stale.name not in live:
            stale.unlink(missing_ok=True)


def buckets_of(sources: pl.DataFrame) -> list[tuple[str, pl.DataFrame]]:
    """The distinct texts (`article_id`, `text`) of `sources`, by bucket, in bucket order."""
    texts = distinct_texts(sources)
    k = prefix_length(texts.height)
    buckets = texts.with_columns(_bucket=bucket_of(k)).partition_by("_bucket", as_dict=True)
    return [(b, group.drop("_bucket")) for (b,), group in sorted(buckets.items())]


@dataclass(frozen=True)
class CachedParse:
    """The parse of some buckets, with what it took from the cache and the entries it used."""

    parsed: Parsed
    stats: CacheStats
    live: frozenset[str]

    @staticmethod
    def combine(parts: list[CachedParse]) -> CachedParse:
        stats = CacheStats(*(sum(counts) for counts in zip(*(astuple(p.stats) for p in parts), strict=True)))
        return CachedParse(
            Parsed.concat([p.parsed for p in parts]), stats, frozenset().union(*(p.live for p in parts))
        )


def parse_buckets(buckets: list[tuple[str, pl.DataFrame]], cache_dir: Path) -> CachedParse:
    """Parse some buckets of texts with the cache (without pruning it: see `prune`)."""
    cache = ParseCache(cache_dir)
    parts = list(
        cache.parse_in_order(
            Bucket(b, texts["article_id"].to_list(), lambda texts=texts: texts) for b, texts in buckets
        )
    )
    return CachedParse(Parsed.concat(parts), cache.stats, frozenset(cache.live))
