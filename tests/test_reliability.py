"""Crashes and concurrent use: a build killed at any moment, two builds at once, a rebuild under
an analyst's open connection. Each leaves a whole, valid package — the old one or the new one.

These run the real CLI in subprocesses and kill it with SIGKILL; nothing is simulated.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from archive_etl.archive.validate import validate_package
from archive_etl.build import build
from archive_etl.database.store import connect
from archive_etl.devtools.synth import synthesise
from archive_etl.package.descriptor import read_descriptor
from archive_etl.package.lock import OutputLocked, leftovers, lock_path, output_lock
from conftest import CLI, run

OLD_FILES, NEW_FILES = 400, 900


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """An old corpus, a grown one (the old plus more files), and the old corpus's package."""
    root = tmp_path_factory.mktemp("corpora")
    synthesise(NEW_FILES, root / "new", seed=7)
    old = root / "old"
    old.mkdir()
    for path in sorted((root / "new").iterdir())[:OLD_FILES]:
        shutil.copy2(path, old / path.name)
    build(old, root / "old-package")
    return old, root / "new", root / "old-package"


def _articles(package: Path) -> int:
    """Rows of the package's article table, as its descriptor names it."""
    article = next(r for r in read_descriptor(package)["resources"] if r["name"] == "article")
    return pq.ParquetFile(package / article["path"]).metadata.num_rows


def _staged(out: Path) -> list[Path]:
    return [p for p in out.parent.glob(f".{out.name}.*.tmp") if p.is_dir()]


def _in_staged(name: str) -> Callable[[Path], bool]:
    return lambda out: any(any(s.glob(name)) for s in _staged(out))


def _swapped(out: Path) -> bool:
    return (out / "datapackage.json").is_file() and _articles(out) == NEW_FILES


# Moments to kill the build at, in the order it reaches them: each is a condition on the files
# the build leaves beside and inside its output folder, polled while it runs.
MOMENTS: dict[str, Callable[[Path], bool]] = {
    "starting up": lambda out: True,
    "lock taken": lambda out: lock_path(out).exists(),
    "texts spilled": lambda out: any(any(d.iterdir()) for d in out.parent.glob(f".{out.name}.spill.*")),
    "parquet being written": _in_staged("paragraph.parquet"),
    "descriptor written": _in_staged("datapackage.json"),
    "database being written": _in_staged(".archive.duckdb.*.tmp"),
    "swapped in": _swapped,
}


