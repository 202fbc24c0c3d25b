"""Search latency on a built package: `search_latency(package)` for bench/run.py, or run it.

Usage: python bench/search.py PACKAGE_DIR [REPEATS]

A fixed set of queries (one syllable, phrases of two to five, with and without diacritics, NFD,
codes and numbers, rare and common words), each run as the CLI runs it (`search(q, top := 10)`)
on one open read-only connection, warm: the median over the repeats of each query, then the
median and 90th percentile over the queries. Python's start-up is not part of a query's time.
"""

from __future__ import annotations

import statistics
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from queries import median_ms, table_mb  # noqa: E402

from archive_etl.database.index import SEARCH_TABLES  # noqa: E402
from archive_etl.database.store import DATABASE, connect  # noqa: E402

QUERIES = [
    "đảng",  # one syllable, common
    "quận",
    "thủy",  # one syllable, rare in the synthetic corpus
    "xyzzy",  # absent
    "hội nghị",  # two syllables, common
    "quan uy",  # without diacritics
    "Quận uỷ",  # old tone-mark style
    "sài đồng",
    "nhiệm kỳ",
    "tuyến phố",
    "giai phong mat bang",  # four, without diacritics
    "giải phóng mặt bằng",
    unicodedata.normalize("NFD", "giải phóng mặt bằng"),  # NFD
    "Ban Chấp hành Đảng bộ",  # five
    "ban thuong vu thanh uy",
    "kiểm tra giám sát",
    "công tác cán bộ",
    "15-NQ/TU",  # a code
    "15-CT/TU",
    "2020-2025",  # a term written as a range
    "5.189 đơn",  # a number and its noun
    "phường văn minh đô thị",
    "xây dựng Đảng",
    "Long Biên",
]


# What is timed of each query: its best ten and hundred, as the CLI and an analyst ask, and
# counting and grouping every hit, as an analyst charts a topic.
SHAPES = {
    "": "SELECT * FROM search(?, top := 10)",
    "top100_": "SELECT * FROM search(?, top := 100)",
    "count_": "SELECT count(*) FROM search_paragraphs(?)",
    "group_": "SELECT year(published_at) AS y, count(*) FROM search(?, top := NULL) GROUP BY y",
}


def search_latency(package: Path, repeats: int = 5) -> dict[str, float]:
    """Median, p90 and slowest of each query's median milliseconds on `package`, for each shape
    of SHAPES (keys prefixed by the shape), and the index's size."""
    con = connect(package)
    result: dict[str, float] = {"queries": float(len(QUERIES))}
    for prefix, sql in SHAPES.items():
        ordered = sorted(median_ms(con, sql, [query], repeats) for query in QUERIES)
        result[f"{prefix}median_ms"] = round(statistics.median(ordered), 1)
        result[f"{prefix}p90_ms"] = round(ordered[int(0.9 * (len(ordered) - 1))], 1)
        result[f"{prefix}max_ms"] = round(ordered[-1], 1)
    result["database_mb"] = round((Path(package) / DATABASE).stat().st_size / 1e6, 1)
    for table in SEARCH_TABLES:
        [(rows,)] = con.execute(f"SELECT count(*) FROM package.{table}").fetchall()
        result[f"{table}_rows"] = float(rows)
    result["search_posting_mb"] = table_mb(con)["package.search_posting"]
    con.close()
    return result


def per_query(package: Path) -> list[tuple[str, float, int]]:
    """(query, median ms, hits up to 1,000) of every query: what the summary is made of."""
    con = connect(package)
    rows = []
    for query in QUERIES:
        ms = median_ms(con, SHAPES[""], [query])
        [(n,)] = con.execute("SELECT count(*) FROM search(?, top := 1000)", [query]).fetchall()
        rows.append((query, round(ms, 1), n))
    return rows


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    if "--each" in sys.argv:
        for query, ms, n in per_query(folder):
            print(f"{ms:8.1f} ms {n:>5} hits (of 1,000 at most)  {query!r}")
    print(search_latency(folder, int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 5))
