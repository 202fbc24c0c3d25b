"""The search index and `search(query)`: accent-insensitive, phrase first, on the seeds and real files."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import duckdb
import polars as pl
import pytest

from archive_etl.build import BuildResult, build
from archive_etl.database import postings, search
from archive_etl.database.store import connect
from archive_etl.parse.terms import index_terms
from archive_etl.parse.texts import tokens_of
from conftest import ROOT, SEEDS, run

REAL = [ROOT / "tests" / "fixtures" / name / "text" for name in ("realgold", "realholdout", "whogold")]


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    """The package of the seeds and every real fixture file (news, Dantri, legal documents)."""
    folder = tmp_path_factory.mktemp("real") / "input"
    shutil.copytree(SEEDS, folder)
    for texts in REAL:
        for path in texts.glob("*.txt"):
            shutil.copy(path, folder / f"{texts.parent.name}_{path.name}")
    return connect(build(folder, folder.parent / "package").output)


@pytest.fixture(scope="module")
def tiered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and the real news fixtures with tiers of 4 postings: the shortcut of `search`
    meets terms over their tier size here, as it does in a large archive."""
    folder = tmp_path_factory.mktemp("tiered") / "input"
    shutil.copytree(SEEDS, folder)
    for path in REAL[0].glob("*.txt"):
        shutil.copy(path, folder / path.name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "TIER", 4)
        return build(folder, folder.parent / "package").output


@pytest.fixture(scope="module")
def seeds(built: BuildResult) -> duckdb.DuckDBPyConnection:
    return connect(built.output)


def hits(con: duckdb.DuckDBPyConnection, query: str) -> list[tuple]:
    """Every hit, in search's order, with its paragraph's text."""
    return con.execute(
        "SELECT s.article_id, s.paragraph_no, s.phrase, s.score, p.text FROM search_paragraphs(?) s "
        "JOIN paragraphs p USING (article_id, paragraph_no) "
        "ORDER BY s.phrase DESC, s.score DESC, s.published_at DESC NULLS LAST, s.article_id, s.paragraph_no",
        [query],
    ).fetchall()


def scan(con: duckdb.DuckDBPyConnection, query: str) -> set[tuple[str, int]]:
    """The paragraphs whose folded text holds the query's tokens in a row, found by a regular
    expression over every paragraph (the old way, and no index)."""
    words = [re.escape(w) for w in con.execute("SELECT search_tokens(?)", [query]).fetchone()[0]]
    pattern = r"(^|[^\pL\pN])" + r"[^\pL\pN]+".join(words) + r"($|[^\pL\pN])"
    rows = con.execute(
        "SELECT article_id, paragraph_no FROM paragraphs WHERE regexp_matches(vn_fold(text), ?)", [pattern]
    ).fetchall()
    return set(rows)


def phrase_hits(con: duckdb.DuckDBPyConnection, query: str) -> set[tuple[str, int]]:
    return {(r[0], r[1]) for r in hits(con, query) if r[2]}


def test_diacritics_case_and_unicode_form_do_not_matter(seeds: duckdb.DuckDBPyConnection) -> None:
    typed = hits(seeds, "giải phóng mặt bằng")
    assert len(typed) >= 4 and all(r[2] for r in typed[:4])
    assert "giải phóng mặt bằng" in typed[0][4].lower()
    nfd = unicodedata.normalize("NFD", "giải phóng mặt bằng")
    for variant in ("giai phong mat bang", "GIẢI PHÓNG MẶT BẰNG", nfd):
        assert hits(seeds, variant) == typed


def test_old_and_new_tone_mark_styles_find_each_other(real: duckdb.DuckDBPyConnection) -> None:
    old, new = hits(real, "thuỷ"), hits(real, "thủy")
    assert old == new and old
    texts = " ".join(r[4] for r in old).lower()
    assert "thuỷ" in texts and "thủy" in texts


def test_a_code_is_a_phrase_of_its_parts(seeds: duckdb.DuckDBPyConnection) -> None:
    found = hits(seeds, "15-NQ/TU")
    assert found and all("15-nq/tu" in r[4].lower() for r in found if r[2])
    assert not any("15-nq/tu" in r[4].lower() for r in found if not r[2])
    # Another code of the same parts in another order is not the phrase.
    assert phrase_hits(seeds, "15-CT/TU").isdisjoint(
        {(r[0], r[1]) for r in found if "15-ct/tu" not in r[4].lower()}
    )
    [snippet] = seeds.execute("SELECT snippet FROM search('15-NQ/TU', top := 1)").fetchone()
    assert "«15-NQ/TU»" in snippet


