"""fmt 3: JSON, one key a line.

Seed, list of contacts at fmt = 3::

    [{
    "phone": "<phone>",
    ...
    },
    ...]

Real servers write this layout without indentation (facts §1.2) and quote numbers or not
(facts §3.4: every contact value is a string; §3.5: group ids are bare numbers); both spellings
decode.  A typed msgspec decoder does the work, straight into the records (``_fast_direct``: a
bare number in a text field the table marks numeric is quoted in the bytes first, money and
message ids checked after); when it objects (a quoted number, an unknown key, anything unusual) a
lenient typed decode read a column at a time comes next, and last the reply is decoded untyped,
each value checked by the layout table, so the answer is either the exact records or a
``DecodeError`` that says where -- always from that last path.
"""

from __future__ import annotations

import functools
import json
import operator
import re
from collections.abc import Sequence
from decimal import Decimal
from itertools import repeat
from typing import Any

import msgspec

from fmtcodec import _core
from fmtcodec.charset import ASCII_SPACE, Source
from fmtcodec.errors import EncodeError, shown
from fmtcodec.layout import (
    INTEGER,
    FieldLayout,
    FieldValueError,
    RecordLayout,
    made_once_a_kind,
    parse_integer,
    reply_integer,
)
from fmtcodec.records import Created, Error, Ok
from fmtcodec.writing import FieldSlots, compiled_reply, join_records, number_texts, value_columns

FMT = 3

_BARE_OK = "OK"
_MALFORMED_AT = re.compile(r"\(byte (\d+)\)$")
_TYPED: dict[str, msgspec.json.Decoder[Any]] = {}
_UNTYPED = msgspec.json.Decoder()
_encode_string = msgspec.json.Encoder().encode


def _json_string(text: str, path: str) -> str:
    try:
        return _encode_string(text).decode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate: no charset can write it
        char = text[exc.start]
        raise EncodeError(
            f"character U+{ord(char):04X} is a lone surrogate, which no charset can write",
            fmt=FMT,
            path=path,
        ) from None


def declared_charset(data: bytes) -> str | None:
    """fmt 3 declares no charset (the HTTP header does)."""
    return None


def _transcoding_table(charset: str) -> bytes | None:
    """For the compiled core's ``transcode_to_utf8``: each byte value's UTF-8 form in ``charset``,
    by Python's own codec (4 bytes a value: the form's length, 0 where the charset leaves the byte
    undefined, then the form); ``None`` for a charset that is not one byte a character."""
    try:
        return _TABLES[charset]
    except KeyError:
        pass
    whole = bytes(range(256)).decode(charset, "replace")  # one character a byte, if single-byte
    table = bytearray()
    for byte in range(256):
        try:
            alone = bytes((byte,)).decode(charset)
        except UnicodeDecodeError:
            table += bytes(4)  # undefined: the core declines
            continue
        form = alone.encode("utf-8", "surrogatepass")
        if len(whole) != 256 or alone != whole[byte] or len(form) > 3:
            _TABLES[charset] = None
            return None
        table += bytes((len(form),)) + form.ljust(3, b"\0")
    found = _TABLES[charset] = bytes(table)
    return found


_TABLES: dict[str, bytes | None] = {}


def _transcoded(src: Source) -> bytes | None:
    """The payload read in its single-byte charset (windows-1251, koi8-r) as UTF-8, transcoded by
    the compiled core in one pass without making its text; ``None`` where that is not the case, the
    core is absent, or it declines (a byte the charset leaves undefined: the text's decode says so)."""
    core = _core.CORE
    charset = src.known_charset
    if core is None or src.raw is None or src.start or charset is None or charset == "utf-8":
        return None
    table = _transcoding_table(charset)
    if table is None:
        return None
    found: bytes | None = core.transcode_to_utf8(src.raw, table)
    return found


def _utf8(src: Source) -> bytes:
    """``src.utf8()``: the caller's own bytes whenever they may be UTF-8, else transcoded -- in one
    pass by the compiled core where it can (the text is then made only if an error needs it)."""
    found = _transcoded(src)
    return src.utf8() if found is None else found


def _text_utf8(src: Source) -> bytes:
    """``src.text`` as UTF-8 (the bytes were not UTF-8 after all, or their charset was unknown):
    decoding the text settles the charset or raises its error; the bytes are then transcoded from
    the payload where the compiled core can, rather than encoded from the text."""
    text = src.text
    found = _transcoded(src)
    return text.encode("utf-8") if found is None else found


def _decode_utf8(src: Source, decoder: msgspec.json.Decoder[Any], data: bytes | None = None) -> Any:
    """``decoder`` applied to the payload's UTF-8 bytes (the caller's own bytes when they are;
    ``data`` when a path before has them already: transcoded once, not once a path)."""
    optimistic = _utf8(src) if data is None else data
    try:
        return decoder.decode(optimistic)
    except UnicodeDecodeError:
        return decoder.decode(_text_utf8(src))  # not UTF-8 after all: transcoded
    except msgspec.ValidationError:
        # Well-formed so far, a value of another type: the same in any charset (JSON's syntax and
        # numbers are ASCII), so the caller's next path decides without the payload being
        # decoded here only to learn its charset (a whole pass, the seed's ``"group": 5922``).
        raise
    except msgspec.DecodeError:
        if src.raw is optimistic and src.charset != "utf-8":
            # malformed before the first byte that is not UTF-8: say where in the real text
            return decoder.decode(_text_utf8(src))
        raise


def _parse(src: Source) -> Any:
    try:
        return _decode_utf8(src, _UNTYPED)
    except RecursionError:
        raise src.error("JSON nests deeper than a reply can", 0) from None
    except msgspec.DecodeError as exc:
        if str(exc).startswith("Integer value out of range"):
            # msgspec names no byte for an integer beyond 64 bits: read the integers as their text
            # instead, so that the layout's rule refuses the one too long, at its own place
            try:
                return json.loads(src.text, parse_int=str)
            except (ValueError, RecursionError):
                pass
        found = _MALFORMED_AT.search(str(exc))
        reason = _MALFORMED_AT.sub("", str(exc)).strip()
        if found:
            index = src.index_of_byte(int(found[1]))
        else:  # msgspec names no byte when the input stops early: that is at its end
            index = len(src.text) if reason == "Input data was truncated" else 0
        raise src.error(reason, index) from None


_TEXT_SCANNER = json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=str)


def _locate(text: str, path: Sequence[int | str]) -> int:
    """Character index of the value at ``path`` (list indexes and object keys) in JSON ``text``.

    Used only to report an error, so a plain walk with the standard library is fine (numbers kept
    as text: an integer of more than 4300 digits cannot be made an int, and need not be).
    """
    scan = _TEXT_SCANNER
    ws = re.compile(r"[ \t\r\n]*")
    index = ws.match(text, 0).end()  # type: ignore[union-attr]
    for step in path:
        opener = text[index : index + 1]
        index = ws.match(text, index + 1).end()  # type: ignore[union-attr]
        if opener == "[":
            assert isinstance(step, int)
            for _ in range(step):
                index = scan.raw_decode(text, index)[1]
                index = ws.match(text, index).end() + 1  # type: ignore[union-attr]
                index = ws.match(text, index).end()  # type: ignore[union-attr]
        else:
            while True:
                key, index = json.decoder.scanstring(text, index + 1)  # type: ignore[attr-defined]
                index = ws.match(text, index).end() + 1  # type: ignore[union-attr]
                index = ws.match(text, index).end()  # type: ignore[union-attr]
                if key == step:
                    break
                index = scan.raw_decode(text, index)[1]
                index = ws.match(text, index).end() + 1  # type: ignore[union-attr]
                index = ws.match(text, index).end()  # type: ignore[union-attr]
    return index


