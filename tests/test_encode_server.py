"""Encoding as the server writes: ``encode(..., strict=False)`` for fmt 0/1 rows that do not read
back (spec/formats.md, Encoding), and the fmt 3 spelling of a text field written as a number."""

from __future__ import annotations

from dataclasses import replace

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmtcodec import decode, encode, strategies
from fmtcodec import json as json_codec
from fmtcodec.errors import AmbiguousRecordError, DecodeError, EncodeError
from fmtcodec.layout import LAYOUTS
from fmtcodec.records import Contact, Error, Group

# -- fmt 3: a text field spelled as a JSON number ---------------------------------------------------


def _group_as_number():
    layout = LAYOUTS["contact"]
    fields = tuple(replace(f, json="number") if f.name == "group" else f for f in layout.fields)
    return replace(layout, fields=fields)


GROUP_AS_NUMBER = _group_as_number()


def _object(phone, group, name="A"):
    return (
        f'{{\n"phone": "{phone}",\n"name": "{name}",\n"group": {group},\n"first_name": "",\n"last_name": "",\n'
        f'"middle_name": "",\n"birthday": "",\n"id": "",\n"comments": "",\n"tags": "",\n"phone_other": ""\n}}'
    )


def test_layout_says_which_fields_json_writes_bare():
    assert GROUP_AS_NUMBER.json_bare == (False, False, True, *[False] * 8)
    assert LAYOUTS["contact"].json_bare == (False,) * 11
    assert LAYOUTS["group"].json_bare == (True, False, True, False)  # id, name, number, cnt


def test_number_spelled_text_field_is_bare_on_the_fast_path():
    records = [Contact(phone="1", name="A", group="5921"), Contact(phone="2", name="A", group="0")]
    assert json_codec._fast_objects(records, GROUP_AS_NUMBER) is not None  # the fast path takes it
    assert json_codec.encode_records(records, GROUP_AS_NUMBER, "utf-8") == (
        "[" + _object(1, 5921) + ",\n" + _object(2, 0) + "]"
    )


@pytest.mark.parametrize(
    "records",
    [
        # a value that is not an integer (two ids, none, a leading zero) is quoted in its row only
        [Contact(phone="1", name="A", group="5921"), Contact(phone="2", name="A", group="5921,5922")],
    ],
)
def test_number_spelled_text_field_is_bare_on_the_general_path(records):
    assert json_codec._fast_objects(records, GROUP_AS_NUMBER) is None
    written = json_codec.encode_records(records, GROUP_AS_NUMBER, "utf-8")
    assert '"group": 5921,\n' in written
    if len(records) == 2:
        assert written == "[" + _object(1, 5921) + ",\n" + _object(2, '"5921,5922"') + "]"


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ('"', '\\"'),  # msgspec escapes the quote
        (type("S", (str,), {"__str__": lambda self: "B"})("A"), "A"),  # a str subclass: its characters
    ],
)
def test_number_spelled_text_field_on_the_fast_path(monkeypatch, name, written):
    records = [Contact(phone="1", name=name, group="5921")]
    fast = json_codec._fast_objects(records, GROUP_AS_NUMBER)
    assert fast == "[" + _object(1, 5921, name=written) + "]"
    monkeypatch.setattr(json_codec, "_fast_objects", lambda *args: None)
    assert json_codec.encode_records(records, GROUP_AS_NUMBER, "utf-8") == fast


@pytest.mark.parametrize(("group", "spelled"), [("", '""'), ("05", '"05"'), ("1,2", '"1,2"'), ("7", "7")])
def test_number_spelled_text_field_quotes_what_is_not_an_integer(group, spelled):
    written = json_codec.encode_records([Contact(phone="1", name="A", group=group)], GROUP_AS_NUMBER, "utf-8")
    assert written == "[" + _object(1, spelled) + "]"


# -- encode(..., strict=False): fmt 0/1 rows as the server writes them -----------------------------

TWO_GROUPS = [Contact(phone="79990000001", name="A", group="5921,5922")]


def test_contact_in_two_groups_in_fmt1_as_the_server_writes_it():
    with pytest.raises(EncodeError) as refused:
        encode(TWO_GROUPS, fmt=1)
    assert str(refused.value) == (
        "fmt 1 cannot carry the value at $[0]: `group` '5921,5922' does not look like a number value"
    )
    written = encode(TWO_GROUPS, fmt=1, strict=False)
    assert written == b"79990000001,A,5921,5922,,,,,,,,"
    # the row does not read back: the extra piece could be any of the empty text fields
    with pytest.raises(AmbiguousRecordError) as ambiguous:
        decode(written, list[Contact], fmt=1)
    assert str(ambiguous.value).startswith(
        "fmt 1: the row splits into the 11 fields of a contact in 7 equally good ways:"
    )
    assert ambiguous.value.path == "$[0]"


def test_contact_in_two_groups_in_fmt0_needs_no_leniency():
    strict = encode(TWO_GROUPS, fmt=0)
    assert strict == encode(TWO_GROUPS, fmt=0, strict=False) == (
        b"phone = 79990000001, name = A, group = 5921,5922, first_name = , last_name = , middle_name = ,"
        b" birthday = , id = , comments = , tags = , phone_other = "
    )
    assert decode(strict, list[Contact], fmt=0) == TWO_GROUPS


