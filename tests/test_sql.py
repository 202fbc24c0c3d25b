"""The SQL layer as analysts meet it: archive.duckdb copied anywhere, opened read-only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import duckdb
import polars as pl
import pytest

from archive_etl.archive.validate import validate_package
from archive_etl.build import BuildResult, build
from archive_etl.database import search as search_index
from archive_etl.database.store import BASE_VIEWS, DATABASE, STORAGE_VERSION, marts, shell_command
from archive_etl.devtools.querydoc import questions, run
from archive_etl.package.descriptor import read_descriptor
from archive_etl.schema import TABLES, TIME_ZONE
from conftest import CLI, NEW_ARTICLE, ROOT, SEEDS
from conftest import run as run_cli

ANALYTIC_VIEWS = {
    "article_text", "article_body", "articles_by_month", "documents_cited", "people", "metric_facts",
    "ratios", "metrics_by_month", "unit_counts", "paragraph_kinds", "source_file_status",
}  # fmt: skip
# The analytic views made tables at build time: the aggregates of whole tables.
MARTS = {
    "articles_by_month", "documents_cited", "people", "metrics_by_month", "unit_counts", "paragraph_kinds",
}  # fmt: skip
# The views and marts an analyst queries, with their comments.
RELATIONS_SQL = (
    "SELECT view_name, comment FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal "
    "UNION ALL SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'"
)


@pytest.fixture(scope="module")
def analyst(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    """The package copied to a new place, opened read-only from an unrelated working directory."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    copy = elsewhere / "copied package"
    shutil.copytree(built.output, copy)
    cwd = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("somewhere_else"))
    try:
        con = duckdb.connect(str(copy / "archive.duckdb"), read_only=True)
        yield con
    finally:
        os.chdir(cwd)


def relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The views and marts of the database."""
    return {r[0] for r in con.execute(RELATIONS_SQL).fetchall()}


def test_every_view_and_mart_answers_from_anywhere(analyst: duckdb.DuckDBPyConnection) -> None:
    assert set(BASE_VIEWS.values()) | ANALYTIC_VIEWS <= relations(analyst)
    for name in relations(analyst):
        assert analyst.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0] >= 1, name


def test_the_marts_are_tables_of_main_made_from_sql(analyst: duckdb.DuckDBPyConnection) -> None:
    tables = analyst.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
    assert {t for (t,) in tables} == MARTS
    assert {name for name, _ in marts(analyst)} == MARTS
    # Each mart holds what its SELECT gives, row for row.
    for name, query in marts(analyst):
        assert (
            analyst.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
            == analyst.execute(f"SELECT * FROM ({query}) ORDER BY ALL").fetchall()
        ), name
    compression = (
        "SELECT DISTINCT compression FROM pragma_storage_info('package.paragraph') "
        "WHERE column_name = 'text' AND compression NOT IN ('Constant', 'Uncompressed')"
    )
    assert analyst.execute(compression).fetchall() == [("ZSTD",)]


@pytest.mark.parametrize(("table", "at_least"), [("metric", 100), ("document_ref", 20)])
def test_every_metric_and_citation_carries_the_sentence_sql_cuts_around_it(
    analyst: duckdb.DuckDBPyConnection, table: str, at_least: int
) -> None:
    [(rows, differ, sentences)] = analyst.execute(
        "SELECT count(*), count(*) FILTER (WHERE m.sentence IS DISTINCT FROM "
        "sentence_around(p.text, m.char_start, m.char_end)), count(DISTINCT m.sentence) "
        f"FROM package.{table} m JOIN package.paragraph p USING (article_id, paragraph_no)"
    ).fetchall()
    assert rows > at_least and sentences > at_least // 2 and differ == 0


def test_paragraph_kinds_counts_what_the_parquet_files_hold(
    analyst: duckdb.DuckDBPyConnection, built: BuildResult
) -> None:
    """The mart against the package's Parquet files counted in Polars, kind by kind."""
    read = {t.name: pl.read_parquet(built.output / t.path) for t in TABLES}
    # Renamed: a metric has a kind of its own.
    kinds = read["paragraph"].select("article_id", "paragraph_no", paragraph_kind="kind")

    def per_kind(table: str) -> dict[str, int]:
        joined = read[table].join(kinds, on=["article_id", "paragraph_no"])
        return dict(joined.group_by("paragraph_kind").len().iter_rows())

    metrics, people, documents = per_kind("metric"), per_kind("person"), per_kind("document_ref")
    paragraphs = dict(kinds.group_by("paragraph_kind").len().iter_rows())
    rows = analyst.execute(
        "SELECT kind, paragraphs, metrics, people_named, documents_cited FROM paragraph_kinds"
    ).fetchall()
    assert {r[0] for r in rows} == set(paragraphs) and len(rows) >= 5
    for kind, n, m, p, d in rows:
        assert (n, m, p, d) == (paragraphs[kind], metrics.get(kind, 0), people.get(kind, 0),
                                documents.get(kind, 0)), kind  # fmt: skip
    assert sum(r[2] for r in rows) == read["metric"].height > 100


