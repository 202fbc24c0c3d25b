"""archive-etl: raw Vietnamese news articles to a validated, queryable archive.

The library's public API, by stage (imported on first use, so `import archive_etl` stays light):

    build(input_dir, output_dir)      the whole pipeline, as `archive-etl build` runs it
    build_tables(sources)             the same tables in memory (tests, notebooks)
    read_sources(scan(folder))        the read stage: every entry read and decoded
    parse_texts(texts)                the parse stage: header fields, paragraphs, metrics
    validate_package(folder)          what `archive-etl validate` checks
    publish(folder, output)           a BagIt bag of a valid package
    connect(folder)                   a read-only DuckDB connection to a package's database
    TABLES, SOURCE_FILE, ARTICLE, PARAGRAPH, METRIC   the schema
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_API = {
    "build": "archive_etl.build.pipeline",
    "BuildResult": "archive_etl.build.pipeline",
    "build_tables": "archive_etl.build.tables",
    "Tables": "archive_etl.build.tables",
    "scan": "archive_etl.read.sources",
    "read_sources": "archive_etl.read.sources",
    "parse_texts": "archive_etl.parse.texts",
    "validate_package": "archive_etl.archive.validate",
    "publish": "archive_etl.archive.publish",
    "connect": "archive_etl.database.store",
    "TABLES": "archive_etl.schema",
    "SOURCE_FILE": "archive_etl.schema",
    "ARTICLE": "archive_etl.schema",
    "PARAGRAPH": "archive_etl.schema",
    "METRIC": "archive_etl.schema",
}
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:  # noqa: ANN401 - a lazy attribute is whatever its module defines
    """Import a public name from its stage module on first use (PEP 562)."""
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'archive_etl' has no attribute {name!r}")
