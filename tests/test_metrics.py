"""Metric extraction: Vietnamese number reading, the non-metric rules, and the seeds' annotation."""

from __future__ import annotations

import re

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive_etl.build.tables import Tables
from archive_etl.devtools.evaluate import predicted_metrics, read_annotation, score
from archive_etl.parse.metrics import extract_metrics, parse_number
from archive_etl.parse.texts import tokens_of
from conftest import ROOT, one_paragraph
from fixtures.metric_sentences import CASES, Case
from fixtures.real_sentences import CASES as REAL_CASES
from fixtures.real_sentences import Real

ANNOTATION = ROOT / "tests" / "fixtures" / "seed_metrics.csv"


def metrics_of(text: str, kind: str = "body") -> pl.DataFrame:
    return extract_metrics(tokens_of(one_paragraph(text, kind)))


@pytest.mark.parametrize("case", CASES, ids=[f"{i:03d}-{c.rule}" for i, c in enumerate(CASES)])
def test_sentence(case: Case) -> None:
    got = metrics_of(case.text)
    numbers = got["raw"].str.replace(r"\s*%$", "").to_list()
    assert numbers == [m.raw for m in case.metrics], case.text
    for row, m in zip(got.iter_rows(named=True), case.metrics, strict=True):
        assert row["value"] == pytest.approx(m.value), m.raw
        assert row["denominator"] == (None if m.denominator is None else pytest.approx(m.denominator)), m.raw
        assert (row["kind"], row["unit"], row["qualifier"], row["change"]) == (
            m.kind,
            m.unit,
            m.qualifier,
            m.change,
        ), m.raw


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.773", 1773),
        ("101,53", 101.53),
        ("4.417", 4417),
        ("98.2", 98.2),
        ("05", 5),
        ("1.234.567", 1234567),
        ("1.234,5", 1234.5),
        ("1,234,567", 1234567),
        ("2,5", 2.5),
        ("75.000", 75000),
    ],
)
def test_numbers_are_read_the_vietnamese_way(text: str, value: float) -> None:
    assert pl.select(parse_number(pl.lit(text))).item() == pytest.approx(value)


def test_span_and_raw_locate_the_metric_in_the_paragraph() -> None:
    text = "Thu ngân sách đạt 101,53 %; hoàn thành 16/16 chỉ tiêu."
    got = metrics_of(text)
    assert got["raw"].to_list() == ["101,53 %", "16/16"]
    for row in got.iter_rows(named=True):
        assert text[row["char_start"] : row["char_end"]] == row["raw"]


@pytest.mark.parametrize("text", ["1:–0", "Kết quả 12:–3", "thắng 2-1 (7-6, 3–6)"])
def test_each_number_of_a_score_is_located_past_its_separator(text: str) -> None:
    got = metrics_of(text)
    assert got.height >= 2
    for row in got.iter_rows(named=True):
        assert text[row["char_start"] : row["char_end"]] == row["raw"]


def test_datelines_and_boilerplate_state_no_metrics() -> None:
    assert metrics_of("Ngày đăng 14/12/2021 | 16:30 | Lượt xem: 1580", kind="dateline").height == 0
    assert metrics_of("Có 25 bình luận", kind="boilerplate").height == 0


def test_seed_metrics_match_the_annotation(seed_tables: Tables) -> None:
    s = score(predicted_metrics(seed_tables), read_annotation(ANNOTATION))
    assert s.precision >= 0.95
    assert s.recall >= 0.95
    assert s.field_accuracy["kind"] >= 0.95
    assert s.field_accuracy["unit"] >= 0.9
    assert s.field_accuracy["qualifier"] >= 0.95
    assert s.field_accuracy["change"] >= 0.95


def test_annotation_covers_every_number_of_the_seeds(seed_tables: Tables) -> None:
    """Every number token of the seeds, at its place, has a row in the annotation, and no more."""
    gold = read_annotation(ANNOTATION)
    names = dict(seed_tables.article.select("article_id", "source_file").iter_rows())
    tokens = {
        (names[article_id], paragraph_no, m.start(), m.group())
        for article_id, paragraph_no, text in seed_tables.paragraph.select(
            "article_id", "paragraph_no", "text"
        ).iter_rows()
        for m in re.finditer(r"\d[\d.,/:\-–]*\d|\d", text)
    }
    assert set(gold.select("source_file", "paragraph_no", "char_start", "raw").iter_rows()) == tokens
    assert len(tokens) == 288


def test_article_metric_count_is_filled(seed_tables: Tables) -> None:
    counts = seed_tables.metric.group_by("article_id").len()
    joined = seed_tables.article.join(counts, on="article_id", how="left").with_columns(
        pl.col("len").fill_null(0)
    )
    assert (joined["metric_count"] == joined["len"]).all()
    assert seed_tables.article["metric_count"].sum() == seed_tables.metric.height


def test_metrics_reference_their_paragraph(seed_tables: Tables) -> None:
    keys = ["article_id", "paragraph_no"]
    assert seed_tables.metric.join(seed_tables.paragraph, on=keys, how="anti").height == 0
    joined = seed_tables.metric.join(seed_tables.paragraph.select(*keys, "text"), on=keys)
    spans = joined.select(
        pl.col("text").str.slice("char_start", pl.col("char_end") - pl.col("char_start")) == pl.col("raw")
    )
    assert spans.to_series().all()


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("0123456789.,/:-–% ()hgnămđơnvịtrênlượt\n\tÀa")), max_size=80)
    | st.text(max_size=80)
)
def test_extractor_never_raises_and_spans_hold(text: str) -> None:
    text = " ".join(text.split())
    got = metrics_of(text)
    for row in got.iter_rows(named=True):
        assert text[row["char_start"] : row["char_end"]] == row["raw"]
        assert row["value"] is None or row["value"] >= 0


@pytest.mark.parametrize("case", REAL_CASES, ids=[f"{i:02d}-{c.rule}" for i, c in enumerate(REAL_CASES)])
def test_real_sentence(case: Real) -> None:
    """Every metric of a sentence from a real page, with its value in base units and its range."""
    got = metrics_of(case.text)
    assert got["raw"].to_list() == [m.raw for m in case.metrics], case.text
    for row, m in zip(got.iter_rows(named=True), case.metrics, strict=True):
        assert row["value"] == pytest.approx(m.value), m.raw
        assert row["value_high"] == (None if m.value_high is None else pytest.approx(m.value_high)), m.raw
        assert row["denominator"] == (None if m.denominator is None else pytest.approx(m.denominator)), m.raw
        assert (row["unit"], row["kind"], row["qualifier"], row["change"]) == (
            m.unit,
            m.kind,
            m.qualifier,
            m.change,
        ), m.raw
        # The span is the text as written.
        assert case.text[row["char_start"] : row["char_end"]] == row["raw"]
