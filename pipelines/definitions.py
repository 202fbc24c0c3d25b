"""The code location's table of contents."""

import os

from dagster import (
    AssetSelection,
    Definitions,
    ExecutorDefinition,
    define_asset_job,
    in_process_executor,
    multiprocess_executor,
)
from dagster_celery import celery_executor

from pipelines.cluster import celery_config
from pipelines.defs.assets import ASSETS
from pipelines.defs.checks import ASSET_CHECKS
from pipelines.defs.resources import ArchivePaths
from pipelines.defs.sensors import raw_files_changed

# The broker (and result backend) of the Celery executor; the workers must be started with the
# same (python -m pipelines.cluster does).
BROKER = os.environ.get("ARCHIVE_ETL_BROKER", "redis://127.0.0.1:6379/0")
EXECUTORS: dict[str, ExecutorDefinition] = {
    # One process per run: a step in a process of its own pays ~2 s of imports (and there are 16
    # shard steps), and each step's work is already multi-threaded (Polars, DuckDB).
    "in_process": in_process_executor,
    # Each step in a process of its own, at most one per core at a time.
    "multiprocess": multiprocess_executor.configured({"max_concurrent": os.cpu_count() or 1}),
    # Each step a Celery task, run by whichever worker is free, on this machine or another.
    "celery": celery_executor.configured(
        {"broker": BROKER, "backend": BROKER, "config_source": celery_config()}
    ),
}
# What "Materialize all" and every other run use unless a job says otherwise: ARCHIVE_ETL_EXECUTOR
# =celery in the environment of `dagster dev` sends the UI's runs to the Celery workers.
EXECUTOR = os.environ.get("ARCHIVE_ETL_EXECUTOR", "in_process")
if EXECUTOR not in EXECUTORS:
    raise ValueError(f"ARCHIVE_ETL_EXECUTOR={EXECUTOR!r}: choose one of {', '.join(EXECUTORS)}")

defs = Definitions(
    assets=ASSETS,
    asset_checks=ASSET_CHECKS,
    sensors=[raw_files_changed],
    jobs=[
        define_asset_job(
            f"archive_{name}",
            selection=AssetSelection.all(),
            description=f"Materialise everything with the {name} executor (docs/scaling.md).",
            executor_def=EXECUTORS[name],
        )
        for name in ("multiprocess", "celery")
    ],
    resources={"paths": ArchivePaths()},
    executor=EXECUTORS[EXECUTOR],
)
