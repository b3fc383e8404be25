"""What every command shares: one-line failures, reading a file or stdin, notes on stderr, the
charset guess, and the ``--type``/``--fmt``/``--charset`` options."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NoReturn

import click

from fmtcodec.api import CODECS, REPLY_TYPES, detect_fmt
from fmtcodec.charset import charset_label, normalize_charset
from fmtcodec.cli._exit import EXIT_FAILURE, EXIT_SERVER_ERROR
from fmtcodec.errors import ApiError, DecodeError

STDIN = "-"


class Failure(click.ClickException):
    """A failure reported as one ``fmtcodec: ...`` line on stderr (exit 1)."""

    exit_code = EXIT_FAILURE

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"fmtcodec: {self.format_message()}", file=file or sys.stderr)


class ServerErrorFailure(Failure):
    """The reply is a server error where something else was asked for (exit 3)."""

    exit_code = EXIT_SERVER_ERROR


def debug() -> bool:
    """``--debug`` was given: raise instead of printing one line."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.find_root().params.get("debug"))


def fail(exc: Exception, message: str, kind: type[Failure] = Failure) -> NoReturn:
    if debug():
        raise exc
    raise kind(message) from exc


def server_error(exc: ApiError, name: str) -> NoReturn:
    lines = [f"{name}: {exc}"]
    if exc.meaning_ru:
        lines.append(f"  ({exc.meaning_ru})")
    fail(exc, "\n".join(lines), ServerErrorFailure)


def note(message: str) -> None:
    """A remark on stderr that is not a failure."""
    click.echo(f"fmtcodec: {message}", err=True)


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def read_stdin() -> bytes:
    if sys.stdin.isatty():
        note("reading the reply from stdin (end it with Ctrl-D; see --help)")
    return sys.stdin.buffer.read()


def read(path: str) -> bytes:
    """The bytes of ``path`` (stdin for ``-``); a file that cannot be read is a ``Failure``."""
    if path == STDIN:
        return read_stdin()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        fail(exc, f"{path}: cannot read: {exc.strerror or exc}")


def is_empty(data: bytes) -> bool:
    """No reply at all: no bytes, or only whitespace (what a failed ``curl`` leaves)."""
    return not data.strip()


def empty_reply(name: str, data: bytes) -> str:
    what = "no bytes" if not data else f"{len(data)} byte{'' if len(data) == 1 else 's'} of whitespace"
    return f"{name}: empty reply ({what})"


def fmt_of(data: bytes, fmt: int | None) -> int:
    return detect_fmt(data) if fmt is None else fmt


@dataclass(frozen=True)
class CharsetGuess:
    """The charset a payload is read in, and why."""

    label: str
    why: str


def guess_charset(data: bytes, fmt: int, given: str | None) -> CharsetGuess:
    """The charset ``decode`` reads ``data`` in: given > declared (fmt 2) > UTF-8 if valid > 1251."""
    if given is not None:
        return CharsetGuess(charset_label(given), "given")
    try:
        declared = CODECS[fmt].declared_charset(data)
    except DecodeError:
        declared = None
    if declared is not None:
        return CharsetGuess(charset_label(declared), "declared")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return CharsetGuess("windows-1251", "not UTF-8, provider default")
    return CharsetGuess("utf-8", "valid UTF-8")


def check_charset(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return normalize_charset(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


FMT_OPTION = click.option(
    "--fmt",
    type=click.IntRange(0, 3),
    default=None,
    help="fmt of the input (default: told from its first characters).",
)
CHARSET_OPTION = click.option(
    "--charset",
    default=None,
    callback=check_charset,
    help="Charset of the input (the HTTP header's); default: the XML prolog's, else UTF-8 if valid,"
    " else the provider default windows-1251.",
)
TYPE_OPTION = click.option(
    "--type",
    "type_name",
    required=True,
    type=click.Choice(list(REPLY_TYPES)),
    metavar="TYPE",
    help="What the reply answers: a list of contacts, groups, blacklist entries, mail-contacts or"
    " mail-blacklist entries; created (a create); ok (a change or delete); error: a server error"
    " reply is expected.",
)
