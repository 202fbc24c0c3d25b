"""The one definition of every table in the package.

Each table is described once here; the Polars dtypes, the Arrow/Parquet schema and the
Frictionless Table Schema are all derived from these objects, so a column cannot drift
between outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl
import pyarrow as pa

TIME_ZONE = "Asia/Ho_Chi_Minh"
# More views than people on Earth is a misread counter, not a count.
MAX_VIEW_COUNT = 10_000_000_000

FieldType = Literal["string", "integer", "number", "datetime", "boolean"]

_POLARS: dict[str, pl.DataType] = {
    "string": pl.String(),
    "integer": pl.Int64(),
    "number": pl.Float64(),
    "datetime": pl.Datetime("us", TIME_ZONE),
    "boolean": pl.Boolean(),
}
_ARROW: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "datetime": pa.timestamp("us", tz=TIME_ZONE),
    "boolean": pa.bool_(),
}


@dataclass(frozen=True)
class Field:
    """A column: its name, logical type, meaning and the constraints that hold for it."""

    name: str
    type: FieldType
    description: str
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None

    @property
    def polars_dtype(self) -> pl.DataType:
        return _POLARS[self.type]

    @property
    def arrow_field(self) -> pa.Field:
        return pa.field(
            self.name,
            _ARROW[self.type],
            nullable=not self.required,
            metadata={"description": self.description},
        )

    def frictionless(self) -> dict[str, Any]:
        """The Table Schema field descriptor."""
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.type == "datetime":
            out["format"] = "default"
        out["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        if self.pattern is not None:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if constraints:
            out["constraints"] = constraints
        if self.type in ("integer", "number") and not self.required:
            # frictionless reads Parquet through pandas, which turns a null number into NaN.
            out["missingValues"] = ["", "nan"]
        return out


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A resource of the package: its columns, keys and description."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)

    @property
    def path(self) -> str:
        return f"{self.name}.parquet"

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def __getitem__(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no column {name!r}")

    def polars_schema(self) -> pl.Schema:
        return pl.Schema({f.name: f.polars_dtype for f in self.fields})

    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [f.arrow_field for f in self.fields],
            metadata={"description": self.description, "primary_key": ",".join(self.primary_key)},
        )

    def conform(self, df: pl.DataFrame) -> pl.DataFrame:
        """Select and cast exactly this table's columns, in order."""
        return df.select(pl.col(f.name).cast(f.polars_dtype) for f in self.fields)

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.polars_schema())

    def frictionless(self) -> dict[str, Any]:
        """The Frictionless Table Schema (v2) of this table."""
        schema: dict[str, Any] = {
            "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
            "fields": [f.frictionless() for f in self.fields],
            "primaryKey": list(self.primary_key),
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {
                    "fields": list(fk.fields),
                    "reference": {"resource": fk.resource, "fields": list(fk.reference_fields)},
                }
                for fk in self.foreign_keys
            ]
        return schema


SHA256 = r"^[0-9a-f]{64}$"
ARTICLE_ID = r"^[0-9a-f]{16}$"

STATUSES = ("article", "duplicate", "rejected")
METRIC_KINDS = ("percent", "ratio", "count", "amount", "measure", "duration")
QUALIFIERS = ("approx", "over", "under", "at_least", "at_most")
CHANGES = ("increase", "decrease")
HEADER_FORMATS = ("A", "B", "legal", "key_value", "title_first", "none")
PARAGRAPH_KINDS = (
    "header",
    "category",
    "title",
    "dateline",
    "lead",
    "heading",
    "body",
    "list_item",
    "caption",
    "byline",
    "source",
    "boilerplate",
)

