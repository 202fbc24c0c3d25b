"""Stock DuckDB clients on a copied package: a person in the interactive shell, and every view
answering from the pip `duckdb-cli` command line and the locked Python `duckdb`, read-only, from
an unrelated working directory."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from archive_etl.build import BuildResult
from archive_etl.database.store import BASE_VIEWS, DATABASE
from archive_etl.devtools.querydoc import questions
from conftest import ROOT

pytestmark = pytest.mark.slow

DUCKDB = Path(sys.executable).with_name("duckdb")
ARCHIVE_ETL = Path(sys.executable).with_name("archive-etl")
TMUX = shutil.which("tmux")
QUESTION = "3. Which documents are cited most?"  # of docs/queries.md: short rows, Vietnamese codes
SCREEN_SECONDS = 30


@pytest.fixture
def copied(built: BuildResult, tmp_path: Path) -> Path:
    """The package copied to a new place, as an analyst copies the folder."""
    copy = tmp_path / "copied package"
    shutil.copytree(built.output, copy)
    (tmp_path / "somewhere else").mkdir()
    return copy


class Tmux:
    """A terminal on a private tmux server, typed into and read like a screen."""

    def __init__(self, socket: Path, cwd: Path) -> None:
        self.base = [str(TMUX), "-S", str(socket)]
        env = {**os.environ, "LANG": "C.UTF-8", "TERM": "xterm-256color"}
        shell = "env PS1='$ ' bash --norc --noprofile"
        subprocess.run(
            [
                *self.base,
                "-u",
                "new-session",
                "-d",
                "-s",
                "analyst",
                "-x",
                "160",
                "-y",
                "50",
                "-c",
                str(cwd),
                shell,
            ],
            check=True,
            env=env,
        )

    def type(self, text: str) -> None:
        """Keys as typed, then Enter. tmux reads a trailing ';' as its own separator: escaped."""
        literal = text[:-1] + "\\;" if text.endswith(";") else text
        subprocess.run([*self.base, "send-keys", "-t", "analyst", "-l", literal], check=True)
        subprocess.run([*self.base, "send-keys", "-t", "analyst", "Enter"], check=True)

    def screen(self) -> str:
        return subprocess.run(
            [*self.base, "capture-pane", "-p", "-J", "-S", "-", "-t", "analyst"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def wait_for(self, seen: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + SCREEN_SECONDS
        while not seen(screen := self.screen()):
            assert time.monotonic() < deadline, f"never saw {what} on the screen:\n{screen}"
            time.sleep(0.2)
        return screen

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path, copied: Path) -> Iterator[Tmux]:
    assert TMUX, "tmux is needed for this test: apt-get install tmux (.ci/run installs it)"
    tmux = Tmux(tmp_path / "tmux.sock", tmp_path / "somewhere else")
    try:
        yield tmux
    finally:
        tmux.close()


def screen_rows(screen: str) -> list[list[str]]:
    """The cells of every table row drawn on the screen ('│ a │ 1 │' -> ['a', '1'])."""
    return [
        [c.strip() for c in line.strip().strip("│").split("│")] for line in screen.splitlines() if "│" in line
    ]


def markdown_rows(table: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:]]


def test_a_person_types_a_query_from_the_docs_into_archive_etl_sql(terminal: Tmux, copied: Path) -> None:
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    question = next(q for q in questions(doc) if q.title == QUESTION)
    expected = markdown_rows(question.result)
    terminal.type(f"{shlex.quote(str(ARCHIVE_ETL))} sql --package {shlex.quote(str(copied))}")
    terminal.wait_for(lambda s: re.search(r"(^|\s)D$", s.rstrip()) is not None, "DuckDB's prompt")
    for line in question.sql.strip().splitlines():
        terminal.type(line)
    screen = terminal.wait_for(lambda s: all(row in screen_rows(s) for row in expected), "the rows")
    rows = screen_rows(screen)
    assert rows[rows.index(expected[0]) : rows.index(expected[0]) + len(expected)] == expected  # in order
    assert "Chỉ thị số 15-CT/TU" in screen  # drawn as UTF-8
    terminal.type(".quit")
    terminal.wait_for(lambda s: s.rstrip().endswith("$"), "the shell prompt again")
    terminal.type('echo "exit=$?"')
    terminal.wait_for(lambda s: "exit=0" in s, "the shell's exit status")


# The views and the marts (tables of main), with their comments.
RELATIONS = (
    "SELECT schema_name, view_name AS name, comment FROM duckdb_views() WHERE NOT internal "
    "UNION ALL SELECT schema_name, table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'"
)
VIEWS_SQL = f"SELECT name FROM ({RELATIONS}) ORDER BY name"
UNCOMMENTED_SQL = (
    f"SELECT count(*) FROM duckdb_columns() c JOIN ({RELATIONS}) v "
    "ON c.table_name = v.name AND c.schema_name = v.schema_name "
    "WHERE c.comment IS NULL OR v.comment IS NULL"
)
PYTHON = (
    "import csv, sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1], read_only=True)\n"
    "csv.writer(sys.stdout, lineterminator='\\n').writerows(con.execute(sys.argv[2]).fetchall())\n"
)
CLIENTS = {
    "duckdb-cli": lambda db, sql: [str(DUCKDB), "-readonly", "-csv", "-noheader", str(db), "-c", sql],
    "python duckdb": lambda db, sql: [sys.executable, "-c", PYTHON, str(db), sql],
}


def every_view_answers(client: str, database: Path, elsewhere: Path) -> None:
    """Every view and mart answers, search too, every column is commented and writing is refused:
    `database` opened read-only by `client` from the folder `elsewhere`."""

    def rows(sql: str) -> list[list[str]]:
        command = CLIENTS[client](database, sql)
        result = subprocess.run(command, cwd=elsewhere, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return [line.split(",") for line in result.stdout.splitlines()]

    views = [r[0] for r in rows(VIEWS_SQL)]
    assert set(BASE_VIEWS.values()) | {"metric_facts", "ratios", "documents_cited", "people"} <= set(views)
    counts = " UNION ALL ".join(f"SELECT '{v}', count(*) FROM {v}" for v in views)
    answered = {name: int(n) for name, n in rows(counts)}
    assert answered.keys() == set(views) and all(answered.values()), answered
    assert rows("SELECT count(*) FROM search_paragraphs('giai phong mat bang')") == [["4"]]
    assert rows(UNCOMMENTED_SQL) == [["0"]]
    write = CLIENTS[client](database, "DROP VIEW metrics")
    refused = subprocess.run(write, cwd=elsewhere, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "read-only" in refused.stderr


@pytest.mark.parametrize("client", CLIENTS)
def test_every_view_answers_in_stock_clients_from_another_folder(copied: Path, client: str) -> None:
    every_view_answers(client, copied / DATABASE, copied.parent / "somewhere else")


def test_the_locked_duckdb_cli_opens_a_package_built_in_storage_v1_0_0(tmp_path: Path) -> None:
    package = tmp_path / "package for old clients"
    result = subprocess.run(
        [str(ARCHIVE_ETL), "build", "--output", str(package), "--storage-version", "v1.0.0"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    header = (package / DATABASE).read_bytes()[8:20]
    assert header[:4] == b"DUCK" and int.from_bytes(header[4:], "little") == 64  # v1.0.0's number
    (tmp_path / "elsewhere").mkdir()
    every_view_answers("duckdb-cli", package / DATABASE, tmp_path / "elsewhere")
