"""A shard's rows as Parquet part files: what a Dagster parse step stores (through the
`ParquetParts` IO manager) and the package step streams into the package, a bucket at a time.

A parts folder holds `<bucket>.<table>.parquet` for each table of an article's rows (article,
paragraph, metric, person, document_ref), each bucket's
rows exactly as the write stage takes them, and `manifest.json`: each bucket's key
(`BucketPlan.key`) in write order, the row counts and what the parse reused. The package step
compares the keys with the plan, so parts left by an older run are never written into a
package silently. A folder is written beside its place and swapped in whole.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import polars as pl

from archive_etl.build.tables import BucketPlan, article_rows
from archive_etl.package.writer import swap_in
from archive_etl.parse.texts import Parsed
from archive_etl.schema import ARTICLE, DOCUMENT_REF, METRIC, PARAGRAPH, PERSON, Table

# Every table but source_file: the rows an article's text yields, in `article_rows`' order.
PART_TABLES: tuple[Table, ...] = (ARTICLE, PARAGRAPH, METRIC, PERSON, DOCUMENT_REF)
# And what the search index reads of a bucket: its texts' tokens and the syllables they number.
INDEX_PARTS = ("index", "terms")
ROW_PARTS = (*(t.name for t in PART_TABLES), *INDEX_PARTS)
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BucketRows:
    """The rows of one bucket for each table of `PART_TABLES` and the search index's share of
    it (`index`, the tokens of each distinct text, and `terms`), and the key they were made under."""

    name: str
    key: str
    article: pl.DataFrame
    paragraph: pl.DataFrame
    metric: pl.DataFrame
    person: pl.DataFrame
    document_ref: pl.DataFrame
    index: pl.DataFrame
    terms: pl.DataFrame

    def table(self, table: Table) -> pl.DataFrame:
        return getattr(self, table.name)


def bucket_rows(plans: Iterable[BucketPlan], parses: Iterable[Parsed], version: str) -> Iterator[BucketRows]:
    """Each bucket's rows in plan order, from its parse."""
    for plan, parsed in zip(plans, parses, strict=True):
        yield BucketRows(plan.name, plan.key(version), *article_rows(plan.files, parsed))


def write_parts(
    rows: Iterable[BucketRows], folder: Path, about: Callable[[], Mapping[str, object]] | None = None
) -> dict:
    """Write each bucket's rows as it comes into a new `folder` (replacing any folder there once
    every bucket is written); return the manifest. What `about` says once the rows are all
    written is kept in the manifest."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        buckets: dict[str, str] = {}
        counts = dict.fromkeys(ROW_PARTS, 0)
        for bucket in rows:
            for part in ROW_PARTS:
                df = getattr(bucket, part)
                # lz4: the parts are read back once, soon; speed matters more than size.
                df.write_parquet(staged / f"{bucket.name}.{part}.parquet", compression="lz4")
                counts[part] += df.height
            buckets[bucket.name] = bucket.key
        manifest = {"buckets": buckets, "rows": counts, **(about() if about else {})}
        (staged / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        staged.chmod(0o755)
        swap_in(staged, folder)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return manifest


@dataclass(frozen=True)
class Parts:
    """A parts folder, read lazily: the manifest at once, rows a bucket at a time."""

    folder: Path

    @cached_property
    def manifest(self) -> dict:
        return json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))

    @property
    def keys(self) -> dict[str, str]:
        return self.manifest["buckets"]

    def read(self, bucket: str) -> BucketRows:
        frames = [pl.read_parquet(self.folder / f"{bucket}.{part}.parquet") for part in ROW_PARTS]
        return BucketRows(bucket, self.keys[bucket], *frames)

    def bytes(self) -> int:
        return sum(p.stat().st_size for p in self.folder.iterdir())


def stale_buckets(plans: Iterable[BucketPlan], parts: Mapping[str, Parts], version: str) -> list[str]:
    """Buckets of the plan whose stored rows are missing or were made from other files or by
    another parser, and stored buckets the plan no longer has."""
    stored = {name: key for p in parts.values() for name, key in p.keys.items()}
    wanted = {plan.name: plan.key(version) for plan in plans}
    return sorted(name for name in stored.keys() | wanted.keys() if stored.get(name) != wanted.get(name))


def rows_in_plan_order(plans: Iterable[BucketPlan], parts: Mapping[str, Parts]) -> Iterator[BucketRows]:
    """Every bucket's stored rows in plan order (the parts folders are named by shard)."""
    for plan in plans:
        yield parts[plan.shard].read(plan.name)
