"""Asset checks. Blocking where a bad result must not flow downstream (keys, inputs, fixity)."""

from collections.abc import Iterable, Iterator
from pathlib import Path

import polars as pl
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetsDefinition,
    MetadataValue,
    asset_check,
    multi_asset_check,
)

from archive_etl.archive import keys
from archive_etl.archive.checks import header_warnings, metric_outliers, unaccounted_inputs
from archive_etl.archive.validate import validate_package
from archive_etl.database.sqltext import identifier
from archive_etl.database.store import BASE_VIEWS, MEMORY_LIMIT, connect
from archive_etl.results import markdown_table
from archive_etl.schema import ARTICLE, METRIC, SOURCE_FILE, TABLES, Table
from pipelines.defs.metadata import markdown
from pipelines.defs.resources import ArchivePaths

FIRST = 10
TABLE_BY_NAME = {t.name: t for t in TABLES}


def _result(
    bad: pl.DataFrame, what: str, severity: AssetCheckSeverity = AssetCheckSeverity.ERROR
) -> AssetCheckResult:
    return AssetCheckResult(
        passed=bad.height == 0,
        severity=severity,
        description=f"{bad.height} {what}" if bad.height else f"no {what}",
        metadata={"count": bad.height, "first": markdown(bad.head(FIRST))},
    )


def _path(paths: ArchivePaths, table: Table) -> Path:
    """Where the assets left a table: source_file in the workspace, the others in the package."""
    return paths.workspace.source_file if table is SOURCE_FILE else paths.output_path / table.path


def _table(paths: ArchivePaths, table: Table, columns: Iterable[str]) -> pl.LazyFrame:
    """A table scanned for only the `columns` a check needs: the texts of an archive are gigabytes."""
    return pl.scan_parquet(_path(paths, table)).select(list(columns))


def _keys_result(problems: list[keys.KeyProblem]) -> AssetCheckResult:
    """A key check's result: what `archive-etl validate` would report of the table's keys."""
    rows = [{"problem": p.message, **row} for p in problems for row in p.rows]
    count = sum(p.count for p in problems)
    return AssetCheckResult(
        passed=not problems,
        description="; ".join(p.message for p in problems) or "every key holds",
        metadata={"count": count, "first": markdown(pl.DataFrame(rows, infer_schema_length=None))},
    )


def primary_key_check(table: Table) -> AssetsDefinition:
    @asset_check(
        asset=table.name,
        name="primary_key_unique",
        blocking=True,
        description=f"({', '.join(table.primary_key)}) is never null and never repeated.",
    )
    def check(paths: ArchivePaths) -> AssetCheckResult:
        with keys.connect() as con:
            view = keys.table_view(con, table.name, _path(paths, table))
            return _keys_result(keys.primary_key_problems(con, view, table.primary_key))

    check.__name__ = f"{table.name}_primary_key_unique"
    return check


def foreign_key_check(table: Table) -> AssetsDefinition:
    parent = TABLE_BY_NAME[table.foreign_keys[0].resource]

    @asset_check(
        asset=table.name,
        name="foreign_keys_resolve",
        blocking=True,
        description=f"Every row's foreign key matches a row of {parent.name}.",
    )
    def check(paths: ArchivePaths) -> AssetCheckResult:
        (fk,) = table.foreign_keys
        with keys.connect() as con:
            child = keys.table_view(con, table.name, _path(paths, table))
            target = keys.table_view(con, parent.name, _path(paths, parent))
            found = keys.foreign_key_problems(con, child, fk.fields, target, fk.reference_fields, parent.name)
            return _keys_result(found)

    check.__name__ = f"{table.name}_foreign_keys_resolve"
    return check


@asset_check(
    asset="source_file",
    blocking=True,
    description="Every entry of the input folder has a row, and every non-article a reason.",
)
def every_input_accounted_for(paths: ArchivePaths) -> AssetCheckResult:
    entries = pl.read_parquet(paths.workspace.sources, columns=["source_file"])
    bad = unaccounted_inputs(entries, _table(paths, SOURCE_FILE, ["source_file", "status", "reason"]))
    return _result(bad, "inputs unaccounted for")


