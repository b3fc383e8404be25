"""The layout table (``spec/layout.toml``) as Python objects, and the one place wire text becomes
typed values and back.

Every fmt module asks a ``RecordLayout`` for field names, order and per-fmt names; none keeps a
field list of its own.  The table ships inside the wheel as ``fmtcodec/layout.toml``; in a source
checkout it is read from ``spec/`` directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import msgspec

from fmtcodec import records
from fmtcodec._spec import ERROR_MEANINGS, Meaning, read_table
from fmtcodec.errors import EncodeError, shown

__all__ = [
    "ERROR_MEANINGS",
    "LAYOUTS",
    "FieldLayout",
    "FieldValueError",
    "Meaning",
    "RecordLayout",
    "format_integer",
    "layout_for",
    "parse_integer",
    "reply_integer",
    "reply_number",
]

_ONLY_STR = frozenset({str})

# Server ids, counts and error codes are non-negative numbers in plain ASCII decimal, without
# leading zeros: int() alone would also take " 5", "05", "5_0" and non-ASCII digits, and msgspec's
# lax mode takes "5.0" and "1e3" -- every one of which would come back as different bytes.
INTEGER = "0|[1-9][0-9]*"
_INTEGER = re.compile(INTEGER)


_COLUMN_CHECKS = {
    "int": re.compile(r"(?:0|[1-9][0-9]*)(?:\n(?:0|[1-9][0-9]*))*"),
    "int?": re.compile(r"(?:0|[1-9][0-9]*)?(?:\n(?:0|[1-9][0-9]*)?)*"),
    "blacklist-type": re.compile(r"[012](?:\n[012])*"),
}
_MAX_DIGITS = 4300
_BLACKLIST_TYPES = {str(int(member)): member for member in records.BlacklistType}


def parse_integer(name: str, text: str) -> int:
    """The integer written as ``text`` (see ``_INTEGER``), or ``ValueError``."""
    if _INTEGER.fullmatch(text) is None:
        raise ValueError(f"expected an integer for `{name}`, got {shown(text)}")
    if len(text) > _MAX_DIGITS:  # Python's own limit for reading an int from text
        raise ValueError(f"`{name}` has {len(text)} digits; at most {_MAX_DIGITS} are read")
    return int(text)


def format_integer(name: str, value: object) -> str:
    """The wire text of a server id, count or code; ``ValueError`` for anything else."""
    if type(value) is not int and not isinstance(value, records.BlacklistType):
        raise ValueError(f"`{name}` must be an int, got {shown(value)}")
    if value < 0:
        raise ValueError(f"`{name}` must not be negative, got {shown(value)}")
    try:
        text = str(int(value))
    except ValueError:  # more digits than Python prints
        text = ""
    if not text or len(text) > _MAX_DIGITS:  # what the decoders would refuse to read back
        raise ValueError(f"`{name}` has more than {_MAX_DIGITS} digits; at most {_MAX_DIGITS} are read")
    return text


def reply_number(src: Any, name: str, match: re.Match[str]) -> int:
    """The integer of a one-line fmt 0/1 reply, read by the shared rule (``src`` is a Source)."""
    try:
        return parse_integer(name, match[1])
    except ValueError as exc:
        raise src.error(str(exc), match.start(1), f"$.{name}") from None


def reply_integer(name: str, value: object, fmt: int) -> str:
    """``format_integer`` for the id of a ``Created`` or the code of an ``Error``."""
    try:
        return format_integer(name, value)
    except ValueError as exc:
        raise EncodeError(str(exc), fmt=fmt, path=f"$.{name}") from None


class FieldValueError(ValueError):
    """A wire value does not fit its field; ``field`` is its index in wire order."""

    def __init__(self, field: int, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class FieldLayout:
    """One field: wire name, Python type tag, fmt 3 spelling and fmt 1 token class."""

    name: str
    type: str
    json: str
    fmt1: str

    def parse(self, text: str) -> Any:
        """The typed value of the wire text ``text``; ``ValueError`` when it does not fit."""
        kind = self.type
        if kind == "str":
            return text
        if kind == "int?" and text == "":
            return None
        number = parse_integer(self.name, text)
        if kind == "blacklist-type":
            try:
                return records.BlacklistType(number)
            except ValueError:
                raise ValueError(f"blacklist type must be 0, 1 or 2, got {shown(text)}") from None
        return number

    def format(self, value: Any) -> str:
        """The wire text of a typed value; ``ValueError`` when the value does not fit the field."""
        kind = self.type
        if kind == "str":
            if not isinstance(value, str):
                raise ValueError(f"`{self.name}` must be a str, got {shown(value)}")
            return str.__str__(value)  # a subclass's own characters, whatever its __str__ says
        if value is None and kind == "int?":
            return ""  # absent: written empty in fmt 0/1, left out in fmt 2/3
        if kind == "blacklist-type" and value not in (0, 1, 2):
            raise ValueError(f"`{self.name}` must be a BlacklistType (0, 1 or 2), got {shown(value)}")
        return format_integer(self.name, value)


@dataclass(frozen=True)
class RecordLayout:
    """One record kind of the table: its record type, names and fields in wire order."""

    kind: str
    record: type[msgspec.Struct]
    service: str
    xml_item: str
    created_xml: str
    names: tuple[str, ...]
    fields: tuple[FieldLayout, ...]

    @cached_property
    def field_names(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)

    @cached_property
    def all_text(self) -> bool:
        """Every field is ``str``: wire text is the value, no conversion needed."""
        return all(field.type == "str" for field in self.fields)

    @cached_property
    def json_bare(self) -> tuple[bool, ...]:
        """Per field, whether fmt 3 writes it as a bare JSON number (its ``json`` spelling is
        ``number``) rather than a string.  A text field spelled ``number`` is bare only where its
        text is an integer (``INTEGER``); any other text of it is written as a string."""
        return tuple(field.json == "number" for field in self.fields)

    @cached_property
    def required(self) -> frozenset[str]:
        """Fields the record cannot be built without."""
        return frozenset(
            field.name
            for field in msgspec.structs.fields(self.record)
            if field.required
        )

    def from_texts(self, texts: Sequence[str]) -> Any:
        """The record from the wire texts of all fields, in wire order."""
        if self.all_text:
            return self.record(*texts)
        values = []
        for index, (field, text) in enumerate(zip(self.fields, texts, strict=True)):
            try:
                values.append(field.parse(text))
            except ValueError as exc:
                raise FieldValueError(index, str(exc)) from None
        return self.record(*values)

    def from_columns(self, columns: Sequence[Sequence[str]], *, checked: bool = False) -> list[Any] | None:
        """Records from the wire texts of all rows, one list per field (the fast paths' builder).

        ``None`` when a value does not fit its field: the caller's general path then finds it and
        says where.  Whole columns are checked by one C-level match each, not value by value --
        unless the caller has ``checked`` each value against ``_COLUMN_CHECKS`` already.
        """
        typed: list[Any] = []
        for field, column in zip(self.fields, columns, strict=True):
            kind = field.type
            if kind == "str":
                typed.append(column)
                continue
            if not checked:
                joined = "\n".join(column)
                if joined.count("\n") != len(column) - 1 or _COLUMN_CHECKS[kind].fullmatch(joined) is None:
                    return None  # (a line break inside a value would pass the whole-column check)
            try:
                if kind == "int":
                    typed.append(list(map(int, column)))
                elif kind == "int?":
                    typed.append([int(text) if text else None for text in column])
                else:
                    typed.append(list(map(_BLACKLIST_TYPES.__getitem__, column)))
            except (ValueError, KeyError):  # more digits than Python reads
                return None
        return list(map(self.record, *typed))

    def from_mapping(self, found: Mapping[str, str]) -> Any:
        """The record from wire texts keyed by field name; absent fields take their default."""
        values: dict[str, Any] = {}
        for index, field in enumerate(self.fields):
            if field.name in found:
                try:
                    values[field.name] = field.parse(found[field.name])
                except ValueError as exc:
                    raise FieldValueError(index, str(exc)) from None
        missing = self.required.difference(values)
        if missing:
            first = min(self.field_names.index(name) for name in missing)
            raise FieldValueError(first, f"required field `{self.fields[first].name}` is missing")
        return self.record(**values)

    def to_texts(self, record: Any) -> list[str]:
        """The wire texts of a record's fields, in wire order; ``FieldValueError`` for a value
        the record's type does not allow (records are not validated when constructed)."""
        values = list(msgspec.structs.astuple(record))
        if self.all_text and set(map(type, values)) <= _ONLY_STR:
            return values
        texts = []
        for index, (field, value) in enumerate(zip(self.fields, values, strict=True)):
            try:
                texts.append(field.format(value))
            except ValueError as exc:
                raise FieldValueError(index, str(exc)) from None
        return texts

    def text_columns(self, records: Sequence[Any]) -> list[tuple[str, ...]] | None:
        """For the encoders' fast paths: one tuple of texts per field, when every field of this
        kind is text and every value a ``str`` (``None`` otherwise: the general path decides)."""
        if not self.all_text or not records:
            return None
        columns = list(zip(*map(msgspec.structs.astuple, records), strict=True))
        for column in columns:
            if not set(map(type, column)) <= _ONLY_STR:
                return None  # not a str, or a subclass: the general path names the row, or writes
                # the subclass's characters (``FieldLayout.format``), the same rule on every path
        return columns

    def wire_rows(self, records: Sequence[Any], fmt: int) -> list[Sequence[str]]:
        """The wire texts of every record, a row each (``wire_texts``), with nothing checked but
        the values' types: what the server writes when it escapes nothing."""
        columns = self.text_columns(records)
        if columns is not None:
            return list(zip(*columns, strict=True))
        return [self.wire_texts(record, row, fmt) for row, record in enumerate(records)]

    def wire_texts(self, record: Any, row: int, fmt: int) -> list[str]:
        """``to_texts`` for an encoder: a value that does not fit is an ``EncodeError``."""
        try:
            return self.to_texts(record)
        except FieldValueError as exc:
            raise EncodeError(exc.reason, fmt=fmt, path=f"$[{row}].{self.fields[exc.field].name}") from None


def _build() -> dict[str, RecordLayout]:
    layouts = {}
    for kind, entry in read_table()["kinds"].items():
        layouts[kind] = RecordLayout(
            kind=kind,
            record=getattr(records, entry["record"]),
            service=entry["service"],
            xml_item=entry["xml_item"],
            created_xml=entry["created_xml"],
            names=tuple(entry["names"]),
            fields=tuple(FieldLayout(**field) for field in entry["fields"]),
        )
    return layouts


LAYOUTS = _build()
"""Record layouts by kind, as ``spec/layout.toml`` gives them."""

_BY_RECORD = {layout.record: layout for layout in LAYOUTS.values()}


def layout_for(record: type) -> RecordLayout | None:
    """The layout of a record type, ``None`` if it is not a list record of the contacts service."""
    return _BY_RECORD.get(record)
