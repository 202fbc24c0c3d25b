"""The Dagster code location: definitions load, the real assets materialise, checks catch damage."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from dagster import RunRequest, SkipReason, build_sensor_context, materialize
from pipelines.definitions import defs
from pipelines.defs.assets import ALL_SHARDS, ASSETS
from pipelines.defs.checks import (
    ASSET_CHECKS,
    foreign_key_check,
    metric_sanity,
    package_valid,
    primary_key_check,
)
from pipelines.defs.resources import ArchivePaths
from pipelines.defs.sensors import raw_files_changed

from archive_etl.archive.validate import validate_package
from archive_etl.build import build as build_package
from archive_etl.build.tables import SHARDS, shard_of
from archive_etl.schema import ARTICLE, METRIC, PARAGRAPH, TABLES, Table
from conftest import ASSET_NAMES, CHECK_COUNT, NEW_ARTICLE, ROOT, SEED_ROWS, SEEDS


def paths_for(tmp_path: Path, input_dir: Path = SEEDS, output: Path | None = None) -> ArchivePaths:
    return ArchivePaths(
        input_dir=str(input_dir),
        output_dir=str(output or tmp_path / "pkg"),
        cache_dir=str(tmp_path / "cache"),
        work_dir=str(tmp_path / "work"),
    )


def materialize_all(paths: ArchivePaths, shards: dict[str, str] = ALL_SHARDS, **kwargs: object):
    """What "Materialize all" runs: every asset and check, every shard, in one run (or, with
    `shards`' range tags, those shards)."""
    return materialize([*ASSETS, *ASSET_CHECKS], resources={"paths": paths}, tags=shards, **kwargs)


def one_shard(shard: str) -> dict[str, str]:
    return {"dagster/asset_partition_range_start": shard, "dagster/asset_partition_range_end": shard}


def test_definitions_load_with_every_asset_check_and_the_sensor() -> None:
    repo = defs.get_repository_def()
    assert {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()} == ASSET_NAMES
    checks = {(k.asset_key.to_user_string(), k.name) for k in repo.asset_graph.asset_check_keys}
    assert ("datapackage", "fixity") in checks and ("source_file", "every_input_accounted_for") in checks
    assert len(checks) == CHECK_COUNT
    assert [s.name for s in repo.sensor_defs] == ["raw_files_changed"]


def test_materialize_all_builds_the_package_and_every_check_passes(tmp_path: Path) -> None:
    result = materialize_all(paths_for(tmp_path))
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == CHECK_COUNT and all(e.passed for e in evaluations)
    assert (tmp_path / "pkg" / "datapackage.json").exists() and (tmp_path / "pkg" / "archive.duckdb").exists()
    events = {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    assert events["paragraph"]["dagster/row_count"].value == SEED_ROWS["paragraph"]
    assert events["metric"]["dagster/row_count"].value == SEED_ROWS["metric"]
    assert [c.name for c in events["article"]["dagster/column_schema"].schema.columns] == ARTICLE.columns
    assert "| article_id |" in events["paragraph"]["preview"].value
    assert events["source_file"]["article"].value == 5 and "by_status" in events["source_file"]
    assert events["parsed_texts"]["articles_parsed"].value == 5
    assert events["parsed_texts"]["shards"].value == 16
    assert events["datapackage"]["version"].value == "1.0.0"


def test_a_new_file_is_the_only_text_parsed_again(corpus: Path, tmp_path: Path) -> None:
    paths = paths_for(tmp_path, corpus)
    assert materialize_all(paths).success
    (corpus / "moi.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    again = materialize_all(paths)
    assert again.success
    parsed = next(
        e for e in again.get_asset_materialization_events() if e.asset_key.to_user_string() == "parsed_texts"
    )
    meta = parsed.step_materialization_data.materialization.metadata
    assert meta["articles_parsed"].value == 1
    assert meta["articles_reused"].value == 5
    assert pl.read_parquet(tmp_path / "pkg" / "article.parquet").height == 6


def _cache_entries(paths: ArchivePaths) -> set[str]:
    return {p.name for p in Path(paths.cache_dir).glob("*.parquet")}


def _ids_of(corpus: Path, output: Path) -> set[str]:
    """The article ids of a folder, as the CLI's build finds them."""
    return set(build_package(corpus, output).tables.article["article_id"])


def test_a_run_of_one_shard_parses_it_and_writes_the_whole_package(corpus: Path, tmp_path: Path) -> None:
    """A run names some shards: the package step reads every other shard's parse from the cache,
    and refuses, naming them, the shards the cache has no parse of."""
    paths = paths_for(tmp_path, corpus)
    ids = _ids_of(corpus, tmp_path / "cli")
    shards = sorted({shard_of(i) for i in ids})
    alone = materialize_all(paths, shards=one_shard(shards[0]), raise_on_error=False)
    assert not alone.success
    (failure,) = [e for e in alone.all_events if e.event_type_value == "STEP_FAILURE"]
    message = failure.step_failure_data.error.message
    assert f"has no parse of shard(s) {', '.join(shards[1:])} " in message, message
    assert not (tmp_path / "pkg").exists()
    # Every shard parsed once, then a new file: a run of its shard alone parses it and no other.
    assert materialize_all(paths).success
    before = _cache_entries(paths)
    (corpus / "moi.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (new_id,) = _ids_of(corpus, tmp_path / "cli") - ids
    new_shard = shard_of(new_id)
    run = materialize_all(paths, shards=one_shard(new_shard))
    assert run.success
    (parsed,) = [
        e.step_materialization_data.materialization.metadata
        for e in run.get_asset_materialization_events()
        if e.asset_key.to_user_string() == "parsed_texts"
    ]
    assert parsed["articles_parsed"].value == 1 and parsed["shards"].value == 1
    assert pl.read_parquet(tmp_path / "pkg" / "article.parquet").height == 6
    # The package step kept the entries of this input: only the new text's shard's changed.
    assert {shard_of(name) for name in _cache_entries(paths) ^ before} == {new_shard}


def _damaged(built, tmp_path: Path, table: Table, damage: pl.DataFrame) -> ArchivePaths:
    """A copy of the built package with one table replaced by `damage`."""
    folder = tmp_path / "damaged"
    shutil.copytree(built.output, folder)
    damage.write_parquet(folder / table.path)
    return ArchivePaths(output_dir=str(folder))


def test_key_checks_fail_on_damaged_tables(built, tmp_path: Path) -> None:
    whole = ArchivePaths(output_dir=str(built.output))
    assert primary_key_check(PARAGRAPH)(whole).passed and foreign_key_check(METRIC)(whole).passed
    paragraphs = built.tables.paragraph
    repeated = _damaged(built, tmp_path / "a", PARAGRAPH, pl.concat([paragraphs, paragraphs.head(1)]))
    assert not primary_key_check(PARAGRAPH)(repeated).passed
    dangling = built.tables.metric.with_columns(paragraph_no=pl.lit(999, pl.Int64))
    assert not foreign_key_check(METRIC)(_damaged(built, tmp_path / "b", METRIC, dangling)).passed


def test_metric_sanity_flags_implausible_values(built, tmp_path: Path) -> None:
    assert metric_sanity(ArchivePaths(output_dir=str(built.output))).passed
    odd = built.tables.metric.with_columns(
        value=pl.when(pl.col("kind") == "percent").then(9999.0).otherwise("value")
    )
    result = metric_sanity(_damaged(built, tmp_path, METRIC, odd))
    assert not result.passed and result.severity.value == "WARN"


def test_package_checks_fail_on_a_damaged_package(built, tmp_path: Path) -> None:
    folder = tmp_path / "pkg"
    shutil.copytree(built.output, folder)
    path = folder / "paragraph.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    results = {r.check_name: r.passed for r in package_valid(paths=ArchivePaths(output_dir=str(folder)))}
    assert results == {"descriptor_valid": True, "fixity": False, "rows_valid": True}


def test_sensor_requests_a_run_only_when_the_input_changes(corpus: Path) -> None:
    resources = {"paths": ArchivePaths(input_dir=str(corpus))}
    with build_sensor_context(resources=resources) as context:
        first = raw_files_changed(context)
        assert isinstance(first, RunRequest)
        assert isinstance(raw_files_changed(context), SkipReason)
        (corpus / "moi.txt").write_text("Tin mới", encoding="utf-8")
        assert isinstance(raw_files_changed(context), RunRequest)


@pytest.mark.parametrize("name", ["raw_files", "parsed_texts", "datapackage", "archive_duckdb"])
def test_each_asset_has_a_description(name: str) -> None:
    repo = defs.get_repository_def()
    node = next(n for n in repo.asset_graph.asset_nodes if n.key.to_user_string() == name)
    assert node.description


@pytest.mark.parametrize("executor", ["", "celery", "nonsense"])
def test_the_environment_chooses_the_executor_of_every_run(executor: str) -> None:
    code = (
        "import pipelines.definitions as d\n"
        "print(d.defs.resolve_implicit_global_asset_job_def().executor_def.name)"
    )
    env = {**os.environ, "ARCHIVE_ETL_EXECUTOR": executor} if executor else os.environ
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if executor == "nonsense":
        assert result.returncode != 0 and "choose one of in_process, multiprocess, celery" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert result.stdout.split()[-1] == (executor or "in_process")


def run_config(tmp_path: Path, input_dir: Path = SEEDS) -> Path:
    """A run config file, as a data engineer writes one for `dagster job execute`: the seeds in,
    everything else under `tmp_path` (the package in `pkg`)."""
    config = tmp_path / "run.yaml"
    config.write_text(
        "resources:\n  paths:\n    config:\n"
        f"      input_dir: {input_dir}\n      output_dir: {tmp_path / 'pkg'}\n"
        f"      cache_dir: {tmp_path / 'cache'}\n      work_dir: {tmp_path / 'work'}\n",
        encoding="utf-8",
    )
    return config


@pytest.mark.slow
def test_the_multiprocess_job_builds_the_package_with_the_parse_in_parallel_steps(tmp_path: Path) -> None:
    """`archive_multiprocess` as a data engineer runs it: the dagster CLI, a persistent instance,
    every step in a process of its own."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    config = run_config(tmp_path)
    dagster = str(Path(sys.executable).with_name("dagster"))
    job = ["-m", "pipelines.definitions", "-j", "archive_multiprocess", "-c", str(config)]
    run = subprocess.run(
        [dagster, "job", "execute", *job, "--tags", json.dumps(ALL_SHARDS)],
        cwd=ROOT,
        env={**os.environ, "DAGSTER_HOME": str(home)},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    log = run.stderr + run.stdout
    assert "RUN_SUCCESS" in log
    # The parse ran as a step per shard, each in its own process, under the multiprocess executor.
    steps = re.findall(r" - (\d+) - parsed_texts\.parse_shard\[(\w)\] - STEP_START", log)
    assert sorted(shard for _, shard in steps) == list(SHARDS)
    assert len({pid for pid, _ in steps}) == len(SHARDS), steps
    assert validate_package(tmp_path / "pkg").valid
    assert pl.read_parquet(tmp_path / "pkg" / "metric.parquet").height == SEED_ROWS["metric"]


PACKAGE_FILES = ["datapackage.json", "README.md", "SHA256SUMS", *(t.path for t in TABLES)]


def _package_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a package but the database (DuckDB files are not byte-reproducible)."""
    return {name: (folder / name).read_bytes() for name in PACKAGE_FILES}


def test_the_cli_and_materialize_all_write_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One pipeline, two shells: the same folder gives byte-identical Parquet and descriptor,
    version included, whichever shell builds it and in whichever order."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    cli = tmp_path / "cli"
    assert build_package(SEEDS, cli).rows == SEED_ROWS
    dagster = tmp_path / "dagster"
    assert materialize_all(paths_for(tmp_path, output=dagster)).success
    assert _package_bytes(dagster) == _package_bytes(cli)
    # Alternating the shells on unchanged input changes nothing, the version least of all.
    assert materialize_all(paths_for(tmp_path, output=cli)).success
    build_package(SEEDS, dagster)
    assert _package_bytes(cli) == _package_bytes(dagster)
    assert json.loads((cli / "datapackage.json").read_text())["version"] == "1.0.0"


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout


def test_materialize_all_with_the_default_paths_leaves_git_status_as_it_was() -> None:
    before = _git_status()
    assert materialize_all(ArchivePaths()).success
    assert _git_status() == before
    assert (ROOT / "build" / "datapackage" / "datapackage.json").exists()