def test_base_views_have_the_package_row_counts(
    analyst: duckdb.DuckDBPyConnection, built: BuildResult
) -> None:
    for table in TABLES:
        expected = pl.read_parquet(built.output / table.path).height
        assert analyst.execute(f"SELECT count(*) FROM {BASE_VIEWS[table.name]}").fetchall()[0][0] == expected


def test_base_views_expose_exactly_the_schema_with_its_comments(analyst: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES:
        rows = analyst.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
            [BASE_VIEWS[table.name]],
        ).fetchall()
        assert [r[0] for r in rows] == table.columns
        assert [r[1] for r in rows] == [f.description for f in table.fields]


def test_every_view_mart_and_column_is_commented(analyst: duckdb.DuckDBPyConnection) -> None:
    missing = analyst.execute(f"SELECT * FROM ({RELATIONS_SQL}) WHERE comment IS NULL").fetchall()
    assert missing == []
    uncommented = analyst.execute(
        f"SELECT c.table_name, c.column_name FROM duckdb_columns() c JOIN ({RELATIONS_SQL}) r "
        "ON c.table_name = r.view_name WHERE c.schema_name = 'main' AND c.comment IS NULL"
    ).fetchall()
    assert uncommented == []
    comment = "SELECT comment FROM duckdb_columns() WHERE table_name = ? AND column_name = ?"
    # A mart's column without a comment of its own takes the schema's description.
    assert analyst.execute(comment, ["people", "name"]).fetchall() == [
        ("The person's name as written, without honorific or role: 'Đường Hoài Nam', 'Hải', 'T.'.",)
    ]


def search(con: duckdb.DuckDBPyConnection, query: str) -> list[tuple]:
    """Every hit, in search's order, with its paragraph's text."""
    return con.execute(
        "SELECT s.article_id, s.paragraph_no, s.kind, p.text FROM search_paragraphs(?) s "
        "JOIN paragraphs p USING (article_id, paragraph_no) "
        "ORDER BY s.phrase DESC, s.score DESC, s.published_at DESC NULLS LAST, s.article_id, s.paragraph_no",
        [query],
    ).fetchall()


def test_search_ignores_diacritics_case_and_unicode_form(analyst: duckdb.DuckDBPyConnection) -> None:
    with_marks = search(analyst, "giải phóng mặt bằng")
    assert len(with_marks) >= 4
    assert all("giải phóng mặt bằng" in r[3].lower() for r in with_marks)
    assert search(analyst, "giai phong mat bang") == with_marks
    assert search(analyst, "GIẢI PHÓNG MẶT BẰNG") == with_marks
    assert search(analyst, unicodedata.normalize("NFD", "giải phóng mặt bằng")) == with_marks


