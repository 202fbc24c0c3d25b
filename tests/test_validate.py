"""`archive-etl validate` fails every kind of damage, and agrees with frictionless where both judge."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from archive_etl.archive.validate import validate_package
from archive_etl.build import BuildResult
from archive_etl.package.descriptor import MANIFEST, SIZE, checksum_manifest, file_fixity
from conftest import SEED_ROWS, run


def frictionless_valid(folder: Path) -> bool:
    """The reference validator as an archivist runs it: no options."""
    return frictionless.validate(str(folder / "datapackage.json")).valid


def load(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text())


def save(folder: Path, descriptor: dict) -> None:
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2))


def reseal(folder: Path, name: str) -> None:
    """Record a rewritten file's true size and hash, so that only the damage inside shows."""
    d = load(folder)
    for r in d["resources"]:
        if r["name"] == name:
            facts = file_fixity(folder / r["path"])
            r[SIZE], r["hash"] = facts.bytes, facts.hash
    save(folder, d)
    manifest = checksum_manifest((r["path"], file_fixity(folder / r["path"])) for r in d["resources"])
    (folder / MANIFEST).write_text(manifest, encoding="utf-8")


def rewrite(folder: Path, name: str, change: Callable[[pa.Table], pa.Table]) -> None:
    path = folder / f"{name}.parquet"
    table = pq.read_table(path)
    pq.write_table(change(table), path, compression="zstd")
    reseal(folder, name)


def set_cell(
    table: pa.Table, column: str, row: int, value: object, type_: pa.DataType | None = None
) -> pa.Table:
    values = table[column].to_pylist()
    if type_ == pa.string():
        values = [None if v is None else str(v) for v in values]
    values[row] = value
    i = table.schema.get_field_index(column)
    field = table.schema.field(i)
    new_type = type_ or field.type
    return table.set_column(
        i, pa.field(column, new_type, metadata=field.metadata), pa.array(values, new_type)
    )


def flip_byte(folder: Path) -> None:
    path = folder / "paragraph.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(folder: Path) -> None:
    path = folder / "metric.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def wrong_bytes(folder: Path) -> None:
    d = load(folder)
    d["resources"][0][SIZE] += 1
    save(folder, d)


def no_size(folder: Path) -> None:
    d = load(folder)
    del d["resources"][2][SIZE]
    save(folder, d)


def edit_manifest(folder: Path, change: Callable[[list[str]], list[str]]) -> None:
    path = folder / MANIFEST
    path.write_text("".join(f"{line}\n" for line in change(path.read_text().splitlines())))


def stale_manifest_line(lines: list[str]) -> list[str]:
    path = lines[1].split("  ")[1]
    return [lines[0], f"{'0' * 64}  {path}", *lines[2:]]


def bad_version(folder: Path) -> None:
    d = load(folder)
    d["version"] = "version one"
    save(folder, d)


def no_resources(folder: Path) -> None:
    d = load(folder)
    d["resources"] = []
    save(folder, d)


def duplicate_row(table: pa.Table) -> pa.Table:
    return pa.concat_tables([table, table.slice(0, 1)])


