"""The IO manager of the parse: Parquet part files, a folder per shard, never a pickle.

No well-kept Parquet IO manager fits the locked versions (dagster-polars has no release for
dagster 1.13 and Polars 2 in the registry), and what is stored here is not one DataFrame per
output but a stream of buckets, each three tables: so this is a thin one over
`archive_etl.build.parts`.

- A parse step's output (`ShardRows`, rows still being parsed) is written bucket by bucket into
  `<base>/.steps/<run id>/<step key>/`, so memory holds one bucket, not the shard.
- The `parsed_texts` asset's output (the steps' folders, by shard) moves each partition's folder
  into `<base>/parsed_texts/<shard>/`, replacing the previous one whole.
- Loading gives `Parts` (a folder whose manifest is read, and whose rows are read a bucket at a
  time by whoever iterates them), for a step's output or for every partition asked for.

On a cluster `base_dir` is storage every worker mounts (NFS, a ReadWriteMany volume); the
layout stays the same.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from dagster import ConfigurableIOManager, InputContext, MetadataValue, OutputContext
from pydantic import Field

from archive_etl.build.parts import Parts, write_parts
from archive_etl.build.pipeline import ShardRows
from archive_etl.package.writer import swap_in
from archive_etl.resources import REPO_ROOT

STEPS = ".steps"


class ParquetParts(ConfigurableIOManager):
    """Stores each shard's rows as Parquet part files under `base_dir`."""

    base_dir: str = Field(
        default=str(REPO_ROOT / ".cache" / "parts"),
        description="Where the parse's Parquet parts are kept: a folder per shard.",
    )

    @property
    def base(self) -> Path:
        return Path(self.base_dir)

    def _step_folder(self, run_id: str, step_key: str) -> Path:
        return self.base / STEPS / run_id / step_key

    def _asset_folder(self, context: InputContext | OutputContext, shard: str) -> Path:
        return self.base.joinpath(*context.asset_key.path, shard)

    def handle_output(self, context: OutputContext, obj: object) -> None:
        if isinstance(obj, ShardRows):
            folder = self._step_folder(context.run_id, context.step_key)
            manifest = write_parts(obj.rows, folder, obj.about)
            context.add_output_metadata(
                {
                    "shard": obj.shard,
                    "buckets": len(manifest["buckets"]),
                    **{f"rows_{name}": n for name, n in manifest["rows"].items()},
                    "articles_parsed": manifest["articles_parsed"],
                    "articles_reused": manifest["articles_reused"],
                    "mb": round(Parts(folder).bytes() / 1e6, 3),
                }
            )
        elif isinstance(obj, Mapping) and context.has_asset_key:
            total = 0
            for shard in context.asset_partition_keys:
                parts = obj[shard]
                target = self._asset_folder(context, shard)
                target.parent.mkdir(parents=True, exist_ok=True)
                swap_in(parts.folder, target)
                total += Parts(target).bytes()
            shutil.rmtree(self.base / STEPS / context.run_id, ignore_errors=True)
            context.add_output_metadata(
                {
                    "path": MetadataValue.path(str(self.base.joinpath(*context.asset_key.path))),
                    "mb": total / 1e6,
                }
            )
        else:
            raise TypeError(f"ParquetParts stores a shard's rows or the parts of an asset, not {type(obj)}")

    def load_input(self, context: InputContext) -> Parts | dict[str, Parts]:
        if context.has_asset_key:
            # Every partition asked for that has been materialised; a missing one shows as missing
            # buckets when the package step compares the parts with the plan.
            folders = {
                shard: self._asset_folder(context, shard) for shard in sorted(context.asset_partition_keys)
            }
            return {shard: Parts(folder) for shard, folder in folders.items() if folder.is_dir()}
        upstream = context.upstream_output
        assert upstream is not None
        return Parts(self._step_folder(upstream.run_id, upstream.step_key))
