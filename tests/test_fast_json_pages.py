"""fmt 3 fast decoding of the list kinds, against the general path (differential).

``fmtcodec.json`` reads a list reply on three paths, each declining to the next:

* ``_fast_direct``: one strict msgspec decode straight into the kind's records, bare integers of
  numeric text fields quoted first, money and message ids checked;
* ``_fast_pages`` (the pages' kinds): one lenient decode, then a column at a time;
* the general path (``_page_records`` for the pages' kinds, ``_general_records`` for the contacts'
  kinds): every value checked by the layout table, every error from here.

For every list kind and both charsets, replies written by the encoder are respelled (numbers quoted
or unquoted, members added with odd values and keys, duplicated keys) and fuzzed with fragments;
each fast path either declines or gives exactly the general path's records (``repr``: a ``Decimal``
keeps its digits), and ``fmtcodec.decode`` gives the general path's records or its very error
(message, byte offset, line, column, path).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from budget import capped
from hypothesis import event, given, note, settings
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import HistoryMessage, Status
from fmtcodec import json as fjson
from fmtcodec import strategies as fs
from fmtcodec import text as fmt0
from fmtcodec.api import server_error
from fmtcodec.charset import Source
from fmtcodec.errors import DecodeError, EncodeError, FmtcodecError
from fmtcodec.layout import LAYOUTS, RecordLayout, layout_for

PAGE_LAYOUTS = [layout for layout in LAYOUTS.values() if not layout.simple and layout.shape == "list"]
TEXT_LAYOUTS = [layout for layout in LAYOUTS.values() if layout.simple and layout.all_text]
LAYOUTS_UNDER_TEST = PAGE_LAYOUTS + TEXT_LAYOUTS
CHARSETS = ("utf-8", "cp1251")

# The values a member is given: every JSON type, numbers in every spelling the lenient reader
# takes or refuses, texts a message id or an amount cannot be.
SPELLINGS = [
    "0", "7", "-7", "-0", "05", "1.40", "-0.0", "0.385", "1e3", "1E-7", "99999999999999999999",
    "1234567890123456789012345678901234567890123", "true", "null", '""', '"7"', '"-7"', '"-0"',
    '"05"', '"1.40"', '"1e3"', '" 1"', '"+1"', '"NaN"', '"Infinity"', '"1_0"', '"a b"', '"x.y-z_1"',
    '"\\u0031"', '"Ж"', "[]", "{}", "1.5", '"12.03.2023 10:00:00"',
]
FRAGMENTS = [
    '"', "\\", ",", "}", "{", "]", "[", " ", "\n", ":", "0", "-", "05", "1e3", ".5", "null", "Ж",
    "\\u0063", "\\u0041", "\x00", '"id": 7', '"cost": "01"', '"status": -0', "\ufeff",
]


def _outcome(run: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("records", repr(run()))
    except DecodeError as exc:
        return ("error", type(exc).__name__, str(exc), exc.pos, exc.line, exc.column, exc.path)
    except FmtcodecError as exc:
        return ("error", type(exc).__name__, str(exc))


def _general(payload: bytes, layout: RecordLayout, charset: str) -> list[Any]:
    """``fmtcodec.decode`` with every fast path taken out."""
    src = Source.from_payload(payload, charset, 3)
    error = fmt0.plain_error(src) or fjson.decode_error(src)  # as api.decode: plain text in any fmt
    if error is not None:
        raise server_error(error, 3)
    if layout.simple:
        return fjson._general_records(src, layout)
    return fjson._page_records(src, layout)


def _respell(text: str, draw: st.DrawFn, layout: RecordLayout) -> str:
    """One member of ``text`` given another spelling: a number quoted or unquoted, a member added
    (known key or not, any value), or a member's value replaced."""
    how = draw(st.sampled_from(["quote", "unquote", "add", "replace"]), label="respelling")
    if how in ("quote", "unquote"):
        pattern = r'(": )(-?[0-9][0-9.]*)(?=[,\n}])' if how == "quote" else r'(": )"(-?[0-9][0-9.]*)"'
        found = list(re.finditer(pattern, text))
        if not found:
            return text
        match = draw(st.sampled_from(found), label="number")
        value = f'"{match[2]}"' if how == "quote" else match[2]
        return text[: match.start()] + match[1] + value + text[match.end() :]
    # a type first, then a field of it: the few fields of a rare type (money, ids) come up as often
    bases = sorted({field.base for field in layout.fields})
    base = draw(st.sampled_from([*bases, "unknown"]), label="type")
    names = [field.name for field in layout.fields if field.base == base] or ["unknown"]
    key = draw(st.sampled_from(names), label="key")
    value = draw(st.sampled_from(SPELLINGS), label="value")
    if how == "add":
        starts = [match.end() for match in re.finditer(r"\{\n", text)]
        if not starts:
            return text
        at = draw(st.sampled_from(starts), label="object")
        return text[:at] + f'"{key}": {value},\n' + text[at:]
    found = list(re.finditer(f'"{re.escape(key)}": ([^\n]*?)(?=,\n|\n}})', text))
    if not found:
        return text
    match = draw(st.sampled_from(found), label="member")
    return text[: match.start(1)] + value + text[match.end(1) :]


