"""``fmtcodec archive``: a folder of captured replies into one table and an error table
(``pip install 'fmtcodec[arrow]'``; the work is ``fmtcodec.archive``'s)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from fmtcodec.archive import (
    ERROR_SCHEMA,
    SUFFIXES,
    Settings,
    TableWriter,
    archive_files,
    errors_path,
    format_of,
    walk,
)
from fmtcodec.cli._common import CHARSET_OPTION, FMT_OPTION, TYPE_OPTION, Failure
from fmtcodec.cli._exit import EXIT_FAILURE
from fmtcodec.columnar import DEFAULT_BATCH_SIZE, DEFAULT_DECIMAL_SCALE

_PROGRESS_MIN_FILES = 50


@click.command(
    epilog="""
Examples:

\b
  fmtcodec archive --type contacts --to contacts.parquet replies/
  fmtcodec archive --type groups --to groups.csv --jobs 4 2024-*/
  fmtcodec archive --type blacklist --to bl.jsonl --charset cp1251 a.gz

Directories are walked recursively (hidden files, README files and
*.expect.json manifests skipped); a .gz file is read through gzip (told by
its first bytes).  The table has a row per record, with "source" (the file)
and "source_index" (the record's index in it).  Every reply that gave no
records -- one that did not decode, a server error reply, an empty body, a
file that could not be read -- is one row of the error table (by default
NAME.errors.EXT beside --to), with the fmt, byte, line, column, path and
message, or the server's code, meaning and id.  The summary checks that
every file read is a decoded reply or an error row.  Exit status: 1 when a
reply failed to decode or a file could not be read, else 0 (server error
replies and empty bodies do not fail the run).
""",
)
@TYPE_OPTION
@click.option("--to", "to", required=True, metavar="PATH", help="The table to write.")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(list(SUFFIXES)),
    default=None,
    help="Format of the tables (default: told by --to's suffix).",
)
@click.option("--errors", "errors_to", metavar="PATH", default=None,
              help="The error table (default: NAME.errors.EXT beside --to).")
@FMT_OPTION
@CHARSET_OPTION
@click.option("--jobs", type=click.IntRange(1), default=1, show_default=True,
              help="Processes that decode files side by side.")
@click.option("--batch-size", type=click.IntRange(1), default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Rows a batch (a Parquet row group) holds.")
@click.option("--decimal-scale", type=click.IntRange(0, 38), default=DEFAULT_DECIMAL_SCALE, show_default=True,
              help="Decimal places of money columns; more is refused.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Draw a progress bar on stderr (default: when stderr is a terminal and"
    " there are 50 files or more).",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def archive(
    type_name: str,
    to: str,
    format_name: str | None,
    errors_to: str | None,
    fmt: int | None,
    charset: str | None,
    jobs: int,
    batch_size: int,
    decimal_scale: int,
    progress: bool | None,
    paths: tuple[str, ...],
) -> None:
    """Decode every reply file of PATHS into one table (Parquet, Arrow, CSV or
    JSON lines) and an error table."""
    format_name = format_name or format_of(to)
    if format_name is None:
        raise click.UsageError(
            f"cannot tell the format from {to!r}: name it .parquet, .arrow, .csv or .jsonl, or give --format"
        )
    errors_to = errors_to or errors_path(to, format_name)
    if Path(errors_to).resolve() == Path(to).resolve():
        raise click.UsageError("--errors names the same file as --to")
    written = {Path(to).resolve(), Path(errors_to).resolve()}  # a run again over its own folder
    files = [path for path in walk(paths) if Path(path).resolve() not in written]
    settings = Settings(
        type_name, fmt=fmt, charset=charset, batch_size=batch_size, decimal_scale=decimal_scale
    )
    schema = settings.archiver().schema
    try:
        table = TableWriter(to, schema, format_name, row_group_size=batch_size)
        errors = TableWriter(errors_to, ERROR_SCHEMA, format_name, row_group_size=batch_size)
    except OSError as exc:
        raise Failure(f"cannot write: {exc.strerror or exc}: {exc.filename or to}") from exc
    if progress is None:
        progress = sys.stderr.isatty() and len(files) >= _PROGRESS_MIN_FILES
    try:
        with _bar(len(files), progress) as advance:
            tally = archive_files(files, settings, table, errors, jobs=jobs, advance=advance)
    finally:
        table.close()
        errors.close()
    click.echo(tally.summary())
    wrong = tally.check(table.rows, errors.rows)
    click.echo(
        f"{to}: {table.rows} rows; {errors_to}: {errors.rows} rows"
        f" ({tally.replies} = {tally.decoded} decoded + {tally.error_rows} in the error table)"
    )
    if wrong is not None:  # pragma: no cover - a bug in the counting, said rather than hidden
        raise Failure(f"the counts do not add up: {wrong}")
    if tally.failed:
        raise click.exceptions.Exit(EXIT_FAILURE)


@contextmanager
def _bar(total: int, shown: bool) -> Iterator[Callable[[int], None] | None]:
    if not shown:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("archiving"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    console = Console(file=sys.stderr, force_terminal=True)
    with Progress(*columns, console=console, transient=True, redirect_stdout=False) as bar:
        task = bar.add_task("archive", total=total)
        yield lambda done: bar.advance(task, done)
