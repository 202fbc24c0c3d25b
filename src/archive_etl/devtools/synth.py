"""`archive-etl synth`: a deterministic synthetic corpus made by recombining and perturbing the seeds.

Both header formats, captions, list items, bylines and page boilerplate, Vietnamese-formatted
numbers ("1.773 người", "101,53 %", "16/16 chỉ tiêu") with fresh values, about 9 KB an article.
The same `--seed` gives the same files, byte for byte. Benchmark input, not a model of the news.

With `--real DIR` (a folder of real pages, such as ../shared/realdev/corpus), four articles in
five are recombined from those pages instead: a real page's header and title (numbered, so every
article is distinct) and lead, then lines drawn from all the real pages until the article is as
long as that page. The corpus then has real pages' formats, lengths, vocabulary, number density
and compressibility, which five seeds from one site do not.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from archive_etl.build import default_input
from archive_etl.build.tables import build_tables
from archive_etl.read.sources import read_sources, scan

TARGET_BYTES = 9_000
BOILERPLATE_B = [
    "",
    "",
    "Các bài mới đăng",
    "",
    "Các bài đã đăng :",
    "",
    "Bài viết Xem",
    "Viết bình luận",
    "",
    "Họ tên:(*)",
    "Số điện thoại:",
    "Tiêu đề:(*)",
    "Nội dung:(*)",
    "Mã xác nhận:         Lấy lại mã bảo mật",
]
BYLINES = ["Nhật Minh", "Thu Hà", "Minh Quân", "Hoàng Lan", "Phạm Tuấn", "Ngọc Ánh", "Đức Anh"]
# Numbers followed by a counted noun or '%': the ones worth perturbing (dates and codes stay).
_UNITS = (
    "người", "lượt", "đơn", "chỉ tiêu", "trường hợp", "đồng chí", "đảng viên", "hội nghị", "ý kiến",
    "lớp", "vụ", "phường", "chương trình", "nhiệm vụ", "kế hoạch", "bài viết",
)  # fmt: skip
_METRIC = re.compile(rf"(?<![\d/.,\-])(\d{{1,3}}(?:\.\d{{3}})*|\d+,\d+)(?=\s?%|\s(?:{'|'.join(_UNITS)})\b)")


@dataclass(frozen=True)
class Pools:
    """The parts of the seeds an article is assembled from."""

    categories: list[str]
    rubrics: list[str]
    titles: list[str]
    leads: list[str]
    body: list[str]
    lists: list[str]
    captions: list[str]
    sources: list[str]


def pools_from(seeds: Path) -> Pools:
    """Sort the seeds' paragraphs by kind (with our own parser)."""
    t = build_tables(read_sources(scan(seeds)))
    p = t.paragraph.join(t.article.select("article_id", "header_format"), on="article_id")

    def texts(kind: str, fmt: str | None = None) -> list[str]:
        rows = p.filter(pl.col("kind") == kind)
        if fmt is not None:
            rows = rows.filter(pl.col("header_format") == fmt)
        return rows["text"].to_list()

    return Pools(
        categories=sorted(set(texts("category", "A"))),
        rubrics=texts("category", "B"),
        titles=t.article["title"].to_list(),
        leads=[x.removeprefix("HNP - ") for x in texts("lead")],
        body=texts("body"),
        lists=texts("list_item"),
        captions=texts("caption"),
        sources=texts("source"),
    )


def _vn_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def perturb(text: str, rng: random.Random) -> str:
    """New values for the metrics of a paragraph, written the Vietnamese way."""

    def new(match: re.Match[str]) -> str:
        raw = match.group(1)
        if "," in raw:  # a decimal: keep two digits after the comma
            return f"{rng.uniform(1, 99.99):.2f}".replace(".", ",")
        value = int(raw.replace(".", ""))
        out = _vn_number(max(1, round(value * rng.uniform(0.5, 1.5))))
        return out.zfill(len(raw)) if raw.startswith("0") else out

    return _METRIC.sub(new, text)


