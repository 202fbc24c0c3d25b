"""The Dagster instance on PostgreSQL: Debian's server started by `pipelines.postgres`, the
instance read from `deploy/postgres/dagster.yaml`, and what happens when the server is not there."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import polars as pl
import pytest
from pipelines.cluster import free_port
from pipelines.postgres import Postgres, binary, instance_home, local_postgres

from archive_etl.build.tables import SHARDS
from conftest import CHECK_COUNT, ROOT, SEED_ROWS

DAGSTER = ROOT / ".venv" / "bin" / "dagster"


def _has_postgres() -> bool:
    try:
        binary("postgres")
    except FileNotFoundError:
        return False
    return True


needs_postgres = pytest.mark.skipif(
    not _has_postgres() and not os.environ.get("CI"), reason="Debian's postgresql is not installed"
)
pytestmark = [pytest.mark.slow, needs_postgres]


def materialize(base: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Every asset and check over every shard, as README's data-engineer command runs it."""
    paths = {f"{name}_dir": str(base / name) for name in ("output", "cache", "work")}
    cmd = [
        str(DAGSTER), "asset", "materialize", "-m", "pipelines.definitions", "--select", "*",
        "--partition-range", f"{SHARDS[0]}...{SHARDS[-1]}",
        "--config-json", json.dumps({"resources": {"paths": {"config": paths}}}),
    ]  # fmt: skip
    return subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)


def test_a_run_on_the_postgres_instance_is_recorded_there(shared_tmp: Path) -> None:
    """The runs and checks are rows in Postgres, nothing in SQLite files of DAGSTER_HOME, and the
    server keeps them when it is started again. (tests/test_celery.py runs the UI's "Materialize
    all" on this instance with Celery workers.)"""
    with local_postgres(shared_tmp / "data", free_port()) as pg:
        home = instance_home(shared_tmp / "home")
        run = materialize(shared_tmp, {**pg.env, "DAGSTER_HOME": str(home)})
        assert run.returncode == 0, run.stderr[-3000:]
        assert pg.query("SELECT status FROM runs") == [("SUCCESS",)]
        checks = pg.query("SELECT execution_status, count(*) FROM asset_check_executions GROUP BY 1")
        assert checks == [("SUCCEEDED", CHECK_COUNT)]
    assert pl.read_parquet(shared_tmp / "output" / "metric.parquet").height == SEED_ROWS["metric"]
    assert not (home / "history").exists() and not list(home.rglob("*.db"))
    with local_postgres(shared_tmp / "data", free_port()) as again:
        assert again.query("SELECT count(*) FROM runs WHERE status = 'SUCCESS'") == [(1,)]


def test_postgres_unreachable_at_launch_is_a_clear_error_and_writes_nothing(shared_tmp: Path) -> None:
    port = free_port()  # nothing listens there
    env = Postgres("127.0.0.1", port, "dagster", "dagster", shared_tmp).env
    run = materialize(shared_tmp, {**env, "DAGSTER_HOME": str(instance_home(shared_tmp / "home"))})
    assert run.returncode != 0
    assert f'connection to server at "127.0.0.1", port {port} failed: Connection refused' in run.stderr
    assert "too many retries for DB connection" in run.stderr
    assert sorted(p.name for p in shared_tmp.iterdir()) == ["home"]  # no output, cache or work folder


@pytest.mark.skipif(os.geteuid() != 0, reason="only a root shell hands the data folder to another user")
def test_a_data_folder_the_server_user_cannot_reach_is_named_in_the_error(tmp_path: Path) -> None:
    # pytest's folders are root's alone: the `postgres` user cannot pass through them.
    data = tmp_path / "data"
    message = rf'initdb could not make {data}: .*"{data}": Permission denied'
    with pytest.raises(RuntimeError, match=message), local_postgres(data, free_port()):
        pass
