"""One definition per table drives Polars, Arrow/Parquet and Frictionless alike."""

from __future__ import annotations

import polars as pl
import pyarrow as pa
import pytest

from archive_etl.schema import ARTICLE, FIELDS, PARAGRAPH, TABLES


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
    assert shared == {"text", "kind", "raw", "char_start", "char_end"}
    assert {k for k in FIELDS if "." in k} == (
        {f"{t}.{c}" for t in ("paragraph", "raw", "person") for c in ("char_start", "char_end")}
        | {"paragraph.kind", "metric.kind", "article.text", "paragraph.text"}
        | {"metric.raw", "document_ref.raw"}
    )


def test_the_generated_views_and_table_reference_are_up_to_date() -> None:
    from archive_etl.devtools import generated

    assert generated.BASE_SQL.read_text(encoding="utf-8") == generated.base_views_sql()
    readme = generated.README.read_text(encoding="utf-8")
    assert generated.readme_with_reference(readme) == readme
