"""fmt 3 (JSON) for the pages' reply kinds: send, cost, status, statuses, balance, senders, jobs,
history, operator, templates (issue 16).

The real replies of 2013 (zxcabs/node-smsc; the captures' directory shared/real-replies) are quoted byte for byte
and re-encode byte for byte; the other examples are the facts' P and C cells
(spec/sources.md, "Facts") written in the server's layout.
"""

from __future__ import annotations

import json
import pathlib
import string
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import (
    ApiError,
    Balance,
    Cost,
    DecodeError,
    EncodeError,
    Error,
    HistoryMessage,
    JobCreated,
    Ok,
    OperatorInfo,
    PhoneReport,
    Sender,
    SenderCreated,
    Sent,
    Status,
    Template,
    TemplateCreated,
)
from fmtcodec.layout import LAYOUTS, RecordLayout


def decode_error(payload: bytes, kind: Any, charset: str | None = None) -> str:
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, kind, fmt=3, charset=charset)
    return str(caught.value)


def encode_error(value: Any) -> str:
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode(value, fmt=3)
    return str(caught.value)


# ---------------------------------------------------------------------------------------------
# The real replies (C, May 2013): (file in real-replies/, charset of its Content-Type, body, record)

REAL = [
    ("58-send.http", "utf-8", b'{\n"id": 1,\n"cnt": 1\n}', Sent(id="1", cnt=1)),
    ("49-send-cost.http", "utf-8", b'{\n"cost": "0.4",\n"cnt": 1\n}', Cost(cost=Decimal("0.4"), cnt=1)),
    ("01-balance-cp1251.http", "windows-1251", b'{\n"balance": "15.00"\n}', Balance(balance=Decimal("15.00"))),
    ("02-balance.http", "utf-8", b'{\n"balance": "15.00"\n}', Balance(balance=Decimal("15.00"))),
    ("54-balance-2.http", "utf-8", b'{\n"balance": "15.00"\n}', Balance(balance=Decimal("15.00"))),
    ("55-balance-3.http", "utf-8", b'{\n"balance": "15.00"\n}', Balance(balance=Decimal("15.00"))),
    ("03-sender-create.http", "utf-8", b'{\n"sender": 24336\n}', SenderCreated(sender=24336)),
    ("09-sender-create-2.http", "utf-8", b'{\n"sender": 24338\n}', SenderCreated(sender=24338)),
    ("51-sender-create-3.http", "utf-8", b'{\n"sender": 24605\n}', SenderCreated(sender=24605)),
    ("52-sender-create-4.http", "utf-8", b'{\n"sender": 24606\n}', SenderCreated(sender=24606)),
    ("56-sender-create-5.http", "utf-8", b'{\n"sender": 24608\n}', SenderCreated(sender=24608)),
    ("11-senders-list.http", "utf-8", b'[{\n"sender": "zxcabs"\n}]', [Sender(sender="zxcabs")]),
    ("33-senders-list-2.http", "utf-8", b'[{\n"sender": "zxcabs"\n}]', [Sender(sender="zxcabs")]),
    ("07-sender-delete-ok.http", "utf-8", b"OK", Ok()),
    ("10-sender-delete-by-id-ok.http", "utf-8", b"OK", Ok()),
    ("31-sender-delete-ok-2.http", "utf-8", b"OK", Ok()),
    ("53-sender-delete-by-id-ok-2.http", "utf-8", b"OK", Ok()),
]
REAL_SENDER_ERRORS = [  # (file, body, code, the senders page's meaning)
    ("04-error-parameters-sender-no-cmt.http", b'{\n"error": "parameters error",\n"error_code": 1\n}', 1,
     "Error in parameters."),
    ("05-error-save-sender-exists.http", b'{\n"error": "save error",\n"error_code": 5\n}', 5,
     "Error saving or deleting the sender name."),
    ("08-error-record-not-found-sender-del.http", b'{\n"error": "record not found",\n"error_code": 3\n}', 3,
     "Sender name not found."),
    ("34-error-record-not-found-sender-del-2.http", b'{\n"error": "record not found",\n"error_code": 3\n}', 3,
     "Sender name not found."),
]
# the 2013 captures, kept in the repository (spec/captures/)
REAL_REPLIES = pathlib.Path(__file__).resolve().parent.parent / "spec" / "captures"


def _reply_type(value: Any) -> Any:
    return list[type(value[0])] if isinstance(value, list) else type(value)  # type: ignore[misc]


@pytest.mark.parametrize(("name", "charset", "body", "value"), REAL, ids=[item[0] for item in REAL])
def test_real_replies_decode_and_re_encode_byte_for_byte(name: str, charset: str, body: bytes, value: Any):
    kind = _reply_type(value)
    assert fmtcodec.decode(body, kind, charset=charset) == value
    assert fmtcodec.decode(body, kind, fmt=3, charset=charset) == value
    assert fmtcodec.encode(value, fmt=3, charset=charset) in (body, b'{\n"result": "OK"\n}')
    if kind is not Ok:
        assert fmtcodec.encode(value, fmt=3, charset=charset) == body