def _wire_text(value: Any) -> str | None:
    """A JSON value as wire text: strings as they are, integers in decimal, null as empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a JSON integer has one spelling, so this is exact
    if value is None:
        return ""
    return None


def _record_from_object(src: Source, layout: RecordLayout, obj: Any, path: list[int | str]) -> Any:
    here = "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)
    if not isinstance(obj, dict):
        raise src.error(f"expected an object for {layout.a_kind}", _locate(src.text, path), here)
    known = layout.field_names
    texts = {}
    for key, value in obj.items():
        if key not in known:
            raise src.error(f"unknown field {shown(key)}", _locate(src.text, [*path, key]), f"{here}.{key}")
        text = _wire_text(value)
        if text is None:
            raise src.error(
                f"expected a string or an integer, got {shown(value)}",
                _locate(src.text, [*path, key]),
                f"{here}.{key}",
            )
        texts[key] = text
    try:
        return layout.from_mapping(texts)
    except FieldValueError as exc:
        name = known[exc.field]
        where = [*path, name] if name in obj else path
        raise src.error(exc.reason, _locate(src.text, where), f"{here}.{name}") from None


def _checked_integer(src: Source, obj: dict[str, Any], key: str) -> int:
    try:
        return parse_integer(key, _wire_text(obj[key]) or repr(obj[key]))
    except ValueError as exc:
        raise src.error(str(exc), _locate(src.text, [key]), f"$.{key}") from None


def decode_error(src: Source) -> Error | None:
    if not src.head().lstrip(ASCII_SPACE).startswith("{"):
        return None  # a list, or the bare OK
    obj = _parse(src)
    if not isinstance(obj, dict) or "error_code" not in obj:
        return None
    for key in obj:
        if key not in ("error", "error_code", "id"):
            reason = f"unexpected key {shown(key)} in an error reply"
            raise src.error(reason, _locate(src.text, [key]), f"$.{key}")
    message = obj.get("error", "")
    if not isinstance(message, str):
        raise src.error(f"expected a string, got {shown(message)}", _locate(src.text, ["error"]), "$.error")
    code = _checked_integer(src, obj, "error_code")
    return Error(error_code=code, error=message, id=_error_id(src, obj))


def decode_ok(src: Source) -> Ok:
    if src.text.strip(ASCII_SPACE) == _BARE_OK:  # what real servers send with fmt=3 (facts §3.3)
        return Ok()
    obj = _parse(src)
    if obj != {"result": _BARE_OK}:
        raise src.error('expected OK or {"result": "OK"}', 0, "$")
    return Ok()


def decode_created(src: Source) -> Created:
    obj = _parse(src)
    if not isinstance(obj, dict) or set(obj) != {"id"}:
        raise src.error('expected {"id": <id>}', 0, "$")
    return Created(id=_checked_integer(src, obj, "id"))


def decode_records(src: Source, layout: RecordLayout) -> list[Any]:
    if not layout.simple:  # the pages' kinds: exact numbers, nested lists
        fast = _fast_direct(src, layout)
        if fast is None:
            fast = _fast_pages(src, layout)
        return fast if fast is not None else _page_records(src, layout)
    decoder = _TYPED.get(layout.kind)
    if decoder is None:
        decoder = _TYPED[layout.kind] = msgspec.json.Decoder(list[layout.record])  # type: ignore[name-defined]
    data = _utf8(src)  # (transcoded here when the charset is another: once for every path)
    if not layout.all_text:
        # a group list quotes ``cnt``: the strict decoder stops at once, the lax one takes it
        strict = _decode_or_none(src, decoder, data)
        typed = _fast_lax(src, layout, data) if strict is None else strict[0]
        if typed is not None:
            return typed
    else:
        # (bare numbers in numeric text are not quoted in the bytes for these kinds, as
        # ``_fast_direct`` does for the pages' kinds: for the seed's contacts the lenient decode
        # and one rebuild a record below measured faster than quoting and decoding again)
        try:
            records: list[Any] = _decode_utf8(src, decoder, data)
            return records
        except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
            pass
    fast = _fast_lenient(src, layout, data)
    if fast is not None:
        return fast
    return _general_records(src, layout)


def _general_records(src: Source, layout: RecordLayout) -> list[Any]:
    """Untyped, each value checked by the layout table: the exact records or exactly where not."""
    items = _parse(src)
    if not isinstance(items, list):
        raise src.error(f"expected a list of {layout.kind} records", 0, "$")
    return [_record_from_object(src, layout, obj, [row]) for row, obj in enumerate(items)]


# Fast path for replies where numbers are bare or quoted.  The seed writes ``"group": 5922`` (a
# bare number in a text field); the canonical group list quotes ``cnt`` (facts §3.4, §3.5).
#
# Text-only kinds (contacts): a typed decoder whose numeric text fields (fmt1 class number/number?,
# i.e. ``group``) also take an integer reads the reply at C speed; one comprehension generated from
# the table rebuilds the records with ``str(group)``.  Other kinds: every field takes either
# spelling, and each column becomes wire text checked by the table.  msgspec's typed decoding
# refuses floats, booleans and null, and treats -0, huge integers and repeated keys as the untyped
# decoding does, so whatever it accepts gives the general path's records; the rest goes there.
_LENIENT: dict[str, tuple[msgspec.json.Decoder[Any], Any]] = {}
_EITHER = {"str": str | int, "int": int | str, "int?": int | str | None, "blacklist-type": int | str}
_NUMERIC_TEXT = ("number", "number?")


def _lenient(layout: RecordLayout) -> tuple[msgspec.json.Decoder[Any], Any]:
    """The lenient decoder of a kind, and (text-only kinds) the function rebuilding its records."""
    found = _LENIENT.get(layout.kind)
    if found is not None:
        return found
    fields: list[Any] = []
    args = []
    for field, info in zip(layout.fields, msgspec.structs.fields(layout.record), strict=True):
        assert field.name.isidentifier()  # it goes into generated code below
        numeric = field.fmt1 in _NUMERIC_TEXT
        either: Any = (str | int if numeric else str) if layout.all_text else _EITHER[field.type]
        fields.append((field.name, either) if info.required else (field.name, either, info.default))
        args.append(f"str(r.{field.name})" if numeric else f"r.{field.name}")
    struct = msgspec.defstruct(
        f"Either{layout.record.__name__}", fields, kw_only=True, forbid_unknown_fields=True, gc=False
    )
    rebuild = None
    if layout.all_text:
        namespace: dict[str, Any] = {"record": layout.record}
        exec(f"def rebuild(items):\n    return [record({', '.join(args)}) for r in items]", namespace)
        rebuild = namespace["rebuild"]
    found = _LENIENT[layout.kind] = (msgspec.json.Decoder(list[struct]), rebuild)  # type: ignore[valid-type]
    return found


def _fast_lenient(src: Source, layout: RecordLayout, data: bytes | None = None) -> list[Any] | None:
    decoder, rebuild = _lenient(layout)
    try:
        items = _decode_utf8(src, decoder, data)
        if rebuild is not None:
            return rebuild(items)  # type: ignore[no-any-return]
        columns = [
            ["" if value is None else str(value) for value in column]
            for column in zip(*map(msgspec.structs.astuple, items), strict=True)
        ]
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
        return None
    except ValueError:  # an integer of more digits than Python writes as text
        return None
    return layout.from_columns(columns) if columns else []


# Fast path for kinds with numbers (groups, blacklists), where the canonical reply quotes some
# (``"cnt": "7"``, facts §3.5): msgspec's lax mode builds the records at C speed, reading a quoted
# number as the number.  Lax mode also reads ``5.0``, ``"1e3"``, ``-0`` and ``"null"`` as
# numbers, which the layout's rule refuses or spells differently -- so the lax records are taken
# only when every numeric key of the reply is followed by a plain decimal (bare or quoted, at
# most 18 digits) or ``null``, checked by one C-level search of the bytes before.  A key can hide
# from that search only behind a ``\u00XX`` escape of an ASCII letter, so any such escape, like
# any unusual spacing or a numeric key's name used as a value, sends the reply to the next path.
# Text fields are no risk: lax mode converts nothing into a ``str``.
_LAX: dict[str, tuple[msgspec.json.Decoder[Any], list[re.Pattern[bytes]]]] = {}
_PLAIN = rb'(?:null|0|[1-9][0-9]{0,17}|"(?:0|[1-9][0-9]{0,17})")'
_ASCII_ESCAPE = re.compile(rb"\\u00[2-7]")


def _lax(layout: RecordLayout) -> tuple[msgspec.json.Decoder[Any], list[re.Pattern[bytes]]]:
    found = _LAX.get(layout.kind)
    if found is None:
        unusual = [  # one search per key: its name is a literal the search skips to
            re.compile(b'"' + re.escape(field.name.encode("ascii")) + rb'"(?!: ?' + _PLAIN + rb"[\n ]?[,}])")
            for field in layout.fields
            if field.type != "str"
        ]
        decoder = msgspec.json.Decoder(list[layout.record], strict=False)  # type: ignore[name-defined]
        found = _LAX[layout.kind] = (decoder, unusual)
    return found


def _decode_or_none(
    src: Source, decoder: msgspec.json.Decoder[Any], data: bytes | None = None
) -> tuple[list[Any], bytes] | None:
    """``decoder`` applied to the payload's UTF-8 bytes (``data`` when given), and those bytes;
    ``None`` when it objects (the paths after it decide)."""
    data = _utf8(src) if data is None else data
    try:
        return decoder.decode(data), data
    except UnicodeDecodeError:
        data = _text_utf8(src)  # not UTF-8 after all: transcoded
        try:
            return decoder.decode(data), data
        except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
            return None
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
        return None


def _fast_lax(src: Source, layout: RecordLayout, data: bytes | None = None) -> list[Any] | None:
    decoder, unusual = _lax(layout)
    found = _decode_or_none(src, decoder, data)
    if found is None:
        return None
    records, data = found
    if b"\\u00" in data and _ASCII_ESCAPE.search(data) is not None:
        return None
    if any(pattern.search(data) is not None for pattern in unusual):
        return None
    return records


# A column of values written as bare JSON numbers (spec/formats.md, fmt 3), one a line.
_INTEGER = re.compile(INTEGER)
_INTEGER_COLUMN = re.compile(f"(?:{INTEGER})(?:\n(?:{INTEGER}))*")


def _string_column(column: Sequence[str]) -> Sequence[str] | None:
    """The JSON string contents (without quotes) of a column of texts, at C speed; ``None`` for a
    value that is not a ``str``, or holds a lone surrogate (the general path says which)."""
    try:
        joined = "".join(column)
        if joined.isprintable() and '"' not in joined and "\\" not in joined:
            return column  # nothing to escape (every control character is unprintable)
        if b"\\" not in _encode_string(joined):
            return column  # msgspec escapes nothing in any value: the texts go in as they are
        encoded = _encode_string(column).decode("utf-8")  # (a str subclass: TypeError)
    except (TypeError, UnicodeEncodeError):
        return None
    if '\\"' not in encoded:
        # With no escaped quote, a quote only opens or closes a string, so '","' only stands
        # between two strings of the encoded list.
        strings: list[str] = encoded[2:-2].split('","')
    else:
        strings = _JSON_STRING.findall(encoded)
    return strings if len(strings) == len(column) else None


# One JSON string as msgspec writes it (its escapes are backslash and one character or ``uXXXX``).
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _fast_objects(records: Sequence[Any], layout: RecordLayout) -> str | None:
    """Every record by one join (``writing.join_records``): text columns as they are where nothing
    in them needs escaping, else escaped by msgspec a column at a time (``_string_column``);
    numbers written by ``writing.number_texts``.  ``None`` for a type the table gains that this
    does not know, or a value the general path must judge."""
    if not records:
        return None
    fields = layout.fields
    columns = value_columns(records, len(fields))
    slots: list[FieldSlots] = []
    texts: list[Sequence[str]] = []
    for index, (field, bare, column) in enumerate(zip(fields, layout.json_bare, columns, strict=True)):
        key = (",\n" if index else "") + f'"{field.name}": '
        quote = "" if bare else '"'
        strings: Sequence[str] | None
        if field.type == "str" and bare:  # a text field spelled as a number: bare when every
            try:  # value of the column is one (the general path quotes the others)
                joined = "\n".join(column)
            except TypeError:
                return None
            if joined.count("\n") != len(column) - 1 or _INTEGER_COLUMN.fullmatch(joined) is None:
                return None
            strings = column
        elif field.type == "str":
            strings = _string_column(column)
        elif field.type == "int?":
            found = number_texts(field.type, column)
            if found is None or not index:
                return None  # (an absent first member would leave no separator to drop)
            opening = key + quote
            strings = ["" if text is None else opening + text + quote for text in found]
            slots.append(FieldSlots("", optional=True))
            texts.append(strings)
            continue
        else:
            strings = number_texts(field.type, column)  # type: ignore[assignment]
        if strings is None:
            return None
        slots.append(FieldSlots(key + quote, quote))
        texts.append(strings)
    try:
        return join_records(texts, slots, "{\n", "\n}", ",\n", "[", "]")
    except TypeError:  # not a str (a bare-number text column)
        return None


def _compiled_objects(records: Sequence[Any], layout: RecordLayout, utf8: bool = False) -> Any:
    """The list written in C in the server's layout (``writing.compiled_reply``), strings escaped
    as msgspec escapes them (a ``str``, or UTF-8 ``bytes`` when ``utf8``); ``None``: the core is
    off, or it declined."""
    keys = tuple(f'"{name}": ' for name in layout.field_names)
    quoted = tuple(not bare for bare in layout.json_bare)
    frame = ("[", "{\n", "\n}", ",\n", "]", ",\n")
    return compiled_reply(records, layout, FMT, keys, frame, quoted=quoted, utf8=utf8)


def encode_records(records: Sequence[Any], layout: RecordLayout, charset: str, *, strict: bool = True) -> str:
    """The list in fmt 3; ``strict`` changes nothing: JSON strings escape every value."""
    if not layout.simple:
        page = _fast_page_objects(records, layout)  # the pages' kinds: exact numbers, nested lists
        return page if page is not None else _page_array(records, layout)
    fast: str | None = _compiled_objects(records, layout)
    if fast is None:
        fast = _fast_objects(records, layout)
    if fast is not None:
        return fast
    fields = layout.fields
    objects = []
    for row, record in enumerate(records):
        members = []
        values = msgspec.structs.astuple(record)
        for field, value, text in zip(fields, values, layout.wire_texts(record, row, FMT), strict=True):
            if value is None:
                continue  # an absent optional number is left out, as the server does
            if field.json == "number" and _INTEGER.fullmatch(text):
                members.append(f'"{field.name}": {text}')  # a text field's other values: strings
            else:
                members.append(f'"{field.name}": {_json_string(text, f"$[{row}].{field.name}")}')
        objects.append("{\n" + ",\n".join(members) + "\n}")
    return "[" + ",\n".join(objects) + "]"


def encode_created(value: Created, charset: str) -> str:
    return f'{{\n"id": {reply_integer("id", value.id, FMT)}\n}}'


def encode_ok(charset: str) -> str:
    return '{\n"result": "OK"\n}'


def encode_error(value: Error, charset: str) -> str:
    message = _json_string(value.error, "$.error")
    code = reply_integer("error_code", value.error_code, FMT)
    if value.id is None:
        return f'{{\n"error": {message},\n"error_code": {code}\n}}'
    message_id = value.id if _INTEGER.fullmatch(value.id) else _json_string(value.id, "$.id")
    return f'{{\n"error": {message},\n"error_code": {code},\n"id": {message_id}\n}}'


# ---------------------------------------------------------------------------------------------
# The pages' kinds (send, cost, status, balance, senders, jobs, history, operator, templates):
# one object (record kinds) or an array of objects (list kinds), read untyped and checked value
# by value against the layout table.  The contacts-era fast paths above know only ``simple``
# kinds and decline the others.
#
# Numbers are read as their exact text, never through a float: msgspec hands every JSON number
# with a fraction or an exponent to ``float_hook`` as its own characters, so a bare ``1.40`` is
# the text "1.40" and becomes Decimal("1.40").  Every field takes both spellings (facts §14.5):
# money a string or a number, integers bare or quoted, a message id a number (its decimal text)
# or a string, text a string or an integer.  ``null`` is an absent optional field.  The nested
# per-number list (``phones``) is an array of objects read by the nested kind's layout.


class _NumberText(str):
    """The exact characters of a JSON number with a fraction or an exponent."""

    __slots__ = ()


class _IntegerText(str):
    """The exact characters of a JSON integer of more digits than msgspec reads (4300)."""

    __slots__ = ()


_EXACT = msgspec.json.Decoder(float_hook=_NumberText)
_NUMERIC_TYPES = frozenset({"int", "ts", "signed", "decimal", "blacklist-type"})
_INTEGER_TYPES = frozenset({"int", "ts", "signed", "blacklist-type"})
_PLAIN_TEXT_TYPES = frozenset({"str", "date-time"})
_COUNT_TYPES = frozenset({"int", "ts"})


def _parse_exact(src: Source) -> Any:
    """The payload as Python values, numbers with a fraction as ``_NumberText``; a malformed
    payload is the ``DecodeError`` ``_parse`` names."""
    try:
        return _decode_utf8(src, _EXACT)
    except RecursionError:
        raise src.error("JSON nests deeper than a reply can", 0) from None
    except msgspec.DecodeError as exc:
        if str(exc).startswith("Integer value out of range"):
            try:  # an integer of more digits than msgspec reads: every number as its text, the
                # layout's rule decides (NaN and Infinity, which this parser knows, included)
                return json.loads(
                    src.text, parse_int=_IntegerText, parse_float=_NumberText, parse_constant=_NumberText
                )
            except (ValueError, RecursionError):
                pass
    return _parse(src)  # raises: the same message and position as every other JSON reply


_ERROR_ID = FieldLayout(name="id", type="id", json="number", fmt1="id")  # the message a send error names


def _error_id(src: Source, obj: dict[str, Any]) -> str | None:
    """The ``id`` of a send error (codes 3, 6, 7, 8; facts §4.1): a JSON number is its decimal
    text, a string a message id; ``None`` when the reply has none."""
    if "id" not in obj:
        return None
    value = obj["id"]
    text = value if type(value) is str else str(value) if type(value) is int else None
    try:
        if text is None:
            raise ValueError(f"expected a message id (a string or an integer), got {_shown_json(value)}")
        return _ERROR_ID.parse(text)  # type: ignore[no-any-return]
    except ValueError as exc:
        raise src.error(str(exc), _locate(src.text, ["id"]), "$.id") from None


def _shown_json(value: Any) -> str:
    """A JSON value as a message shows it: JSON's own words for the literals and containers."""
    if value is None or type(value) is bool:
        return json.dumps(value)
    if type(value) is dict:
        return "an object"
    if type(value) is list:
        return "an array"
    if isinstance(value, _NumberText | float):
        return f"the number {value}"
    return shown(value)


