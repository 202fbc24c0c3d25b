"""`make bench`: build, validation, incremental and query figures on synthetic corpora.

Usage: python bench/run.py [N ...]   (default 1000 10000 100000; BENCH_SIZES="1000 10000" also works)

For each corpus size it measures, in one run on this machine:
- the floor: read every file once, one Polars line split and one number regex over all lines;
- `archive-etl build`: wall time and peak memory (a fresh process, GNU time's max RSS);
- `archive-etl validate` and `frictionless validate` on the package (frictionless only up to
  10,000 articles: it reads about 7,000 rows a second);
- an incremental rebuild with the parse cache after adding one file;
- the median latency of the queries of docs/queries.md.
It writes BENCHMARKS.md. Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / ".data"
BIN = Path(sys.executable).parent
FRICTIONLESS_MAX = 10_000


def timed(cmd: list[str], **kwargs: object) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of a command, measured by GNU time."""
    out = DATA / "time.txt"
    subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", "-o", str(out), *cmd], check=True, capture_output=True, **kwargs
    )
    seconds, kb = out.read_text().split()[-2:]
    return float(seconds), int(kb) // 1024


def corpus(n: int) -> Path:
    folder = DATA / f"corpus-{n}"
    marker = DATA / f"corpus-{n}.complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [str(BIN / "archive-etl"), "synth", "--articles", str(n), "--output", str(folder), "--seed", "1"],
            check=True,
        )
        marker.write_text("")
    return folder


FLOOR = """
import sys, time
from pathlib import Path
import polars as pl
start = time.perf_counter()
files = sorted(p for p in Path(sys.argv[1]).iterdir() if p.suffix == ".txt")
texts = [p.read_bytes().decode("utf-8", "replace") for p in files]
lines = pl.DataFrame({"text": texts}).select(pl.col("text").str.split("\\n")).explode("text")
numbers = lines.select(pl.col("text").str.count_matches(r"[0-9][0-9.,/:\\-–]*[0-9]|[0-9]").sum()).item()
print(time.perf_counter() - start)
"""


def warm(folder: Path) -> None:
    """Read the corpus once so that the floor and the build both find it in the page cache
    (otherwise whichever runs first pays for the disk, and the ratio measures the disk)."""
    for path in folder.iterdir():
        path.read_bytes()


def floor_seconds(folder: Path) -> float:
    result = subprocess.run(
        [sys.executable, "-c", FLOOR, str(folder)], capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip())


