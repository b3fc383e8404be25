"""``fmtcodec validate``: check that every file of an archive decodes, with a summary."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from fmtcodec.api import REPLY_TYPES, decode
from fmtcodec.cli._common import (
    CHARSET_OPTION,
    FMT_OPTION,
    STDIN,
    TYPE_OPTION,
    Failure,
    debug,
    display_name,
    is_empty,
    read_stdin,
)
from fmtcodec.cli._exit import EXIT_FAILURE
from fmtcodec.errors import ApiError, DecodeError

_SKIPPED_SUFFIXES = (".expect.json",)
_PROGRESS_MIN_FILES = 50


@dataclass
class Found:
    """The files ``validate`` checks, in order, and how many it skipped on its walk."""

    files: list[str] = field(default_factory=list)
    skipped: int = 0


def _walk(paths: Sequence[str]) -> Found:
    found = Found()
    for given in paths:
        if given != STDIN and Path(given).is_dir():
            for root, dirs, names in os.walk(given):
                found.skipped += sum(name.startswith(".") for name in dirs)
                dirs[:] = sorted(name for name in dirs if not name.startswith("."))
                for name in sorted(names):
                    if _skipped(name):
                        found.skipped += 1
                    else:
                        found.files.append(str(Path(root, name)))
        else:
            found.files.append(given)
    return found


def _skipped(name: str) -> bool:
    return name.startswith(".") or name.endswith(_SKIPPED_SUFFIXES) or name.upper().startswith("README")


def nothing_found(paths: Sequence[str], skipped: int) -> str:
    """What ``validate`` says when its paths (directories, all of them) hold no file to check."""
    why = ""
    if skipped:
        why = f" ({skipped} skipped: hidden files or directories, README files, *.expect.json manifests)"
    return f"nothing to validate: no files in {', '.join(paths)}{why}"


@dataclass
class Tally:
    """What ``validate`` counted."""

    ok: int = 0
    empty: int = 0
    failed: int = 0
    server_errors: Counter[int] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.ok + self.empty + self.failed + sum(self.server_errors.values())

    def summary(self) -> str:
        parts = [f"{self.ok} ok"]
        if self.empty:
            parts.append(f"{self.empty} empty")
        parts.append(f"{self.failed} failed")
        parts += [f"{count} server error {code}" for code, count in sorted(self.server_errors.items())]
        files = "file" if self.total == 1 else "files"
        return f"{self.total} {files}: " + ", ".join(parts)


def failure_line(name: str, exc: DecodeError) -> str:
    """One line for a file that does not decode: file, fmt, byte offset, line:column, reason."""
    fmt = "?" if exc.fmt is None else str(exc.fmt)
    at = f" at {exc.path}" if exc.path else ""
    return f"{name}: fmt {fmt}, byte {exc.pos}, {exc.line}:{exc.column}: {exc.reason}{at}"


def _check(path: str, kind: Any, fmt: int | None, charset: str | None, tally: Tally) -> str | None:
    """Decode one file; the failure line (or ``None``) and the tally updated."""
    name = display_name(path)
    try:
        data = read_stdin() if path == STDIN else Path(path).read_bytes()
    except OSError as exc:
        if debug():
            raise
        tally.failed += 1
        return f"{name}: cannot read: {exc.strerror or exc}"
    if is_empty(data):
        tally.empty += 1
        return None
    try:
        decode(data, kind, fmt=fmt, charset=charset)
    except ApiError as exc:
        tally.server_errors[exc.code] += 1
        return None
    except DecodeError as exc:
        if debug():
            raise
        tally.failed += 1
        return failure_line(name, exc)
    tally.ok += 1
    return None


@click.command(
    epilog="""
Examples:

\b
  fmtcodec validate --type contacts archive/
  fmtcodec validate --type groups --charset windows-1251 a.txt b.txt
  curl -s "$URL" | fmtcodec validate --type groups -

Directories are walked recursively; *.expect.json manifests, README files and hidden files are
skipped.  One line is printed per file that does not decode or cannot be read (file, fmt, byte
offset, line:column, reason), then a summary, and the run goes on past them.  A server error
reply is not a broken file: it is counted as "server error N" in the summary and does not fail
the run.  An empty file (no bytes, or only whitespace) is counted as "empty", apart from the ok
ones, and does not fail the run either.  Exit status: 1 when any file failed to decode or could
not be read, or when the paths hold no file to check; else 0.
""",
)
@TYPE_OPTION
@FMT_OPTION
@CHARSET_OPTION
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Draw a progress bar on stderr, even when it is no terminal (default: when stderr is a"
    " terminal and there are 50 files or more).",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
def validate(
    type_name: str, fmt: int | None, charset: str | None, progress: bool | None, paths: tuple[str, ...]
) -> None:
    """Check that every file decodes as --type.  PATHS are files, directories (walked
    recursively) or - for stdin."""
    found = _walk(paths)
    files = found.files
    if not files:  # only directories were given, and they hold no reply: a mistaken path, likely
        raise Failure(nothing_found(paths, found.skipped))
    tally = Tally()
    kind = REPLY_TYPES[type_name]
    if progress is None:
        progress = sys.stderr.isatty() and len(files) >= _PROGRESS_MIN_FILES
    if progress:
        _validate_with_progress(files, lambda path: _check(path, kind, fmt, charset, tally))
    else:
        for path in files:
            line = _check(path, kind, fmt, charset, tally)
            if line is not None:
                click.echo(line)
    click.echo(tally.summary())
    if tally.failed:
        raise click.exceptions.Exit(EXIT_FAILURE)


def _validate_with_progress(files: list[str], check: Callable[[str], str | None]) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("validating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    # Failure lines go to stdout; when stdout is the terminal the bar is drawn on, they are
    # printed through the bar's console so they scroll above it instead of tearing it.  The bar
    # was asked for (or stderr is a terminal), so it is drawn even where rich would not.
    to_terminal = sys.stdout.isatty()
    console = Console(file=sys.stderr, force_terminal=True)
    with Progress(*columns, console=console, transient=True, redirect_stdout=False) as bar:
        task = bar.add_task("validate", total=len(files))
        for path in files:
            line = check(path)
            if line is not None:
                if to_terminal:
                    console.print(line, markup=False, highlight=False, soft_wrap=True)
                else:
                    click.echo(line)
            bar.advance(task)