@st.composite
def _replies(draw: st.DrawFn, layout: RecordLayout) -> tuple[bytes, str]:
    records = draw(fs.records(layout.record, max_size=5), label="records")
    charset = draw(st.sampled_from(CHARSETS), label="charset")
    try:
        text = fmtcodec.encode(records, fmt=3).decode("utf-8")
    except EncodeError:
        text = "[]"
    for _ in range(draw(st.integers(1, 3), label="respellings")):
        text = _respell(text, draw, layout)
    edits = draw(
        st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(["insert", "delete"]), st.sampled_from(FRAGMENTS)),
                 max_size=2),
        label="edits",
    )
    for at, how, fragment in edits:
        at %= len(text) + 1
        text = text[:at] + fragment + text[at:] if how == "insert" else text[:at] + text[at + len(fragment) :]
    try:
        payload = text.encode(charset, "surrogatepass")
    except UnicodeEncodeError:
        charset = "utf-8"
        payload = text.encode(charset, "surrogatepass")
    return payload, charset


@pytest.mark.parametrize("layout", LAYOUTS_UNDER_TEST, ids=lambda layout: layout.kind)
@settings(deadline=None, max_examples=capped())
@given(data=st.data())
def test_every_path_gives_the_general_paths_records_or_declines(layout, data):
    payload, charset = data.draw(_replies(layout), label="reply")
    note(f"payload={payload!r} charset={charset}")
    general = _outcome(lambda: _general(payload, layout, charset))
    used = _outcome(lambda: fmtcodec.decode(payload, list[layout.record], fmt=3, charset=charset))
    event(f"general: {general[0]}")
    assert used == general
    tiers = [("direct", fjson._fast_direct)]
    if not layout.simple:
        tiers.append(("columns", fjson._fast_pages))
    for name, tier in tiers:
        try:
            found = tier(Source.from_payload(payload, charset, 3), layout)
        except FmtcodecError:
            found = None  # (an undecodable payload: the general path says the same, checked above)
            assert general[0] == "error"
        event(f"{name}: {'declined' if found is None else 'records'}")
        if found is not None:
            assert ("records", repr(found)) == general, f"{name} path vs general path"


@pytest.mark.parametrize("layout", LAYOUTS_UNDER_TEST, ids=lambda layout: layout.kind)
@settings(deadline=None, max_examples=capped())
@given(data=st.data())
def test_long_lists_are_read_by_the_direct_path(layout, data):
    records = data.draw(fs.records(layout.record, min_size=5, max_size=20), label="records")
    charset = data.draw(st.sampled_from(CHARSETS), label="charset")
    try:
        payload = fmtcodec.encode(records, fmt=3, charset=charset)
    except EncodeError:
        return
    found = fjson._fast_direct(Source.from_payload(payload, charset, 3), layout)
    assert found is not None
    assert repr(found) == repr(records)
    assert repr(fmtcodec.decode(payload, list[layout.record], fmt=3, charset=charset)) == repr(records)


# ---- what each fast path must refuse to take, though msgspec would -----------------------------

_HISTORY = LAYOUTS["history"]
_STATUSES = LAYOUTS["statuses"]


def _history_reply(**members: str) -> bytes:
    fields = {"status": "1", "last_date": '"28.06.2021 12:00:05"', "send_date": '"28.06.2021 12:00:00"',
              "phone": '"79991234567"', "cost": '"0.385"', "id": "12", "int_id": "1012"}
    fields.update(members)
    return ("[{\n" + ",\n".join(f'"{key}": {value}' for key, value in fields.items()) + "\n}]").encode()