SOURCE_FILE = Table(
    name="source_file",
    title="Source files",
    description="One row per entry of the input folder, whatever happened to it.",
    fields=(
        Field(
            "source_file",
            "string",
            "Path of the file relative to the input folder, with '/' separators.",
            required=True,
            unique=True,
        ),
        Field("sha256", "string", "SHA-256 of the file's bytes, lowercase hex.", pattern=SHA256),
        Field("bytes", "integer", "Size of the file in bytes.", required=True, minimum=0),
        Field(
            "encoding",
            "string",
            "Text encoding as detected (e.g. 'UTF-8', 'UTF-8 with BOM', 'UTF-16LE with BOM', "
            "'Windows-1258', 'VISCII', 'TCVN3', 'VNI'), with what was done to the text when it was "
            "more than decoding ('UTF-8 (mojibake repaired: latin-1)', 'UTF-8 (HTML converted to "
            "text)'); null when the file could not be decoded.",
        ),
        Field(
            "status",
            "string",
            "What became of the file: 'article' (parsed), 'duplicate' (same content as the "
            "article it points to) or 'rejected' (see reason).",
            required=True,
            enum=STATUSES,
        ),
        Field("reason", "string", "Why the file is not an article; null for articles."),
        Field(
            "article_id",
            "string",
            "The article this file became or duplicates; null when rejected.",
            pattern=ARTICLE_ID,
        ),
    ),
    primary_key=("source_file",),
)

ARTICLE = Table(
    name="article",
    title="Articles",
    description="One row per distinct article (files with the same decoded text are one article).",
    fields=(
        Field(
            "article_id",
            "string",
            "Stable identifier: the first 16 hex digits of the SHA-256 of the decoded text.",
            required=True,
            unique=True,
            pattern=ARTICLE_ID,
        ),
        Field(
            "source_file",
            "string",
            "The input file the article was read from (the first, by path, among duplicates).",
            required=True,
            unique=True,
        ),
        Field("source_sha256", "string", "SHA-256 of that file's bytes.", required=True, pattern=SHA256),
        Field(
            "header_format",
            "string",
            "Which page header was recognised: 'A' (category, title, 'Ngày đăng ... | Lượt xem'), "
            "'B' (rubric, title with '(HH:MM DD/MM/YYYY)', source-tagged lead), 'legal' (issuer, "
            "national motto, number, 'ngày .. tháng .. năm ..', the document's name in capitals), "
            "'key_value' ('# key = value' metadata lines, then title-first text), 'title_first' "
            "(a headline line, a lead, the body) or 'none' (nothing recognised: read as title-first).",
            required=True,
            enum=HEADER_FORMATS,
        ),
        Field("category", "string", "Category or rubric line as written (format B's trailing ':' dropped)."),
        Field(
            "title",
            "string",
            "Headline as written (format B's time stamp dropped); a legal document's name, its lines "
            "joined by a space; a '# title =' header when there is one.",
            required=True,
        ),
        Field(
            "published_at",
            "datetime",
            "Publication time, local time in Hanoi (Asia/Ho_Chi_Minh, UTC+7): the dateline's date and "
            "time, a '# date =' header at local midnight, or the date a legal document was issued; "
            "null when absent, or when the date or time as written is not a real one (then `warning` "
            "says why).",
        ),
        Field(
            "view_count",
            "integer",
            "The page's view counter ('Lượt xem', '1.234' read as 1234); null when absent, or when "
            "it is not a count (then `warning` says why).",
            minimum=0,
            maximum=MAX_VIEW_COUNT,
        ),
        Field(
            "author",
            "string",
            "The byline as written (a legal document's signatory); null when none.",
        ),
        Field(
            "source",
            "string",
            "Where the text comes from: the tag that opens a format B lead ('HNP' in 'HNP - ...'), "
            "or the closing 'Theo ...' / 'Nguồn: ...' line of a title-first page ('Trí Thức Trẻ').",
        ),
        Field("url", "string", "The page's address, from a '# url =' header; null when absent."),
        Field(
            "warning",
            "string",
            "What the header shows but could not be read, and which column was left null for it, "
            "e.g. \"published date '31/02/2021' is not a real date: published_at left null\"; "
            "several joined by '; '. Null when everything present was read.",
        ),
        Field(
            "paragraph_count", "integer", "Number of paragraph rows of the article.", required=True, minimum=1
        ),
        Field("metric_count", "integer", "Number of metric rows of the article.", required=True, minimum=0),
        Field(
            "text",
            "string",
            "The decoded source text (NFC, LF line ends, NUL removed) that paragraph char offsets index.",
            required=True,
        ),
    ),
    primary_key=("article_id",),
    foreign_keys=(ForeignKey(("source_file",), "source_file", ("source_file",)),),
)

