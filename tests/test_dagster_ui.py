"""End to end: the real Dagster webserver and daemon, "Materialize all" through GraphQL, a real browser.

These start `dagster dev` (webserver + daemon + code server) on a free port with a fresh
DAGSTER_HOME, as a data engineer does with `make ui`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from archive_etl.build.tables import SHARDS
from conftest import ASSET_NAMES, ROOT

pytestmark = pytest.mark.slow

DAGSTER = Path(sys.executable).with_name("dagster")
LOCATION = "archive_etl"
STARTUP_SECONDS = 180
RUN_SECONDS = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dagster:
    def __init__(self, url: str) -> None:
        self.url = url

    def gql(self, query: str, **variables: object) -> dict:
        response = requests.post(
            f"{self.url}/graphql", json={"query": query, "variables": variables}, timeout=60
        )
        response.raise_for_status()
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]


@contextlib.contextmanager
def dagster_dev(home: Path, env: dict[str, str] | None = None) -> Iterator[Dagster]:
    """`dagster dev` (webserver, daemon, code server) from the repository root on a free port,
    with the instance in `home`, until the code location is loaded; stopped on exit."""
    port = free_port()
    log = (home / "dagster-dev.log").open("w")
    env = {**os.environ, **(env or {}), "DAGSTER_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [str(DAGSTER), "dev", "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    client = Dagster(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert proc.poll() is None, (home / "dagster-dev.log").read_text()
            try:
                data = client.gql(
                    "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"
                )
                entries = data["workspaceOrError"]["locationEntries"]
                if any(e["name"] == LOCATION and e["loadStatus"] == "LOADED" for e in entries):
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "the webserver did not load the code location in time"
            time.sleep(1)
        yield client
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def dagster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dagster]:
    with dagster_dev(tmp_path_factory.mktemp("dagster_home")) as client:
        yield client


ASSET_NODES = """
{ assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name } } } } }
"""
# What the "Materialize all" dialog sends for partitioned assets: a backfill of every partition.
LAUNCH_BACKFILL = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
  }
}
"""
BACKFILL = """
query($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    ... on PartitionBackfill { status runs(limit: 100) { runId status tags { key value } } }
  }
}
"""
PARTITIONS = """
query($key: AssetKeyInput!) { assetNodeOrError(assetKey: $key) { ... on AssetNode { partitionKeys } } }
"""
CHECK_RESULT = """
query($key: AssetKeyInput!, $name: String!) {
  assetCheckExecutions(assetKey: $key, checkName: $name, limit: 1) { runId status evaluation { success } }
}
"""
DONE = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}


def wait_for_backfill(dagster: Dagster, backfill_id: str) -> dict:
    deadline = time.monotonic() + RUN_SECONDS
    while True:
        backfill = dagster.gql(BACKFILL, id=backfill_id)["partitionBackfillOrError"]
        runs = backfill["runs"]
        if backfill["status"] in DONE and all(
            r["status"] in {"SUCCESS", "FAILURE", "CANCELED"} for r in runs
        ):
            return backfill
        assert time.monotonic() < deadline, f"the backfill did not finish: {backfill}"
        time.sleep(1)


def assert_checks_passed(dagster: Dagster, checks: list[dict], runs: list[dict]) -> None:
    """Every check's latest execution ran in one of `runs`, and passed."""
    for check in checks:
        (execution,) = dagster.gql(CHECK_RESULT, key=check["assetKey"], name=check["name"])[
            "assetCheckExecutions"
        ]
        assert execution["runId"] in {r["runId"] for r in runs}, check
        assert execution["status"] == "SUCCEEDED", check
        assert execution["evaluation"]["success"] is True, check


def asset_keys_and_checks(dagster: Dagster) -> tuple[list[dict], list[dict]]:
    nodes = dagster.gql(ASSET_NODES)["assetNodes"]
    keys = [n["assetKey"] for n in nodes]
    checks = [
        {"assetKey": n["assetKey"], "name": c["name"]}
        for n in nodes
        for c in (n["assetChecksOrError"].get("checks") or [])
    ]
    return keys, checks


