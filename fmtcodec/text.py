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
from itertools import starmap
from typing import Any

from fmtcodec import _core
from fmtcodec.charset import ASCII_SPACE, Source
from fmtcodec.errors import EncodeError
from fmtcodec.layout import INTEGER, FieldValueError, RecordLayout, reply_integer, reply_number
from fmtcodec.records import Created, Error, Ok
from fmtcodec.writing import FieldSlots, compiled_reply, join_records, number_texts, value_columns

FMT = 0

# Seed: "ERROR = N (описание)".  The description runs to the last ")" of the line.
_ERROR = re.compile(rf"[{ASCII_SPACE}]*ERROR = ({INTEGER})(?: \(([^\r\n]*)\))?[{ASCII_SPACE}]*")
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
    return Error(error_code=reply_number(src, "error_code", match), error=match[2] or "")


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
    if core is None:
        return None
    text = src.text
    if "\r" in text:
        return None
    head, markers = _markers(layout)
    types, members = _core.plan(layout)
    found: list[Any] | None = core.fmt0_records(text, head, tuple(markers), types, layout.record, members)
    return found


def decode_records(src: Source, layout: RecordLayout) -> list[Any]:
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
            raise src.error(f"expected {head!r} at the start of a {layout.kind} record", here, path)
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
    return f"ERROR = {reply_integer('error_code', value.error_code, FMT)} ({value.error})"
