"""`archive-etl validate`: is a package whole and valid? Checked in DuckDB over whole tables.

What frictionless checks (types, constraints, keys) plus what it does not for Parquet: each
file's size and `hash`, the `SHA256SUMS` manifest, and `unique` constraints. One aggregate query
per table counts every violation in one scan; only a failing check is queried again for its
first rows.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from dataclasses import field as default
from pathlib import Path
from typing import Any

import duckdb

from archive_etl.archive import keys
from archive_etl.archive.keys import KeyProblem, first_rows
from archive_etl.database.sqltext import identifier as _q
from archive_etl.database.sqltext import literal as _lit
from archive_etl.package.descriptor import (
    DESCRIPTOR,
    MANIFEST,
    PROFILE,
    SEMVER,
    SIZE,
    file_fixity,
    read_manifest,
)

# Table Schema types and the DuckDB types a Parquet column of that type may have.
DUCKDB_TYPES = {
    "string": {"VARCHAR"},
    "integer": {"BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT"},
    "number": {"DOUBLE", "FLOAT"},
    "boolean": {"BOOLEAN"},
    "datetime": {"TIMESTAMP WITH TIME ZONE", "TIMESTAMP"},
    "date": {"DATE"},
    # Table Schema v2 `list`: items in one string, joined by the field's `delimiter`.
    "list": {"VARCHAR"},
}
NAME = r"^[a-z0-9._-]+$"
RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"


@dataclass
class Problem:
    """One kind of error in one place, with how often it occurs and where first."""

    resource: str | None
    type: str
    message: str
    count: int = 1
    field: str | None = None
    rows: list[dict[str, Any]] = default(default_factory=list)


@dataclass
class Report:
    """The outcome of validating a package."""

    package: str
    problems: list[Problem] = default(default_factory=list)
    rows: dict[str, int] = default(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "valid": self.valid,
            "rows": self.rows,
            "errors": [asdict(p) for p in self.problems],
        }


def check_descriptor(d: object) -> Iterator[Problem]:
    """The descriptor against the Data Package v2 profile (and what this package promises)."""

    def problem(message: str) -> Problem:
        return Problem(None, "descriptor-error", message)

    if not isinstance(d, dict):
        yield problem("the descriptor is not a JSON object")
        return
    if d.get("$schema") != PROFILE:
        yield problem(f"'$schema' should be {PROFILE!r}")
    for key in ("name", "id", "title", "version", "created"):
        if not isinstance(d.get(key), str) or not d[key]:
            yield problem(f"'{key}' is missing or not a string")
    if isinstance(d.get("name"), str) and not re.match(NAME, d["name"]):
        yield problem("'name' must be lowercase letters, digits, '.', '_' or '-'")
    if isinstance(d.get("version"), str) and not re.match(SEMVER, d["version"]):
        yield problem(f"'version' {d['version']!r} is not a semantic version")
    if isinstance(d.get("created"), str) and not re.match(RFC3339, d["created"]):
        yield problem(f"'created' {d['created']!r} is not an RFC 3339 date-time")
    for key in ("licenses", "sources", "contributors", "keywords"):
        if key in d and not isinstance(d[key], list):
            yield problem(f"'{key}' must be an array")
    for lic in d.get("licenses", []) if isinstance(d.get("licenses"), list) else []:
        if not isinstance(lic, dict) or not (lic.get("name") or lic.get("path")):
            yield problem("each license needs a 'name' or a 'path'")
    resources = d.get("resources")
    if not isinstance(resources, list) or not resources:
        yield problem("'resources' must be a non-empty array")
        return
    names = [r.get("name") for r in resources if isinstance(r, dict)]
    if len(names) != len(set(names)):
        yield problem("resource names must be unique")
    for r in resources:
        yield from _check_resource_descriptor(r, set(names))


def _check_resource_descriptor(r: object, names: set[str]) -> Iterator[Problem]:
    if not isinstance(r, dict):
        yield Problem(None, "descriptor-error", "a resource is not an object")
        return
    name = r.get("name", "?")

    def problem(message: str) -> Problem:
        return Problem(name, "descriptor-error", message)

    if not isinstance(r.get("name"), str) or not re.match(NAME, r["name"]):
        yield problem("resource 'name' is missing or not lowercase letters, digits, '.', '_' or '-'")
    path = r.get("path")
    if not isinstance(path, str) or path.startswith("/") or ".." in Path(path).parts:
        yield problem("'path' must be a relative path inside the package")
    if not isinstance(r.get(SIZE), int) or isinstance(r.get(SIZE), bool):
        yield problem(f"'{SIZE}' (the file's size in bytes) is missing")
    if not isinstance(r.get("hash"), str) or not re.match(r"^sha256:[0-9a-f]{64}$", r["hash"]):
        yield problem("'hash' must be 'sha256:' and 64 hex digits")
    schema = r.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        yield problem("'schema' with 'fields' is missing")
        return
    fields = {f.get("name") for f in schema["fields"] if isinstance(f, dict)}
    for f in schema["fields"]:
        if not isinstance(f, dict) or not isinstance(f.get("name"), str) or f.get("type") not in DUCKDB_TYPES:
            yield problem(
                f"field {f.get('name') if isinstance(f, dict) else f!r} has no name or no supported 'type'"
            )
            continue
        c = f.get("constraints", {})
        if not isinstance(c, dict):
            yield problem(f"field {f['name']!r}: 'constraints' must be an object")
            continue
        if "enum" in c and not (isinstance(c["enum"], list) and c["enum"]):
            yield problem(f"field {f['name']!r}: 'enum' must be a non-empty array")
        if "pattern" in c and not isinstance(c["pattern"], str):
            yield problem(f"field {f['name']!r}: 'pattern' must be a string")
        for bound in ("minimum", "maximum"):
            if bound in c and not isinstance(c[bound], int | float):
                yield problem(f"field {f['name']!r}: '{bound}' must be a number")
        for flag in ("required", "unique"):
            if flag in c and not isinstance(c[flag], bool):
                yield problem(f"field {f['name']!r}: '{flag}' must be true or false")
    for key in schema.get("primaryKey", []):
        if key not in fields:
            yield problem(f"primaryKey field {key!r} is not a field")
    for fk in schema.get("foreignKeys", []):
        if any(k not in fields for k in fk.get("fields", [])):
            yield problem(f"foreign key fields {fk.get('fields')} are not all fields")
        if fk.get("reference", {}).get("resource") not in names | {""}:
            yield problem(
                f"foreign key refers to unknown resource {fk.get('reference', {}).get('resource')!r}"
            )


def _constraint_checks(f: dict[str, Any]) -> list[tuple[str, str]]:
    """(constraint, SQL condition true for a violating row) for one field."""
    col, c = _q(f["name"]), f.get("constraints", {})
    checks = []
    if c.get("required"):
        checks.append(("required", f"{col} IS NULL"))
    if "enum" in c:
        values = ", ".join(_lit(v) for v in c["enum"])
        checks.append(("enum", f"{col} NOT IN ({values})"))
    if "minimum" in c:
        checks.append(("minimum", f"{col} < {_lit(c['minimum'])}"))
    if "maximum" in c:
        checks.append(("maximum", f"{col} > {_lit(c['maximum'])}"))
    if "pattern" in c:
        checks.append(("pattern", f"NOT regexp_full_match({col}, {_lit(c['pattern'])})"))
    return checks


class _Validator:
    def __init__(self, folder: Path, descriptor: dict[str, Any], spill: Path) -> None:
        self.folder = folder
        self.descriptor = descriptor
        self.con = keys.connect(spill)
        self.report = Report(str(folder))
        self.readable: dict[str, str] = {}  # resource name -> view name
        self.digests: dict[str, str] = {}  # resource path -> "sha256:<hex>" of the file as it is

    def add(self, *problems: Problem) -> None:
        self.report.problems.extend(problems)

    def add_keys(self, name: str, problems: list[KeyProblem]) -> None:
        self.add(*(Problem(name, p.type, p.message, p.count, rows=p.rows) for p in problems))

    def check_file(self, r: dict[str, Any]) -> None:
        name, path = r["name"], self.folder / r["path"]
        if not path.is_file():
            self.add(Problem(name, "missing-file", f"{r['path']} is not in the package"))
            return
        facts = file_fixity(path)
        size, digest = facts.bytes, facts.hash
        self.digests[r["path"]] = digest
        if size != r.get(SIZE):
            self.add(
                Problem(
                    name, "byte-count", f"{r['path']} has {size} bytes; the descriptor says {r.get(SIZE)}"
                )
            )
        if digest != r.get("hash"):
            self.add(
                Problem(
                    name, "hash-count", f"{r['path']} has hash {digest}; the descriptor says {r.get('hash')}"
                )
            )
        try:
            view = keys.table_view(self.con, name, path)
            self.report.rows[name] = self.con.execute(f"SELECT count(*) FROM {view}").fetchall()[0][0]
        except duckdb.Error as e:
            self.add(
                Problem(
                    name, "source-error", f"{r['path']} cannot be read as Parquet: {str(e).splitlines()[0]}"
                )
            )
            return
        self.readable[name] = view

    def check_manifest(self, resources: list[dict[str, Any]]) -> None:
        """`SHA256SUMS` lists every table file, with the SHA-256 the file has."""
        try:
            text = (self.folder / MANIFEST).read_text(encoding="utf-8")
        except FileNotFoundError:
            self.add(Problem(None, "missing-file", f"{MANIFEST} is not in the package"))
            return
        except (OSError, UnicodeDecodeError) as e:
            self.add(Problem(None, "manifest-error", f"{MANIFEST} cannot be read: {e}"))
            return
        entries, bad = read_manifest(text)
        if bad:
            self.add(
                Problem(
                    None, "manifest-error", f"{MANIFEST} has lines that are not '<sha256>  <file>'", len(bad)
                )
            )
        paths = {r["path"]: r["name"] for r in resources}
        for path in sorted(paths.keys() - entries.keys()):
            self.add(Problem(paths[path], "manifest-error", f"{MANIFEST} does not list {path}"))
        for path in sorted(entries.keys() - paths.keys()):
            self.add(Problem(None, "manifest-error", f"{MANIFEST} lists {path}, which is not a resource"))
        for path, digest in entries.items():
            actual = self.digests.get(path)
            if actual is not None and f"sha256:{digest}" != actual:
                self.add(
                    Problem(
                        paths[path],
                        "hash-count",
                        f"{path} has hash {actual}; {MANIFEST} says sha256:{digest}",
                    )
                )

    def check_table(self, r: dict[str, Any]) -> None:
        name, view, schema = r["name"], self.readable[r["name"]], r["schema"]
        actual = {
            row[0]: row[1]
            for row in self.con.execute(f"DESCRIBE {view}").fetchall()
            if row[0] != "row_number"
        }
        fields = [f for f in schema["fields"] if isinstance(f, dict)]
        expected = [f["name"] for f in fields]
        missing = [c for c in expected if c not in actual]
        extra = [c for c in actual if c not in expected]
        if missing:
            self.add(
                Problem(
                    name,
                    "missing-label",
                    f"columns missing from the file: {', '.join(missing)}",
                    len(missing),
                )
            )
        if extra:
            self.add(
                Problem(name, "extra-label", f"columns not in the schema: {', '.join(extra)}", len(extra))
            )
        checks: list[tuple[str, str, str]] = []  # (field, constraint, condition)
        for f in fields:
            if f["name"] not in actual:
                continue
            if actual[f["name"]] not in DUCKDB_TYPES.get(f.get("type"), set()):
                self.add(
                    Problem(
                        name,
                        "type-error",
                        f"column {f['name']!r} is {actual[f['name']]}; the schema says {f.get('type')}",
                        field=f["name"],
                    )
                )
                continue
            checks += [(f["name"], constraint, cond) for constraint, cond in _constraint_checks(f)]
        uniques = [
            f["name"] for f in fields if f.get("constraints", {}).get("unique") and f["name"] in actual
        ]
        primary = [k for k in schema.get("primaryKey", []) if k in actual]
        aggregates = [f"count(*) FILTER (WHERE {cond})" for _, _, cond in checks]
        aggregates += [f"count({_q(u)}) - count(DISTINCT {_q(u)})" for u in uniques]
        if primary:
            self.add_keys(name, keys.primary_key_problems(self.con, view, primary))
        if not aggregates:
            return
        counts = self.con.execute(f"SELECT {', '.join(aggregates)} FROM {view}").fetchall()[0]
        for (column, constraint, cond), n in zip(checks, counts, strict=False):
            if n:
                shown = [*primary, column] if column not in primary else primary
                rows = first_rows(self.con, view, cond, shown)
                self.add(
                    Problem(
                        name,
                        "constraint-error",
                        f"{n} value(s) of {column!r} break '{constraint}'",
                        n,
                        column,
                        rows,
                    )
                )
        for column, n in zip(uniques, counts[len(checks) :], strict=False):
            if n:
                cond = f"{_q(column)} IN (SELECT {_q(column)} FROM {view} GROUP BY 1 HAVING count(*) > 1)"
                rows = first_rows(self.con, view, cond, [column])
                self.add(
                    Problem(
                        name,
                        "unique-error",
                        f"{n} duplicate value(s) in unique column {column!r}",
                        n,
                        column,
                        rows,
                    )
                )

    def check_foreign_keys(self, r: dict[str, Any]) -> None:
        name, view = r["name"], self.readable[r["name"]]
        for fk in r["schema"].get("foreignKeys", []):
            ref = fk["reference"]
            target = self.readable.get(ref["resource"] or name)
            if target is None:
                continue  # the referenced table's own problem is already reported
            try:
                found = keys.foreign_key_problems(
                    self.con, view, fk["fields"], target, ref["fields"], ref["resource"] or name
                )
            except duckdb.Error as e:
                message = f"foreign key {fk['fields']} cannot be checked: {str(e).splitlines()[0]}"
                found = [keys.KeyProblem("foreign-key", message, 1, [])]
            self.add_keys(name, found)

    def guarded(self, check: Callable[[dict[str, Any]], None], r: dict[str, Any]) -> None:
        """Run a check; a file DuckDB cannot decode (a flipped byte in a page) is a source error."""
        try:
            check(r)
        except duckdb.Error as e:
            self.readable.pop(r["name"], None)
            self.add(
                Problem(r["name"], "source-error", f"{r['path']} cannot be read: {str(e).splitlines()[0]}")
            )

    def run(self) -> Report:
        resources = [r for r in self.descriptor.get("resources", []) if isinstance(r, dict) and "path" in r]
        for r in resources:
            self.check_file(r)
        self.check_manifest(resources)
        for check in (self.check_table, self.check_foreign_keys):
            for r in resources:
                if r["name"] in self.readable and isinstance(r.get("schema"), dict):
                    self.guarded(check, r)
        return self.report


def validate_package(folder: Path) -> Report:
    """Validate the package in `folder` (its `datapackage.json` and every file it lists)."""
    folder = Path(folder)
    try:
        descriptor = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Report(str(folder), [Problem(None, "missing-file", f"no {DESCRIPTOR} in {folder}")])
    except (OSError, ValueError) as e:
        return Report(
            str(folder), [Problem(None, "descriptor-error", f"{DESCRIPTOR} is not valid JSON: {e}")]
        )
    problems = list(check_descriptor(descriptor))
    if any(p.message.startswith("'resources'") for p in problems):
        return Report(str(folder), problems)
    with tempfile.TemporaryDirectory(prefix="archive-etl-validate-") as spill:
        validator = _Validator(folder, descriptor, Path(spill))
        try:
            report = validator.run()
        finally:
            validator.con.close()
    report.problems[:0] = problems
    return report
