"""The fast paths of group and blacklist lists, input by input: each condition a fast path checks
before it answers, shown with a reply only that condition stops, and the answer -- records or
error -- equal to the general path's (``_general_records`` of the fmt module) and written out."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

import fmtcodec
from fmtcodec import BlacklistEntry, BlacklistType, Group, _core
from fmtcodec import json as fmt3
from fmtcodec.charset import Source
from fmtcodec.errors import FmtcodecError
from fmtcodec.layout import layout_for


def _outcome(run: Any) -> tuple[str, Any]:
    try:
        return ("records", run())
    except FmtcodecError as exc:
        return ("error", f"{type(exc).__name__}: {exc}")


def _general(payload: bytes, kind: type, fmt: int, charset: str | None = None) -> tuple[str, Any]:
    codec = fmtcodec.api.CODECS[fmt]
    layout = layout_for(kind)
    return _outcome(lambda: codec._general_records(Source.from_payload(payload, charset, fmt), layout))


def _both(payload: bytes, kind: type, fmt: int, charset: str | None = None) -> tuple[str, Any]:
    """The decode users call, compiled and pure, checked equal to the general path."""
    used = _outcome(lambda: fmtcodec.decode(payload, list[kind], fmt=fmt, charset=charset))
    with _core.pure():
        pure = _outcome(lambda: fmtcodec.decode(payload, list[kind], fmt=fmt, charset=charset))
    assert used == pure == _general(payload, kind, fmt, charset)
    return used


def _lax_answer(payload: bytes, kind: type) -> list[Any] | None:
    layout = layout_for(kind)
    return fmt3._fast_lax(Source.from_payload(payload, None, 3), layout)


G1 = Group(id=1, name="a", number=None, cnt=5)


# fmt 3 ---------------------------------------------------------------------------------------

def test_fmt3_quoted_count_is_read_by_the_lax_decoder():
    payload = b'[{\n"id": 1,\n"name": "a",\n"cnt": "5"\n},\n{"id":2,"name":"b","number":7,"cnt":null}]'
    expected = [G1, Group(id=2, name="b", number=7, cnt=None)]
    assert _lax_answer(payload, Group) == expected
    assert _both(payload, Group, 3) == ("records", expected)


def _refused(field: str, got: str, byte: int, near: str) -> tuple[str, str]:
    return (
        "error",
        f"DecodeError: fmt 3: expected an integer for `{field}`, got {got!r} - at $[0].{field},"
        f" byte {byte} (line 1, column {byte + 1}), near {near!r}",
    )


@pytest.mark.parametrize(
    ("value", "got"),
    [
        (b'"5.0"', "5.0"),
        (b'"1e3"', "1e3"),
        (b'"1E3"', "1E3"),
        (b'"-0"', "-0"),
        (b'"null"', "null"),
        (b'"NULL"', "NULL"),
        (b'"\\u0035.0"', "5.0"),  # an escaped digit
    ],
)
def test_fmt3_lax_spellings_the_layout_refuses_go_to_the_general_path(value, got):
    payload = b'[{"id": 1, "name": "a", "cnt": ' + value + b"}]"
    assert _lax_answer(payload, Group) is None  # lax mode alone would have read a number
    assert _both(payload, Group, 3) == _refused("cnt", got, 31, value.decode() + "}]")


def test_fmt3_bare_float_goes_to_the_general_path():
    payload = b'[{"id": 1, "name": "a", "cnt": 5.0}]'
    assert _lax_answer(payload, Group) is None
    assert _both(payload, Group, 3) == (
        "error",
        "DecodeError: fmt 3: expected a string or an integer, got 5.0 - at $[0].cnt,"
        " byte 31 (line 1, column 32), near '5.0}]'",
    )


@pytest.mark.parametrize(
    ("payload", "outcome"),
    [
        (b'[{"id": "1e0", "name": "a", "cnt": "5"}]', _refused("id", "1e0", 8, '"1e0", "name": "a", "cnt')),
        (b'[{"id": 1, "name": "a", "number": "7.0", "cnt": "5"}]', _refused("number", "7.0", 34, '"7.0", "cnt": "5"}]')),
        # a key spelled with an escape, which the search for the key cannot see
        (b'[{"id": 1, "name": "a", "c\\u006et": "5.0"}]', _refused("cnt", "5.0", 36, '"5.0"}]')),
        (b'[{"id": 1, "name": "a", "cnt" : "5.0"}]', _refused("cnt", "5.0", 32, '"5.0"}]')),  # space before ':'
        (b'[{"id": 1, "name": "a", "cnt":\t"5.0"}]', _refused("cnt", "5.0", 31, '"5.0"}]')),  # a tab after it
        (b'[{"id": 1, "name": "a", "cnt": "5", "cnt": "5.0"}]', _refused("cnt", "5.0", 31, '"5", "cnt": "5.0"}]')),
    ],
)
def test_fmt3_lax_path_declines_what_it_cannot_see_plainly(payload, outcome):
    assert _lax_answer(payload, Group) is None
    assert _both(payload, Group, 3) == outcome


def test_fmt3_declined_but_valid_replies_give_the_general_records():
    cases = {
        b'[{"id": 1, "name": "a", "c\\u006et": "5"}]': [G1],
        b'[{"id": 1, "name": "a", "cnt" : "5"}]': [G1],
        b'[{"id": 1, "name": "a", "cnt": "12345678901234567890"}]': [Group(1, "a", None, 12345678901234567890)],
        b'[{"id": 1, "name": "cnt", "cnt": "5"}]': [Group(1, "cnt", None, 5)],  # the key's name as a value
        b'[{"id": 1, "name": "a", "cnt": ""}]': [Group(1, "a", None, None)],  # lax refuses: empty is absent
        b'[{"id": -0, "name": "a"}]': [Group(0, "a", None, None)],
        b'[{"id": 1, "name": 5}]': [Group(1, "5", None, None)],  # a bare number in a text field
    }
    for payload, expected in cases.items():
        assert _lax_answer(payload, Group) is None, payload
        assert _both(payload, Group, 3) == ("records", expected), payload


def test_fmt3_windows_1251_group_list_is_read_by_the_lax_decoder():
    payload = '[{"id": 1, "name": "Группа", "cnt": "5"}]'.encode("cp1251")
    with mock.patch.object(fmt3, "_fast_lenient", side_effect=AssertionError("not reached")):
        assert _both(payload, Group, 3, "cp1251") == ("records", [Group(1, "Группа", None, 5)])


def test_fmt3_blacklist_with_quoted_numbers():
    payload = b'[{"id": "3", "phone": "79110000000", "type": "2", "comment": ""}]'
    expected = [BlacklistEntry(3, "79110000000", BlacklistType(2), "")]
    assert _lax_answer(payload, BlacklistEntry) == expected
    assert _both(payload, BlacklistEntry, 3) == ("records", expected)
    bad = b'[{"id": 3, "phone": "79110000000", "type": "3"}]'
    assert _both(bad, BlacklistEntry, 3) == (
        "error",
        "DecodeError: fmt 3: blacklist type must be 0, 1 or 2, got '3' - at $[0].type,"
        " byte 43 (line 1, column 44), near '\"3\"}]'",
    )


# fmt 1 ---------------------------------------------------------------------------------------

def _one_placement(text: str, kind: type) -> list[Any] | None:
    return fmtcodec.values._fast_one_placement(text, layout_for(kind))


def test_fmt1_group_names_with_commas_are_cut_by_one_match():
    text = "5000,Группа 0, new,,\n5001,a,b,,c,6582,44480\n5002,x,,74821"
    expected = [
        Group(5000, "Группа 0, new", None, None),
        Group(5001, "a,b,,c", 6582, 44480),
        Group(5002, "x", None, 74821),
    ]
    assert _one_placement(text, Group) == expected
    assert _both(text.encode() + b"\n", Group, 1) == ("records", expected)


def test_fmt1_group_rows_without_commas_in_names_take_the_same_path():
    assert _one_placement("1,a,,\n2,b,3,4", Group) == [Group(1, "a", None, None), Group(2, "b", 3, 4)]


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("1,a, b,,\n2,b,3", "DecodeError: fmt 1: the row does not split into the 4 fields of a group"
         " (id, name, number, cnt) - at $[1], byte 9 (line 2, column 1), near '2,b,3'"),  # a comma short
        ("1,a, b,,\n05,b,,", "DecodeError: fmt 1: expected an integer for `id`, got '05' - at $[1].id,"
         " byte 9 (line 2, column 1), near '05,b,,'"),  # a leading zero
        ("1,a, b,,\n,b,,", "DecodeError: fmt 1: the row does not split into the 4 fields of a group"
         " (id, name, number, cnt) - at $[1], byte 9 (line 2, column 1), near ',b,,'"),  # no id
        ("1,a, b,07,", "DecodeError: fmt 1: expected an integer for `number`, got '07' - at $[0].number,"
         " byte 7 (line 1, column 8), near '07,'"),
        ("1,a, b,,x", "DecodeError: fmt 1: the row does not split into the 4 fields of a group"
         " (id, name, number, cnt) - at $[0], byte 0 (line 1, column 1), near '1,a, b,,x'"),
        ("1" * 4301 + ",a, b,,", "DecodeError: fmt 1: `id` has 4301 digits; at most 4300 are read - at $[0].id,"
         " byte 0 (line 1, column 1), near '" + "1" * 24 + "'"),
    ],
)
def test_fmt1_group_rows_the_match_refuses_get_the_general_error(text, outcome):
    assert _one_placement(text, Group) is None
    assert _both(text.encode(), Group, 1) == ("error", outcome)


def test_fmt1_blank_lines_and_crlf_go_to_the_general_path():
    expected = [Group(1, "a, b", None, None), Group(2, "c", 3, None)]
    assert _one_placement("1,a, b,,\n\n2,c,3,", Group) is None
    assert _both(b"1,a, b,,\n\n2,c,3,", Group, 1) == ("records", expected)
    assert _both(b"1,a, b,,\r\n2,c,3,\r\n", Group, 1) == ("records", expected)


def test_fmt1_a_name_of_too_many_pieces_is_refused_as_the_splitter_refuses_it():
    many = "," * 9997  # with the 3 separators: 10001 pieces
    assert _one_placement(f"1,{many},,", Group) is None
    assert _both(f"1,{many},,".encode(), Group, 1)[1].startswith(
        "DecodeError: fmt 1: the row has 10001 comma-separated pieces; at most 10000 are placed - at $[0],"
    )
    fewer = "x" * 20000 + "," * 9996  # long, but 10000 pieces: placed
    assert _one_placement(f"1,{fewer},,", Group) == [Group(1, fewer, None, None)]
    assert _both(f"1,{fewer},,".encode(), Group, 1) == ("records", [Group(1, fewer, None, None)])


def test_fmt1_blacklist_comments_with_commas():
    text = "1,79110000000,2,a, b\n2,+7 (911) 222-33-51,0,"
    expected = [
        BlacklistEntry(1, "79110000000", BlacklistType(2), "a, b"),
        BlacklistEntry(2, "+7 (911) 222-33-51", BlacklistType(0), ""),
    ]
    assert _one_placement(text, BlacklistEntry) == expected
    assert _both(text.encode(), BlacklistEntry, 1) == ("records", expected)
    for bad in ("1,79110000000,3,a, b", "1,x,2,a, b", "1,79110000000,,a, b"):
        assert _one_placement(bad, BlacklistEntry) is None
        assert _both(bad.encode(), BlacklistEntry, 1)[0] == "error"


# fmt 2 ---------------------------------------------------------------------------------------

_PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n<list>\n'


def _groups_xml(*items: str) -> bytes:
    return (_PROLOG + "".join(f"<group>\n{item}</group>\n" for item in items) + "</list>").encode()


def _xml_fast(payload: bytes, kind: type) -> list[Any] | None:
    return fmtcodec.xml._fast_records(Source.from_payload(payload, None, 2), layout_for(kind))


def test_fmt2_groups_with_numbers_left_out_take_the_fast_path():
    payload = _groups_xml(
        "<id>1</id>\n<name>a &amp; b</name>\n",
        "<id>2</id>\n<name>c</name>\n<number>7</number>\n<cnt>0</cnt>\n",
        "<id>3</id>\n<name></name>\n<cnt>12</cnt>\n",
        "<id>4</id>\n<name>d</name>\n<number>8</number>\n",
    )
    expected = [Group(1, "a & b"), Group(2, "c", 7, 0), Group(3, "", None, 12), Group(4, "d", 8, None)]
    assert _xml_fast(payload, Group) == expected
    assert _both(payload, Group, 2) == ("records", expected)


def test_fmt2_an_empty_number_element_reads_as_absent_on_both_paths():
    payload = _groups_xml("<id>1</id>\n<name>a</name>\n<number></number>\n<cnt></cnt>\n")
    assert _xml_fast(payload, Group) == [Group(1, "a")]
    assert _both(payload, Group, 2) == ("records", [Group(1, "a")])


@pytest.mark.parametrize(
    ("payload", "outcome"),
    [
        # the elements in another order: the record pattern does not cover the body
        (_groups_xml("<id>1</id>\n<name>a</name>\n<cnt>5</cnt>\n<number>7</number>\n"), ("records", [Group(1, "a", 7, 5)])),
        (_groups_xml("<id>1</id>\n<name>a</name>\n<number/>\n"), ("records", [Group(1, "a")])),
        (_groups_xml("<id>1</id>\n<name>a</name>\n<number>07</number>\n"), (
            "error",
            "DecodeError: fmt 2: expected an integer for `number`, got '07' - at $[0].number,"
            " byte 80 (line 6, column 1), near '<number>07</number>\\n</gr'",
        )),
        (_groups_xml("<id>1</id>\n<name>a</name>\n<cnt>&amp;</cnt>\n"), (
            "error",
            "DecodeError: fmt 2: expected an integer for `cnt`, got '&' - at $[0].cnt,"
            " byte 80 (line 6, column 1), near '<cnt>&amp;</cnt>\\n</group'",
        )),
    ],
)
def test_fmt2_group_lists_the_fast_path_declines(payload, outcome):
    assert _xml_fast(payload, Group) is None
    assert _both(payload, Group, 2) == outcome