@pytest.mark.parametrize(("name", "body", "code", "meaning"), REAL_SENDER_ERRORS, ids=[e[0] for e in REAL_SENDER_ERRORS])
def test_real_sender_errors_carry_the_senders_page_meaning(name: str, body: bytes, code: int, meaning: str):
    for kind in (list[Sender], SenderCreated):
        with pytest.raises(ApiError) as caught:
            fmtcodec.decode(body, kind)
        assert (caught.value.code, caught.value.meaning, caught.value.page, caught.value.id) == (
            code, meaning, "senders", None,
        )
    error = fmtcodec.decode(body, Error)
    assert fmtcodec.encode(error, fmt=3) == body


@pytest.mark.skipif(not REAL_REPLIES.is_dir(), reason="spec/captures/ is in the repository only (not the sdist)")
def test_quoted_bodies_are_the_captured_ones():
    quoted = [(name, body) for name, _, body, _ in REAL] + [(name, body) for name, body, _, _ in REAL_SENDER_ERRORS]
    for name, body in quoted:
        head, _, captured = (REAL_REPLIES / name).read_bytes().partition(b"\n\n")
        assert captured == body, name
        assert f"Content-Length: {len(body)}".encode() in head


# ---------------------------------------------------------------------------------------------
# The facts' P and C cells in the server's layout, and the U cells (spec/formats.md, fmt 3).

# (record, the reply as the encoder writes it)
SERVER_LAYOUT = [
    # §4.2 [C]: cost=2 and cost=3 add cost and balance as strings
    (Sent(id="1234", cnt=1, cost=Decimal("1.40")), '{\n"id": 1234,\n"cnt": 1,\n"cost": "1.40"\n}'),
    (
        Sent(id="1234", cnt=1, cost=Decimal("1.40"), balance=Decimal("100.50")),
        '{\n"id": 1234,\n"cnt": 1,\n"cost": "1.40",\n"balance": "100.50"\n}',
    ),
    # §4.5: a client's own id is a string; an id with a leading zero is not a JSON number
    (Sent(id="order-17.a_b", cnt=5), '{\n"id": "order-17.a_b",\n"cnt": 5\n}'),
    (Sent(id="0123", cnt=1), '{\n"id": "0123",\n"cnt": 1\n}'),
    # §5.3 [P]: all=0; [C] 2019: no flag, no err
    (
        Status(status=1, last_date="10.10.2010 10:10:10", last_timestamp=1286705410, flag=0, err=0),
        '{\n"status": 1,\n"last_date": "10.10.2010 10:10:10",\n"last_timestamp": 1286705410,\n"flag": 0,\n"err": 0\n}',
    ),
    (
        Status(status=1, last_date="28.12.2019 19:20:22", last_timestamp=1577550022),
        '{\n"status": 1,\n"last_date": "28.12.2019 19:20:22",\n"last_timestamp": 1577550022\n}',
    ),
    # §5.3 all=2 [c]
    (
        Status(status=1, last_date="28.12.2019 19:20:22", last_timestamp=1577550022, flag=0, err=0,
               send_date="28.12.2019 19:20:20", send_timestamp=1577550020, phone="79112223351",
               country="Россия", operator="МегаФон", region="", cost=Decimal("1.20"), sender_id="SMSC.RU",
               status_name="Доставлено", message="Привет, \"мир\"\n"),
        '{\n"status": 1,\n"last_date": "28.12.2019 19:20:22",\n"last_timestamp": 1577550022,\n"flag": 0,\n'
        '"err": 0,\n"send_date": "28.12.2019 19:20:20",\n"send_timestamp": 1577550020,\n'
        '"phone": "79112223351",\n"country": "Россия",\n"operator": "МегаФон",\n"region": "",\n'
        '"cost": "1.20",\n"sender_id": "SMSC.RU",\n"status_name": "Доставлено",\n'
        '"message": "Привет, \\"мир\\"\\n"\n}',
    ),
    # §5.3b: a negative status is a bare number
    (Status(status=-3), '{\n"status": -3\n}'),
    # §6 [P C]: jobs add
    (JobCreated(id=17, cost=Decimal("4.48")), '{\n"id": 17,\n"cost": "4.48"\n}'),
    (JobCreated(id=17), '{\n"id": 17\n}'),
    # §7 [C]: cur=1 adds currency; credit [c]
    (Balance(balance=Decimal("100.01"), currency="RUR"), '{\n"balance": "100.01",\n"currency": "RUR"\n}'),
    (
        Balance(balance=Decimal("-5.5"), currency="RUR", credit=Decimal("1000")),
        '{\n"balance": "-5.5",\n"currency": "RUR",\n"credit": "1000"\n}',
    ),
    # §8 [U]: newer servers add the sender's id
    ([Sender(sender="zxcabs", id=5), Sender(sender="SMSC.RU")], '[{\n"sender": "zxcabs",\n"id": 5\n},\n{\n"sender": "SMSC.RU"\n}]'),
    # §9.5 [C]
    (
        OperatorInfo(country="Россия", operator="МегаФон", region="Москва", mcc="250", mnc="02", tz="3"),
        '{\n"country": "Россия",\n"operator": "МегаФон",\n"region": "Москва",\n"mcc": "250",\n"mnc": "02",\n'
        '"tz": "3"\n}',
    ),
    # §10.1 [C]
    (TemplateCreated(id=44), '{\n"id": 44\n}'),
    (
        [Template(id=44, name="Код", message="Ваш код: {code}", format="sms", sender="", flag=0)],
        '[{\n"id": 44,\n"name": "Код",\n"message": "Ваш код: {code}",\n"format": "sms",\n"sender": "",\n"flag": 0\n}]',
    ),
    ([], "[]"),
]


