"""The functional core: the `sources` frame in, the package's tables out. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from archive_etl.articles import article_fields
from archive_etl.layout import classify
from archive_etl.lines import paragraphs_from_lines, split_lines
from archive_etl.metrics import extract_metrics
from archive_etl.schema import ARTICLE, METRIC, PARAGRAPH, SOURCE_FILE, Table


@dataclass(frozen=True)
class Tables:
    """The package's tables, each conformed to its schema."""

    source_file: pl.DataFrame
    article: pl.DataFrame
    paragraph: pl.DataFrame
    metric: pl.DataFrame

    def items(self) -> list[tuple[Table, pl.DataFrame]]:
        return [
            (SOURCE_FILE, self.source_file),
            (ARTICLE, self.article),
            (PARAGRAPH, self.paragraph),
            (METRIC, self.metric),
        ]


def resolve_sources(sources: pl.DataFrame) -> pl.DataFrame:
    """Give every entry its status: the first file (by path) of each text is the article."""
    sources = sources.sort("source_file")
    decoded = pl.col("text").is_not_null()
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


def build_tables(sources: pl.DataFrame) -> Tables:
    """All tables from the raw `sources` frame (see `archive_etl.sources`)."""
    resolved = resolve_sources(sources)
    articles = resolved.filter(pl.col("status") == "article")
    paragraphs = paragraphs_of(articles.lazy().select("article_id", "text")).collect()
    fields = article_fields(paragraphs.lazy()).collect()
    # Rows follow their articles' order (by source path), then reading order.
    order = articles.select("article_id").with_row_index("_order")
    metric = (
        extract_metrics(paragraphs.lazy())
        .collect()
        .join(order, on="article_id")
        .sort("_order", "paragraph_no", "char_start")
    )
    metric_counts = metric.group_by("article_id").agg(metric_count=pl.len().cast(pl.Int64))
    article = (
        articles.rename({"sha256": "source_sha256"})
        .join(fields, on="article_id", how="left", maintain_order="left")
        .join(metric_counts, on="article_id", how="left", maintain_order="left")
        .with_columns(pl.col("metric_count").fill_null(0))
    )
    paragraph = paragraphs.join(order, on="article_id").sort("_order", "paragraph_no")
    return Tables(
        source_file=SOURCE_FILE.conform(resolved),
        article=ARTICLE.conform(article),
        paragraph=PARAGRAPH.conform(paragraph),
        metric=METRIC.conform(metric),
    )