def _locate_key(text: str, path: Sequence[int | str], key: str) -> int:
    """Character index of the key ``key`` (its opening quote) in the object at ``path``."""
    scan = _TEXT_SCANNER
    ws = re.compile(r"[ \t\r\n]*")
    index = _locate(text, path)  # the object's "{"
    index = ws.match(text, index + 1).end()  # type: ignore[union-attr]
    while True:
        start = index
        found, index = json.decoder.scanstring(text, index + 1)  # type: ignore[attr-defined]
        if found == key:
            return start
        index = ws.match(text, index).end() + 1  # type: ignore[union-attr]
        index = ws.match(text, index).end()  # type: ignore[union-attr]
        index = scan.raw_decode(text, index)[1]
        index = ws.match(text, index).end() + 1  # type: ignore[union-attr]
        index = ws.match(text, index).end()  # type: ignore[union-attr]


def _steps_path(path: Sequence[int | str]) -> str:
    return "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)


def _value_text(value: Any, kind: str) -> str | None:
    """The wire text of a JSON value for a field of type ``kind`` (base tag); ``None`` when the
    value's JSON type does not fit the field."""
    if type(value) is str:
        return value
    if isinstance(value, _NumberText):
        return str.__str__(value) if kind == "decimal" else None
    if isinstance(value, _IntegerText):
        return str.__str__(value)
    if type(value) is int:
        return str(value)  # a JSON integer has one spelling, so this is exact
    return None


