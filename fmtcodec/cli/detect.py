"""``fmtcodec detect``: the fmt, reply kind, charset and record count of each file."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import click
import msgspec

from fmtcodec.api import REPLY_TYPES, decode
from fmtcodec.cli._common import (
    CHARSET_OPTION,
    FMT_OPTION,
    CharsetGuess,
    Failure,
    display_name,
    empty_reply,
    fmt_of,
    guess_charset,
    is_empty,
    note,
    read,
)
from fmtcodec.cli._exit import EXIT_FAILURE
from fmtcodec.errors import ApiError, DecodeError
from fmtcodec.layout import LAYOUTS
from fmtcodec.records import Created, Error, Ok

# What ``detect`` calls each kind, in the order it tries them (error first).
_KIND_NAMES: dict[str, str] = {
    "error": "server error",
    "ok": "OK",
    "created": "created",
    **{
        name: layout.kind.replace("_", " ") + (" list" if layout.shape == "list" else "")
        for layout in LAYOUTS.values()
        for name in layout.names
    },
}
_KIND_NAMES.update(
    blacklist="blacklist",
    statuses="statuses",
    history="history",
    send="send reply",
    cost="cost reply",
    **{"mail-blacklist": "mail blacklist"},
)
_LIST_TYPES = tuple(name for layout in LAYOUTS.values() for name in layout.names)
_CONTACTS_TYPES = tuple(
    name for layout in LAYOUTS.values() if layout.page == "contacts" for name in layout.names
)
_OTHER_TYPES = tuple(name for name in _LIST_TYPES if name not in _CONTACTS_TYPES)
# Kinds are tried a tier at a time and the first tier any kind reads in wins: the replies every
# page shares and the contacts kinds first (so a contact list is not also "a sender list"), the
# other pages' kinds after them, among which an ambiguity is said.
_TIERS = (("error", "ok", "created", *_CONTACTS_TYPES), _OTHER_TYPES)
_DETECT_ORDER = tuple(name for tier in _TIERS for name in tier)
_TIE_ORDER = (*_LIST_TYPES, "created", "ok", "error")


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
    fmt = fmt_of(data, fmt)
    found = Detected(fmt=fmt, charset=guess_charset(data, fmt, charset))
    failures: dict[str, DecodeError] = {}
    values: dict[str, Any] = {}
    for tier in _TIERS:
        for name in tier:
            try:
                values[name] = decode(data, REPLY_TYPES[name], fmt=fmt, charset=charset)
            except ApiError:  # pragma: no cover - "error" is tried first and would have matched
                continue
            except DecodeError as exc:
                failures[name] = exc
                continue
            if name in ("error", "ok", "created"):
                break
        if values:
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
    elif not isinstance(value, list):  # one record of another page: a send reply, a balance ...
        found.kind = " or ".join(_KIND_NAMES[name] for name in found.types)
        if len(found.types) > 1:
            found.kind += " (ambiguous)"
    else:
        found.records = len(value)
        if not value and len(found.types) > 1:
            found.kind = "list (empty)"
        elif len(found.types) > 1:
            found.kind = " or ".join(_KIND_NAMES[name] for name in found.types) + " (ambiguous)"
        else:
            found.kind = _KIND_NAMES[first]
    return found


def _line(name: str, found: Detected) -> str:
    parts = [f"fmt {found.fmt}", found.kind]
    if found.records is not None:
        parts.append(f"{found.records} record" + ("" if found.records == 1 else "s"))
    parts.append(f"{found.charset.label} ({found.charset.why})")
    line = f"{name}: " + ", ".join(parts)
    if found.problem is not None:
        line += f": not a reply of any kind: {found.problem}"
    return line


@click.command(
    epilog="""
Examples:

\b
  fmtcodec detect reply.txt
  fmtcodec detect --json replies/* | jq .kind
  curl -s "$URL" | fmtcodec detect -

The kind is found by decoding the reply as each --type in turn (error first); an empty list reads
the same for every kind and is shown as "list (empty)", and an empty body (no bytes, or only
whitespace) is also noted as "empty reply" on stderr.  Exits 1 when a file is no reply of any
kind (the reason shown is from the kind that read furthest) or cannot be read.
"""
)
# a directory is read like any file: one "cannot read" line, and on to the next file
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@FMT_OPTION
@CHARSET_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file (NDJSON).")
def detect(files: tuple[str, ...], fmt: int | None, charset: str | None, as_json: bool) -> None:
    """Tell each FILE's fmt, reply kind, charset and record count."""
    out = sys.stdout.buffer
    unknown = 0
    for path in files:
        name = display_name(path)
        try:
            data = read(path)
        except Failure as exc:  # one line, and on to the next file
            out.flush()
            exc.show()
            unknown += 1
            continue
        found = detect_reply(data, fmt, charset)
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
        else:
            out.write(_line(name, found).encode("utf-8") + b"\n")
        if is_empty(data):
            out.flush()
            note(empty_reply(name, data))
    out.flush()
    if unknown:
        raise click.exceptions.Exit(EXIT_FAILURE)
