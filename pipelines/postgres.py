"""A PostgreSQL server on this machine for the Dagster instance: Debian's `postgresql` binaries,
a data folder and port of your choosing, started and stopped together.

    python -m pipelines.postgres --port 5433 --data .postgres   # until Ctrl-C; prints what to export

The instance reads where Postgres is from the environment (`deploy/postgres/dagster.yaml`:
ARCHIVE_ETL_PG_HOST, _PORT, _DB, _USER and _PASSWORD), so the same file serves this server and a
real one. The tests use `local_postgres()`. The server trusts connections from its own address
(no password), which is right for one machine and wrong for a network: a real server has a
password and a firewall (docs/scaling.md).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipelines.cluster import ROOT, stop, wait_until

INSTANCE_YAML = ROOT / "deploy" / "postgres" / "dagster.yaml"
# Postgres refuses to run as root: a root shell runs it as Debian's `postgres` user.
OWNER = "postgres"


@dataclass(frozen=True)
class Postgres:
    """A running server: where it listens, its database and user, and its data folder."""

    host: str
    port: int
    db: str
    user: str
    data: Path

    @property
    def env(self) -> dict[str, str]:
        """What `deploy/postgres/dagster.yaml` reads: export it for the webserver, daemon, runs
        and workers alike."""
        return {
            "ARCHIVE_ETL_PG_HOST": self.host,
            "ARCHIVE_ETL_PG_PORT": str(self.port),
            "ARCHIVE_ETL_PG_DB": self.db,
            "ARCHIVE_ETL_PG_USER": self.user,
            "ARCHIVE_ETL_PG_PASSWORD": "",
        }

    def query(self, sql: str, db: str | None = None) -> list[tuple]:
        """Rows of `sql` on the instance's database, or on `db` (for tests and figures)."""
        import psycopg2

        with (
            contextlib.closing(
                psycopg2.connect(host=self.host, port=self.port, dbname=db or self.db, user=self.user)
            ) as con,
            con.cursor() as cur,
        ):
            cur.execute(sql)
            return cur.fetchall()


def binary(name: str) -> str:
    """A Postgres program: from Debian's newest /usr/lib/postgresql/<version>/bin, else PATH."""
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    found = str(versions[-1]) if versions else shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} is not installed (Debian: apt-get install postgresql)")
    return found


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", OWNER, "--", *cmd] if os.geteuid() == 0 else cmd


def _own(folder: Path) -> None:
    """As root, give the data folder to the server's user (its parents must let it through)."""
    if os.geteuid() == 0:
        for path in [folder, *folder.rglob("*")]:
            shutil.chown(path, OWNER, OWNER)


def _accepts(pg: Postgres) -> bool:
    ready = [binary("pg_isready"), "-q", "-h", pg.host, "-p", str(pg.port), "-U", pg.user, "-d", "postgres"]
    return subprocess.run(ready, check=False).returncode == 0


@contextlib.contextmanager
def local_postgres(
    data: Path, port: int, host: str = "127.0.0.1", db: str = "dagster", user: str = "dagster"
) -> Iterator[Postgres]:
    """Postgres on `host`:`port` over the data folder `data` (made by initdb the first time),
    with database `db` owned by `user`; stopped on exit, the data kept."""
    data.mkdir(parents=True, exist_ok=True)
    _own(data)
    if not (data / "PG_VERSION").exists():
        init = [binary("initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8", "--no-locale"]
        made = subprocess.run(_as_owner(init), capture_output=True, text=True, check=False)
        if made.returncode != 0:
            # Most often, run as root: a parent folder the `postgres` user may not pass through.
            raise RuntimeError(f"initdb could not make {data}: {made.stderr.strip()[-1000:]}")
    log = data.with_name(f"{data.name}.log")
    server = [binary("postgres"), "-D", str(data), "-p", str(port), "-h", host, "-k", str(data)]
    proc = subprocess.Popen(
        _as_owner(server), stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        pg = Postgres(host, port, db, user, data)
        wait_until(lambda: _accepts(pg), proc, log, "postgres")
        created = pg.query(f"SELECT 1 FROM pg_database WHERE datname = '{db}'", db="postgres")
        if not created:
            subprocess.run([binary("createdb"), "-h", host, "-p", str(port), "-U", user, db], check=True)
        yield pg
    finally:
        # SIGINT is Postgres's "fast" shutdown: clients cut off, data written, then it exits.
        stop(proc, signal.SIGINT, wait=60)


def instance_home(home: Path) -> Path:
    """A DAGSTER_HOME whose instance is on Postgres: `deploy/postgres/dagster.yaml` copied in."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(INSTANCE_YAML, home / "dagster.yaml")
    return home


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=5433, help="the server's port (default 5433)")
    parser.add_argument("--host", default="127.0.0.1", help="the address it listens on")
    parser.add_argument("--data", type=Path, default=ROOT / ".postgres", help="its data folder")
    args = parser.parse_args()
    with (
        contextlib.suppress(KeyboardInterrupt),
        local_postgres(args.data.resolve(), args.port, args.host) as pg,
    ):
        exports = " ".join(f"{k}={v}" for k, v in pg.env.items())
        print(f"postgres on {pg.host}:{pg.port}, database {pg.db}, data in {pg.data}")
        print("In another terminal, for the webserver, the runs and the workers:")
        print(f"  export {exports}")
        print("  export DAGSTER_HOME=<a folder holding deploy/postgres/dagster.yaml as dagster.yaml>")
        print("Ctrl-C stops the server (the data is kept).", flush=True)
        signal.pause()


if __name__ == "__main__":
    main()
