"""``fmtcodec decode`` (records to stdout) and ``fmtcodec convert`` (the reply in another fmt)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import msgspec

from fmtcodec.api import REPLY_TYPES, decode, encode
from fmtcodec.cli._common import (
    CHARSET_OPTION,
    FMT_OPTION,
    STDIN,
    TYPE_OPTION,
    check_charset,
    display_name,
    empty_reply,
    fail,
    fmt_of,
    guess_charset,
    is_empty,
    note,
    read,
    server_error,
)
from fmtcodec.cli._output import WRITERS
from fmtcodec.errors import ApiError, EncodeError, FmtcodecError
from fmtcodec.records import Created, Error

# A directory is not refused by click (exit 2, a usage message) but read like any other path: one
# line, ``cannot read: Is a directory``, exit 1 -- as docs/cli.md promises for a file that cannot be read.
_FILE_ARGUMENT = click.argument("file", default=STDIN, type=click.Path(allow_dash=True))


def decode_file(path: str, type_name: str, fmt: int | None, charset: str | None) -> tuple[Any, bytes]:
    """The decoded value and the bytes of ``path``; a failure is one line (exit 1, or 3 for a
    server error reply); an empty reply that decodes is noted on stderr."""
    data = read(path)
    name = display_name(path)
    try:
        value = decode(data, REPLY_TYPES[type_name], fmt=fmt, charset=charset)
    except ApiError as exc:
        server_error(exc, name)
    except FmtcodecError as exc:
        fail(exc, f"{name}: {exc}")
    if is_empty(data):
        note(empty_reply(name, data) + ": read as an empty list")
    return value, data


@click.command(
    name="decode",
    epilog="""
Examples:

\b
  fmtcodec decode --type contacts reply.txt
  fmtcodec decode --type groups --to table reply.xml
  fmtcodec decode --type blacklist --charset windows-1251 --to csv \\
      reply.txt > blacklist.csv
  curl -s "$URL" | fmtcodec decode --type contacts --to ndjson | jq .phone

A server error reply (where something other than --type error was asked for) prints the error
and its meaning on stderr and exits 3; a payload that does not decode prints one line with the
fmt, byte offset, line and column and exits 1.  An empty body (no bytes, or only whitespace)
reads as an empty list, and "empty reply" is said on stderr.
""",
)
@TYPE_OPTION
@FMT_OPTION
@CHARSET_OPTION
@click.option(
    "--to",
    "output",
    type=click.Choice(list(WRITERS)),
    default="json",
    show_default=True,
    help="json: one document; ndjson: one record a line; csv: header + rows; table: for reading.",
)
@_FILE_ARGUMENT
def decode_command(type_name: str, fmt: int | None, charset: str | None, output: str, file: str) -> None:
    """Decode a reply and print its records.  FILE is stdin when it is - or missing."""
    value, _ = decode_file(file, type_name, fmt, charset)
    out = sys.stdout.buffer
    title = f"{'<stdin>' if file == STDIN else Path(file).name} ({type_name})"
    WRITERS[output](value, type_name, title, out)
    out.flush()


@click.command(
    epilog="""
Examples:

\b
  fmtcodec convert --type contacts --to-fmt 3 reply.txt > reply.json
  fmtcodec convert --type groups --to-fmt 0 --to-charset windows-1251 \\
      groups.xml > groups.txt
  fmtcodec convert --type created --to-fmt 2 --element group created.txt
  fmtcodec convert --type error --to-fmt 1 --drop-description error.json

The output charset is the input's unless --to-charset is given.  A value the target fmt or
charset cannot carry is refused (exit 1) with the reason; nothing is written then.
""",
)
@TYPE_OPTION
@click.option("--to-fmt", type=click.IntRange(0, 3), required=True, help="fmt to write.")
@FMT_OPTION
@CHARSET_OPTION
@click.option(
    "--to-charset",
    default=None,
    callback=check_charset,
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
@_FILE_ARGUMENT
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
    """Re-encode a reply in another fmt and/or charset, to stdout.  FILE is stdin when it is - or
    missing."""
    if element is not None and type_name != "created":
        raise click.UsageError("--element applies to --type created only")
    if drop_description and type_name != "error":
        raise click.UsageError("--drop-description applies to --type error only")
    value, data = decode_file(file, type_name, fmt, charset)
    if element is not None and isinstance(value, Created):
        value = msgspec.structs.replace(value, element=element)
    if drop_description and isinstance(value, Error):
        value = msgspec.structs.replace(value, error="")
    if to_charset is None:
        to_charset = guess_charset(data, fmt_of(data, fmt), charset).label
    try:
        reply = encode(value, fmt=to_fmt, charset=to_charset)
    except EncodeError as exc:
        hint = ""
        if exc.path == "$.element":
            hint = " (here: pass --element phone|group|mail)"
        elif exc.path == "$.error":
            hint = " (here: pass --drop-description to write the code alone)"
        fail(exc, f"{display_name(file)}: {exc}{hint}")
    out = sys.stdout.buffer
    out.write(reply)
    out.flush()
