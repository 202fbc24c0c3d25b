"""A Celery cluster on this machine for the `archive_celery` job: Debian's redis-server as the
broker and N dagster-celery workers, started together and stopped together.

    python -m pipelines.cluster --workers 2        # until Ctrl-C; prints what to export
                                                   # (instance in $DAGSTER_HOME or .dagster/)

The tests and `make bench` use `local_cluster()`. On a real cluster the broker and the workers
run on their own machines (docs/scaling.md); nothing here changes but the addresses.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
READY_SECONDS = 120


# A worker that dies mid-step must not take its task with it: a task is acknowledged only once
# it has run (acks_late), given back at once when the worker's pool process is lost, and a worker
# holds one task at a time (no prefetched tasks die with it). A task whose whole worker died is
# handed to another worker by Redis after the visibility timeout, which must exceed the longest
# step (the package step at 100,000 articles runs for a minute or more), or a step still running
# would be started twice: an hour by default, ARCHIVE_ETL_CELERY_VISIBILITY_TIMEOUT seconds if set.
def celery_config() -> dict[str, object]:
    """The Celery settings of the executor and of the workers (read when each starts)."""
    timeout = int(os.environ.get("ARCHIVE_ETL_CELERY_VISIBILITY_TIMEOUT", "3600"))
    return {
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        # Unacknowledged tasks past the timeout are looked for every 10 s (kombu's pass runs
        # every 10 s but scans only every tenth time: lost tasks came back 60-80 s late).
        "broker_transport_options": {"visibility_timeout": timeout, "unacked_restore_throttle": 1},
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    """A running broker and its workers: `env` is what a run (or `dagster dev`) needs to use them."""

    broker: str
    home: Path
    workers: list[str]
    logs: Path
    env: dict[str, str] = field(default_factory=dict)
    sessions: list[int] = field(default_factory=list)  # one per worker: it and its pool processes

    def peak_rss_mb(self) -> int:
        """The largest peak RSS (VmHWM) of any process of the workers so far, in MB."""
        peak = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                session = int(stat.read_text().rsplit(")", 1)[1].split()[3])
                if session in self.sessions:
                    status = (stat.parent / "status").read_text()
                    hwm = next(line for line in status.splitlines() if line.startswith("VmHWM"))
                    peak = max(peak, int(hwm.split()[1]) // 1024)
        return peak


def stop(proc: subprocess.Popen[bytes], first: signal.Signals = signal.SIGTERM, wait: float = 30) -> None:
    """Send `first` to a process's session, then SIGKILL if it has not exited after `wait` s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, first)
    try:
        proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def wait_until(
    ready: Callable[[], bool], proc: subprocess.Popen[bytes], log: Path, what: str, interval: float = 0.2
) -> None:
    """Wait for `ready()` while `proc` runs, for at most READY_SECONDS: the process stopping (the
    end of its `log` is shown) or the time running out is an error naming `what`."""
    deadline = time.monotonic() + READY_SECONDS
    while not ready():
        if proc.poll() is not None:
            raise RuntimeError(f"{what} stopped: {log.read_text(errors='replace')[-3000:]}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} was not ready in {READY_SECONDS} s")
        time.sleep(interval)


def _answers_ping(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall(b"PING\r\n")
        return s.recv(64).startswith(b"+PONG")
    return False


def _worker_ready(name: str, log: Path) -> bool:
    text = log.read_text(errors="replace")
    return f"{name}@" in text and " ready." in text


@contextlib.contextmanager
def local_cluster(
    home: Path, workers: int = 2, env: dict[str, str] | None = None, port: int | None = None
) -> Iterator[Cluster]:
    """redis-server on `port` (a free one by default) and `workers` dagster-celery workers (one
    task at a time each), with the Dagster instance in `home`; all stopped on exit."""
    redis = shutil.which("redis-server")
    if redis is None:
        raise FileNotFoundError("redis-server is not installed (Debian: apt-get install redis-server)")
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").touch()
    logs = home / "cluster-logs"
    logs.mkdir(exist_ok=True)
    port = port or free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    config = home / "celery.yaml"
    execution = {"broker": broker, "backend": broker, "config_source": celery_config()}
    config.write_text(json.dumps({"execution": {"config": execution}}), encoding="utf-8")  # YAML
    run_env = {
        **os.environ,
        **(env or {}),
        "DAGSTER_HOME": str(home),
        "ARCHIVE_ETL_BROKER": broker,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    procs: list[subprocess.Popen[bytes]] = []
    try:
        log = logs / "redis.log"
        procs.append(
            subprocess.Popen(
                [redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        wait_until(lambda: _answers_ping(port), procs[0], log, "redis-server")
        # The instance's storage is created once, here: workers starting together would race to.
        subprocess.run(
            [str(BIN / "dagster"), "instance", "info"], env=run_env, check=True, capture_output=True
        )
        names = [f"w{i + 1}" for i in range(workers)]
        start = [
            str(BIN / "dagster-celery"),
            "worker",
            "start",
            "-A",
            "dagster_celery.app",
            "-y",
            str(config),
        ]
        for name in names:
            log = logs / f"{name}.log"
            worker = subprocess.Popen(
                [*start, "-n", name, "--", "--concurrency", "1"],
                cwd=ROOT,
                env=run_env,
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            procs.append(worker)
            ready = functools.partial(_worker_ready, name, log)
            wait_until(ready, worker, log, f"worker {name}", interval=0.5)
        yield Cluster(broker, home, names, logs, run_env, [p.pid for p in procs[1:]])
    finally:
        for proc in reversed(procs):
            stop(proc)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=6379, help="redis-server's port (default 6379)")
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("DAGSTER_HOME", ROOT / ".dagster")))
    args = parser.parse_args()
    # Ctrl-C at any moment, even before the "Ctrl-C stops" line is read, stops everything and
    # exits 0: the cluster's cleanup runs, and the interrupt goes no further.
    with (
        contextlib.suppress(KeyboardInterrupt),
        local_cluster(args.home.resolve(), args.workers, port=args.port) as cluster,
    ):
        print(f"broker {cluster.broker}, workers {', '.join(cluster.workers)}; logs in {cluster.logs}")
        print("In another terminal, with the same instance and broker:")
        print(f"  export DAGSTER_HOME={cluster.home} ARCHIVE_ETL_BROKER={cluster.broker}")
        print("  make ui    # then Jobs > archive_celery > Materialize all…, or `dagster job execute`")
        print("Ctrl-C stops the workers and the broker.", flush=True)
        signal.pause()


if __name__ == "__main__":
    main()
