"""Assets, following the data: raw files -> parsed texts -> the four tables -> package -> database.

Each asset is a thin call to the library functions the CLI uses, plus metadata for the UI.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import polars as pl
from dagster import (
    AssetExecutionContext,
    AssetOut,
    Config,
    DynamicOut,
    DynamicOutput,
    MaterializeResult,
    MetadataValue,
    OpExecutionContext,
    Output,
    asset,
    graph_asset,
    multi_asset,
    op,
)
from pydantic import Field

from archive_etl.build import source_title
from archive_etl.cache import CachedParse, buckets_of, parse_buckets, prune
from archive_etl.database import write_database
from archive_etl.outputlock import output_lock
from archive_etl.package import write_package
from archive_etl.results import markdown_table
from archive_etl.schema import SOURCE_FILE, STATUSES, TABLES
from archive_etl.sources import read_sources, scan
from archive_etl.tables import Parsed, Tables, assemble
from pipelines.defs.metadata import column_schema, markdown, table_metadata
from pipelines.defs.resources import ArchivePaths


@asset(group_name="archive", description="Every entry of the input folder, read, hashed and decoded.")
def raw_files(context: AssetExecutionContext, paths: ArchivePaths) -> Output[pl.DataFrame]:
    entries = scan(paths.input_path)
    sources = read_sources(entries)
    context.log.info("read %d entries from %s", len(entries), paths.input_path)
    return Output(
        sources,
        metadata={
            "input_dir": MetadataValue.path(str(paths.input_path)),
            "files": len(entries),
            "bytes": int(sources["bytes"].sum() or 0),
            "decoded": sources["text"].is_not_null().sum(),
        },
    )


class ParseSteps(Config):
    """How many steps share the parse: each is a process under the multiprocess executor."""

    steps: int = Field(
        default=0, description="Steps to split the buckets over; 0 means one per CPU core.", ge=0
    )


@op(out=DynamicOut(list), description="Split the distinct texts into their buckets, a share per step.")
def split_buckets(config: ParseSteps, raw_files: pl.DataFrame) -> Iterator[DynamicOutput[list]]:
    buckets = buckets_of(raw_files)
    steps = max(1, min(config.steps or os.cpu_count() or 1, len(buckets)))
    for i in range(steps):
        yield DynamicOutput(buckets[i::steps], mapping_key=f"share_{i}")


@op(description="Parse a share of the buckets, reusing the cache for every unchanged bucket.")
def parse_share(context: OpExecutionContext, paths: ArchivePaths, share: list) -> CachedParse:
    result = parse_buckets(share, paths.cache_path)
    context.log.info(
        "%s: parsed %d texts, reused %d from the cache",
        context.get_mapping_key(),
        result.stats.articles_parsed,
        result.stats.articles_reused,
    )
    return result


@op(description="Join the shares' parses and drop cache entries no bucket used.")
def join_shares(paths: ArchivePaths, shares: list[CachedParse]) -> Output[Parsed]:
    result = CachedParse.combine(shares)
    prune(paths.cache_path, set(result.live))
    return Output(
        result.parsed,
        metadata={
            "articles_parsed": result.stats.articles_parsed,
            "articles_reused": result.stats.articles_reused,
            "buckets_parsed": result.stats.buckets_parsed,
            "buckets_reused": result.stats.buckets_reused,
            "steps": len(shares),
            "cache_dir": MetadataValue.path(str(paths.cache_path)),
        },
    )


@graph_asset(
    group_name="archive",
    description="The distinct texts parsed into header fields, paragraphs and metrics. The buckets "
    "of texts are split over steps that run in parallel under the multiprocess executor (job "
    "archive_multiprocess); texts parsed before by the same parser come from the cache (keyed by "
    "content hash and parser version).",
)
def parsed_texts(raw_files: pl.DataFrame) -> Parsed:
    return join_shares(split_buckets(raw_files).map(parse_share).collect())


@multi_asset(
    outs={
        t.name: AssetOut(
            description=t.description,
            group_name="archive",
            metadata={"dagster/column_schema": column_schema(t), "primary_key": ", ".join(t.primary_key)},
        )
        for t in TABLES
    },
    description="Duplicates resolved and the four tables assembled, each conformed to its schema.",
)
def tables(raw_files: pl.DataFrame, parsed_texts: Parsed) -> Iterator[Output[pl.DataFrame]]:
    built = assemble(raw_files, parsed_texts)
    for table, df in built.items():
        metadata = table_metadata(table, df)
        if table is SOURCE_FILE:
            by_status = (
                df.group_by("status", "reason").agg(files=pl.len()).sort("status", "reason", nulls_last=True)
            )
            metadata["by_status"] = markdown(by_status)
            for status in STATUSES:
                metadata[status] = df.filter(pl.col("status") == status).height
        yield Output(df, output_name=table.name, metadata=metadata)


def _files_metadata(folder: Path) -> dict[str, object]:
    sizes = {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file()}
    rows = [(name, f"{size:,}") for name, size in sizes.items()]
    return {
        "path": MetadataValue.path(str(folder)),
        "files": MetadataValue.md(markdown_table(["file", "bytes"], rows)),
        "total_mb": round(sum(sizes.values()) / 1e6, 2),
    }


@asset(
    group_name="archive",
    description="The Frictionless Data Package (v2): Parquet per table, datapackage.json, README.md.",
)
def datapackage(
    context: AssetExecutionContext,
    paths: ArchivePaths,
    source_file: pl.DataFrame,
    article: pl.DataFrame,
    paragraph: pl.DataFrame,
    metric: pl.DataFrame,
) -> MaterializeResult:
    descriptor = write_package(
        Tables(source_file, article, paragraph, metric).items(),
        paths.output_path,
        source_title=source_title(source_file.height, paths.input_path),
        database=False,
    )
    context.log.info("wrote package %s version %s", paths.output_path, descriptor["version"])
    return MaterializeResult(
        metadata={
            "version": descriptor["version"],
            "created": descriptor["created"],
            **_files_metadata(paths.output_path),
        }
    )


@asset(
    group_name="archive",
    deps=[datapackage],
    description="archive.duckdb in the package folder: the tables and the analysts' views of sql/.",
)
def archive_duckdb(paths: ArchivePaths) -> MaterializeResult:
    with output_lock(paths.output_path):  # not while a build swaps the folder
        path = write_database(paths.output_path)
    return MaterializeResult(
        metadata={"path": MetadataValue.path(str(path)), "mb": round(path.stat().st_size / 1e6, 2)}
    )


ASSETS = [raw_files, parsed_texts, tables, datapackage, archive_duckdb]
