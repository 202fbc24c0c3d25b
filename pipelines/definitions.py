"""The code location's table of contents."""

import os

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor, multiprocess_executor

from pipelines.defs.assets import ASSETS
from pipelines.defs.checks import ASSET_CHECKS
from pipelines.defs.resources import ArchivePaths
from pipelines.defs.sensors import raw_files_changed

defs = Definitions(
    assets=ASSETS,
    asset_checks=ASSET_CHECKS,
    sensors=[raw_files_changed],
    # The same assets with each step in a process of its own, at most one per core at a time:
    # the parse's shares then run in parallel (measured in docs/scaling.md).
    jobs=[
        define_asset_job(
            "archive_multiprocess",
            selection=AssetSelection.all(),
            description="Materialise everything with the parse split over processes (one per core).",
            executor_def=multiprocess_executor.configured({"max_concurrent": os.cpu_count() or 1}),
        )
    ],
    resources={"paths": ArchivePaths()},
    # One process per run: a step in a process of its own pays ~2 s of imports (18 steps: 34 s
    # against 5 s for the seeds), and each step's work is already multi-threaded (Polars, DuckDB).
    executor=in_process_executor,
)
