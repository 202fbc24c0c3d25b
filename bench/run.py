"""`make bench`: build, validation, incremental, query and search figures on two bench corpora.

Usage: python bench/run.py [N ...]   (default 1000 10000 100000; BENCH_SIZES="1000 10000" also works)

Corpora, both from `archive-etl synth --seed 1`: `synthetic`, recombined from the five seeds, and
`real`, with `--real ../shared/realdev/corpus` (four articles in five from 1,287 real pages; left
out when that folder is not beside the repository). For each corpus and size it measures, in one
run on this machine:
- the floors (bench/floors.py): the read floor (every file read, split into lines, one number
  regex) and the output floor (the finished tables written to Parquet and copied into a fresh
  DuckDB file), and the build as a ratio to their sum;
- `archive-etl build`: wall time and peak memory (a fresh process, GNU time's max RSS);
- `archive-etl validate` and `frictionless validate` on the package (frictionless only up to
  10,000 articles: it reads about 7,000 rows a second);
- an incremental rebuild with the parse cache after adding one file;
- the median latency of the queries of docs/queries.md, and of the search queries;
- on the synthetic corpus, the Dagster path: every asset and check over every shard in one run
  (`dagster asset materialize --partition-range`, in process), its wall time, peak memory and what
  Dagster and the stages keep besides the package;
- at 10,000 articles (BENCH_CELERY sizes), the job archive_celery on redis-server and two workers.
It writes BENCHMARKS.md. Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / ".data"
BIN = Path(sys.executable).parent
FRICTIONLESS_MAX = 10_000
CELERY_SIZES = {int(n) for n in os.environ.get("BENCH_CELERY", "10000").split()}
sys.path.insert(0, str(ROOT))  # pipelines/, the Dagster code location


def timed(cmd: list[str], **kwargs: object) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of a command (not of processes it hands work to, such as
    Celery workers), measured by GNU time."""
    out = DATA / "time.txt"
    subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", "-o", str(out), *cmd], check=True, capture_output=True, **kwargs
    )
    seconds, kb = out.read_text().split()[-2:]
    return float(seconds), int(kb) // 1024


REAL_PAGES = ROOT.parent / "shared" / "realdev" / "corpus"
# The corpora: name -> extra `archive-etl synth` arguments.
CORPORA = {"synthetic": [], "real": ["--real", str(REAL_PAGES)]}


def corpora() -> list[str]:
    return [name for name in CORPORA if name == "synthetic" or REAL_PAGES.is_dir()]


def corpus(n: int, name: str = "synthetic") -> Path:
    label = f"{n}" if name == "synthetic" else f"{name}-{n}"
    folder = DATA / f"corpus-{label}"
    marker = DATA / f"corpus-{label}.complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        cmd = [
            str(BIN / "archive-etl"),
            "synth",
            "--articles",
            str(n),
            "--output",
            str(folder),
            "--seed",
            "1",
        ]
        subprocess.run([*cmd, *CORPORA[name]], check=True)
        marker.write_text("")
    return folder


def warm(folder: Path) -> None:
    """Read the corpus once so that the floor and the build both find it in the page cache
    (otherwise whichever runs first pays for the disk, and the ratio measures the disk)."""
    for path in folder.iterdir():
        path.read_bytes()


def floor(what: str, path: Path) -> list[float]:
    """A floor of bench/floors.py, run in a fresh process: its seconds."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "floors.py"), what, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [float(x) for x in result.stdout.split()]


def query_figures(package: Path) -> dict[str, object]:
    """The median over the docs/queries.md queries of each one's median, the slowest, and which
    take over 50 ms (bench/queries.py)."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "queries.py"), str(package)],
        capture_output=True,
        text=True,
        check=True,
    )
    medians = json.loads(out.stdout)["queries"]
    slow = [title.split(".", 1)[0] for title, ms in medians.items() if ms > 50]
    return {
        "query_median_ms": round(statistics.median(medians.values()), 1),
        "query_max_ms": round(max(medians.values()), 1),
        "queries_over_50ms": ", ".join(slow) if slow else "none",
    }


