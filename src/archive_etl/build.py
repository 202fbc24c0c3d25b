"""The build: input folder to package folder. The one entry point the CLI and Dagster share.

Two passes keep memory flat however large the corpus:
1. read every file in chunks (hash, decode); keep only each file's metadata, and spill the
   first copy of every distinct text to a temporary file of its content-hash bucket;
2. bucket by bucket, parse the texts on a thread per core (or take them from the parse cache)
   and stream the rows, in bucket order, into the package's Parquet files.
With a cache folder, files unchanged since the last build are not read in pass 1 (the source
index), and the previous package's database is updated rather than rebuilt (see database.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import polars as pl
import pyarrow as pa

from archive_etl.cache import Bucket, CacheStats, ParseCache, bucket_of, prefix_length
from archive_etl.package import PackageWriter
from archive_etl.schema import ARTICLE, METRIC, PARAGRAPH, SOURCE_FILE, TABLES
from archive_etl.sources import METADATA_SCHEMA, Entry, read_sources, scan
from archive_etl.srcindex import SourceIndex
from archive_etl.tables import Tables, article_rows, distinct_texts, kept_files, resolve_sources

REPO_ROOT = Path(__file__).resolve().parents[2]
# Files read and decoded at a time in the first pass (about 20 MB of text).
CHUNK_FILES = 2000
_SPILL_SCHEMA = pa.schema([("article_id", pa.string()), ("text", pa.large_string())])
_TEXTS_SCHEMA = {"article_id": pl.String, "text": pl.String}


def default_input() -> Path:
    """`seeds/` of the working directory, else the seeds shipped in the wheel or the repository."""
    for candidate in (Path("seeds"), Path(__file__).parent / "seeds", REPO_ROOT / "seeds"):
        if candidate.is_dir():
            return candidate
    return Path("seeds")


def source_title(files: int, input_dir: Path) -> str:
    """The descriptor's `sources` entry: how many files, from which folder (by name only)."""
    return f"{files} raw article files from the folder '{input_dir.resolve().name}'"


@dataclass(frozen=True)
class BuildResult:
    """What a build produced, for summaries and metadata."""

    output: Path
    seconds: float
    source_file: pl.DataFrame
    rows: dict[str, int] = field(default_factory=dict)
    cache: CacheStats | None = None
    files_read: int = 0  # entries read from disk in the first pass (fewer with the source index)

    def count(self, status: str) -> int:
        return self.source_file.filter(pl.col("status") == status).height

    @property
    def files(self) -> int:
        return self.source_file.height

    @property
    def rejected(self) -> pl.DataFrame:
        return self.source_file.filter(pl.col("status") == "rejected").select("source_file", "reason")

    @cached_property
    def tables(self) -> Tables:
        """The written tables, read back from the package (for tests and small corpora)."""
        return Tables(**{t.name: pl.read_parquet(self.output / t.path) for t in TABLES})


def _chunks(entries: list[Entry], size: int) -> Iterator[list[Entry]]:
    for i in range(0, len(entries), size):
        yield entries[i : i + size]


