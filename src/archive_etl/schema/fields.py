"""Every column of the package, described once (as PUDL's `metadata/fields.py` does).

A table lists its columns by key (see `tables.py`) and adds only what is the table's own: whether
the column is required there, or unique. A key is the column's name; where one name means two
things in two tables, the key says which ("paragraph.kind", "metric.kind"). For tables to come:
`char_start` and `char_end` are offsets within the paragraph's `text` (metric, person,
document_ref), and `kind` and `raw` need their table's qualification.
"""

from __future__ import annotations

import dataclasses

from archive_etl.schema.model import TIME_ZONE, Field
from archive_etl.schema.wordtables import DOCUMENT_NOUNS_TABLE

__all__ = ["TIME_ZONE"]
# More views than people on Earth is a misread counter, not a count.
MAX_VIEW_COUNT = 10_000_000_000
SHA256 = r"^[0-9a-f]{64}$"
ARTICLE_ID = r"^[0-9a-f]{16}$"

STATUSES = ("article", "duplicate", "rejected")
METRIC_KINDS = ("percent", "ratio", "count", "amount", "measure", "duration")
QUALIFIERS = ("approx", "over", "under", "at_least", "at_most")
CHANGES = ("increase", "decrease")
HEADER_FORMATS = ("A", "B", "legal", "key_value", "title_first", "none")
# The nouns a cited document is named by, normalised (parse/documents.py reads them).
DOC_TYPES = tuple(row["noun"] for row in DOCUMENT_NOUNS_TABLE if row["cited"] == "yes")
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


def _span_id(name: str) -> Field:
    """The identifier of a row found at an offset of a paragraph (metric, person, document cited),
    as `parse.spans.span_id` makes it."""
    return Field(
        name,
        "string",
        "Identifier: article_id, paragraph_no and char_start joined by ':'.",
        pattern="^[0-9a-f]{16}:[0-9]+:[0-9]+$",
    )


