"""The parse stage: buckets of texts parsed on a thread per core, their results cached.

A bucket's cache entry is keyed by the parse stage's version (a hash of `parse/` and `schema/`)
and the sorted article ids in it (hashes of the texts); a bucket whose key is unchanged is read
back instead of parsed, so any change to the texts or to the parsing code parses again by itself.

It is also how the parse is handed on: the CLI parses and writes in one pass, while Dagster's
parse steps only fill the cache (`fill`, a shard each, on any worker that mounts the folder) and
its package step reads every bucket back as the CLI would, after asking what is `missing`.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from archive_etl.atomic import write_atomic
from archive_etl.parse.texts import PARSED_PARTS, Parsed, parse_texts
from archive_etl.resources import code_version

# Parse calls at once, one per core.
PARSE_THREADS = os.cpu_count() or 1
# Texts parsed in one call, at least (whole buckets): enough to make its fixed cost small, and
# to meet the paragraphs a batch repeats (each distinct one is read once). 10,000 synthetic
# articles: 14.7 s of CPU at 1,000 a call, 13.3 s at 2,000; 4,000 leaves a core idle at the end.
BATCH_TEXTS = 2000


@functools.cache
def parser_version() -> str:
    """The parse stage's version: a hash of the code of `parse/` and `schema/`, so any change to
    what a text parses into makes a new version by itself (the text itself is in the key)."""
    return code_version("parse", "schema")


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

    def _stored(self, paths: dict[str, Path] | None) -> bool:
        # Every part of an entry is written atomically, but a step killed between two parts
        # leaves some: such an entry is not stored, and is parsed again.
        return paths is not None and all(p.is_file() for p in paths.values())

    def missing(self, buckets: Iterable[Bucket]) -> list[str]:
        """The names of the buckets that have no whole entry in the cache."""
        return [bucket.name for bucket in buckets if not self._stored(self._paths(bucket))]

    def fill(self, buckets: Iterable[Bucket]) -> CacheStats:
        """Parse and store the buckets the cache lacks, leaving the others unread."""
        todo = []
        for bucket in buckets:
            paths = self._paths(bucket)
            if self._stored(paths):
                self._count(reused=True, texts=len(bucket.ids))
            else:
                todo.append(bucket)
        for _ in self.parse_in_order(todo):
            pass  # each parse is stored as it is made; memory holds a few
        return self.stats

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
        at a time (`BATCH_TEXTS`): a parse call costs some tens of ms whatever its size (compiling
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
                if self._stored(paths):
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
