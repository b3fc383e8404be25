"""fmt 1 of the pages' kinds (issue 16): rows placed against every row variant of the kind, the
pages' token classes, one-record replies, errors carrying a message id (spec/formats.md, fmt 1,
rules 10-15)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import (
    AmbiguousRecordError,
    ApiError,
    Balance,
    Cost,
    DecodeError,
    EncodeError,
    Error,
    HistoryMessage,
    JobCreated,
    OperatorInfo,
    Sender,
    SenderCreated,
    Sent,
    Status,
    Template,
    TemplateCreated,
)
from fmtcodec import values as fmt1
from fmtcodec.charset import Source
from fmtcodec.layout import LAYOUTS, layout_for

ALL1 = Status(
    status=1,
    last_timestamp=1286524541,
    err=0,
    send_timestamp=1286524538,
    phone="79001234567",
    cost=Decimal("1.40"),
    sender_id="SMSC.RU",
    status_name="Доставлено",
    message="Hi Ann",
)
ALL1_ROW = "1,1286524541,0,1286524538,79001234567,1.40,SMSC.RU,Доставлено,Hi Ann".encode()

# -- one-record replies ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "record"),
    [
        # facts §4.2 [P]: the four documented examples of fmt 1
        (b"1234,1", Sent(id="1234", cnt=1)),
        (b"1234,1,1.40", Sent(id="1234", cnt=1, cost=Decimal("1.40"))),
        (b"1234,1,1.40,100.50", Sent(id="1234", cnt=1, cost=Decimal("1.40"), balance=Decimal("100.50"))),
        (b"my-id.7_x,2", Sent(id="my-id.7_x", cnt=2)),  # a client's own id (§4.5)
        (b"1.40,1", Cost(cost=Decimal("1.40"), cnt=1)),  # §4.3 [P]: cost first
        (b"15.00", Balance(balance=Decimal("15.00"))),  # §7 [P C]
        (b"-72.2", Balance(balance=Decimal("-72.2"))),
        (b"15.00,RUR", Balance(balance=Decimal("15.00"), currency="RUR")),  # cur=1 [U]
        (b"1,1286524541", Status(status=1, last_timestamp=1286524541)),  # §1.1 [P]
        (b"1,1286524541,0", Status(status=1, last_timestamp=1286524541, err=0)),  # §5.3 [P]
        (b"-3,0,0", Status(status=-3, last_timestamp=0, err=0)),
        (ALL1_ROW, ALL1),  # §5.3 all=1 [P C]
        (
            "1,1286524541,0,1286524538,79001234567,Россия,МТС,Москва,1.40,SMSC.RU,Доставлено,Hi".encode(),
            Status(
                status=1,
                last_timestamp=1286524541,
                err=0,
                send_timestamp=1286524538,
                phone="79001234567",
                country="Россия",
                operator="МТС",
                region="Москва",
                cost=Decimal("1.40"),
                sender_id="SMSC.RU",
                status_name="Доставлено",
                message="Hi",
            ),
        ),  # all=2, the place of the geo fields [U]
        (b"5", JobCreated(id=5)),  # §6 [P]
        (b"5,1.40", JobCreated(id=5, cost=Decimal("1.40"))),
        (b"24336", SenderCreated(sender=24336)),
        (b"5", TemplateCreated(id=5)),
        (
            "Россия,МТС,Москва и область,250,01,3".encode(),
            OperatorInfo(country="Россия", operator="МТС", region="Москва и область", mcc="250", mnc="01", tz="3"),
        ),
        (  # an empty piece of a required text field stays text (mnc is str, number?); of an
            # optional field under a `?` class it is absent (tz is str?, word?)
            b"Russia,MTS,,250,,",
            OperatorInfo(country="Russia", operator="MTS", region="", mcc="250", mnc="", tz=None),
        ),
    ],
)
def test_one_row_decodes_and_encodes_back_byte_for_byte(payload, record):
    assert fmtcodec.decode(payload, type(record), fmt=1) == record
    assert fmtcodec.encode(record, fmt=1) == payload


def test_money_keeps_its_digits():
    sent = fmtcodec.decode(b"1234,1,1.400,15.00", Sent, fmt=1)
    assert (str(sent.cost), str(sent.balance)) == ("1.400", "15.00")
    assert fmtcodec.encode(sent, fmt=1) == b"1234,1,1.400,15.00"


def test_blank_lines_around_one_row_are_ignored_but_two_rows_are_refused():
    assert fmtcodec.decode(b"\r\n1234,1\r\n\n", Sent, fmt=1) == Sent(id="1234", cnt=1)
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"1234,1\n1235,1", Sent, fmt=1)
    assert (caught.value.reason, caught.value.pos, caught.value.path) == ("expected one sent row, found 2", 7, "$")


@pytest.mark.parametrize(
    ("payload", "kind", "reason", "pos", "path"),
    [
        (b"1234,05", Sent, "expected an integer for `cnt`, got '05'", 5, "$.cnt"),
        (b"12 34,1", Sent, "expected a message id (letters, digits, '.', '-', '_') for `id`, got '12 34'", 0, "$.id"),
        (b"1234,1,1.40,", Sent, "`balance` '' does not look like a decimal value", 12, "$.balance"),
        (b"1,2,x", Sent, "expected a decimal amount for `cost`, got 'x'", 4, "$.cost"),
        (b"1.4e0,1", Cost, "expected a decimal amount for `cost`, got '1.4e0'", 0, "$.cost"),
        (b"1,2,3,4,5", Sent, "the row does not split into the fields of a sent row of 2, 3 or 4 fields", 0, "$"),
        (b"1.40", Cost, "the row does not split into the 2 fields of a cost (cost, cnt)", 0, "$"),
        (b"1,40,1", Cost, "the row does not split into the 2 fields of a cost (cost, cnt)", 0, "$"),
        (b"-0,1286524541", Status, "expected an integer for `status`, got '-0'", 0, "$.status"),
        (b"1,1286524541,00", Status, "expected an integer for `err`, got '00'", 13, "$.err"),
        (b"5,1.4.0", JobCreated, "expected a decimal amount for `cost`, got '1.4.0'", 2, "$.cost"),
        (b"5,1,2", JobCreated, "the row does not split into the fields of a job_created row of 1 or 2 fields", 0, "$"),
        (b"x", TemplateCreated, "expected an integer for `id`, got 'x'", 0, "$.id"),
        (b"Russia,MTS,Moscow,250", OperatorInfo, "the row does not split into the 6 fields of an operator (country, operator, region, mcc, mnc, tz)", 0, "$"),
        (b"Russia,MTS,Moscow,2x,01,3", OperatorInfo, "`mcc` '2x' does not look like a number value", 18, "$.mcc"),
        (b"05,1.40", JobCreated, "expected an integer for `id`, got '05'", 0, "$.id"),
    ],
)
def test_row_refusals_say_which_value_and_where(payload, kind, reason, pos, path):
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, kind, fmt=1)
    assert (caught.value.reason, caught.value.pos, caught.value.path) == (reason, pos, path)
    assert not isinstance(caught.value, AmbiguousRecordError)


def test_a_negative_job_cost_is_read():
    assert fmtcodec.decode(b"5,-1.40", JobCreated, fmt=1) == JobCreated(id=5, cost=Decimal("-1.40"))


# -- ambiguity: what the rule gives ----------------------------------------------------------


def test_an_all1_status_whose_message_has_a_comma_is_ambiguous_whatever_its_status_name():
    # sender_id, status_name and message are three text fields side by side: the one extra comma
    # may be in any of them, comma-free status name or not -- three equally good readings
    row = "1,1286524541,0,1286524538,79001234567,1.40,SMSC.RU,Доставлено,Hi, Ann".encode()
    head = ("1", "1286524541", "0", "1286524538", "79001234567", "1.40")
    with pytest.raises(AmbiguousRecordError) as caught:
        fmtcodec.decode(row, Status, fmt=1)
    error = caught.value
    assert error.reason.startswith("the row reads in 3 equally good ways as a status row of 2, 3, 9, 11 or 12 fields: ")
    assert error.candidates == [
        (*head, "SMSC.RU", "Доставлено", "Hi, Ann"),
        (*head, "SMSC.RU", "Доставлено,Hi", " Ann"),
        (*head, "SMSC.RU,Доставлено", "Hi", " Ann"),
    ]
    assert (error.pos, error.path) == (0, "$")
    # and the encoder refuses to write such a status (as the server would, strict=False)
    commas = Status(**{**{f: getattr(ALL1, f) for f in ALL1.__struct_fields__}, "message": "Hi, Ann"})
    with pytest.raises(EncodeError) as refused:
        fmtcodec.encode(commas, fmt=1)
    assert refused.value.path == "$"
    assert refused.value.reason.startswith("the row would not read back: the row reads in 3 equally good ways")
    assert fmtcodec.encode(commas, fmt=1, strict=False) == row


def test_an_all2_status_without_country_and_operator_is_ambiguous_though_comma_free():
    # spec/pages.md: the twelve pieces of all=2 also read as the eleven of all=1 with comment and
    # type; the row that fits all=2 exactly is not preferred (a shorter row's commas could fit it)
    row = "1,1286524541,0,1286524538,79001234567,,,Москва,1.40,SMSC.RU,Доставлено,Hi".encode()
    with pytest.raises(AmbiguousRecordError) as caught:
        fmtcodec.decode(row, Status, fmt=1)
    error = caught.value
    assert error.reason.startswith("the row reads in 5 equally good ways as a status row of 2, 3, 9, 11 or 12 fields: ")
    assert error.candidates[0] == (
        "1", "1286524541", "0", "1286524538", "79001234567", "", "", "Москва", "1.40", "SMSC.RU", "Доставлено", "Hi"
    )
    assert len(error.candidates[1]) == 11
    # one of the two named, and the row reads one way
    named = "1,1286524541,0,1286524538,79001234567,Россия,,Москва,1.40,SMSC.RU,Доставлено,Hi".encode()
    assert (fmtcodec.decode(named, Status, fmt=1).country, fmtcodec.decode(named, Status, fmt=1).operator) == (
        "Россия", ""
    )


def test_an_hlr_status_row_is_not_an_all1_row():
    # facts §5.3a: status,ts,err,imsi,msc,mcc,mnc,cn,net,rcn,rnet.  The all=1 row of 9 fields
    # could take the same 11 pieces (imsi as send_timestamp, msc as phone, mcc as cost), but a
    # timestamp has at most ten digits and an IMSI fifteen: the row reads one way, as HLR
    row = b"1,1286524541,0,250011234567890,79001234567,250,01,Russia,MTS,,"
    hlr = Status(
        status=1, last_timestamp=1286524541, err=0, imsi="250011234567890", msc="79001234567",
        mcc="250", mnc="01", cn="Russia", net="MTS", rcn="", rnet="",
    )
    assert fmtcodec.decode(row, Status, fmt=1) == hlr
    assert fmtcodec.encode(hlr, fmt=1) == row
    assert hlr.is_hlr


def test_an_eleven_digit_timestamp_is_not_one():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"1,12865245410", Status, fmt=1)
    assert caught.value.reason == "`last_timestamp` '12865245410' does not look like a timestamp value"
    assert (caught.value.pos, caught.value.path) == (2, "$.last_timestamp")


def test_an_operator_without_tz_is_written_with_it_empty():
    info = OperatorInfo(country="Russia", operator="MTS", region="", mcc="250", mnc="01")
    assert fmtcodec.encode(info, fmt=1) == b"Russia,MTS,,250,01,"
    assert fmtcodec.decode(b"Russia,MTS,,250,01,", OperatorInfo, fmt=1) == info


def test_an_operator_row_with_a_comma_in_a_name_reads_three_ways():
    with pytest.raises(AmbiguousRecordError) as caught:
        fmtcodec.decode(b"Russia,MTS,Moscow, area,250,01,3", OperatorInfo, fmt=1)
    assert caught.value.candidates == [
        ("Russia", "MTS", "Moscow, area", "250", "01", "3"),
        ("Russia", "MTS,Moscow", " area", "250", "01", "3"),
        ("Russia,MTS", "Moscow", " area", "250", "01", "3"),
    ]


def test_a_row_of_too_many_pieces_is_refused_before_it_is_placed():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"1" + b",1" * 10_000, Status, fmt=1)
    assert caught.value.reason == "the row has 10001 comma-separated pieces; at most 10000 are placed"


# -- encoding: the first variant that holds the record ---------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            Sent(id="1", cnt=1, balance=Decimal("2")),
            "fmt 1 cannot carry the value at $: fmt 1 cannot place `id`, `cnt`, `balance` together:"
            " no sent row holds them without `cost`",
        ),
        (Sent(id="1", cnt=1, phones=()), "fmt 1 cannot carry the value at $.phones: fmt 1 has no place for `phones` in a sent row"),
        (
            Balance(balance=Decimal("1"), credit=Decimal("5")),
            "fmt 1 cannot carry the value at $.credit: fmt 1 has no place for `credit` in a balance row",
        ),
        (
            Status(status=1, last_date="10.10.2010 10:10:10", last_timestamp=1286524541),
            "fmt 1 cannot carry the value at $.last_date: fmt 1 has no place for `last_date` in a status row",
        ),
        (
            Status(status=1, last_date="x", flag=0),
            "fmt 1 cannot carry the value at $.last_date: fmt 1 has no place for `last_date`, `flag` in a status row",
        ),
        (Status(status=1), "fmt 1 cannot carry the value at $: fmt 1 cannot place `status` together: no status row holds them without `last_timestamp`"),
        (
            Status(status=1, last_timestamp=1, err=0, imsi="1", message="x"),
            "fmt 1 cannot carry the value at $: fmt 1 cannot place `status`, `last_timestamp`, `err`, `message`,"
            " `imsi` together: no status row holds them all",
        ),
        (
            Balance(balance=Decimal("1"), currency="R\rUR"),
            "fmt 1 cannot carry the value at $.currency: a line break cannot be carried: records are one line each",
        ),
        (
            Sent(id="1", cnt=-1),
            "fmt 1 cannot carry the value at $.cnt: `cnt` must not be negative, got -1",
        ),
    ],
)
def test_encoder_refusals_strict_or_not(value, message):
    for strict in (True, False):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(value, fmt=1, strict=strict)
        assert str(caught.value) == message


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (Balance(balance=Decimal("5"), currency="-3"), "the row would read as an error reply"),
        (JobCreated(id=5, cost=Decimal("-3")), "the row would read as an error reply"),
        (Balance(balance=Decimal("5"), currency="R,UR"), "the row would not read back: the row does not split into the fields of a balance row of 1 or 2 fields"),
        (Balance(balance=Decimal("5"), currency=""), "the row would not read back: `currency` '' does not look like a word value"),
        (  # tz is optional under word?: an empty piece reads back as None, so "" cannot be written
            OperatorInfo(country="Russia", operator="MTS", region="", mcc="250", mnc="01", tz=""),
            "the row would decode as OperatorInfo(phone=None, country='Russia', operator='MTS', region='', mcc='250',"
            " mnc='01', tz=None)",
        ),
        (
            Status(status=1, last_timestamp=1, err=0, send_timestamp=2, phone="7", cost=Decimal(1), sender_id="a",
                   status_name="b,c", message="d"),
            "the row would not read back: the row reads in 3 equally good ways as a status row of 2, 3, 9, 11 or 12"
            " fields, e.g. ('1', '1', '0', '2', '7', '1', 'a', 'b', 'c,d') and ('1', '1', '0', '2', '7', '1', 'a',"
            " 'b,c', 'd')",
        ),
    ],
)
def test_strict_refuses_what_would_not_read_back(value, reason):
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode(value, fmt=1)
    assert (caught.value.reason, caught.value.path) == (reason, "$")
    fmtcodec.encode(value, fmt=1, strict=False)  # as the server writes it


def test_an_optional_text_field_that_is_none_is_written_empty_and_read_back_as_none():
    # mcc is str? whose class is number?: None is written as an empty piece, which reads as None
    hlr = Status(status=1, last_timestamp=1, err=0, imsi="1", msc="2", mnc="3", cn="a", net="b", rcn="c", rnet="d")
    assert fmtcodec.encode(hlr, fmt=1) == b"1,1,0,1,2,,3,a,b,c,d"
    assert fmtcodec.decode(b"1,1,0,1,2,,3,a,b,c,d", Status, fmt=1) == hlr


# -- lists -----------------------------------------------------------------------------------


def test_statuses_of_several_ids_with_id_and_phone():
    # facts §5.5 [C]: one row a message, all=0 rows end in id,phone (the 2023 fmt 3 values)
    payload = b"25,1679036400,248,279,79001234567\r\n23,1679036400,254,279,79001234568\r\n-3,0,0,280,79001234569\n"
    statuses = fmtcodec.decode(payload, list[Status], fmt=1)
    assert statuses == [
        Status(status=25, last_timestamp=1679036400, err=248, id="279", phone="79001234567"),
        Status(status=23, last_timestamp=1679036400, err=254, id="279", phone="79001234568"),
        Status(status=-3, last_timestamp=0, err=0, id="280", phone="79001234569"),
    ]
    assert fmtcodec.encode(statuses, fmt=1) == payload.replace(b"\r\n", b"\n").rstrip(b"\n")
    all1 = fmtcodec.decode(ALL1_ROW + b",279", list[Status], fmt=1)
    assert all1 == [Status(**{**{f: getattr(ALL1, f) for f in ALL1.__struct_fields__}, "id": "279"})]
    assert fmtcodec.encode(all1, fmt=1) == ALL1_ROW + b",279"


def test_a_statuses_row_refusal_names_the_row():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"25,1679036400,248,279,79001234567\n25,1679036400,248,2 79,79001234567", list[Status], fmt=1)
    error = caught.value
    assert (error.reason, error.pos, error.line, error.path) == (
        "expected a message id (letters, digits, '.', '-', '_') for `id`, got '2 79'",
        52,
        2,
        "$[1].id",
    )
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"25,1679036400,248,279,79001234567\n25,1679036400,248,279", list[Status], fmt=1)
    error = caught.value
    assert (error.reason, error.pos, error.path) == (
        "the row does not split into the fields of a statuses row of 5, 10 or 13 fields",
        34,
        "$[1]",
    )
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"25,1679036400,248,279,79001234567\n25,01,248,279,79001234567", list[Status], fmt=1)
    error = caught.value
    assert (error.reason, error.pos, error.path) == ("expected an integer for `last_timestamp`, got '01'", 37, "$[1].last_timestamp")


HISTORY_ROW = "1,28.06.2021 15:55:47,28.06.2021 15:55:44,88002000600,25503,Украина,Kyivstar,,0.385,OLLYFOOD,Доставлено,78-74-08,0,206113,401671913,1,0,307589946"


def test_history_rows():
    # the values of the 2021 fmt 0 capture, in the fmt 1 order the table assumes [U]
    payload = (HISTORY_ROW + "\n" + HISTORY_ROW.replace("206113", "a.b-c")).encode()
    messages = fmtcodec.decode(payload, list[HistoryMessage], fmt=1)
    first = HistoryMessage(
        status=1,
        last_date="28.06.2021 15:55:47",
        send_date="28.06.2021 15:55:44",
        phone="88002000600",
        mccmnc="25503",
        country="Украина",
        operator="Kyivstar",
        region="",
        cost=Decimal("0.385"),
        sender_id="OLLYFOOD",
        status_name="Доставлено",
        message="78-74-08",
        type=0,
        id="206113",
        int_id=401671913,
        sms_cnt=1,
        format=0,
        crc=307589946,
    )
    assert messages == [first, HistoryMessage(**{**{f: getattr(first, f) for f in first.__struct_fields__}, "id": "a.b-c"})]
    assert fmtcodec.encode(messages, fmt=1) == payload
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode([first, HistoryMessage(**{**{f: getattr(first, f) for f in first.__struct_fields__}, "err": 0})], fmt=1)
    assert str(caught.value) == "fmt 1 cannot carry the value at $[1].err: fmt 1 has no place for `err` in a history row"


def test_history_rows_with_commas_in_the_message_are_ambiguous():
    row = HISTORY_ROW.replace("78-74-08", "Hi, Ann").encode()
    with pytest.raises(AmbiguousRecordError) as caught:
        fmtcodec.decode(row, list[HistoryMessage], fmt=1)
    assert caught.value.reason.startswith("the row splits into the 18 fields of a history in 3 equally good ways: ")
    assert [candidate[9:12] for candidate in caught.value.candidates] == [
        ("OLLYFOOD", "Доставлено", "Hi, Ann"),
        ("OLLYFOOD", "Доставлено,Hi", " Ann"),
        ("OLLYFOOD,Доставлено", "Hi", " Ann"),
    ]


def test_senders_rows():
    payload = b"SMSC.RU,5\nMy, shop,6\nOld,"
    senders = fmtcodec.decode(payload, list[Sender], fmt=1)
    assert senders == [Sender(sender="SMSC.RU", id=5), Sender(sender="My, shop", id=6), Sender(sender="Old")]
    assert fmtcodec.encode(senders, fmt=1) == payload
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode([Sender(sender="ERROR = 1 (x)")], fmt=1)
    assert (caught.value.reason, caught.value.path) == ("the reply would read as an error reply", "$[0]")
    # the name takes every piece but the last, so any name reads back
    assert fmtcodec.encode([Sender(sender="a,5")], fmt=1) == b"a,5,"
    assert fmtcodec.decode(b"a,5,", list[Sender], fmt=1) == [Sender(sender="a,5")]


def test_templates_rows():
    payload = b"1,Greeting,Hello,sms,SMSC.RU,0\n2,Code,Your code,,,1"
    templates = fmtcodec.decode(payload, list[Template], fmt=1)
    assert templates == [
        Template(id=1, name="Greeting", message="Hello", format="sms", sender="SMSC.RU", flag=0),
        Template(id=2, name="Code", message="Your code", format="", sender="", flag=1),
    ]
    assert fmtcodec.encode(templates, fmt=1) == payload
    with pytest.raises(AmbiguousRecordError) as caught:
        fmtcodec.decode(b"1,Greeting,Hello, %name%,sms,,0", list[Template], fmt=1)
    # the format (word?) may be ' %name%' with the sender 'sms,', or 'sms' with an empty sender
    assert caught.value.candidates == [
        ("1", "Greeting", "Hello", " %name%", "sms,", "0"),
        ("1", "Greeting", "Hello, %name%", "sms", "", "0"),
        ("1", "Greeting,Hello", " %name%", "sms", "", "0"),
    ]


def test_empty_lists():
    for kind in (Status, HistoryMessage, Sender, Template):
        assert fmtcodec.decode(b"", list[kind], fmt=1) == []
        assert fmtcodec.decode(b"\r\n", list[kind], fmt=1) == []


def test_the_contacts_fast_paths_decline_the_pages_kinds():
    payload = (HISTORY_ROW + "\n" + HISTORY_ROW).encode()
    history = layout_for(HistoryMessage)
    src = Source.from_payload(payload, None, 1)
    assert fmt1._compiled_records(src, history) is None
    assert fmt1._fast_records(src, history) is None
    messages = fmtcodec.decode(payload, list[HistoryMessage], fmt=1)
    assert fmt1._compiled_lines(messages, history) is None
    assert fmt1._fast_lines(messages, history) is None


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        (b"279,-3", Error(error_code=3, id="279")),  # facts §4.1 [P]: <id>,-N for 3, 6, 7, 8
        (b"my.id-1,-7", Error(error_code=7, id="my.id-1")),
        (b"0,-1", Error(error_code=1)),  # 0: no id
    ],
)
def test_errors_with_and_without_a_message_id(payload, error):
    assert fmtcodec.decode(payload, Error, fmt=1) == error
    assert fmtcodec.encode(error, fmt=1) == payload


def test_an_error_with_an_id_raises_the_pages_meaning():
    with pytest.raises(ApiError) as caught:
        fmtcodec.decode(b"279,-3", Sent, fmt=1)
    error = caught.value
    assert (error.code, error.id, error.page, error.message) == (3, "279", "send", "")
    assert error.meaning == "Not enough money on the client's account."
    with pytest.raises(ApiError) as caught:
        fmtcodec.decode(b"0,-3", Balance, fmt=1)
    assert (caught.value.id, caught.value.meaning) == (None, None)  # 3 is not a balance code
    with pytest.raises(ApiError) as caught:
        fmtcodec.decode(b"0,-3", list[Status], fmt=1)
    assert caught.value.meaning.startswith("Message not found")


def test_an_error_id_of_zero_is_refused():
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode(Error(error_code=3, id="0"), fmt=1)
    assert str(caught.value) == "fmt 1 cannot carry the value at $.id: an id '0' reads as no id in fmt 1 ('0,-N')"


# -- round trips -----------------------------------------------------------------------------

_TEXT = st.lists(st.sampled_from(["a", "Доставлено", ",", ", ", " ", "-", "1", "1.5", "x y"]), max_size=4).map("".join)
_MONEY = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places), st.integers(-(10**9), 10**9), st.sampled_from([0, 1, 2, 3])
)
_COUNT = st.integers(0, 10**12)
_SIGNED = st.integers(-(10**6), 10**6)
_MID = st.from_regex(r"[A-Za-z0-9._-]{1,40}", fullmatch=True)
_DATE = st.builds(
    "{:02d}.{:02d}.{:04d} {:02d}:{:02d}:{:02d}".format,
    st.integers(1, 28), st.integers(1, 12), st.integers(2000, 2030), st.integers(0, 23), st.integers(0, 59), st.integers(0, 59),
)
_DIGITS = st.from_regex("[0-9]{1,15}", fullmatch=True)
_WORD = st.from_regex("[A-Z0-9]{1,5}", fullmatch=True)
_BY_CLASS = {"number": _DIGITS, "phone": _DIGITS, "word": _WORD}


def _value(field):
    """A value of the field's type that looks like its fmt 1 class (text: anything)."""
    base, cls = field.base, field.fmt1.rstrip("?")
    if base == "str":
        return _BY_CLASS.get(cls, _TEXT) | (st.just("") if field.fmt1.endswith("?") or cls == "text" else st.nothing())
    return {"date-time": _DATE, "int": _COUNT, "ts": _COUNT, "signed": _SIGNED, "decimal": _MONEY, "id": _MID}[base]