def bench(n: int, name: str = "synthetic") -> dict[str, object]:
    folder = corpus(n, name)
    package, cache = DATA / f"package-{name}-{n}", DATA / f"cache-{name}-{n}"
    # A full build writes a new package: an earlier one would let the database be updated in place.
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(package, ignore_errors=True)
    row: dict[str, object] = {
        "corpus": name,
        "articles": n,
        "input_mb": round(sum(p.stat().st_size for p in folder.iterdir()) / 1e6, 1),
    }
    warm(folder)
    (read_s,) = floor("read", folder)
    build = [str(BIN / "archive-etl"), "build", "--quiet", "--input", str(folder), "--output", str(package)]
    row["build_s"], row["build_peak_mb"] = timed(build)
    parquet_s, database_s = floor("output", package)
    row["read_floor_s"], row["parquet_floor_s"] = round(read_s, 2), round(parquet_s, 2)
    row["database_floor_s"] = round(database_s, 2)
    row["floor_s"] = round(read_s + parquet_s + database_s, 2)
    row["build_over_floor"] = round(row["build_s"] / row["floor_s"], 2)
    row["package_mb"] = round(sum(p.stat().st_size for p in package.iterdir()) / 1e6, 1)
    parquet = sum(p.stat().st_size for p in package.glob("*.parquet"))
    database = (package / "archive.duckdb").stat().st_size
    row["parquet_mb"], row["database_mb"] = round(parquet / 1e6, 1), round(database / 1e6, 1)
    row["database_over_parquet"] = f"{database / parquet:.2f}x"
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
    row["incremental_share"] = f"{row['incremental_s'] / row['build_s']:.1%}"
    row.update(query_figures(package))
    row.update(search_figures(package))
    print(json.dumps(row), flush=True)
    return row


SEARCH = """
import json, sys, tempfile, time
from pathlib import Path
import polars as pl
sys.path.insert(0, sys.argv[2])
from search import search_latency
from archive_etl.database import store
from archive_etl.database.index import IndexSpill, create_index
from archive_etl.parse.terms import index_terms
from archive_etl.parse.texts import tokens_of
package = Path(sys.argv[1])
figures = search_latency(package)
with tempfile.TemporaryDirectory(prefix=".index-", dir=package.parent) as scratch:
    # The parse's share (the token pass and each paragraph's tokens), 1,000 articles at a time as
    # the parse takes them, then the database's share alone, as a fresh build makes it.
    columns = ["article_id", "paragraph_no", "kind", "text"]
    paragraphs = pl.read_parquet(package / "paragraph.parquet", columns=columns)
    spill = IndexSpill(Path(tempfile.mkdtemp(dir=scratch)))
    batch = pl.col("article_id").rank("dense") // 1000
    start = time.perf_counter()
    for part in paragraphs.with_columns(_batch=batch).partition_by("_batch", maintain_order=True):
        terms, index = index_terms(tokens_of(part.drop("_batch")))
        spill.add(part, index, terms)
    figures["index_tokens_s"] = time.perf_counter() - start
    con = store._open(Path(scratch) / "index.duckdb")
    con.execute("CREATE SCHEMA package")
    start = time.perf_counter()
    create_index(con, spill, Path(scratch))
    figures["index_build_s"] = time.perf_counter() - start
    con.close()
print(json.dumps(figures))
"""


def search_figures(package: Path) -> dict[str, object]:
    """bench/search.py's fixed queries (median and 90th percentile ms, warm, on an open
    read-only connection), the posting table's size, and the index's build time on its own."""
    result = subprocess.run(
        [sys.executable, "-c", SEARCH, str(package), str(ROOT / "bench")], capture_output=True, text=True
    )
    if result.returncode != 0:  # shown in the report and the log, not the end of a long run
        print(result.stderr, file=sys.stderr, flush=True)
        return {"search_median_ms": "failed"}
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return {
        "search_median_ms": figures["median_ms"],
        "search_p90_ms": figures["p90_ms"],
        "search_max_ms": figures["max_ms"],
        "top100_median_ms": figures["top100_median_ms"],
        "count_median_ms": figures["count_median_ms"],
        "count_max_ms": figures["count_max_ms"],
        "group_median_ms": figures["group_median_ms"],
        "group_max_ms": figures["group_max_ms"],
        "index_build_s": round(figures["index_build_s"], 2),
        "index_tokens_s": round(figures["index_tokens_s"], 2),
        "posting_mb": figures.get("search_posting_mb"),
        "postings": int(figures["search_posting_rows"]),
    }


def megabytes(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6, 1)


