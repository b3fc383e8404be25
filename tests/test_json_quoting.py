"""The compiled core quoting the seed's bare numbers in fmt 3 (issue 18).

The seed writes a contact's group as a bare JSON number (``"group": 5922``) in a text field.
``_speedups.quote_bare_integers`` wraps every bare integer that is the value of one of the given
keys in double quotes, in one pass over the UTF-8 bytes, following JSON strings and escapes
exactly; it declines (``None``) on a fraction, an exponent, ``-0``, a leading zero, more than 18
digits, or any key written with an escape.  The fmt 3 decoder uses it when the typed decode stops at
such a number, and must give exactly what the pure path gives: the records, or the same error.
"""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import Contact, DecodeError, _core
from fmtcodec import json as fmt3
from fmtcodec import strategies as fs
from fmtcodec.errors import FmtcodecError

needs_core = pytest.mark.skipif(not fmtcodec.COMPILED, reason="the compiled core is not built here")
GROUP = (b"group",)

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+"', re.DOTALL)
_COLON = re.compile(rb"[ \t\r\n]*:[ \t\r\n]*")
_NUMBER = re.compile(rb"-?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]*)?")
_PLAIN = re.compile(rb"-?(?:0|[1-9][0-9]{0,17})")


def reference(data: bytes, keys: tuple[bytes, ...]) -> bytes | None:
    """What the core must return, written the slow way: each string matched whole by a regex."""
    out: list[bytes] = []
    copied = pos = 0
    while (start := data.find(b'"', pos)) != -1:
        string = _STRING.match(data, start)
        if string is None:
            break  # unterminated: nothing after it is looked at
        colon = _COLON.match(data, string.end())
        if colon is None:  # not a key
            pos = string.end()
            continue
        key = string[0][1:-1]
        if b"\\" in key:
            return None
        pos = colon.end()
        if key not in keys:
            continue
        number = _NUMBER.match(data, pos)
        if number is None:
            if data[pos : pos + 1] == b"-":
                return None
            continue
        if _PLAIN.fullmatch(number[0]) is None or number[0] == b"-0":
            return None
        out += [data[copied:pos], b'"', number[0], b'"']
        copied = pos = number.end()
    if not out:
        return None
    return b"".join([*out, data[copied:]])


def test_reference_reads_the_seed_layout() -> None:
    assert reference(b'[{"group": 5922,\n"name": "7"}]', GROUP) == b'[{"group": "5922",\n"name": "7"}]'


# --- the quoter, value by value --------------------------------------------------------------

CASES = [
    (b'[{"group": 5922, "name": "a"}]', b'[{"group": "5922", "name": "a"}]'),
    (b'{"group":-12}', b'{"group":"-12"}'),
    (b'{"group" :\t0 }', b'{"group" :\t"0" }'),
    (b'{"group": 5, "groups": 6, "grou": 7, "xgroup": 8}', b'{"group": "5", "groups": 6, "grou": 7, "xgroup": 8}'),
    (b'{"name": "\\"group\\": 5", "group": 1}', b'{"name": "\\"group\\": 5", "group": "1"}'),
    (b'{"name": "a\\\\", "group": 1}', b'{"name": "a\\\\", "group": "1"}'),
    (b'[{"a": [{"group": 3}]}, "group", {"group": "4"}]', b'[{"a": [{"group": "3"}]}, "group", {"group": "4"}]'),
    (b'{"group": 999999999999999999}', b'{"group": "999999999999999999"}'),
    ('{"имя": "Ж", "group": 5}'.encode(), '{"имя": "Ж", "group": "5"}'.encode()),
    (b'"group": 5', b'"group": "5"'),  # not JSON either way: the decoder says so, in the caller's bytes
    (b'{"group": 5, "name": "open', b'{"group": "5", "name": "open'),
]


@needs_core
@pytest.mark.parametrize(("data", "expected"), CASES)
def test_bare_integers_of_the_key_are_quoted(data: bytes, expected: bytes) -> None:
    assert _core.CORE is not None
    assert _core.CORE.quote_bare_integers(data, GROUP) == expected
    assert reference(data, GROUP) == expected


