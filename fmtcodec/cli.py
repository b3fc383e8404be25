"""The ``fmtcodec`` command line (``pip install 'fmtcodec[cli]'``): detect, decode, convert, validate.

This module is the only one that imports click (and, lazily, rich); ``import fmtcodec`` never
loads it.  Exit codes are the ``EXIT_*`` constants below.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NoReturn

import click
import msgspec

from fmtcodec.api import CODECS, REPLY_TYPES, decode, detect_fmt, encode
from fmtcodec.charset import charset_label, normalize_charset
from fmtcodec.errors import ApiError, DecodeError, EncodeError, FmtcodecError
from fmtcodec.layout import LAYOUTS
from fmtcodec.records import Created, Error, Ok

__all__ = [
    "EXIT_FAILURE",
    "EXIT_OK",
    "EXIT_SERVER_ERROR",
    "EXIT_USAGE",
    "TYPES",
    "cli",
    "main",
]

EXIT_OK = 0
"""Everything decoded (or converted, or validated) fine."""
EXIT_FAILURE = 1
"""A payload did not decode, a value could not be encoded, or a file could not be read."""
EXIT_USAGE = 2
"""Bad command line (click's own usage errors)."""
EXIT_SERVER_ERROR = 3
"""The reply is a server error where something else was asked for."""

TYPES = REPLY_TYPES
"""``--type`` names and the type ``decode`` is given for each."""

# What ``detect`` calls each kind, in the order it tries them (error first).
_KIND_NAMES: dict[str, str] = {
    "error": "server error",
    "ok": "OK",
    "created": "created",
    **{name: f"{layout.kind.replace('_', ' ')} list" for layout in LAYOUTS.values() for name in layout.names},
}
_KIND_NAMES.update(blacklist="blacklist", **{"mail-blacklist": "mail blacklist"})
_LAYOUT_BY_TYPE = {name: layout for layout in LAYOUTS.values() for name in layout.names}
_LIST_TYPES = tuple(name for layout in LAYOUTS.values() for name in layout.names)
_DETECT_ORDER = ("error", "ok", "created", *_LIST_TYPES)
_TIE_ORDER = (*_LIST_TYPES, "created", "ok", "error")

_SKIPPED_SUFFIXES = (".expect.json",)
_PROGRESS_MIN_FILES = 50

# --------------------------------------------------------------------------------------------
# failures and the group


class Failure(click.ClickException):
    """A failure reported as one ``fmtcodec: ...`` line on stderr (exit 1)."""

    exit_code = EXIT_FAILURE

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"fmtcodec: {self.format_message()}", file=file or sys.stderr)


class ServerErrorFailure(Failure):
    """The reply is a server error where something else was asked for (exit 3)."""

    exit_code = EXIT_SERVER_ERROR


class _Group(click.Group):
    """Turns unexpected exceptions into one line (a traceback only with ``--debug``)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if ctx.find_root().params.get("debug"):
                raise
            raise Failure(
                f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)"
            ) from exc


def _debug() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.find_root().params.get("debug"))


def _fail(exc: Exception, message: str, kind: type[Failure] = Failure) -> NoReturn:
    if _debug():
        raise exc
    raise kind(message) from exc


def _server_error(exc: ApiError, name: str) -> NoReturn:
    lines = [f"{name}: {exc}"]
    if exc.meaning_ru:
        lines.append(f"  ({exc.meaning_ru})")
    _fail(exc, "\n".join(lines), ServerErrorFailure)


def _check_charset(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return normalize_charset(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _display_name(path: str) -> str:
    return "<stdin>" if path == "-" else path


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        _fail(exc, f"{path}: cannot read: {exc.strerror or exc}")


def _fmt_of(data: bytes, fmt: int | None) -> int:
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


_FMT_OPTION = click.option(
    "--fmt",
    type=click.IntRange(0, 3),
    default=None,
    help="fmt of the input (default: told from its first characters).",
)
_CHARSET_OPTION = click.option(
    "--charset",
    default=None,
    callback=_check_charset,
    help="Charset of the input (the HTTP header's); default: the XML prolog's, else UTF-8 if valid,"
    " else the provider default windows-1251.",
)
_TYPE_OPTION = click.option(
    "--type",
    "type_name",
    required=True,
    type=click.Choice(list(TYPES)),
    help="What the reply answers: a contact, mail contact, group, blacklist or mail blacklist list;"
    " a create (created), a change or delete (ok); error expects a server error reply.",
)


@click.group(
    name="fmtcodec",
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""
Examples:


  fmtcodec detect replies/*.txt
  fmtcodec decode --type contacts reply.txt
  curl -s "$URL&fmt=3" | fmtcodec decode --type groups --to table
  fmtcodec convert --type contacts --to-fmt 2 reply.txt > reply.xml
  fmtcodec validate --type contacts archive/

Exit codes: 0 ok, 1 decode/encode failure, 2 usage error, 3 server error reply.
""",
)
@click.version_option(package_name="fmtcodec")
@click.option("--debug", is_flag=True, help="Show Python tracebacks instead of one-line errors.")
def cli(debug: bool) -> None:
    """Decode, convert and check SMSC contacts-service replies in every fmt (0 text, 1 CSV,
    2 XML, 3 JSON)."""


