"""Scoring the person and document extractors against hand labels (`make eval`).

A gold folder holds `<name>.json` per labelled file — `file`, `source` (seeds or realdev),
`lines` (the labelled range), `persons` (`line`, `name`, `roles`, `honorific`) and `documents`
(`line`, `raw`, `doc_type`, `number`, `year`, `issuer_code`, `issued_on`) — and `text/<file>`.
Labels were made by reading the text, without the extractor (see the folder's NOTES.md).

A person matches a gold person of the same file and line with the same name; a document, one of
the same file and line with the same type, number and issuer code (a law cited by its name: the
same type and raw text). Names and codes are exact. The other fields are scored as accuracy over
the matches: a person's honorific and roles, a document's raw text, year and date of issue.

    python -m archive_etl.devtools.who_eval tests/fixtures/whogold [--show]
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from archive_etl.build.tables import Tables, build_tables
from archive_etl.read.sources import read_sources, scan
from archive_etl.schema.model import LIST_DELIMITER

PERSON_FIELDS = ("honorific", "roles")
DOCUMENT_FIELDS = ("raw", "year", "issued_on")


def _nfc(value: object) -> object:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


@dataclass
class Tally:
    """Matches, misses and extras of one table over a set of files, with field agreement."""

    true_positives: int = 0
    extra: list[tuple] = field(default_factory=list)
    missed: list[tuple] = field(default_factory=list)
    agree: Counter = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return self.true_positives / max(1, self.true_positives + len(self.extra))

    @property
    def recall(self) -> float:
        return self.true_positives / max(1, self.true_positives + len(self.missed))

    def accuracy(self, name: str) -> float:
        return self.agree[name] / max(1, self.true_positives)


def _person_key(row: dict) -> tuple:
    return (row["file"], row["line"], _nfc(row["name"]))


def _document_key(row: dict) -> tuple:
    number = row.get("number")
    return (
        row["file"],
        row["line"],
        row["doc_type"],
        number,
        row.get("issuer_code") if number else _nfc(row["raw"]),
    )


def _fields(row: dict, names: tuple[str, ...]) -> dict[str, object]:
    out = {}
    for name in names:
        value = row.get(name)
        if name == "roles":
            value = [_nfc(r) for r in value] if value else []
        elif name == "issued_on" and value is not None:
            value = str(value)
        out[name] = _nfc(value)
    return out


def tally(predicted: list[dict], gold: list[dict], key, names: tuple[str, ...]) -> Tally:  # noqa: ANN001
    """Match predictions to gold rows by `key` (each gold row once, in order on its line)."""
    out = Tally()
    by_key: dict[tuple, list[dict]] = defaultdict(list)
    for row in gold:
        by_key[key(row)].append(row)
    for row in predicted:
        candidates = by_key.get(key(row))
        if candidates:
            match = candidates.pop(0)
            out.true_positives += 1
            mine, theirs = _fields(row, names), _fields(match, names)
            for name in names:
                out.agree[name] += mine[name] == theirs[name]
        else:
            out.extra.append(key(row))
    out.missed = [k for rows in by_key.values() for k in (key(r) for r in rows)]
    return out


def predictions(tables: Tables) -> tuple[list[dict], list[dict]]:
    """The extracted people and documents with the file and line they were found on."""
    where = (
        tables.paragraph.select("article_id", "paragraph_no", "line_no")
        .join(tables.article.select("article_id", "source_file"), on="article_id")
        .rename({"source_file": "file", "line_no": "line"})
    )
    people = tables.person.join(where, on=["article_id", "paragraph_no"]).sort("file", "line", "char_start")
    people = people.with_columns(roles=pl.col("roles").str.split(LIST_DELIMITER))
    documents = tables.document_ref.join(where, on=["article_id", "paragraph_no"]).sort(
        "file", "line", "char_start"
    )
    return people.to_dicts(), documents.to_dicts()


@dataclass
class WhoScore:
    """Person and document scores per source (seeds, realdev) and over all files."""

    persons: dict[str, Tally]
    documents: dict[str, Tally]


def score_who(gold_dir: Path) -> WhoScore:
    labels = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]
    tables = build_tables(read_sources(scan(gold_dir / "text")))
    people, documents = predictions(tables)
    source_of = {label["file"]: label["source"] for label in labels}
    lines = {label["file"]: label["lines"] for label in labels}

    def labelled(row: dict) -> bool:
        first, last = lines.get(row["file"], (0, -1))
        return first <= row["line"] <= last

    persons: dict[str, Tally] = {}
    docs: dict[str, Tally] = {}
    for source in ("seeds", "realdev", "all"):

        def mine(row: dict, source: str = source) -> bool:
            return row["file"] in source_of and source in ("all", source_of[row["file"]]) and labelled(row)

        gold_people = [
            {**p, "file": lab["file"]}
            for lab in labels
            for p in lab["persons"]
            if mine({**p, "file": lab["file"]})
        ]
        gold_docs = [
            {**d, "file": lab["file"]}
            for lab in labels
            for d in lab["documents"]
            if mine({**d, "file": lab["file"]})
        ]
        persons[source] = tally([p for p in people if mine(p)], gold_people, _person_key, PERSON_FIELDS)
        docs[source] = tally([d for d in documents if mine(d)], gold_docs, _document_key, DOCUMENT_FIELDS)
    return WhoScore(persons, docs)


def report(s: WhoScore, show: bool = False) -> str:
    lines = []
    for table, tallies, names in (
        ("person", s.persons, PERSON_FIELDS),
        ("document_ref", s.documents, DOCUMENT_FIELDS),
    ):
        for source, t in tallies.items():
            if not (t.true_positives or t.extra or t.missed):
                continue  # no gold of this source in the folder
            accuracy = ", ".join(f"{n} {t.accuracy(n):.3f}" for n in names)
            lines.append(
                f"{table:12} {source:8} P {t.precision:.3f} R {t.recall:.3f} "
                f"(tp {t.true_positives}, extra {len(t.extra)}, missed {len(t.missed)}); {accuracy}"
            )
        if show:
            t = tallies["all"]
            lines += [f"  extra  {k}" for k in t.extra] + [f"  missed {k}" for k in t.missed]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("gold", type=Path, nargs="+", help="gold folders of person and document labels")
    parser.add_argument("--show", action="store_true", help="list every extra and missed row")
    args = parser.parse_args(argv)
    for gold in args.gold:
        print(f"== people and documents cited: {gold}")
        print(report(score_who(gold), show=args.show))


if __name__ == "__main__":
    main()