def _records(layout):
    """Records of one row variant of the kind: its fields set (a ``?`` one maybe None), the others None."""

    def build(variant):
        fields = {}
        for index in variant:
            field = layout.fields[index]
            fields[field.name] = _value(field)
            if field.optional and field.fmt1.endswith("?"):
                fields[field.name] = st.none() | fields[field.name]
        return st.builds(layout.record, **fields)

    return st.sampled_from(layout.fmt1_variants).flatmap(build)


def _outcome(function, *args, **kwargs):
    try:
        return ("value", function(*args, **kwargs))
    except EncodeError as exc:
        return ("encode error", exc.path)


_RECORD_KINDS = [layout for layout in LAYOUTS.values() if layout.shape == "record"]
_LIST_KINDS = [layout for layout in LAYOUTS.values() if layout.shape == "list" and not layout.simple]


@pytest.mark.parametrize("layout", _RECORD_KINDS, ids=lambda layout: layout.kind)
@given(data=st.data())
def test_one_record_round_trips_or_is_refused(layout, data):
    record = data.draw(_records(layout))
    outcome = _outcome(fmtcodec.encode, record, fmt=1)
    if outcome[0] == "encode error":
        assert outcome[1] == "$"  # it would not read back as the record
    else:
        assert fmtcodec.decode(outcome[1], layout.record, fmt=1) == record


@pytest.mark.parametrize("layout", _LIST_KINDS, ids=lambda layout: layout.kind)
@given(data=st.data())
def test_lists_round_trip_or_are_refused(layout, data):
    records = data.draw(st.lists(_records(layout), max_size=3))
    outcome = _outcome(fmtcodec.encode, records, fmt=1)
    if outcome[0] == "encode error":
        assert outcome[1].startswith("$[")
    else:
        assert fmtcodec.decode(outcome[1], list[layout.record], fmt=1) == records
