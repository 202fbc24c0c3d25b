"""The not-metric rules of parse/rules/not_metric.tsv: each one's example gets its reason, and a
deleted rule fails (the example's number then gets another reason, or none): no rule is dead."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from archive_etl.parse.metrics import number_reasons
from archive_etl.parse.not_metric import NOT_METRIC_RULES, REASONS, Rule, Rules, load_rules
from archive_etl.parse.texts import tokens_of
from conftest import one_paragraph


def _reason(rule: Rule, rules: Rules) -> str | None:
    """The reason `rules` give the number `rule.number` of `rule.example`."""
    found = number_reasons(tokens_of(one_paragraph(rule.example)), rules)
    at = rule.example.index(rule.number)
    hit = found.filter(pl.col("char_start") == at)
    assert hit.height == 1, f"{rule.number!r} is not read as one number in {rule.example!r}: {found.rows()}"
    return hit["reason"][0]


_IDS = [f"{i:02d}-{r.reason}" for i, r in enumerate(NOT_METRIC_RULES)]


@pytest.mark.parametrize("i", range(len(NOT_METRIC_RULES)), ids=_IDS)
def test_each_rule_gives_its_example_its_reason_and_no_other_rule_does(i: int) -> None:
    rule = NOT_METRIC_RULES[i]
    assert _reason(rule, NOT_METRIC_RULES) == rule.reason
    without = NOT_METRIC_RULES[:i] + NOT_METRIC_RULES[i + 1 :]
    assert _reason(rule, without) != rule.reason, "the rule is dead: its example holds without it"


def test_a_metric_has_no_reason() -> None:
    rule = Rule("name", (), (), frozenset(), "", "1.773", "Toàn quận có 1.773 người tham gia.")
    assert _reason(rule, NOT_METRIC_RULES) is None


def test_the_table_names_every_reason() -> None:
    assert {rule.reason for rule in NOT_METRIC_RULES} == set(REASONS)


def _table(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "rules.tsv"
    path.write_text("reason\twhen\tunless\tbefore\thow\tnumber\texample\n" + row + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("dates\tt_4\t\t\t\t1\tx 1", "reason 'dates'"),
        ("date\t\t\tDAY_WORDS\tafter\t1\tx 1", "how 'after'"),
        ("date\t\t\tNO_SUCH_WORDS\tword\t1\tx 1", "no word list NO_SUCH_WORDS"),
        ("date\t\tt_4\t\t\t1\tx 1", "needs a condition"),
    ],
)
def test_a_malformed_rule_is_refused(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_rules(_table(tmp_path, row))
