"""archive-etl: raw Vietnamese news articles to a validated, queryable archive."""

__version__ = "0.1.0"
