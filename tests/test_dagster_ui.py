"""End to end: the real Dagster webserver and daemon, "Materialize all" through GraphQL, a real browser.

These start `dagster dev` (webserver + daemon + code server) on a free port with a fresh
DAGSTER_HOME, as a data engineer does with `make ui`.
"""

from __future__ import annotations

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

from conftest import ASSET_NAMES, CHECK_COUNT, ROOT

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


@pytest.fixture(scope="module")
def dagster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dagster]:
    home = tmp_path_factory.mktemp("dagster_home")
    port = free_port()
    log = (home / "dagster-dev.log").open("w")
    env = {**os.environ, "DAGSTER_HOME": str(home), "PYTHONUNBUFFERED": "1"}
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


ASSET_NODES = """
{ assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name } } } } }
"""
LAUNCH = """
mutation($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}
"""
RUN_STATUS = "query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"
CHECK_RESULT = """
query($key: AssetKeyInput!, $name: String!) {
  assetCheckExecutions(assetKey: $key, checkName: $name, limit: 1) { status evaluation { success } }
}
"""


def test_materialize_all_through_the_webserver(dagster: Dagster, tmp_path: Path) -> None:
    nodes = dagster.gql(ASSET_NODES)["assetNodes"]
    keys = [n["assetKey"] for n in nodes]
    checks = [
        {"assetKey": n["assetKey"], "name": c["name"]}
        for n in nodes
        for c in (n["assetChecksOrError"].get("checks") or [])
    ]
    assert {k["path"][0] for k in keys} >= ASSET_NAMES
    assert len(checks) == CHECK_COUNT
    output, cache = tmp_path / "pkg", tmp_path / "cache"
    params = {
        "selector": {
            "repositoryLocationName": LOCATION,
            "repositoryName": "__repository__",
            "pipelineName": "__ASSET_JOB",
            "assetSelection": keys,
            "assetCheckSelection": checks,
        },
        # Everything as the UI's "Materialize all" sends it, but writing outside the repository.
        "runConfigData": {
            "resources": {"paths": {"config": {"output_dir": str(output), "cache_dir": str(cache)}}}
        },
    }
    launched = dagster.gql(LAUNCH, params=params)["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    deadline = time.monotonic() + RUN_SECONDS
    status = None
    while time.monotonic() < deadline:
        status = dagster.gql(RUN_STATUS, id=run_id)["runOrError"]["status"]
        if status in {"SUCCESS", "FAILURE", "CANCELED"}:
            break
        time.sleep(1)
    assert status == "SUCCESS"
    assert (output / "datapackage.json").exists() and (output / "archive.duckdb").exists()
    for check in checks:
        (execution,) = dagster.gql(CHECK_RESULT, key=check["assetKey"], name=check["name"])[
            "assetCheckExecutions"
        ]
        assert execution["status"] == "SUCCEEDED", check
        assert execution["evaluation"]["success"] is True, check


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


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Debian's chromium is not installed"
)
def test_the_asset_graph_in_a_real_browser(
    dagster: Dagster, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import base64

    assert CHROMIUM, "CI must install chromium (.ci/run does)"
    out = Path(os.environ.get("UI_SCREENSHOT_DIR") or tmp_path_factory.mktemp("screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    browser = Browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        browser.send(
            "Emulation.setDeviceMetricsOverride", width=1600, height=1000, deviceScaleFactor=1, mobile=False
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
        browser.evaluate(
            "[...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Skip')?.click()"
        )
        time.sleep(2)
        png = base64.b64decode(browser.send("Page.captureScreenshot", format="png")["data"])
    finally:
        browser.close()
    screenshot = out / "asset-graph.png"
    screenshot.write_bytes(png)
    assert png.startswith(b"\x89PNG") and len(png) > 20_000


def test_dagster_cli_materializes_everything_from_the_repo_root(tmp_path: Path) -> None:
    """`dagster asset materialize -m pipelines.definitions --select '*'` (unlike `dagster dev`, this
    command does not read [tool.dagster] from pyproject.toml, so it needs the module)."""
    import json

    config = {
        "resources": {
            "paths": {"config": {"output_dir": str(tmp_path / "pkg"), "cache_dir": str(tmp_path / "c")}}
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
