"""The build as named stages, with files between them: the CLI runs them in one process, the
Dagster assets one asset each, and both write the same bytes.

read      input folder -> workspace: every entry's metadata (`sources.parquet`) and each
          distinct text spilled once to its bucket (`texts/<bucket>.arrow`); with a cache folder
          the source index spares files unchanged since the last build
resolve   `sources.parquet` -> the source_file table (`source_file.parquet`)
plan      source_file -> the buckets, in the order their rows are written
parse     each bucket's texts -> its parse, from the parse cache or parsed now (build/cache.py);
          Dagster fills the cache a shard of buckets per step (`shard_stage`) and its package
          step reads it back, as the CLI's build does in one pass (`rows_stage`)
rows      each bucket's parse and files -> its rows of every table (`article_rows`)
write     source_file and every bucket's rows, in bucket order -> a staged package: Parquet,
          descriptor, dictionary, checksums and `archive.duckdb`, swapped in whole

Memory stays flat however large the corpus: texts wait on disk in their buckets, and rows are
written a bucket at a time.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import polars as pl
import pyarrow as pa

from archive_etl.atomic import write_atomic
from archive_etl.build.cache import Bucket, CacheStats, ParseCache
from archive_etl.build.tables import (
    ARTICLE_TABLES,
    BucketPlan,
    Tables,
    article_rows,
    bucket_of,
    plan_buckets,
    prefix_length,
    resolve_sources,
)
from archive_etl.database.index import IndexSpill
from archive_etl.database.storage import STORAGE_VERSION, check_storage_version
from archive_etl.database.store import Base, write_database
from archive_etl.package.writer import PackageWriter
from archive_etl.parse.texts import Parsed, distinct_texts
from archive_etl.read.index import SourceIndex
from archive_etl.read.sources import METADATA_SCHEMA, Entry, entry_for, read_sources, scan
from archive_etl.resources import bundled
from archive_etl.schema import SOURCE_FILE, TABLES

# Files read and decoded at a time in the read stage (about 20 MB of text).
CHUNK_FILES = 2000
_SPILL_SCHEMA = pa.schema([("article_id", pa.string()), ("text", pa.large_string())])
# lz4: a third of the size for little time; the Dagster workspace keeps the spill between runs.
_SPILL_OPTIONS = pa.ipc.IpcWriteOptions(compression="lz4")
_TEXTS_SCHEMA = {"article_id": pl.String, "text": pl.String}


def default_input() -> Path:
    """`seeds/` of the working directory, else the seeds shipped in the wheel or the repository."""
    return Path("seeds") if Path("seeds").is_dir() else bundled("seeds")


def source_title(files: int, input_dir: Path) -> str:
    """The descriptor's `sources` entry: how many files, from which folder (by name only)."""
    return f"{files} raw article files from the folder '{input_dir.resolve().name}'"