def dagster_config(base: Path, folder: Path) -> dict[str, object]:
    """Run config: the corpus in, everything the run writes under `base`."""
    paths = {"input_dir": str(folder), "output_dir": str(base / "pkg"), "cache_dir": str(base / "cache")}
    return {"resources": {"paths": {"config": {**paths, "work_dir": str(base / "work")}}}}


def kept_besides_the_package(base: Path, home: Path) -> dict[str, float]:
    return {
        "dagster_home_mb": megabytes(home),
        "pickles_mb": megabytes(home / "storage"),
        "parse_cache_mb": megabytes(base / "cache"),
        "workspace_mb": megabytes(base / "work"),
    }


def bench_dagster(n: int) -> dict[str, object]:
    """Materialize all (every asset and check, every shard, one run) with the in-process executor."""
    from archive_etl.build.tables import SHARDS

    folder = corpus(n)
    base = DATA / f"dagster-{n}"
    shutil.rmtree(base, ignore_errors=True)
    home = base / "home"
    home.mkdir(parents=True)
    (home / "dagster.yaml").touch()
    shards = f"{SHARDS[0]}...{SHARDS[-1]}"
    cmd = [
        str(BIN / "dagster"), "asset", "materialize", "-m", "pipelines.definitions", "--select", "*",
        "--partition-range", shards, "--config-json", json.dumps(dagster_config(base, folder)),
    ]  # fmt: skip
    warm(folder)
    row: dict[str, object] = {"articles": n}
    row["dagster_s"], row["dagster_peak_mb"] = timed(
        cmd, cwd=ROOT, env={**os.environ, "DAGSTER_HOME": str(home)}
    )
    row.update(kept_besides_the_package(base, home))
    if n in CELERY_SIZES:
        row.update(bench_celery(n, folder))
    return row


def bench_celery(n: int, folder: Path) -> dict[str, object]:
    """The job archive_celery on redis-server and two workers started for it: with the instance
    in SQLite files of DAGSTER_HOME, then on a PostgreSQL server (deploy/postgres/dagster.yaml)."""
    from pipelines.cluster import free_port
    from pipelines.postgres import instance_home, local_postgres

    row = _celery_run(DATA / f"celery-{n}", folder, "celery")
    base = DATA / f"celery-postgres-{n}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    base.chmod(0o755)  # the server's own user keeps its data here
    with local_postgres(base / "pg", free_port()) as pg:
        instance_home(base / "home")
        row.update(_celery_run(base, folder, "celery_pg", pg.env))
        size = pg.query(f"SELECT pg_database_size('{pg.db}')")[0][0]
    return {**row, "postgres_mb": round(size / 1e6, 1)}


def _celery_run(base: Path, folder: Path, name: str, env: dict[str, str] | None = None) -> dict[str, object]:
    from pipelines.cluster import local_cluster
    from pipelines.defs.assets import ALL_SHARDS

    if name == "celery":
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
    config = base / "run.json"  # YAML is a superset of JSON
    config.write_text(json.dumps(dagster_config(base, folder)), encoding="utf-8")
    with local_cluster(base / "home", workers=2, env=env) as cluster:
        cmd = [
            str(BIN / "dagster"), "job", "execute", "-m", "pipelines.definitions", "-j", "archive_celery",
            "-c", str(config), "--tags", json.dumps(ALL_SHARDS),
        ]  # fmt: skip
        seconds, run_mb = timed(cmd, cwd=ROOT, env=cluster.env)
        worker_mb = cluster.peak_rss_mb()
    return {f"{name}_s": seconds, f"{name}_run_peak_mb": run_mb, f"{name}_worker_peak_mb": worker_mb}


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


BUILD_COLUMNS = [
    ("corpus", "corpus"), ("articles", "articles"), ("input_mb", "input MB"),
    ("read_floor_s", "read floor s"), ("parquet_floor_s", "Parquet floor s"),
    ("database_floor_s", "database floor s"), ("floor_s", "floor s"), ("build_s", "build s"),
    ("build_over_floor", "build / floor"), ("build_peak_mb", "build peak MB"),
    ("peak_over_10k", "peak / peak at 10k"), ("package_mb", "package MB"), ("parquet_mb", "Parquet MB"),
    ("database_mb", "database MB"), ("database_over_parquet", "database / Parquet"),
    ("cached_build_s", "build with cache s"), ("incremental_s", "+1 file s"),
    ("incremental_share", "+1 file / build"),
]  # fmt: skip

