"""The word lists: each name bound once, and no list restating another under a second name.

A name bound twice in one module silently replaces the first list (issue 27: the metric
extractor's lower-case sentence openers were replaced by the people extractor's capitalised ones,
so the metric guard never fired)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from archive_etl.parse import lexicon
from conftest import ROOT

PARSE = ROOT / "src" / "archive_etl" / "parse"


def _module_bindings(path: Path) -> list[str]:
    """The names a module binds at its top level by assignment."""
    names: list[str] = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


@pytest.mark.parametrize("path", sorted(PARSE.glob("*.py")), ids=lambda p: p.name)
def test_no_module_level_name_is_bound_twice(path: Path) -> None:
    twice = [name for name, n in Counter(_module_bindings(path)).items() if n > 1 and name != "__all__"]
    assert twice == [], f"{path.name} binds {twice} more than once"


def test_lexicon_names_are_not_rebound_by_the_extractors() -> None:
    listed = set(_module_bindings(PARSE / "lexicon.py"))
    for path in sorted(PARSE.glob("*.py")):
        if path.name != "lexicon.py":
            assert listed.isdisjoint(_module_bindings(path)), path.name


def test_no_word_list_restates_another() -> None:
    lists = {
        name: value
        for name, value in vars(lexicon).items()
        if name.isupper() and isinstance(value, frozenset) and len(value) > 1
    }
    seen: dict[frozenset[object], str] = {}
    for name, value in sorted(lists.items()):
        assert value not in seen, f"{name} is the same list as {seen.get(value)}"
        seen[value] = name


def test_the_checker_sees_a_rebinding(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('OPENERS = frozenset({"nguồn"})\nOPENERS = frozenset({"Tại"})\n', encoding="utf-8")
    assert _module_bindings(module) == ["OPENERS", "OPENERS"]
