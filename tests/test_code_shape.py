"""The shape DEVELOPERS.md asks of the parse stage: no function past 60 lines (issue 27)."""

from __future__ import annotations

import ast

from conftest import ROOT

PARSE = ROOT / "src" / "archive_etl" / "parse"
LONGEST = 60


def _long_functions(source: str) -> list[tuple[str, int]]:
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > LONGEST
    ]


def test_no_function_of_the_parse_stage_runs_past_60_lines() -> None:
    found = {path.name: _long_functions(path.read_text(encoding="utf-8")) for path in PARSE.glob("*.py")}
    assert {name: long for name, long in found.items() if long} == {}


def test_the_measure_sees_a_long_function() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(LONGEST))
    assert _long_functions(f"def f():\n{body}\n") == [("f", LONGEST + 1)]
