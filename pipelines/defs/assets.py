"""Assets, following the data: raw files -> source_file -> parsed texts -> the package (its
tables, descriptor and database, written and swapped in together).

Each asset runs one stage of `archive_etl.build.pipeline`, the stages the CLI runs, so both
write the same bytes. Stages hand each other files, never whole tables: the workspace, and the
parse cache, which the parse steps fill a shard each and the package step reads back the way the
CLI's build does. Nothing that grows with the corpus is pickled, no IO manager computes, and
memory stays flat.

Only the parse is partitioned, by the sixteen shards of its buckets: reading, resolving and
writing the package are whole-archive work and are not. Every asset has a single-run backfill
policy, so a run over a range of shards (`--partition-range 0...f`, the sensor's runs, the jobs)
is one run, whose parse is a step per shard; a run of some shards parses those and writes the
package from every shard's parse.
"""

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import polars as pl
from dagster import (
    AllPartitionMapping,
    AssetDep,
    AssetExecutionContext,
    AssetIn,
    AssetOut,
    BackfillPolicy,
    BetaWarning,
    DynamicOut,
    DynamicOutput,
    Failure,
    In,
    MaterializeResult,
    MetadataValue,
    Nothing,
    OpExecutionContext,
    Out,
    StaticPartitionsDefinition,
    asset,
    graph_asset,
    multi_asset,
    op,
)

from archive_etl.build.cache import ParseCache
from archive_etl.build.pipeline import (
    missing_stage,
    plan_stage,
    read_stage,
    resolve_stage,
    rows_stage,
    shard_stage,
    source_title,
    write_stage,
)
from archive_etl.build.tables import ARTICLE_TABLES, SHARDS, shard_of
from archive_etl.database.store import DATABASE
from archive_etl.package.writer import PackageWriter
from archive_etl.results import markdown_table
from archive_etl.schema import SOURCE_FILE, STATUSES, Table
from pipelines.defs.metadata import column_schema, file_table_metadata, markdown
from pipelines.defs.resources import ArchivePaths

GROUP = "archive"
SHARD_PARTITIONS = StaticPartitionsDefinition(list(SHARDS))
# What a Dagster decorator makes of a function: an AssetsDefinition.
T = TypeVar("T")


def single_run(
    decorator: Callable[..., Callable[[Callable[..., object]], T]], **kwargs: object
) -> Callable[[Callable[..., object]], T]:
    """`decorator(**kwargs)` with a single-run backfill policy: the parse's shards in one run, and
    (what the `dagster asset materialize --partition-range` command asks of every asset it runs)
    the unpartitioned assets with them. Backfill policies have been "beta" since Dagster 1.5:
    their warning, raised when the decorator is applied, is silenced there and only there."""

    def apply(fn: Callable[..., object]) -> T:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=BetaWarning, message=".*backfill_policy")
            return decorator(**kwargs, backfill_policy=BackfillPolicy.single_run())(fn)

    return apply


# The tags of a run over every shard: what the backfill of "Materialize all" launches.
ALL_SHARDS = {
    "dagster/asset_partition_range_start": SHARDS[0],
    "dagster/asset_partition_range_end": SHARDS[-1],
}


@single_run(
    asset,
    group_name=GROUP,
    description="Every entry of the input folder, read, hashed and decoded (the whole folder: a "
    "file's shard is known once its text is).",
)
def raw_files(context: AssetExecutionContext, paths: ArchivePaths) -> MaterializeResult:
    workspace = paths.workspace
    report = read_stage(paths.input_path, workspace, cache_dir=paths.cache_path)
    sources = pl.read_parquet(workspace.sources)
    context.log.info("read %d of %d entries from %s", report.files_read, report.files, paths.input_path)
    return MaterializeResult(
        metadata={
            "input_dir": MetadataValue.path(str(paths.input_path)),
            "files": report.files,
            "files_read": report.files_read,
            "bytes": int(sources["bytes"].sum() or 0),
            "decoded": sources["article_id"].is_not_null().sum(),
            "workspace": MetadataValue.path(str(workspace.root)),
        }
    )


@single_run(
    asset,
    group_name=GROUP,
    deps=[raw_files],
    description=SOURCE_FILE.description,
    metadata={"dagster/column_schema": column_schema(SOURCE_FILE)},
)
def source_file(paths: ArchivePaths) -> MaterializeResult:
    df = resolve_stage(paths.workspace)
    by_status = df.group_by("status", "reason").agg(files=pl.len()).sort("status", "reason", nulls_last=True)
    return MaterializeResult(
        metadata={
            **file_table_metadata(SOURCE_FILE, paths.workspace.source_file),
            "by_status": markdown(by_status),
            **{status: df.filter(pl.col("status") == status).height for status in STATUSES},
        }
    )


@op(ins={"source_file": In(Nothing)}, out=DynamicOut(str), description="A step for each shard of the run.")
def split_shards(context: OpExecutionContext) -> Iterator[DynamicOutput[str]]:
    for shard in sorted(context.partition_keys):
        yield DynamicOutput(shard, mapping_key=shard)