DECLINED = [
    b'{"group": 1.5}', b'{"group": 1e3}', b'{"group": 1E3}', b'{"group": -0}', b'{"group": 012}',
    b'{"group": 1234567890123456789}', b'{"group": -}', b'{"group": -x}', b'{"gr\\u006fup": 5}',
    b'{"a\\"b": 1, "group": 5}', b'{"group": 5}'.replace(b"5", b"0.0"),
    b'{"group": "5"}', b'{"group": null}', b'{"name": 5}', b"", b"[]", b'{"group',
]


@needs_core
@pytest.mark.parametrize("data", DECLINED)
def test_declines_what_is_not_a_plain_bare_integer_or_has_nothing(data: bytes) -> None:
    assert _core.CORE is not None
    assert _core.CORE.quote_bare_integers(data, GROUP) is None
    assert reference(data, GROUP) is None


@needs_core
@pytest.mark.parametrize(
    ("data", "keys"),
    [(None, GROUP), ("{}", GROUP), (bytearray(b"{}"), GROUP), (b"{}", None), (b"{}", [b"group"]),
     (b"{}", ("group",)), (b"{}", (b"group", None))],
)
def test_other_arguments_are_a_type_error(data: Any, keys: Any) -> None:
    assert _core.CORE is not None
    with pytest.raises(TypeError):
        _core.CORE.quote_bare_integers(data, keys)


@needs_core
def test_several_keys_and_the_empty_key() -> None:
    assert _core.CORE is not None
    data = b'{"": 1, "id": 2, "group": 3, "x": 4}'
    assert _core.CORE.quote_bare_integers(data, (b"", b"group")) == b'{"": "1", "id": 2, "group": "3", "x": 4}'
    assert _core.CORE.quote_bare_integers(data, ()) is None


# --- the quoter against the reference, on generated JSON ---------------------------------------

SPACE = st.sampled_from(["", " ", "\n", "\t", "\r\n", "  "])
KEYS = st.sampled_from(["group", "groups", "grou", "g", "name", "", "grou\\u0070", 'gr\\"oup', "gr\\\\oup", "группа"])
STRING_PIECES = st.sampled_from(
    ["a", "7", "group", '\\"', "\\\\", "\\n", "\\u0041", ": 5", '\\": 5, \\"group', "Ж", "\\/", ",", "}"]
)
STRINGS = st.lists(STRING_PIECES, max_size=5).map(lambda pieces: '"' + "".join(pieces) + '"')
NUMBERS = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["-0", "0.5", "1e3", "-2E-1", "0.0", "10.25"]),
)