_FIELDS = (
    Field(
        "source_file",
        "string",
        "Path of an input file relative to the input folder, with '/' separators; in article,"
        " the file the article was read from (the first, by path, among files with the same "
        "text).",
    ),
    Field(
        "sha256",
        "string",
        "SHA-256 of the file's bytes, lowercase hex.",
        pattern=SHA256,
    ),
    Field(
        "bytes",
        "integer",
        "Size of the file in bytes.",
        minimum=0,
    ),
    Field(
        "encoding",
        "string",
        "Text encoding as detected (e.g. 'UTF-8', 'UTF-8 with BOM', 'UTF-16LE with BOM', "
        "'Windows-1258', 'VISCII', 'TCVN3', 'VNI'), with what was done to the text when it "
        "was more than decoding ('UTF-8 (mojibake repaired: latin-1)', 'UTF-8 (HTML converted"
        " to text)'); null when the file could not be decoded.",
    ),
    Field(
        "status",
        "string",
        "What became of the file: 'article' (parsed), 'duplicate' (same content as the "
        "article it points to) or 'rejected' (see reason).",
        enum=STATUSES,
    ),
    Field(
        "reason",
        "string",
        "Why the file is not an article; null for articles.",
    ),
    Field(
        "article_id",
        "string",
        "An article: the first 16 hex digits of the SHA-256 of its decoded text (stable, "
        "derived from the content); in source_file, the article the file became or duplicates"
        " (null when rejected).",
        pattern=ARTICLE_ID,
    ),
    Field(
        "source_sha256",
        "string",
        "SHA-256 of that file's bytes.",
        pattern=SHA256,
    ),
    Field(
        "header_format",
        "string",
        "Which page header was recognised: 'A' (category, title, 'Ngày đăng ... | Lượt xem'),"
        " 'B' (rubric, title with '(HH:MM DD/MM/YYYY)', source-tagged lead), 'legal' (issuer,"
        " national motto, number, 'ngày .. tháng .. năm ..', the document's name in "
        "capitals), 'key_value' ('# key = value' metadata lines, then title-first text), "
        "'title_first' (a headline line, a lead, the body) or 'none' (nothing recognised: "
        "read as title-first).",
        enum=HEADER_FORMATS,
    ),
    Field(
        "category",
        "string",
        "Category or rubric line as written (format B's trailing ':' dropped).",
    ),
    Field(
        "title",
        "string",
        "Headline as written (format B's time stamp dropped); a legal document's name, its "
        "lines joined by a space; a '# title =' header when there is one.",
    ),
    Field(
        "published_at",
        "datetime",
        "Publication time, local time in Hanoi (Asia/Ho_Chi_Minh, UTC+7): the dateline's date"
        " and time, a '# date =' header at local midnight, or the date a legal document was "
        "issued; null when absent, or when the date or time as written is not a real one "
        "(then `warning` says why).",
    ),
    Field(
        "view_count",
        "integer",
        "The page's view counter ('Lượt xem', '1.234' read as 1234); null when absent, or "
        "when it is not a count (then `warning` says why).",
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
        "Where the text comes from: the tag that opens a format B lead ('HNP' in 'HNP - "
        "...'), or the closing 'Theo ...' / 'Nguồn: ...' line of a title-first page ('Trí "
        "Thức Trẻ').",
    ),
    Field(
        "url",
        "string",
        "The page's address, from a '# url =' header; null when absent.",
    ),
    Field(
        "warning",
        "string",
        "What the header shows but could not be read, and which column was left null for it, "
        "e.g. \"published date '31/02/2021' is not a real date: published_at left null\"; "
        "several joined by '; '. Null when everything present was read.",
    ),
    Field(
        "paragraph_count",
        "integer",
        "Number of paragraph rows of the article.",
        minimum=1,
    ),
    Field(
        "metric_count",
        "integer",
        "Number of metric rows of the article.",
        minimum=0,
    ),
    # key "article.text"
    Field(
        "text",
        "string",
        "The decoded source text (NFC, LF line ends, NUL removed) that paragraph char offsets index.",
    ),
    Field(
        "paragraph_no",
        "integer",
        "A paragraph: its position among the article's non-blank lines, from 1 (with "
        "article_id, the paragraph's key).",
        minimum=1,
    ),
    Field(
        "line_no",
        "integer",
        "Line number in the decoded source text, from 1.",
        minimum=1,
    ),
    # key "paragraph.kind"
    Field(
        "kind",
        "string",
        "Role of the line in the page.",
        enum=PARAGRAPH_KINDS,
    ),
    # key "paragraph.text"
    Field(
        "text",
        "string",
        "The line, NFC, white space folded to single spaces and trimmed; spelling and tone-"
        "mark style as in the source.",
    ),
    # key "paragraph.char_start"
    Field(
        "char_start",
        "integer",
        "Offset (code points, from 0) of the line's first non-space character in article.text.",
        minimum=0,
    ),
    # key "paragraph.char_end"
    Field(
        "char_end",
        "integer",
        "Offset just past the line's last non-space character in article.text.",
        minimum=1,
    ),
    _span_id("metric_id"),
    Field(
        "raw",
        "string",
        "The span as written, e.g. '1.773', '101,53 %', '3370/3.432'.",
    ),
    Field(
        "value",
        "number",
        "The number in its base unit, read the Vietnamese way ('.' thousands, ',' decimals; "
        "mixed styles accepted) with the scale word applied ('2,5 tỷ đồng' is 2500000000, "
        "'1,2 triệu người' 1200000); for a ratio, its numerator; for a range, its lower end.",
        minimum=0,
    ),
    Field(
        "value_high",
        "number",
        "The upper end of a range stated once ('38-40 độ', '20 - 50%', 'từ 7 đến 15 năm': "
        "value 38, value_high 40), in the same unit and scale; null when the metric is not a "
        "range.",
        minimum=0,
    ),
    Field(
        "denominator",
        "number",
        "For a ratio 'a/b', b; null otherwise.",
        minimum=0,
    ),
    Field(
        "unit",
        "string",
        "'%' for percentages (rates whole: '%/năm'); otherwise the counted noun or the unit "
        "as written, lowercase and without the scale word ('chỉ tiêu', 'người', 'đồng', "
        "'usd', 'km', 'độ c', 'đồng/kg', 'km/h'); null when none is stated.",
    ),
    # key "metric.kind"
    Field(
        "kind",
        "string",
        "What sort of quantity it is.",
        enum=METRIC_KINDS,
    ),
    Field(
        "qualifier",
        "string",
        "'approx' (gần, khoảng, xấp xỉ), 'over' (trên, hơn, ngoài), 'under' (dưới, chưa đến),"
        " 'at_least' (ít nhất, tối thiểu), 'at_most' (tối đa, không quá); null when exact.",
        enum=QUALIFIERS,
    ),
    Field(
        "change",
        "string",
        "'increase' (tăng) or 'decrease' (giảm) when the number is a change.",
        enum=CHANGES,
    ),
    Field(
        "subject",
        "string",
        "A short phrase from the sentence saying what is measured.",
    ),
    Field(
        "sentence",
        "string",
        "The sentence the metric is stated in: its paragraph's text from the previous sentence end "
        "('.', '!', '?' or ';' before a space) to the next.",
    ),
    # key "raw.char_start" (metric and document_ref)
    Field(
        "char_start",
        "integer",
        "Offset (code points, from 0) of raw in the paragraph's text.",
        minimum=0,
    ),
    # key "raw.char_end"
    Field(
        "char_end",
        "integer",
        "Offset just past raw in the paragraph's text.",
        minimum=1,
    ),
    _span_id("person_id"),
    Field(
        "name",
        "string",
        "The person's name as written, without honorific or role: 'Đường Hoài Nam', 'Hải', 'T.'.",
    ),
    Field(
        "roles",
        "list",
        "The role phrases written with the name, as written and in order: 'Thành ủy viên; Bí thư "
        "Quận uỷ; Chủ tịch HĐND Quận'; null when only an honorific is given.",
    ),
    Field(
        "honorific",
        "string",
        "The honorific or rank before the name as written ('Đồng chí', 'Đ/c', 'ông', 'bà', 'TS', "
        "'Đại tá'); null when none.",
    ),
    # key "person.char_start"
    Field(
        "char_start",
        "integer",
        "Offset (code points, from 0) of the name in the paragraph's text.",
        minimum=0,
    ),
    # key "person.char_end"
    Field(
        "char_end",
        "integer",
        "Offset just past the name in the paragraph's text.",
        minimum=1,
    ),
    _span_id("ref_id"),
    # key "document_ref.raw"
    Field(
        "raw",
        "string",
        "The citation as written, from the document's noun to its number and code: 'Nghị quyết số "
        "15-NQ/TU', 'Luật số: 59/2020/QH14', 'Kế hoạch số 03'; a second number sharing the noun is "
        "its own row ('04' of 'Kế hoạch số 03, 04').",
    ),
    Field(
        "doc_type",
        "string",
        "The document's noun, normalised: 'Nghị quyết', 'Quyết định', 'Chỉ thị', 'Luật', ...",
        enum=DOC_TYPES,
    ),
    Field(
        "number",
        "string",
        "The document's number as written, leading zeros kept ('03', '2200'); null for a law cited "
        "by its name.",
    ),
    Field(
        "year",
        "integer",
        "The year in the code ('59/2020/QH14') or stated with it ('năm 2017'); null otherwise.",
        minimum=1900,
        maximum=2100,
    ),
    Field(
        "issuer_code",
        "string",
        "The code after the number as written: 'NQ/TU', 'QĐ-UBND', 'QH14'; null when none.",
    ),
    Field(
        "issued_on",
        "date",
        "The date the document was issued, when the citation states it ('ngày 04/7/2017').",
    ),
    Field(
        "sentence",
        "string",
        "The sentence the document is cited in: its paragraph's text from the previous sentence "
        "end ('.', '!', '?' or ';' before a space) to the next.",
    ),
)
_KEYS = (
    "source_file",
    "sha256",
    "bytes",
    "encoding",
    "status",
    "reason",
    "article_id",
    "source_sha256",
    "header_format",
    "category",
    "title",
    "published_at",
    "view_count",
    "author",
    "source",
    "url",
    "warning",
    "paragraph_count",
    "metric_count",
    "article.text",
    "paragraph_no",
    "line_no",
    "paragraph.kind",
    "paragraph.text",
    "paragraph.char_start",
    "paragraph.char_end",
    "metric_id",
    "metric.raw",
    "value",
    "value_high",
    "denominator",
    "unit",
    "metric.kind",
    "qualifier",
    "change",
    "subject",
    "metric.sentence",
    "raw.char_start",
    "raw.char_end",
    "person_id",
    "name",
    "roles",
    "honorific",
    "person.char_start",
    "person.char_end",
    "ref_id",
    "document_ref.raw",
    "doc_type",
    "number",
    "year",
    "issuer_code",
    "issued_on",
    "document_ref.sentence",
)
FIELDS: dict[str, Field] = dict(zip(_KEYS, _FIELDS, strict=True))


def field(key: str, *, required: bool = False, unique: bool = False) -> Field:
    """The column `key` of the registry, as one table holds it."""
    return dataclasses.replace(FIELDS[key], required=required, unique=unique)