@pytest.mark.parametrize(("value", "body"), SERVER_LAYOUT, ids=lambda item: type(item).__name__)
def test_server_layout_both_ways(value: Any, body: str):
    kind = _reply_type(value) if value != [] else list[Status]
    assert fmtcodec.encode(value, fmt=3) == body.encode()
    assert fmtcodec.decode(body.encode(), kind) == value
    compact = json.dumps(json.loads(body), ensure_ascii=False).encode()  # one line, ", " between members
    assert fmtcodec.decode(compact, kind) == value


def test_multi_id_status_array():
    # facts §5.5: the 2023 capture's values (the two phone numbers replaced by test numbers)
    payload = (
        b'[{\n"status": 25,\n"last_date": "17.03.2023 16:47:56",\n"last_timestamp": 1679060876,\n"flag": 0,\n'
        b'"err": 248,\n"id": 32,\n"phone": "79112223351"\n},\n'
        b'{\n"status": 23,\n"last_date": "17.03.2023 16:47:56",\n"last_timestamp": 1679060876,\n"flag": 0,\n'
        b'"err": 254,\n"id": 32,\n"phone": "79112223352"\n}]'
    )
    rows = fmtcodec.decode(payload, list[Status])
    assert rows == [
        Status(status=25, last_date="17.03.2023 16:47:56", last_timestamp=1679060876, flag=0, err=248,
               id="32", phone="79112223351"),
        Status(status=23, last_date="17.03.2023 16:47:56", last_timestamp=1679060876, flag=0, err=254,
               id="32", phone="79112223352"),
    ]
    assert [row.status_meaning for row in rows] == ["number unavailable", "prohibited"]
    assert fmtcodec.encode(rows, fmt=3) == payload
    assert decode_error(payload, Status) == (
        "fmt 3: expected an object for a Status, got an array - at $, byte 0 (line 1, column 1),"
        " near '[{\\n\"status\": 25,\\n\"last_d'"
    )


def test_history_array():
    # facts §9.1: the 2021 fmt 0 capture's values; fmt 3 key names assumed the same in lower case
    message = HistoryMessage(
        status=1, last_date="28.06.2021 12:00:05", send_date="28.06.2021 12:00:01", phone="79112223351",
        mccmnc="25002", country="Россия", operator="МегаФон", region="", cost=Decimal("0.385"),
        sender_id="SMSC.RU", status_name="Доставлено", message="Код: 1234, никому", type=0, id="5",
        int_id=1234567890, sms_cnt=1, format=0, crc=-1,
    )
    payload = fmtcodec.encode([message], fmt=3)
    assert payload == (
        '[{\n"status": 1,\n"last_date": "28.06.2021 12:00:05",\n"send_date": "28.06.2021 12:00:01",\n'
        '"phone": "79112223351",\n"mccmnc": "25002",\n"country": "Россия",\n"operator": "МегаФон",\n'
        '"region": "",\n"cost": "0.385",\n"sender_id": "SMSC.RU",\n"status_name": "Доставлено",\n'
        '"message": "Код: 1234, никому",\n"type": 0,\n"id": 5,\n"int_id": 1234567890,\n"sms_cnt": 1,\n'
        '"format": 0,\n"crc": -1\n}]'
    ).encode()
    assert fmtcodec.decode(payload, list[HistoryMessage]) == [message]


# ---------------------------------------------------------------------------------------------
# The per-number list (op=1, err=1; facts §4.4)

PHONES_REPLY = (
    b'{\n"id": 279,\n"cnt": 2,\n"cost": "1.40",\n"phones": ['
    b'{"phone": "79112223351", "mccmnc": "25001", "cost": "1.40"}, '
    b'{"phone": "7911", "mccmnc": "", "status": -1, "error": 7}]\n}'
)
PHONES_SENT = Sent(
    id="279",
    cnt=2,
    cost=Decimal("1.40"),
    phones=(
        PhoneReport(phone="79112223351", mccmnc="25001", cost=Decimal("1.40")),
        PhoneReport(phone="7911", mccmnc="", status=-1, error=7),
    ),
)