# The plans are kept by the identity of the layout's fields (checked on use): a layout built
# elsewhere under a kind's name never meets another's plan.
_PAGE_FIELDS: dict[int, tuple[Any, dict[str, tuple[FieldLayout, str]]]] = {}


def _page_fields(layout: RecordLayout) -> dict[str, tuple[FieldLayout, str]]:
    """Each field of ``layout`` by its key, with its base type tag (looked up once a kind)."""
    return made_once_a_kind(_PAGE_FIELDS, layout, _new_page_fields)


def _new_page_fields(layout: RecordLayout) -> dict[str, tuple[FieldLayout, str]]:
    return {field.name: (field, field.base) for field in layout.fields}


def _page_object(src: Source, layout: RecordLayout, obj: Any, path: list[int | str]) -> Any:
    """One record of a pages' kind from its JSON object; a ``DecodeError`` at the value's
    position, with its path (``$.phones[1].cost``), for anything that does not fit."""
    here = _steps_path(path)
    if type(obj) is not dict:
        reason = f"expected an object for {layout.a_record}, got {_shown_json(obj)}"
        raise src.error(reason, _locate(src.text, path), here)
    fields = _page_fields(layout)
    values: dict[str, Any] = {}
    for key, value in obj.items():
        found = fields.get(key)
        if found is None:
            raise src.error(f"unknown field {shown(key)}", _locate_key(src.text, path, key), f"{here}.{key}")
        field, base = found
        kind = type(value)
        # the common spellings need no text: a JSON string in a text field, a JSON integer in an
        # integer field (msgspec reads at most 4300 digits, the layout's own limit)
        if kind is str and base in _PLAIN_TEXT_TYPES:
            values[key] = value
            continue
        if kind is int and (base == "signed" or (base in _COUNT_TYPES and value >= 0)):
            values[key] = value
            continue
        where = [*path, key]
        if value is None and field.optional:
            continue  # null: absent
        if base == "list":
            values[key] = _page_nested(src, layout, field.name, value, where)
            continue
        text = _value_text(value, base)
        if text is None:
            if isinstance(value, _NumberText):
                wanted = "an integer" if base in _INTEGER_TYPES else "a string or an integer"
                reason = f"expected {wanted} for `{key}`, got the number {str.__str__(value)}"
            else:
                reason = f"expected a string or a number for `{key}`, got {_shown_json(value)}"
            raise src.error(reason, _locate(src.text, where), f"{here}.{key}")
        try:
            values[key] = field.parse(text)
        except ValueError as exc:
            raise src.error(str(exc), _locate(src.text, where), f"{here}.{key}") from None
    missing = layout.required.difference(values)
    if missing:
        name = min(missing, key=layout.field_index.__getitem__)
        reason = f"required field `{name}` is missing"
        raise src.error(reason, _locate(src.text, path), f"{here}.{name}")
    return layout.record(**values)


