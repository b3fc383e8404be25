"""The writers of ``decode --to``: JSON, NDJSON, CSV and a table (laid out by ``_table``), keyed by name."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import IO, Any

import msgspec

from fmtcodec.api import REPLY_PAGES
from fmtcodec.cli._table import cell_text, print_records
from fmtcodec.layout import LAYOUTS
from fmtcodec.records import Error, Ok

_LAYOUT_BY_TYPE = {name: layout for layout in LAYOUTS.values() for name in layout.names}

Writer = Callable[[Any, str, str, IO[bytes]], None]
"""``writer(value, type_name, title, out)``: print a decoded value."""


def rows(value: Any, type_name: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Column names and plain rows of a decoded value (a list, or one Created/Ok/Error)."""
    if isinstance(value, Ok):
        return ["result"], [{"result": "OK"}]
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list):
        columns = list(_LAYOUT_BY_TYPE[type_name].field_names)
    else:
        columns = list(type(value).__struct_fields__)
    plain: list[dict[str, Any]] = msgspec.to_builtins(items)
    if isinstance(value, Error):
        if value.id is None:  # only the send page's errors name a message
            columns.remove("id")
        columns.append("meaning")
        meaning = value.meaning_on(REPLY_PAGES.get(type_name, "contacts"))
        plain[0]["meaning"] = meaning.en if meaning else ""
    return columns, plain


def write_json(value: Any, _type_name: str, _title: str, out: IO[bytes]) -> None:
    out.write(msgspec.json.format(msgspec.json.encode(value), indent=2) + b"\n")


def write_ndjson(value: Any, _type_name: str, _title: str, out: IO[bytes]) -> None:
    for item in value if isinstance(value, list) else [value]:
        out.write(msgspec.json.encode(item) + b"\n")


def write_csv(value: Any, type_name: str, _title: str, out: IO[bytes]) -> None:
    columns, plain = rows(value, type_name)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in plain:
        writer.writerow({key: "" if item is None else item for key, item in row.items()})
    out.write(text.getvalue().encode("utf-8"))


def write_table(value: Any, type_name: str, title: str, out: IO[bytes]) -> None:
    columns, plain = rows(value, type_name)
    shown = [column for column in columns if any(row.get(column) not in ("", None) for row in plain)]
    empty = [column for column in columns if column not in shown] if plain else []
    heading = title
    if isinstance(value, list):
        heading += f": {len(plain)} record" + ("" if len(plain) == 1 else "s")
    out.flush()
    shown = shown or columns
    cells = [[cell_text(row.get(column)) for column in shown] for row in plain]
    print_records(shown, cells, heading, empty)


WRITERS: dict[str, Writer] = {
    "json": write_json,
    "ndjson": write_ndjson,
    "csv": write_csv,
    "table": write_table,
}
"""``decode --to`` choices, in the order ``--help`` lists them."""