def assert_one_run_parsed_every_shard(backfill: dict) -> dict:
    """The backfill's three runs all succeeded: the unpartitioned read and resolve, the parse of
    all 16 shards in one run, and the unpartitioned package. Return the parse's run."""
    runs = backfill["runs"]
    assert len(runs) == 3 and all(r["status"] == "SUCCESS" for r in runs), backfill
    ranges = [
        (tags.get("dagster/asset_partition_range_start"), tags.get("dagster/asset_partition_range_end"))
        for tags in ({t["key"]: t["value"] for t in r["tags"]} for r in runs)
    ]
    assert sorted(ranges, key=str) == sorted([(None, None), (None, None), (SHARDS[0], SHARDS[-1])], key=str)
    return runs[ranges.index((SHARDS[0], SHARDS[-1]))]


def launch_materialize_all(dagster: Dagster, folder: Path) -> list[dict]:
    """Launch the backfill "Materialize all…" → All → "Launch backfill" sends (writing under
    `folder`, not in the repository), wait for it, and return its runs."""
    keys, _ = asset_keys_and_checks(dagster)
    partitions = dagster.gql(PARTITIONS, key={"path": ["parsed_texts"]})["assetNodeOrError"]["partitionKeys"]
    assert partitions == list(SHARDS)
    params = {
        "assetSelection": keys,
        "partitionNames": partitions,
        "fromFailure": False,
        "tags": [],
        "runConfigData": {
            "resources": {
                "paths": {"config": {"output_dir": str(folder / "pkg"), "cache_dir": str(folder / "cache")}},
            }
        },
    }
    launched = dagster.gql(LAUNCH_BACKFILL, params=params)["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    backfill = wait_for_backfill(dagster, launched["backfillId"])
    assert_one_run_parsed_every_shard(backfill)
    return backfill["runs"]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--window-size=1600,1000",
]  # fmt: skip


class Browser:
    """Headless Debian chromium driven over the DevTools protocol (no test-tool browser download)."""

    def __init__(self, profile: Path) -> None:
        import websockets.sync.client

        port = free_port()
        self.proc = subprocess.Popen(
            [
                CHROMIUM,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--remote-debugging-port={port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                pages = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=5).json()
                target = next(p for p in pages if p["type"] == "page")
                break
            except (requests.RequestException, StopIteration, ValueError):
                assert time.monotonic() < deadline, "chromium did not start"
                time.sleep(0.5)
        self.ws = websockets.sync.client.connect(target["webSocketDebuggerUrl"], max_size=None, legacy=True)
        self.next_id = 0

    def send(self, method: str, **params: object) -> dict:
        import json

        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=60))
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return message["result"]

    def evaluate(self, expression: str) -> object:
        return self.send("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def close(self) -> None:
        self.ws.close()
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)


BACKFILLS = "{ partitionBackfillsOrError { ... on PartitionBackfills { results { id } } } }"
CLICK = """(text => {
  const button = [...document.querySelectorAll('button')].find(b => b.innerText.trim().startsWith(text));
  if (button && !button.disabled) button.click();
  return Boolean(button && !button.disabled);
})"""


def click(browser: Browser, text: str, seconds: float = 60) -> None:
    """Click the button whose label starts with `text` once it is there and enabled."""
    deadline = time.monotonic() + seconds
    while not browser.evaluate(f"{CLICK}({text!r})"):
        assert time.monotonic() < deadline, f"no button {text!r} to click"
        time.sleep(0.5)


