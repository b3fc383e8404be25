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