@asset_check(
    asset="metric", description="No percentage above 1,000 and no ratio above its whole (a warning)."
)
def metric_sanity(paths: ArchivePaths) -> AssetCheckResult:
    metrics = _table(paths, METRIC, ["metric_id", "raw", "kind", "value", "denominator", "subject"])
    return _result(metric_outliers(metrics), "implausible metrics", AssetCheckSeverity.WARN)


@asset_check(
    asset="article",
    description="No header value left unread: a date, time or view count that could not be read is "
    "null with a `warning` (a warning; the package is still valid).",
)
def article_warnings(paths: ArchivePaths) -> AssetCheckResult:
    return _result(
        header_warnings(_table(paths, ARTICLE, ["source_file", "warning"])),
        "articles with header warnings",
        AssetCheckSeverity.WARN,
    )


_PACKAGE_CHECKS = {
    "descriptor_valid": ({"descriptor-error"}, "The descriptor follows the Data Package v2 profile."),
    "fixity": (
        {"missing-file", "byte-count", "hash-count", "manifest-error", "source-error"},
        "Every file is present, with the size and SHA-256 the descriptor and SHA256SUMS record.",
    ),
    "rows_valid": (None, "Every row fits its Table Schema; primary and foreign keys hold."),
}


@multi_asset_check(
    specs=[
        AssetCheckSpec(name, asset="datapackage", blocking=True, description=d)
        for name, (_, d) in _PACKAGE_CHECKS.items()
    ],
    description="archive-etl validate, split by kind of problem.",
)
def package_valid(paths: ArchivePaths) -> Iterator[AssetCheckResult]:
    report = validate_package(paths.output_path)
    claimed = set().union(*(types for types, _ in _PACKAGE_CHECKS.values() if types))
    for name, (types, _) in _PACKAGE_CHECKS.items():
        problems = [p for p in report.problems if (p.type in types if types else p.type not in claimed)]
        rows = [(p.resource or "", p.type, p.message) for p in problems[:FIRST]]
        yield AssetCheckResult(
            check_name=name,
            asset_key="datapackage",
            passed=not problems,
            description=f"{len(problems)} problem(s)" if problems else "valid",
            metadata={
                "problems": MetadataValue.md(markdown_table(["resource", "type", "message"], rows)),
                **{f"rows_{k}": v for k, v in report.rows.items()},
            },
        )


@asset_check(
    asset="archive_duckdb",
    blocking=True,
    description="Opened read-only, every view and mart answers and each base view has the package's "
    "row count.",
)
def views_answer(paths: ArchivePaths) -> AssetCheckResult:
    folder = paths.output_path
    with connect(folder) as con:
        # The views of a large archive aggregate millions of rows: bounded, as the build is.
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        views = [
            r[0]
            for r in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE NOT internal "
                "UNION ALL SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'"
            ).fetchall()
        ]
        counts = {v: con.execute(f"SELECT count(*) FROM {identifier(v)}").fetchall()[0][0] for v in views}
    expected = {t.name: pl.scan_parquet(folder / t.path).select(pl.len()).collect().item() for t in TABLES}
    got = {name: counts.get(BASE_VIEWS[name]) for name in expected}
    wrong = [(name, got[name], rows) for name, rows in expected.items() if got[name] != rows]
    return AssetCheckResult(
        passed=not wrong,
        description=f"{len(views)} views and marts answer" if not wrong else f"row counts differ: {wrong}",
        metadata={"views": len(views), **{f"rows_{v}": n for v, n in counts.items()}},
    )


ASSET_CHECKS = [
    *(primary_key_check(t) for t in TABLES),
    *(foreign_key_check(t) for t in TABLES if t.foreign_keys),
    every_input_accounted_for,
    metric_sanity,
    article_warnings,
    package_valid,
    views_answer,
]