def spill_texts(
    entries: list[Entry],
    spill_dir: Path,
    prefix: int,
    progress: Callable[[int], None] | None = None,
    known: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """First pass: every entry's metadata, and each distinct text read written once to its bucket
    file. Entries in `known` (metadata of unchanged files, from the source index) are not read."""
    known_names = set(known["source_file"].to_list()) if known is not None else set()
    to_read = [e for e in entries if e.name not in known_names]
    seen: set[str] = set()
    writers: dict[str, pa.ipc.RecordBatchStreamWriter] = {}
    metadata = [known] if known is not None else []
    done = len(entries) - len(to_read)
    if progress is not None:
        progress(done)
    try:
        for chunk in _chunks(to_read, CHUNK_FILES):
            sources = read_sources(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done)
            texts = distinct_texts(sources)
            ids = texts["article_id"].to_list()
            # Only this chunk's ids are looked up in `seen`, so the pass stays linear in the corpus.
            new = texts.filter(pl.Series([i not in seen for i in ids], dtype=pl.Boolean))
            seen.update(ids)
            for (bucket,), part in new.group_by(bucket_of(prefix), maintain_order=True):
                if bucket not in writers:
                    writers[bucket] = pa.ipc.new_stream(str(spill_dir / f"{bucket}.arrow"), _SPILL_SCHEMA)
                writers[bucket].write_table(part.to_arrow().cast(_SPILL_SCHEMA))
            metadata.append(sources.drop("text"))
    finally:
        for writer in writers.values():
            writer.close()
    return pl.concat(metadata) if metadata else pl.DataFrame(schema=METADATA_SCHEMA)


def _bucket_texts(
    spill_dir: Path, bucket: str, kept: pl.DataFrame, entries: dict[str, Entry]
) -> pl.DataFrame:
    """The distinct texts of a bucket: spilled by the first pass, or read again from their kept
    file when the source index spared reading it then."""
    spill = spill_dir / f"{bucket}.arrow"
    texts = _read_spill(spill_dir, bucket) if spill.exists() else pl.DataFrame(schema=_TEXTS_SCHEMA)
    missing = kept.join(texts, on="article_id", how="anti")
    if missing.is_empty():
        return texts
    reread = read_sources(entries[name] for name in missing["source_file"])
    changed = reread.join(missing, on="article_id", how="anti")
    if not changed.is_empty():
        raise RuntimeError(
            f"{changed['source_file'][0]} changed while the archive was being built; build again"
        )
    return pl.concat([texts, reread.select(texts.columns)])


def _buckets(
    kept: pl.DataFrame, prefix: int, spill_dir: Path, entries: list[Entry]
) -> list[tuple[Bucket, pl.DataFrame]]:
    """Each bucket of distinct texts, in bucket order (loading its texts only if asked), with the
    files that keep its articles, in path order."""
    by_name = {e.name: e for e in entries}
    groups = kept.with_columns(bucket=bucket_of(prefix)).partition_by(
        "bucket", as_dict=True, maintain_order=True, include_key=False
    )
    return [
        (Bucket(b, g["article_id"].to_list(), lambda b=b, g=g: _bucket_texts(spill_dir, b, g, by_name)), g)
        for (b,), g in sorted(groups.items())
    ]


def _read_spill(spill_dir: Path, bucket: str) -> pl.DataFrame:
    with pa.ipc.open_stream(str(spill_dir / f"{bucket}.arrow")) as reader:
        return pl.from_arrow(reader.read_all()).with_columns(pl.col("text").cast(pl.String))


def build(
    input_dir: Path,
    output_dir: Path,
    *,
    on_scan: Callable[[list[Entry]], None] | None = None,
    progress: Callable[[int], None] | None = None,
    cache_dir: Path | None = None,
    wait: float = 0.0,
) -> BuildResult:
    """Read every entry of `input_dir`, build the tables and write the package to `output_dir`.

    With `cache_dir`, texts parsed by an earlier build with the same parser are not parsed again.
    Rows are written bucket by bucket (by the first hex digits of `article_id`), in path order
    within a bucket. Another build of the same output is waited for up to `wait` seconds
    (then `OutputLocked`); a build killed at any point leaves the previous package whole.
    """
    started = time.perf_counter()
    if not input_dir.is_dir():
        raise NotADirectoryError(f"input folder {input_dir} does not exist or is not a folder")
    entries = scan(input_dir)
    if on_scan is not None:
        on_scan(entries)
    output_dir = output_dir.resolve()
    cache = ParseCache(cache_dir)
    index = SourceIndex(cache_dir, input_dir, entries) if cache_dir is not None else None
    prefix = prefix_length(len(entries))
    with PackageWriter(output_dir, wait=wait) as writer:
        spill = writer.scratch()
        known = index.known() if index is not None else None
        metadata = spill_texts(entries, spill, prefix, progress, known)
        resolved = SOURCE_FILE.conform(resolve_sources(metadata))
        writer.write(SOURCE_FILE, resolved)
        buckets = _buckets(kept_files(resolved), prefix, spill, entries)
        parses = cache.parse_in_order(bucket for bucket, _ in buckets)
        for (_, files), parsed in zip(buckets, parses, strict=True):
            article, paragraph, metric = article_rows(files, parsed)
            writer.write(ARTICLE, article)
            writer.write(PARAGRAPH, paragraph)
            writer.write(METRIC, metric)
        writer.finish(source_title=source_title(len(entries), input_dir))
        rows = dict(writer.rows)
    if index is not None:
        index.save(metadata)
    return BuildResult(
        output_dir,
        time.perf_counter() - started,
        resolved,
        rows,
        cache.finish() if cache_dir else None,
        files_read=len(entries) - (known.height if known is not None else 0),
    )