@pytest.mark.parametrize(
    ("spelling", "value"),
    [('"0.385"', Decimal("0.385")), ("1.40", Decimal("1.40")), ('"-0"', Decimal("-0")), ("-0.0", Decimal("-0.0")),
     ("7", Decimal("7")), ('"12345678901234567890.1234567890"', Decimal("12345678901234567890.1234567890"))],
)
def test_money_keeps_its_digits_on_the_direct_path(spelling, value):
    found = fjson._fast_direct(Source.from_payload(_history_reply(cost=spelling), None, 3), _HISTORY)
    assert found is not None
    assert repr(found[0].cost) == repr(value)
    assert repr(fmtcodec.decode(_history_reply(cost=spelling), list[HistoryMessage], fmt=3)) == repr(found)


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"cost": '"01"'}, "expected a decimal amount for `cost`, got '01'"),
        ({"cost": '"1e3"'}, "expected a decimal amount for `cost`, got '1e3'"),
        ({"cost": '" 1"'}, "expected a decimal amount for `cost`, got ' 1'"),
        ({"cost": '"NaN"'}, "expected a decimal amount for `cost`, got 'NaN'"),
        ({"cost": "1e3"}, "expected a decimal amount for `cost`, got '1e3'"),
        ({"id": '"a b"'}, "expected a message id (letters, digits, '.', '-', '_') for `id`, got 'a b'"),
        ({"status": '"-0"'}, "expected an integer for `status`, got '-0'"),
        ({"int_id": "-5"}, "expected an integer for `int_id`, got '-5'"),
    ],
)
def test_what_msgspec_reads_but_the_layout_refuses_is_the_general_paths_error(members, message):
    payload = _history_reply(**members)
    assert fjson._fast_direct(Source.from_payload(payload, None, 3), _HISTORY) is None
    assert fjson._fast_pages(Source.from_payload(payload, None, 3), _HISTORY) is None
    with pytest.raises(DecodeError) as raised:
        fmtcodec.decode(payload, list[HistoryMessage], fmt=3)
    assert raised.value.reason == message
    assert raised.value.path is not None
    assert raised.value.path.startswith("$[0].")
    assert _outcome(lambda: fmtcodec.decode(payload, list[HistoryMessage], fmt=3)) == _outcome(
        lambda: _general(payload, _HISTORY, "utf-8")
    )


def test_a_key_spelled_with_escapes_cannot_slip_past_the_money_check():
    payload = _history_reply(cost='"0.385"').replace(b'"cost": "0.385"', b'"co\\u0073t": "01"')
    assert fjson._fast_direct(Source.from_payload(payload, None, 3), _HISTORY) is None
    with pytest.raises(DecodeError, match="expected a decimal amount for `cost`, got '01'"):
        fmtcodec.decode(payload, list[HistoryMessage], fmt=3)


def test_minus_zero_in_a_text_field_reads_as_the_general_path_reads_it():
    # the general path reads a bare -0 as the integer 0 (text "0"); quoting it would give "-0"
    payload = _history_reply(id="-0")
    assert fjson._fast_direct(Source.from_payload(payload, None, 3), _HISTORY) is None
    assert fmtcodec.decode(payload, list[HistoryMessage], fmt=3)[0].id == "0"


class CountingDecoder:
    """A decoder that counts its calls (the work the direct path does)."""

    def __init__(self, decoder: Any) -> None:
        self.decoder = decoder
        self.calls = 0

    def decode(self, data: bytes) -> Any:
        self.calls += 1
        return self.decoder.decode(data)