def test_search_matches_both_tone_mark_styles(analyst: duckdb.DuckDBPyConnection) -> None:
    old_style = search(analyst, "Quận uỷ")  # the seeds write both "Quận uỷ" and "Quận ủy"
    new_style = search(analyst, "Quận ủy")
    assert set(old_style) == set(new_style)
    texts = " ".join(r[3] for r in new_style)
    assert "Quận uỷ" in texts and "Quận ủy" in texts
    # Folded alike, ranked alike: the tone-mark style typed does not change the order.
    assert old_style == new_style


def test_search_reads_d_for_dj_and_needs_every_word(analyst: duckdb.DuckDBPyConnection) -> None:
    assert search(analyst, "dang uy phuong sai dong") == search(analyst, "Đảng ủy phường Sài Đồng")
    assert search(analyst, "dang uy phuong sai dong")
    assert search(analyst, "giai phong xyzzy") == []


def test_search_ranks_the_phrase_and_the_title_first(analyst: duckdb.DuckDBPyConnection) -> None:
    results = analyst.execute(
        "SELECT kind, score, phrase FROM search_paragraphs('Hội nghị sơ kết giữa nhiệm kỳ')"
    ).fetchall()
    assert results[0][0] == "title"
    # The whole phrase first, then by score.
    keys = [(r[2], r[1]) for r in results]
    assert keys == sorted(keys, reverse=True)
    assert results[0][2]


def test_docs_queries_run_and_their_stored_results_are_current(analyst: duckdb.DuckDBPyConnection) -> None:
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    qs = questions(doc)
    assert len(qs) >= 12
    for q in qs:
        assert run(analyst, q.sql) == q.result, f"stale result for {q.title!r}: run make docs"


def test_sql_command_prints_table_csv_and_json(built: BuildResult) -> None:
    sql = ["sql", "--package", str(built.output)]
    query = "SELECT unit, metrics FROM unit_counts ORDER BY metrics DESC, unit LIMIT 2"
    table = run_cli(*sql, query)
    assert table.returncode == 0 and "năm" in table.stdout and "2 row(s)" in table.stdout
    csv = run_cli(*sql, "--format", "csv", query)
    assert csv.stdout.splitlines() == ["unit,metrics", "năm,18", "%,13"]
    js = run_cli(*sql, "--format", "json", query)
    assert json.loads(js.stdout) == [{"unit": "năm", "metrics": 18}, {"unit": "%", "metrics": 13}]
    bad = run_cli(*sql, "SELECT nope")
    assert bad.returncode == 2 and "nope" in bad.stderr


def test_sql_command_refuses_to_write(built: BuildResult) -> None:
    result = run_cli("sql", "--package", str(built.output), "DROP VIEW metrics")
    assert result.returncode == 2 and "read-only" in result.stderr


def test_sql_without_a_query_opens_the_duckdb_shell_read_only(built: BuildResult) -> None:
    session = (
        ".mode csv\n"
        "SELECT count(*) AS n FROM articles;\n"
        "SELECT current_setting('TimeZone') AS tz;\n"
        "DROP VIEW metrics;\n"
    )
    shell = subprocess.run(
        [*CLI, "sql", "--package", built.output.name],
        input=session,
        cwd=built.output.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shell.stdout.splitlines() == ["n", "5", "tz", TIME_ZONE]
    assert "read-only" in shell.stderr
    assert run_cli("sql", "--package", str(built.output), "--format", "csv").returncode == 2


def test_the_shell_is_the_locked_duckdb_command_line(built: BuildResult) -> None:
    exe, *_ = shell_command(built.output)
    assert exe == str(Path(sys.executable).with_name("duckdb"))
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout
    assert version.startswith("v1.")  # a 1.x reader of the v1.0.0 storage format


def test_polars_and_duckdb_fold_text_alike(seed_tables) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from archive_etl.database.search import fold_for_search
    from archive_etl.database.store import sql_dir

    con = duckdb.connect()
    con.execute((sql_dir() / "00_functions.sql").read_text(encoding="utf-8"))

    def agree(texts: list[str]) -> None:
        frame = pl.DataFrame({"t": [unicodedata.normalize("NFC", t) for t in texts]})
        ours = frame.select(fold_for_search(pl.col("t")))["t"].to_list()
        theirs = [r[0] for r in con.execute("SELECT vn_fold(t) FROM frame").fetchall()]
        assert ours == theirs

    agree(seed_tables.paragraph["text"].to_list())
    # Every character the real fixtures hold, and every character below U+3000 that Python's
    # Unicode names (DuckDB's may be newer): marks alone, Greek, Cyrillic, Latin of any accent.
    texts = (ROOT / "tests" / "fixtures").rglob("*.txt")
    held = {ch for path in texts for ch in path.read_text(encoding="utf-8")}
    assert len(held) > 150
    named = {chr(cp) for cp in range(0x20, 0x3000) if unicodedata.category(chr(cp)) not in ("Cn", "Cs")}
    agree(sorted(held | named))
    vietnamese = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
    alphabet = st.sampled_from(list(vietnamese + vietnamese.upper() + " .,%0123456789"))

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.text(alphabet=alphabet, max_size=30), min_size=1, max_size=5))
    def prop(texts: list[str]) -> None:
        agree(texts)

    prop()