def test_fmt0_value_holding_the_next_marker_is_written_raw_and_reads_as_the_server_row():
    contact = Contact(phone="79990000001", name="A, group = 7", group="5921,5922")
    with pytest.raises(EncodeError) as refused:
        encode([contact], fmt=0)
    assert str(refused.value) == (
        "fmt 0 cannot carry the value at $[0].name: the value holds ', group = ', the marker of the next field"
    )
    written = encode([contact], fmt=0, strict=False)
    assert written == (
        b"phone = 79990000001, name = A, group = 7, group = 5921,5922, first_name = , last_name = ,"
        b" middle_name = , birthday = , id = , comments = , tags = , phone_other = "
    )
    # what a reader of the server's row gets: the leftmost marker wins (fmt 0 rule 3)
    assert decode(written, list[Contact], fmt=0) == [
        Contact(phone="79990000001", name="A", group="7, group = 5921,5922")
    ]


@pytest.mark.parametrize(
    ("fmt", "written", "error"),
    [
        (0, b"id = 1, name = a\nb, number = , cnt = ",
         "fmt 0: expected ', number = ' after `name` - at $[0].name, byte 15 (line 1, column 16)"),
        (1, b"1,a\nb,,",
         "fmt 1: the row does not split into the 4 fields of a group (id, name, number, cnt)"
         " - at $[0], byte 0 (line 1, column 1)"),
    ],
)
def test_line_break_is_refused_even_as_the_server_writes(fmt, written, error):
    """A line break changes the record framing, so strict=False refuses it too (issue 15): the
    raw row it once wrote does not read back."""
    groups = [Group(id=1, name="a\nb")]
    for strict in (True, False):
        with pytest.raises(EncodeError) as refused:
            encode(groups, fmt=fmt, strict=strict)
        assert str(refused.value) == (
            f"fmt {fmt} cannot carry the value at $[0].name: a line break cannot be carried: records are one line each"
        )
    with pytest.raises(DecodeError) as split:  # the first line stops where the value broke
        decode(written, list[Group], fmt=fmt)
    assert str(split.value).startswith(error)


@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([Contact(phone=5)], "cannot carry the value at $[0].phone: `phone` must be a str, got 5"),
        ([Group(id=-1)], "cannot carry the value at $[0].id: `id` must not be negative, got -1"),
        ([Contact(phone="7", name="\U0001f600")], "cannot carry the value: character '\U0001f600' (U+1F600)"),
    ],
)
def test_strict_false_still_refuses_wrong_types_and_the_charset(fmt, value, message):
    for strict in (True, False):
        with pytest.raises(EncodeError) as refused:
            encode(value, fmt=fmt, charset="windows-1251", strict=strict)
        assert str(refused.value).startswith(f"fmt {fmt} {message}")


def test_strict_false_leaves_replies_other_than_lists_alone():
    with pytest.raises(EncodeError, match="fmt 1 error replies are '0,-N'"):
        encode(Error(error_code=3, error="x"), fmt=1, strict=False)
    with pytest.raises(EncodeError, match="a line break cannot be carried"):
        encode(Error(error_code=3, error="a\nb"), fmt=0, strict=False)


def test_strict_must_be_a_bool():
    with pytest.raises(TypeError) as misuse:
        encode([], fmt=1, strict=0)
    assert str(misuse.value) == "strict must be True or False, got 0"


def _server_row(record, fmt):
    """An independent writer of a fmt 0/1 row: the wire texts joined, nothing checked."""
    texts = ["" if v is None else str(int(v)) if isinstance(v, int) else str(v) for v in msgspec.structs.astuple(record)]
    if fmt == 1:
        return ",".join(texts)
    return ", ".join(f"{name} = {text}" for name, text in zip(record.__struct_fields__, texts, strict=True))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    kind=st.sampled_from(strategies.RECORD_TYPES),
    for_fmt=st.sampled_from([None, 0, 1]),
    fmt=st.sampled_from([0, 1, 2, 3]),
    charset=st.sampled_from(["utf-8", "windows-1251"]),
)
def test_strict_false_is_strict_where_strict_accepts(data, kind, for_fmt, fmt, charset):
    records = data.draw(strategies.records(kind, for_fmt=for_fmt, max_size=3))
    try:
        strict = encode(records, fmt=fmt, charset=charset)
    except EncodeError as exc:
        strict = exc
    try:
        lenient = encode(records, fmt=fmt, charset=charset, strict=False)
    except EncodeError as exc:
        lenient = exc
    if isinstance(strict, bytes):
        assert lenient == strict
    if fmt in (2, 3):  # every value escaped: strict changes nothing, refusals included
        assert str(lenient) == str(strict)
        return
    rows = [_server_row(record, fmt) for record in records]
    if any("\n" in row or "\r" in row for row in rows):  # a value's line break: refused (issue 15)
        assert str(lenient).endswith("a line break cannot be carried: records are one line each")
        return
    text = "\n".join(rows)
    expected = text.encode(charset, "ignore")
    if expected.decode(charset) != text:  # the charset cannot carry it: refused, at that character
        first = next(i for i, char in enumerate(text) if char.encode(charset, "ignore") == b"")
        assert isinstance(lenient, EncodeError)
        assert str(lenient).startswith(f"fmt {fmt} cannot carry the value: character ")
        assert str(lenient).endswith(f" at character {first} of the reply cannot be written in {charset}")
        return
    assert lenient == expected
