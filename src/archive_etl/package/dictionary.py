"""The data dictionary (`README.md` in the package), generated from the descriptor.

It describes exactly what the descriptor says, so the package explains itself without this
repository: every table, every column with its type, constraints and meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from archive_etl.package.descriptor import DESCRIPTOR, MANIFEST, SIZE


def _constraints(field: Mapping[str, Any]) -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if c.get("unique"):
        parts.append("unique")
    if "enum" in c:
        parts.append("one of " + ", ".join(f"`{v}`" for v in c["enum"]))
    if "minimum" in c:
        parts.append(f"≥ {c['minimum']}")
    if "maximum" in c:
        parts.append(f"≤ {c['maximum']}")
    if "pattern" in c:
        parts.append(f"matches `{c['pattern']}`")
    return "; ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fixity(descriptor: Mapping[str, Any]) -> list[str]:
    """Where each file's size and SHA-256 are recorded, and how to check them with common tools."""
    name = f"{descriptor['name']}-{descriptor['version']}"
    return [
        "## Fixity",
        "",
        f"Every table file's SHA-256 is recorded twice: as its resource's `hash` in `{DESCRIPTOR}` "
        f"(`sha256:<hex>`, the Data Package property) and as a line of `{MANIFEST}` (`<hex>  <file>`, "
        f"the format `sha256sum` reads). Its size in bytes is its resource's `{SIZE}`, a property of "
        "this package's own: the standard `bytes` is left out because `frictionless validate` compares "
        "it with the bytes it counts while reading, and it reads Parquet through pandas, counting none. "
        "For the same reason `frictionless validate` does not check the `hash` of a Parquet file (it "
        "passes over it); the tools below do. `archive.duckdb` is rebuilt from the tables by every "
        "build and is not listed (DuckDB does not write byte-reproducible files).",
        "",
        "```sh",
        f"sha256sum -c {MANIFEST}        # in this folder: each table file OK, or FAILED",
        "archive-etl validate .         # sizes, hashes and every row against its schema",
        "```",
        "",
        "Published with `archive-etl publish`, the package is a BagIt bag whose `manifest-sha256.txt` "
        "and `manifest-sha512.txt` cover every file, the database too; check it with any BagIt tool, "
        f"e.g. `bagit.py --validate {name}`, or with `sha256sum -c manifest-sha256.txt` inside the bag.",
    ]


def data_dictionary(descriptor: Mapping[str, Any], row_counts: Mapping[str, int]) -> str:
    """Markdown describing the package, its tables and their columns."""
    lines = [
        f"# {descriptor['title']}",
        "",
        descriptor["description"],
        "",
        f"- name: `{descriptor['name']}`, id: `{descriptor['id']}`",
        f"- version: {descriptor['version']} (a schema change is major, more data minor, a correction patch)",
        f"- created: {descriptor['created']}",
        "- licenses: " + ", ".join(f"[{lic['name']}]({lic['path']})" for lic in descriptor["licenses"]),
        "- sources: " + "; ".join(s["title"] for s in descriptor["sources"]),
        "",
        f"The descriptor is `{DESCRIPTOR}` (Frictionless Data Package v2). Each table is one Parquet "
        "file; see [Fixity](#fixity) for how to check that every file is whole.",
        "",
        "| table | file | rows | primary key | description |",
        "| --- | --- | ---: | --- | --- |",
    ]
    for r in descriptor["resources"]:
        pk, rows = ", ".join(r["schema"]["primaryKey"]), row_counts.get(r["name"], 0)
        lines.append(f"| `{r['name']}` | `{r['path']}` | {rows:,} | {pk} | {_cell(r['description'])} |")
    lines += ["", *_fixity(descriptor)]
    for r in descriptor["resources"]:
        schema = r["schema"]
        lines += ["", f"## {r['name']}", "", r["description"], ""]
        lines.append(f"Primary key: ({', '.join(schema['primaryKey'])}).")
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            fields, target = ", ".join(fk["fields"]), ", ".join(ref["fields"])
            lines.append(f"Foreign key: ({fields}) → `{ref['resource']}` ({target}).")
        lines += ["", "| column | type | constraints | description |", "| --- | --- | --- | --- |"]
        for f in schema["fields"]:
            lines.append(f"| `{f['name']}` | {f['type']} | {_constraints(f)} | {_cell(f['description'])} |")
    return "\n".join(lines) + "\n"