def _page_nested(src: Source, layout: RecordLayout, name: str, value: Any, path: list[int | str]) -> Any:
    """A nested list (``phones``): an array of objects of the nested kind, as a tuple."""
    inner = layout.nested[name]
    if type(value) is not list:
        raise src.error(
            f"expected an array of {inner.record.__name__} objects for `{name}`, got {_shown_json(value)}",
            _locate(src.text, path),
            _steps_path(path),
        )
    return tuple(_page_object(src, inner, item, [*path, row]) for row, item in enumerate(value))


def decode_record(src: Source, layout: RecordLayout) -> Any:
    """One record of a single-record kind (``layout.shape == "record"``) in fmt 3: one object."""
    return _page_object(src, layout, _parse_exact(src), [])


def _page_records(src: Source, layout: RecordLayout) -> list[Any]:
    """A list of a pages' kind: an array of objects."""
    items = _parse_exact(src)
    if type(items) is not list:
        reason = f"expected an array of {layout.record.__name__} objects, got {_shown_json(items)}"
        raise src.error(reason, _locate(src.text, []), "$")
    return [_page_object(src, layout, obj, [row]) for row, obj in enumerate(items)]


def _page_members(value: Any, layout: RecordLayout, path: str) -> list[str]:
    """The ``"key": value`` members of a record of a pages' kind, absent fields left out."""
    members = []
    items = msgspec.structs.astuple(value)
    for (field, base, optional), item in zip(layout.typed_fields, items, strict=True):
        name = field.name
        kind = type(item)
        if kind is str and base in _PLAIN_TEXT_TYPES:  # the common cases, checked as format checks
            members.append(f'"{name}": {_json_string(item, f"{path}.{name}")}')
            continue
        short = kind is int and -_SHORT < item < _SHORT
        if short and (base == "signed" or (base in _COUNT_TYPES and item >= 0)):
            members.append(f'"{name}": {item}')
            continue
        if item is None and optional:
            continue
        if base == "list":
            members.append(f'"{name}": {_page_nested_array(item, layout, name, f"{path}.{name}")}')
            continue
        try:
            text = field.format(item)
        except ValueError as exc:
            raise EncodeError(str(exc), fmt=FMT, path=f"{path}.{name}") from None
        if field.json == "number" and (base in _NUMERIC_TYPES or _INTEGER.fullmatch(text)):
            members.append(f'"{name}": {text}')  # a message id or text that is not an integer: a string
        else:
            members.append(f'"{name}": {_json_string(text, f"{path}.{name}")}')
    return members


_SHORT = 10**18  # an integer written without the digit-count check of ``format_integer``


def _page_nested_array(items: Any, layout: RecordLayout, name: str, path: str) -> str:
    """A nested list as an array written inline on its key's line (spec/formats.md, fmt 3)."""
    inner = layout.nested[name]
    if not isinstance(items, tuple | list):
        raise EncodeError(
            f"`{name}` must be a tuple of {inner.record.__name__}, got {shown(items)}", fmt=FMT, path=path
        )
    if not items:
        return "[]"
    lines = []
    for row, item in enumerate(items):
        if type(item) is not inner.record:
            reason = f"`{name}` holds {inner.record.__name__} records, got {shown(item)}"
            raise EncodeError(reason, fmt=FMT, path=f"{path}[{row}]")
        lines.append("{" + ", ".join(_page_members(item, inner, f"{path}[{row}]")) + "}")
    return "[" + ", ".join(lines) + "]"


def encode_record(value: Any, layout: RecordLayout, charset: str, *, strict: bool = True) -> str:
    """The fmt 3 reply of one record of a single-record kind, in the server's layout (``{``, one
    member a line, ``}``, no indentation); ``strict`` changes nothing: JSON escapes every value."""
    return "{\n" + ",\n".join(_page_members(value, layout, "$")) + "\n}"


def _page_array(records: Sequence[Any], layout: RecordLayout) -> str:
    """A list of a pages' kind, laid out as the contacts lists are."""
    objects = [
        "{\n" + ",\n".join(_page_members(record, layout, f"$[{row}]")) + "\n}"
        for row, record in enumerate(records)
    ]
    return "[" + ",\n".join(objects) + "]"


# ---------------------------------------------------------------------------------------------
# Fast path for lists of the pages' kinds (history, statuses, senders, templates): one typed
# msgspec decode of the whole reply into a struct derived from the layout table, whose fields take
# every spelling the general path reads (a string or a JSON integer; money also a JSON number with
# a fraction, kept as its characters by ``float_hook``; ``null`` where the field is optional),
# then a column at a time: each column's types looked at once, its texts checked by one match of
# the whole column, converted by one ``map``, and the records built by one ``map`` over the
# columns.  Anything the typed decoder refuses (a key the kind does not have, a value of another
# JSON type, malformed JSON) and any column holding a value that does not fit its field cleanly
# makes it decline (``None``): the general path (``_page_records``) then reads the reply, so every
# record and every error comes from one place.  A value the general path would read but this
# does not expect (``"-0"``, an integer of more than 18 digits) also declines: declining is
# always safe, accepting never guesses.