def screenshot(browser: Browser, path: Path) -> bytes:
    import base64

    png = base64.b64decode(browser.send("Page.captureScreenshot", format="png")["data"])
    path.write_bytes(png)
    return png


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Debian's chromium is not installed"
)
def test_materialize_all_in_a_real_browser(
    dagster: Dagster, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A data engineer's path: the asset graph, "Materialize all…", every partition, "Launch
    backfill"; the backfill parses every shard in one run and builds the package at the default
    paths."""
    assert CHROMIUM, "CI must install chromium (.ci/run does)"
    out = Path(os.environ.get("UI_SCREENSHOT_DIR") or tmp_path_factory.mktemp("screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    _, checks = asset_keys_and_checks(dagster)
    before = {b["id"] for b in dagster.gql(BACKFILLS)["partitionBackfillsOrError"]["results"]}
    browser = Browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        browser.send(
            "Emulation.setDeviceMetricsOverride", width=2400, height=1600, deviceScaleFactor=1, mobile=False
        )
        browser.send("Page.navigate", url=f"{dagster.url}/locations/{LOCATION}/asset-groups/archive")
        names = sorted(ASSET_NAMES)
        deadline = time.monotonic() + 90
        text = ""
        while time.monotonic() < deadline:
            text = browser.evaluate("document.body ? document.body.innerText : ''") or ""
            if all(name in text for name in names):
                break
            time.sleep(1)
        missing = [name for name in names if name not in text]
        assert not missing, f"not on the asset graph: {missing}"
        # A fresh browser profile gets Dagster's community sign-up dialog: dismiss it as a person would.
        # It may come a few seconds after the graph: wait for it a while, and skip it when it does.
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            if "Join the Dagster community" in (browser.evaluate("document.body.innerText") or ""):
                browser.evaluate(f"{CLICK}('Skip')")
                time.sleep(1)
                break
            time.sleep(0.5)
        time.sleep(1)
        png = screenshot(browser, out / "asset-graph.png")
        assert png.startswith(b"\x89PNG") and len(png) > 20_000
        # Partitioned assets open Dagster's partition dialog, with no partition chosen yet.
        click(browser, "Materialize all")
        click(browser, "All")
        dialog = browser.evaluate("document.querySelector('[role=dialog]')?.innerText") or ""
        assert f"{len(SHARDS)} partitions" in dialog, dialog
        screenshot(browser, out / "materialize-all-dialog.png")
        click(browser, "Launch backfill")
        deadline = time.monotonic() + 60
        while not (
            new := {b["id"] for b in dagster.gql(BACKFILLS)["partitionBackfillsOrError"]["results"]} - before
        ):
            assert time.monotonic() < deadline, "the dialog launched no backfill"
            time.sleep(1)
    finally:
        browser.close()
    (backfill_id,) = new
    backfill = wait_for_backfill(dagster, backfill_id)
    assert_one_run_parsed_every_shard(backfill)
    assert (ROOT / "build" / "datapackage" / "archive.duckdb").exists()
    assert_checks_passed(dagster, checks, backfill["runs"])


def test_dagster_cli_materializes_everything_from_the_repo_root(tmp_path: Path) -> None:
    """`dagster asset materialize -m pipelines.definitions --select '*' --partition-range 0...f`
    (unlike `dagster dev`, this command does not read [tool.dagster] from pyproject.toml, so it
    needs the module; every shard in one run, as the assets' single-run policy allows)."""
    import json

    config = {
        "resources": {
            "paths": {"config": {"output_dir": str(tmp_path / "pkg"), "cache_dir": str(tmp_path / "c")}},
        }
    }
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "home")}
    (tmp_path / "home").mkdir()
    result = subprocess.run(
        [
            str(DAGSTER),
            "asset",
            "materialize",
            "-m",
            "pipelines.definitions",
            "--select",
            "*",
            "--partition-range",
            f"{SHARDS[0]}...{SHARDS[-1]}",
            "--config-json",
            json.dumps(config),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "RUN_SUCCESS" in result.stderr + result.stdout
    assert (tmp_path / "pkg" / "archive.duckdb").exists()
