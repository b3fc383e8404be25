"""What the fast paths share: a list's values as whole columns, the wire text of a column (and
the typed values of a column of wire texts, for the fast readers), and every record written by
one C-level join.

A fast path takes a list only when it knows every field's type (``str``, ``int``, ``int?``,
``blacklist-type``); any other type in the layout table, and any value the general path might
refuse or spell otherwise, makes it decline (``None``): the general path then writes the list, or
says which value it refuses.  Nothing here is called once per value from Python: columns come from
slicing one flat list, checks are C-level passes over a column (``set(map(type, ...))``,
``min``/``max``, a join), and the reply is one ``str.join`` of constants and columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from itertools import chain, repeat
from typing import Any

import msgspec

from fmtcodec import _core
from fmtcodec.layout import INTEGER, FieldLayout, RecordLayout
from fmtcodec.records import BlacklistType

__all__ = [
    "FieldSlots",
    "column_texts",
    "column_values",
    "compiled_reply",
    "join_records",
    "number_texts",
    "value_columns",
]

NUMERIC = ("int", "int?", "blacklist-type")
"""The field types ``number_texts`` writes; ``str`` is each fmt's own business; others decline."""

_INTEGER_TYPES = frozenset({int, BlacklistType})  # what ``layout.format_integer`` takes
_DIGITS_LIMIT = 10**4300  # ``layout._MAX_DIGITS`` digits: the decoders read no more
_BLACKLIST_TYPES = frozenset({0, 1, 2})
_int_text = int.__repr__  # decimal digits, also for a BlacklistType (an int subclass)


def value_columns(records: Sequence[Any], width: int) -> list[list[Any]]:
    """The records' field values, one list per field in wire order (the struct's own order)."""
    flat = list(chain.from_iterable(map(msgspec.structs.astuple, records)))
    return [flat[field::width] for field in range(width)]


def number_texts(kind: str, column: Sequence[Any]) -> list[str] | list[str | None] | None:
    """The decimal text of every value of a numeric column (``None`` for an absent ``int?``),
    exactly as ``FieldLayout.format`` writes it; ``None`` when ``kind`` is not a numeric type this
    knows, or a value is not an int, is negative, too long, or not a blacklist type: the general
    path then says which."""
    if kind not in NUMERIC:
        return None
    present = [value for value in column if value is not None] if kind == "int?" else column
    if not set(map(type, present)) <= _INTEGER_TYPES:
        return None
    if present and (min(present) < 0 or max(present) >= _DIGITS_LIMIT):
        return None
    if kind == "blacklist-type" and not set(present) <= _BLACKLIST_TYPES:
        return None
    try:
        texts = list(map(_int_text, present))
    except ValueError:  # more digits than this interpreter prints
        return None
    if present is column:
        return texts
    found = iter(texts)
    return [None if value is None else next(found) for value in column]


# ``FieldLayout.parse``'s rule of each type, for a whole column joined by line breaks (one C-level
# match a column); the text types take any text.  ``signed`` is ``-?`` and an integer, but not -0.
_TEXT_TYPES = frozenset({"str", "date-time"})
_VALUE_RULES = {
    "int": INTEGER,
    "ts": INTEGER,
    "signed": "0|-?[1-9][0-9]*",
    "decimal": rf"-?(?:{INTEGER})(?:\.[0-9]+)?",
    "id": "[A-Za-z0-9._-]+",
    "blacklist-type": "[012]",
}
_COLUMN_RULES = {
    kind: re.compile(f"(?:{rule})(?:\n(?:{rule}))*").fullmatch for kind, rule in _VALUE_RULES.items()
}
_NUMBER_TYPES = frozenset({"int", "ts", "signed", "decimal", "blacklist-type"})  # at most 4300 digits
_MAX_DIGITS = 4300  # ``layout._MAX_DIGITS``
_BLACKLIST_MEMBERS = {str(int(member)): member for member in BlacklistType}


def column_values(
    field: FieldLayout, column: Sequence[str], *, empty_is_none: bool = False
) -> list[Any] | None:
    """The typed values of a column of wire texts, none holding a line break, as
    ``FieldLayout.parse`` gives them one by one: an empty text of an optional field is ``None``
    where that field is not text, or everywhere when ``empty_is_none`` (fmt 1's ``?`` classes).
    ``None`` when a value does not fit (the caller's general path then says where), or for a type
    this does not know.  The whole column is checked by one match, and converted by one ``map``."""
    base = field.base
    if base not in _TEXT_TYPES and base not in _VALUE_RULES:
        return None
    absent = field.optional and (empty_is_none or base not in _TEXT_TYPES) and "" in column
    present = [text for text in column if text] if absent else column
    values: Sequence[Any]
    if base in _TEXT_TYPES or not present:
        values = present
    else:
        if _COLUMN_RULES[base]("\n".join(present)) is None:
            return None
        if base in _NUMBER_TYPES and max(map(len, present)) > _MAX_DIGITS:
            return None  # what ``parse`` refuses to read
        if base == "decimal":
            values = list(map(Decimal, present))
        elif base == "id":
            values = present
        elif base == "blacklist-type":
            values = list(map(_BLACKLIST_MEMBERS.__getitem__, present))
        else:
            values = list(map(int, present))
    if not absent:
        return values if isinstance(values, list) else list(values)
    found = iter(values)
    return [next(found) if text else None for text in column]


