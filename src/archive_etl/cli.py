"""`archive-etl`: a thin command line over the library functions."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from archive_etl import __version__
from archive_etl.build import BuildResult, build, default_input
from archive_etl.sources import Entry

# Below this many files a build takes well under a second: a bar would only flicker.
PROGRESS_MIN_FILES = 200

err = Console(stderr=True)


@click.group()
@click.version_option(__version__, prog_name="archive-etl")
def main() -> None:
    """Turn raw Vietnamese news articles into a validated, queryable archive."""


def _summary(result: BuildResult, input_dir: Path) -> str:
    t = result.tables
    return (
        f"Built {result.output} from {input_dir}: {result.files} files seen, "
        f"{t.article.height} articles, {result.count('duplicate')} duplicates, "
        f"{result.count('rejected')} rejected; {t.paragraph.height} paragraphs, "
        f"{t.metric.height} metrics in {result.seconds:.2f} s"
    )


@main.command("build")
@click.option(
    "--input",
    "input_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of raw article files (default: seeds/).",
)
@click.option(
    "--output",
    "output_dir",
    type=click.Path(path_type=Path),
    default=Path("datapackage"),
    show_default=True,
    help="Package folder to write (replaced atomically).",
)
@click.option("--strict", is_flag=True, help="Exit with status 1 if any input file is rejected.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def build_command(input_dir: Path | None, output_dir: Path, strict: bool, quiet: bool) -> None:
    """Build the Data Package from a folder of raw article files."""
    input_dir = input_dir or default_input()
    progress = Progress(
        TextColumn("reading"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    task = progress.add_task("read", total=None)

    def on_scan(entries: list[Entry]) -> None:
        progress.update(task, total=len(entries))
        if len(entries) >= PROGRESS_MIN_FILES and not quiet:
            progress.start()

    try:
        result = build(
            input_dir,
            output_dir,
            on_scan=on_scan,
            progress=lambda done: progress.update(task, completed=done),
        )
    except (OSError, ValueError) as e:
        progress.stop()
        err.print(f"[red]error:[/red] {e}")
        sys.exit(2)
    progress.stop()
    rejected = result.rejected
    if not quiet:
        for name, reason in rejected.head(20).iter_rows():
            err.print(f"[yellow]rejected[/yellow] {name}: {reason}")
        if rejected.height > 20:
            err.print(f"... and {rejected.height - 20} more (see source_file.parquet)")
        click.echo(_summary(result, input_dir))
    if strict and rejected.height:
        err.print(f"[red]--strict:[/red] {rejected.height} input file(s) rejected")
        sys.exit(1)
