"""`python -m archive_etl` runs the CLI."""

from archive_etl.cli import main

main()