def _kill_when(args: list[str], moment: Callable[[], bool], timeout: float = 120) -> bool:
    """Run the CLI; SIGKILL it as soon as `moment()` holds. False if it finished first."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if moment():
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return True
            time.sleep(0.001)
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_a_whole_package(
    corpora: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, new_input, old_package = corpora
    old_descriptor = (old_package / "datapackage.json").read_bytes()
    killed = []
    for name, moment in MOMENTS.items():
        out = tmp_path / name.replace(" ", "-") / "pkg"
        shutil.copytree(old_package, out)
        args = [*CLI, "build", "--input", str(new_input), "--output", str(out), "-q"]
        if not _kill_when(args, lambda out=out, moment=moment: moment(out)):
            continue  # finished before that moment showed: nothing was killed
        killed.append(name)
        report = validate_package(out)
        assert report.valid, (name, report.problems[:3])
        descriptor = (out / "datapackage.json").read_bytes()
        if descriptor != old_descriptor:  # the new package, whole
            assert _articles(out) == NEW_FILES, name
        else:
            assert _articles(out) == OLD_FILES, name
        # The next holder of the lock clears what the killed build left beside the package.
        with output_lock(out):
            pass
        assert sorted(p.name for p in out.parent.iterdir()) == ["pkg"], name
        assert validate_package(out).valid
    print("killed at:", ", ".join(killed))
    # Each moment lasts long enough to be caught at this corpus size; the last ones are brief.
    assert killed[:5] == list(MOMENTS)[:5], killed
    # And a build after all that is whole.
    assert build(new_input, out).rows["article"] == NEW_FILES
    assert validate_package(out).valid


def test_killed_mid_swap_without_renameat2_the_old_package_is_restored(
    corpora: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """Where the kernel cannot exchange folders, the old package is moved aside first; a build
    killed before moving the new one in is repaired by the next holder of the lock."""
    _, _, old_package = corpora
    out = tmp_path / "pkg"
    aside = tmp_path / ".pkg.old-12345"
    shutil.copytree(old_package, aside)
    staged = tmp_path / ".pkg.abcd.tmp"
    staged.mkdir()
    (staged / "partial.parquet").write_bytes(b"half")
    with output_lock(out):
        assert validate_package(out).valid
        assert _articles(out) == OLD_FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_a_second_build_into_the_same_output_fails_with_a_clear_message(
    corpora: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    old_input, _, old_package = corpora
    out = tmp_path / "pkg"
    shutil.copytree(old_package, out)
    with output_lock(out):
        proc = run("build", "--input", str(old_input), "--output", str(out), "-q", timeout=None)
        with pytest.raises(OutputLocked, match="is being built by process"):
            build(old_input, out)
    assert proc.returncode == 2
    assert f"is being built by process {os.getpid()}" in " ".join(proc.stderr.split())
    assert "--wait" in proc.stderr
    assert validate_package(out).valid


def test_with_wait_the_second_build_waits_for_the_first(
    corpora: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    old_input, _, _ = corpora
    out = tmp_path / "pkg"
    held = threading.Event()
    released: list[float] = []

    def hold_for_a_second() -> None:
        with output_lock(out):
            held.set()
            time.sleep(1.0)
            released.append(time.time())

    holder = threading.Thread(target=hold_for_a_second)
    holder.start()
    held.wait()
    result = build(old_input, out, wait=30)
    holder.join()
    # An order, not a duration: the package was written after the holder let the lock go.
    assert released and (out / "datapackage.json").stat().st_mtime >= released[0]
    assert result.rows["article"] == OLD_FILES
    assert validate_package(out).valid


@pytest.mark.slow
def test_two_builds_started_together(corpora: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """Two real builds race for one output: one builds, the other refuses; with --wait both build."""
    old_input, new_input, _ = corpora
    # Without --wait the larger corpus, so the first build surely still holds the folder when
    # the second one, started at the same time, asks for it.
    for wait, corpus, expected in (("0", new_input, [0, 2]), ("120", old_input, [0, 0])):
        out = tmp_path / f"wait-{wait}" / "pkg"
        args = [*CLI, "build", "--input", str(corpus), "--output", str(out), "-q", "--wait", wait]
        procs = [subprocess.Popen(args, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [(p.wait(), p.stderr.read() if p.stderr else "") for p in procs]
        assert sorted(code for code, _ in results) == expected, results
        for code, stderr in results:
            if code:
                assert "is being built by" in stderr and "--wait SECONDS" in stderr
        assert validate_package(out).valid
        assert _articles(out) == (NEW_FILES if corpus == new_input else OLD_FILES)
        assert leftovers(out) == []


def test_rebuild_while_an_analyst_holds_the_database_open(
    corpora: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """Read-only connections, here and in another process, survive a rebuild and do not block it;
    the next connection sees the new data."""
    _, new_input, old_package = corpora
    out = tmp_path / "pkg"
    shutil.copytree(old_package, out)
    count = "SELECT count(*) FROM articles"
    analyst = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, duckdb
                con = duckdb.connect({str(out / "archive.duckdb")!r}, read_only=True)
                print(con.execute({count!r}).fetchall()[0][0], flush=True)
                sys.stdin.readline()  # hold the connection open until told
                print(con.execute({count!r}).fetchall()[0][0], flush=True)
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert analyst.stdout is not None and analyst.stdin is not None
    assert int(analyst.stdout.readline()) == OLD_FILES
    con = connect(out)
    assert con.execute(count).fetchall()[0][0] == OLD_FILES

    result = build(new_input, out)

    assert result.rows["article"] == NEW_FILES
    # The open connections still read the package they opened, whole.
    assert con.execute(count).fetchall()[0][0] == OLD_FILES
    analyst.stdin.write("\n")
    analyst.stdin.flush()
    assert int(analyst.stdout.readline()) == OLD_FILES
    assert analyst.wait(timeout=30) == 0
    con.close()
    with duckdb.connect(str(out / "archive.duckdb"), read_only=True) as fresh:
        assert fresh.execute(count).fetchall()[0][0] == NEW_FILES
    assert validate_package(out).valid
