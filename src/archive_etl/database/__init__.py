"""`archive.duckdb`: the tables and the analysts' views of `sql/`."""
