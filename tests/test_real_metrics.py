"""The metric table on real news: our own hand-labelled set, and no date, time, code or year
taken for a figure on any real page kept in the repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from archive_etl.build.tables import Tables, build_tables
from archive_etl.devtools.evaluate import GoldScore, score_gold, unit_matches
from archive_etl.read.sources import read_sources, scan
from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
REALGOLD = FIXTURES / "realgold"
REALTEXT = FIXTURES / "realtext"
# Our two hand-labelled sets of real pages and how many files each holds.
OWN_GOLDS = {"realgold": 46, "realholdout": 32}
# The bar the product is held to on real text (issue 13): precision, recall, unit and kind.
BAR = 0.95


@pytest.fixture(scope="module", params=sorted(OWN_GOLDS))
def own_gold(request: pytest.FixtureRequest) -> GoldScore:
    return score_gold(FIXTURES / request.param)


@pytest.mark.parametrize("gold", sorted(OWN_GOLDS))
def test_own_gold_is_labelled_token_by_token(gold: str) -> None:
    folder = FIXTURES / gold
    files = (folder / "files.txt").read_text(encoding="utf-8").split()
    assert len(files) == OWN_GOLDS[gold]
    for name in files:
        tokens = (folder / "work" / f"{name}.tsv").read_text(encoding="utf-8").splitlines()[1:]
        labels = (folder / "labels" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(tokens) == len(labels), name


def test_precision_and_recall_on_our_own_real_gold(own_gold: GoldScore) -> None:
    assert own_gold.precision >= BAR, own_gold.false
    assert own_gold.recall >= BAR, own_gold.missed


@pytest.mark.parametrize("field", ["unit", "kind"])
def test_unit_and_kind_on_our_own_real_gold(own_gold: GoldScore, field: str) -> None:
    assert own_gold.accuracy(field) >= BAR, [e for e in own_gold.field_errors if f" {field}:" in e]


@pytest.mark.parametrize(
    ("predicted", "gold", "scale", "same"),
    [
        ("đồng", "tỷ đồng", "tỷ", True),
        ("cây", "cây rừng", None, True),
        ("%/năm", "%", None, True),
        (None, None, "triệu", True),
        ("người", "tỷ đồng", "tỷ", False),
        (None, "km", None, False),
    ],
)
def test_units_are_compared_by_head_noun_and_scale(
    predicted: str | None, gold: str | None, scale: str | None, same: bool
) -> None:
    assert unit_matches(predicted, gold, scale) is same


@pytest.fixture(scope="module")
def real_pages(tmp_path_factory: pytest.TempPathFactory) -> Tables:
    folder = tmp_path_factory.mktemp("real")
    texts = [*REALTEXT.glob("*.txt"), *(p for g in OWN_GOLDS for p in (FIXTURES / g / "text").glob("*.txt"))]
    for source in texts:
        shutil.copy(source, folder / source.name)
    return build_tables(read_sources(scan(Path(folder))))


def test_no_metric_on_real_pages_is_a_date_time_code_or_year(real_pages: Tables) -> None:
    metrics = real_pages.metric.join(
        real_pages.paragraph.select("article_id", "paragraph_no", "text"), on=["article_id", "paragraph_no"]
    )
    raw, after = pl.col("raw"), pl.col("text").str.slice(pl.col("char_end"), 3)
    suspicious = metrics.filter(
        raw.str.contains(r"^[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-][0-9]{2,4}$")  # 14/12/2021
        | raw.str.contains(r"[0-9]:[0-9]")  # 16:30
        | raw.str.contains(r"^(?:19|20)[0-9]{2}$")  # 2017
        | raw.str.contains(r"^[0-9]+/(?:19|20)[0-9]{2}$")  # 59/2020 (a code or a month)
        | after.str.contains(r"^[-/]\p{Lu}")  # 15-NQ, 14/TT
    )
    assert suspicious.select("raw", pl.col("text").str.slice(0, 80)).rows() == []
    assert real_pages.metric.height > 800  # the check looked at real figures