USE_COLUMNS = [
    ("corpus", "corpus"), ("articles", "articles"), ("validate_s", "validate s"),
    ("frictionless_s", "frictionless s"), ("validate_speedup", "validate speed-up"),
    ("query_median_ms", "query median ms"), ("query_max_ms", "query max ms"),
    ("queries_over_50ms", "queries over 50 ms"), ("search_median_ms", "top-10 median ms"),
    ("search_p90_ms", "top-10 p90 ms"), ("search_max_ms", "top-10 max ms"),
    ("top100_median_ms", "top-100 median ms"), ("count_median_ms", "count all median ms"),
    ("count_max_ms", "count all max ms"), ("group_median_ms", "group all median ms"),
    ("group_max_ms", "group all max ms"), ("index_tokens_s", "index tokens s"),
    ("index_build_s", "index build s"), ("postings", "postings"), ("posting_mb", "postings MB"),
]  # fmt: skip


DAGSTER_COLUMNS = [
    ("articles", "articles"), ("build_s", "CLI build s"), ("build_peak_mb", "CLI peak MB"),
    ("dagster_s", "Dagster s"), ("dagster_peak_mb", "Dagster peak MB"),
    ("peak_over_10k", "peak / peak at 10k"), ("pickles_mb", "pickles MB"),
    ("dagster_home_mb", "DAGSTER_HOME MB"), ("parse_cache_mb", "parse cache MB"),
    ("workspace_mb", "workspace MB"), ("celery_s", "Celery s"),
    ("celery_run_peak_mb", "Celery run peak MB"), ("celery_worker_peak_mb", "Celery worker peak MB"),
    ("celery_pg_s", "Celery on Postgres s"), ("celery_pg_run_peak_mb", "its run peak MB"),
    ("celery_pg_worker_peak_mb", "its worker peak MB"), ("postgres_mb", "Postgres MB"),
]  # fmt: skip


def table(columns: list[tuple[str, str]], rows: list[dict[str, object]]) -> list[str]:
    lines = ["| " + " | ".join(label for _, label in columns) + " |", "|" + "---:|" * len(columns)]
    return lines + ["| " + " | ".join(str(row.get(key, "—")) for key, _ in columns) + " |" for row in rows]