# (name, damage, error type our validator must report, whether frictionless judges it too)
DAMAGES: list[tuple[str, Callable[[Path], None], str, bool]] = [
    ("flipped byte", flip_byte, "hash-count", False),
    ("missing file", lambda f: (f / "metric.parquet").unlink(), "missing-file", True),
    ("truncated file", truncate, "source-error", True),
    ("wrong bytes", wrong_bytes, "byte-count", False),
    ("size not recorded", no_size, "descriptor-error", False),
    ("manifest missing", lambda f: (f / MANIFEST).unlink(), "missing-file", False),
    ("manifest hash wrong", lambda f: edit_manifest(f, stale_manifest_line), "hash-count", False),
    ("manifest omits a file", lambda f: edit_manifest(f, lambda lines: lines[:-1]), "manifest-error", False),
    (
        "manifest line garbled",
        lambda f: edit_manifest(f, lambda lines: [*lines, "not a checksum"]),
        "manifest-error",
        False,
    ),
    (
        "wrong type",
        lambda f: rewrite(f, "article", lambda t: set_cell(t, "view_count", 0, "many", pa.string())),
        "type-error",
        True,
    ),
    (
        "null in required field",
        lambda f: rewrite(f, "article", lambda t: set_cell(t, "title", 1, None)),
        "constraint-error",
        True,
    ),
    ("duplicate primary key", lambda f: rewrite(f, "paragraph", duplicate_row), "primary-key", True),
    (
        "dangling foreign key",
        lambda f: rewrite(f, "metric", lambda t: set_cell(t, "paragraph_no", 0, 999)),
        "foreign-key",
        True,
    ),
    (
        "value outside enum",
        lambda f: rewrite(f, "paragraph", lambda t: set_cell(t, "kind", 3, "headline")),
        "constraint-error",
        True,
    ),
    (
        "bad pattern",
        lambda f: rewrite(f, "source_file", lambda t: set_cell(t, "sha256", 2, "not-a-hash")),
        "constraint-error",
        True,
    ),
    (
        "below minimum",
        lambda f: rewrite(f, "article", lambda t: set_cell(t, "view_count", 0, -5)),
        "constraint-error",
        True,
    ),
    (
        "duplicate in unique column",
        lambda f: rewrite(f, "article", lambda t: set_cell(t, "source_file", 1, t["source_file"][0].as_py())),
        "unique-error",
        True,
    ),
    (
        "extra column",
        lambda f: rewrite(f, "source_file", lambda t: t.append_column("extra", pa.array([1] * t.num_rows))),
        "extra-label",
        True,
    ),
    (
        "missing column",
        lambda f: rewrite(f, "metric", lambda t: t.drop_columns(["subject"])),
        "missing-label",
        True,
    ),
    ("bad version", bad_version, "descriptor-error", False),
    # frictionless accepts a package without resources; the v2 profile requires at least one.
    ("no resources", no_resources, "descriptor-error", False),
]


@pytest.fixture
def package(built: BuildResult, tmp_path: Path) -> Path:
    copy = tmp_path / "package"
    shutil.copytree(built.output, copy)
    return copy


def test_the_built_package_is_valid_for_both_validators(built: BuildResult) -> None:
    report = validate_package(built.output)
    assert report.valid, report.problems
    assert report.rows == SEED_ROWS
    assert frictionless_valid(built.output)


@pytest.mark.parametrize(("name", "damage", "error", "judged"), DAMAGES, ids=[d[0] for d in DAMAGES])
def test_damage_is_caught(
    package: Path, name: str, damage: Callable[[Path], None], error: str, judged: bool
) -> None:
    damage(package)
    report = validate_package(package)
    assert not report.valid
    assert error in {p.type for p in report.problems}, [(p.type, p.message) for p in report.problems]
    if judged:
        assert not frictionless_valid(package), f"frictionless accepted: {name}"


def test_frictionless_passes_over_the_hash_of_a_parquet_file(package: Path) -> None:
    """Why fixity is checked by archive-etl validate, sha256sum or BagIt (the data dictionary says so)."""
    d = load(package)
    d["resources"][1]["hash"] = "sha256:" + "0" * 64
    save(package, d)
    assert frictionless_valid(package)
    assert "hash-count" in {p.type for p in validate_package(package).problems}


def test_a_flipped_byte_fails_sha256sum_too(package: Path) -> None:
    check = ["sha256sum", "--check", "--quiet", MANIFEST]
    assert subprocess.run(check, cwd=package, capture_output=True).returncode == 0
    flip_byte(package)
    failed = subprocess.run(check, cwd=package, capture_output=True, text=True)
    assert failed.returncode == 1 and "paragraph.parquet: FAILED" in failed.stdout


def test_report_shows_the_first_offending_rows(package: Path) -> None:
    rewrite(package, "paragraph", lambda t: set_cell(t, "kind", 3, "headline"))
    (problem,) = [p for p in validate_package(package).problems if p.type == "constraint-error"]
    assert problem.resource == "paragraph" and problem.field == "kind" and problem.count == 1
    assert problem.rows[0]["row_number"] == 4
    assert problem.rows[0]["kind"] == "headline"


def test_cli_exit_codes_and_json(package: Path) -> None:
    ok = run("validate", str(package))
    assert ok.returncode == 0 and "valid" in ok.stdout
    flip_byte(package)
    bad = run("validate", "--json", str(package))
    assert bad.returncode == 1
    report = json.loads(bad.stdout)
    assert report["valid"] is False
    assert "hash-count" in {e["type"] for e in report["errors"]}
    text = run("validate", str(package))
    assert text.returncode == 1 and "INVALID" in text.stdout and "paragraph" in text.stdout
