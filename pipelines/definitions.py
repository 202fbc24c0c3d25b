"""The code location's table of contents."""

from dagster import Definitions, in_process_executor

from pipelines.defs.assets import archive_duckdb, datapackage, parsed_texts, raw_files, tables
from pipelines.defs.checks import ASSET_CHECKS
from pipelines.defs.resources import ArchivePaths
from pipelines.defs.sensors import raw_files_changed

defs = Definitions(
    assets=[raw_files, parsed_texts, tables, datapackage, archive_duckdb],
    asset_checks=ASSET_CHECKS,
    sensors=[raw_files_changed],
    resources={"paths": ArchivePaths()},
    # One process per run: a step in a process of its own pays ~2 s of imports (18 steps: 34 s
    # against 5 s for the seeds), and each step's work is already multi-threaded (Polars, DuckDB).
    executor=in_process_executor,
)
