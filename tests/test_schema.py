"""One definition per table drives Polars, Arrow/Parquet and Frictionless alike."""

from __future__ import annotations

import polars as pl
import pyarrow as pa
import pytest

from archive_etl.schema import ARTICLE, FIELDS, PARAGRAPH, TABLES


def test_the_written_package_has_the_registry_columns_types_and_descriptions() -> None:
    """The seeds' package as written (datapackage/, rebuilt by `make run`): each Parquet file's
    schema and each resource's descriptor schema are the registry's, column for column."""
    import json

    import pyarrow.parquet as pq

    from conftest import ROOT

    package = ROOT / "datapackage"
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert sorted(resources) == sorted(t.name for t in TABLES)
    for table in TABLES:
        written = pq.read_schema(package / table.path)
        assert written.names == table.columns, table.name
        for field in table.fields:
            assert written.field(field.name).type == field.arrow_field.type, f"{table.name}.{field.name}"
            assert written.field(field.name).nullable is not field.required, f"{table.name}.{field.name}"
        fields = resources[table.name]["schema"]["fields"]
        assert [f["name"] for f in fields] == table.columns
        for field, fd in zip(table.fields, fields, strict=True):
            assert field.description and fd["description"] == field.description
            assert fd["type"] == field.frictionless()["type"], f"{table.name}.{field.name}"
            assert fd.get("constraints", {}).get("required", False) is field.required


def test_types_agree_across_outputs() -> None:
    published = ARTICLE["published_at"]
    assert published.polars_dtype == pl.Datetime("us", "Asia/Ho_Chi_Minh")
    assert published.arrow_field.type == pa.timestamp("us", tz="Asia/Ho_Chi_Minh")
    assert published.frictionless()["type"] == "datetime"
    assert PARAGRAPH["paragraph_no"].arrow_field.type == pa.int64()


def test_kind_enum_is_the_spec_list() -> None:
    assert set(PARAGRAPH["kind"].enum) == {
        "header",
        "heading",
        "category",
        "title",
        "dateline",
        "lead",
        "body",
        "list_item",
        "caption",
        "byline",
        "source",
        "boilerplate",
    }


def test_conform_orders_and_casts_columns() -> None:
    frame = pl.DataFrame(
        {"kind": ["body"], "extra": [1], **{c: [None] for c in PARAGRAPH.columns if c != "kind"}}
    )
    out = PARAGRAPH.conform(frame)
    assert out.columns == PARAGRAPH.columns
    assert out.schema == PARAGRAPH.polars_schema()


def test_readme_table_reference_names_every_column() -> None:
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    reference = readme.split("## Table reference", 1)[1].split("\n## ", 1)[0]
    for table in TABLES:
        assert f"**{table.name}**" in reference
        for column in table.columns:
            assert f"`{column}`" in reference, f"{table.name}.{column} missing from README"


def test_the_public_api_names_what_each_stage_offers() -> None:
    import archive_etl

    for name in archive_etl.__all__:
        assert getattr(archive_etl, name) is not None, name
    with pytest.raises(AttributeError):
        _ = archive_etl.not_a_name


def test_each_column_is_described_once_in_the_registry() -> None:
    """A column of two tables shares its description (and its type) unless its key is qualified."""
    by_name: dict[str, set[tuple[str, str]]] = {}
    for table in TABLES:
        for f in table.fields:
            by_name.setdefault(f.name, set()).add((f.type, f.description))
    shared = {name for name, seen in by_name.items() if len(seen) > 1}
    assert shared == {"text", "kind", "raw", "sentence", "char_start", "char_end"}
    assert {k for k in FIELDS if "." in k} == (
        {f"{t}.{c}" for t in ("paragraph", "raw", "person") for c in ("char_start", "char_end")}
        | {"paragraph.kind", "metric.kind", "article.text", "paragraph.text"}
        | {"metric.raw", "document_ref.raw", "metric.sentence", "document_ref.sentence"}
    )


def test_the_generated_views_and_table_reference_are_up_to_date() -> None:
    from archive_etl.devtools import generated

    assert generated.BASE_SQL.read_text(encoding="utf-8") == generated.base_views_sql()
    readme = generated.README.read_text(encoding="utf-8")
    assert generated.readme_with_reference(readme) == readme
