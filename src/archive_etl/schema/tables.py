"""The package's tables: each lists its columns from the field registry (`fields.py`), in order,
with what is the table's own (required, unique) and its keys. The Polars dtypes, the Parquet
schema, the Frictionless Table Schema, the database's comments and views and the Dagster column
schema all come from these objects, so a column cannot drift between outputs.
"""

from __future__ import annotations

from archive_etl.schema.fields import field
from archive_etl.schema.model import ForeignKey, Table

SOURCE_FILE = Table(
    name="source_file",
    title="Source files",
    description="One row per entry of the input folder, whatever happened to it.",
    fields=(
        field("source_file", required=True, unique=True),
        field("sha256"),
        field("bytes", required=True),
        field("encoding"),
        field("status", required=True),
        field("reason"),
        field("article_id"),
    ),
    primary_key=("source_file",),
)

ARTICLE = Table(
    name="article",
    title="Articles",
    description="One row per distinct article (files with the same decoded text are one article).",
    fields=(
        field("article_id", required=True, unique=True),
        field("source_file", required=True, unique=True),
        field("source_sha256", required=True),
        field("header_format", required=True),
        field("category"),
        field("title", required=True),
        field("published_at"),
        field("view_count"),
        field("author"),
        field("source"),
        field("url"),
        field("warning"),
        field("paragraph_count", required=True),
        field("metric_count", required=True),
        field("article.text", required=True),
    ),
    primary_key=("article_id",),
    foreign_keys=(ForeignKey(("source_file",), "source_file", ("source_file",)),),
)

PARAGRAPH = Table(
    name="paragraph",
    title="Paragraphs",
    description="Every non-blank line of every article, in order; none dropped.",
    fields=(
        field("article_id", required=True),
        field("paragraph_no", required=True),
        field("line_no", required=True),
        field("paragraph.kind", required=True),
        field("paragraph.text", required=True),
        field("paragraph.char_start", required=True),
        field("paragraph.char_end", required=True),
    ),
    primary_key=("article_id", "paragraph_no"),
    foreign_keys=(ForeignKey(("article_id",), "article", ("article_id",)),),
)

METRIC = Table(
    name="metric",
    title="Metrics",
    description="One row per quantity stated in a paragraph: counts, percentages, ratios, amounts, "
    "measures and durations; dates, years, document numbers, ordinals and names are not metrics.",
    fields=(
        field("metric_id", required=True, unique=True),
        field("article_id", required=True),
        field("paragraph_no", required=True),
        field("metric.raw", required=True),
        field("value", required=True),
        field("value_high"),
        field("denominator"),
        field("unit"),
        field("metric.kind", required=True),
        field("qualifier"),
        field("change"),
        field("subject"),
        field("metric.sentence"),
        field("raw.char_start", required=True),
        field("raw.char_end", required=True),
    ),
    primary_key=("metric_id",),
    foreign_keys=(ForeignKey(("article_id", "paragraph_no"), "paragraph", ("article_id", "paragraph_no")),),
)

PERSON = Table(
    name="person",
    title="People",
    description="One row per person named with a role or an honorific in a paragraph: the name, "
    "the role phrases and the honorific as written.",
    fields=(
        field("person_id", required=True, unique=True),
        field("article_id", required=True),
        field("paragraph_no", required=True),
        field("name", required=True),
        field("roles"),
        field("honorific"),
        field("person.char_start", required=True),
        field("person.char_end", required=True),
    ),
    primary_key=("person_id",),
    foreign_keys=(ForeignKey(("article_id", "paragraph_no"), "paragraph", ("article_id", "paragraph_no")),),
)

DOCUMENT_REF = Table(
    name="document_ref",
    title="Documents cited",
    description="One row per document cited in a paragraph (a law, resolution, decision, directive, "
    "plan, ...): its type, number, year, issuer code and date of issue as stated.",
    fields=(
        field("ref_id", required=True, unique=True),
        field("article_id", required=True),
        field("paragraph_no", required=True),
        field("document_ref.raw", required=True),
        field("doc_type", required=True),
        field("number"),
        field("year"),
        field("issuer_code"),
        field("issued_on"),
        field("document_ref.sentence"),
        field("raw.char_start", required=True),
        field("raw.char_end", required=True),
    ),
    primary_key=("ref_id",),
    foreign_keys=(ForeignKey(("article_id", "paragraph_no"), "paragraph", ("article_id", "paragraph_no")),),
)

TABLES: tuple[Table, ...] = (SOURCE_FILE, ARTICLE, PARAGRAPH, METRIC, PERSON, DOCUMENT_REF)