def test_per_number_list_inline_on_its_line():
    assert fmtcodec.encode(PHONES_SENT, fmt=3) == PHONES_REPLY
    assert fmtcodec.decode(PHONES_REPLY, Sent) == PHONES_SENT
    cost = Cost(cost=Decimal("0"), cnt=1, phones=(PhoneReport(phone="79112223351", mccmnc="25001"),))
    assert fmtcodec.encode(cost, fmt=3) == (
        b'{\n"cost": "0",\n"cnt": 1,\n"phones": [{"phone": "79112223351", "mccmnc": "25001"}]\n}'
    )
    assert fmtcodec.encode(Cost(cost=Decimal("0"), cnt=0, phones=()), fmt=3) == (
        b'{\n"cost": "0",\n"cnt": 0,\n"phones": []\n}'
    )
    assert fmtcodec.decode(b'{"cost": "0", "cnt": 0, "phones": []}', Cost) == Cost(Decimal("0"), 0, ())


def test_per_number_values_in_either_spelling():
    # clients disagree whether status/error are strings or numbers (facts §4.4); cost is null in
    # the demo account's test mode
    payload = (
        b'{"id": 1, "cnt": 1, "phones": [{"phone": "79112223351", "mccmnc": "25001", "cost": null,'
        b' "status": "-1", "error": "7"}, {"phone": "79112223352", "cost": 1.4, "status": 0, "error": 0}]}'
    )
    assert fmtcodec.decode(payload, Sent).phones == (
        PhoneReport(phone="79112223351", mccmnc="25001", status=-1, error=7),
        PhoneReport(phone="79112223352", cost=Decimal("1.4"), status=0, error=0),
    )


def test_per_number_refusals_name_the_number():
    payload = b'{"id": 1, "cnt": 2, "phones": [{"phone": "1"},\n {"phone": "2", "cost": "1,40"}]}'
    assert decode_error(payload, Sent) == (
        "fmt 3: expected a decimal amount for `cost`, got '1,40' - at $.phones[1].cost, byte 71 (line 2, column 25),"
        ' near \'"1,40"}]}\''
    )
    assert decode_error(b'{"id": 1, "cnt": 2, "phones": [{"phone": "1", "op": "x"}]}', Sent) == (
        "fmt 3: unknown field 'op' - at $.phones[0].op, byte 46 (line 1, column 47), near '\"op\": \"x\"}]}'"
    )
    assert decode_error(b'{"id": 1, "cnt": 2, "phones": [{"mccmnc": "25001"}]}', Sent) == (
        "fmt 3: required field `phone` is missing - at $.phones[0].phone, byte 31 (line 1, column 32),"
        ' near \'{"mccmnc": "25001"}]}\''
    )
    assert decode_error(b'{"id": 1, "cnt": 2, "phones": ["79112223351"]}', Sent) == (
        "fmt 3: expected an object for a PhoneReport, got '79112223351' - at $.phones[0], byte 31"
        " (line 1, column 32), near '\"79112223351\"]}'"
    )
    assert decode_error(b'{"id": 1, "cnt": 2, "phones": {"phone": "1"}}', Sent) == (
        "fmt 3: expected an array of PhoneReport objects for `phones`, got an object - at $.phones, byte 30"
        " (line 1, column 31), near '{\"phone\": \"1\"}}'"
    )
    assert decode_error(b'{"id": 1, "cnt": 2, "phones": [{"phone": "1", "status": 1.5}]}', Sent) == (
        "fmt 3: expected an integer for `status`, got the number 1.5 - at $.phones[0].status, byte 56"
        " (line 1, column 57), near '1.5}]}'"
    )


def test_per_number_encode_refusals():
    assert encode_error(Sent(id="1", cnt=1, phones=[PhoneReport(phone="1"), "2"])) == (  # type: ignore[list-item]
        "fmt 3 cannot carry the value at $.phones[1]: `phones` holds PhoneReport records, got '2'"
    )
    assert encode_error(Sent(id="1", cnt=1, phones="79112223351")) == (  # type: ignore[arg-type]
        "fmt 3 cannot carry the value at $.phones: `phones` must be a tuple of PhoneReport, got '79112223351'"
    )
    assert encode_error(Sent(id="1", cnt=1, phones=(PhoneReport(phone="1", cost=1.4),))) == (  # type: ignore[arg-type]
        "fmt 3 cannot carry the value at $.phones[0].cost: `cost` must be a decimal.Decimal, got 1.4"
    )


# ---------------------------------------------------------------------------------------------
# Spellings: money, integers, ids, layouts and charsets clients have seen.


def test_money_keeps_its_digits_quoted_or_bare():
    assert str(fmtcodec.decode(b'{\n"balance": "15.00"\n}', Balance).balance) == "15.00"
    bare = fmtcodec.decode(b'{"cost": 1.40, "cnt": 1}', Cost)
    assert bare == Cost(cost=Decimal("1.40"), cnt=1)
    assert str(bare.cost) == "1.40"
    assert fmtcodec.encode(bare, fmt=3) == b'{\n"cost": "1.40",\n"cnt": 1\n}'
    huge = "12345678901234567890.123456789012345678901"  # beyond a float's 17 digits: kept
    assert str(fmtcodec.decode(f'{{"balance": {huge}}}'.encode(), Balance).balance) == huge
    assert str(fmtcodec.decode(b'{"balance": 15}', Balance).balance) == "15"
    assert str(fmtcodec.decode(b'{"balance": -0.50}', Balance).balance) == "-0.50"


