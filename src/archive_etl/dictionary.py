"""The data dictionary (`README.md` in the package), generated from the descriptor.

It describes exactly what the descriptor says, so the package explains itself without this
repository: every table, every column with its type, constraints and meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


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
        "The descriptor is `datapackage.json` (Frictionless Data Package v2). Each table is one "
        "Parquet file; its `bytes` and `hash` (SHA-256) are recorded in the descriptor.",
        "",
        "| table | file | rows | primary key | description |",
        "| --- | --- | ---: | --- | --- |",
    ]
    for r in descriptor["resources"]:
        pk, rows = ", ".join(r["schema"]["primaryKey"]), row_counts.get(r["name"], 0)
        lines.append(f"| `{r['name']}` | `{r['path']}` | {rows:,} | {pk} | {_cell(r['description'])} |")
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
