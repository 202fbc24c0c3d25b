"""From what was read and parsed to the package's rows: which file keeps each text, the buckets
texts are parsed in, and the rows of each bucket in the order they are written.

Pure Polars on small frames; `build_tables` composes the same steps in memory for the tests,
the evaluation and the synthetic corpus.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from archive_etl.parse.texts import Parsed, distinct_texts, parse_texts
from archive_etl.schema import ARTICLE, DOCUMENT_REF, METRIC, PARAGRAPH, PERSON, SOURCE_FILE, TABLES, Table

# Texts are spread over buckets by the first hex digits of their article_id (a hash of the
# text), so one new file touches one bucket; a bucket holds about a thousand texts or fewer.
BUCKETS = 16
BUCKET_TEXTS = 1000
# Shards group the buckets by the first hex digit of their name: sixteen units of work whatever
# the corpus size (a bucket of 1,000 texts at 16,000 articles, 16 buckets at 256,000). The
# Dagster assets are partitioned by them.
SHARDS: tuple[str, ...] = tuple("0123456789abcdef")


@dataclass(frozen=True)
class Tables:
    """The package's tables, each conformed to its schema."""

    source_file: pl.DataFrame
    article: pl.DataFrame
    paragraph: pl.DataFrame
    metric: pl.DataFrame
    person: pl.DataFrame
    document_ref: pl.DataFrame

    def items(self) -> list[tuple[Table, pl.DataFrame]]:
        return [(table, getattr(self, table.name)) for table in TABLES]


# Every table but source_file: the rows an article's text yields, written a bucket at a time.
ARTICLE_TABLES: tuple[Table, ...] = (ARTICLE, PARAGRAPH, METRIC, PERSON, DOCUMENT_REF)


def resolve_sources(sources: pl.DataFrame) -> pl.DataFrame:
    """The source_file table: every entry's status, and why a file is not an article (the reason
    reading gave a rejected file; for a duplicate, which file it copies)."""
    sources = sources.sort("source_file")
    decoded = pl.col("article_id").is_not_null()  # set exactly when the file was decoded
    kept = pl.col("source_file").filter(decoded).first().over("article_id")
    kept_sha = pl.col("sha256").filter(decoded).first().over("article_id")
    is_kept = decoded & (pl.col("source_file") == kept)
    return SOURCE_FILE.conform(
        sources.rename({"reason": "read_reason"}).with_columns(
            status=pl.when(~decoded)
            .then(pl.lit("rejected"))
            .when(is_kept)
            .then(pl.lit("article"))
            .otherwise(pl.lit("duplicate")),
            reason=pl.when(~decoded)
            .then("read_reason")
            .when(is_kept)
            .then(None)
            .when(pl.col("sha256") == kept_sha)
            .then(pl.format("byte-identical copy of {}", kept))
            .otherwise(pl.format("same text as {} once decoded", kept)),
        )
    )


def prefix_length(entries: int) -> int:
    """Hex digits of article_id that name a bucket: about `BUCKET_TEXTS` texts a bucket or fewer."""
    length = 1
    while BUCKETS**length * BUCKET_TEXTS < entries:
        length += 1
    return length


def bucket_of(prefix: int) -> pl.Expr:
    """A text's bucket: the first `prefix` hex digits of its article_id."""
    return pl.col("article_id").str.slice(0, prefix)


@dataclass(frozen=True)
class BucketPlan:
    """One bucket: its name and the files that keep its articles (`article_id`, `source_file`,
    `sha256`), in path order."""

    name: str
    files: pl.DataFrame

    @property
    def ids(self) -> list[str]:
        return self.files["article_id"].to_list()

    @property
    def shard(self) -> str:
        return shard_of(self.name)


def shard_of(bucket: str) -> str:
    """The shard of a bucket (or of a parse cache entry, named after its bucket)."""
    return bucket[:1]


def plan_buckets(source_file: pl.DataFrame, prefix: int) -> list[BucketPlan]:
    """The buckets of the articles, in bucket order: the order their rows are written in."""
    kept = source_file.filter(pl.col("status") == "article").select("article_id", "source_file", "sha256")
    groups = kept.with_columns(bucket=bucket_of(prefix)).partition_by(
        "bucket", as_dict=True, maintain_order=True, include_key=False
    )
    return [BucketPlan(name, files) for (name,), files in sorted(groups.items())]


def article_rows(kept: pl.DataFrame, parsed: Parsed) -> Parsed:
    """The article, paragraph, metric, person and document_ref rows of a bucket, in the kept
    files' path order: the one place these tables get their final columns; then the search
    index's share of the parse (the tokens of each distinct text, and the syllables they number)."""
    articles = kept.join(
        parsed.article.select("article_id"), on="article_id", how="semi", maintain_order="left"
    )
    order = articles.select("article_id").with_row_index("_order")
    article = articles.rename({"sha256": "source_sha256"}).join(
        parsed.article.unique("article_id", keep="first"), on="article_id", how="left", maintain_order="left"
    )
    paragraph = parsed.paragraph.join(order, on="article_id").sort("_order", "paragraph_no")
    spans = [
        table.conform(found.join(order, on="article_id").sort("_order", "paragraph_no", "char_start"))
        for table, found in (
            (METRIC, parsed.metric),
            (PERSON, parsed.person),
            (DOCUMENT_REF, parsed.document_ref),
        )
    ]
    article, paragraph = ARTICLE.conform(article), PARAGRAPH.conform(paragraph)
    return Parsed(article, paragraph, *spans, parsed.index, parsed.terms)


def build_tables(sources: pl.DataFrame) -> Tables:
    """All tables from a `sources` frame (see `archive_etl.read.sources`) in memory, rows in the
    order a build writes them (bucket by bucket)."""
    source_file = resolve_sources(sources)
    parsed = parse_texts(distinct_texts(sources))
    rows = [
        article_rows(plan.files, parsed) for plan in plan_buckets(source_file, prefix_length(sources.height))
    ]
    frames = [pl.concat([r.table(t) for r in rows]) if rows else t.empty() for t in ARTICLE_TABLES]
    return Tables(source_file, *frames)
