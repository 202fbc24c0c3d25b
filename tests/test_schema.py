"""One definition per table drives Polars, Arrow/Parquet and Frictionless alike."""

from __future__ import annotations

import polars as pl
import pyarrow as pa

from archive_etl.schema import ARTICLE, PARAGRAPH, TABLES


def test_every_column_is_described_and_typed_everywhere() -> None:
    for table in TABLES:
        polars_schema, arrow_schema = table.polars_schema(), table.arrow_schema()
        frictionless = table.frictionless()
        assert list(polars_schema) == table.columns == arrow_schema.names
        assert [f["name"] for f in frictionless["fields"]] == table.columns
        for field, fd in zip(table.fields, frictionless["fields"], strict=True):
            assert field.description and fd["description"] == field.description
            assert arrow_schema.field(field.name).nullable is not field.required
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
