"""Parsing distinct texts into header fields, paragraphs, metrics, people and documents cited.
No I/O here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import polars as pl

from archive_etl.parse.articles import article_fields
from archive_etl.parse.documents import MARKS as DOCUMENT_MARKS
from archive_etl.parse.documents import extract_documents
from archive_etl.parse.layout import classify
from archive_etl.parse.lines import paragraphs_from_lines, split_lines
from archive_etl.parse.metrics import MARKS as METRIC_MARKS
from archive_etl.parse.metrics import extract_metrics
from archive_etl.parse.people import MARKS as PEOPLE_MARKS
from archive_etl.parse.people import extract_people
from archive_etl.parse.spans import KEYS, span_id
from archive_etl.parse.terms import TEXT_KEY, index_terms, text_key
from archive_etl.parse.tokens import Tokens, cut
from archive_etl.schema import DOCUMENT_REF, METRIC, PARAGRAPH, PERSON, Table


def paragraphs_of(texts: pl.LazyFrame) -> pl.LazyFrame:
    """Texts (`article_id`, `text`) to classified paragraphs."""
    return classify(paragraphs_from_lines(split_lines(texts)))


# What the extractors read of the words: the marks of each, on the one token pass.
MARKS = {**METRIC_MARKS, **DOCUMENT_MARKS, **PEOPLE_MARKS}


def tokens_of(paragraphs: pl.DataFrame) -> Tokens:
    """The one token pass over classified paragraphs, for every extractor."""
    return cut(paragraphs, MARKS)


@dataclass(frozen=True)
class Parsed:
    """The rows of each table but source_file, named as the tables are, and the search index's
    share. As the parse makes them, what the text of each distinct article yields, independent of
    the file it came in; once `build.tables.article_rows` has given each its file, a bucket's rows
    as the package holds them."""

    article: pl.DataFrame  # one row per article_id: header fields, counts and the text
    paragraph: pl.DataFrame
    metric: pl.DataFrame
    person: pl.DataFrame
    document_ref: pl.DataFrame
    # The search index's share (parse/terms.py): each distinct paragraph text's tokens, and the
    # syllables they number, for every article of the batch (so not cut by `only`).
    index: pl.DataFrame
    terms: pl.DataFrame

    def table(self, table: Table) -> pl.DataFrame:
        return getattr(self, table.name)

    def only(self, article_ids: pl.Series) -> Parsed:
        """The part of the parse that belongs to the given articles: their rows, the tokens of
        their paragraphs' texts, and the batch's syllables (which those tokens number)."""
        wanted = article_ids.implode()
        mine = {
            name: getattr(self, name).filter(pl.col("article_id").is_in(wanted))
            for name in PARSED_PARTS
            if name not in ("index", "terms")
        }
        texts = mine["paragraph"].select(**text_key(pl.col("text")))
        index = self.index.join(texts, on=list(TEXT_KEY), how="semi")
        return Parsed(**mine, index=index, terms=self.terms)


PARSED_PARTS = tuple(f.name for f in dataclasses.fields(Parsed))


def parse_texts(texts: pl.DataFrame) -> Parsed:
    """Parse distinct texts (`article_id`, `text`) into fields, paragraphs, metrics, people,
    documents cited and the search index's share."""
    paragraphs = paragraphs_of(texts.lazy().select("article_id", "text")).collect()
    # What the extractors and the index find in a paragraph depends on its text and kind alone:
    # each distinct pair is read once, and what it yields goes to every paragraph that has it
    # (news repeats bylines, captions and boilerplate).
    distinct = paragraphs.select("text", "kind").unique(maintain_order=True).with_row_index("_u")
    copies = paragraphs.select(*KEYS, "text", "kind").join(
        distinct, on=["text", "kind"], maintain_order="left"
    )
    reads = distinct.select(
        article_id=pl.lit("", pl.String), paragraph_no=pl.col("_u").cast(pl.Int64), kind="kind", text="text"
    )
    # Every extractor and the index read the one token pass over those paragraphs.
    words = tokens_of(reads)
    metrics = extract_metrics(words)
    people = extract_people(words)
    documents = extract_documents(words)
    terms, index = index_terms(words)
    metrics, people, documents = (
        _to_copies(found, copies, id_column)
        for found, id_column in ((metrics, "metric_id"), (people, "person_id"), (documents, "ref_id"))
    )
    counts = metrics.group_by("article_id").agg(metric_count=pl.len().cast(pl.Int64))
    fields = (
        texts.select("article_id", "text")
        .join(article_fields(paragraphs.lazy()).collect(), on="article_id", how="left")
        .join(counts, on="article_id", how="left")
        .with_columns(pl.col("metric_count").fill_null(0))
    )
    return Parsed(
        fields,
        PARAGRAPH.conform(paragraphs),
        METRIC.conform(metrics),
        PERSON.conform(people),
        DOCUMENT_REF.conform(documents),
        index,
        terms,
    )


def _to_copies(found: pl.DataFrame, copies: pl.DataFrame, id_column: str) -> pl.DataFrame:
    """Rows found in distinct paragraphs (numbered by `paragraph_no`) given to every paragraph
    with that text and kind, in reading order, with their own keys and id."""
    keys = copies.select(*KEYS, _u=pl.col("_u").cast(pl.Int64))
    given = (
        found.rename({"article_id": "_none", "paragraph_no": "_u"}).join(keys, on="_u").drop("_none", "_u")
    )
    return given.with_columns(span_id().alias(id_column)).select(found.columns)


def distinct_texts(sources: pl.DataFrame) -> pl.DataFrame:
    """One (`article_id`, `text`) per distinct decoded text."""
    return (
        sources.filter(pl.col("text").is_not_null())
        .unique("article_id", keep="first", maintain_order=True)
        .select("article_id", "text")
    )
