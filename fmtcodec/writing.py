"""What the encoders' fast paths share: a list's values as whole columns, the wire text of a
numeric column, and every record written by one C-level join.

A fast path takes a list only when it knows every field's type (``str``, ``int``, ``int?``,
``blacklist-type``); any other type in the layout table, and any value the general path might
refuse or spell otherwise, makes it decline (``None``): the general path then writes the list, or
says which value it refuses.  Nothing here is called once per value from Python: columns come from
slicing one flat list, checks are C-level passes over a column (``set(map(type, ...))``,
``min``/``max``, a join), and the reply is one ``str.join`` of constants and columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import msgspec

from fmtcodec import _core
from fmtcodec.layout import RecordLayout
from fmtcodec.records import BlacklistType

__all__ = ["FieldSlots", "compiled_reply", "join_records", "number_texts", "value_columns"]

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

