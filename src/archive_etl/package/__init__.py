"""Writing the Frictionless Data Package: Parquet files, descriptor, dictionary, atomic swap."""