@op(
    description="Parse the shard's buckets that the parse cache lacks, into the cache (on a "
    "cluster, storage every worker mounts); what it parsed and reused is its output.",
)
def parse_shard(paths: ArchivePaths, shard: str) -> dict[str, int]:
    stats = shard_stage(paths.workspace, shard, ParseCache(paths.cache_path))
    return {"articles_parsed": stats.articles_parsed, "articles_reused": stats.articles_reused}


@op(out=Out(Nothing), description="The shards' parse, summed up: the asset's partitions are in the cache.")
def join_shards(context: OpExecutionContext, paths: ArchivePaths, shards: list[dict[str, int]]) -> None:
    total = {key: sum(s[key] for s in shards) for key in ("articles_parsed", "articles_reused")}
    context.log.info("%d shards: parsed %d texts, reused %d", len(shards), *total.values())
    context.add_output_metadata(
        {**total, "shards": len(shards), "cache_dir": MetadataValue.path(str(paths.cache_path))}
    )


@single_run(
    graph_asset,
    group_name=GROUP,
    partitions_def=SHARD_PARTITIONS,
    ins={"source_file": AssetIn(dagster_type=Nothing)},
    description="Each article's text parsed (paragraphs, metrics, people, documents cited, the "
    "search index's tokens) into the parse cache, by shard (the first hex digit of article_id): "
    "one step per shard, which the Celery and multiprocess executors run side by side. Texts "
    "parsed before by the same parser are not parsed again.",
)
def parsed_texts(source_file: None) -> None:
    return join_shards(split_shards(source_file).map(parse_shard).collect())


PACKAGE_TABLES: tuple[Table, ...] = ARTICLE_TABLES


def _files_metadata(folder: Path) -> dict[str, object]:
    sizes = {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file()}
    rows = [(name, f"{size:,}") for name, size in sizes.items()]
    return {
        "path": MetadataValue.path(str(folder)),
        "files": MetadataValue.md(markdown_table(["file", "bytes"], rows)),
        "total_mb": round(sum(sizes.values()) / 1e6, 2),
    }


@single_run(
    multi_asset,
    outs={
        **{
            t.name: AssetOut(
                description=t.description,
                group_name=GROUP,
                metadata={"dagster/column_schema": column_schema(t), "primary_key": ", ".join(t.primary_key)},
            )
            for t in PACKAGE_TABLES
        },
        "datapackage": AssetOut(
            group_name=GROUP,
            description="The Frictionless Data Package (v2): Parquet per table, datapackage.json, "
            "README.md, SHA256SUMS.",
        ),
        "archive_duckdb": AssetOut(
            group_name=GROUP,
            description="archive.duckdb in the package folder: the tables and the analysts' views of sql/.",
        ),
    },
    # Every shard's parse, whichever shards this run parsed: the package is whole.
    deps=[source_file, AssetDep("parsed_texts", partition_mapping=AllPartitionMapping())],
    description="The package written from every shard's parse, bucket by bucket, its descriptor and "
    "its database, and the whole swapped in at once: the write stage the CLI runs.",
)
def package(context: AssetExecutionContext, paths: ArchivePaths) -> Iterator[MaterializeResult]:
    workspace = paths.workspace
    source = pl.read_parquet(workspace.source_file)
    plans = plan_stage(workspace)
    cache = ParseCache(paths.cache_path)
    missing = missing_stage(workspace, plans, cache)
    if missing:
        shards = sorted({shard_of(name) for name in missing})
        raise Failure(
            f"the parse cache has no parse of shard(s) {', '.join(shards)} for this input and parser "
            f"({len(missing)} bucket(s)): materialise parsed_texts for those partitions, or all of them"
        )
    with PackageWriter(paths.output_path, wait=paths.wait_seconds) as writer:
        descriptor = write_stage(
            writer,
            source,
            rows_stage(workspace, plans, cache),
            source_title=source_title(source.height, paths.input_path),
            storage_version=paths.storage_version,
        )
    cache.finish()  # drop the entries no bucket of this input used, as the CLI's build does
    context.log.info("wrote package %s version %s", paths.output_path, descriptor["version"])
    for table in PACKAGE_TABLES:
        path = paths.output_path / table.path
        yield MaterializeResult(asset_key=table.name, metadata=file_table_metadata(table, path))
    yield MaterializeResult(
        asset_key="datapackage",
        metadata={
            "version": str(descriptor["version"]),
            "created": str(descriptor["created"]),
            **_files_metadata(paths.output_path),
        },
    )
    database = paths.output_path / DATABASE
    yield MaterializeResult(
        asset_key="archive_duckdb",
        metadata={"path": MetadataValue.path(str(database)), "mb": round(database.stat().st_size / 1e6, 2)},
    )


ASSETS = [raw_files, source_file, parsed_texts, package]