# --------------------------------------------------------------------------------------------
# detect


@dataclass
class Detected:
    """What ``detect`` found out about one payload."""

    fmt: int
    charset: CharsetGuess
    types: list[str] = field(default_factory=list)
    kind: str = "unknown"
    records: int | None = None
    problem: str | None = None


def detect_reply(data: bytes, fmt: int | None = None, charset: str | None = None) -> Detected:
    """The fmt, charset and reply kind of ``data``: decodes it as each ``--type`` in turn."""
    fmt = _fmt_of(data, fmt)
    found = Detected(fmt=fmt, charset=guess_charset(data, fmt, charset))
    failures: dict[str, DecodeError] = {}
    values: dict[str, Any] = {}
    for name in _DETECT_ORDER:
        try:
            values[name] = decode(data, TYPES[name], fmt=fmt, charset=charset)
        except ApiError:  # pragma: no cover - "error" is tried first and would have matched
            continue
        except DecodeError as exc:
            failures[name] = exc
            continue
        if name in ("error", "ok", "created"):
            break
    found.types = list(values)
    if not values:
        # The reason shown is the one that read furthest; on a tie, list kinds before the rest
        # ("expected an error reply" at byte 0 says nothing).
        ranked = sorted(failures, key=lambda name: (-failures[name].pos, _TIE_ORDER.index(name)))
        found.problem = str(failures[ranked[0]])
        return found
    first = found.types[0]
    value = values[first]
    if isinstance(value, Error):
        told = f" ({value.error})" if value.error else ""
        found.kind = f"server error {value.error_code}{told}"
    elif isinstance(value, Created):
        found.kind = f"created (id {value.id})"
    elif isinstance(value, Ok):
        found.kind = "OK"
    else:
        found.records = len(value)
        if not value and len(found.types) > 1:
            found.kind = "list (empty)"
        elif len(found.types) > 1:
            found.kind = " or ".join(_KIND_NAMES[name] for name in found.types) + " (ambiguous)"
        else:
            found.kind = _KIND_NAMES[first]
    return found


@cli.command(
    epilog="""
Examples:


  fmtcodec detect reply.txt
  fmtcodec detect --json replies/* | jq .kind
  curl -s "$URL" | fmtcodec detect -

The kind is found by decoding the reply as each --type in turn (error first); an empty list
reads the same for every kind and is shown as "list (empty)".  Exits 1 when a file is no reply
of any kind (the reason shown is from the kind that read furthest).
"""
)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@_FMT_OPTION
@_CHARSET_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file (NDJSON).")
def detect(files: tuple[str, ...], fmt: int | None, charset: str | None, as_json: bool) -> None:
    """Tell each FILE's fmt, reply kind, charset and record count."""
    out = sys.stdout.buffer
    unknown = 0
    for path in files:
        name = _display_name(path)
        found = detect_reply(_read(path), fmt, charset)
        unknown += found.problem is not None
        if as_json:
            row = {
                "file": name,
                "fmt": found.fmt,
                "kind": found.kind,
                "types": found.types,
                "charset": found.charset.label,
                "charset_source": found.charset.why,
                "records": found.records,
                "problem": found.problem,
            }
            out.write(msgspec.json.encode(row) + b"\n")
            continue
        parts = [f"fmt {found.fmt}", found.kind]
        if found.records is not None:
            parts.append(f"{found.records} record" + ("" if found.records == 1 else "s"))
        parts.append(f"{found.charset.label} ({found.charset.why})")
        line = f"{name}: " + ", ".join(parts)
        if found.problem is not None:
            line += f": not a reply of any kind: {found.problem}"
        out.write(line.encode("utf-8") + b"\n")
    out.flush()
    if unknown:
        raise click.exceptions.Exit(EXIT_FAILURE)


# --------------------------------------------------------------------------------------------
# decode


def _decode_file(path: str, type_name: str, fmt: int | None, charset: str | None) -> tuple[Any, bytes]:
    data = _read(path)
    name = _display_name(path)
    try:
        return decode(data, TYPES[type_name], fmt=fmt, charset=charset), data
    except ApiError as exc:
        _server_error(exc, name)
    except FmtcodecError as exc:
        _fail(exc, f"{name}: {exc}")


