"""What an earlier build learnt about each input file, so an unchanged file is not read again.

With a cache folder, a build records every file it read: its path, size, modification time and
inode, and what reading it gave (hash, encoding, reason, article_id). The next build stats
every file (cheap) and reads only those whose stat changed; the text of an unchanged file is
read again only if its bucket has to be parsed again. The index belongs to one input folder and
one version of the read stage (it is named after the folder's resolved path and a hash of the
code of `read/`): a build with a changed decoder reads every file again, as a build without the
index would. It is replaced whole at the end of each read.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import polars as pl

from archive_etl.atomic import write_atomic
from archive_etl.read.sources import METADATA_SCHEMA, Entry
from archive_etl.resources import code_version

STAT_SCHEMA = pl.Schema(
    {"source_file": pl.String(), "size": pl.Int64(), "mtime_ns": pl.Int64(), "inode": pl.Int64()}
)
STAT_KEYS = list(STAT_SCHEMA.names())


def entry_stats(entries: list[Entry]) -> pl.DataFrame:
    """Size, modification time and inode of every entry that has a file (others are absent)."""
    rows: dict[str, list[object]] = {name: [] for name in STAT_KEYS}
    for entry in entries:
        if entry.path is None:
            continue
        try:
            st = os.stat(entry.path)
        except OSError:
            continue  # read_entry will say why
        for name, value in zip(STAT_KEYS, (entry.name, st.st_size, st.st_mtime_ns, st.st_ino), strict=True):
            rows[name].append(value)
    return pl.DataFrame(rows, schema=STAT_SCHEMA)


@functools.cache
def read_version() -> str:
    """The read stage's version: a hash of the code of `read/` (the decoder among it)."""
    return code_version("read")


class SourceIndex:
    """The index of one input folder inside a cache folder, and the entries of this build."""

    def __init__(self, cache_dir: Path, input_dir: Path, entries: list[Entry]) -> None:
        folder = hashlib.sha256(str(input_dir.resolve()).encode()).hexdigest()[:16]
        self.path = cache_dir / "sources" / f"{folder}-{read_version()}.parquet"
        self.stats = entry_stats(entries)

    def known(self) -> pl.DataFrame:
        """The indexed metadata of the entries whose stat is unchanged (`METADATA_SCHEMA`)."""
        try:
            index = pl.read_parquet(self.path)
        except (OSError, pl.exceptions.PolarsError):
            return pl.DataFrame(schema=METADATA_SCHEMA)
        return index.join(self.stats, on=STAT_KEYS, how="semi").select(METADATA_SCHEMA.names())

    def save(self, metadata: pl.DataFrame) -> None:
        """Record what this build read (files that were read, not refused entries)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        folder = self.path.name.split("-")[0]
        for stale in self.path.parent.glob(f"{folder}-*.parquet"):  # another read stage's
            if stale != self.path:
                stale.unlink(missing_ok=True)
        write_atomic(self.stats.join(metadata.select(METADATA_SCHEMA.names()), on="source_file"), self.path)