def _json(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    members = st.tuples(SPACE, KEYS, SPACE, SPACE, children, SPACE).map(lambda m: f'{m[0]}"{m[1]}"{m[2]}:{m[3]}{m[4]}{m[5]}')
    return st.one_of(
        st.lists(members, max_size=4).map(lambda ms: "{" + ",".join(ms) + "}"),
        st.lists(st.tuples(SPACE, children, SPACE).map("".join), max_size=4).map(lambda vs: "[" + ",".join(vs) + "]"),
    )


DOCUMENTS = st.recursive(st.one_of(NUMBERS, STRINGS, st.sampled_from(["null", "true", "false"])), _json, max_leaves=12)


@needs_core
@given(DOCUMENTS, st.sampled_from([GROUP, (b"group", b"name"), (b"grou",), ()]))
def test_quoting_generated_json_matches_the_reference(document: str, keys: tuple[bytes, ...]) -> None:
    assert _core.CORE is not None
    data = document.encode()
    quoted = _core.CORE.quote_bare_integers(data, keys)
    note(repr(quoted))
    assert quoted == reference(data, keys)
    if quoted is not None:  # still JSON, the same but for the quoted numbers
        assert fmtcodec.json._UNTYPED.decode(quoted) == _requoted(fmtcodec.json._UNTYPED.decode(data), keys)


def _requoted(value: Any, keys: tuple[bytes, ...]) -> Any:
    if isinstance(value, list):
        return [_requoted(item, keys) for item in value]
    if isinstance(value, dict):
        return {
            key: str(item) if key.encode() in keys and type(item) is int else _requoted(item, keys)
            for key, item in value.items()
        }
    return value


@needs_core
@given(st.lists(st.one_of(st.sampled_from([b'"', b"\\", b":", b" ", b"group", b"5", b"-", b".", b"{", b","]), st.binary(max_size=3)), max_size=30))
def test_any_bytes_match_the_reference(pieces: list[bytes]) -> None:
    assert _core.CORE is not None
    data = b"".join(pieces)
    assert _core.CORE.quote_bare_integers(data, GROUP) == reference(data, GROUP)


# --- fmt 3 decoding of the seed layout: compiled as pure ----------------------------------------


def _outcome(payload: bytes) -> tuple[Any, ...]:
    try:
        return ("records", fmtcodec.decode(payload, list[Contact], fmt=3))
    except FmtcodecError as exc:
        where = (exc.pos, exc.line, exc.column, exc.path) if isinstance(exc, DecodeError) else None
        return ("error", f"{type(exc).__name__}: {exc}", where)


def _both(payload: bytes) -> tuple[Any, Any]:
    used = _outcome(payload)
    with _core.pure():
        pure = _outcome(payload)
    return used, pure


def seed_layout(payload: bytes) -> bytes:
    """A fmt 3 list as the seed writes it: the groups that are digits written as bare numbers."""
    return re.sub(rb'"group": "(0|-?[1-9][0-9]{0,17})"', rb'"group": \1', payload)


@given(fs.records(Contact, max_size=5))
def test_seed_layout_decodes_as_the_pure_path_does(contacts: list[Any]) -> None:
    payload = seed_layout(fmtcodec.encode(contacts, fmt=3))
    used, pure = _both(payload)
    assert used == pure
    assert used == ("records", contacts)


HOSTILE_GROUPS = [b"1.5", b"-0", b"012", b"1e3", b"12345678901234567890", b"null", b"true", b"[5]", b"{}", b"5 5", b"-", b'5"']


@pytest.mark.parametrize("group", HOSTILE_GROUPS)
@pytest.mark.parametrize("row", [0, 1])
def test_hostile_groups_give_the_pure_paths_error_or_records(group: bytes, row: int) -> None:
    rows = [b'{\n"phone": "79110000001",\n"name": "A",\n"group": 7\n}'] * 2
    rows[row] = rows[row].replace(b'"group": 7', b'"group": ' + group)
    used, pure = _both(b"[" + b",\n".join(rows) + b"]")
    assert used == pure


MALFORMED = [
    b'[{"phone": "1", "group": 7, "nope": 1}]',
    b'[{"phone": "1", "group": 7}',
    b'[{"phone": "1", "group": 7,}]',
    b'[{"phone": "1", "group": 7, "name": 5}]',
    b'[{"phone": "1", "gr\\u006fup": 7}]',
    b'[{"phone": "1", "group": 7}, {"phone": "2", "group": 8.0}]',
    b'[{"phone": "1", "group": 7}, {"phone": "\xff", "group": 8}]',
    b'[{"phone": "1", "group": 7}, {"phone": "2", "group": 8}] x',
    b'[{"phone": "1", "group": 7, "group": 9}]',
    b'[{"phone": "1", "group": 7}, {"phone": "2", "group": 8 "name": "x"}]',
    b'[{"phone": "1", "group": 7}, {"phone": "2", "group": 8}]'.replace(b"8", b"8" * 5000),
]


@pytest.mark.parametrize("payload", MALFORMED)
def test_malformed_seed_replies_give_the_pure_paths_outcome(payload: bytes) -> None:
    used, pure = _both(payload)
    assert used == pure


@given(st.binary(max_size=8), st.integers(0, 200))
def test_bytes_spliced_into_a_seed_reply(piece: bytes, at: int) -> None:
    payload = b'[{"phone": "79110000001", "name": "\\"group\\": 5", "group": 7},\n{"phone": "2", "group": -3}]'
    at = min(at, len(payload))
    used, pure = _both(payload[:at] + piece + payload[at:])
    assert used == pure


@needs_core
def test_the_seed_layout_is_decoded_once_more_not_rebuilt() -> None:
    payload = b'[{"phone": "1", "group": 7}, {"phone": "2", "group": 8}]'
    with mock.patch.object(fmt3, "_fast_lenient", wraps=fmt3._fast_lenient) as lenient:
        records = fmtcodec.decode(payload, list[Contact], fmt=3)
    assert [record.group for record in records] == ["7", "8"]
    assert lenient.call_count == 0
    with _core.pure(), mock.patch.object(fmt3, "_fast_lenient", wraps=fmt3._fast_lenient) as lenient:
        assert fmtcodec.decode(payload, list[Contact], fmt=3) == records
    assert lenient.call_count == 1
