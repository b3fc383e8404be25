"""Tests for what the unsampled mutation run of ``fmtcodec/json.py`` left unchecked, grouped by class.

Each class's docstring names the mutants it kills.  Many are in ``_fast_pages``, the column-at-a-time
path of the pages' list kinds, which ``decode`` tries only after the direct path declined (a quoted
integer, a bare number in a text field): a mutant there either makes it decline (the general path
then gives the same records, more slowly) or makes it give other records.  So each test calls
``_fast_pages`` itself and asserts it takes the reply -- exact records, the very ones
``fmtcodec.decode`` gives -- or declines it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from test_fast_json_pages import CountingDecoder

import fmtcodec
from fmtcodec import (
    BlacklistEntry,
    BlacklistType,
    Contact,
    Group,
    HistoryMessage,
    PhoneReport,
    Sent,
    Status,
    _core,
)
from fmtcodec import json as fmt_json
from fmtcodec.charset import Source
from fmtcodec.layout import LAYOUTS, RecordLayout, layout_for

HISTORY = LAYOUTS["history"]
STATUSES = LAYOUTS["statuses"]


@pytest.fixture(autouse=True)
def fresh_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    """The module's decoders and plans built afresh in each test (so the code building them runs
    in it, not only in whichever test came first)."""
    for name in ("_TYPED", "_TABLES", "_LENIENT", "_LAX", "_PAGE_FIELDS", "_PAGE_PLANS", "_DIRECT"):
        monkeypatch.setattr(fmt_json, name, {})


def history(**members: str | None) -> str:
    """One history object in the server's layout: a quoted status (the direct path declines it),
    the required ``last_date``; ``None`` leaves a member out."""
    fields: dict[str, str | None] = {"status": '"1"', "last_date": '"28.06.2021 12:00:05"'}
    fields.update(members)
    return "{\n" + ",\n".join(f'"{key}": {value}' for key, value in fields.items() if value is not None) + "\n}"


def reply(*objects: str) -> bytes:
    return ("[" + ",\n".join(objects) + "]").encode()


def taken(payload: bytes, kind: type) -> list[Any]:
    """The records ``_fast_pages`` reads from ``payload``, checked to be the ones ``decode`` gives
    (``repr``: a ``Decimal`` keeps its digits) and that the direct path did not take it first."""
    layout = LAYOUTS["history"] if kind is HistoryMessage else LAYOUTS["statuses"]
    found = fmt_json._fast_pages(Source.from_payload(payload, None, 3), layout)
    assert found is not None, "the column path declined"
    assert repr(fmtcodec.decode(payload, list[kind], fmt=3)) == repr(found)
    return found


class TestPagesColumnsWithAbsentMembers:
    """A column some of whose records leave the member out (or give ``null`` for an optional
    field) is read by the column path: the absent ones take the record's default (``""`` for a
    history text, ``None`` for a status field), the others their values.

    Kills ``fmtcodec.json.x__page_column__mutmut_7``, ``_8`` (the absent marker's type lost: the
    column declined), ``_20`` (the marker taken for ``None``: a history record left with
    ``UNSET``), ``_23``, ``_24`` (declined), ``_34`` (absent values ``None``, not the default),
    and ``fmtcodec.json.xǁ_ColumnPlanǁ__init____mutmut_2`` (an optional field taken for a
    required one: declined), ``_3`` (the default lost), ``_4`` and ``_6`` (``None`` the marker of a
    required field's absence); and ``fmtcodec.json.x__make_page_plan__mutmut_4``, ``_5``, ``_6``,
    ``_8`` (no plan for a list kind: the column path always declined), ``_38``, ``_50`` (a decoder
    of no record: declined) and ``_35`` (every column's default ``None``: an absent history text
    ``None``, not ``""``)."""

    def test_history_text_and_integers_absent_from_some_records(self):
        payload = reply(history(phone='"79991234567"', int_id="5"), history(status='"-2"'), history(phone='"7"'))
        found = taken(payload, HistoryMessage)
        assert [(row.status, row.phone, row.int_id, row.cost) for row in found] == [
            (1, "79991234567", 5, Decimal("0")), (-2, "", 0, Decimal("0")), (1, "7", 0, Decimal("0"))
        ]
        assert found[1] == HistoryMessage(status=-2, last_date="28.06.2021 12:00:05")

    def test_history_member_absent_from_every_record(self):
        found = taken(reply(history(), history(status='"3"')), HistoryMessage)
        assert found == [
            HistoryMessage(status=1, last_date="28.06.2021 12:00:05"),
            HistoryMessage(status=3, last_date="28.06.2021 12:00:05"),
        ]
        assert (found[0].phone, found[0].cost, found[0].type) == ("", Decimal("0"), 0)

    def test_status_fields_absent_or_null_in_some_records(self):
        payload = (
            b'[{\n"status": "1",\n"id": "a.1",\n"last_timestamp": 5,\n"phone": "7"\n},\n'
            b'{\n"status": 2,\n"id": null,\n"cost": "1.40"\n},\n'
            b'{\n"status": "-3",\n"phone": null,\n"last_timestamp": "6"\n}]'
        )
        assert taken(payload, Status) == [
            Status(status=1, id="a.1", last_timestamp=5, phone="7"),
            Status(status=2, cost=Decimal("1.40")),
            Status(status=-3, last_timestamp=6),
        ]


class TestPagesBareIntegerColumns:
    """A column of bare integers is taken as it is: a signed field's negative values, a count's
    zero, and a count of 19 digits (the texts' check stops at 18, a bare integer needs none).

    Kills ``fmtcodec.json.x__present_values__mutmut_1`` (the type tag lost: a negative status
    declined), ``_4`` (bare integers sent through the texts' check: 19 digits declined), ``_5``
    (every count declined), ``_7``, ``_8`` (``signed`` misspelled: negatives declined), ``_10``
    and ``_11`` (a count of 0 declined)."""

    def test_negative_signed_and_zero_counts(self):
        payload = reply(history(status="-1", type="0", int_id="0", crc="-7"), history(status="4", type="2"))
        found = taken(payload, HistoryMessage)
        assert [(row.status, row.type, row.int_id, row.crc) for row in found] == [(-1, 0, 0, -7), (4, 2, 0, 0)]

    def test_a_count_of_19_digits(self):
        found = taken(reply(history(int_id="9999999999999999999"), history(int_id="1")), HistoryMessage)
        assert [row.int_id for row in found] == [9999999999999999999, 1]

    def test_a_negative_count_is_declined(self):
        payload = reply(history(int_id="-5"))
        assert fmt_json._fast_pages(Source.from_payload(payload, None, 3), HISTORY) is None
        with pytest.raises(fmtcodec.DecodeError) as caught:
            fmtcodec.decode(payload, list[HistoryMessage], fmt=3)
        assert (caught.value.reason, caught.value.path) == ("expected an integer for `int_id`, got '-5'", "$[0].int_id")


class TestPagesQuotedColumns:
    """Columns of quoted numbers, of quoted and bare ones mixed, and of money written as a bare
    number with a fraction are read by the column path, the whole column checked at once.

    Kills ``fmtcodec.json.x__present_values__mutmut_15`` (the type check inverted), ``_16``
    (a column of both strings and integers declined), ``_17``, ``_19``, ``_20``, ``_21`` (money's
    own types not known: a bare amount declined), ``_41``, ``_44``, ``_45``, ``_46`` and ``_47``
    (the texts joined, or their line breaks counted, otherwise: two values declined); and
    ``fmtcodec.json.x__make_page_plan__mutmut_51``, ``_53`` (no ``float_hook``: a bare amount
    read as a float, declined)."""

    def test_quoted_integers_in_two_records(self):
        payload = reply(history(status='"1"', int_id='"5"', last_timestamp='"7"'),
                        history(status='"-2"', int_id='"6"', last_timestamp='"8"'))
        found = taken(payload, HistoryMessage)
        assert [(row.status, row.int_id, row.last_timestamp) for row in found] == [(1, 5, 7), (-2, 6, 8)]

    def test_quoted_and_bare_integers_in_one_column(self):
        found = taken(reply(history(status='"1"', sms_cnt="3"), history(status="-2", sms_cnt='"4"')), HistoryMessage)
        assert [(row.status, row.sms_cnt) for row in found] == [(1, 3), (-2, 4)]

    def test_bare_amounts_keep_their_digits(self):
        found = taken(reply(history(cost="1.40"), history(cost='"0.385"'), history(cost="2")), HistoryMessage)
        assert [repr(row.cost) for row in found] == ["Decimal('1.40')", "Decimal('0.385')", "Decimal('2')"]

    def test_a_quoted_text_with_a_line_break_is_declined(self):
        payload = reply(history(id='"a\\nb"'))
        assert fmt_json._fast_pages(Source.from_payload(payload, None, 3), HISTORY) is None
        with pytest.raises(fmtcodec.DecodeError) as caught:
            fmtcodec.decode(payload, list[HistoryMessage], fmt=3)
        assert caught.value.reason == "expected a message id (letters, digits, '.', '-', '_') for `id`, got 'a\\nb'"


class TestPagesEmptyOptionalTexts:
    """An optional field's empty text (``""``) is an absent value: the column path reads the
    other values and gives ``None`` there, for a count and for a message id.

    Kills ``fmtcodec.json.x__present_values__mutmut_32``, ``_34``, ``_35`` and ``_37`` (the empty
    texts not set aside: the column's check refuses them and the path declines)."""

    def test_empty_timestamp_and_id(self):
        payload = (
            b'[{\n"status": "1",\n"last_timestamp": "",\n"id": ""\n},\n'
            b'{\n"status": 2,\n"last_timestamp": "5",\n"id": "a.1"\n}]'
        )
        assert taken(payload, Status) == [Status(status=1), Status(status=2, last_timestamp=5, id="a.1")]

    def test_only_empty_texts(self):
        payload = b'[{\n"status": "1",\n"send_timestamp": "",\n"id": ""\n}]'
        assert taken(payload, Status) == [Status(status=1)]


class TestUnknownKeyInCompactJson:
    """An unknown key of a pages' kind is reported at its opening quote when the JSON has no
    whitespace at all (no space after a colon or a comma): the keys before it are stepped over
    exactly.

    Kills ``fmtcodec.json.x__locate_key__mutmut_33`` (one character more skipped after a
    colon) and ``_51`` (one more after a comma)."""

    @pytest.mark.parametrize(
        ("payload", "kind", "pos", "path"),
        [
            (b'[{"status":1,"bogus":2}]', list[Status], 13, "$[0].bogus"),
            (b'[{"status":"1","last_date":"x","bogus":2}]', list[Status], 31, "$[0].bogus"),
            (b'[{"status":1},{"status":-1,"id":"a","bogus":[]}]', list[Status], 36, "$[1].bogus"),
            (b'{"status":1,"bogus":2}', Status, 12, "$.bogus"),
        ],
    )
    def test_unknown_key_after_others(self, payload, kind, pos, path):
        with pytest.raises(fmtcodec.DecodeError) as caught:
            fmtcodec.decode(payload, kind, fmt=3)
        error = caught.value
        assert (error.reason, error.pos, error.line, error.column, error.path) == (
            "unknown field 'bogus'", pos, 1, pos + 1, path
        )
        assert payload[pos : pos + 8] == b'"bogus":'


def outcome(payload: bytes, kind: Any) -> tuple[Any, ...]:
    """What ``fmtcodec.decode`` gives: the records, or the error's reason, offset, line, column
    and path."""
    try:
        return ("records", fmtcodec.decode(payload, kind, fmt=3))
    except fmtcodec.DecodeError as exc:
        return ("error", exc.reason, exc.pos, exc.line, exc.column, exc.path)


class TestLenientColumnsOfGroupsAndBlacklists:
    """A group or blacklist list the strict decoder refuses and the lax one may not take (a space
    before a colon, a bare number in a text field) is read by the lenient decoder a column at a
    time: an absent or ``null`` count is the empty text (absent), a bare number in a text field its
    decimal text, a quoted number its digits.

    Kills ``fmtcodec.json.x__fast_lenient__mutmut_13``, ``_15``, ``_16`` (an absent value written
    ``None`` or ``XXXX``, the present ones empty: the column check refuses them and the path
    declines), ``_14``, ``_17`` (every value empty or ``None``: declined), and
    ``fmtcodec.json.x__lenient__mutmut_18`` (the contacts' types for every kind: ``null`` and a
    bare number in a text field refused, declined)."""

    def test_group_with_null_absent_and_bare_values(self):
        payload = b'[{"id": 1, "name": "a", "cnt" : "5"},\n{"id": 2, "name": 7, "number": null}]'
        layout = layout_for(Group)
        assert fmt_json._fast_lax(Source.from_payload(payload, None, 3), layout) is None
        expected = [Group(id=1, name="a", number=None, cnt=5), Group(id=2, name="7", number=None, cnt=None)]
        assert fmt_json._fast_lenient(Source.from_payload(payload, None, 3), layout) == expected
        assert outcome(payload, list[Group]) == ("records", expected)

    def test_blacklist_with_quoted_numbers_and_an_absent_comment(self):
        payload = b'[{"id": "3", "phone": "79110000000", "type" : "2"},\n{"id": 4, "phone": 7, "comment": "x"}]'
        layout = layout_for(BlacklistEntry)
        assert fmt_json._fast_lax(Source.from_payload(payload, None, 3), layout) is None
        expected = [
            BlacklistEntry(id=3, phone="79110000000", type=BlacklistType(2), comment=""),
            BlacklistEntry(id=4, phone="7", type=BlacklistType(0), comment="x"),
        ]
        assert fmt_json._fast_lenient(Source.from_payload(payload, None, 3), layout) == expected
        assert outcome(payload, list[BlacklistEntry]) == ("records", expected)


class TestLaxPathTakesNonAsciiEscapes:
    """The lax path declines a reply only for an escape ``\\u0020``-``\\u007F`` (an ASCII
    character a key could hide behind); a text with an escaped letter beyond ASCII (``\\u00e9``)
    or a control character (``\\u0001``) is read there.

    Kills ``fmtcodec.json.x__fast_lax__mutmut_12`` (any ``\\u00`` declined)."""

    @pytest.mark.parametrize(("escaped", "name"), [(b"Caf\\u00e9", "Caf\u00e9"), (b"a\\u0001", "a\x01")])
    def test_escape_beyond_ascii_letters(self, escaped, name):
        payload = b'[{"id": 1, "name": "' + escaped + b'", "cnt": "5"}]'
        expected = [Group(id=1, name=name, number=None, cnt=5)]
        assert fmt_json._fast_lax(Source.from_payload(payload, None, 3), layout_for(Group)) == expected
        assert outcome(payload, list[Group]) == ("records", expected)


class TestContactsReplyThatIsNotAList:
    """A contacts' or groups' reply that is not a JSON array is refused at its first byte, path
    ``$``, naming the kind.

    Kills ``fmtcodec.json.x__general_records__mutmut_4`` (no reason), ``_6``, ``_9``, ``_11`` (the
    path lost or misspelled) and ``_10`` (byte 1)."""

    @pytest.mark.parametrize(
        ("payload", "kind", "reason"),
        [
            (b'{"phone": "1"}', list[Contact], "expected a list of contact records"),
            (b"7", list[Group], "expected a list of group records"),
        ],
    )
    def test_refused_at_byte_0(self, payload, kind, reason):
        assert outcome(payload, kind) == ("error", reason, 0, 1, 1, "$")


class TestErrorsInLaterRecordsOfCompactJson:
    """An error in a record after the first of a list written without whitespace (``},{``) is
    placed exactly: the records before are stepped over up to their comma and no further.

    Kills ``fmtcodec.json.x__locate__mutmut_36`` (one character more skipped after each record
    passed: the opening brace, so the walk reads the next key from its second character)."""

    @pytest.mark.parametrize(
        ("payload", "pos", "path", "reason"),
        [
            (b'[{"phone":"1"},{"name":"x"}]', 15, "$[1].phone", "required field `phone` is missing"),
            (b'[{"phone":"1"},{"bogus":"x"}]', 24, "$[1].bogus", "unknown field 'bogus'"),
            (b'[{"phone":"1"},{"phone":"2"},{"bogus":"x"}]', 38, "$[2].bogus", "unknown field 'bogus'"),
        ],
    )
    def test_error_placed_in_a_later_record(self, payload, pos, path, reason):
        assert outcome(payload, list[Contact]) == ("error", reason, pos, 1, pos + 1, path)


class TestPagesColumnWriterAtItsLimits:
    """The column writer of the pages' lists takes every value it can write as the general writer
    does, up to its limits: a count of 0, a signed number of 18 digits down to
    ``-999999999999999999``, an amount of 4300 characters (the most ``FieldLayout.format``
    writes) -- the very text ``_page_array`` writes.

    Kills ``fmtcodec.json.x__page_value_texts__mutmut_23``, ``_26`` (a count of 0 declined),
    ``_29`` (``-999999999999999999`` declined) and ``_63`` (an amount of 4300 characters
    declined)."""

    def test_zero_counts_and_the_least_signed_number(self):
        rows = [
            HistoryMessage(status=-(10**18 - 1), last_date="28.06.2021 12:00:05", id="a1"),
            HistoryMessage(status=0, last_date="x", id="7", int_id=7, crc=-3),
        ]
        constant = (
            '"send_date": "",\n"phone": "",\n"mccmnc": "",\n"country": "",\n"operator": "",\n"region": "",\n'
            '"cost": "0",\n"sender_id": "",\n"status_name": "",\n"message": "",\n"type": 0,\n'
        )
        written = fmt_json._fast_page_objects(rows, HISTORY)
        assert written == (
            '[{\n"status": -999999999999999999,\n"last_date": "28.06.2021 12:00:05",\n' + constant
            + '"id": "a1",\n"int_id": 0,\n"sms_cnt": 0,\n"format": 0,\n"crc": 0\n},\n'
            '{\n"status": 0,\n"last_date": "x",\n' + constant
            + '"id": 7,\n"int_id": 7,\n"sms_cnt": 0,\n"format": 0,\n"crc": -3\n}]'
        )
        assert written == fmt_json._page_array(rows, HISTORY)

    def test_an_amount_of_4300_characters(self):
        rows = [Status(status=1, last_timestamp=0, flag=0, cost=Decimal("9" * 4300))]
        written = fmt_json._fast_page_objects(rows, STATUSES)
        assert written == '[{\n"status": 1,\n"last_timestamp": 0,\n"flag": 0,\n"cost": "' + "9" * 4300 + '"\n}]'
        assert written == fmt_json._page_array(rows, STATUSES)
        assert fmtcodec.decode(written.encode(), list[Status], fmt=3) == rows


class TestDirectPathTakesNonAsciiEscapes:
    """The direct path of a kind with money declines a reply only for an escape
    ``\\u0020``-``\\u007F`` (an ASCII character a money key could hide behind); a text with an
    escaped letter beyond ASCII or an escaped control character is read there, the money checked
    as usual.

    Kills ``fmtcodec.json.x__unusual_money__mutmut_3`` (any ``\\u00`` declined), ``_7`` (the
    test inverted: such a reply declined), ``_6`` (the escapes searched in ``None``: ``TypeError``)
    and ``_11`` (a plain amount taken for an unusual one: declined)."""

    def test_escaped_letter_and_control_character(self):
        payload = b'[{\n"status": 1,\n"phone": "Caf\\u00e9",\n"message": "a\\u0001",\n"cost": "1.40"\n}]'
        expected = [Status(status=1, phone="Caf\u00e9", message="a\x01", cost=Decimal("1.40"))]
        found = fmt_json._fast_direct(Source.from_payload(payload, None, 3), STATUSES)
        assert found == expected
        assert repr(found[0].cost) == "Decimal('1.40')"
        assert outcome(payload, list[Status]) == ("records", expected)


class TestDirectPathTakesNullMoney:
    """An optional amount given as ``null`` (absent) is a plain value to the direct path's money
    search: the reply is read there, the amount ``None``, the others kept to their digits.

    Kills ``fmtcodec.json.xǁ_DirectPlanǁ__init____mutmut_35`` (``null`` never plain), ``_37``
    (``XX|nullXX``) and ``_38`` (``|NULL``): each declines such a reply."""

    def test_null_and_quoted_amounts(self):
        payload = b'[{\n"status": 1,\n"cost": null,\n"phone": "7"\n},\n{\n"status": 2,\n"cost": "1.40"\n}]'
        expected = [Status(status=1, phone="7"), Status(status=2, cost=Decimal("1.40"))]
        found = fmt_json._fast_direct(Source.from_payload(payload, None, 3), STATUSES)
        assert found == expected
        assert repr(found[1].cost) == "Decimal('1.40')"
        assert outcome(payload, list[Status]) == ("records", expected)


class TestDirectPathAttempts:
    """The direct path reads a reply of unknown charset that is not UTF-8 by transcoding it at
    once (the payload cannot be malformed JSON for another reason: nothing was quoted yet); and
    quotes a numeric text key's bare integers the cheapest way once, when other records leave the
    member out (their ``""`` is an absent value, not a value that failed to quote): two decodes,
    the first refused at the bare number.

    Kills ``fmtcodec.json.x__direct_attempt__mutmut_34`` (malformed always "quoted wrongly": the
    cp1251 reply declined), ``_44`` and ``_45`` (the absent ``""`` kept among the values read back:
    quoted again twice, six decodes); and ``fmtcodec.json.x__fast_direct__mutmut_13``, ``_15``,
    ``_16`` (``transcodable`` worked out wrong: the cp1251 reply declined), ``_34`` (the transcoded
    bytes' money searched in ``None``: ``TypeError``) and ``_38`` (the loop left after transcoding,
    no records).  Numbers as of the ``transcodable`` flag (the empty reply's loop, fixed)."""

    def test_windows_1251_reply_of_unknown_charset(self):
        text = '[{\n"status": 1,\n"last_date": "28.06.2021 12:00:05",\n"country": "Россия",\n"id": "a"\n}]'
        src = Source.from_payload(text.encode("cp1251"), None, 3)
        expected = [HistoryMessage(status=1, last_date="28.06.2021 12:00:05", country="Россия", id="a")]
        assert fmt_json._fast_direct(src, HISTORY) == expected
        assert src.charset == "cp1251"
        assert outcome(text.encode("cp1251"), list[HistoryMessage]) == ("records", expected)

    def test_bare_number_in_one_record_absent_from_the_other(self, monkeypatch: pytest.MonkeyPatch):
        plan = fmt_json._direct_plan(HISTORY)
        assert plan is not None
        counting = CountingDecoder(plan.decoder)
        monkeypatch.setattr(plan, "decoder", counting)
        payload = (
            b'[{\n"status": 1,\n"last_date": "x",\n"mccmnc": 25001,\n"id": "a"\n},\n'
            b'{\n"status": 2,\n"last_date": "y",\n"id": "b"\n}]'
        )
        expected = [
            HistoryMessage(status=1, last_date="x", mccmnc="25001", id="a"),
            HistoryMessage(status=2, last_date="y", id="b"),
        ]
        assert fmt_json._fast_direct(Source.from_payload(payload, None, 3), HISTORY) == expected
        assert counting.calls == 2


class TestEmptyMessageIdInALaterRecord:
    """An empty message id (``"id": ""``) is refused even after a good one: the direct path's
    whole-column check of the ids declines the reply (an empty line among them), and the general
    path says where.

    Kills ``fmtcodec.json.x__fast_direct__mutmut_59`` (the ids joined by ``XX\\nXX``: the empty
    id no longer an empty line, the reply taken with it)."""

    def test_empty_id_after_a_good_one(self):
        payload = (
            b'[{\n"status": 1,\n"last_date": "x",\n"id": "a"\n},\n'
            b'{\n"status": 2,\n"last_date": "y",\n"id": ""\n}]'
        )
        assert fmt_json._fast_direct(Source.from_payload(payload, None, 3), HISTORY) is None
        assert outcome(payload, list[HistoryMessage]) == (
            "error", "expected a message id (letters, digits, '.', '-', '_') for `id`, got ''", 86, 9, 7, "$[1].id"
        )
        assert payload[86:88] == b'""'


class TestDirectPathDeclinesBytesNotUtf8:
    """A reply said to be UTF-8 that holds a byte UTF-8 does not allow is declined by the direct
    path (it answers with records or ``None``, never an error: every error comes from the
    general path), and ``decode`` names the byte.

    Kills ``fmtcodec.json.x__fast_direct__mutmut_17`` and ``_18`` (the charset compared with
    another spelling: the reply transcoded there, the text's error raised from the fast path)."""

    def test_invalid_byte_with_charset_utf8(self):
        payload = b'[{\n"status": 1,\n"last_date": "\xff",\n"id": "a"\n}]'
        assert fmt_json._fast_direct(Source.from_payload(payload, "utf-8", 3), HISTORY) is None
        with pytest.raises(fmtcodec.DecodeError) as caught:
            fmtcodec.decode(payload, list[HistoryMessage], fmt=3, charset="utf-8")
        error = caught.value
        assert (error.reason, error.pos, error.line, error.column, error.path) == (
            "byte 0xFF is not valid utf-8", 30, 3, 15, None
        )


class TestDecodeAsksTheFastestPathFirst:
    """``decode`` reads each reply on the first path that can: a plain pages' list straight into
    its records (``_fast_direct``), one the direct path declines (a quoted integer) a column at a
    time (``_fast_pages``), a group list the strict typed decoder reads there, contacts with a bare
    group number and a group list spaced unusually by the lenient decoder -- the paths after it
    never asked (each replaced by one that fails the test).

    Kills ``fmtcodec.json.x_decode_records__mutmut_2`` (the direct path skipped), ``_8`` (the
    column path skipped), ``_28`` (the strict decoder skipped for groups), ``_35`` (the strict and
    lax answers dropped: the lenient path asked), ``_37`` (the lax path asked after the strict one
    read the reply) and ``_54`` (the lenient path skipped)."""

    @staticmethod
    def refuse(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
        def refused(*args: object) -> None:
            raise AssertionError("a slower path was asked")

        for name in names:
            monkeypatch.setattr(fmt_json, name, refused)

    def test_plain_history_list_on_the_direct_path(self, monkeypatch: pytest.MonkeyPatch):
        self.refuse(monkeypatch, "_fast_pages", "_page_records")
        payload = reply(history(status="1", id='"a"'), history(status="-2", id="7", int_id="5"))
        assert fmtcodec.decode(payload, list[HistoryMessage], fmt=3) == [
            HistoryMessage(status=1, last_date="28.06.2021 12:00:05", id="a"),
            HistoryMessage(status=-2, last_date="28.06.2021 12:00:05", id="7", int_id=5),
        ]

    def test_quoted_status_on_the_column_path(self, monkeypatch: pytest.MonkeyPatch):
        self.refuse(monkeypatch, "_page_records")
        payload = reply(history(status='"1"'), history(status='"-2"'))
        assert fmtcodec.decode(payload, list[HistoryMessage], fmt=3) == [
            HistoryMessage(status=1, last_date="28.06.2021 12:00:05"),
            HistoryMessage(status=-2, last_date="28.06.2021 12:00:05"),
        ]

    def test_plain_group_list_by_the_strict_decoder(self, monkeypatch: pytest.MonkeyPatch):
        self.refuse(monkeypatch, "_fast_lax", "_fast_lenient", "_general_records")
        payload = b'[{\n"id": 1,\n"name": "a",\n"cnt": 5\n},\n{\n"id": 2,\n"name": "b",\n"number": 7\n}]'
        assert fmtcodec.decode(payload, list[Group], fmt=3) == [Group(1, "a", None, 5), Group(2, "b", 7, None)]

    def test_bare_group_number_and_unusual_spacing_by_the_lenient_decoder(self, monkeypatch: pytest.MonkeyPatch):
        self.refuse(monkeypatch, "_general_records")
        contacts = b'[{\n"phone": "79999999999",\n"group": 5922\n}]'
        assert fmtcodec.decode(contacts, list[Contact], fmt=3) == [Contact(phone="79999999999", group="5922")]
        groups = b'[{"id": 1, "name": "a", "cnt" : "5"}]'
        assert fmtcodec.decode(groups, list[Group], fmt=3) == [Group(1, "a", None, 5)]


class TestEncodeAsksTheFastestWriterFirst:
    """``encode`` writes a list in fmt 3 with the first writer that can (for a charset other than
    UTF-8, which the compiled core writes as bytes before): a pages' list by columns, contacts by
    the compiled core when it is built, else by columns -- the writers after it never asked.

    Kills ``fmtcodec.json.x_encode_records__mutmut_3`` (the pages' column writer skipped), ``_15``
    (the compiled core skipped) and ``_21`` (the contacts' column writer skipped)."""

    CONTACTS = (Contact(phone="7", name="\u0410\u043d\u043d\u0430", group="5922"),)
    WRITTEN = (
        '[{\n"phone": "7",\n"name": "\u0410\u043d\u043d\u0430",\n"group": "5922",\n"first_name": "",\n"last_name": "",\n'
        '"middle_name": "",\n"birthday": "",\n"id": "",\n"comments": "",\n"tags": "",\n"phone_other": ""\n}]'
    ).encode("cp1251")

    @staticmethod
    def refuse(monkeypatch: pytest.MonkeyPatch, owner: Any, *names: str) -> None:
        def refused(*args: object) -> None:
            raise AssertionError("a slower writer was asked")

        for name in names:
            monkeypatch.setattr(owner, name, refused)

    def test_pages_list_by_columns(self, monkeypatch: pytest.MonkeyPatch):
        self.refuse(monkeypatch, fmt_json, "_page_array")
        rows = [HistoryMessage(status=1, last_date="x", id="7", crc=-3)]
        written = fmtcodec.encode(rows, fmt=3, charset="cp1251")
        assert written.startswith(b'[{\n"status": 1,\n"last_date": "x",\n"send_date": "",\n')
        assert written.endswith(b'"id": 7,\n"int_id": 0,\n"sms_cnt": 0,\n"format": 0,\n"crc": -3\n}]')
        assert fmtcodec.decode(written, list[HistoryMessage], fmt=3, charset="cp1251") == rows

    @pytest.mark.skipif(not fmtcodec.COMPILED, reason="the compiled core is not built here")
    def test_contacts_by_the_compiled_core(self, monkeypatch: pytest.MonkeyPatch):
        self.refuse(monkeypatch, fmt_json, "_fast_objects")
        self.refuse(monkeypatch, RecordLayout, "wire_texts")
        assert fmtcodec.encode(self.CONTACTS, fmt=3, charset="cp1251") == self.WRITTEN

    def test_contacts_by_columns_without_the_core(self, monkeypatch: pytest.MonkeyPatch):
        self.refuse(monkeypatch, RecordLayout, "wire_texts")
        with _core.pure():
            assert fmtcodec.encode(self.CONTACTS, fmt=3, charset="cp1251") == self.WRITTEN


class TestGeneralWriterOfThePagesKinds:
    """The general writer of the pages' kinds (``_page_members``; the column writer declines
    integers of 19 digits) writes a signed number or a count of 19 digits bare, as every number,
    and refuses an ``int`` in a money or message id field, naming the field.

    Kills ``fmtcodec.json.x__page_members__mutmut_70`` (a negative number beyond the short ones
    quoted), ``_34`` and ``_35`` (an ``int`` in a money or id field written as a bare number)."""

    def test_numbers_of_19_digits_bare(self):
        rows = [HistoryMessage(status=-(10**18), last_date="x", id="7", crc=-(10**18), int_id=10**18)]
        assert fmt_json._fast_page_objects(rows, HISTORY) is None
        written = fmtcodec.encode(rows, fmt=3, charset="cp1251")
        assert written.startswith(b'[{\n"status": -1000000000000000000,\n"last_date": "x",\n')
        assert written.endswith(
            b'"id": 7,\n"int_id": 1000000000000000000,\n"sms_cnt": 0,\n"format": 0,\n"crc": -1000000000000000000\n}]'
        )
        assert fmtcodec.decode(written, list[HistoryMessage], fmt=3, charset="cp1251") == rows

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"cost": 5}, "`cost` must be a decimal.Decimal, got 5"),
            ({"id": 5}, "`id` must be a str, got 5"),
        ],
    )
    def test_an_int_in_money_or_id_is_refused(self, changes, message):
        name = next(iter(changes))
        with pytest.raises(fmtcodec.EncodeError) as caught:
            fmtcodec.encode([Status(status=1, **changes)], fmt=3, charset="cp1251")
        assert str(caught.value) == f"fmt 3 cannot carry the value at $[0].{name}: {message}"
        assert caught.value.path == f"$[0].{name}"


class TestPagesReplyWithAnIntegerBeyondMsgspec:
    """A pages' reply holding an integer of more digits than msgspec reads (4301, in a text field,
    where it is a text) is read again by the standard library, every number kept as its own
    characters: a bare amount after it keeps its digits, ``NaN`` is refused by the money rule.

    Kills ``fmtcodec.json.x__parse_exact__mutmut_20``, ``_24`` (numbers with a fraction read as
    floats: the amount refused) and ``_21``, ``_25`` (``NaN`` read as a float: another message)."""

    @staticmethod
    def payload(cost: bytes) -> bytes:
        return b'[{"status": 1, "last_date": "x", "id": "a", "mccmnc": ' + b"1" * 4301 + b', "cost": ' + cost + b"}]"

    def test_a_bare_amount_keeps_its_digits(self):
        found = fmtcodec.decode(self.payload(b"1.40"), list[HistoryMessage], fmt=3)
        assert found == [HistoryMessage(status=1, last_date="x", id="a", mccmnc="1" * 4301, cost=Decimal("1.40"))]
        assert repr(found[0].cost) == "Decimal('1.40')"

    def test_nan_is_refused_by_the_money_rule(self):
        assert outcome(self.payload(b"NaN"), list[HistoryMessage]) == (
            "error", "expected a decimal amount for `cost`, got 'NaN'", 4365, 1, 4366, "$[0].cost"
        )


class TestMalformedRepliesWhereMsgspecNamesNoByte:
    """Where msgspec names no byte, the error is placed by its kind: a reply cut short at its end
    (its last character), an integer of more digits than any reader takes in a reply that is also
    malformed (so the standard library cannot read it either) at byte 0.

    Kills ``fmtcodec.json.x__parse__mutmut_36`` (no place), ``_37`` (a cut reply placed at 0), ``_38``, ``_39`` (the
    integer placed at the end), ``_40``, ``_41``, ``_42`` (the truncation's message misspelled:
    placed at 0) and ``_43`` (byte 1 for the integer)."""

    def test_cut_short(self):
        payload = b'[{"phone": "1"'
        assert outcome(payload, list[Contact]) == ("error", "Input data was truncated", 14, 1, 15, None)

    def test_integer_too_long_in_a_malformed_reply(self):
        payload = b'[{"phone": ' + b"1" * 4301 + b"},]"
        assert outcome(payload, list[Contact]) == (
            "error", "Integer value out of range - at `$[0][...]`", 0, 1, 1, None
        )


class TestJsonNestedTooDeep:
    """JSON nested deeper than the parser's recursion allows is refused with its own message at
    byte 0 (the parser names no byte), whether the reply is a group list (the typed decoders give
    up, the general path parses it), a created reply, or a reply of a pages' kind (parsed with its
    numbers kept as their text), a list or one record.

    Kills ``fmtcodec.json.x__parse__mutmut_9`` (the message misspelled) and ``_12`` (byte 1); and
    ``fmtcodec.json.x__parse_exact__mutmut_5`` to ``_11`` (the message lost or misspelled, no
    byte) and ``_12`` (byte 1)."""

    @pytest.mark.parametrize(
        ("payload", "kind"),
        [
            (b"[" * 100_000 + b"]" * 100_000, list[Group]),
            (b'{"id": ' + b"[" * 100_000, fmtcodec.Created),
            (b"[" * 100_000 + b"]" * 100_000, list[HistoryMessage]),
            (b'{"status": ' + b"[" * 100_000, Status),
        ],
    )
    def test_refused_at_byte_0(self, payload, kind):
        assert outcome(payload, kind) == ("error", "JSON nests deeper than a reply can", 0, 1, 1, None)


class Text(str):
    """A ``str`` subclass: the pages' column writer declines it, the general writer takes it."""


class TestLoneSurrogateInAPagesText:
    """A lone surrogate in a text of a pages' kind that the general writer's common case does not
    take (a ``str`` subclass) is refused naming the field's path, in one record and in a list.

    Kills ``fmtcodec.json.x__page_members__mutmut_75`` (the path lost)."""

    @pytest.mark.parametrize(
        ("value", "path"),
        [
            (Status(status=1, message=Text("a\ud800")), "$.message"),
            ([Status(status=1), Status(status=2, message=Text("a\ud800"))], "$[1].message"),
        ],
    )
    def test_refused_at_its_path(self, value, path):
        with pytest.raises(fmtcodec.EncodeError) as caught:
            fmtcodec.encode(value, fmt=3)
        assert (caught.value.reason, caught.value.path) == (
            "character U+D800 is a lone surrogate, which no charset can write", path
        )


class TestNoTranscodingTableForAMultiByteCharset:
    """The compiled core's transcoding table exists only for a charset of one byte a character:
    a multi-byte charset (gbk, shift_jis: a lead byte and the next are one character) has none,
    asked once or again (the answer kept is ``None``).  (The library asks it only for
    windows-1251 and koi8-r; this is the function's own rule.)

    Kills ``fmtcodec.json.x__transcoding_table__mutmut_32`` (a byte read alone that differs from
    its place in the whole no longer tells a multi-byte charset: gbk given a table) and ``_38``
    (``""`` kept for such a charset: the second answer not ``None``)."""

    @pytest.mark.parametrize("charset", ["gbk", "shift_jis"])
    def test_none_asked_twice(self, charset):
        assert fmt_json._transcoding_table(charset) is None
        assert fmt_json._transcoding_table(charset) is None
        assert list(fmt_json._TABLES.items()) == [(charset, None)]


class TestPagesObjectReadInItsOwnOrder:
    """The general reader of the pages' kinds takes an object's members in the order the reply
    gives them: a nested list (``phones``) before the other members leaves them read; and of
    several required fields missing it names the first in the layout's order (a send reply's
    ``id``, not the first by name, ``cnt``).

    Kills ``fmtcodec.json.x__page_object__mutmut_74`` (the object left after its nested list),
    ``_120`` and ``_122`` (the missing field chosen by name)."""

    def test_phones_before_the_count(self):
        payload = b'{"id": 7, "phones": [{"phone": "79991234567", "cost": "1.40"}], "cnt": 1}'
        assert outcome(payload, Sent) == (
            "records", Sent(id="7", cnt=1, phones=(PhoneReport(phone="79991234567", cost=Decimal("1.40")),))
        )

    @pytest.mark.parametrize("payload", [b"{}", b'{\n"balance": "5"\n}'])
    def test_first_missing_field_in_the_layouts_order(self, payload):
        assert outcome(payload, Sent) == ("error", "required field `id` is missing", 0, 1, 1, "$.id")


class TestMalformedBeforeTheByteThatIsNotUtf8:
    """A reply of unknown charset read as UTF-8 until a byte that is not (then windows-1251, the
    whole reply) and malformed before that byte: the place is told in the windows-1251 text, where
    ``\\xd0\\xbf`` is two characters, not the one UTF-8 reading of it.

    Written for ``fmtcodec.json.x__decode_utf8__mutmut_9`` and ``_11`` to ``_13`` (the text read
    again, or not, whatever the charset), which it does not kill: by the time the general path
    reads a list reply (``_parse``), the paths before it have asked ``src.charset``, so the
    windows-1251 text is known and the place told right either way.  ``_11`` is killed by
    ``TestErrorReplyInWindows1251``, where the error reply is the first thing read; ``_9``, ``_12``
    and ``_13`` only read the same bytes again (equivalent)."""

    def test_place(self):
        payload = b'[{"name": "\xd0\xbf",, "phone": "\xff"}]'
        with pytest.raises(fmtcodec.DecodeError) as refused:
            fmtcodec.decode(payload, list[Contact], fmt=3)
        assert str(refused.value) == (
            "fmt 3: JSON is malformed: object keys must be strings - byte 15 (line 1, column 16),"
            " near ', \"phone\": \"я\"}]'"
        )
        assert payload[15:16] == b","


class TestErrorReplyInWindows1251:
    """A fmt 3 error reply in windows-1251, no charset given: its bytes are not UTF-8 (msgspec
    refuses them with a ``msgspec.DecodeError``, "Invalid UTF-8 encoded string"), so the reply is
    read again as the windows-1251 text -- its message, or the place of a malformation in that text,
    where ``\\xd0\\xbf`` is two characters.  The error reply is looked for before anything else,
    so this first reading is also the one that learns the charset.

    Kills ``fmtcodec.json.x__decode_utf8__mutmut_11`` (read again only when the charset *is*
    UTF-8: the reply is refused at byte 0 as invalid UTF-8, and the malformation is placed by the
    UTF-8 reading of the bytes)."""

    PAYLOAD = '{"error": "Ошибка", "error_code": 3}'.encode("cp1251")

    def test_error_reply(self):
        assert fmtcodec.decode(self.PAYLOAD, fmtcodec.Error, fmt=3) == fmtcodec.Error(error_code=3, error="Ошибка")

    def test_error_reply_where_records_were_asked(self):
        with pytest.raises(fmtcodec.ApiError) as raised:
            fmtcodec.decode(self.PAYLOAD, list[Contact], fmt=3)
        assert (raised.value.code, raised.value.message) == (3, "Ошибка")

    def test_place_of_a_malformation(self):
        payload = b'{"error": "\xd0\xbf",, "error_code": 1}\xff'
        with pytest.raises(fmtcodec.DecodeError) as refused:
            fmtcodec.decode(payload, fmtcodec.Error, fmt=3)
        assert str(refused.value) == (
            "fmt 3: JSON is malformed: object keys must be strings - byte 15 (line 1, column 16),"
            " near ', \"error_code\": 1}я'"
        )
        assert (refused.value.pos, refused.value.line, refused.value.column) == (15, 1, 16)
        assert payload[15:16] == b","


class TestErrorReplyWhoseDescriptionIsNoString:
    """A fmt 3 error reply whose ``error`` is not a string (a number, a list) is refused where that
    value stands, with the value shown and the path ``$.error`` -- whatever kind was asked for.

    Kills ``fmtcodec.json.x_decode_error__mutmut_41`` to ``_55`` (the reason, the value shown, the
    place or the path lost or misspelt)."""

    @pytest.mark.parametrize("kind", [fmtcodec.Error, list[Contact], fmtcodec.Ok])
    @pytest.mark.parametrize(
        ("payload", "shown", "pos", "near"),
        [
            (b'{"error_code": 3, "error": 5}', "5", 27, "'5}'"),
            (b'{"error": [1], "error_code": 3}', "[1]", 10, "'[1], \"error_code\": 3}'"),
        ],
    )
    def test_refused(self, kind, payload, shown, pos, near):
        with pytest.raises(fmtcodec.DecodeError) as refused:
            fmtcodec.decode(payload, kind, fmt=3)
        error = refused.value
        assert str(error) == (
            f"fmt 3: expected a string, got {shown} - at $.error, byte {pos} (line 1, column {pos + 1}), near {near}"
        )
        assert (error.pos, error.line, error.column, error.path) == (pos, 1, pos + 1, "$.error")