@pytest.mark.parametrize(
    ("payload", "reason", "where"),
    [
        (b'{"balance": 1e3}', "expected a decimal amount for `balance`, got '1e3'", "byte 12 (line 1, column 13)"),
        (b'{"balance": "1.5e3"}', "expected a decimal amount for `balance`, got '1.5e3'", "byte 12 (line 1, column 13)"),
        (b'{"balance": ".5"}', "expected a decimal amount for `balance`, got '.5'", "byte 12 (line 1, column 13)"),
        (b'{"balance": "15,00"}', "expected a decimal amount for `balance`, got '15,00'", "byte 12 (line 1, column 13)"),
        (b'{"balance": true}', "expected a string or a number for `balance`, got true", "byte 12 (line 1, column 13)"),
        (b'{"balance": null}', "expected a string or a number for `balance`, got null", "byte 12 (line 1, column 13)"),
    ],
)
def test_money_that_is_not_an_amount(payload: bytes, reason: str, where: str):
    message = decode_error(payload, Balance)
    assert message.startswith(f"fmt 3: {reason} - at $.balance, {where}, near ")


def test_integers_quoted_or_bare():
    assert fmtcodec.decode(b'{"id": "279", "cnt": "2"}', Sent) == Sent(id="279", cnt=2)
    assert fmtcodec.decode(b'{"status": "-3", "last_timestamp": "1679060876"}', Status) == Status(
        status=-3, last_timestamp=1679060876
    )
    assert decode_error(b'{"status": 1, "flag": -1}', Status) == (
        "fmt 3: expected an integer for `flag`, got '-1' - at $.flag, byte 22 (line 1, column 23), near '-1}'"
    )
    assert decode_error(b'{"status": "01"}', Status) == (
        "fmt 3: expected an integer for `status`, got '01' - at $.status, byte 11 (line 1, column 12), near '\"01\"}'"
    )
    assert decode_error(b'{"id": 1, "cnt": 2.0}', Sent) == (
        "fmt 3: expected an integer for `cnt`, got the number 2.0 - at $.cnt, byte 17 (line 1, column 18), near '2.0}'"
    )


def test_message_id_number_or_string():
    assert fmtcodec.decode(b'{"id": 32, "cnt": 1}', Sent).id == "32"
    assert fmtcodec.decode(b'{"id": "32", "cnt": 1}', Sent).id == "32"
    long_id = "a" * 40
    assert fmtcodec.decode(f'{{"id": "{long_id}", "cnt": 1}}'.encode(), Sent).id == long_id
    big = "9" * 30  # beyond 64 bits: still its digits
    assert fmtcodec.decode(f'{{"id": {big}, "cnt": 1}}'.encode(), Sent).id == big
    assert fmtcodec.encode(Sent(id=big, cnt=1), fmt=3) == f'{{\n"id": {big},\n"cnt": 1\n}}'.encode()
    assert decode_error(b'{"id": 1.5, "cnt": 1}', Sent) == (
        "fmt 3: expected a string or an integer for `id`, got the number 1.5 - at $.id, byte 7"
        " (line 1, column 8), near '1.5, \"cnt\": 1}'"
    )
    assert decode_error(b'{"id": "a b", "cnt": 1}', Sent) == (
        "fmt 3: expected a message id (letters, digits, '.', '-', '_') for `id`, got 'a b' - at $.id, byte 7"
        " (line 1, column 8), near '\"a b\", \"cnt\": 1}'"
    )


def test_text_fields_take_an_integer_but_no_other_number():
    info = fmtcodec.decode(b'{"country": "RU", "operator": "X", "region": "", "mcc": 250, "mnc": "02"}', OperatorInfo)
    assert (info.mcc, info.mnc, info.tz) == ("250", "02", None)
    assert decode_error(b'{"country": 1.5}', OperatorInfo) == (
        "fmt 3: expected a string or an integer for `country`, got the number 1.5 - at $.country, byte 12"
        " (line 1, column 13), near '1.5}'"
    )
    assert decode_error(b'{"country": ["RU"]}', OperatorInfo) == (
        "fmt 3: expected a string or a number for `country`, got an array - at $.country, byte 12"
        " (line 1, column 13), near '[\"RU\"]}'"
    )


def test_null_is_an_absent_optional_field():
    assert fmtcodec.decode(b'{"status": 1, "flag": null, "err": null}', Status) == Status(status=1)
    assert decode_error(b'{"status": null}', Status) == (
        "fmt 3: expected a string or a number for `status`, got null - at $.status, byte 11"
        " (line 1, column 12), near 'null}'"
    )


