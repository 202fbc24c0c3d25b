"""The word lists: each declared once in its table, each word once, each name bound once, and
no list restating another under a second name.

A name bound twice in one module silently replaces the first list (issue 27: the metric
extractor's lower-case sentence openers were replaced by the people extractor's capitalised ones,
so the metric guard never fired). The lists are now rows of parse/rules/*.tsv; the loader refuses
a table that declares a list twice or lists a word twice."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from archive_etl import schema
from archive_etl.parse import lexicon
from archive_etl.parse.lexicon import both_tone_styles, load
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


def test_every_declared_list_is_bound_under_its_own_name() -> None:
    """A list in lists.tsv that no module name reads is a rule that does nothing."""
    for name, declared in lexicon.LISTS.items():
        assert vars(lexicon)[name] == (
            {w: float(v) for w, v in declared.entries.items()}
            if declared.kind == "scale"
            else declared.entries
            if declared.kind == "map"
            else frozenset(declared.entries)
        ), name


@pytest.mark.parametrize(
    ("word", "other"),
    [("hòa", "hoà"), ("thủy", "thuỷ"), ("Ủy ban", "Uỷ ban"), ("khỏe", "khoẻ"), ("hòa bình", "hoà bình")],
)
def test_both_tone_styles_of_an_open_syllable(word: str, other: str) -> None:
    assert both_tone_styles({word}) == {word, other}
    assert both_tone_styles({other}) == {word, other}


@pytest.mark.parametrize("word", ["khoảng", "hoàn thành", "quý", "Huỳnh", "hoạch"])
def test_one_style_where_the_tone_has_one_place(word: str) -> None:
    """Before a final consonant, and after the "qu" consonant, both styles write one spelling:
    the old doubling made "khỏang", "qúy" and "Hùynh" up."""
    assert both_tone_styles({word}) == {word}


def _tables(folder: Path, lists: str, **files: str) -> Path:
    header = "list\tfile\tkind\ttones\textends\tabout\texample\n"
    (folder / "lists.tsv").write_text(header + lists, encoding="utf-8")
    for name, rows in files.items():
        (folder / f"{name}.tsv").write_text("list\tword\tvalue\n" + rows, encoding="utf-8")
    return folder


def test_a_table_loads_with_tones_and_extends(tmp_path: Path) -> None:
    lists = "A\tm\twords\tyes\t\tabout\tex\nB\tm\twords\tno\tA\tabout\tex\n"
    loaded = load(_tables(tmp_path, lists, m="A\thòa\t\nB\tkhóa\t\n"))
    assert set(loaded["A"].entries) == {"hòa", "hoà"}
    assert set(loaded["B"].entries) == {"hòa", "hoà", "khóa"}


@pytest.mark.parametrize(
    ("lists", "rows", "message"),
    [
        ("A\tm\twords\tyes\t\ta\te\nA\tm\twords\tyes\t\ta\te\n", "A\tx\t\n", "declares A twice"),
        ("A\tm\twords\tyes\t\ta\te\n", "A\tx\t\nA\tx\t\n", "twice in A"),
        ("A\tm\twords\tyes\t\ta\te\n", "A\thòa\t\nA\thoà\t\n", "both tone styles"),
        ("A\tm\twords\tyes\t\ta\te\n", "A\tx\t\nB\ty\t\n", "undeclared"),
        ("A\tm\twords\tyes\tC\ta\te\n", "A\tx\t\n", "extends C"),
        ("A\tm\tlist\tyes\t\ta\te\n", "A\tx\t\n", "kind"),
        ("A\tm\twords\tyes\t\ta\te\n", "A\tx\n", "cells"),
    ],
)
def test_a_table_that_restates_or_misplaces_a_list_is_refused(
    tmp_path: Path, lists: str, rows: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        load(_tables(tmp_path, lists, m=rows))


def test_the_word_maps_give_the_schemas_values() -> None:
    assert set(lexicon.QUALIFIER_WORDS.values()) | set(lexicon.QUALIFIER_WORDS_AFTER.values()) <= set(
        schema.QUALIFIERS
    )
    assert set(lexicon.CHANGE_WORDS.values()) == set(schema.CHANGES)


def test_one_document_noun_table_names_every_type() -> None:
    """DOC_TYPES, the nouns read in prose, the code letters and the legal titles are one table."""
    assert set(lexicon.DOC_NOUNS.values()) == set(schema.DOC_TYPES)
    assert lexicon.DOC_NOUNS["qui định"] == "Quy định" and lexicon.DOC_NOUNS["nghị quyết"] == "Nghị quyết"
    assert set(lexicon.TYPE_OF_CODE.values()) <= set(schema.DOC_TYPES)
    assert lexicon.TYPE_OF_CODE["QH"] == "Luật"
    assert {"NGHỊ ĐỊNH", "ĐIỀU LỆ"} <= set(lexicon.LEGAL_TITLES)
    assert "phụ lục" in lexicon.DOCUMENT_NOUNS and "Phụ lục" not in schema.DOC_TYPES


def test_each_shape_matches_its_example() -> None:
    shapes = lexicon.SHAPES
    examples = pl.DataFrame({shape.name: [shape.example] for shape in shapes})
    held = examples.select(pl.col(shape.name).str.contains(shape.pattern) for shape in shapes).row(0)
    assert dict(zip([s.name for s in shapes], held, strict=True)) == {s.name: True for s in shapes}
    assert not pl.select(
        pl.lit("2021").str.contains(next(s for s in shapes if s.name == "t_1_2").pattern)
    ).item()


def test_a_shape_named_twice_is_refused(tmp_path: Path) -> None:
    table = tmp_path / "shapes.tsv"
    row = "t_4\ttoken\t^[0-9]{4}$\t2021\tfour digits\n"
    table.write_text("name\tof\tpattern\texample\tabout\n" + row + row, encoding="utf-8")
    with pytest.raises(ValueError, match="named twice"):
        lexicon.load_shapes(table)
