"""`archive-etl`: a thin command line over the library functions."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.markup import escape

from archive_etl import __version__
from archive_etl.database.storage import STORAGE_VERSION, STORAGE_VERSIONS

if TYPE_CHECKING:
    from archive_etl.archive.validate import Report
    from archive_etl.build import BuildResult
    from archive_etl.read.sources import Entry

# Below this many files a build takes well under a second: a bar would only flicker.
PROGRESS_MIN_FILES = 200
# Rejected files and header warnings listed on stderr at the most (all are in the package).
SHOWN = 20

err = Console(stderr=True, soft_wrap=True)  # a message stays one line, greppable


@click.group()
@click.version_option(__version__, prog_name="archive-etl")
def main() -> None:
    """Turn raw Vietnamese news articles into a validated, queryable archive."""


def _summary(result: BuildResult, input_dir: Path, warned: int) -> str:
    rows = result.rows
    return (
        f"Built {result.output} from {input_dir}: {result.files} files seen, "
        f"{rows['article']} articles, {result.count('duplicate')} duplicates, "
        f"{result.count('rejected')} rejected; {rows['paragraph']} paragraphs, "
        f"{rows['metric']} metrics, {rows['person']} people named, {rows['document_ref']} documents cited "
        f"in {result.seconds:.2f} s; "
        f"{warned} article{'' if warned == 1 else 's'} with header warnings"
    )


def _header_warnings(result: BuildResult) -> list[tuple[str, str]]:
    """(source_file, warning) of every article whose header had a value that could not be read."""
    import polars as pl

    from archive_etl.archive.checks import header_warnings
    from archive_etl.schema import ARTICLE

    articles = pl.read_parquet(result.output / ARTICLE.path, columns=["source_file", "warning"])
    return header_warnings(articles).rows()


def _print_first(label: str, rows: list[tuple[str, str]], where: str) -> None:
    """The first SHOWN (file, message) rows on stderr, then how many more and where they are."""
    for name, message in rows[:SHOWN]:
        # File names and raw header text may hold '[...]', which rich would read as markup.
        err.print(f"[yellow]{label}[/yellow] {escape(name)}: {escape(message)}", highlight=False)
    if len(rows) > SHOWN:
        err.print(f"... and {len(rows) - SHOWN} more (see {where})")


# The package an analyst's command reads (`sql`, `search`).
PACKAGE_OPTION = click.option(
    "--package",
    "package",
    type=click.Path(path_type=Path),
    default=Path("datapackage"),
    show_default=True,
    help="Package folder holding archive.duckdb.",
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
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Parse cache folder: texts parsed before by the same parser are reused.",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0.0,
    metavar="SECONDS",
    help="If another build is writing the same output, wait this long for it (default: fail at once).",
)
@click.option(
    "--storage-version",
    type=click.Choice(STORAGE_VERSIONS),
    default=STORAGE_VERSION,
    show_default=True,
    help="DuckDB storage version of archive.duckdb: v1.0.0 for clients older than DuckDB 1.2 "
    "(a file several times larger: no zstd).",
)
@click.option("--strict", is_flag=True, help="Exit with status 1 if any input file is rejected.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def build_command(
    input_dir: Path | None,
    output_dir: Path,
    cache_dir: Path | None,
    wait: float,
    storage_version: str,
    strict: bool,
    quiet: bool,
) -> None:
    """Build the Data Package from a folder of raw article files."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from archive_etl.build import build, default_input
    from archive_etl.package.lock import OutputLocked

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
            cache_dir=cache_dir,
            wait=wait,
            storage_version=storage_version,
        )
    except (OSError, ValueError, OutputLocked) as e:
        progress.stop()
        err.print(f"[red]error:[/red] {e}")
        sys.exit(2)
    progress.stop()
    rejected = result.rejected
    if not quiet:
        _print_first("rejected", rejected.rows(), "source_file.parquet")
        warned = _header_warnings(result)
        _print_first("warning", warned, "article.warning")
        click.echo(_summary(result, input_dir, len(warned)))
    if strict and rejected.height:
        err.print(f"[red]--strict:[/red] {rejected.height} input file(s) rejected")
        sys.exit(1)


def print_report(report: Report, console: Console) -> None:
    """The report by resource and error type, with the first offending rows."""
    rows = ", ".join(f"{name} {n:,}" for name, n in report.rows.items())
    if report.valid:
        console.print(f"[green]valid[/green] {report.package}: {rows} rows")
        return
    console.print(f"[red]INVALID[/red] {report.package}: {len(report.problems)} error(s)")
    by_resource: dict[str, list] = {}
    for p in report.problems:
        by_resource.setdefault(p.resource or "(package)", []).append(p)
    for resource, problems in by_resource.items():
        console.print(f"  [bold]{resource}[/bold]")
        for p in problems:
            console.print(f"    {p.type:<17} {p.message}", markup=False, highlight=False)
            for row in p.rows:
                cells = ", ".join(f"{k}={v!r}" for k, v in row.items() if k != "row_number")
                console.print(f"{'':<22}row {row.get('row_number')}: {cells}", markup=False, highlight=False)