INDENTED = {
    2: b'{\n  "id": 1,\n  "cnt": 1,\n  "phones": [\n    {\n      "phone": "79112223351",\n      "cost": "1.40"\n    }\n  ]\n}\n',
    4: b'{\n    "id": 1,\n    "cnt": 1,\n    "phones": [\n        {\n            "phone": "79112223351",\n'
    b'            "cost": "1.40"\n        }\n    ]\n}',
}


@pytest.mark.parametrize("indent", [2, 4])
def test_indented_json_decodes(indent: int):
    expected = Sent(id="1", cnt=1, phones=(PhoneReport(phone="79112223351", cost=Decimal("1.40")),))
    assert fmtcodec.decode(INDENTED[indent], Sent) == expected
    assert fmtcodec.encode(expected, fmt=3) == (
        b'{\n"id": 1,\n"cnt": 1,\n"phones": [{"phone": "79112223351", "cost": "1.40"}]\n}'
    )


def test_indented_refusal_points_into_the_indented_text():
    payload = b'[\n  {\n    "status": 1\n  },\n  {\n    "status": 2,\n    "flag": "x"\n  }\n]'
    assert decode_error(payload, list[Status]) == (
        "fmt 3: expected an integer for `flag`, got 'x' - at $[1].flag, byte 60 (line 7, column 13), near '\"x\"\\n  }\\n]'"
    )


@pytest.mark.parametrize("charset", ["windows-1251", "koi8-r"])
def test_json_in_a_cyrillic_charset(charset: str):
    info = OperatorInfo(country="Россия", operator="МегаФон", region="Москва", mcc="250", mnc="02")
    payload = '{\n  "country": "Россия",\n  "operator": "МегаФон",\n  "region": "Москва",\n  "mcc": "250",\n  "mnc": "02"\n}'
    assert fmtcodec.decode(payload.encode(charset), OperatorInfo, charset=charset) == info
    assert fmtcodec.encode(info, fmt=3, charset=charset) == (
        '{\n"country": "Россия",\n"operator": "МегаФон",\n"region": "Москва",\n"mcc": "250",\n"mnc": "02"\n}'
    ).encode(charset)
    bad = '{"country": "Россия", "mcc": 2.5}'.encode(charset)
    assert decode_error(bad, OperatorInfo, charset=charset) == (  # the byte offset counts the charset's bytes
        "fmt 3: expected a string or an integer for `mcc`, got the number 2.5 - at $.mcc, byte 29"
        " (line 1, column 30), near '2.5}'"
    )


# ---------------------------------------------------------------------------------------------
# Refusals of the record shape


def test_unknown_key_refused_at_the_key():
    assert decode_error(b'{\n"balance": "15.00",\n"bonus": "1"\n}', Balance) == (
        "fmt 3: unknown field 'bonus' - at $.bonus, byte 22 (line 3, column 1), near '\"bonus\": \"1\"\\n}'"
    )
    assert decode_error(b'[{"sender": "a"}, {"sender": "b", "cmt": "c"}]', list[Sender]) == (
        "fmt 3: unknown field 'cmt' - at $[1].cmt, byte 34 (line 1, column 35), near '\"cmt\": \"c\"}]'"
    )
    assert decode_error(b'{"result": "OK"}', JobCreated) == (
        "fmt 3: unknown field 'result' - at $.result, byte 1 (line 1, column 2), near '\"result\": \"OK\"}'"
    )


def test_missing_required_key():
    assert decode_error(b'{\n"cnt": 1\n}', Sent) == (
        "fmt 3: required field `id` is missing - at $.id, byte 0 (line 1, column 1), near '{\\n\"cnt\": 1\\n}'"
    )
    assert decode_error(b'  [{"name": "x"}]', list[Template]) == (
        "fmt 3: required field `id` is missing - at $[0].id, byte 3 (line 1, column 4), near '{\"name\": \"x\"}]'"
    )


def test_wrong_container():
    assert decode_error(b'{"sender": "zxcabs"}', list[Sender]) == (
        "fmt 3: expected an array of Sender objects, got an object - at $, byte 0 (line 1, column 1),"
        " near '{\"sender\": \"zxcabs\"}'"
    )
    assert decode_error(b"[1]", list[Status]) == (
        "fmt 3: expected an object for a Status, got 1 - at $[0], byte 1 (line 1, column 2), near '1]'"
    )


def test_malformed_json_is_reported_as_for_every_kind():
    assert decode_error(b'{"balance": "15.00",}', Balance) == (
        "fmt 3: JSON is malformed: trailing comma in object - byte 20 (line 1, column 21), near '}'"
    )
    assert decode_error(b'{"balance": NaN}', Balance) == (
        "fmt 3: JSON is malformed: invalid character - byte 12 (line 1, column 13), near 'NaN}'"
    )
    assert decode_error(b'{"id": 99999999999999999999999, "cnt": NaN}', Sent) == (
        "fmt 3: JSON is malformed: invalid character - byte 39 (line 1, column 40), near 'NaN}'"
    )


