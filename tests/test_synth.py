"""`archive-etl synth`: a deterministic corpus that the build reads like the seeds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from archive_etl.build.tables import build_tables
from archive_etl.devtools.synth import synthesise
from archive_etl.read.sources import read_sources, scan
from conftest import ROOT


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a = synthesise(20, tmp_path / "a", seed=7)
    b = synthesise(20, tmp_path / "b", seed=7)
    c = synthesise(20, tmp_path / "c", seed=8)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]


def test_corpus_looks_like_the_seeds_to_the_parser(tmp_path: Path) -> None:
    paths = synthesise(200, tmp_path / "in", seed=1)
    sizes = [p.stat().st_size for p in paths]
    assert 8_000 <= sum(sizes) / len(sizes) <= 11_000
    t = build_tables(read_sources(scan(tmp_path / "in")))
    assert t.article.height == 200
    formats = dict(t.article["header_format"].value_counts().iter_rows())
    # Both of the seeds' formats, in about their share there (four A pages to one B).
    assert set(formats) == {"A", "B"} and formats["A"] > formats["B"] >= 10
    assert t.article.filter(pl.col("header_format") == "B")["author"].null_count() == 0
    assert t.article["published_at"].null_count() == 0
    kinds = set(t.paragraph["kind"].unique())
    assert {"caption", "list_item", "byline", "boilerplate", "lead", "dateline"} <= kinds
    assert t.metric.height > 10 * t.article.height


@pytest.mark.slow
def test_synth_works_from_an_installed_wheel(tmp_path: Path) -> None:
    """The wheel carries the seeds synth recombines: installed, it needs no repository."""
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)], check=True
    )
    target = tmp_path / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), *map(str, wheels.glob("*.whl"))], check=True
    )
    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = "import archive_etl, sys; print(archive_etl.__file__)"
    where = subprocess.run([sys.executable, "-c", code], cwd=away, env=env, capture_output=True, text=True)
    assert where.stdout.strip().startswith(str(target))  # the wheel's code, not the checkout's
    made = subprocess.run(
        [sys.executable, "-m", "archive_etl", "synth", "--articles", "20", "--output", str(away / "corpus")],
        cwd=away,
        env=env,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    assert len(list((away / "corpus").glob("*.txt"))) == 20
    # The rules' word tables travel with it: the installed build reads them.
    build = [sys.executable, "-m", "archive_etl", "build", "--input", "corpus", "--output", "package"]
    built = subprocess.run(build, cwd=away, env=env, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert pl.read_parquet(away / "package" / "metric.parquet").height > 20


def test_real_pages_make_most_of_a_real_text_corpus(tmp_path: Path) -> None:
    """With --real, four articles in five open like a real page (its header lines, its title
    numbered, its lead) and run on with lines of real pages; the rest are the seeds' kind. The
    same seed gives the same bytes, and the build reads them as the real formats."""
    real = ROOT / "tests" / "fixtures" / "realgold" / "text"
    a = synthesise(100, tmp_path / "a", seed=3, real=real)
    b = synthesise(100, tmp_path / "b", seed=3, real=real)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    titles = {p.read_text(encoding="utf-8").split("\n")[0] for p in real.iterdir()}
    titles |= {line for p in real.iterdir() for line in p.read_text(encoding="utf-8").split("\n")[3:4]}
    opened = [p.read_text(encoding="utf-8").split("\n") for p in a]
    from_real = [i for i, lines in enumerate(opened) if any(f"{t} ({i})" in lines[:5] for t in titles)]
    assert 65 <= len(from_real) <= 95
    t = build_tables(read_sources(scan(tmp_path / "a")))
    assert t.article.height == 100
    formats = dict(t.article["header_format"].value_counts().iter_rows())
    assert {"title_first", "key_value", "A"} <= set(formats)
    assert formats["title_first"] + formats.get("key_value", 0) == len(from_real)