def article(i: int, pools: Pools, rng: random.Random) -> str:
    """One synthetic article, format A (four in five) or B."""
    day = rng.randint(1, 28)
    month, year = rng.randint(1, 12), rng.randint(2015, 2025)
    hour, minute = rng.randint(6, 21), rng.randint(0, 59)
    title = f"{rng.choice(pools.titles)} ({i})"
    lines: list[str] = []
    fmt_b = rng.random() < 0.2
    if fmt_b:
        lines += [
            rng.choice(pools.rubrics),
            "",
            "",
            f"{title} ({hour:02d}:{minute:02d} {day:02d}/{month:02d}/{year})",
            "",
            "",
        ]
        lines += [f"HNP - {perturb(rng.choice(pools.leads), rng)}", ""]
    else:
        views = rng.randint(50, 20_000)
        lines += [rng.choice(pools.categories), "", title]
        lines += [
            f"Ngày đăng {day:02d}/{month:02d}/{year} | {hour:02d}:{minute:02d}  | Lượt xem: {views}",
            "",
        ]
        lines += [perturb(rng.choice(pools.leads), rng), ""]
    size = sum(len(x.encode()) + 1 for x in lines)
    while size < TARGET_BYTES:
        roll = rng.random()
        if roll < 0.12:
            items = rng.sample(pools.lists, k=min(len(pools.lists), rng.randint(2, 5)))
            block = [perturb(x, rng) for x in items]
        elif roll < 0.22:
            block = [rng.choice(pools.captions)]
        else:
            block = [perturb(rng.choice(pools.body), rng)]
        for paragraph in block:
            lines += [paragraph, ""]
            size += len(paragraph.encode()) + 2
    if fmt_b:
        lines += [rng.choice(BYLINES), *BOILERPLATE_B]
    elif rng.random() < 0.3:
        lines += [rng.choice(pools.captions)]
    elif pools.sources and rng.random() < 0.2:
        lines += [rng.choice(pools.sources)]
    return "\n".join(lines)


# Real pages drawn as templates: news-sized ones (legal codes of hundreds of KB would each be
# one article bigger than forty news pages).
REAL_MAX_BYTES = 50_000
REAL_SHARE = 0.8


@dataclass(frozen=True)
class RealPages:
    """Real pages split into lines: each page's opening (header lines, title, lead) and the
    lines of every page's body."""

    openings: list[tuple[list[str], str, str, int]]  # header lines, title, lead, page bytes
    body: list[str]


def real_pages(folder: Path) -> RealPages:
    """The real pages of `folder` (UTF-8 text files under REAL_MAX_BYTES), in name order."""
    openings, body = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.stat().st_size < REAL_MAX_BYTES):
        text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
        lines = [line for line in text.split("\n") if line.strip()]
        header = [line for line in lines if line.startswith("# ")]
        rest = [line for line in lines if not line.startswith("# ")]
        if len(rest) < 3:
            continue
        openings.append((header, rest[0], rest[1], len(text.encode())))
        body += rest[2:]
    if not openings:
        raise ValueError(f"no real pages (text files under {REAL_MAX_BYTES} bytes) in {folder}")
    return RealPages(openings, body)


def real_article(i: int, pages: RealPages, rng: random.Random) -> str:
    """One article recombined from real pages: a page's opening, then real lines to its length."""
    header, title, lead, size = rng.choice(pages.openings)
    header = [f"# doc_id = synth_{i:07d}" if line.startswith("# doc_id") else line for line in header]
    lines = [*header, f"{title} ({i})", perturb(lead, rng)]
    length = sum(len(x.encode()) + 1 for x in lines)
    while length < size:
        line = perturb(rng.choice(pages.body), rng)
        lines.append(line)
        length += len(line.encode()) + 1
    return "\n".join(lines) + "\n"


def synthesise(
    n: int, output: Path, *, seed: int = 0, seeds: Path | None = None, real: Path | None = None
) -> list[Path]:
    """Write `n` articles into `output` (created if needed); return their paths. With `real`, a
    folder of real pages, REAL_SHARE of them are recombined from those pages."""
    pools = pools_from(seeds or default_input())
    pages = real_pages(real) if real is not None else None
    rng = random.Random(seed)
    output.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        text = real_article(i, pages, rng) if pages and rng.random() < REAL_SHARE else article(i, pools, rng)
        data = text.encode("utf-8")
        path = output / f"{i:07d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
        path.write_bytes(data)
        paths.append(path)
    return paths