def test_encode_refusals():
    assert encode_error(Sent(id="a b", cnt=1)) == (
        "fmt 3 cannot carry the value at $.id: `id` must be a message id (letters, digits, '.', '-', '_'), got 'a b'"
    )
    assert encode_error(Sent(id="1", cnt=None)) == (  # type: ignore[arg-type]
        "fmt 3 cannot carry the value at $.cnt: `cnt` must be an int, got None"
    )
    assert encode_error([Status(status=1), Status(status=True)]) == (
        "fmt 3 cannot carry the value at $[1].status: `status` must be an int, got True"
    )
    assert encode_error(Balance(balance=Decimal("NaN"))) == (
        "fmt 3 cannot carry the value at $.balance: `balance` must be a finite amount, got Decimal('NaN')"
    )
    assert encode_error(Status(status=1, message="\ud800")) == (
        "fmt 3 cannot carry the value at $.message: character U+D800 is a lone surrogate, which no charset can write"
    )


# ---------------------------------------------------------------------------------------------
# Ok and errors


def test_ok_forms():
    assert fmtcodec.decode(b"OK", Ok, fmt=3) == Ok()
    assert fmtcodec.decode(b'{"result": "OK"}', Ok) == Ok()
    assert fmtcodec.decode(b'{\n"result": "OK"\n}', Ok) == Ok()
    assert fmtcodec.encode(Ok(), fmt=3) == b'{\n"result": "OK"\n}'


def test_errors_with_and_without_id():
    with_id = b'{\n"error": "not enough money",\n"error_code": 3,\n"id": 279\n}'
    assert fmtcodec.decode(with_id, Error) == Error(error_code=3, error="not enough money", id="279")
    assert fmtcodec.encode(Error(error_code=3, error="not enough money", id="279"), fmt=3) == with_id
    text_id = b'{\n"error": "invalid number",\n"error_code": 7,\n"id": "order-17"\n}'
    assert fmtcodec.decode(text_id, Error) == Error(error_code=7, error="invalid number", id="order-17")
    assert fmtcodec.encode(Error(error_code=7, error="invalid number", id="order-17"), fmt=3) == text_id
    assert fmtcodec.decode(b'{"error": "x", "error_code": 7, "id": "279"}', Error).id == "279"
    with pytest.raises(ApiError) as caught:
        fmtcodec.decode(with_id, Sent)
    assert (caught.value.code, caught.value.id, caught.value.page) == (3, "279", "send")
    assert caught.value.meaning == "Not enough money on the client's account."
    with pytest.raises(ApiError) as caught:
        fmtcodec.decode(b'{"error": "parameters error", "error_code": 1}', list[Status])
    assert (caught.value.code, caught.value.id, caught.value.meaning) == (1, None, "Error in parameters.")


def test_plain_text_error_under_fmt_3():
    # facts §1.2: templates answer ERROR = N (…) whatever fmt was asked for
    with pytest.raises(ApiError) as caught:
        fmtcodec.decode(b"ERROR = 3 (template not found)", list[Template], fmt=3)
    assert (caught.value.code, caught.value.meaning) == (3, "Template not found.")


def test_error_id_refusals():
    assert decode_error(b'{"error": "x", "error_code": 7, "id": 1.5}', Error) == (
        "fmt 3: expected a message id (a string or an integer), got the number 1.5 - at $.id, byte 38"
        " (line 1, column 39), near '1.5}'"
    )
    assert decode_error(b'{"error": "x", "error_code": 7, "id": "a b"}', Error) == (
        "fmt 3: expected a message id (letters, digits, '.', '-', '_') for `id`, got 'a b' - at $.id, byte 38"
        " (line 1, column 39), near '\"a b\"}'"
    )
    assert decode_error(b'{"error": "x", "error_code": 7, "id": 1, "phone": "7"}', Error) == (
        "fmt 3: unexpected key 'phone' in an error reply - at $.phone, byte 50 (line 1, column 51), near '\"7\"}'"
    )


def test_fast_paths_decline_the_pages_kinds(monkeypatch: pytest.MonkeyPatch):
    from fmtcodec import json as fmt3

    def refuse(*args: object) -> None:
        raise AssertionError("a contacts-era path was asked")

    for name in ("_fast_lax", "_fast_lenient", "_decode_or_none", "_general_records", "_fast_objects"):
        monkeypatch.setattr(fmt3, name, refuse)
    for layout in PAGE_KINDS:
        if layout.shape == "list":
            value = [msgspec.convert(EXAMPLE[layout.kind], layout.record)]
            assert fmtcodec.decode(fmtcodec.encode(value, fmt=3), list[layout.record]) == value  # type: ignore[name-defined]