class _PagePlan:
    """How the fast path reads one pages' list kind: its lenient decoder, and per field what its
    column may hold and how it becomes typed values."""

    __slots__ = ("decoder", "fields")

    def __init__(self, decoder: msgspec.json.Decoder[Any], fields: list[_ColumnPlan]) -> None:
        self.decoder = decoder
        self.fields = fields


class _ColumnPlan:
    """One field's column: ``base`` type tag, whether ``optional``, the value an absent field
    takes (``default``, the record's), the whole-column check of its texts and the conversion."""

    __slots__ = ("base", "check", "convert", "default", "missing", "optional")

    def __init__(self, field: FieldLayout, default: Any) -> None:
        self.base = field.base
        self.optional = field.optional
        self.default = default
        self.missing: Any = None if field.optional else msgspec.UNSET  # what an absent value reads as
        self.check = _COLUMN_TEXTS.get(self.base)
        self.convert: Any = {"int": int, "ts": int, "signed": int, "decimal": Decimal}.get(self.base)


# One value of each type as text, joined by "\n" into one line a value (the whole column is
# matched at once; a value holding a line break is caught by counting them).  The integers stop
# at 18 digits and the amounts at 40 (the general path reads up to 4300; longer ones decline).
_COLUMN_TEXTS = {
    "int": re.compile(r"(?:0|[1-9][0-9]{0,17})(?:\n(?:0|[1-9][0-9]{0,17}))*"),
    "ts": re.compile(r"(?:0|[1-9][0-9]{0,17})(?:\n(?:0|[1-9][0-9]{0,17}))*"),
    "signed": re.compile(r"(?:0|-?[1-9][0-9]{0,17})(?:\n(?:0|-?[1-9][0-9]{0,17}))*"),
    "decimal": re.compile(
        r"-?(?:0|[1-9][0-9]{0,39})(?:\.[0-9]{1,40})?(?:\n-?(?:0|[1-9][0-9]{0,39})(?:\.[0-9]{1,40})?)*"
    ),
    "id": re.compile(r"[A-Za-z0-9._-]+(?:\n[A-Za-z0-9._-]+)*"),
}
_NONE_TYPE = type(None)
_UNSET_TYPE = type(msgspec.UNSET)
_ONLY_STR = frozenset({str})
_ONLY_INT = frozenset({int})
_STR_OR_INT = frozenset({str, int})
_MONEY_TYPES = frozenset({str, int, _NumberText})
_PAGE_PLANS: dict[int, tuple[Any, _PagePlan | None]] = {}
_LENIENT_TYPES: dict[str, Any] = {
    "str": str | int,
    "date-time": str | int,
    "id": str | int,
    "int": int | str,
    "ts": int | str,
    "signed": int | str,
    "decimal": Any,  # a string, an integer or a number with a fraction (its text)
}


def _page_plan(layout: RecordLayout) -> _PagePlan | None:
    """The fast path's plan of a pages' list kind (made once a kind); ``None`` when the kind has
    a field type this does not know (a nested list), or its record's fields are not the table's
    in the table's order -- the general path then reads it."""
    return made_once_a_kind(_PAGE_PLANS, layout, _make_page_plan)


def _make_page_plan(layout: RecordLayout) -> _PagePlan | None:
    infos = msgspec.structs.fields(layout.record)
    if layout.shape != "list" or tuple(info.encode_name for info in infos) != layout.field_names:
        return None
    lenient: list[Any] = []
    columns = []
    for field, info in zip(layout.fields, infos, strict=True):
        either = _LENIENT_TYPES.get(field.base)
        if either is None:
            return None
        if info.required:
            default = None
            lenient.append((field.name, either))
        else:
            default = info.default if info.default_factory is msgspec.NODEFAULT else info.default_factory()
            if field.optional:
                lenient.append((field.name, either | None if either is not Any else Any, None))
            else:
                lenient.append((field.name, either, msgspec.UNSET))
        columns.append(_ColumnPlan(field, default))
    struct = msgspec.defstruct(
        f"Lenient{layout.record.__name__}", lenient, forbid_unknown_fields=True, gc=False
    )
    decoder = msgspec.json.Decoder(list[struct], float_hook=_NumberText)  # type: ignore[valid-type]
    return _PagePlan(decoder, columns)


def _fast_pages(src: Source, layout: RecordLayout) -> list[Any] | None:
    plan = _page_plan(layout)
    if plan is None:
        return None
    found = _decode_or_none(src, plan.decoder)
    if found is None:
        return None
    items = found[0]
    if not items:
        return []
    del found
    columns = value_columns(items, len(plan.fields))
    del items
    typed = []
    for column_plan, column in zip(plan.fields, columns, strict=True):
        values = _page_column(column_plan, column)
        if values is None:
            return None
        typed.append(values)
    return list(map(layout.record, *typed))


def _page_column(plan: _ColumnPlan, column: list[Any]) -> list[Any] | None:
    """The typed values of one column as the general path reads them, or ``None`` (declined)."""
    types = set(map(type, column))
    missing = _NONE_TYPE if plan.optional else _UNSET_TYPE
    if missing not in types:
        return _present_values(plan, column, types)
    if len(types) == 1:
        return [plan.default] * len(column)  # the field is absent (or null) throughout
    marker = plan.missing
    present = [value for value in column if value is not marker]
    types.discard(missing)
    values = _present_values(plan, present, types)
    if values is None:
        return None
    found = iter(values)
    default = plan.default
    return [default if value is marker else next(found) for value in column]


def _present_values(plan: _ColumnPlan, column: list[Any], types: set[type]) -> list[Any] | None:
    """``_page_column`` for a column without absent values."""
    base = plan.base
    if plan.convert is int and types <= _ONLY_INT:
        if base != "signed" and min(column) < 0:
            return None  # (the general path says a count is not negative)
        return column
    if plan.check is None and types <= _ONLY_STR:
        return column  # text: as it is
    if not types <= (_MONEY_TYPES if base == "decimal" else _STR_OR_INT):
        return None
    try:
        texts = column if types <= _ONLY_STR else list(map(str, column))
    except ValueError:  # an integer of more digits than Python writes
        return None
    if plan.check is None:
        return texts
    blank = plan.optional and "" in texts  # an optional field's empty text: absent
    checked = [text for text in texts if text] if blank else texts
    if checked:
        joined = "\n".join(checked)
        if joined.count("\n") != len(checked) - 1 or plan.check.fullmatch(joined) is None:
            return None
    convert = plan.convert
    if convert is None:  # a message id: the text
        return [text or None for text in texts] if blank else texts
    if blank:
        return [convert(text) if text else None for text in texts]
    return list(map(convert, texts))


