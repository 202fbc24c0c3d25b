"""The search index's postings put in term order without one sort of them all.

Each batch's postings come sorted by term, then doc. They are spilled, a slice per term range,
to a file per range (Arrow IPC, lz4); at the end each range is read back and sorted alone, in
memory, and the ranges follow one another in term order. At 100,000 synthetic articles, DuckDB
sorting all 238 million postings at once under its memory limit took 20-28 s of a 265 s build,
spilling to disk.

The ranges are cut from the first batch, which meets the common terms: by its postings, so that
a range would hold about `RANGE_ROWS` postings once every batch is in. Each later batch's new
terms (their ids follow on) make a range of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pyarrow as pa

from archive_etl.database.search import posting_key

# Postings a range holds, about: 72 MB in memory, sorted in a fraction of a second.
RANGE_ROWS = 8_000_000
_SCHEMA = pa.schema([("term_id", pa.uint32()), ("doc", pa.uint32()), ("w", pa.uint8())])
_OPTIONS = pa.ipc.IpcWriteOptions(compression="lz4")


def first_bounds(postings: pl.DataFrame, next_id: int, batches: int) -> list[int]:
    """The exclusive upper term ids of the ranges of terms up to `next_id`, cut from a first
    batch's postings (sorted by term) so that each range holds about RANGE_ROWS postings of
    `batches` batches like it. A term with more postings than that is a range of its own."""
    step = max(RANGE_ROWS // max(batches, 1), 1)
    cuts = postings["term_id"].gather_every(step, offset=step).unique().sort().to_list()
    return [cut for cut in cuts if 0 < cut < next_id] + [next_id]


class TermRanges:
    """Postings spilled by term range into `folder`, then given back range by range, sorted."""

    def __init__(self, folder: Path, batches: int) -> None:
        self.folder = folder
        self.batches = batches
        self.bounds: list[int] = []
        self.writers: list[pa.ipc.RecordBatchStreamWriter] = []

    def _path(self, number: int) -> Path:
        return self.folder / f"{number:05d}.arrow"

    def _open(self, upper: int) -> None:
        self.writers.append(pa.ipc.new_stream(str(self._path(len(self.bounds))), _SCHEMA, options=_OPTIONS))
        self.bounds.append(upper)

    def add(self, postings: pl.DataFrame, next_id: int) -> None:
        """Spill a batch's postings (term_id, doc, w), sorted by term; `next_id` follows its terms."""
        if not self.bounds:
            for upper in first_bounds(postings, next_id, self.batches):
                self._open(upper)
        elif next_id > self.bounds[-1]:
            self._open(next_id)
        ends = postings["term_id"].search_sorted(pl.Series(self.bounds, dtype=pl.UInt32), side="left")
        start = 0
        for writer, end in zip(self.writers, ends.to_list(), strict=True):
            if end > start:
                writer.write_table(postings.slice(start, end - start).to_arrow().cast(_SCHEMA))
            start = end

    def sorted(self) -> Iterator[pl.DataFrame]:
        """Each range's postings sorted by term, then doc, in term order (its file then goes)."""
        for number, writer in enumerate(self.writers):
            writer.close()
            with pa.ipc.open_stream(str(self._path(number))) as reader:
                spilled = pl.from_arrow(reader.read_all())
            self._path(number).unlink()
            assert isinstance(spilled, pl.DataFrame)
            yield spilled.sort(posting_key(pl.col("term_id"), pl.col("doc")))
        self.writers.clear()

    def close(self) -> None:
        """Close what is still open (after a failure): the files go with their folder."""
        for writer in self.writers:
            writer.close()
        self.writers.clear()