@dataclass(frozen=True)
class Workspace:
    """The folder where a build's stages leave what the next one reads."""

    root: Path

    @property
    def texts(self) -> Path:
        return self.root / "texts"

    @property
    def sources(self) -> Path:
        return self.root / "sources.parquet"

    @property
    def source_file(self) -> Path:
        return self.root / "source_file.parquet"

    @property
    def plan(self) -> Path:
        return self.root / "plan.json"

    def read_plan(self) -> dict[str, object]:
        return json.loads(self.plan.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ReadReport:
    """What the read stage did: entries seen, entries read from disk (fewer with the index)."""

    files: int
    files_read: int
    input_dir: Path


def _chunks(entries: list[Entry], size: int) -> Iterator[list[Entry]]:
    for i in range(0, len(entries), size):
        yield entries[i : i + size]


def spill_texts(
    entries: list[Entry],
    texts_dir: Path,
    prefix: int,
    progress: Callable[[int], None] | None = None,
    known: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every entry's metadata, and each distinct text read written once to its bucket file.
    Entries in `known` (metadata of unchanged files, from the source index) are not read."""
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
                    writers[bucket] = pa.ipc.new_stream(
                        str(texts_dir / f"{bucket}.arrow"), _SPILL_SCHEMA, options=_SPILL_OPTIONS
                    )
                writers[bucket].write_table(part.to_arrow().cast(_SPILL_SCHEMA))
            metadata.append(sources.drop("text"))
    finally:
        for writer in writers.values():
            writer.close()
    return pl.concat(metadata) if metadata else pl.DataFrame(schema=METADATA_SCHEMA)


def read_stage(
    input_dir: Path,
    workspace: Workspace,
    *,
    cache_dir: Path | None = None,
    on_scan: Callable[[list[Entry]], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ReadReport:
    """Scan and read the input folder into the workspace (what was there before is replaced)."""
    if not input_dir.is_dir():
        raise NotADirectoryError(f"input folder {input_dir} does not exist or is not a folder")
    entries = scan(input_dir)
    if on_scan is not None:
        on_scan(entries)
    shutil.rmtree(workspace.texts, ignore_errors=True)
    workspace.texts.mkdir(parents=True)
    index = SourceIndex(cache_dir, input_dir, entries) if cache_dir is not None else None
    known = index.known() if index is not None else None
    prefix = prefix_length(len(entries))
    metadata = spill_texts(entries, workspace.texts, prefix, progress, known)
    write_atomic(metadata, workspace.sources)
    plan = {"input_dir": str(input_dir.resolve()), "files": len(entries), "prefix": prefix}
    workspace.plan.write_text(json.dumps(plan), encoding="utf-8")
    if index is not None:
        index.save(metadata)
    read = len(entries) - (known.height if known is not None else 0)
    return ReadReport(len(entries), read, input_dir)


def resolve_stage(workspace: Workspace) -> pl.DataFrame:
    """The source_file table of what the read stage found, kept in the workspace."""
    source_file = resolve_sources(pl.read_parquet(workspace.sources))
    write_atomic(source_file, workspace.source_file)
    return source_file


def plan_stage(workspace: Workspace) -> list[BucketPlan]:
    """The buckets of the workspace's articles, in the order their rows are written."""
    prefix = int(workspace.read_plan()["prefix"])  # type: ignore[call-overload]
    return plan_buckets(pl.read_parquet(workspace.source_file), prefix)


def bucket_texts(workspace: Workspace, plan: BucketPlan) -> pl.DataFrame:
    """The distinct texts of a bucket: spilled by the read stage, or read again from their kept
    file when the source index spared reading it then."""
    spill = workspace.texts / f"{plan.name}.arrow"
    if spill.exists():
        with pa.ipc.open_stream(str(spill)) as reader:
            texts = pl.from_arrow(reader.read_all()).with_columns(pl.col("text").cast(pl.String))
    else:
        texts = pl.DataFrame(schema=_TEXTS_SCHEMA)
    missing = plan.files.join(texts, on="article_id", how="anti")  # type: ignore[arg-type]
    if missing.is_empty():
        return texts  # type: ignore[return-value]
    root = Path(str(workspace.read_plan()["input_dir"]))
    reread = read_sources(entry_for(root / name, root) for name in missing["source_file"])
    changed = missing.join(reread, on=["source_file", "article_id"], how="anti")
    if not changed.is_empty():
        raise RuntimeError(
            f"{changed['source_file'][0]} changed while the archive was being built; build again"
        )
    return pl.concat([texts, reread.select(texts.columns)])  # type: ignore[list-item]


def _buckets(workspace: Workspace, plans: Iterable[BucketPlan]) -> Iterator[Bucket]:
    for plan in plans:
        yield Bucket(plan.name, plan.ids, lambda plan=plan: bucket_texts(workspace, plan))


def parse_stage(workspace: Workspace, plans: Iterable[BucketPlan], cache: ParseCache) -> Iterator[Parsed]:
    """Each bucket's parse, in plan order: from the parse cache, or parsed now (and cached)."""
    return cache.parse_in_order(_buckets(workspace, plans))


def rows_stage(workspace: Workspace, plans: list[BucketPlan], cache: ParseCache) -> Iterator[Parsed]:
    """Each bucket's rows in plan order, from its parse (cached, or parsed now)."""
    for plan, parsed in zip(plans, parse_stage(workspace, plans, cache), strict=True):
        yield article_rows(plan.files, parsed)


def shard_stage(workspace: Workspace, shard: str, cache: ParseCache) -> CacheStats:
    """Parse the buckets of a shard that the parse cache lacks, into the cache."""
    return cache.fill(_buckets(workspace, [plan for plan in plan_stage(workspace) if plan.shard == shard]))


def missing_stage(workspace: Workspace, plans: list[BucketPlan], cache: ParseCache) -> list[str]:
    """The buckets of the plan that the parse cache has no parse of."""
    return cache.missing(_buckets(workspace, plans))


def write_stage(
    writer: PackageWriter,
    source_file: pl.DataFrame,
    rows: Iterable[Parsed],
    *,
    source_title: str,
    storage_version: str = STORAGE_VERSION,
) -> dict[str, object]:
    """Write every table, a bucket at a time, then the descriptor and the database (in
    `storage_version`), and swap the finished package in; return the descriptor. The previous
    package's database, when it can be updated, is copied meanwhile."""
    base = Base(writer.staged, writer.output, storage_version)
    # The search index's share of each bucket waits here for the database stage.
    spill = IndexSpill(writer.scratch())
    try:
        writer.write(SOURCE_FILE, source_file)
        for bucket in rows:
            for table in ARTICLE_TABLES:
                writer.write(table, bucket.table(table))
            spill.add(bucket.paragraph, bucket.index, bucket.terms)
        descriptor = writer.seal(source_title=source_title)
    except BaseException:
        base.discard()
        raise
    write_database(writer.staged, spill, base=base)
    writer.swap_in()
    return descriptor


@dataclass(frozen=True)
class BuildResult:
    """What a build produced, for summaries and metadata."""

    output: Path
    seconds: float
    source_file: pl.DataFrame
    rows: dict[str, int] = field(default_factory=dict)
    cache: CacheStats | None = None
    files_read: int = 0  # entries read from disk by the read stage (fewer with the source index)
    descriptor: dict[str, object] = field(default_factory=dict)

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


def build(
    input_dir: Path,
    output_dir: Path,
    *,
    on_scan: Callable[[list[Entry]], None] | None = None,
    progress: Callable[[int], None] | None = None,
    cache_dir: Path | None = None,
    wait: float = 0.0,
    storage_version: str = STORAGE_VERSION,
) -> BuildResult:
    """Read every entry of `input_dir`, build the tables and write the package to `output_dir`:
    every stage in turn, with a workspace beside the output that goes with the build.

    With `cache_dir`, files unchanged since the last build are not read again and texts parsed
    before by the same parser are not parsed again. Another build of the same output is waited
    for up to `wait` seconds (then `OutputLocked`); a build killed at any point leaves the
    previous package whole. `archive.duckdb` is written in `storage_version` (STORAGE_VERSIONS).
    """
    started = time.perf_counter()
    check_storage_version(storage_version)  # at once, not after the Parquet files are written
    if not input_dir.is_dir():
        raise NotADirectoryError(f"input folder {input_dir} does not exist or is not a folder")
    with PackageWriter(output_dir.resolve(), wait=wait) as writer:
        workspace = Workspace(writer.scratch())
        report = read_stage(input_dir, workspace, cache_dir=cache_dir, on_scan=on_scan, progress=progress)
        source_file = resolve_stage(workspace)
        plans = plan_stage(workspace)
        cache = ParseCache(cache_dir)
        descriptor = write_stage(
            writer,
            source_file,
            rows_stage(workspace, plans, cache),
            source_title=source_title(report.files, input_dir),
            storage_version=storage_version,
        )
        rows = dict(writer.rows)
    return BuildResult(
        writer.output,
        time.perf_counter() - started,
        source_file,
        rows,
        cache.finish() if cache_dir is not None else None,
        files_read=report.files_read,
        descriptor=descriptor,
    )