def test_numbers_are_tokens(seeds: duckdb.DuckDBPyConnection) -> None:
    found = hits(seeds, "5.189 đơn")
    assert found and found[0][2] and "5.189 đơn" in found[0][4]


def test_every_syllable_is_needed_and_the_phrase_ranks_first(seeds: duckdb.DuckDBPyConnection) -> None:
    assert hits(seeds, "giai phong xyzzy") == []
    assert hits(seeds, "") == [] and hits(seeds, "?!") == []
    found = hits(seeds, "nhiệm kỳ hội nghị")  # both words, seldom as one phrase
    assert found
    keys = [(r[2], r[3]) for r in found]
    assert keys == sorted(keys, reverse=True)


PHRASES = [
    "giai phong mat bang",
    "quận ủy",
    "Quận uỷ",
    "Ban Chấp hành Đảng bộ",
    "nhiệm kỳ 2020-2025",
    "15-NQ/TU",
    "thủy",
    "Điều 5",
    "an toàn giao thông",
    "năm 2021",
    "Hà Nội",
    "điện lực",
    "người lao động",
]


def test_the_index_agrees_with_a_scan_on_which_paragraphs_hold_a_phrase(
    real: duckdb.DuckDBPyConnection,
) -> None:
    # Phrases picked by hand, and three-to-five-token runs taken from the real paragraphs.
    sampled = real.execute(
        "SELECT array_to_string(t[1 + (n % 3):4 + (n % 3) + (n % 2)], ' ') FROM ("
        "  SELECT search_tokens(text) AS t, row_number() OVER (ORDER BY article_id, paragraph_no) AS n "
        "  FROM paragraphs WHERE kind = 'body') WHERE n % 37 = 0 AND len(t) >= 6"
    ).fetchall()
    phrases = PHRASES + [r[0] for r in sampled]
    assert len(phrases) > 40
    for phrase in phrases:
        expected = scan(real, phrase)
        assert expected, phrase
        assert phrase_hits(real, phrase) == expected, phrase


def test_results_join_every_view_and_search_paragraphs_is_every_hit(seeds: duckdb.DuckDBPyConnection) -> None:
    joined = seeds.execute(
        "SELECT count(*) FROM search('giai phong mat bang', top := 2) s "
        "JOIN paragraphs p USING (article_id, paragraph_no) JOIN articles a USING (article_id)"
    ).fetchone()[0]
    assert joined == 2
    every = seeds.execute("SELECT count(*) FROM search_paragraphs('quận')").fetchone()[0]
    assert every == seeds.execute("SELECT count(*) FROM search('quận', top := NULL)").fetchone()[0] > 50