def _rows(value: Any, type_name: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Column names and plain rows of a decoded value (a list, or one Created/Ok/Error)."""
    if isinstance(value, Ok):
        return ["result"], [{"result": "OK"}]
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list):
        layout = _LAYOUT_BY_TYPE[type_name]
        columns = list(layout.field_names)
    else:
        columns = list(type(value).__struct_fields__)
    rows: list[dict[str, Any]] = msgspec.to_builtins(items)
    if isinstance(value, Error):
        columns.append("meaning")
        rows[0]["meaning"] = value.meaning or ""
    return columns, rows


def _write_csv(value: Any, type_name: str, out: IO[bytes]) -> None:
    columns, rows = _rows(value, type_name)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    if columns:
        writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if item is None else item for key, item in row.items()})
    out.write(text.getvalue().encode("utf-8"))


def _write_table(value: Any, type_name: str, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    columns, rows = _rows(value, type_name)
    shown = [column for column in columns if any(row.get(column) not in ("", None) for row in rows)]
    hidden = [column for column in columns if column not in shown] if rows else []
    count = f"{len(rows)} record" + ("" if len(rows) == 1 else "s") if isinstance(value, list) else ""
    caption = ", ".join(part for part in (count, "empty: " + ", ".join(hidden) if hidden else "") if part)
    table = Table(title=title, caption=caption or None, show_lines=False)
    for column in shown or columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if row.get(column) is None else str(row[column]) for column in shown or columns))
    # On a terminal the table fits its width; in a pipe or file it takes the width it needs.
    width = None if sys.stdout.isatty() else 10_000
    Console(file=sys.stdout, width=width).print(table)


@cli.command(
    name="decode",
    epilog="""
Examples:


  fmtcodec decode --type contacts reply.txt
  fmtcodec decode --type groups --to table reply.xml
  fmtcodec decode --type blacklist --charset windows-1251 --to csv reply.txt > blacklist.csv
  curl -s "$URL&fmt=3" | fmtcodec decode --type contacts --to ndjson - | jq .phone

A server error reply (where something other than --type error was asked for) prints the error
and its meaning on stderr and exits 3; a payload that does not decode prints one line with the
fmt, byte offset, line and column and exits 1.
""",
)
@_TYPE_OPTION
@_FMT_OPTION
@_CHARSET_OPTION
@click.option(
    "--to",
    "output",
    type=click.Choice(["json", "ndjson", "csv", "table"]),
    default="json",
    show_default=True,
    help="json: one document; ndjson: one record a line; csv: header + rows; table: for reading.",
)
@click.argument("file", default="-", type=click.Path(dir_okay=False, allow_dash=True))
def decode_command(type_name: str, fmt: int | None, charset: str | None, output: str, file: str) -> None:
    """Decode a reply (FILE, or stdin when FILE is - or missing) and print its records."""
    value, _ = _decode_file(file, type_name, fmt, charset)
    out = sys.stdout.buffer
    if output == "json":
        out.write(msgspec.json.format(msgspec.json.encode(value), indent=2) + b"\n")
    elif output == "ndjson":
        for item in value if isinstance(value, list) else [value]:
            out.write(msgspec.json.encode(item) + b"\n")
    elif output == "csv":
        _write_csv(value, type_name, out)
    else:
        out.flush()
        shown = "<stdin>" if file == "-" else Path(file).name
        _write_table(value, type_name, f"{shown} ({type_name})")
    out.flush()


# --------------------------------------------------------------------------------------------
# convert


@cli.command(
    epilog="""
Examples:


  fmtcodec convert --type contacts --to-fmt 3 reply.txt > reply.json
  fmtcodec convert --type groups --to-fmt 0 --to-charset windows-1251 groups.xml
  fmtcodec convert --type created --to-fmt 2 --element group created.txt
  fmtcodec convert --type error --to-fmt 1 --drop-description error.json

The output charset is the input's unless --to-charset is given.  A value the target fmt or
charset cannot carry is refused (exit 1) with the reason; nothing is written then.
""",
)
@_TYPE_OPTION
@click.option("--to-fmt", type=click.IntRange(0, 3), required=True, help="fmt to write.")
@_FMT_OPTION
@_CHARSET_OPTION
@click.option(
    "--to-charset",
    default=None,
    callback=_check_charset,
    help="Charset to write (default: the input's).",
)
@click.option(
    "--element",
    type=click.Choice(["phone", "group", "mail"]),
    default=None,
    help="--type created: the fmt 2 root element (phone: contact or blacklist entry, group, mail).",
)
@click.option(
    "--drop-description",
    is_flag=True,
    help="--type error: write the error without its description (fmt 1 '0,-N' has none).",
)
@click.argument("file", default="-", type=click.Path(dir_okay=False, allow_dash=True))
def convert(
    type_name: str,
    to_fmt: int,
    fmt: int | None,
    charset: str | None,
    to_charset: str | None,
    element: str | None,
    drop_description: bool,
    file: str,
) -> None:
    """Re-encode a reply (FILE or stdin) in another fmt and/or charset, to stdout."""
    if element is not None and type_name != "created":
        raise click.UsageError("--element applies to --type created only")
    if drop_description and type_name != "error":
        raise click.UsageError("--drop-description applies to --type error only")
    value, data = _decode_file(file, type_name, fmt, charset)
    if element is not None and isinstance(value, Created):
        value = msgspec.structs.replace(value, element=element)
    if drop_description and isinstance(value, Error):
        value = msgspec.structs.replace(value, error="")
    if to_charset is None:
        to_charset = guess_charset(data, _fmt_of(data, fmt), charset).label
    try:
        reply = encode(value, fmt=to_fmt, charset=to_charset)
    except EncodeError as exc:
        hint = ""
        if exc.path == "$.element":
            hint = " (here: pass --element phone|group|mail)"
        elif exc.path == "$.error":
            hint = " (here: pass --drop-description to write the code alone)"
        _fail(exc, f"{_display_name(file)}: {exc}{hint}")
    out = sys.stdout.buffer
    out.write(reply)
    out.flush()


# --------------------------------------------------------------------------------------------
# validate


def _walk(paths: Sequence[str]) -> Iterator[Path]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(name for name in dirs if not name.startswith("."))
                for name in sorted(names):
                    if not _skipped(name):
                        yield Path(root, name)
        else:
            yield path


def _skipped(name: str) -> bool:
    return (
        name.startswith(".")
        or name.endswith(_SKIPPED_SUFFIXES)
        or name.upper().startswith("README")
    )


@dataclass
class Tally:
    """What ``validate`` counted."""

    ok: int = 0
    failed: int = 0
    server_errors: Counter[int] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.ok + self.failed + sum(self.server_errors.values())

    def summary(self) -> str:
        parts = [f"{self.ok} ok", f"{self.failed} failed"]
        parts += [f"{count} server error {code}" for code, count in sorted(self.server_errors.items())]
        files = "file" if self.total == 1 else "files"
        return f"{self.total} {files}: " + ", ".join(parts)


def failure_line(name: str, exc: DecodeError) -> str:
    """One line for a file that does not decode: file, fmt, byte offset, line:column, reason."""
    fmt = "?" if exc.fmt is None else str(exc.fmt)
    at = f" at {exc.path}" if exc.path else ""
    return f"{name}: fmt {fmt}, byte {exc.pos}, {exc.line}:{exc.column}: {exc.reason}{at}"


def _check(path: Path, type_kind: Any, fmt: int | None, charset: str | None, tally: Tally) -> str | None:
    """Decode one file; the failure line (or ``None``) and the tally updated."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        tally.failed += 1
        return f"{path}: cannot read: {exc.strerror or exc}"
    try:
        decode(data, type_kind, fmt=fmt, charset=charset)
    except ApiError as exc:
        tally.server_errors[exc.code] += 1
        return None
    except DecodeError as exc:
        if _debug():
            raise
        tally.failed += 1
        return failure_line(str(path), exc)
    tally.ok += 1
    return None


@cli.command(
    epilog="""
Examples:


  fmtcodec validate --type contacts archive/
  fmtcodec validate --type groups --charset windows-1251 a.txt b.txt

Directories are walked recursively; *.expect.json manifests, README files and hidden files are
skipped.  One line is printed per file that does not decode (file, fmt, byte offset,
line:column, reason), then a summary.  A server error reply is not a broken file: it is
counted as "server error N" in the summary and does not fail the run.  Exit status: 0 when
every file decoded or is a server error reply, 1 when any file failed to decode or read.
""",
)
@_TYPE_OPTION
@_FMT_OPTION
@_CHARSET_OPTION
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr (default: if a terminal)."
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def validate(
    type_name: str, fmt: int | None, charset: str | None, progress: bool | None, paths: tuple[str, ...]
) -> None:
    """Check that every FILE (and every file under each DIR) decodes as --type."""
    files = list(_walk(paths))
    tally = Tally()
    kind = TYPES[type_name]
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


def _validate_with_progress(files: list[Path], check: Callable[[Path], str | None]) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("validating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    # Failure lines go to stdout; when stdout is the terminal the bar is drawn on, they are
    # printed through the bar's console so they scroll above it instead of tearing it.
    to_terminal = sys.stdout.isatty()
    console = Console(file=sys.stderr)
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


def main(argv: Sequence[str] | None = None) -> None:
    """The console script ``fmtcodec`` (and ``python -m fmtcodec``)."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="fmtcodec")


# The conformance kit's commands (fmtcodec/kit/cli.py); werkzeug loads only when `serve` runs.
from fmtcodec.kit.cli import conform, serve  # noqa: E402

cli.add_command(serve)
cli.add_command(conform)
