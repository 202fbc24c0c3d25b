"""Assets, following the data: raw files -> parsed texts -> the four tables -> package -> database.

Each asset is a thin call to the library functions the CLI uses, plus metadata for the UI.
"""

from collections.abc import Iterator
from pathlib import Path

import polars as pl
from dagster import (
    AssetExecutionContext,
    AssetOut,
    MaterializeResult,
    MetadataValue,
    Output,
    asset,
    multi_asset,
)

from archive_etl.build import source_title
from archive_etl.cache import parse_cached
from archive_etl.database import write_database
from archive_etl.outputlock import output_lock
from archive_etl.package import write_package
from archive_etl.results import markdown_table
from archive_etl.schema import ARTICLE, METRIC, PARAGRAPH, SOURCE_FILE, TABLES
from archive_etl.sources import read_sources, scan
from archive_etl.tables import Parsed, assemble
from pipelines.defs.metadata import column_schema, table_metadata
from pipelines.defs.resources import ArchivePaths

TABLE_BY_NAME = {t.name: t for t in TABLES}


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


@asset(
    group_name="archive",
    description="The distinct texts parsed into header fields, paragraphs and metrics; texts parsed "
    "before by the same parser come from the cache (keyed by content hash and parser version).",
)
def parsed_texts(
    context: AssetExecutionContext, paths: ArchivePaths, raw_files: pl.DataFrame
) -> Output[Parsed]:
    parsed, stats = parse_cached(raw_files, paths.cache_path)
    context.log.info(
        "parsed %d texts, reused %d from the cache", stats.articles_parsed, stats.articles_reused
    )
    return Output(
        parsed,
        metadata={
            "articles_parsed": stats.articles_parsed,
            "articles_reused": stats.articles_reused,
            "buckets_parsed": stats.buckets_parsed,
            "buckets_reused": stats.buckets_reused,
            "cache_dir": MetadataValue.path(str(paths.cache_path)),
        },
    )


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
            metadata["by_status"] = MetadataValue.md(markdown_table(by_status.columns, by_status.rows()))
            for status in ("article", "duplicate", "rejected"):
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
    items = [(SOURCE_FILE, source_file), (ARTICLE, article), (PARAGRAPH, paragraph), (METRIC, metric)]
    descriptor = write_package(
        items,
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
