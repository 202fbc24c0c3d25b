"""The search index's postings put in term order without one sort of them all.

Each bucket's occurrences of terms come in doc order, and buckets follow one another in doc
order. They are spilled, a slice per term range, to a file per range (Arrow IPC, lz4); at the end
each range is read back and sorted alone, in memory, by term alone: a stable sort keeps each
term's occurrences in doc order, and the ranges follow one another in term order. At 100,000
synthetic articles, DuckDB sorting all 238 million postings at once under its memory limit took
20-28 s of a 265 s build, spilling to disk.

The ranges are cut from the first bucket, which meets the common terms: by its occurrences, so
that a range would hold about `RANGE_ROWS` of them once every bucket is in; the last range takes
every term above the first bucket's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pyarrow as pa

# Occurrences a range holds, about: 96 MB in memory, sorted in a fraction of a second.
RANGE_ROWS = 8_000_000
_SCHEMA = pa.schema([("term_id", pa.uint64()), ("doc", pa.uint32())])
_OPTIONS = pa.ipc.IpcWriteOptions(compression="lz4")
_LAST = (1 << 64) - 1


def first_bounds(found: pl.DataFrame, batches: int) -> list[int]:
    """The exclusive upper term ids of the ranges, cut from a first bucket's occurrences so that
    each range holds about RANGE_ROWS occurrences of `batches` buckets like it; the last is open."""
    step = max(RANGE_ROWS // max(batches, 1), 1)
    ordered = found["term_id"].sort()
    cuts = ordered.gather_every(step, offset=step).unique().sort().to_list() if ordered.len() > step else []
    return [cut for cut in cuts if cut > 0] + [_LAST]


class TermRanges:
    """Occurrences spilled by term range into `folder`, then given back range by range, sorted."""

    def __init__(self, folder: Path, batches: int) -> None:
        self.folder = folder
        self.batches = batches
        self.bounds: list[int] = []
        self.writers: list[pa.ipc.RecordBatchStreamWriter] = []

    def _path(self, number: int) -> Path:
        return self.folder / f"{number:05d}.arrow"

    def add(self, found: pl.DataFrame) -> None:
        """Spill a bucket's occurrences (term_id, doc), in doc order."""
        if not self.bounds:
            self.bounds = first_bounds(found, self.batches)
            self.writers = [
                pa.ipc.new_stream(str(self._path(i)), _SCHEMA, options=_OPTIONS)
                for i in range(len(self.bounds))
            ]
        bounds = pl.Series(self.bounds[:-1], dtype=pl.UInt64)
        ranged = found.with_columns(_range=bounds.search_sorted(found["term_id"], side="right"))
        for (number,), part in ranged.partition_by("_range", as_dict=True, maintain_order=True).items():
            self.writers[int(number)].write_table(part.drop("_range").to_arrow().cast(_SCHEMA))  # type: ignore[call-overload]

    def sorted(self) -> Iterator[pl.DataFrame]:
        """Each range's occurrences sorted by term, then doc, in term order (its file then goes)."""
        for number, writer in enumerate(self.writers):
            writer.close()
            with pa.ipc.open_stream(str(self._path(number))) as reader:
                spilled = pl.from_arrow(reader.read_all())
            self._path(number).unlink()
            assert isinstance(spilled, pl.DataFrame)
            yield spilled.sort("term_id", maintain_order=True)
        self.writers.clear()

    def close(self) -> None:
        """Close what is still open (after a failure): the files go with their folder."""
        for writer in self.writers:
            writer.close()
        self.writers.clear()
