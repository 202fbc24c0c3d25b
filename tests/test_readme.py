"""The README's analyst and archivist commands, run exactly as written on a fresh copy after `make run`.

The copy holds what a clone holds (every file git tracks or would track, as in the working tree,
so uncommitted edits are tested too) and the repository's `.venv`, which `make venv` built from
the same lock a clone's `make run` installs. The commands run with a PATH that leaves the venv
out, as for someone who never activated it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import RESOURCE_NAMES, ROOT

pytestmark = pytest.mark.slow

README = ROOT / "README.md"
SECTIONS = ("For analysts", "For archivists")
STAMP = ".venv/.installed-from-lock"  # the Makefile's: the venv is current with the lock


def section(text: str, title: str) -> str:
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else None]


def fenced(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.S | re.M)


def commands(title: str) -> list[str]:
    """Every command line of the section's `sh` blocks, in order."""
    lines = [
        line
        for block in fenced(section(README.read_text(encoding="utf-8"), title), "sh")
        for line in block.splitlines()
    ]
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def sql_examples() -> str:
    """The analysts' `sql` block: what they type in a shell the commands open."""
    return "\n".join(fenced(section(README.read_text(encoding="utf-8"), "For analysts"), "sql"))


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    dest = tmp_path_factory.mktemp("clone") / "archive-etl"
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted in the working tree is not in it
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)  # mtimes kept: make finds the venv current
    (dest / ".venv").symlink_to(ROOT / ".venv")
    # `make run` would otherwise reinstall the shared venv, pointing its editable install here.
    assert subprocess.run(["make", "-q", STAMP], cwd=dest).returncode == 0, "venv out of date: make venv"
    assert not (dest / "datapackage" / "archive.duckdb").exists()  # not in git: make run builds it
    made = subprocess.run(
        ["make", "run"], cwd=dest, env=user_env(), capture_output=True, text=True, timeout=600
    )
    assert made.returncode == 0, made.stdout + made.stderr
    return dest


def user_env() -> dict[str, str]:
    """The environment of someone who has not activated the venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    venv = str((ROOT / ".venv").resolve())
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not p.startswith(venv))
    return env


def run_as_written(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """One command line in bash; a command that opens a shell reads the SQL examples from stdin."""
    return subprocess.run(
        ["bash", "-c", line],
        cwd=cwd,
        env=user_env(),
        input=sql_examples(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_sections_have_commands_to_run() -> None:
    assert len(commands("For analysts")) >= 4 and len(commands("For archivists")) >= 5
    assert "search('giai phong mat bang'" in sql_examples()
    assert any(line.startswith(".venv/bin/archive-etl search ") for line in commands("For analysts"))


@pytest.mark.parametrize("title", SECTIONS)
def test_every_command_of_the_section_works_as_written(clone: Path, title: str) -> None:
    outputs = []
    for line in commands(title):
        result = run_as_written(line, clone)
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        assert "Error" not in result.stderr, f"{line}\n{result.stderr}"
        outputs.append(result.stdout + result.stderr)
    if title == "For analysts":
        shells, table, csv = outputs[:2], outputs[2], outputs[3]
        # Each shell ran the SQL examples: the search found the phrase typed without diacritics.
        assert all("giải phóng mặt bằng" in out for out in shells), shells
        assert "metrics" in table and "năm" in table
        assert csv.startswith("metric_id,article_id,title,") and ",False," in csv
    else:
        validate, frictionless, sums, publish, bag = outputs
        assert validate.startswith("valid ")
        assert "VALID" in frictionless and "INVALID" not in frictionless
        assert sums.count(": OK") == len(RESOURCE_NAMES)
        assert "Published" in publish and "is valid" in bag
