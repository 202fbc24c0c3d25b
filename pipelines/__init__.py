"""The Dagster code location of archive-etl (`dagster dev` from the repo root loads it)."""
