"""The Celery executor on a real broker: redis-server and two dagster-celery workers, started and
stopped here, run every asset and check; the shards' parse steps land on both workers, and the
package has the bytes the CLI writes."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from pipelines.cluster import free_port, local_cluster
from pipelines.postgres import instance_home, local_postgres

from archive_etl.build import build as build_package
from archive_etl.build.tables import SHARDS
from conftest import ASSET_NAMES, CHECK_COUNT, ROOT, SEEDS
from test_postgres import needs_postgres

pytestmark = pytest.mark.slow

DAGSTER = Path(sys.executable).with_name("dagster")
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


needs_redis = pytest.mark.skipif(
    shutil.which("redis-server") is None and not os.environ.get("CI"),
    reason="Debian's redis-server is not installed",
)


def workers_of(home: Path, run_id: str) -> dict[str, str]:
    """The worker that ran each step of a run, as the Celery executor recorded it."""
    from dagster import DagsterEventType, DagsterInstance

    worker_of = {}
    instance = DagsterInstance.from_config(str(home))
    for entry in instance.all_logs(run_id, of_type=DagsterEventType.ENGINE_EVENT):
        event = entry.dagster_event
        metadata = event.engine_event_data.metadata if event and event.engine_event_data else {}
        if "Celery worker" in metadata:
            worker_of[event.step_key] = str(metadata["Celery worker"].value).split("@")[0]
    return worker_of


def shard_workers(home: Path, run_id: str) -> dict[str, str]:
    """Shard -> the worker that parsed it."""
    steps = workers_of(home, run_id).items()
    return {key[-2]: w for key, w in steps if key.startswith("parsed_texts.parse_shard[")}


@needs_redis
def test_celery_workers_share_the_shards_and_write_the_cli_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dagster import DagsterEventType, DagsterInstance
    from pipelines.defs.assets import ALL_SHARDS

    from test_pipelines import _package_bytes, run_config

    config = run_config(tmp_path)
    home = tmp_path / "dagster_home"
    with local_cluster(home, workers=2, env=EPOCH) as cluster:
        run = subprocess.run(
            [
                str(DAGSTER),
                "job",
                "execute",
                "-m",
                "pipelines.definitions",
                "-j",
                "archive_celery",
                "-c",
                str(config),
                "--tags",
                json.dumps(ALL_SHARDS),
            ],
            cwd=ROOT,
            env=cluster.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr[-3000:]
    instance = DagsterInstance.from_config(str(home))
    (record,) = instance.get_runs()
    assert record.status.value == "SUCCESS"
    shards = shard_workers(home, record.run_id)
    assert sorted(shards) == list(SHARDS)
    assert set(shards.values()) == {"w1", "w2"}, Counter(shards.values())
    checks = [
        e.dagster_event.event_specific_data
        for e in instance.all_logs(record.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
    ]
    assert len(checks) == CHECK_COUNT and all(c.passed for c in checks)
    monkeypatch.setenv(*next(iter(EPOCH.items())))
    cli = build_package(SEEDS, tmp_path / "cli")
    assert _package_bytes(tmp_path / "pkg") == _package_bytes(cli.output)


def _tasks(log: Path, state: str) -> list[str]:
    """The ids of the Celery tasks a worker's log says were `received` or have `succeeded`."""
    return re.findall(rf"Task execute_plan\[([0-9a-f-]+)\] {state}", log.read_text(errors="replace"))


