"""Tools for the people who build archive-etl: synthetic corpora, evaluation, docs."""