def storage_version(folder: Path) -> str:
    """The storage version a database file was written in, as DuckDB reports it ('v1.0.0+')."""
    with duckdb.connect(str(folder / DATABASE), read_only=True) as con:
        return con.execute(
            "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = 'archive'"
        ).fetchall()[0][0]


def storage_number(folder: Path) -> int:
    """The storage number in the file's header."""
    header = (folder / DATABASE).read_bytes()[8:20]
    assert header[:4] == b"DUCK"
    return int.from_bytes(header[4:], "little")


def test_the_database_is_written_in_the_oldest_storage_that_compresses(built: BuildResult) -> None:
    assert STORAGE_VERSION == "v1.2.0"
    assert storage_version(built.output) == "v1.2.0+"
    # 65 is what DuckDB 1.2 writes: every DuckDB from 1.2 reads it (64 is 0.10.3 to 1.1).
    assert storage_number(built.output) == 65
    with duckdb.connect(str(built.output / DATABASE), read_only=True) as con:
        compressions = con.execute(
            "SELECT DISTINCT compression FROM pragma_storage_info('package.paragraph') "
            "WHERE column_name = 'text' AND compression <> 'Constant'"
        ).fetchall()
    assert compressions == [("ZSTD",)]


def test_an_older_storage_version_is_written_when_asked(corpus: Path, tmp_path: Path) -> None:
    result = run_cli(
        "build", "--input", str(corpus), "--output", str(tmp_path / "pkg"), "--storage-version", "v1.0.0"
    )
    assert result.returncode == 0, result.stderr
    assert storage_version(tmp_path / "pkg") == "v1.0.0+" and storage_number(tmp_path / "pkg") == 64
    with duckdb.connect(str(tmp_path / "pkg" / DATABASE), read_only=True) as con:
        [(hits,)] = con.execute("SELECT count(*) FROM search_paragraphs('giai phong mat bang')").fetchall()
        assert hits == 4
    unknown = run_cli(
        "build", "--input", str(corpus), "--output", str(tmp_path / "x"), "--storage-version", "v0.9.0"
    )
    assert unknown.returncode == 2 and "v0.9.0" in unknown.stderr and not (tmp_path / "x").exists()


def mode(folder: Path) -> str:
    with duckdb.connect(str(folder / DATABASE), read_only=True) as con:
        return con.execute("SELECT value FROM package.build_info WHERE key = 'mode'").fetchall()[0][0]


