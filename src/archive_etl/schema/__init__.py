"""The one definition of every table and column of the package: `fields` describes each column
once, `tables` lists each table's columns and keys, `model` is the shape of both."""

from archive_etl.schema.fields import (
    ARTICLE_ID,
    CHANGES,
    DOC_TYPES,
    FIELDS,
    HEADER_FORMATS,
    MAX_VIEW_COUNT,
    METRIC_KINDS,
    PARAGRAPH_KINDS,
    QUALIFIERS,
    SHA256,
    STATUSES,
    TIME_ZONE,
    field,
)
from archive_etl.schema.model import Field, FieldType, ForeignKey, Table
from archive_etl.schema.tables import ARTICLE, DOCUMENT_REF, METRIC, PARAGRAPH, PERSON, SOURCE_FILE, TABLES

__all__ = [
    "ARTICLE",
    "ARTICLE_ID",
    "CHANGES",
    "DOCUMENT_REF",
    "DOC_TYPES",
    "FIELDS",
    "HEADER_FORMATS",
    "MAX_VIEW_COUNT",
    "METRIC",
    "METRIC_KINDS",
    "PARAGRAPH",
    "PARAGRAPH_KINDS",
    "PERSON",
    "QUALIFIERS",
    "SHA256",
    "SOURCE_FILE",
    "STATUSES",
    "TABLES",
    "TIME_ZONE",
    "Field",
    "FieldType",
    "ForeignKey",
    "Table",
    "field",
]