def test_bare_numbers_cost_one_more_decode_a_key_and_none_without_them(monkeypatch):
    plan = fjson._direct_plan(_STATUSES)
    assert plan is not None
    counting = CountingDecoder(plan.decoder)
    monkeypatch.setattr(plan, "decoder", counting)

    def bare_imsi(rows: list[Status]) -> bytes:  # ids written as bare numbers; imsi too, as a server may
        return re.sub(rb'"imsi": "([0-9]+)"', rb'"imsi": \1', fmtcodec.encode(rows, fmt=3))

    rows = [Status(status=1, id=str(row), imsi=f"{row}1", cn="RU") for row in range(1, 50)]
    payload = bare_imsi(rows)
    assert b'"id": 7,\n' in payload
    assert b'"imsi": 71,\n' in payload
    assert fjson._fast_direct(Source.from_payload(payload, None, 3), _STATUSES) == rows
    assert counting.calls == 3  # refused at the first bare id, then at the first bare imsi, then read
    counting.calls = 0
    quoted = payload.replace(b'"id": 7,', b'"id": "7",')  # a key with strings too: quoted by token
    assert fjson._fast_direct(Source.from_payload(quoted, None, 3), _STATUSES) == rows
    assert counting.calls == 3 + 3 + 3  # before each comma; before each comma or break; by token
    counting.calls = 0
    last = [msgspec.structs.replace(row, cn=None) for row in rows]  # imsi the last member
    assert fjson._fast_direct(Source.from_payload(bare_imsi(last), None, 3), _STATUSES) == last
    assert counting.calls == 3 + 3
    counting.calls = 0
    texts = [Status(status=1, id=f"a{row}", phone="79990000000") for row in range(50)]
    assert fjson._fast_direct(Source.from_payload(fmtcodec.encode(texts, fmt=3), None, 3), _STATUSES) == texts
    assert counting.calls == 1


class _LoopGuard(CountingDecoder):
    """A counting decoder that stops a loop: a test fails where the code it tests would hang."""

    def decode(self, data: bytes) -> Any:
        if self.calls >= 5:
            raise AssertionError(f"decoded {self.calls} times: the direct path loops")
        return super().decode(data)


@pytest.mark.parametrize("layout", [layout for layout in LAYOUTS.values() if fjson._direct_plan(layout) is not None],
                         ids=lambda layout: layout.kind)
def test_an_empty_reply_in_a_one_byte_charset_is_refused_not_looped_over(monkeypatch, layout):
    # The direct path transcodes a reply whose bytes are not UTF-8 once, and knew it had by the
    # bytes no longer being the payload's: but the UTF-8 of b"" is b"" itself, so it looped forever.
    plan = fjson._direct_plan(layout)
    assert plan is not None
    guard = _LoopGuard(plan.decoder)
    monkeypatch.setattr(plan, "decoder", guard)
    assert fjson._fast_direct(Source.from_payload(b"", "windows-1251", 3), layout) is None
    assert guard.calls == 2  # the payload's bytes, then their UTF-8, once
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"", list[layout.record], fmt=3, charset="windows-1251")
    assert str(caught.value) == "fmt 3: Input data was truncated - byte 0 (line 1, column 1), near ''"


def test_the_direct_path_reads_the_seed_layout_exactly():
    layout = layout_for(fmtcodec.Contact)
    assert layout is not None
    payload = b'[{\n"phone": "79999999999",\n"name": "Ivan",\n"group": 5922\n},\n{\n"phone": "7",\n"group": 0\n}]'
    found = fjson._fast_direct(Source.from_payload(payload, None, 3), layout)
    assert found == [fmtcodec.Contact(phone="79999999999", name="Ivan", group="5922"), fmtcodec.Contact(phone="7", group="0")]
    assert repr(fmtcodec.decode(payload, list[fmtcodec.Contact], fmt=3)) == repr(found)
    # a number that is not a plain integer is the general path's business
    for odd in (b"05", b"-0", b"1.5", b"1e3", b"99999999999999999999"):
        changed = payload.replace(b"5922", odd)
        assert fjson._fast_direct(Source.from_payload(changed, None, 3), layout) is None
        assert _outcome(lambda changed=changed: fmtcodec.decode(changed, list[fmtcodec.Contact], fmt=3)) == _outcome(
            lambda changed=changed: _general(changed, layout, "utf-8")
        )


# Every field given every spelling, in turn (what the drawn respellings meet only by chance): as
# a member's new value, and as a second member of the same key after the first.
@pytest.mark.parametrize("layout", LAYOUTS_UNDER_TEST, ids=lambda layout: layout.kind)
@settings(deadline=None, max_examples=3)
@given(data=st.data())
def test_every_field_in_every_spelling(layout, data):
    records = data.draw(fs.records(layout.record, min_size=2, max_size=3), label="records")
    try:
        text = fmtcodec.encode(records, fmt=3).decode("utf-8")
    except EncodeError:
        return
    for name in layout.field_names:
        members = list(re.finditer(f'"{re.escape(name)}": ([^\n]*?)(?=,\n|\n}})', text))
        for value in SPELLINGS:
            if members:
                last = members[-1]
                variants = [text[: last.start(1)] + value + text[last.end(1) :],
                            text[: last.end()] + f',\n"{name}": {value}' + text[last.end() :]]
            else:
                at = text.rindex("\n}")
                variants = [text[:at] + f',\n"{name}": {value}' + text[at:]]
            for variant in variants:
                payload = variant.encode("utf-8")
                general = _outcome(lambda payload=payload: _general(payload, layout, "utf-8"))
                used = _outcome(lambda payload=payload: fmtcodec.decode(payload, list[layout.record], fmt=3))
                assert used == general, payload
                tiers = [fjson._fast_direct] + ([] if layout.simple else [fjson._fast_pages])
                for tier in tiers:
                    found = tier(Source.from_payload(payload, None, 3), layout)
                    assert found is None or ("records", repr(found)) == general, (tier.__name__, payload)


