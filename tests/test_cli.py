"""`archive-etl build` end to end, as a user runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl

from archive_etl.package.descriptor import read_descriptor
from archive_etl.parse.texts import PARSED_PARTS
from conftest import RESOURCE_NAMES, SEED_ROWS, SEEDS, run


def test_build_writes_the_package_and_prints_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    result = run("build", "--input", str(SEEDS), "--output", str(out))
    assert result.returncode == 0, result.stderr
    summary = (
        "5 files seen, 5 articles, 0 duplicates, 0 rejected; 104 paragraphs, 108 metrics, "
        "21 people named, 45 documents cited"
    )
    assert summary in result.stdout
    resources = read_descriptor(out)["resources"]
    assert [r["name"] for r in resources] == list(RESOURCE_NAMES)
    assert pl.read_parquet(out / "paragraph.parquet").height == SEED_ROWS["paragraph"]


def test_defaults_read_seeds_and_write_datapackage_in_the_working_directory(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    result = run("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "datapackage" / "datapackage.json").exists()


def test_rejects_are_reported_but_not_fatal_unless_strict(corpus: Path, tmp_path: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "ảnh [bold]1.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = run("build", "--input", str(corpus), "--output", str(tmp_path / "a"))
    assert result.returncode == 0
    assert "rejected empty.txt: empty file (0 bytes)" in result.stderr
    # A file name is printed as it is, never read as console markup.
    assert "rejected ảnh [bold]1.png: binary data" in result.stderr
    assert "7 files seen, 5 articles, 0 duplicates, 2 rejected" in result.stdout
    strict = run("build", "--strict", "--input", str(corpus), "--output", str(tmp_path / "b"))
    assert strict.returncode == 1
    assert "2 input file(s) rejected" in strict.stderr


def test_many_files_with_progress_and_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(250):
        seed = sorted(SEEDS.iterdir())[i % 5]
        (corpus / f"{i:03d}.txt").write_bytes(seed.read_bytes())
    result = run("build", "--input", str(corpus), "--output", str(tmp_path / "pkg"))
    assert result.returncode == 0, result.stderr
    assert "250 files seen, 5 articles, 245 duplicates, 0 rejected" in result.stdout


def test_missing_input_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run("build", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "pkg"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "pkg").exists()


def test_console_script_is_installed() -> None:
    exe = Path(sys.executable).with_name("archive-etl")
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "build" in result.stdout


def test_cache_option_reuses_earlier_parses(tmp_path: Path) -> None:
    args = [
        "build",
        "--input",
        str(SEEDS),
        "--output",
        str(tmp_path / "pkg"),
        "--cache",
        str(tmp_path / "cache"),
    ]
    assert run(*args).returncode == 0
    entries = sorted(p.name for p in (tmp_path / "cache").glob("*.parquet"))
    assert len(entries) == 5 * len(PARSED_PARTS)  # 5 articles in 5 buckets, a file for each part
    assert len(list((tmp_path / "cache" / "sources").glob("*.parquet"))) == 1  # the source index
    assert run(*args).returncode == 0
    assert sorted(p.name for p in (tmp_path / "cache").glob("*.parquet")) == entries
