"""The code location's table of contents."""

import os

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor, multiprocess_executor
from dagster_celery import celery_executor

from pipelines.defs.assets import ASSETS
from pipelines.defs.checks import ASSET_CHECKS
from pipelines.defs.parts import ParquetParts
from pipelines.defs.resources import ArchivePaths
from pipelines.defs.sensors import raw_files_changed

# The broker (and result backend) of the Celery job; the workers must be started with the same.
BROKER = os.environ.get("ARCHIVE_ETL_BROKER", "redis://127.0.0.1:6379/0")

defs = Definitions(
    assets=ASSETS,
    asset_checks=ASSET_CHECKS,
    sensors=[raw_files_changed],
    # The same assets with each step in a process of its own: the parse's shard steps then run
    # side by side, on this machine's cores or on Celery workers anywhere (docs/scaling.md).
    jobs=[
        define_asset_job(
            "archive_multiprocess",
            selection=AssetSelection.all(),
            description="Materialise everything, each step in a process of its own (one per core at a time).",
            executor_def=multiprocess_executor.configured({"max_concurrent": os.cpu_count() or 1}),
        ),
        define_asset_job(
            "archive_celery",
            selection=AssetSelection.all(),
            description="Materialise everything on Celery workers: start redis-server and workers first "
            "(docs/scaling.md).",
            executor_def=celery_executor.configured({"broker": BROKER, "backend": BROKER}),
        ),
    ],
    resources={"paths": ArchivePaths(), "parts": ParquetParts()},
    # One process per run: a step in a process of its own pays ~2 s of imports (and there are 16
    # shard steps), and each step's work is already multi-threaded (Polars, DuckDB).
    executor=in_process_executor,
)