_EXACT_TEXT = frozenset({str})
_EXACT_DECIMAL = frozenset({Decimal})
_SIGNED_TYPES = frozenset({int})


def column_texts(field: FieldLayout, column: Sequence[Any]) -> list[str] | None:
    """The wire text of every value of a column, exactly as ``FieldLayout.format`` writes it one
    by one (``""`` for the ``None`` of an optional field); ``None`` where ``format`` might refuse a
    value or spell it otherwise (not the exact type, a str subclass, an id or amount the rules do
    not take, too many digits): the general path then writes it, or says why not."""
    base = field.base
    if field.optional and None in column:
        present = [value for value in column if value is not None]
    else:
        present = list(column)
    texts: list[str]
    if not present:
        texts = []
    elif base in _TEXT_TYPES or base == "id":
        if not set(map(type, present)) <= _EXACT_TEXT:
            return None
        if base == "id":
            joined = "\n".join(present)
            if joined.count("\n") != len(present) - 1 or _COLUMN_RULES["id"](joined) is None:
                return None
        texts = present
    elif base == "decimal":
        if not set(map(type, present)) <= _EXACT_DECIMAL or not all(map(Decimal.is_finite, present)):
            return None
        texts = list(map(format, present, repeat("f")))
        if max(map(len, texts)) > _MAX_DIGITS:
            return None
    elif base == "signed":
        if not set(map(type, present)) <= _SIGNED_TYPES:
            return None
        if min(present) <= -_DIGITS_LIMIT or max(present) >= _DIGITS_LIMIT:
            return None
        try:
            texts = list(map(_int_text, present))
        except ValueError:  # more digits than this interpreter prints
            return None
    elif base in ("int", "ts", "blacklist-type"):
        found = number_texts("int" if base == "ts" else base, present)
        if found is None:
            return None
        texts = found  # type: ignore[assignment]
    else:
        return None
    if len(present) == len(column):
        return texts
    written = iter(texts)
    return ["" if value is None else next(written) for value in column]


class FieldSlots:
    """How one field is written around its value: ``opening`` before, ``closing`` after; an
    ``optional`` field's value carries both itself (its texts are the whole element, or empty)."""

    __slots__ = ("closing", "opening", "optional")

    def __init__(self, opening: str, closing: str = "", *, optional: bool = False) -> None:
        self.opening = opening
        self.closing = closing
        self.optional = optional


def _separators(fields: Sequence[FieldSlots], record_open: str, record_close: str) -> tuple[list[str], str]:
    """The constant text before each field's value, and after the last one."""
    separators = []
    before = record_open
    for field in fields:
        separators.append(before if field.optional else before + field.opening)
        before = "" if field.optional else field.closing
    return separators, before + record_close


def join_records(
    columns: Sequence[Sequence[str]],
    fields: Sequence[FieldSlots],
    record_open: str,
    record_close: str,
    between: str,
    before: str = "",
    after: str = "",
) -> str:
    """Every record as ``record_open``, each field's opening, value and closing, ``record_close``;
    records joined by ``between``, ``before`` and ``after`` the whole -- by one ``str.join`` over
    a list whose constant slots are repeated and whose value slots are filled a column at a time.
    ``str.join`` takes nothing but ``str`` (a subclass by its own characters, as
    ``FieldLayout.format`` writes it), so a column holding anything else raises ``TypeError``
    here: the caller declines."""
    count = len(columns[0]) if columns else 0
    if not count:
        return before + after
    separators, end = _separators(fields, record_open, record_close)
    width = len(fields)
    pattern: list[Any] = []
    for separator in separators:
        pattern += [separator, None]
    pattern[0] = end + between + separators[0]
    slots = pattern * count
    slots[0] = before + separators[0]
    for index, column in enumerate(columns):
        slots[2 * index + 1 :: 2 * width] = column
    slots.append(end + after)
    return "".join(slots)


def compiled_reply(
    records: Sequence[Any],
    layout: RecordLayout,
    fmt: int,
    separators: Sequence[str],
    frame: tuple[str, str, str, str, str, str],
    *,
    quoted: tuple[bool, ...] | None = None,
    tokens: tuple[int, ...] | None = None,
    empties: tuple[bool, ...] | None = None,
    utf8: bool = False,
) -> Any:
    """The reply written in C (``_speedups.write_rows``) when the compiled core is active and
    knows every field type of the kind; ``None``: it declined, and the pure paths decide.
    ``separators`` go before each field's value; ``frame`` is the text before the list, around
    each record, between records, after the list, and between fmt 3 members.  A ``str``, or the
    reply's UTF-8 ``bytes`` when ``utf8``."""
    core = _core.CORE
    if core is None or not records or not _core.writable(layout):
        return None
    width = len(layout.fields)
    types, _ = _core.plan(layout)
    return core.write_rows(
        records,
        layout.record,
        layout.field_names,
        types,
        fmt,
        tuple(separators),
        (True,) * width if quoted is None else quoted,
        (0,) * width if tokens is None else tokens,
        (True,) * width if empties is None else empties,
        BlacklistType,
        frame,
        utf8,
    )

