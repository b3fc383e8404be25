"""fmt 0: ``key = value`` text, one record a line.

Seed, list of contacts at fmt = 0::

    phone = <phone>, name = <name>, group = <group>, ..., phone_other = <phone_other>

Nothing is escaped, so a value may hold commas, `` = `` and anything else but a line break.  A row
is split on the markers ``", <next key> = "`` in field order, each found leftmost after the
previous one (spec/formats.md, fmt 0).  A marker starts with ``,`` and ends with a space, so it
cannot overlap itself: the split gives every value back exactly unless a value holds the marker of
the field after it, which the encoder therefore refuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise, repeat, starmap
from typing import Any

import msgspec

from fmtcodec import _core
from fmtcodec.charset import ASCII_SPACE, Source
from fmtcodec.errors import DecodeError, EncodeError, shown
from fmtcodec.layout import INTEGER, FieldValueError, RecordLayout, Sentence, reply_integer, reply_number
from fmtcodec.records import Created, Error, Ok
from fmtcodec.writing import (
    FieldSlots,
    column_texts,
    column_values,
    compiled_reply,
    join_records,
    number_texts,
    value_columns,
)

FMT = 0

# Seed: "ERROR = N (описание)".  The description runs to the last ")" of the line.
# The send page adds the message id to codes 3, 6, 7 and 8: "ERROR = N (описание), ID - <id>".
_ERROR = re.compile(
    rf"[{ASCII_SPACE}]*ERROR = ({INTEGER})(?: \(([^\r\n]*)\))?(?:, ID - ([A-Za-z0-9._-]+))?[{ASCII_SPACE}]*"
)
# Seed: "при fmt = 0: ID = <id>".
_CREATED = re.compile(rf"[{ASCII_SPACE}]*ID = ({INTEGER})[{ASCII_SPACE}]*")
_BARE_OK = "OK"


def declared_charset(data: bytes) -> str | None:
    """fmt 0 declares no charset."""
    return None


def decode_error(src: Source) -> Error | None:
    text = src.text
    if not text.lstrip(ASCII_SPACE).startswith("ERROR ="):
        return None
    match = _ERROR.fullmatch(text)
    if match is None:
        raise src.error("malformed error reply, expected 'ERROR = N (description)'", 0)
    return Error(error_code=reply_number(src, "error_code", match), error=match[2] or "", id=match[3])


def plain_error(src: Source) -> Error | None:
    """The fmt 0 error reply ``ERROR = N (text)`` in a payload of any fmt.

    Other clients report that the server answers an error in plain text whatever ``fmt`` was asked
    for, and scan every reply for this line (issue 8; spec/formats.md, Errors).  Only a payload that
    starts with ``ERROR =`` (after ASCII whitespace) is looked at, so the others cost one look at
    their first bytes.
    """
    head = src.head().lstrip(ASCII_SPACE)
    if not head:  # all whitespace so far: look at the whole text
        head = src.text.lstrip(ASCII_SPACE)
    if not head.startswith("ERROR ="):
        return None
    return decode_error(src)


def decode_ok(src: Source) -> Ok:
    if src.text.strip(ASCII_SPACE) != _BARE_OK:
        raise src.error("expected 'OK'", 0)
    return Ok()


def decode_created(src: Source) -> Created:
    match = _CREATED.fullmatch(src.text)
    if match is None:
        raise src.error("expected 'ID = <id>'", 0)
    return Created(id=reply_number(src, "id", match))


def _markers(layout: RecordLayout) -> tuple[str, list[str]]:
    names = layout.field_names
    return f"{names[0]} = ", [f", {name} = " for name in names[1:]]


# Fast path: one C-level split at every marker and at every line start, keeping the markers.
# When the markers found are exactly the expected ones in order on every line, each value holds
# no marker at all, so the leftmost-marker split below gives the same values.  Anything unusual
# -- CR, blank lines, a value holding a marker, a trimmed trailing space -- changes the list of
# markers found and sends the payload to the general path, which handles it or says where.
_SPLITTERS: dict[str, re.Pattern[str]] = {}


def _fast_records(src: Source, layout: RecordLayout) -> list[Any] | None:
    text = src.text
    if "\n\n" in text:
        return None  # blank lines: the general path skips them at no cost in memory (issue 15)
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    head, markers = _markers(layout)
    if "\r" in text or not text.startswith(head):
        return None
    splitter = _SPLITTERS.get(layout.kind)
    if splitter is None:
        every = "|".join(re.escape(marker) for marker in [*markers, "\n" + head])
        splitter = _SPLITTERS[layout.kind] = re.compile(f"({every})")
    pieces = splitter.split(text[len(head) :])
    lines = text.count("\n") + 1
    if len(pieces) != 2 * lines * len([*markers, head]) - 1:  # (blank lines: no list as long as them)
        return None
    if pieces[1::2] != ([*markers, "\n" + head] * lines)[:-1]:
        return None
    values = pieces[0::2]
    width = len(markers) + 1
    return layout.from_columns([values[field::width] for field in range(width)])


def _compiled_records(src: Source, layout: RecordLayout) -> list[Any] | None:
    """The rows read in C when the compiled core is active, cut as the general path below cuts
    them.  ``None``: it declined (CR, a missing marker, a value that does not fit its field)."""
    core = _core.CORE
    if core is None or not layout.simple:
        return None
    text = src.text
    if "\r" in text:
        return None
    head, markers = _markers(layout)
    types, members = _core.plan(layout)
    found: list[Any] | None = core.fmt0_records(text, head, tuple(markers), types, layout.record, members)
    return found


def decode_records(src: Source, layout: RecordLayout) -> list[Any]:
    if not layout.simple:  # the pages' kinds: optional fields, their own keys and types
        return _pair_records(src, layout)
    fast = _compiled_records(src, layout)
    if fast is None:
        fast = _fast_records(src, layout)
    if fast is not None:
        return fast
    return _general_records(src, layout)


_NON_BLANK_LINE = re.compile(r"(?!\r(?:\n|\Z))[^\n]+")  # a line but "" and "\r" (blank, CRLF or not)


def lines_of(text: str) -> Iterator[tuple[int, int]]:
    """Where each non-blank line of ``text`` starts and ends, without its CR of a CRLF line end,
    found without copying a line: blank lines cost no memory however many there are (issue 15)."""
    for found in _NON_BLANK_LINE.finditer(text):
        start, end = found.span()
        if text[end - 1] == "\r":  # CRLF between records; values never hold CR (the encoder refuses it)
            end -= 1
        if end > start:
            yield start, end


def _general_records(src: Source, layout: RecordLayout) -> list[Any]:
    """Line by line, each cut at the leftmost marker of each field in turn; says where a line
    does not fit.  Lines are cut by their places in the text, never copied whole."""
    text = src.text
    names = layout.field_names
    head, markers = _markers(layout)
    trimmed_last = markers[-1].rstrip(" ")
    build = layout.from_texts
    out: list[Any] = []
    for here, line_end in lines_of(text):
        path = f"$[{len(out)}]"
        if not text.startswith(head, here, line_end):
            raise src.error(f"expected {head!r} at the start of {layout.a_kind} record", here, path)
        values = []
        starts = []
        start = here + len(head)
        for index, marker in enumerate(markers):
            end = text.find(marker, start, line_end)
            if end < 0 and index == len(markers) - 1 and text.endswith(trimmed_last, here, line_end):
                end = line_end - len(trimmed_last)  # trailing space of an empty last value trimmed
            elif end < 0:
                raise src.error(
                    f"expected {marker!r} after `{names[index]}`",
                    start,
                    f"{path}.{names[index]}",
                )
            values.append(text[start:end])
            starts.append(start)
            start = end + len(marker)
        values.append(text[start:line_end])
        starts.append(start)
        try:
            out.append(build(values))
        except FieldValueError as exc:
            raise src.error(exc.reason, starts[exc.field], f"{path}.{names[exc.field]}") from None
    return out


def _check_line_value(value: str, path: str) -> None:
    if "\n" in value or "\r" in value:
        raise EncodeError("a line break cannot be carried: records are one line each", fmt=FMT, path=path)


_EQUALS = " = "  # in every marker, and in no value that holds one


def _fast_lines(records: Sequence[Any], layout: RecordLayout) -> str | None:
    """All rows by one join (``writing.join_records``), numbers written by
    ``writing.number_texts``.  What the general path refuses (a line break, a value holding the
    next field's marker) is looked for in the whole reply first: a count of line breaks, and of
    `` = ``, which every marker holds once and which only a value can make more frequent than the
    layout's own separators do; only then are the text columns checked one by one.  ``None`` for a
    type the table gains that this does not know, or a value the general path must judge."""
    if not records:
        return None
    count = len(records)
    head, markers = _markers(layout)
    texts: list[Sequence[str]] = []
    columns = value_columns(records, len(layout.fields))
    for field, column in zip(layout.fields, columns, strict=True):
        if field.type == "str":
            texts.append(column)
            continue
        found = number_texts(field.type, column)
        if found is None:
            return None
        texts.append(["" if text is None else text for text in found])  # absent: written empty
    separators = [head, *markers]
    try:
        lines = join_records(texts, [FieldSlots(separator) for separator in separators], "", "", "\n")
    except TypeError:  # not a str
        return None
    equals = count * sum(separator.count(_EQUALS) for separator in separators)
    if lines.count("\n") == count - 1 and "\r" not in lines and lines.count(_EQUALS) == equals:
        return lines
    for field, strings, marker in zip(layout.fields, texts, [*markers, None], strict=True):
        if field.type == "str":
            joined = "\n".join(strings)
            if joined.count("\n") != count - 1 or "\r" in joined or (marker and marker in joined):
                return None
    return lines


def _compiled_lines(records: Sequence[Any], layout: RecordLayout, utf8: bool = False) -> Any:
    """The rows written in C when the compiled core is active (a ``str``, or UTF-8 ``bytes`` when
    ``utf8``); ``None``: it declined."""
    head, markers = _markers(layout)
    return compiled_reply(records, layout, FMT, (head, *markers), ("", "", "", "\n", "", ""), utf8=utf8)


def _lines_as_written(records: Sequence[Any], layout: RecordLayout) -> str:
    """The rows as the server writes them (``strict=False``): head, values and markers joined,
    nothing escaped -- a value holding the next field's marker is written as it is -- but a line
    break, which would change the number of records, is refused as ``strict=True`` refuses it
    (spec/formats.md, Encoding, "As the server writes")."""
    head, markers = _markers(layout)
    escaped = (separator.replace("{", "{{").replace("}", "}}") for separator in [head, *markers])
    template = "{}".join(escaped) + "{}"  # head {} marker {} ... marker {}
    rows = layout.wire_rows(records, FMT)
    written = "\n".join(starmap(template.format, rows))
    if written.count("\n") != len(rows) - 1 or "\r" in written:  # the keys hold neither
        for row, texts in enumerate(rows):
            for name, value in zip(layout.field_names, texts, strict=True):
                _check_line_value(value, f"$[{row}].{name}")
    return written


def encode_records(records: Sequence[Any], layout: RecordLayout, charset: str, *, strict: bool = True) -> str:
    if not layout.simple:  # the pages' kinds: optional fields, their own keys and types
        return _pair_lines(records, layout, strict=strict)
    fast: str | None = _compiled_lines(records, layout)  # what it accepts, the server writes alike
    if not strict:
        return _lines_as_written(records, layout) if fast is None else fast
    if fast is None:
        fast = _fast_lines(records, layout)
    if fast is not None:
        return fast
    names = layout.field_names
    head, markers = _markers(layout)
    separators = [head, *markers]
    lines = []
    for row, record in enumerate(records):
        texts = layout.wire_texts(record, row, FMT)
        for index, value in enumerate(texts):
            path = f"$[{row}].{names[index]}"
            _check_line_value(value, path)
            if index < len(markers) and markers[index] in value:
                raise EncodeError(
                    f"the value holds {markers[index]!r}, the marker of the next field",
                    fmt=FMT,
                    path=path,
                )
        lines.append("".join([part for pair in zip(separators, texts, strict=True) for part in pair]))
    return "\n".join(lines)


def encode_created(value: Created, charset: str) -> str:
    return f"ID = {reply_integer('id', value.id, FMT)}"


def encode_ok(charset: str) -> str:
    return _BARE_OK


def encode_error(value: Error, charset: str) -> str:
    _check_line_value(value.error, "$.error")
    about = "" if value.id is None else f", ID - {value.id}"
    return f"ERROR = {reply_integer('error_code', value.error_code, FMT)} ({value.error}){about}"


# ---------------------------------------------------------------------------------------------
# The pages' kinds (issue 16): pairs with optional fields, sentences, one-record replies.
# spec/formats.md, fmt 0, "Pages" says the rules; the contacts kinds above keep their own paths.


@dataclass(frozen=True, slots=True)
class _Pairs:
    """How a line of ``key = value`` pairs of one kind is cut (spec/formats.md, fmt 0, rule 10).

    ``heads``: the fields a line may start with (the leading ones up to the first required one);
    ``follow[j]``: the fields whose markers may end field j's value (those after it up to and
    including the next required one); ``finders[j]``: one pattern finding the leftmost of them."""

    keys: tuple[str, ...]
    markers: tuple[str, ...]
    heads: tuple[int, ...]
    follow: tuple[tuple[int, ...], ...]
    finders: tuple[re.Pattern[str] | None, ...]
    by_marker: dict[str, int]


def _up_to_required(layout: RecordLayout, start: int) -> tuple[int, ...]:
    """Field indexes from ``start`` on, up to and including the first required one."""
    found = []
    for index in range(start, len(layout.fields)):
        found.append(index)
        if not layout.fields[index].optional:
            break
    return tuple(found)


_PAIRS: dict[str, _Pairs] = {}


def _pairs(layout: RecordLayout) -> _Pairs:
    known = _PAIRS.get(layout.kind)
    if known is None:
        keys = tuple(field.fmt0 for field in layout.fields)
        markers = tuple(f", {key} = " for key in keys)
        follow = tuple(_up_to_required(layout, index + 1) for index in range(len(keys)))
        finders = tuple(
            re.compile("|".join(re.escape(markers[m]) for m in after)) if after else None for after in follow
        )
        known = _PAIRS[layout.kind] = _Pairs(
            keys, markers, _up_to_required(layout, 0), follow, finders, {m: i for i, m in enumerate(markers)}
        )
    return known


def _read_pairs(src: Source, line: str, here: int, layout: RecordLayout, path: str) -> Any:
    """One line of pairs (no line break in it) starting at character ``here`` of the text."""
    plan = _pairs(layout)
    names = layout.field_names
    field = next((j for j in plan.heads if line.startswith(f"{plan.keys[j]} = ")), None)
    if field is None:
        expected = " or ".join(repr(f"{plan.keys[j]} = ") for j in plan.heads)
        raise src.error(f"expected {expected} at the start of {layout.a_kind} record", here, path)
    texts: dict[str, str] = {}
    starts: dict[int, int] = {}
    start = len(plan.keys[field]) + 3
    last = len(layout.fields) - 1
    while True:
        starts[field] = start
        finder = plan.finders[field]
        found = None if finder is None else finder.search(line, start)
        if found is not None:
            texts[names[field]] = line[start : found.start()]
            field = plan.by_marker[found[0]]
            start = found.end()
            continue
        after = plan.follow[field]
        trimmed = plan.markers[last].rstrip(" ")
        if last in after and line.endswith(trimmed) and len(line) - len(trimmed) >= start:
            # the trailing space of an empty last value trimmed (as for the contacts kinds)
            texts[names[field]] = line[start : len(line) - len(trimmed)]
            texts[names[last]] = ""
            starts[last] = len(line)
            break
        if after and not layout.fields[after[-1]].optional:
            marker, name = plan.markers[after[-1]], names[field]
            raise src.error(f"expected {marker!r} after `{name}`", here + start, f"{path}.{name}")
        texts[names[field]] = line[start:]
        break
    try:
        return layout.from_mapping(texts)
    except FieldValueError as exc:
        raise src.error(exc.reason, here + starts[exc.field], f"{path}.{names[exc.field]}") from None


def lines(src: Source) -> list[tuple[int, str]]:
    """The non-blank lines of the text with where each starts (CRLF ends taken off), by
    ``lines_of`` (the pages' kinds: each line is read whole)."""
    text = src.text
    return [(start, text[start:end]) for start, end in lines_of(text)]


def _pair_records(src: Source, layout: RecordLayout) -> list[Any]:
    fast = _fast_pair_records(src, layout)
    return _line_records(src, layout) if fast is None else fast


def _line_records(src: Source, layout: RecordLayout) -> list[Any]:
    """The general path of the pages' kinds: each line cut by ``_read_pairs``, which says where
    a line does not read."""
    return [_read_pairs(src, line, here, layout, f"$[{row}]") for row, (here, line) in enumerate(lines(src))]


# The pages' fast paths: every line the same fields, found by one C-level split of the whole reply
# at every marker of the kind and every line start.  When the markers found are the same on every
# line, in an order the pairs rule allows, no value holds a marker, so ``_read_pairs`` would cut
# each line where the split did; the values are then typed a column at a time.  Anything else --
# CR, lines of different fields, a value holding any marker, a trimmed last marker -- declines to
# ``_line_records``, which reads it or says where it does not read.
_PAIR_SPLITTERS: dict[str, re.Pattern[str]] = {}
_BLANK_LINES = re.compile("\n\n+")


def _pair_splitter(layout: RecordLayout) -> re.Pattern[str]:
    known = _PAIR_SPLITTERS.get(layout.kind)
    if known is None:
        plan = _pairs(layout)  # every marker, and a line break before a key a line may start with
        keys = "|".join(map(re.escape, plan.keys))
        heads = "|".join(re.escape(plan.keys[head]) for head in plan.heads)
        known = _PAIR_SPLITTERS[layout.kind] = re.compile(f"((?:, (?:{keys})|\n(?:{heads})) = )")
    return known


def _pair_order(layout: RecordLayout, present: list[int]) -> bool:
    """Whether ``_read_pairs`` reads a line of exactly the fields ``present``, in this order, each
    value holding no marker: each one may follow the one before, and the last may end the line."""
    plan = _pairs(layout)
    if present[0] not in plan.heads:
        return False
    if any(after not in plan.follow[before] for before, after in pairwise(present)):
        return False
    rest = plan.follow[present[-1]]
    return not rest or layout.fields[rest[-1]].optional


def _fast_pair_records(src: Source, layout: RecordLayout) -> list[Any] | None:
    """Lines of the same fields read a column at a time; lines of several sets of fields grouped
    by the markers each holds first.  ``None``: the general path reads them."""
    text = src.text
    if "\r" in text:
        return None
    if "\n\n" in text or text.startswith("\n"):  # blank lines: dropped first, so that no list
        text = _BLANK_LINES.sub("\n", text).strip("\n")  # below is as long as they are (issue 15)
    elif text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    try:
        return _same_fields_records(text, layout)
    except _LinesDiffer:
        pass
    splitter = _pair_splitter(layout)
    lines = text.split("\n")
    groups: dict[tuple[str, ...], list[int]] = {}
    for row, line in enumerate(lines):
        head = line.partition(" = ")[0]
        groups.setdefault((head, *splitter.findall(line)), []).append(row)
    if len(groups) == 1:
        return None
    out: list[Any] = [None] * len(lines)
    for rows in groups.values():
        try:
            found = _same_fields_records("\n".join([lines[row] for row in rows]), layout)
        except _LinesDiffer:
            return None
        if found is None:
            return None
        for row, record in zip(rows, found, strict=True):
            out[row] = record
    return out


class _LinesDiffer(Exception):
    """The lines of a reply do not all hold the same markers."""


def _same_fields_records(text: str, layout: RecordLayout) -> list[Any] | None:
    """The records of ``text`` (no CR, no blank line, no final line break) when every line holds
    the same markers; ``_LinesDiffer`` when they do not; ``None`` when the general path must say
    what is wrong."""
    plan = _pairs(layout)
    first = next((j for j in plan.heads if text.startswith(f"{plan.keys[j]} = ")), None)
    if first is None:
        return None
    trimmed = plan.markers[-1].rstrip(" ")
    if text.endswith(trimmed) or f"{trimmed}\n" in text:
        return None  # a line whose empty last value may have lost its space: the general path
    pieces = _pair_splitter(layout).split(text[len(plan.keys[first]) + 3 :])
    found = pieces[1::2]
    line_start = f"\n{plan.keys[first]} = "
    width = found.index(line_start) + 1 if line_start in found else len(found) + 1
    line_markers = found[: width - 1]
    present = [first, *(plan.by_marker.get(marker, -1) for marker in line_markers)]
    lines = text.count("\n") + 1
    if len(pieces) != 2 * lines * width - 1 or found != ([*line_markers, line_start] * lines)[:-1]:
        raise _LinesDiffer
    if -1 in present or not _pair_order(layout, present):
        return None
    names = {layout.fields[index].name for index in present}
    if not layout.required <= names:
        return None  # the general path says which is missing
    values = pieces[0::2]
    arguments: list[Any] = [repeat(field.default) for field in _struct_fields(layout)[: max(present) + 1]]
    for position, index in enumerate(present):
        typed = column_values(layout.fields[index], values[position::width])
        if typed is None:
            return None
        arguments[index] = typed
    return list(map(layout.record, *arguments))


def _struct_fields(layout: RecordLayout) -> tuple[msgspec.structs.FieldInfo, ...]:
    return msgspec.structs.fields(layout.record)


def _no_place(layout: RecordLayout, name: str, path: str) -> EncodeError:
    return EncodeError(f"fmt 0 has no place for `{name}` in {layout.a_kind} reply", fmt=FMT, path=path)


def _pair_line(record: Any, layout: RecordLayout, path: str, *, strict: bool) -> str:
    """The line of pairs of one record: a field that is None left out."""
    plan = _pairs(layout)
    names = layout.field_names
    values = msgspec.structs.astuple(record)
    present = []
    for index, (field, value) in enumerate(zip(layout.fields, values, strict=True)):
        if value is None and field.optional:
            continue
        if field.base == "list":
            raise _no_place(layout, field.name, f"{path}.{field.name}")
        try:
            text = field.format(value)
        except ValueError as exc:
            raise EncodeError(str(exc), fmt=FMT, path=f"{path}.{field.name}") from None
        _check_line_value(text, f"{path}.{field.name}")
        present.append((index, text))
    if not present:
        raise EncodeError(f"{layout.a_kind} with no field set has no fmt 0 line", fmt=FMT, path=path)
    if strict:
        last = len(layout.fields) - 1
        for position, (index, text) in enumerate(present):
            for after in plan.follow[index]:
                if plan.markers[after] in text:
                    raise EncodeError(
                        f"the value holds {plan.markers[after]!r}, the marker of `{names[after]}`",
                        fmt=FMT,
                        path=f"{path}.{names[index]}",
                    )
            trimmed = plan.markers[last].rstrip(" ")
            if position == len(present) - 1 and last in plan.follow[index] and text.endswith(trimmed):
                raise EncodeError(
                    f"the value ends with {trimmed!r}, which reads as an empty `{names[last]}`",
                    fmt=FMT,
                    path=f"{path}.{names[index]}",
                )
    first, text = present[0]
    pieces = [f"{plan.keys[first]} = {text}"]
    pieces.extend(f"{plan.markers[index]}{text}" for index, text in present[1:])
    return "".join(pieces)


def _pair_lines(records: Sequence[Any], layout: RecordLayout, *, strict: bool) -> str:
    fast = _fast_pair_lines(records, layout, strict=strict)
    return _written_lines(records, layout, strict=strict) if fast is None else fast


def _written_lines(records: Sequence[Any], layout: RecordLayout, *, strict: bool) -> str:
    """The general path of the pages' kinds: each record's line by ``_pair_line``, which says
    which value it refuses and why."""
    lines = [_pair_line(record, layout, f"$[{row}]", strict=strict) for row, record in enumerate(records)]
    return "\n".join(lines)


_NONE_TYPE = type(None)


def _fast_pair_lines(records: Sequence[Any], layout: RecordLayout, *, strict: bool) -> str | None:
    """The lines of records that all set the same fields, by one join of whole columns written by
    ``writing.column_texts``.  ``strict``: no value may hold a marker, which a count of `` = ``
    in the whole reply shows (each key's own is the only one when none does), nor end the line
    with the last marker trimmed.  ``None``: the general path writes them, or says why not."""
    if not records:
        return None
    count = len(records)
    columns = value_columns(records, len(layout.fields))
    present = []
    for index, (field, column) in enumerate(zip(layout.fields, columns, strict=True)):
        types = set(map(type, column))  # (by type: comparing an amount with None costs more)
        if _NONE_TYPE not in types:
            present.append(index)
        elif len(types) > 1 or not field.optional:
            return None  # records of different fields, or a None the general path refuses
    if not present or any(layout.fields[index].base == "list" for index in present):
        return None
    plan = _pairs(layout)
    texts = []
    for index in present:
        found = column_texts(layout.fields[index], columns[index])
        if found is None:
            return None
        texts.append(found)
    separators = [f"{plan.keys[present[0]]} = ", *(plan.markers[index] for index in present[1:])]
    text = join_records(texts, [FieldSlots(separator) for separator in separators], "", "", "\n")
    if text.count("\n") != count - 1 or "\r" in text:
        return None
    if strict:
        if text.count(_EQUALS) != count * len(present):
            return None  # a value holds " = ": maybe a marker
        trimmed = plan.markers[-1].rstrip(" ")
        if text.endswith(trimmed) or f"{trimmed}\n" in text:
            return None
    return text


# Sentences: each compiled to an anchored pattern whose holes take what the field's type takes
# (FieldLayout.parse: the integer, signed, decimal and message-id rules), optional parts nested.
_HOLES = {
    "int": INTEGER,
    "ts": INTEGER,
    "blacklist-type": "[012]",
    "signed": f"-?(?:{INTEGER})",
    "decimal": rf"-?(?:{INTEGER})(?:\.[0-9]+)?",
    "id": "[A-Za-z0-9._-]+",
    "date-time": "[0-9]{2}\\.[0-9]{2}\\.[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}",
    "str": "[^\\r\\n]*?",
}
_LOOSE_HOLE = "[^\\r\\n]*?"  # anything: to say which value does not fit when no sentence matches
# The loose holes can be tried at every split of the line (quadratic in a line such as cost's
# `{cost} ({cnt} SMS)` holding many " ("): only lines this short are diagnosed, far longer than
# any sentence the server writes; a longer line gets the plain "expected '<sentence>'".
_DIAGNOSED = 512


def _sentence_pattern(sentence: Sentence, layout: RecordLayout, *, loose: bool) -> str:
    pattern = []
    for part in sentence.parts:
        if isinstance(part, str):
            pattern.append(re.escape(part))
        elif isinstance(part, tuple):
            field = layout.fields[layout.field_index[part[0]]]
            pattern.append(f"(?P<{field.name}>{_LOOSE_HOLE if loose else _HOLES[field.base]})")
        else:
            pattern.append(f"(?:{_sentence_pattern(part, layout, loose=loose)})?")
    return "".join(pattern)


def _template(sentence: Sentence) -> str:
    """The sentence as spec/layout.toml writes it."""
    written = []
    for part in sentence.parts:
        if isinstance(part, str):
            written.append(part)
        elif isinstance(part, tuple):
            written.append(f"{{{part[0]}}}")
        else:
            written.append(f"[{_template(part)}]")
    return "".join(written)


_SENTENCES: dict[str, tuple[list[re.Pattern[str]], list[re.Pattern[str]]]] = {}


def _sentence_patterns(layout: RecordLayout) -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    known = _SENTENCES.get(layout.kind)
    if known is None:
        known = _SENTENCES[layout.kind] = (
            [re.compile(_sentence_pattern(s, layout, loose=False)) for s in layout.fmt0_sentences],
            [re.compile(_sentence_pattern(s, layout, loose=True)) for s in layout.fmt0_sentences],
        )
    return known


def _read_sentence(src: Source, line: str, here: int, layout: RecordLayout) -> Any:
    strict_patterns, loose_patterns = _sentence_patterns(layout)
    passes = [(False, strict_patterns)]
    if len(line) <= _DIAGNOSED:
        passes.append((True, loose_patterns))
    for loose, patterns in passes:
        for pattern in patterns:
            match = pattern.fullmatch(line)
            if match is None:
                continue
            found = {name: text for name, text in match.groupdict().items() if text is not None}
            try:
                record = layout.from_mapping(found)
            except FieldValueError as exc:
                name = layout.fields[exc.field].name
                raise src.error(exc.reason, here + max(match.start(name), 0), f"$.{name}") from None
            if not loose:
                return record
            break  # the loose patterns only say which value does not fit; none here: the sentence
    expected = " or ".join(repr(_template(sentence)) for sentence in layout.fmt0_sentences)
    raise src.error(f"expected {expected}", here, "$")


def _write_sentence(sentence: Sentence, texts: dict[str, str | None]) -> str:
    written = []
    for part in sentence.parts:
        if isinstance(part, str):
            written.append(part)
        elif isinstance(part, tuple):
            text = texts[part[0]]
            if text is None:
                told = ", ".join(f"`{name}`" for name in sentence.holes if texts[name] is not None)
                raise EncodeError(
                    f"`{part[0]}` is None, but the fmt 0 sentence writes it with {told}",
                    fmt=FMT,
                    path=f"$.{part[0]}",
                )
            written.append(text)
        elif any(texts[name] is not None for name in part.holes):
            written.append(_write_sentence(part, texts))
    return "".join(written)


def _sentence_line(value: Any, layout: RecordLayout) -> str:
    sentence = layout.fmt0_sentences[0]
    holes = set(sentence.holes)
    texts: dict[str, str | None] = {}
    for field, item in zip(layout.fields, msgspec.structs.astuple(value), strict=True):
        if item is None and field.optional:
            texts[field.name] = None
            continue
        if field.name not in holes:
            raise _no_place(layout, field.name, f"$.{field.name}")
        try:
            texts[field.name] = field.format(item)
        except ValueError as exc:
            raise EncodeError(str(exc), fmt=FMT, path=f"$.{field.name}") from None
        _check_line_value(texts[field.name] or "", f"$.{field.name}")
    return _write_sentence(sentence, texts)


def decode_record(src: Source, layout: RecordLayout) -> Any:
    """One record of a single-record kind (``layout.shape == "record"``) in fmt 0: one line of
    pairs or one of the kind's sentences; blank lines around it (a final line break) are ignored."""
    found = lines(src)
    if len(found) != 1:
        where = found[1][0] if found else 0
        raise src.error(f"expected one {layout.kind} line, found {len(found)}", where, "$")
    here, line = found[0]
    if layout.fmt0_sentences:
        return _read_sentence(src, line, here, layout)
    return _read_pairs(src, line, here, layout, "$")


def encode_record(value: Any, layout: RecordLayout, charset: str, *, strict: bool = True) -> str:
    """The fmt 0 reply of one record of a single-record kind: the kind's first sentence, or its
    pairs; ``strict`` also reads the line back and refuses it unless it gives ``value`` again."""
    if layout.fmt0_sentences:
        line = _sentence_line(value, layout)
    else:
        line = _pair_line(value, layout, "$", strict=strict)
    if strict:
        try:  # (a lone surrogate in the line: from_payload's DecodeError, made an EncodeError below)
            src = Source.from_payload(line, None, FMT)
            if plain_error(src) is not None:
                raise src.error("the line reads as an error reply", 0, "$")
            back = decode_record(src, layout)
        except DecodeError as exc:
            raise EncodeError(f"the line would not read back: {exc.reason}", fmt=FMT, path=exc.path) from None
        if back != value:
            raise EncodeError(f"the line would decode as {shown(back, 200)}", fmt=FMT, path="$")
    return line
