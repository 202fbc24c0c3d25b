"""Writing the package: Parquet per table, the Data Package descriptor, an atomic swap.

Everything is written into a temporary folder beside the target and swapped in only when
complete, so a reader sees the previous package or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import tempfile
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from archive_etl.package.descriptor import (
    DESCRIPTOR,
    MANIFEST,
    PackageInfo,
    checksum_manifest,
    created_timestamp,
    file_fixity,
    next_version,
    package_descriptor,
    read_descriptor,
)
from archive_etl.package.dictionary import data_dictionary
from archive_etl.package.lock import fsync_dir, fsync_tree, output_lock
from archive_etl.schema import ARTICLE, TABLES, Table

DICTIONARY = "README.md"


def _only_grew(previous: Path, articles: pl.DataFrame) -> bool:
    """True when every article of the previous package is still here and there are more."""
    try:
        before = pl.read_parquet(previous / ARTICLE.path, columns=["article_id"])["article_id"]
    except (OSError, pl.exceptions.PolarsError):
        return False
    return articles.height > before.len() and before.is_in(articles["article_id"].implode()).all()


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _check_replaceable(output: Path) -> None:
    if output.exists() and any(output.iterdir()) and not (output / DESCRIPTOR).exists():
        raise FileExistsError(
            f"{output} exists and is not a package (no {DESCRIPTOR}); refusing to replace it. "
            "Choose an empty or new folder for --output."
        )


def swap_in(staged: Path, output: Path) -> None:
    """Make `staged` the new `output`, atomically where the kernel allows.

    Without renameat2 there is a moment with the old package aside and the new one not yet in
    place; a build killed then is repaired by the next one (see outputlock.recover).
    """
    fsync_tree(staged)
    if output.exists() and _exchange(staged, output):
        fsync_dir(output.parent)
        shutil.rmtree(staged)  # now holds the previous package
        return
    if output.exists():
        old = output.with_name(f".{output.name}.old-{os.getpid()}")
        output.rename(old)
        staged.rename(output)
        fsync_dir(output.parent)
        shutil.rmtree(old)
    else:
        staged.rename(output)
        fsync_dir(output.parent)


# Bytes a value of a fixed-width column takes in Arrow (a boolean is counted as one).
_WIDTH: dict[type[pl.DataType], int] = {pl.Int64: 8, pl.Float64: 8, pl.Datetime: 8, pl.Date: 4, pl.Boolean: 1}


def row_bytes(frame: pl.DataFrame) -> pl.Series:
    """Each row's size as Arrow holds it, from its values alone: a string's bytes and its
    offset, a fixed width. Row groups end by it, so they do not depend on how the rows were
    cut into parts or on the buffers they share."""
    fixed = sum(_WIDTH[d.base_type()] for d in frame.schema.values() if d != pl.String)
    strings = [
        pl.col(name).str.len_bytes().fill_null(0).cast(pl.Int64) + 4
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    ]
    size = pl.sum_horizontal(strings) + fixed if strings else pl.repeat(fixed, pl.len(), dtype=pl.Int64)
    return frame.select(size=size)["size"]


def group_ends(sizes: pl.Series, rows: int, limit: int) -> tuple[list[int], bool]:
    """Where the row groups of rows of `sizes` end, each as long as it may be: `rows` rows, or
    fewer once they reach `limit` bytes; and whether the last group is complete (otherwise it
    waits for more rows)."""
    total = sizes.cum_sum()
    ends: list[int] = []
    start, before, complete = 0, 0, False
    while start < len(sizes):
        full = int(total.search_sorted(before + limit, side="left")) + 1  # reaches the limit
        end = min(start + rows, full, len(sizes))
        ends.append(end)
        complete = end - start == rows or int(total[end - 1]) - before >= limit
        start, before = end, int(total[end - 1])
    return ends, complete


ROW_GROUP = 128 * 1024
# ... or fewer rows when they are wide (article.text): a row group holds at most this much.
ROW_GROUP_BYTES = 64 * 1024 * 1024
# Parts handed to a table's encoder thread and not yet encoded, at most (a bucket's rows each).
QUEUED_PARTS = 2


@dataclass
class _Pending:
    """A table's rows waiting for a whole row group, with each row's size (`row_bytes`), and
    their totals kept as they grow (summing the parts at every write was quadratic in them)."""

    frames: list[pl.DataFrame] = field(default_factory=list)
    sizes: list[pl.Series] = field(default_factory=list)
    rows: int = 0
    bytes: int = 0

    def add(self, frame: pl.DataFrame, sizes: pl.Series | None = None) -> None:
        sizes = row_bytes(frame) if sizes is None else sizes
        self.frames.append(frame)
        self.sizes.append(sizes)
        self.rows += frame.height
        self.bytes += int(sizes.sum())


class PackageWriter:
    """Stream tables into a staged package folder, seal it and swap it in whole.

    Rows may arrive in any number of parts (a bucket of articles at a time), so memory does not
    grow with the corpus. Used as a context manager, a failure leaves the previous package.
    The writer holds the folder's lock (see outputlock) from creation to finish or abort, so a
    second build into the same folder waits up to `wait` seconds, then fails with a message.
    """

    def __init__(self, output: Path, *, wait: float = 0.0) -> None:
        self.output = output.resolve()
        self.tables = list(TABLES)
        _check_replaceable(self.output)
        self._lock = contextlib.ExitStack()
        self._lock.enter_context(output_lock(self.output, wait=wait))
        self.staged = Path(
            tempfile.mkdtemp(prefix=f".{self.output.name}.", suffix=".tmp", dir=self.output.parent)
        )
        self.writers: dict[str, pq.ParquetWriter] = {}
        # Rows wait here until a whole row group is ready, so row groups do not depend on how
        # the rows were cut into parts (and small packages are not a row group per part).
        self.pending = {t.name: _Pending() for t in self.tables}
        self.rows = {t.name: 0 for t in self.tables}
        # Each table is encoded on a thread of its own, in the order its parts came: the same
        # bytes as encoding them here, while the caller makes the next parts and the other
        # tables encode (zstd and pyarrow release the GIL). See `write`.
        self._encoders = {
            t.name: ThreadPoolExecutor(1, thread_name_prefix=f"parquet-{t.name}") for t in self.tables
        }
        self._queued: dict[str, deque[Future[None]]] = {t.name: deque() for t in self.tables}

    def write(self, table: Table, df: pl.DataFrame) -> None:
        """Append rows to a table's Parquet file: handed to the table's encoder thread, which
        may still be encoding earlier parts. At most `QUEUED_PARTS` wait for it, so memory does
        not grow when rows come quicker than they encode; an encoder's error is raised here."""
        self.rows[table.name] += df.height
        queued = self._queued[table.name]
        queued.append(self._encoders[table.name].submit(self._append, table, df))
        while len(queued) > QUEUED_PARTS:
            queued.popleft().result()

    def _drain(self) -> None:
        """Wait for every part handed to an encoder; raise the first error."""
        for queued in self._queued.values():
            while queued:
                queued.popleft().result()

    def _append(self, table: Table, df: pl.DataFrame) -> None:
        if table.name not in self.writers:
            schema = table.arrow_schema()
            self.writers[table.name] = pq.ParquetWriter(self.staged / table.path, schema, compression="zstd")
        pending = self.pending[table.name]
        pending.add(table.conform(df))
        if pending.rows >= ROW_GROUP or pending.bytes >= ROW_GROUP_BYTES:
            self._flush(table, final=False)

    def _flush(self, table: Table, *, final: bool) -> None:
        """Write the complete row groups of what waits (all of it when `final`)."""
        pending = self.pending[table.name]
        # Joined in Polars, then made Arrow once: four times quicker than joining Arrow tables
        # (whose strings are copied again), and the same single chunk a column.
        buffered = pl.concat(pending.frames, rechunk=True)
        sizes = pl.concat(pending.sizes)
        ends, complete = group_ends(sizes, ROW_GROUP, ROW_GROUP_BYTES)
        if not (final or complete):
            ends = ends[:-1]
        start = 0
        for end in ends:
            rows = buffered.slice(start, end - start).to_arrow(compat_level=pl.CompatLevel.oldest())
            self.writers[table.name].write_table(rows.cast(table.arrow_schema()), row_group_size=end - start)
            start = end
        self.pending[table.name] = _Pending()
        self.pending[table.name].add(buffered.slice(start), sizes.slice(start))

    def _close(self, table: Table) -> None:
        """Write what waits as the last row group and close the file (an empty table has one)."""
        if table.name not in self.writers:
            self._append(table, table.empty())
        self._flush(table, final=True)
        self.writers.pop(table.name).close()

    def seal(self, *, source_title: str = "raw article files") -> dict[str, Any]:
        """Close the Parquet files and write the descriptor, the checksums and the dictionary
        beside them (the package is then complete but for its database); return the descriptor."""
        for table in self.tables:
            self._queued[table.name].append(self._encoders[table.name].submit(self._close, table))
        self._drain()
        self._stop_encoders()
        facts = [(t, file_fixity(self.staged / t.path)) for t in self.tables]
        articles = pl.read_parquet(self.staged / ARTICLE.path, columns=["article_id"])
        version = next_version(
            read_descriptor(self.output),
            {t.name: t.frictionless() for t in self.tables},
            {t.name: f.hash for t, f in facts},
            data_only_grew=_only_grew(self.output, articles),
        )
        descriptor = package_descriptor(
            PackageInfo(),
            facts,
            version=version,
            created=created_timestamp(),
            source_title=source_title,
        )
        write_json(self.staged / DESCRIPTOR, descriptor)
        (self.staged / MANIFEST).write_text(
            checksum_manifest((t.path, f) for t, f in facts), encoding="utf-8"
        )
        (self.staged / DICTIONARY).write_text(data_dictionary(descriptor, self.rows), encoding="utf-8")
        return descriptor

    def swap_in(self) -> None:
        """Make the staged folder the package, atomically, and release the output."""
        self.staged.chmod(0o755)
        swap_in(self.staged, self.output)
        self._lock.close()

    def scratch(self) -> Path:
        """A temporary folder beside the package for this build's spill files; removed with the
        lock's release, or by the next build if this one is killed."""
        path = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.spill.", dir=self.output.parent))
        self._lock.callback(shutil.rmtree, path, ignore_errors=True)
        return path

    def _stop_encoders(self) -> None:
        """Let the encoder threads finish what they hold (an error there was raised already, or
        is moot when aborting) and end them."""
        for encoder in self._encoders.values():
            encoder.shutdown(wait=True, cancel_futures=True)

    def abort(self) -> None:
        self._stop_encoders()
        for writer in self.writers.values():
            writer.close()
        shutil.rmtree(self.staged, ignore_errors=True)
        self._lock.close()

    def __enter__(self) -> PackageWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None or self.staged.exists():
            self.abort()