@main.command("validate")
@click.argument("package", type=click.Path(path_type=Path), default=Path("datapackage"))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def validate_command(package: Path, as_json: bool) -> None:
    """Check a package: descriptor, files, bytes and hashes, every row, keys. Exit 0 only if valid."""
    from archive_etl.archive.validate import validate_package

    report = validate_package(package)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2, default=str))
    else:
        print_report(report, Console(soft_wrap=True))
    sys.exit(0 if report.valid else 1)


@main.command("publish")
@click.argument("package", type=click.Path(path_type=Path), default=Path("datapackage"))
@click.option(
    "--output",
    "output_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write the bag <name>-<version>/ and its .zip into.",
)
@click.option(
    "--organization",
    default="archive-etl",
    show_default=True,
    help="Source-Organization recorded in bag-info.txt.",
)
def publish_command(package: Path, output_dir: Path, organization: str) -> None:
    """Validate a package, then write it as a BagIt bag (sha256 + sha512) and a zip of the bag."""
    from archive_etl.archive.publish import InvalidPackageError, publish

    try:
        result = publish(package, output_dir, organization=organization)
    except InvalidPackageError as e:
        print_report(e.report, err)
        err.print(f"[red]error:[/red] {e}")
        sys.exit(1)
    click.echo(f"Published {result.identifier}: bag {result.bag}, zip {result.zip}")


@main.command("synth")
@click.option(
    "--articles", "n", type=click.IntRange(min=1), required=True, help="How many articles to write."
)
@click.option(
    "--output",
    "output_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write them into.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed: the same seed, the same files."
)
@click.option(
    "--real",
    "real_dir",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=None,
    help="A folder of real pages (e.g. ../shared/realdev/corpus): four articles in five are "
    "recombined from them instead of the seeds.",
)
def synth_command(n: int, output_dir: Path, seed: int, real_dir: Path | None) -> None:
    """Write a deterministic synthetic corpus recombined from the seeds (about 9 KB an article),
    or mostly from real pages with --real."""
    from archive_etl.devtools.synth import synthesise

    paths = synthesise(n, output_dir, seed=seed, real=real_dir)
    size = sum(p.stat().st_size for p in paths)
    click.echo(f"Wrote {len(paths)} articles ({size / 1e6:.1f} MB) to {output_dir}")


@main.command("sql")
@click.argument("query", required=False)
@PACKAGE_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
)
def sql_command(query: str | None, package: Path, fmt: str) -> None:
    """Run a query against the package's views (read-only) and print the result.

    With no QUERY, open the DuckDB shell on the package, read-only (`.quit` leaves it).

    \b
    archive-etl sql "SELECT unit, metrics FROM unit_counts ORDER BY metrics DESC LIMIT 5"
    archive-etl sql --package /path/to/package
    """
    import duckdb

    from archive_etl.database.store import connect, shell_command
    from archive_etl.results import render

    if query is None:
        source = click.get_current_context().get_parameter_source("fmt")
        if source is not click.core.ParameterSource.DEFAULT:
            raise click.UsageError("--format applies to a QUERY; in the shell, `.mode csv` or `.mode json`")
        try:
            argv = shell_command(package)
        except FileNotFoundError as e:
            err.print(f"[red]error:[/red] {escape(str(e))}", highlight=False)
            sys.exit(2)
        os.execv(argv[0], argv)  # the shell takes over this process: its keys, signals, exit code
    try:
        con = connect(package)
        cursor = con.execute(query)
    except (FileNotFoundError, duckdb.Error) as e:
        err.print(f"[red]error:[/red] {e}", markup=True, highlight=False)
        sys.exit(2)
    columns = [d[0] for d in cursor.description or []]
    render(columns, cursor.fetchall(), fmt, Console(soft_wrap=fmt != "table"))


@main.command("search")
@click.argument("query")
@PACKAGE_OPTION
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Hits to show.")
def search_command(query: str, package: Path, limit: int) -> None:
    """Search the archive's paragraphs, accents optional, best first (the SQL macro `search`).

    \b
    archive-etl search "giai phong mat bang"
    archive-etl search "15-NQ/TU" --limit 5 --package /path/to/package
    """
    import duckdb

    from archive_etl.database.store import connect, search_hits

    try:
        with connect(package) as con:
            hits = search_hits(con, query, limit)
    except (FileNotFoundError, duckdb.Error) as e:
        err.print(f"[red]error:[/red] {escape(str(e))}", highlight=False)
        sys.exit(2)
    out = Console(soft_wrap=True, highlight=False)
    for n, hit in enumerate(hits, 1):
        date = hit["published_at"].strftime("%Y-%m-%d") if hit["published_at"] else "undated"
        phrase = "" if hit["phrase"] else " [dim](words apart)[/dim]"
        out.print(f"[bold]{n}. {escape(hit['title'] or '(untitled)')}[/bold] [dim]{date}[/dim]")
        where = f"{hit['article_id']} ¶{hit['paragraph_no']} {hit['kind']} score {hit['score']}"
        out.print(f"   [dim]{where}[/dim]{phrase}")
        snippet = escape(str(hit["snippet"]))
        if out.is_terminal:  # the match in reverse video; piped, it keeps its « » marks
            snippet = snippet.replace("«", "[reverse]").replace("»", "[/reverse]")
        out.print(f"   {snippet}")
    err.print(f"{len(hits)} hit{'' if len(hits) == 1 else 's'} for {query!r}")