@needs_redis
def test_a_worker_killed_mid_step_costs_a_retry_not_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Worker w1 is SIGKILLed, all its processes, the moment it takes a step after the parse
    began: its task, acknowledged only once run, comes back from Redis after the visibility
    timeout (5 s here), w2 runs that step again, the run succeeds and the package has the CLI's
    bytes (the dead step's half-written parse is never used)."""
    from pipelines.defs.assets import ALL_SHARDS

    from test_pipelines import _package_bytes, run_config

    monkeypatch.setenv("ARCHIVE_ETL_CELERY_VISIBILITY_TIMEOUT", "5")
    config = run_config(tmp_path)
    home = tmp_path / "dagster_home"
    with local_cluster(home, workers=2, env=EPOCH) as cluster:
        w1, w2, output = cluster.logs / "w1.log", cluster.logs / "w2.log", tmp_path / "run.log"
        cmd = [
            str(DAGSTER), "job", "execute", "-m", "pipelines.definitions", "-j", "archive_celery",
            "-c", str(config), "--tags", json.dumps(ALL_SHARDS),
        ]  # fmt: skip
        with output.open("w") as out:
            run = subprocess.Popen(cmd, cwd=ROOT, env=cluster.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 300
        while 'step "parsed_texts.parse_shard[' not in output.read_text(errors="replace"):
            assert run.poll() is None and time.monotonic() < deadline, output.read_text()[-3000:]
            time.sleep(0.01)
        taken = len(_tasks(w1, "received"))
        while len(_tasks(w1, "received")) == taken:
            assert run.poll() is None and time.monotonic() < deadline, "w1 took no step after the parse began"
            time.sleep(0.01)
        os.killpg(cluster.sessions[0], signal.SIGKILL)
        killed = _tasks(w1, "received")[-1]
        assert run.wait(timeout=300) == 0, output.read_text()[-3000:]
    assert killed not in _tasks(w1, "succeeded")  # it died with w1
    assert killed in _tasks(w2, "received") and killed in _tasks(w2, "succeeded")
    monkeypatch.setenv(*next(iter(EPOCH.items())))
    cli = build_package(SEEDS, tmp_path / "cli")
    assert _package_bytes(tmp_path / "pkg") == _package_bytes(cli.output)


@needs_redis
@needs_postgres
def test_materialize_all_in_the_ui_runs_on_the_workers_and_the_postgres_instance(
    tmp_path: Path, shared_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dagster dev` started with ARCHIVE_ETL_EXECUTOR=celery beside the cluster, the instance on
    Postgres (deploy/postgres/dagster.yaml): the backfill of "Materialize all" parses every shard
    in one run, whose steps the two workers share, and its runs and checks are rows in Postgres."""
    from test_dagster_ui import (
        assert_checks_passed,
        asset_keys_and_checks,
        dagster_dev,
        launch_materialize_all,
    )

    home = instance_home(shared_tmp / "home")
    with (
        local_postgres(shared_tmp / "data", free_port()) as pg,
        local_cluster(home, workers=2, env=pg.env) as cluster,
        dagster_dev(home, {**cluster.env, "ARCHIVE_ETL_EXECUTOR": "celery"}) as dagster,
    ):
        keys, checks = asset_keys_and_checks(dagster)
        assert {k["path"][0] for k in keys} >= ASSET_NAMES and len(checks) == CHECK_COUNT
        runs = launch_materialize_all(dagster, tmp_path)
        assert_checks_passed(dagster, checks, runs)
        stored = pg.query("SELECT run_id, status FROM runs")
        assert sorted(stored) == sorted((r["runId"], "SUCCESS") for r in runs)
        executions = pg.query("SELECT execution_status, count(*) FROM asset_check_executions GROUP BY 1")
        assert executions == [("SUCCEEDED", CHECK_COUNT)]
        for name, value in pg.env.items():  # for this process to read the instance too
            monkeypatch.setenv(name, value)
        (parse,) = [
            r for r in runs if any(t["key"] == "dagster/asset_partition_range_start" for t in r["tags"])
        ]
        shards = shard_workers(home, parse["runId"])
    assert sorted(shards) == list(SHARDS)
    assert set(shards.values()) == {"w1", "w2"}, Counter(shards.values())
    assert not (home / "history").exists()  # no SQLite run storage
    assert (tmp_path / "pkg" / "datapackage.json").exists() and (tmp_path / "pkg" / "archive.duckdb").exists()
    # Every shard's parse is in the cache: a bucket's seven parts for each of the five seeds' texts.
    assert len(list((tmp_path / "cache").glob("*.parquet"))) == 5 * 7


@needs_redis
def test_the_cluster_command_starts_and_stops_everything(tmp_path: Path) -> None:
    """`python -m pipelines.cluster` as the README shows it: ready, then Ctrl-C stops it all."""
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cluster", "--workers", "1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line)
        if "Ctrl-C stops" in line:
            break
    assert f"ARCHIVE_ETL_BROKER=redis://127.0.0.1:{port}/0" in "".join(lines), lines
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 0
    time.sleep(1)
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