def query_median_ms(package: Path) -> float:
    script = (
        "import statistics, time, sys\n"
        "from pathlib import Path\n"
        "from archive_etl.database.store import connect\n"
        "from archive_etl.devtools.querydoc import questions\n"
        "con = connect(Path(sys.argv[1]))\n"
        "meds = []\n"
        "for q in questions(Path(sys.argv[2]).read_text()):\n"
        "    runs = []\n"
        "    for _ in range(5):\n"
        "        s = time.perf_counter(); con.execute(q.sql).fetchall()\n"
        "        runs.append(time.perf_counter() - s)\n"
        "    meds.append(statistics.median(runs))\n"
        "print(statistics.median(meds) * 1000)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(package), str(ROOT / "docs" / "queries.md")],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def bench(n: int) -> dict[str, object]:
    folder = corpus(n)
    package, cache = DATA / f"package-{n}", DATA / f"cache-{n}"
    # A full build writes a new package: an earlier one would let the database be updated in place.
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(package, ignore_errors=True)
    row: dict[str, object] = {
        "articles": n,
        "input_mb": round(sum(p.stat().st_size for p in folder.iterdir()) / 1e6, 1),
    }
    warm(folder)
    row["floor_s"] = round(floor_seconds(folder), 2)
    build = [str(BIN / "archive-etl"), "build", "--quiet", "--input", str(folder), "--output", str(package)]
    row["build_s"], row["build_peak_mb"] = timed(build)
    row["build_over_floor"] = round(row["build_s"] / row["floor_s"], 1)
    row["validate_s"], _ = timed([str(BIN / "archive-etl"), "validate", str(package)])
    if n <= FRICTIONLESS_MAX:
        cmd = [str(BIN / "frictionless"), "validate", str(package / "datapackage.json")]
        row["frictionless_s"], _ = timed(cmd)
        row["validate_speedup"] = round(row["frictionless_s"] / row["validate_s"], 1)
    cached = [*build, "--cache", str(cache)]
    row["cached_build_s"], _ = timed(cached)  # fills the cache
    extra = folder / "zz-one-more-article.txt"
    shutil.copy(ROOT / "seeds" / "003_249a505a986ba66b.txt", extra)
    try:
        row["incremental_s"], _ = timed(cached)
    finally:
        extra.unlink()
    row["incremental_share"] = f"{row['incremental_s'] / row['build_s']:.0%}"
    row["query_median_ms"] = round(query_median_ms(package), 1)
    row["package_mb"] = round(sum(p.stat().st_size for p in package.iterdir()) / 1e6, 1)
    print(json.dumps(row), flush=True)
    (DATA / f"result-{n}.json").write_text(json.dumps(row))
    return row


def machine() -> list[str]:
    import duckdb
    import frictionless
    import polars
    import pyarrow

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = (
        int(
            next(
                line.split()[1]
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")
            )
        )
        // 1024**2
    )
    return [
        f"- machine: {cpu}, {os.cpu_count()} cores, {mem} GB RAM, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, Polars {polars.__version__}, DuckDB {duckdb.__version__}, "
        f"PyArrow {pyarrow.__version__}, frictionless {frictionless.__version__}",
    ]


COLUMNS = [
    ("articles", "articles"), ("input_mb", "input MB"), ("floor_s", "floor s"), ("build_s", "build s"),
    ("build_over_floor", "build / floor"), ("build_peak_mb", "build peak MB"), ("validate_s", "validate s"),
    ("frictionless_s", "frictionless s"), ("validate_speedup", "validate speed-up"),
    ("cached_build_s", "build with cache s"), ("incremental_s", "+1 file s"),
    ("incremental_share", "+1 file / build"),
    ("query_median_ms", "query median ms"), ("package_mb", "package MB"),
]  # fmt: skip


def write_report(rows: list[dict[str, object]]) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` ({time.strftime('%Y-%m-%d')}) on synthetic corpora from "
        "`archive-etl synth --seed 1` (about 9.7 KB an article). Seconds are wall time of a fresh",
        "process (`/usr/bin/time`), including Python start-up and imports; peak MB is its maximum RSS.",
        "",
        *machine(),
        "",
        "| " + " | ".join(label for _, label in COLUMNS) + " |",
        "|" + "---:|" * len(COLUMNS),
    ]
    for row in rows:
        lines.append("| " + " | ".join(str(row.get(key, "—")) for key, _ in COLUMNS) + " |")
    lines += [
        "",
        "- floor: read every file once, one Polars line split and one number regex over all lines, "
        "timed inside its process (start-up and imports excluded, about 1 s of the build's time). "
        "The corpus is read once before, so the floor and the build both find it in the page cache.",
        "- build / floor: the build's wall time over the floor's, both in one run.",
        "- validate speed-up: `frictionless validate` over "
        "`archive-etl validate` (frictionless is not run past 10,000 articles: about 7,000 rows a second).",
        "- +1 file: `archive-etl build --cache` after adding one article to a corpus whose parse is cached "
        "(files unchanged since are not read again; the previous package's database is updated in place).",
        "- query median: median over the queries of docs/queries.md of each query's median of 5 runs.",
        "- package MB: the Parquet files, descriptor, dictionary and `archive.duckdb`; the database is most "
        "of it, in DuckDB's v1.0.0 storage format (readable by every DuckDB 1.x, but without zstd).",
    ]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [
        int(s) for s in os.environ.get("BENCH_SIZES", "1000 10000 100000").split()
    ]
    DATA.mkdir(parents=True, exist_ok=True)
    # BENCH_REUSE=1 keeps the stored result of a size already measured (to finish an interrupted run).
    reuse = os.environ.get("BENCH_REUSE") == "1"
    rows = []
    for n in sizes:
        stored = DATA / f"result-{n}.json"
        rows.append(json.loads(stored.read_text()) if reuse and stored.exists() else bench(n))
    write_report(rows)


if __name__ == "__main__":
    main()