def write_report(rows: list[dict[str, object]], dagster_rows: list[dict[str, object]]) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` ({time.strftime('%Y-%m-%d')}) on two corpora from "
        "`archive-etl synth --seed 1`: `synthetic`, recombined from the five seeds (about 9.7 KB an "
        "article), and `real`, with `--real ../shared/realdev/corpus` (four articles in five "
        "recombined from 1,287 real pages of other sites, about 6.6 KB an article). Seconds are wall "
        "time of a fresh process (`/usr/bin/time`), including Python start-up and imports; peak MB is "
        "its maximum RSS.",
        "",
        *machine(),
        "",
        "## Build",
        "",
        *table(BUILD_COLUMNS, rows),
        "",
        "- read floor: read every file once, one Polars line split and one number regex over all "
        "lines. The corpus is read once before, so the floor and the build both find it in the page "
        "cache.",
        "- Parquet floor and database floor: the finished tables of the build's package, read into "
        "memory first, written to Parquet (zstd) and then copied into a fresh DuckDB file in the "
        "build's storage version (`CREATE TABLE ... AS SELECT * FROM read_parquet`), with the search "
        "index's tables and the marts the database also holds copied in from memory: the least any "
        "build of these outputs pays (`bench/floors.py`). Floors are timed inside their process: "
        "start-up and imports (about 1 s of the build's time) excluded.",
        "- build / floor: the build's wall time over the sum of the three floors, all in one run.",
        "- peak / peak at 10k: the build's peak memory over the one at 10,000 articles of the same corpus.",
        "- +1 file: `archive-etl build --cache` after adding one article to a corpus whose parse is cached "
        "(files unchanged since are not read again; the previous package's database is updated in place).",
        "- package MB: the Parquet files, descriptor, dictionary and `archive.duckdb` (DuckDB's v1.2.0 "
        "storage format, with zstd: any DuckDB from 1.2 reads it); database / Parquet: the "
        "database's size over the Parquet files'.",
        "",
        "## Validation, queries and search",
        "",
        *table(USE_COLUMNS, rows),
        "",
        "- validate speed-up: `frictionless validate` over "
        "`archive-etl validate` (frictionless is not run past 10,000 articles: about 7,000 rows a second).",
        "- query median and max: over the queries of docs/queries.md, each one's median of 5 warm runs "
        "(`bench/queries.py`); queries over 50 ms: their numbers in docs/queries.md.",
        "- top-10, top-100, count all, group all: the medians of 5 runs of each of `bench/search.py`'s "
        "24 fixed queries (one syllable, phrases of two to five, with and without diacritics, rare "
        "and common, codes) as `search(q, top := 10)`, `search(q, top := 100)`, `SELECT count(*) FROM "
        "search_paragraphs(q)` and every hit counted by year of publication, on an open read-only "
        "connection, warm; then the median (p90, max) over the queries.",
        "- index tokens s: the parse's share of the search index alone (the token pass and each "
        "distinct text's tokens, 1,000 articles a batch; part of the parse); index build s: the "
        "database's share, written into a fresh database (part of the build's time); postings MB: "
        "the posting table's share of the blocks of `archive.duckdb`, a block shared by several tables "
        "split evenly (as bench/queries.py sizes every table).",
        "",
        "## The Dagster path",
        "",
        "The synthetic corpus through Dagster: every asset and asset check over every shard in one run "
        "(`dagster asset materialize -m pipelines.definitions --select '*' --partition-range 0...f`, "
        "in-process executor, a fresh DAGSTER_HOME), beside the CLI build of the table above; and at "
        "10,000 articles the job `archive_celery` on redis-server and two Celery workers on this machine.",
        "",
        *table(DAGSTER_COLUMNS, dagster_rows),
        "",
        "- peak / peak at 10k: the Dagster run's peak memory over the one at 10,000 articles.",
        "- pickles: what Dagster's default IO manager stored in `DAGSTER_HOME/storage` (the shard "
        "names handed to the parse steps); DAGSTER_HOME also holds the run's event log.",
        "- parse cache: each bucket's parse, which the parse steps write and the package step reads "
        "back (and the next run reuses); workspace: the read stage's "
        "metadata and each distinct text, spilled once (Arrow IPC), for the parse steps.",
        "- Celery s and run peak: the `dagster job execute` process, which hands every step to the "
        "workers; worker peak: the largest peak of any worker process (each runs one step at a time).",
        "- Celery on Postgres: the same job with the instance on a PostgreSQL server started for it "
        "(deploy/postgres/dagster.yaml, `pipelines/postgres.py`); Postgres MB: its database's size "
        "after the run (`pg_database_size`).",
    ]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [
        int(s) for s in os.environ.get("BENCH_SIZES", "1000 10000 100000").split()
    ]
    DATA.mkdir(parents=True, exist_ok=True)
    # BENCH_REUSE=1 keeps the stored result of a size already measured (to finish an interrupted run).
    reuse = os.environ.get("BENCH_REUSE") == "1"
    rows, dagster_rows = [], []
    for name in corpora():
        for n in sizes:
            stored = DATA / f"result-{name}-{n}.json"
            row = json.loads(stored.read_text()) if reuse and stored.exists() else bench(n, name)
            stored.write_text(json.dumps(row))
            rows.append(row)
    for n in sizes:
        stored = DATA / f"dagster-result-{n}.json"
        if reuse and stored.exists():
            dagster = json.loads(stored.read_text())
        else:
            dagster = bench_dagster(n)
            print(json.dumps(dagster), flush=True)
            stored.write_text(json.dumps(dagster))
        cli = next(r for r in rows if r["corpus"] == "synthetic" and r["articles"] == n)
        dagster_rows.append({**dagster, "build_s": cli["build_s"], "build_peak_mb": cli["build_peak_mb"]})
    for group, key in ((rows, "build_peak_mb"), (dagster_rows, "dagster_peak_mb")):
        for row in group:
            at_10k = next(
                (r[key] for r in group if r["articles"] == 10_000 and r.get("corpus") == row.get("corpus")),
                None,
            )
            if at_10k:
                row["peak_over_10k"] = round(int(row[key]) / int(at_10k), 2)
    write_report(rows, dagster_rows)


if __name__ == "__main__":
    main()
