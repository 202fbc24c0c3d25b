"""The package on disk: Parquet from the one schema, a v2 descriptor, byte-identical rebuilds."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from archive_etl.build import BuildResult, build
from archive_etl.build.tables import Tables
from archive_etl.package import writer as writer_module
from archive_etl.package.descriptor import MANIFEST, SIZE, file_fixity
from archive_etl.package.writer import PackageWriter
from archive_etl.schema import PARAGRAPH, TABLES
from conftest import RESOURCE_NAMES, ROOT, SEEDS

COMMITTED = ROOT / "datapackage"


def descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def test_parquet_files_follow_the_schema(built: BuildResult) -> None:
    for table in TABLES:
        parquet = pq.ParquetFile(built.output / table.path)
        schema = parquet.schema_arrow
        assert schema.names == table.columns
        assert schema.equals(table.arrow_schema(), check_metadata=False)
        for field in table.fields:
            assert schema.field(field.name).metadata[b"description"].decode() == field.description
        assert parquet.metadata.row_group(0).column(0).compression == "ZSTD"


def test_parquet_holds_what_the_library_computes_with_the_schema_of_its_table(
    built: BuildResult, seed_tables: Tables
) -> None:
    for table, frame in seed_tables.items():
        path = built.output / table.path
        assert pq.read_schema(path).equals(table.arrow_schema(), check_metadata=True), table.name
        assert pl.read_parquet(path).equals(frame), table.name


def test_descriptor_lists_every_table_with_schema_and_keys(built: BuildResult) -> None:
    d = descriptor(built.output)
    assert d["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert [r["name"] for r in d["resources"]] == list(RESOURCE_NAMES)
    by_name = {r["name"]: r for r in d["resources"]}
    for table in TABLES:
        resource = by_name[table.name]
        assert resource["path"] == table.path
        assert resource["format"] == "parquet"
        assert [f["name"] for f in resource["schema"]["fields"]] == table.columns
        assert all(f["description"] for f in resource["schema"]["fields"])
        assert resource["schema"]["primaryKey"] == list(table.primary_key)
        facts = file_fixity(built.output / table.path)
        assert (resource[SIZE], resource["hash"]) == (facts.bytes, facts.hash)
        assert "bytes" not in resource  # frictionless cannot count a Parquet file's bytes
    assert by_name["paragraph"]["schema"]["foreignKeys"] == [
        {"fields": ["article_id"], "reference": {"resource": "article", "fields": ["article_id"]}}
    ]
    assert by_name["article"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "source_file"
    assert by_name["metric"]["schema"]["foreignKeys"] == [
        {
            "fields": ["article_id", "paragraph_no"],
            "reference": {"resource": "paragraph", "fields": ["article_id", "paragraph_no"]},
        }
    ]


def test_sha256sums_lists_every_table_file_as_sha256sum_writes_it(built: BuildResult) -> None:
    expected = subprocess.run(
        ["sha256sum", *(t.path for t in TABLES)], cwd=built.output, capture_output=True, text=True, check=True
    ).stdout
    assert (built.output / MANIFEST).read_text(encoding="utf-8") == expected


def test_keys_hold_in_the_data(built: BuildResult) -> None:
    t = built.tables
    assert t.source_file["source_file"].is_unique().all()
    assert t.article["article_id"].is_unique().all()
    assert t.paragraph.select("article_id", "paragraph_no").is_unique().all()
    assert t.paragraph["article_id"].is_in(t.article["article_id"].implode()).all()
    assert t.article["source_file"].is_in(t.source_file["source_file"].implode()).all()
    assert t.metric["metric_id"].is_unique().all()
    assert t.metric.join(t.paragraph, on=["article_id", "paragraph_no"], how="anti").height == 0


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = build(SEEDS, tmp_path / "a"), build(SEEDS, tmp_path / "b")
    names = sorted(p.name for p in first.output.iterdir())
    assert names == sorted(p.name for p in second.output.iterdir())
    # archive.duckdb is rebuilt from these files but DuckDB does not write files reproducibly.
    for name in [n for n in names if n != "archive.duckdb"]:
        assert (first.output / name).read_bytes() == (second.output / name).read_bytes(), name
    assert descriptor(first.output)["created"] == "2023-11-14T22:13:20Z"


def test_committed_datapackage_is_what_the_seeds_build_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`datapackage/` in the repo must be rebuilt (`make run`) whenever the code changes its output."""
    created = descriptor(COMMITTED)["created"]
    epoch = int(datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    # Rebuilt over a copy of itself, as `make run` does, so the version is compared with it.
    shutil.copytree(COMMITTED, tmp_path / "fresh")
    fresh = build(SEEDS, tmp_path / "fresh").output
    for name in ["datapackage.json", "README.md", MANIFEST, *(t.path for t in TABLES)]:
        assert (fresh / name).read_bytes() == (COMMITTED / name).read_bytes(), (
            f"{name} is stale: run make run"
        )


def test_rebuild_replaces_the_package_and_leaves_no_temporary_folder(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    build(SEEDS, out)
    (out / "stale.txt").write_text("from an older build")
    build(SEEDS, out)
    assert not (out / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_refuses_to_replace_a_folder_that_is_not_a_package(tmp_path: Path) -> None:
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    with pytest.raises(FileExistsError, match="not a package"):
        build(SEEDS, precious)
    assert (precious / "thesis.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_source_date_epoch_unset_gives_the_current_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    created = descriptor(build(SEEDS, tmp_path / "p").output)["created"]
    age = datetime.now().astimezone() - datetime.fromisoformat(created.replace("Z", "+00:00"))
    assert abs(age.total_seconds()) < 120
    assert os.environ.get("SOURCE_DATE_EPOCH") is None


def _write_paragraphs(output: Path, parts: list[pl.DataFrame]) -> bytes:
    """The paragraph table written from `parts` by the package writer, as bytes."""
    with PackageWriter(output) as writer:
        for part in parts:
            writer.write(PARAGRAPH, part)
        writer.seal()
        writer.swap_in()
    return (output / PARAGRAPH.path).read_bytes()


def test_row_groups_do_not_depend_on_how_the_rows_came(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row groups end by rows and by bytes counted from the values: the same file whether the
    rows come whole or in parts, fresh or cut out of a larger frame sharing its buffers."""
    monkeypatch.setattr(writer_module, "ROW_GROUP", 40)
    monkeypatch.setattr(writer_module, "ROW_GROUP_BYTES", 6_000)
    paragraphs = pl.concat([built.tables.paragraph] * 3)
    whole = _write_paragraphs(tmp_path / "whole", [paragraphs])
    cuts = [0, 7, 8, 61, 130, 131, 200, paragraphs.height]
    sliced = [paragraphs.slice(a, b - a) for a, b in itertools.pairwise(cuts)]
    assert _write_paragraphs(tmp_path / "sliced", sliced) == whole
    fresh = [pl.DataFrame(part.to_dicts(), schema=part.schema) for part in sliced]
    assert _write_paragraphs(tmp_path / "fresh", fresh) == whole
    groups = pq.ParquetFile(tmp_path / "whole" / PARAGRAPH.path).metadata
    sizes = [groups.row_group(i).num_rows for i in range(groups.num_row_groups)]
    assert sum(sizes) == paragraphs.height
    assert max(sizes) <= 40 and min(sizes[:-1]) < 40  # some cut by rows, some by bytes
    # Counted as Arrow holds the rows, offsets and all.
    arrow = PARAGRAPH.conform(paragraphs).to_arrow().cast(PARAGRAPH.arrow_schema())
    assert writer_module.row_bytes(paragraphs).sum() == arrow.nbytes


def test_row_groups_end_at_a_row_count_or_once_they_reach_a_size() -> None:
    sizes = pl.Series([5, 5, 5, 30, 1, 1, 1, 1, 1, 1, 50, 2], dtype=pl.Int64)
    # A group takes the row that reaches the size: 5+5+5+30, then four rows, then 1+1+50.
    assert writer_module.group_ends(sizes, 4, 20) == ([4, 8, 11, 12], False)
    assert writer_module.group_ends(sizes[:11], 4, 20) == ([4, 8, 11], True)
    assert writer_module.group_ends(sizes[:8], 4, 20) == ([4, 8], True)
    assert writer_module.group_ends(sizes[:0], 4, 20) == ([], False)


def test_an_error_encoding_a_table_fails_the_build_and_leaves_no_package(tmp_path: Path) -> None:
    """Tables are encoded on threads of their own: an error there is raised to the caller."""
    broken = pl.DataFrame({"article_id": ["a"]})  # no other column of the paragraph table
    with pytest.raises(pl.exceptions.ColumnNotFoundError):
        _write_paragraphs(tmp_path / "out", [broken])
    assert not list(tmp_path.iterdir())