def test_a_database_is_updated_in_place_only_in_the_storage_version_asked_for(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pkg"
    build(corpus, out)
    (corpus / "moi.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    build(corpus, out, storage_version="v1.0.0")  # the v1.2.0 file is not reused
    assert (mode(out), storage_version(out)) == ("created", "v1.0.0+")
    (corpus / "moi-2.txt").write_text(NEW_ARTICLE + " Thêm.", encoding="utf-8")
    build(corpus, out, storage_version="v1.0.0")
    assert (mode(out), storage_version(out)) == ("updated", "v1.0.0+")
    build(corpus, out)  # and back to the default: built anew in it
    assert (mode(out), storage_version(out)) == ("created", "v1.2.0+")


def _contents(folder: Path) -> dict[str, list[tuple]]:
    """Every table of the database, rows sorted: what an analyst can see, whatever the order."""
    with duckdb.connect(str(folder / "archive.duckdb"), read_only=True) as con:
        tables = (
            "SELECT table_name FROM duckdb_tables() "
            "WHERE schema_name = 'package' AND table_name <> 'build_info'"
        )
        names = [r[0] for r in con.execute(tables).fetchall() if not r[0].startswith("search_")]
        contents = {n: sorted(con.execute(f"SELECT * FROM package.{n}").fetchall(), key=repr) for n in names}
        # The search index as an analyst meets it, by term and paragraph: numbers (term_id, doc)
        # are internal, and weights keep the average length of the build that created the index.
        for name, query in SEARCH_INDEX.items():
            contents[name] = sorted(con.execute(query).fetchall(), key=repr)
        return contents


def _searches(folder: Path) -> list[list[tuple]]:
    """The best five hits of a few searches, as they come."""
    with duckdb.connect(str(folder / "archive.duckdb"), read_only=True) as con:
        return [
            con.execute(
                "SELECT article_id, paragraph_no, phrase, score FROM search(?, top := 5)", [q]
            ).fetchall()
            for q in ("quận", "đảng bộ", "giai phong mat bang", "tin", "xã có", "hộ")
        ]


# Every term spelled out: a syllable as it is, a pair as its two syllables.
_SPELLED = (
    "WITH spelled AS (SELECT term_id, term FROM package.search_term UNION ALL "
    "SELECT p.term_id, x.term || ' ' || y.term FROM package.search_pair p, package.search_stats s "
    "JOIN package.search_term x ON x.term_id + 1 = p.term_id // s.pair_base "
    "JOIN package.search_term y ON y.term_id = p.term_id % s.pair_base) "
)
SEARCH_INDEX = {
    "search_term": "SELECT term, df FROM package.search_term",
    "search_pair": _SPELLED + "SELECT t.term, p.df FROM package.search_pair p JOIN spelled t USING (term_id)",
    "search_doc": "SELECT article_id, paragraph_no FROM package.search_doc",
    "search_posting": _SPELLED + "SELECT t.term, d.article_id, d.paragraph_no FROM package.search_posting p "
    "JOIN spelled t USING (term_id) JOIN package.search_doc d USING (doc)",
}


def test_a_rebuild_updates_the_previous_database_to_what_a_fresh_build_gives(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New, removed and re-kept articles: the database updated in place equals one built anew
    (its search tiers, 3 postings here, may differ but answer every search the same)."""
    monkeypatch.setattr(search_index, "TIER", 3)
    shutil.copy(corpus / "000_2fba84feb8337456.txt", corpus / "zz-copy.txt")
    for i in range(30):
        (corpus / f"tin-{i:02d}.txt").write_text(
            f"Tin {i}\n\nXã có {i + 3} hộ, đạt {i},5%.", encoding="utf-8"
        )
    build(corpus, tmp_path / "pkg")
    info = duckdb.connect(str(tmp_path / "pkg" / "archive.duckdb"), read_only=True)
    before = dict(info.execute("SELECT key, value FROM package.build_info").fetchall())
    info.close()
    (corpus / "tin-03.txt").unlink()  # an article gone
    (corpus / "tin-04.txt").write_text("Tin 4 đã sửa\n\nXã có 40 hộ.", encoding="utf-8")  # changed
    (corpus / "moi.txt").write_text(NEW_ARTICLE, encoding="utf-8")  # new
    (corpus / "000_2fba84feb8337456.txt").unlink()  # the copy now keeps that article
    updated = build(corpus, tmp_path / "pkg")
    fresh = build(corpus, tmp_path / "fresh")
    assert _contents(updated.output) == _contents(fresh.output)
    assert _searches(updated.output) == _searches(fresh.output)
    with duckdb.connect(str(updated.output / "archive.duckdb"), read_only=True) as con:
        # Every tier is still the head of its term's postings, best first, and no longer than 3.
        ranked = "SELECT *, row_number() OVER (PARTITION BY term_id ORDER BY w DESC, doc) AS r FROM package."
        heads = con.execute(
            f"SELECT t.term_id, t.doc, p.doc FROM ({ranked}search_top) t "
            f"LEFT JOIN ({ranked}search_posting) p USING (term_id, r) "
            "WHERE t.doc IS DISTINCT FROM p.doc OR r > 3"
        ).fetchall()
        assert heads == []
        [(tiers,)] = con.execute("SELECT count(DISTINCT term_id) FROM package.search_top").fetchall()
        assert tiers > 100
    assert validate_package(updated.output).valid
    with duckdb.connect(str(updated.output / "archive.duckdb"), read_only=True) as con:
        after = dict(con.execute("SELECT key, value FROM package.build_info").fetchall())
        assert after["version"] == before["version"] and after["hashes"] != before["hashes"]
        assert (before["mode"], after["mode"]) == ("created", "updated")
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == updated.rows["article"]
    assert storage_version(updated.output) == "v1.2.0+"  # the file's own version is kept


def test_the_database_is_built_anew_when_much_changed_or_the_package_was_touched(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pkg"
    build(corpus, out)
    (corpus / "moi.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    build(corpus, out)  # 1 new article of 6 (17%): updated in place
    assert mode(out) == "updated"
    for seed in SEEDS.iterdir():
        (corpus / seed.name).unlink()
    for name in ("a", "b"):
        (corpus / f"{name}.txt").write_text(f"Tin {name}\n\nCó 3 hộ.", encoding="utf-8")
    build(corpus, out)  # 2 new articles of 3 (67%, over a quarter): built anew
    assert mode(out) == "created"
    # A database that no longer matches its package's files is not trusted either.
    descriptor = read_descriptor(out)
    descriptor["resources"][1]["hash"] = "sha256:" + "0" * 64
    (out / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (corpus / "c.txt").write_text("Tin c\n\nCó 4 hộ.", encoding="utf-8")
    build(corpus, out)
    assert mode(out) == "created"
    assert validate_package(out).valid


def _marts(folder: Path) -> dict[str, list[tuple]]:
    """Every mart's rows, ordered by all its columns in turn: equal rows give equal lists."""
    with duckdb.connect(str(folder / DATABASE), read_only=True) as con:
        names = [name for name, _ in marts(con)]
        return {name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in names}


def test_a_rebuild_with_the_cache_keeps_every_mart_as_a_fresh_build_makes_it(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update in place refreshes every mart to what a fresh build makes."""
    for i in range(12):
        person = f"Đồng chí Nguyễn Văn {chr(65 + i)} - Bí thư Đảng ủy phường"
        text = f"Tin {i}\n\n{person} chủ trì; xã có {i + 3} hộ."
        (corpus / f"tin-{i:02d}.txt").write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    before = _marts(build(corpus, tmp_path / "pkg", cache_dir=cache).output)
    (corpus / "moi.txt").write_text(NEW_ARTICLE, encoding="utf-8")  # a new file
    (corpus / "tin-05.txt").unlink()  # and one gone: its rows leave every mart
    updated = build(corpus, tmp_path / "pkg", cache_dir=cache)
    assert mode(updated.output) == "updated"
    fresh = build(corpus, tmp_path / "fresh")
    got, expected = _marts(updated.output), _marts(fresh.output)
    assert got.keys() == expected.keys() == MARTS
    for name in MARTS:
        assert got[name] == expected[name], name
    # The update did change them: the new article's metric and the gone article's person.
    households = {r[0]: r[4] for r in got["unit_counts"]}["hộ"]  # the total value of the unit
    assert households == {r[0]: r[4] for r in before["unit_counts"]}["hộ"] - 8 + 1200
    assert "Nguyễn Văn F" not in [r[0] for r in got["people"]]
    assert "Nguyễn Văn G" in [r[0] for r in got["people"]]
