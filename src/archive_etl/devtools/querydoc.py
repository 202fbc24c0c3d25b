"""`docs/queries.md`: analysts' questions with their SQL, and each query's result on a package.

`python -m archive_etl.devtools.querydoc docs/queries.md datapackage` re-runs every query and rewrites
the result blocks; the tests run every query and fail when a stored result is out of date.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from archive_etl.database.store import connect
from archive_etl.results import markdown_table

_QUESTION = re.compile(
    r"^## (?P<title>.+?)\n.*?```sql\n(?P<sql>.+?)```\n\n<!-- result -->\n(?P<result>.*?)<!-- /result -->",
    re.S | re.M,
)


@dataclass(frozen=True)
class Question:
    title: str
    sql: str
    result: str  # the stored Markdown table


def questions(text: str) -> list[Question]:
    return [Question(m["title"], m["sql"], m["result"].strip()) for m in _QUESTION.finditer(text)]


def run(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    cursor = con.execute(sql)
    return markdown_table([d[0] for d in cursor.description], cursor.fetchall())


def refresh(text: str, con: duckdb.DuckDBPyConnection) -> str:
    """The document with every result block replaced by the query's current result."""

    def replace(m: re.Match[str]) -> str:
        start, end = m.start("result") - m.start(), m.end("result") - m.start()
        whole = m.group(0)
        return whole[:start] + run(con, m["sql"]) + "\n" + whole[end:]

    return _QUESTION.sub(replace, text)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    doc = Path(args[0] if args else "docs/queries.md")
    package = Path(args[1] if len(args) > 1 else "datapackage")
    with connect(package) as con:
        doc.write_text(refresh(doc.read_text(encoding="utf-8"), con), encoding="utf-8")
    print(f"{doc}: {len(questions(doc.read_text(encoding='utf-8')))} queries run against {package}")


if __name__ == "__main__":
    main()
