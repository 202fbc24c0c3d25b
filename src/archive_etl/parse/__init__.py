"""Parsing decoded texts into paragraphs, header fields and metrics: pure Polars transforms."""