# ---------------------------------------------------------------------------------------------
# Round trips over every kind (the strategies stay here: the shared module is edited elsewhere).

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
DECIMAL = st.from_regex(r"-?(0|[1-9][0-9]{0,24})(\.[0-9]{1,4})?", fullmatch=True).map(Decimal)
MESSAGE_ID = st.one_of(
    st.integers(0, 10**30).map(str),
    st.text(string.ascii_letters + string.digits + "._-", min_size=1, max_size=40),
)
BY_TYPE: dict[str, st.SearchStrategy[Any]] = {
    "str": TEXT,
    "date-time": st.from_regex(r"[0-3][0-9]\.[01][0-9]\.20[0-9]{2} [0-2][0-9]:[0-5][0-9]:[0-5][0-9]", fullmatch=True),
    "int": st.integers(0, 2**70),
    "ts": st.integers(0, 2**40),
    "signed": st.integers(-(2**70), 2**70),
    "decimal": DECIMAL,
    "id": MESSAGE_ID,
}
EXAMPLE = {
    "statuses": {"status": -3, "id": "32", "phone": "79112223351", "cost": "1.40"},
    "sender": {"sender": "zxcabs", "id": 5},
    "history": {"status": 1, "last_date": "28.06.2021 12:00:05", "cost": "0.385", "crc": -7, "id": "5"},
    "template": {"id": 44, "name": "Код"},
}


def records(layout: RecordLayout) -> st.SearchStrategy[Any]:
    """Any record of ``layout``: every optional field present or not, nested lists included."""
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for field in layout.fields:
        if field.base == "list":
            value: st.SearchStrategy[Any] = st.lists(records(layout.nested[field.name]), max_size=3).map(tuple)
        else:
            value = BY_TYPE[field.base]
        fields[field.name] = st.one_of(st.none(), value) if field.optional else value
    return st.fixed_dictionaries(fields).map(lambda values: layout.record(**values))


PAGE_KINDS = [layout for layout in LAYOUTS.values() if layout.shape in ("record", "list") and layout.page != "contacts"]


@pytest.mark.parametrize("layout", PAGE_KINDS, ids=lambda layout: layout.kind)
@given(data=st.data(), indent=st.sampled_from([None, 2, 4]))
def test_round_trip(layout: RecordLayout, data: st.DataObject, indent: int | None):
    if layout.shape == "record":
        value = data.draw(records(layout))
        kind: Any = layout.record
    else:
        value = data.draw(st.lists(records(layout), max_size=3))
        kind = list[layout.record]  # type: ignore[name-defined]
    payload = fmtcodec.encode(value, fmt=3)
    back = fmtcodec.decode(payload, kind, fmt=3)
    assert back == value
    assert fmtcodec.encode(back, fmt=3) == payload  # every amount's digits, every id's spelling kept
    if indent is not None:  # the same reply re-indented by a client's fixture: the same records
        reindented = json.dumps(json.loads(payload, parse_float=str), indent=indent, ensure_ascii=False)
        assert fmtcodec.encode(fmtcodec.decode(reindented.encode(), kind, fmt=3), fmt=3) == payload


def test_a_position_after_an_integer_of_more_than_4300_digits():
    # found while writing the pages' path: the walk that points at a value read every integer it
    # stepped over as an int, and one of more than 4300 digits raised Python's ValueError -- for
    # the contacts kinds too.  Numbers are stepped over as text now.
    digits = "9" * 4301
    assert decode_error(f'{{"id": {digits}, "cnt": NaN}}'.encode(), Sent) == (
        "fmt 3: expected an integer for `cnt`, got the number NaN - at $.cnt, byte 4317 (line 1, column 4318),"
        " near 'NaN}'"
    )
    assert decode_error(f'[{{"id": 1, "name": {digits}, "x": 1}}]'.encode(), list[fmtcodec.Group]) == (
        "fmt 3: unknown field 'x' - at $[0].x, byte 4327 (line 1, column 4328), near '1}]'"
    )
    assert decode_error(f'{{"balance": "1", "currency": {digits}, "credit": "x"}}'.encode(), Balance) == (
        "fmt 3: expected a decimal amount for `credit`, got 'x' - at $.credit, byte 4342 (line 1, column 4343),"
        " near '\"x\"}'"
    )


def test_integers_of_more_digits_than_are_read_back_are_refused():
    # a negative one once slipped past the short-integer check and raised Python's ValueError
    for value, path in [(Status(status=-(10**5000)), "$.status"), (Sent(id="1", cnt=10**5000), "$.cnt")]:
        name = path[2:]
        assert encode_error(value) == (
            f"fmt 3 cannot carry the value at {path}: `{name}` has more than 4300 digits; at most 4300 are read"
        )


def test_a_record_type_is_named_with_its_article():
    """A reply that is not an object names the record type it should be, "an" before a vowel."""
    assert decode_error(b"1", fmtcodec.OperatorInfo) == (
        "fmt 3: expected an object for an OperatorInfo, got 1 - at $, byte 0 (line 1, column 1), near '1'"
    )
    assert decode_error(b'"x"', fmtcodec.Balance) == (
        "fmt 3: expected an object for a Balance, got 'x' - at $, byte 0 (line 1, column 1), near '\"x\"'"
    )
