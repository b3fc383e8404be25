"""fmt 3: JSON, one key a line.

Seed, list of contacts at fmt = 3::

    [{
    "phone": "<phone>",
    ...
    },
    ...]

Real servers write this layout without indentation (facts §1.2) and quote numbers or not
(facts §3.4: every contact value is a string; §3.5: group ids are bare numbers); both spellings
decode.  A typed msgspec decoder does the work; when it objects (a quoted number, a bare number in
a text field, an unknown key) the reply is decoded again untyped, each value checked by the layout
table, so the answer is either the exact records or a ``DecodeError`` that says where.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import msgspec

from fmtcodec.charset import ASCII_SPACE, Source
from fmtcodec.errors import EncodeError, shown
from fmtcodec.layout import INTEGER, FieldValueError, RecordLayout, parse_integer, reply_integer
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


def _decode_utf8(src: Source, decoder: msgspec.json.Decoder[Any], data: bytes | None = None) -> Any:
    """``decoder`` applied to the payload's UTF-8 bytes (the caller's own bytes when they are;
    ``data`` when a path before has them already: transcoded once, not once a path)."""
    optimistic = src.utf8() if data is None else data
    try:
        return decoder.decode(optimistic)
    except UnicodeDecodeError:
        return decoder.decode(src.text.encode("utf-8"))  # not UTF-8 after all: transcoded
    except msgspec.ValidationError:
        # Well-formed so far, a value of another type: the same in any charset (JSON's syntax and
        # numbers are ASCII), so the caller's next path decides without the payload being
        # decoded here only to learn its charset (a whole pass, the seed's ``"group": 5922``).
        raise
    except msgspec.DecodeError:
        if src.raw is optimistic and src.charset != "utf-8":
            # malformed before the first byte that is not UTF-8: say where in the real text
            return decoder.decode(src.text.encode("utf-8"))
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


def _locate(text: str, path: Sequence[int | str]) -> int:
    """Character index of the value at ``path`` (list indexes and object keys) in JSON ``text``.

    Used only to report an error, so a plain walk with the standard library is fine.
    """
    scan = json.JSONDecoder()
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
        raise src.error(f"expected an object for a {layout.kind}", _locate(src.text, path), here)
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
        if key not in ("error", "error_code"):
            reason = f"unexpected key {shown(key)} in an error reply"
            raise src.error(reason, _locate(src.text, [key]), f"$.{key}")
    message = obj.get("error", "")
    if not isinstance(message, str):
        raise src.error(f"expected a string, got {shown(message)}", _locate(src.text, ["error"]), "$.error")
    return Error(error_code=_checked_integer(src, obj, "error_code"), error=message)


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
    decoder = _TYPED.get(layout.kind)
    if decoder is None:
        decoder = _TYPED[layout.kind] = msgspec.json.Decoder(list[layout.record])  # type: ignore[name-defined]
    data = src.utf8()  # (transcoded here when the charset is another: once for every path)
    if not layout.all_text:
        # a group list quotes ``cnt``: the strict decoder stops at once, the lax one takes it
        strict = _decode_or_none(src, decoder, data)
        typed = _fast_lax(src, layout, data) if strict is None else strict[0]
        if typed is not None:
            return typed
    else:
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
    data = src.utf8() if data is None else data
    try:
        return decoder.decode(data), data
    except UnicodeDecodeError:
        data = src.text.encode("utf-8")  # not UTF-8 after all: transcoded
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
    return f'{{\n"error": {message},\n"error_code": {reply_integer("error_code", value.error_code, FMT)}\n}}'

