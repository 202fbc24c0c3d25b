"""A sensor that notices new or changed raw files and materialises the pipeline again.

Stopped by default (turn it on under Automation in the UI): on a fresh instance "Materialize
all" should be the only thing that runs.
"""

from dagster import (
    AssetSelection,
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from archive_etl.read.sources import fingerprint, scan
from pipelines.defs.assets import ALL_SHARDS
from pipelines.defs.resources import ArchivePaths


@sensor(
    target=AssetSelection.all(),
    default_status=DefaultSensorStatus.STOPPED,
    minimum_interval_seconds=30,
    description="Materialises everything when input files are added, changed or removed.",
)
def raw_files_changed(context: SensorEvaluationContext, paths: ArchivePaths) -> RunRequest | SkipReason:
    signature = fingerprint(scan(paths.input_path))
    if context.cursor == signature:
        return SkipReason(f"no change in {paths.input_path}")
    context.update_cursor(signature)
    # Every shard in one run, as "Materialize all" does it (the assets' single-run policy).
    return RunRequest(run_key=signature, tags=ALL_SHARDS)