# ---------------------------------------------------------------------------------------------
# The direct path, tried before the two above: the reply decoded by msgspec straight into the
# kind's own records, strict, when the record's field types say exactly what the layout's rule
# reads (checked once a kind from msgspec's own view of the record: text a plain ``str``, counts
# ``int`` of at least 0, signed numbers any ``int``, money ``Decimal``, ``None`` only where the
# field is optional).  Three things the typed decoder alone would get wrong are dealt with first:
#
# * A text field the server may write as a bare number (its JSON spelling is ``number``, or its
#   fmt 1 class says the text is a number -- the seed's ``"group": 5922``, a message ``id``): once
#   the decoder refuses a bare number there, every value of that key is quoted by two C-level
#   passes over the bytes (``_quote_bare``) and the reply decoded again; each value read back
#   must then be a plain integer of at most 18 digits (not ``-0``, which the general path reads
#   as 0), or the path declines.
# * Money: msgspec reads ``"1e3"``, ``" 1"``, ``"01"`` and ``"NaN"`` into a ``Decimal`` where the
#   layout's rule refuses them, so one search of the bytes a money key finds any value that is
#   not a plain amount (quoted, or bare and not ``-0``), and the path declines.
# * Message ids: one match of the whole decoded column (``[A-Za-z0-9._-]+`` each).
#
# In valid JSON the bytes ``"<key>":`` (a plain ASCII key) occur only as that key -- inside a
# string the quote would be escaped -- so the searches cannot be fooled by text; a key spelled
# with a ``\u00XX`` escape could hide from them, so any such escape declines.
_SPACE = rb"[ \t\r\n]*+"
_BARE_DIGITS = rb"(0|-?[1-9][0-9]{0,17})(?=[ \t\r\n]*[,}])"
_AMOUNT = rb"-?(?:0|[1-9][0-9]{0,39})(?:\.[0-9]{1,40})?"
_BARE_AMOUNT = rb"(?:-?[1-9][0-9]{0,39}(?:\.[0-9]{1,40})?|-?0\.[0-9]{1,40}|0)"
_DIRECT: dict[int, tuple[Any, _DirectPlan | None]] = {}


class _DirectPlan:
    """The direct path of one kind: its strict decoder, the keys whose bare integers are quoted
    first (with the split that finds them), the searches for unusual money, the id columns."""

    __slots__ = ("bare", "decoder", "ids", "quoted", "unusual")

    def __init__(self, layout: RecordLayout) -> None:
        self.decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder(list[layout.record])  # type: ignore[name-defined]
        self.quoted: list[tuple[str, bytes]] = []
        self.unusual: list[re.Pattern[bytes]] = []
        self.ids: list[tuple[Any, bool]] = []
        for field in layout.fields:
            key = b'"' + field.name.encode("ascii") + b'"'
            numeric = field.json == "number" or field.fmt1 in _NUMERIC_TEXT
            if field.base in ("str", "date-time", "id") and numeric:
                self.quoted.append((field.name, key + b": "))
            if field.base == "decimal":
                null = b"|null" if field.optional else b""
                plain = b'(?:"' + _AMOUNT + b'"|' + _BARE_AMOUNT + null + b")"
                self.unusual.append(
                    re.compile(re.escape(key) + _SPACE + b":" + _SPACE + b"(?!" + plain + _SPACE + b"[,}])")
                )
            if field.base == "id":
                self.ids.append((operator.attrgetter(field.name), field.optional))
        self.bare = {  # each bare integer value of the key: the key and colon, then its digits
            name: re.compile(b"(" + re.escape(key) + b")" + _BARE_DIGITS) for name, key in self.quoted
        }


_EXPECTED_TYPES = {
    "str": msgspec.inspect.StrType(),
    "date-time": msgspec.inspect.StrType(),
    "id": msgspec.inspect.StrType(),
    "int": msgspec.inspect.IntType(ge=0),
    "ts": msgspec.inspect.IntType(ge=0),
    "signed": msgspec.inspect.IntType(),
    "decimal": msgspec.inspect.DecimalType(),
}


def _direct_plan(layout: RecordLayout) -> _DirectPlan | None:
    """The direct path's plan of a list kind (made once a kind); ``None`` when a field's type in
    the record is not exactly what the layout's rule reads (then the other paths decide)."""
    return made_once_a_kind(_DIRECT, layout, _new_direct_plan)


def _new_direct_plan(layout: RecordLayout) -> _DirectPlan | None:
    info = msgspec.inspect.type_info(layout.record)
    if not (
        layout.shape == "list"
        and isinstance(info, msgspec.inspect.StructType)
        and tuple(field.encode_name for field in info.fields) == layout.field_names
        and info.forbid_unknown_fields
    ):
        return None
    fits = True
    for field, found in zip(layout.fields, info.fields, strict=True):
        expected: Any = _EXPECTED_TYPES.get(field.base)
        if field.optional:
            expected = msgspec.inspect.UnionType((expected, msgspec.inspect.NoneType()))
            fits = fits and found.default is None
        fits = fits and expected is not None and found.type == expected
    return _DirectPlan(layout) if fits else None


def _quote_bare(data: bytes, key: bytes, closing: Any) -> bytes:
    """``data`` with a quote after every ``"<key>": `` and another where ``closing`` puts it in
    the text after (``_BEFORE_COMMA``: before its first comma; ``_BEFORE_BREAK``: before its
    first comma or line break, for a member last in its object; a pattern: around each bare
    integer it finds, for a key whose values are some bare, some strings): every value of the key, if
    each is a bare number followed by its comma (or line break), made a string (``"group":
    5922,`` -> ``"group": "5922",``).  C-level passes whatever the values are; the caller checks
    that the values read back are exactly integers (anything else -- a value quoted already,
    ``null``, ``1.5`` -- breaks the JSON or fails that check)."""
    if isinstance(closing, re.Pattern):  # only the bare integers of the key, found one by one
        parts = closing.split(data)  # [before, key and colon, digits, before, ...]
        count = len(parts) // 3
        quoted: list[bytes] = [b'"'] * (5 * count + 1)
        quoted[0::5] = parts[0::3]
        quoted[1::5] = parts[1::3]
        quoted[3::5] = parts[2::3]
        return b"".join(quoted)
    pieces = data.split(key)
    if len(pieces) == 1:
        return data
    pieces[1:] = map(closing, pieces[1:])
    return (key + b'"').join(pieces)


_BEFORE_COMMA = operator.methodcaller("replace", b",", b'",', 1)
_BEFORE_BREAK = functools.partial(re.compile(rb"(?=[,\n])").sub, b'"', count=1)
_BY_TOKEN = "by token"  # (the key's own pattern, ``_DirectPlan.bare``)
_NEXT_CLOSING: dict[Any, Any] = {_BEFORE_COMMA: _BEFORE_BREAK, _BEFORE_BREAK: _BY_TOKEN}
_AGAIN = "again"  # quoted a way that does not fit this reply: try the next
_TRANSCODE = "transcode"  # not UTF-8: try the text's UTF-8