def test_search_command_prints_ranked_hits_with_title_date_and_snippet(built: BuildResult) -> None:
    result = run("search", "giai phong mat bang", "--package", str(built.output), "--limit", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1. ") and re.search(r"\d{4}-\d{2}-\d{2}$", lines[0])
    assert "«giải phóng mặt bằng»" in result.stdout
    assert "2 hits" in result.stderr and not any(line.startswith("3. ") for line in lines)
    missing = run("search", "x", "--package", str(built.output.parent / "nowhere"))
    assert missing.returncode == 2 and "archive-etl build" in missing.stderr


def test_the_package_folder_moves_with_its_index(built: BuildResult, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere"
    shutil.copytree(built.output, moved)
    counts = []
    for folder in (built.output, moved):
        with duckdb.connect(str(folder / "archive.duckdb"), read_only=True) as con:
            counts.append(con.execute("SELECT count(*) FROM search('Sài Đồng', top := NULL)").fetchone()[0])
            # Every paragraph that holds the phrase as written, found by the copy's own index.
            [(written,)] = con.execute(
                "SELECT count(*) FROM paragraphs WHERE text LIKE '%Sài Đồng%'"
            ).fetchall()
    assert counts[0] == counts[1] >= written > 0


SHORTCUT_QUERIES = [
    "đảng",
    "quận",
    "tỉnh",
    "năm",
    "của",
    "2021",
    "xyzzy",
    "hội nghị",
    "quận uỷ",
    "nhiệm kỳ",
    "giai phong mat bang",
    "Ban Chấp hành Đảng bộ",
    "kinh tế xã hội",
    "công tác cán bộ",
    "15-NQ/TU",
    "người lao động",
    "của các",
    "năm 2021",
    "ủy ban nhân dân",
    "phát triển kinh tế",
    "Hà Nội",
    "an toàn giao thông",
    "và",
    "đồng chí",
    "tổ chức",
]


def answers(con: duckdb.DuckDBPyConnection, quick: bool) -> dict[tuple[str, int], list[tuple]]:
    return {
        (q, top): con.execute(
            "SELECT article_id, paragraph_no, phrase, score FROM search(?, top := ?, quick := ?)",
            [q, top, quick],
        ).fetchall()
        for q in SHORTCUT_QUERIES
        for top in (1, 3, 10, 40)
    }


def test_the_shortcut_gives_the_answer_of_weighing_every_hit(tiered: Path, tmp_path: Path) -> None:
    con = connect(tiered)
    exhaustive = answers(con, quick=False)
    assert answers(con, quick=True) == exhaustive
    assert sum(len(rows) == top for (_, top), rows in exhaustive.items()) > 60  # full answers, mostly
    [(terms,)] = con.execute(
        "SELECT count(DISTINCT term_id) FROM package.search_top t JOIN package.search_stats s ON true "
        "WHERE (SELECT df FROM package.search_term WHERE term_id = t.term_id "
        "       UNION ALL SELECT df FROM package.search_pair WHERE term_id = t.term_id) > s.tier"
    ).fetchall()
    assert terms > 100
    con.close()
    # The shortcut does read the tiers: with the best posting of every tier taken out (so they
    # are no longer what they claim), some answers change.
    broken = tmp_path / "broken"
    shutil.copytree(tiered, broken)
    with duckdb.connect(str(broken / "archive.duckdb")) as rw:
        rw.execute(
            "DELETE FROM package.search_top t USING (SELECT term_id, doc FROM package.search_top "
            "QUALIFY row_number() OVER (PARTITION BY term_id ORDER BY w DESC, doc) = 1) x "
            "WHERE t.term_id = x.term_id AND t.doc = x.doc"
        )
    assert answers(connect(broken), quick=True) != exhaustive


def test_postings_spilled_by_term_range_come_back_in_term_order(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index's occurrences are sorted a term range at a time: the ranges cut from the first
    batch give back every occurrence, in (term, doc) order, whatever the batches hold."""
    monkeypatch.setattr(postings, "RANGE_ROWS", 3_000)
    paragraphs = pl.read_parquet(built.output / "paragraph.parquet")
    terms, texts = index_terms(tokens_of(paragraphs))
    vocabulary = search.vocabulary([terms])
    numbered = texts.with_row_index("doc").with_columns(pl.col("doc").cast(pl.UInt32))
    batches = [
        search.occurrences(numbered.slice(start, 20), terms, vocabulary)[1]
        for start in range(0, numbered.height, 20)
    ]
    doc = numbered.height
    ranges = postings.TermRanges(tmp_path, len(batches))
    for found in batches:
        ranges.add(found)
    assert len(ranges.bounds) > 3  # several ranges from the first batch
    merged = pl.concat(list(ranges.sorted()))
    assert merged.equals(pl.concat(batches).sort("term_id", "doc"))
    assert merged["term_id"].n_unique() > 1_000 and merged["term_id"].max() > search.PAIR_BASE
    assert not list(tmp_path.iterdir())
    # Counted: a posting per term and paragraph, with how often the term occurs there.
    counted = search.postings(merged, pl.Series([1.0] * doc))
    expected = merged.group_by("term_id", "doc", maintain_order=True).len()
    assert counted.select("term_id", "doc").equals(expected.select("term_id", "doc"))
    tf = expected["len"].cast(pl.Float64)
    assert counted["w"].equals((255 * tf / (tf + 1)).round().clip(1, 255).cast(pl.UInt8).rename("w"))
    # The tiers cut from the sorted postings: each frequent term's best, weight first, then doc.
    monkeypatch.setattr(search, "TIER", 5)
    frequent = counted.filter(pl.len().over("term_id") > 5)
    best = frequent.sort("term_id", "w", "doc", descending=[False, True, False])
    expected_tiers = best.group_by("term_id", maintain_order=True).head(5)
    assert expected_tiers["term_id"].n_unique() > 50
    assert search.best_postings(counted).equals(expected_tiers)


def test_the_database_holds_postings_in_term_order(seeds: duckdb.DuckDBPyConnection) -> None:
    """Zonemaps let a query read only its terms' row groups because the rows are stored sorted."""
    [(unordered, rows)] = seeds.execute(
        "SELECT count(*) FILTER (WHERE lt IS NOT NULL AND (term_id, doc) <= (lt, ld)), count(*) FROM ("
        "  SELECT term_id, doc, lag(term_id) OVER (ORDER BY rowid) lt, lag(doc) OVER (ORDER BY rowid) ld"
        "  FROM package.search_posting)"
    ).fetchall()
    assert rows > 10_000 and unordered == 0


SHARED = "Đoạn chung: công tác giải phóng mặt bằng ở phường Sài Đồng được đẩy nhanh."


def _shared_hits(folder: Path) -> tuple[list[tuple], list[tuple]]:
    """The paragraphs found for the shared text's phrase, and its syllable's df and postings."""
    with duckdb.connect(str(folder / "archive.duckdb"), read_only=True) as con:
        found = con.execute(
            "SELECT article_id, paragraph_no, phrase FROM search_paragraphs('giai phong mat bang') "
            "ORDER BY ALL"
        ).fetchall()
        counts = con.execute("SELECT df, postings FROM package.search_term WHERE term = 'giai'").fetchall()
    return found, counts


def _mode(folder: Path) -> str:
    with duckdb.connect(str(folder / "archive.duckdb"), read_only=True) as con:
        return con.execute("SELECT value FROM package.build_info WHERE key = 'mode'").fetchall()[0][0]


def test_a_text_several_articles_repeat_is_one_doc_that_finds_every_copy(tmp_path: Path) -> None:
    """The index holds a repeated paragraph text once; a search finds each paragraph that has it,
    df counts the paragraphs, and an update that drops a copy, or every copy, agrees with a build
    made anew."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in "abc":
        (corpus / f"{name}.txt").write_text(f"Tin {name}\n\n{SHARED}\n\nRiêng bài {name}.", encoding="utf-8")
    for name in "defgh":  # others, so that each change below is small enough to update in place
        (corpus / f"{name}.txt").write_text(f"Tin {name}\n\nBài {name} nói chuyện khác.", encoding="utf-8")
    first = build(corpus, tmp_path / "pkg").output
    found, counts = _shared_hits(first)
    assert len(found) == 3 and all(phrase for *_, phrase in found)
    assert counts == [(3, 1)]  # three paragraphs hold "giai": one doc, one posting
    with duckdb.connect(str(first / "archive.duckdb"), read_only=True) as con:
        docs = con.execute(
            "SELECT count(DISTINCT d.doc), count(*) FROM package.search_doc d JOIN package.paragraph p "
            "USING (article_id, paragraph_no) WHERE p.text = ?",
            [SHARED],
        ).fetchall()
        assert docs == [(1, 3)]
    for gone in ("a", "b"):
        (corpus / f"{gone}.txt").unlink()
        updated = build(corpus, tmp_path / "pkg").output
        fresh = build(corpus, tmp_path / f"fresh-{gone}").output
        assert _mode(updated) == "updated"
        assert _shared_hits(updated) == _shared_hits(fresh)
    assert _shared_hits(updated)[1] == [(1, 1)]
    (corpus / "c.txt").write_text("Tin c\n\nMột bài khác hẳn.", encoding="utf-8")
    updated = build(corpus, tmp_path / "pkg").output
    assert _mode(updated) == "updated"
    assert _shared_hits(updated) == ([], [])  # no copy left: its doc, postings and syllables go
    with duckdb.connect(str(updated / "archive.duckdb"), read_only=True) as con:
        [(orphans,)] = con.execute(
            "SELECT count(*) FROM package.search_posting "
            "WHERE doc NOT IN (SELECT doc FROM package.search_doc)"
        ).fetchall()
        assert orphans == 0