# ---- the writer: the pages' lists a column at a time, against the general writer ---------------

_ODD_VALUES = [
    "", "\ud800", "\x1f", '"', "\\", "Ж", "\U0001f600", "a b", "007", "12", "-5", 0, -1, 7, 10**18 - 1, 10**18,
    -(10**18) + 1, -(10**18), True, None, Decimal("1.40"), Decimal("-0"), Decimal("1E+3"), Decimal("1E-7"),
    Decimal("NaN"), Decimal("Infinity"), 1.5, (),
]


class _Text(str):
    __slots__ = ()


def _written(run: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("bytes", run())
    except EncodeError as exc:
        return ("error", str(exc))


@pytest.mark.parametrize("layout", PAGE_LAYOUTS, ids=lambda layout: layout.kind)
@settings(deadline=None, max_examples=capped())
@given(data=st.data())
def test_the_column_writer_writes_what_the_general_writer_writes(layout, data):
    records = data.draw(fs.records(layout.record, max_size=5), label="records")
    for _ in range(data.draw(st.integers(0, 2), label="changes") if records else 0):
        row = data.draw(st.integers(0, len(records) - 1), label="row")
        name = data.draw(st.sampled_from(layout.field_names), label="field")
        value = data.draw(st.sampled_from([*_ODD_VALUES, _Text("12")]), label="value")
        records[row] = msgspec.structs.replace(records[row], **{name: value})
    charset = data.draw(st.sampled_from(CHARSETS), label="charset")
    fast = fjson._fast_page_objects(records, layout)
    try:
        general: str | None = fjson._page_array(records, layout)
    except EncodeError:
        general = None
    event(f"fast: {'declined' if fast is None else 'written'}")
    if fast is not None:
        assert fast == general
    used = _written(lambda: fmtcodec.encode(records, fmt=3, charset=charset))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fjson, "_fast_page_objects", lambda records, layout: None)
        assert used == _written(lambda: fmtcodec.encode(records, fmt=3, charset=charset))


def test_the_column_writer_leaves_out_absent_members_and_keeps_money_digits():
    rows = [
        Status(status=1, last_timestamp=5, id="12", cost=Decimal("1.40")),
        Status(status=-3, id="a.b", cost=None, phone="7"),
        Status(status=0, id="7", cost=Decimal("-0.000")),
    ]
    written = fjson._fast_page_objects(rows, _STATUSES)
    assert written == (
        '[{\n"status": 1,\n"last_timestamp": 5,\n"id": 12,\n"cost": "1.40"\n},\n'
        '{\n"status": -3,\n"id": "a.b",\n"phone": "7"\n},\n'
        '{\n"status": 0,\n"id": 7,\n"cost": "-0.000"\n}]'
    )
    assert written == fjson._page_array(rows, _STATUSES)
    assert repr(fmtcodec.decode(written.encode(), list[Status], fmt=3)) == repr(rows)


@pytest.mark.parametrize("layout", PAGE_LAYOUTS, ids=lambda layout: layout.kind)
@settings(deadline=None, max_examples=3)
@given(data=st.data())
def test_the_column_writer_with_every_field_given_every_odd_value(layout, data):
    records = data.draw(fs.records(layout.record, min_size=2, max_size=3), label="records")
    for name in layout.field_names:
        for value in [*_ODD_VALUES, _Text("12")]:
            changed = [*records[:-1], msgspec.structs.replace(records[-1], **{name: value})]
            fast = fjson._fast_page_objects(changed, layout)
            if fast is None:
                continue
            assert fast == fjson._page_array(changed, layout), (name, value)