def _direct_attempt(plan: _DirectPlan, data: bytes, closing: Any) -> list[Any] | str | None:
    """One try of ``_fast_direct``: the records, ``None`` (declined), ``_AGAIN`` or ``_TRANSCODE``."""
    quotable = dict(plan.quoted)
    quoted: list[str] = []
    while True:
        try:
            records: list[Any] = plan.decoder.decode(data)
            break
        except msgspec.ValidationError as exc:
            found = _BARE_IN_TEXT.search(str(exc))
            name = "" if found is None else found[1]
            key = quotable.pop(name, None)
            if key is None:
                return None
            data = _quote_bare(data, key, plan.bare[name] if closing is _BY_TOKEN else closing)
            quoted.append(name)
        except msgspec.DecodeError:
            return _AGAIN if quoted else _TRANSCODE
        except RecursionError:
            return None
    if closing is _BY_TOKEN:
        return records  # (only plain integers were quoted)
    for name in quoted:  # each value quoted must have been a plain integer (absent ones aside)
        column = list(map(operator.attrgetter(name), records))
        if "" in column or None in column:
            column = [text for text in column if text]
        joined = "\n".join(column)
        if column and (joined.count("\n") != len(column) - 1 or _INTEGER_TEXTS.fullmatch(joined) is None):
            return _AGAIN
    return records
_INTEGER_TEXTS = re.compile(r"(?:0|-?[1-9][0-9]{0,17})(?:\n(?:0|-?[1-9][0-9]{0,17}))*")
_MESSAGE_IDS = re.compile(r"[A-Za-z0-9._-]+(?:\n[A-Za-z0-9._-]+)*")
_BARE_IN_TEXT = re.compile(r"Expected `str(?: \| null)?`, got `int` - at `\$\[[0-9]+\]\.([a-z_]+)`$")


def _unusual_money(data: bytes, plan: _DirectPlan) -> bool:
    """Whether a money value is not a plain amount, or a key could hide from that search."""
    if not plan.unusual:
        return False  # (a key spelled with escapes hides from nothing else: the quoting leaves
        # its bare number bare, and the decoder refuses it)
    if b"\\u00" in data and _ASCII_ESCAPE.search(data) is not None:
        return True
    return any(pattern.search(data) is not None for pattern in plan.unusual)


def _fast_direct(src: Source, layout: RecordLayout, data: bytes | None = None) -> list[Any] | None:
    """The list decoded straight into its records (see above), or ``None``: declined.

    The bare numbers of a key are quoted only once the decoder has met one (it stops at the
    first, usually in the first record): a reply that has none is decoded once, untouched.  They
    are quoted the cheapest way first (before the comma after each value), and again the next
    way when that breaks the JSON or leaves a value that is not an integer (a member last in its
    object; a key with strings too)."""
    plan = _direct_plan(layout)
    if plan is None:
        return None
    data = _utf8(src) if data is None else data
    if _unusual_money(data, plan):
        return None
    # Transcoded once at most: the UTF-8 of an empty payload is the very object the payload is
    # (CPython keeps one empty bytes), so "are these still the raw bytes?" cannot tell.
    transcodable = data is src.raw and src.charset != "utf-8"
    closing: Any = _BEFORE_COMMA
    while True:
        found = _direct_attempt(plan, data, closing)
        if found is _TRANSCODE and transcodable:
            transcodable = False
            data = _text_utf8(src)  # not UTF-8 after all: transcoded, looked at again
            if _unusual_money(data, plan):
                return None
            continue
        if found is _AGAIN and closing is not _BY_TOKEN:
            closing = _NEXT_CLOSING[closing]
            continue
        if not isinstance(found, list):
            return None
        records = found
        break
    for read, optional in plan.ids:
        column = list(map(read, records))
        if optional:
            column = [text for text in column if text is not None]
        if not column:
            continue
        joined = "\n".join(column)
        if joined.count("\n") != len(column) - 1 or _MESSAGE_IDS.fullmatch(joined) is None:
            return None
    return records


# ---------------------------------------------------------------------------------------------
# The pages' lists written a column at a time, as ``_fast_objects`` writes the contacts': each
# column's types looked at once, its values made wire text by one C-level pass (msgspec escapes
# the texts, ``int.__repr__`` and ``format(.., "f")`` write the numbers), and the reply one
# ``str.join``.  An optional field's absent values leave its member out (a column absent
# throughout is not written at all).  Whatever ``_page_members`` would write otherwise or refuse
# -- a type it converts or refuses, an integer of 18 digits or more, a nested list, a lone
# surrogate -- makes it decline, and the general writer writes the reply or says why not.
_SHORT_MIN = -_SHORT


def _page_value_texts(
    field: FieldLayout, present: list[Any], types: set[type]
) -> tuple[Sequence[str], str] | None:
    """The wire texts of a column's present values and the quote around each (``""``: the texts
    carry their own); ``None``: declined."""
    base = field.base
    if base in _PLAIN_TEXT_TYPES:
        strings = _string_column(present) if types <= _ONLY_STR else None
        return None if strings is None else (strings, '"')
    if base in _COUNT_TYPES or base == "signed":
        if not types <= _ONLY_INT or max(present) >= _SHORT:
            return None
        if min(present) < (0 if base in _COUNT_TYPES else _SHORT_MIN + 1):
            return None
        return list(map(int.__repr__, present)), ""
    if base == "decimal":
        if types != _ONLY_DECIMAL or not all(map(Decimal.is_finite, present)):
            return None
        texts = list(map(format, present, repeat("f")))
        if max(map(len, texts)) > _MAX_AMOUNT_DIGITS:
            return None
        return texts, ("" if field.json == "number" else '"')
    if base == "id":
        if not types <= _ONLY_STR:
            return None
        joined = "\n".join(present)
        if joined.count("\n") != len(present) - 1 or _MESSAGE_IDS.fullmatch(joined) is None:
            return None
        if field.json != "number":
            return present, '"'
        if _INTEGER_COLUMN.fullmatch(joined) is not None:
            return present, ""  # every id an integer: bare numbers
        return [text if _INTEGER.fullmatch(text) else f'"{text}"' for text in present], ""
    return None  # a nested list, or a type the table gains: the general writer


_ONLY_DECIMAL = frozenset({Decimal})
_MAX_AMOUNT_DIGITS = 4300  # what ``FieldLayout.format`` writes at most


def _fast_page_objects(records: Sequence[Any], layout: RecordLayout) -> str | None:
    """A list of a pages' kind in the server's layout, as ``_page_array`` writes it; ``None``:
    declined."""
    fields = layout.fields
    if not records or fields[0].optional:
        return None  # (an absent first member would leave no separator to drop)
    slots: list[FieldSlots] = []
    texts: list[Sequence[str]] = []
    for index, (field, column) in enumerate(zip(fields, value_columns(records, len(fields)), strict=True)):
        key = (",\n" if index else "") + f'"{field.name}": '
        types = set(map(type, column))
        absent = field.optional and _NONE_TYPE in types
        if absent and len(types) == 1:
            continue  # absent from every record
        present = column
        if absent:
            present = [value for value in column if value is not None]
            types.discard(_NONE_TYPE)
        found = _page_value_texts(field, present, types)
        if found is None:
            return None
        values, quote = found
        if not absent:
            slots.append(FieldSlots(key + quote, quote))
            texts.append(values)
            continue
        opening = key + quote
        given = iter(values)
        texts.append(["" if value is None else opening + next(given) + quote for value in column])
        slots.append(FieldSlots("", optional=True))
    return join_records(texts, slots, "{\n", "\n}", ",\n", "[", "]")
