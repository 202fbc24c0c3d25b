"""The Celery executor on a real broker: redis-server and two dagster-celery workers, started and
stopped here, run every asset and check; the shards' parse steps land on both workers, and the
package has the bytes the CLI writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from archive_etl.build import build as build_package
from archive_etl.build.tables import SHARDS
from conftest import CHECK_COUNT, ROOT, SEEDS

pytestmark = pytest.mark.slow

DAGSTER = Path(sys.executable).with_name("dagster")
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


@pytest.mark.skipif(
    shutil.which("redis-server") is None and not os.environ.get("CI"),
    reason="Debian's redis-server is not installed",
)
def test_celery_workers_share_the_shards_and_write_the_cli_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dagster import DagsterEventType, DagsterInstance
    from pipelines.cluster import local_cluster
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
    # Which worker ran each step, as the executor recorded it.
    worker_of = {}
    for entry in instance.all_logs(record.run_id, of_type=DagsterEventType.ENGINE_EVENT):
        event = entry.dagster_event
        metadata = event.engine_event_data.metadata if event and event.engine_event_data else {}
        if "Celery worker" in metadata:
            worker_of[event.step_key] = str(metadata["Celery worker"].value).split("@")[0]
    shards = {key[-2]: w for key, w in worker_of.items() if key.startswith("parsed_texts.parse_shard[")}
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
