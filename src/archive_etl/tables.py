"""The functional core: the `sources` frame in, the package's tables out. No I/O here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import polars as pl

from archive_etl.articles import article_fields
from archive_etl.layout import classify
from archive_etl.lines import paragraphs_from_lines, split_lines
from archive_etl.metrics import extract_metrics
from archive_etl.schema import ARTICLE, METRIC, PARAGRAPH, SOURCE_FILE, TABLES, Table


@dataclass(frozen=True)
class Tables:
    """The package's tables, each conformed to its schema."""

    source_file: pl.DataFrame
    article: pl.DataFrame
    paragraph: pl.DataFrame
    metric: pl.DataFrame

    def items(self) -> list[tuple[Table, pl.DataFrame]]:
        return [(table, getattr(self, table.name)) for table in TABLES]


def resolve_sources(sources: pl.DataFrame) -> pl.DataFrame:
    """Give every entry its status: the first file (by path) of each text is the article."""
    sources = sources.sort("source_file")
    decoded = pl.col("article_id").is_not_null()  # set exactly when the file was decoded
    kept = pl.col("source_file").filter(decoded).first().over("article_id")
    kept_sha = pl.col("sha256").filter(decoded).first().over("article_id")
    is_kept = decoded & (pl.col("source_file") == kept)
    return sources.with_columns(
        status=pl.when(~decoded)
        .then(pl.lit("rejected"))
        .when(is_kept)
        .then(pl.lit("article"))
        .otherwise(pl.lit("duplicate")),
        reason=pl.when(~decoded)
        .then("reason")
        .when(is_kept)
        .then(None)
        .when(pl.col("sha256") == kept_sha)
        .then(pl.format("byte-identical copy of {}", kept))
        .otherwise(pl.format("same text as {} once decoded", kept)),
    )


def paragraphs_of(texts: pl.LazyFrame) -> pl.LazyFrame:
    """Texts (`article_id`, `text`) to classified paragraphs."""
    return classify(paragraphs_from_lines(split_lines(texts)))


@dataclass(frozen=True)
class Parsed:
    """What the text of each distinct article yields, independent of the file it came in."""

    fields: pl.DataFrame  # one row per article_id: header fields, counts and the text
    paragraphs: pl.DataFrame
    metrics: pl.DataFrame

    @staticmethod
    def concat(parts: list[Parsed]) -> Parsed:
        if not parts:
            return parse_texts(pl.DataFrame(schema={"article_id": pl.String, "text": pl.String}))
        return Parsed(*(pl.concat([getattr(p, f) for p in parts]) for f in PARSED_PARTS))

    def only(self, article_ids: pl.Series) -> Parsed:
        """The part of the parse that belongs to the given articles."""
        wanted = article_ids.implode()
        return Parsed(*(getattr(self, f).filter(pl.col("article_id").is_in(wanted)) for f in PARSED_PARTS))


PARSED_PARTS = tuple(f.name for f in dataclasses.fields(Parsed))


def parse_texts(texts: pl.DataFrame) -> Parsed:
    """Parse distinct texts (`article_id`, `text`) into fields, paragraphs and metrics."""
    paragraphs = paragraphs_of(texts.lazy().select("article_id", "text")).collect()
    metrics = extract_metrics(paragraphs.lazy()).collect()
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
    )


def distinct_texts(sources: pl.DataFrame) -> pl.DataFrame:
    """One (`article_id`, `text`) per distinct decoded text."""
    return (
        sources.filter(pl.col("text").is_not_null())
        .unique("article_id", keep="first", maintain_order=True)
        .select("article_id", "text")
    )


def kept_files(resolved: pl.DataFrame) -> pl.DataFrame:
    """The file that keeps each article (`article_id`, `source_file`, `sha256`), in path order."""
    return resolved.filter(pl.col("status") == "article").select("article_id", "source_file", "sha256")


def article_rows(kept: pl.DataFrame, parsed: Parsed) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The article, paragraph and metric rows of the parsed texts, in the kept files' path order."""
    articles = kept.join(
        parsed.fields.select("article_id"), on="article_id", how="semi", maintain_order="left"
    )
    order = articles.select("article_id").with_row_index("_order")
    article = articles.rename({"sha256": "source_sha256"}).join(
        parsed.fields.unique("article_id", keep="first"), on="article_id", how="left", maintain_order="left"
    )
    paragraph = parsed.paragraphs.join(order, on="article_id").sort("_order", "paragraph_no")
    metric = parsed.metrics.join(order, on="article_id").sort("_order", "paragraph_no", "char_start")
    return ARTICLE.conform(article), PARAGRAPH.conform(paragraph), METRIC.conform(metric)


def assemble(sources: pl.DataFrame, parsed: Parsed) -> Tables:
    """The package's tables from the sources and the parse of their distinct texts."""
    resolved = resolve_sources(sources)
    article, paragraph, metric = article_rows(kept_files(resolved), parsed)
    return Tables(SOURCE_FILE.conform(resolved), article, paragraph, metric)


def build_tables(sources: pl.DataFrame) -> Tables:
    """All tables from the raw `sources` frame (see `archive_etl.sources`)."""
    return assemble(sources, parse_texts(distinct_texts(sources)))
