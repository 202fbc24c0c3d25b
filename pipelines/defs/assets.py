"""Assets, following the data: raw files -> source_file -> parsed texts -> the package (its
tables, descriptor and database, written and swapped in together).

Each asset runs one stage of `archive_etl.build.pipeline`, the stages the CLI runs, so both
write the same bytes. Stages hand each other files in the workspace and the parse cache, never
whole tables, so no asset's value is pickled and memory does not grow with the corpus.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import polars as pl
from dagster import (
    AssetExecutionContext,
    AssetIn,
    AssetOut,
    Config,
    DynamicOut,
    DynamicOutput,
    In,
    MaterializeResult,
    MetadataValue,
    Nothing,
    OpExecutionContext,
    Output,
    asset,
    graph_asset,
    multi_asset,
    op,
)
from pydantic import Field

from archive_etl.build.cache import CacheStats, ParseCache, prune
from archive_etl.build.pipeline import (
    parse_stage,
    plan_stage,
    read_stage,
    resolve_stage,
    source_title,
    write_stage,
)
from archive_etl.database.store import DATABASE
from archive_etl.package.writer import PackageWriter
from archive_etl.results import markdown_table
from archive_etl.schema import ARTICLE, METRIC, PARAGRAPH, SOURCE_FILE, STATUSES, Table
from pipelines.defs.metadata import column_schema, file_table_metadata, markdown
from pipelines.defs.resources import ArchivePaths

GROUP = "archive"


@asset(group_name=GROUP, description="Every entry of the input folder, read, hashed and decoded.")
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


@asset(
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


class ParseSteps(Config):
    """How many steps share the parse: each is a process under the multiprocess executor."""

    steps: int = Field(
        default=0, description="Steps to split the buckets over; 0 means one per CPU core.", ge=0
    )


@op(
    ins={"source_file": In(Nothing)},
    out=DynamicOut(list),
    description="Split the buckets into a share per step.",
)
def split_buckets(config: ParseSteps, paths: ArchivePaths) -> Iterator[DynamicOutput[list]]:
    names = [plan.name for plan in plan_stage(paths.workspace)]
    steps = max(1, min(config.steps or os.cpu_count() or 1, len(names)))
    for i in range(steps):
        yield DynamicOutput(names[i::steps], mapping_key=f"share_{i}")


@op(description="Parse a share of the buckets into the parse cache (unchanged buckets are reused).")
def parse_share(context: OpExecutionContext, paths: ArchivePaths, share: list) -> tuple[CacheStats, list]:
    wanted = set(share)
    plans = [plan for plan in plan_stage(paths.workspace) if plan.name in wanted]
    cache = ParseCache(paths.cache_path)
    for _ in parse_stage(paths.workspace, plans, cache):
        pass  # each bucket's parse is now a cache entry, which the package step reads back
    stats = cache.stats
    context.log.info(
        "%s: parsed %d texts, reused %d",
        context.get_mapping_key(),
        stats.articles_parsed,
        stats.articles_reused,
    )
    return stats, sorted(cache.live)


@op(description="Add up the shares' work and drop cache entries no bucket used.")
def join_shares(paths: ArchivePaths, shares: list) -> Output[None]:
    stats = [s for s, _ in shares]
    prune(paths.cache_path, {name for _, live in shares for name in live})
    return Output(
        None,
        metadata={
            "articles_parsed": sum(s.articles_parsed for s in stats),
            "articles_reused": sum(s.articles_reused for s in stats),
            "buckets_parsed": sum(s.buckets_parsed for s in stats),
            "buckets_reused": sum(s.buckets_reused for s in stats),
            "steps": len(shares),
            "cache_dir": MetadataValue.path(str(paths.cache_path)),
        },
    )


@graph_asset(
    group_name=GROUP,
    ins={"source_file": AssetIn(dagster_type=Nothing)},
    description="The distinct texts parsed into header fields, paragraphs and metrics, bucket by "
    "bucket, into the parse cache (keyed by the texts and the parser's version). The buckets are "
    "split over steps that run in parallel under the multiprocess executor (job "
    "archive_multiprocess).",
)
def parsed_texts(source_file: None) -> None:
    return join_shares(split_buckets(source_file).map(parse_share).collect())


PACKAGE_TABLES: tuple[Table, ...] = (ARTICLE, PARAGRAPH, METRIC)


def _files_metadata(folder: Path) -> dict[str, object]:
    sizes = {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file()}
    rows = [(name, f"{size:,}") for name, size in sizes.items()]
    return {
        "path": MetadataValue.path(str(folder)),
        "files": MetadataValue.md(markdown_table(["file", "bytes"], rows)),
        "total_mb": round(sum(sizes.values()) / 1e6, 2),
    }


@multi_asset(
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
    deps=[source_file, parsed_texts],
    description="The package written bucket by bucket, its descriptor and its database, and the "
    "whole swapped in at once: the write stage the CLI runs.",
)
def package(context: AssetExecutionContext, paths: ArchivePaths) -> Iterator[MaterializeResult]:
    workspace = paths.workspace
    source = pl.read_parquet(workspace.source_file)
    plans = plan_stage(workspace)
    cache = ParseCache(paths.cache_path)
    with PackageWriter(paths.output_path, wait=paths.wait_seconds) as writer:
        descriptor = write_stage(
            writer,
            source,
            plans,
            parse_stage(workspace, plans, cache),
            source_title=source_title(source.height, paths.input_path),
        )
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