PARAGRAPH = Table(
    name="paragraph",
    title="Paragraphs",
    description="Every non-blank line of every article, in order; none dropped.",
    fields=(
        Field("article_id", "string", "The article the line belongs to.", required=True, pattern=ARTICLE_ID),
        Field(
            "paragraph_no",
            "integer",
            "Position among the article's non-blank lines, from 1.",
            required=True,
            minimum=1,
        ),
        Field(
            "line_no", "integer", "Line number in the decoded source text, from 1.", required=True, minimum=1
        ),
        Field("kind", "string", "Role of the line in the page.", required=True, enum=PARAGRAPH_KINDS),
        Field(
            "text",
            "string",
            "The line, NFC, white space folded to single spaces and trimmed; spelling and "
            "tone-mark style as in the source.",
            required=True,
        ),
        Field(
            "char_start",
            "integer",
            "Offset (code points, from 0) of the line's first non-space character in article.text.",
            required=True,
            minimum=0,
        ),
        Field(
            "char_end",
            "integer",
            "Offset just past the line's last non-space character in article.text.",
            required=True,
            minimum=1,
        ),
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
        Field(
            "metric_id",
            "string",
            "Identifier: article_id, paragraph_no and char_start joined by ':'.",
            required=True,
            unique=True,
            pattern=r"^[0-9a-f]{16}:[0-9]+:[0-9]+$",
        ),
        Field("article_id", "string", "The article stating the quantity.", required=True, pattern=ARTICLE_ID),
        Field(
            "paragraph_no",
            "integer",
            "The paragraph stating it (with article_id, a paragraph key).",
            required=True,
            minimum=1,
        ),
        Field("raw", "string", "The span as written, e.g. '1.773', '101,53 %', '3370/3.432'.", required=True),
        Field(
            "value",
            "number",
            "The number in its base unit, read the Vietnamese way ('.' thousands, ',' decimals; mixed "
            "styles accepted) with the scale word applied ('2,5 tỷ đồng' is 2500000000, '1,2 triệu "
            "người' 1200000); for a ratio, its numerator; for a range, its lower end.",
            required=True,
            minimum=0,
        ),
        Field(
            "value_high",
            "number",
            "The upper end of a range stated once ('38-40 độ', '20 - 50%', 'từ 7 đến 15 năm': value 38, "
            "value_high 40), in the same unit and scale; null when the metric is not a range.",
            minimum=0,
        ),
        Field("denominator", "number", "For a ratio 'a/b', b; null otherwise.", minimum=0),
        Field(
            "unit",
            "string",
            "'%' for percentages (rates whole: '%/năm'); otherwise the counted noun or the unit as "
            "written, lowercase and without the scale word ('chỉ tiêu', 'người', 'đồng', 'usd', 'km', "
            "'độ c', 'đồng/kg', 'km/h'); null when none is stated.",
        ),
        Field("kind", "string", "What sort of quantity it is.", required=True, enum=METRIC_KINDS),
        Field(
            "qualifier",
            "string",
            "'approx' (gần, khoảng, xấp xỉ), 'over' (trên, hơn, ngoài), 'under' (dưới, chưa đến), "
            "'at_least' (ít nhất, tối thiểu), 'at_most' (tối đa, không quá); null when exact.",
            enum=QUALIFIERS,
        ),
        Field(
            "change",
            "string",
            "'increase' (tăng) or 'decrease' (giảm) when the number is a change.",
            enum=CHANGES,
        ),
        Field("subject", "string", "A short phrase from the sentence saying what is measured."),
        Field(
            "char_start",
            "integer",
            "Offset (code points, from 0) of raw in the paragraph's text.",
            required=True,
            minimum=0,
        ),
        Field(
            "char_end", "integer", "Offset just past raw in the paragraph's text.", required=True, minimum=1
        ),
    ),
    primary_key=("metric_id",),
    foreign_keys=(ForeignKey(("article_id", "paragraph_no"), "paragraph", ("article_id", "paragraph_no")),),
)

TABLES: tuple[Table, ...] = (SOURCE_FILE, ARTICLE, PARAGRAPH, METRIC)
