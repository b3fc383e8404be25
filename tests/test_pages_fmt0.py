"""fmt 0 of the pages' kinds (issue 16): sentences, pairs with optional fields, one-record replies,
errors carrying a message id (spec/formats.md, fmt 0, rules 10-14)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import (
    AmbiguousRecordError,
    ApiError,
    Balance,
    Contact,
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
from fmtcodec import text as fmt0
from fmtcodec.charset import Source
from fmtcodec.layout import LAYOUTS, layout_for

# -- sentences -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "record"),
    [
        # facts §4.2 [P]: cost=0; the cost=2/3 forms [c]/[U]
        (b"OK - 1 SMS, ID - 1234", Sent(id="1234", cnt=1)),
        (b"OK - 2 SMS, ID - 12345, COST - 4.48", Sent(id="12345", cnt=2, cost=Decimal("4.48"))),
        (
            b"OK - 2 SMS, ID - 12345, COST - 4.48, BALANCE - 100.50",
            Sent(id="12345", cnt=2, cost=Decimal("4.48"), balance=Decimal("100.50")),
        ),
        (b"OK - 1 SMS, ID - my-id_7.x", Sent(id="my-id_7.x", cnt=1)),  # a client's own id (§4.5)
        # facts §4.3 [c]: the cost request
        (b"1.40 (1 SMS)", Cost(cost=Decimal("1.40"), cnt=1)),
        # facts §7 [P]: balance; cur=1 [U]
        (b"15.00", Balance(balance=Decimal("15.00"))),
        (b"-72.2", Balance(balance=Decimal("-72.2"))),
        (b"15.00,RUR", Balance(balance=Decimal("15.00"), currency="RUR")),
        # facts §6 [P]: a mailing job created
        (b"OK, ID - 5", JobCreated(id=5)),
        (b"OK, ID - 5, COST - 1.40", JobCreated(id=5, cost=Decimal("1.40"))),
    ],
)
def test_sentences_decode_and_encode_back_byte_for_byte(payload, record):
    kind = type(record)
    assert fmtcodec.decode(payload, kind, fmt=0) == record
    assert fmtcodec.encode(record, fmt=0) == payload
    decoded = fmtcodec.decode(payload, kind, fmt=0)
    money = [getattr(decoded, name) for name in ("cost", "balance") if getattr(decoded, name, None) is not None]
    assert [str(amount) for amount in money] == [
        str(getattr(record, name)) for name in ("cost", "balance") if getattr(record, name, None) is not None
    ]  # the digits kept: 15.00 stays 15.00


def test_cost_also_reads_the_second_sentence_and_writes_the_first():
    cost = fmtcodec.decode(b"OK - 2 SMS, COST - 4.48", Cost, fmt=0)
    assert cost == Cost(cost=Decimal("4.48"), cnt=2)
    assert fmtcodec.encode(cost, fmt=0) == b"4.48 (2 SMS)"


def test_a_final_line_break_and_blank_lines_around_one_record_are_ignored():
    assert fmtcodec.decode(b"\r\nOK - 1 SMS, ID - 1234\r\n\n", Sent, fmt=0) == Sent(id="1234", cnt=1)


@pytest.mark.parametrize(
    ("payload", "kind", "reason", "pos", "path"),
    [
        (b"OK - 1 SMS, ID - 12 34", Sent, "expected a message id (letters, digits, '.', '-', '_') for `id`, got '12 34'", 17, "$.id"),
        (b"OK - 05 SMS, ID - 1", Sent, "expected an integer for `cnt`, got '05'", 5, "$.cnt"),
        (b"OK - 1 SMS, ID - 1, COST - 1,40", Sent, "expected a decimal amount for `cost`, got '1,40'", 27, "$.cost"),
        (b"1.4.0 (1 SMS)", Cost, "expected a decimal amount for `cost`, got '1.4.0'", 0, "$.cost"),
        (b"OK, ID - -5", JobCreated, "expected an integer for `id`, got '-5'", 9, "$.id"),
        (
            b"OK - 1 SMS",
            Sent,
            "expected 'OK - {cnt} SMS, ID - {id}[, COST - {cost}[, BALANCE - {balance}]]'",
            0,
            "$",
        ),
        (  # an empty optional amount is no sentence (the loose reading only says where a value fails)
            b"OK - 1 SMS, ID - 1234, COST - 1.40, BALANCE - ",
            Sent,
            "expected 'OK - {cnt} SMS, ID - {id}[, COST - {cost}[, BALANCE - {balance}]]'",
            0,
            "$",
        ),
        (b"4.48 SMS", Cost, "expected '{cost} ({cnt} SMS)' or 'OK - {cnt} SMS, COST - {cost}'", 0, "$"),
        (b"\n15.00\n16.00", Balance, "expected one balance line, found 2", 7, "$"),
        (b"", Balance, "expected one balance line, found 0", 0, "$"),
    ],
)
def test_sentence_refusals_say_which_value_and_where(payload, kind, reason, pos, path):
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, kind, fmt=0)
    assert (caught.value.reason, caught.value.pos, caught.value.path) == (reason, pos, path)
    assert not isinstance(caught.value, AmbiguousRecordError)


class _CountedPattern:
    """A pattern that counts the lines it is asked to match."""

    def __init__(self, pattern):
        self.pattern = pattern
        self.calls = 0

    def fullmatch(self, line):
        self.calls += 1
        return self.pattern.fullmatch(line)


def test_only_short_lines_are_diagnosed_by_the_loose_pass(monkeypatch):
    # the loose holes may be tried at every split of a line: a long line of " (" is quadratic for
    # cost's `{cost} ({cnt} SMS)`, so lines over 512 characters skip that pass
    layout = LAYOUTS["cost"]
    strict, loose = fmt0._sentence_patterns(layout)
    counted = [_CountedPattern(pattern) for pattern in loose]
    monkeypatch.setitem(fmt0._SENTENCES, "cost", (strict, counted))
    expected = "expected '{cost} ({cnt} SMS)' or 'OK - {cnt} SMS, COST - {cost}'"
    for line, tried in ((b"1" + b" (" * 255 + b"x", 2), (b"1" + b" (" * 256, 0), (b"1" + b" (" * 50_000, 0)):
        with pytest.raises(DecodeError) as caught:
            fmtcodec.decode(line, Cost, fmt=0)
        assert (caught.value.reason, caught.value.pos) == (expected, 0)
        assert [pattern.calls for pattern in counted] == [tried // 2] * 2
        for pattern in counted:
            pattern.calls = 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            Sent(id="1", cnt=1, balance=Decimal("2")),
            "fmt 0 cannot carry the value at $.cost: `cost` is None, but the fmt 0 sentence writes it with `balance`",
        ),
        (
            Sent(id="1", cnt=1, phones=()),
            "fmt 0 cannot carry the value at $.phones: fmt 0 has no place for `phones` in a sent reply",
        ),
        (
            Balance(balance=Decimal("1"), credit=Decimal("5")),
            "fmt 0 cannot carry the value at $.credit: fmt 0 has no place for `credit` in a balance reply",
        ),
        (
            Sent(id="1 2", cnt=1),
            "fmt 0 cannot carry the value at $.id: `id` must be a message id (letters, digits, '.', '-', '_'), got '1 2'",
        ),
        (
            Balance(balance=Decimal("1"), currency="R\nUR"),
            "fmt 0 cannot carry the value at $.currency: a line break cannot be carried: records are one line each",
        ),
        (
            Balance(balance=Decimal("NaN")),
            "fmt 0 cannot carry the value at $.balance: `balance` must be a finite amount, got Decimal('NaN')",
        ),
    ],
)
def test_sentence_encoder_refusals(value, message):
    for strict in (True, False):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(value, fmt=0, strict=strict)
        assert str(caught.value) == message


def test_a_sentence_that_would_read_back_otherwise_is_refused_unless_not_strict():
    odd = Balance(balance=Decimal("1"), currency="")  # written "1," which reads back currency ""
    assert fmtcodec.decode(fmtcodec.encode(odd, fmt=0), Balance, fmt=0) == odd
    spaced = Balance(balance=Decimal("1"), currency="RUR\t")
    assert fmtcodec.decode(fmtcodec.encode(spaced, fmt=0), Balance, fmt=0) == spaced
    # a Decimal with an exponent is written with its digits, and reads back equal
    assert fmtcodec.encode(Balance(balance=Decimal("1E+2")), fmt=0) == b"100"


# -- pairs, one record -----------------------------------------------------------------------


STATUS_ALL0 = Status(status=1, last_date="10.10.2010 10:10:10", err=0)


@pytest.mark.parametrize(
    ("payload", "record"),
    [
        # facts §1.1 [P] (the param table: two fields) and §5.3 [P] (three)
        (b"Status = 1, check_time = 10.10.2010 10:10:10", Status(status=1, last_date="10.10.2010 10:10:10")),
        (b"Status = 1, check_time = 10.10.2010 10:10:10, err = 0", STATUS_ALL0),
        (b"Status = -3, check_time = 10.10.2010 10:10:10, err = 0", Status(status=-3, last_date="10.10.2010 10:10:10", err=0)),
        # §5.3 all=1 [P], message and status name with commas and ' = '
        (
            "Status = 1, check_time = 10.10.2010 10:10:10, err = 0, send_date = 10.10.2010 10:10:07,"
            " phone = 79001234567, cost = 1.40, sender_id = SMSC.RU, status_name = Доставлено,"
            " message = Hi, Ann = me, see you, comment = a, b, type = 0".encode(),
            Status(
                status=1,
                last_date="10.10.2010 10:10:10",
                err=0,
                send_date="10.10.2010 10:10:07",
                phone="79001234567",
                cost=Decimal("1.40"),
                sender_id="SMSC.RU",
                status_name="Доставлено",
                message="Hi, Ann = me, see you",
                comment="a, b",
                type=0,
            ),
        ),
        # §9.5 [c]: key = value pairs; phone first where the reply names it [U]
        (
            "country = Россия, operator = МТС, region = Москва и область, mcc = 250, mnc = 01, tz = 3".encode(),
            OperatorInfo(country="Россия", operator="МТС", region="Москва и область", mcc="250", mnc="01", tz="3"),
        ),
        (
            b"phone = 79001234567, country = Russia, operator = MTS, region = , mcc = 250, mnc = 01",
            OperatorInfo(phone="79001234567", country="Russia", operator="MTS", region="", mcc="250", mnc="01"),
        ),
        (b"sender = 24336", SenderCreated(sender=24336)),
        (b"ID = 5", TemplateCreated(id=5)),
    ],
)
def test_one_record_of_pairs_decodes_and_encodes_back(payload, record):
    assert fmtcodec.decode(payload, type(record), fmt=0) == record
    assert fmtcodec.encode(record, fmt=0) == payload


def test_a_status_writes_every_field_set_under_its_key_and_leaves_out_the_others():
    full = Status(status=0, last_date="01.01.2020 00:00:00", last_timestamp=1577836800, flag=0, err=0, id="5")
    payload = b"Status = 0, check_time = 01.01.2020 00:00:00, last_timestamp = 1577836800, flag = 0, err = 0, id = 5"
    assert fmtcodec.encode(full, fmt=0) == payload
    assert fmtcodec.decode(payload, Status, fmt=0) == full


def test_an_empty_optional_number_reads_as_absent():
    assert fmtcodec.decode(b"Status = 1, err = ", Status, fmt=0) == Status(status=1)


def test_a_trimmed_trailing_space_of_the_last_field_reads_as_empty():
    assert fmtcodec.decode(b"Status = 1, rnet =", Status, fmt=0) == Status(status=1, rnet="")
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode(Status(status=1, message="see, rnet ="), fmt=0)
    assert str(caught.value) == (
        "fmt 0 cannot carry the value at $.message: the value ends with ', rnet =', which reads as an empty `rnet`"
    )


@pytest.mark.parametrize(
    ("payload", "kind", "reason", "pos", "path"),
    [
        (b"Status = x, err = 0", Status, "expected an integer for `status`, got 'x'", 9, "$.status"),
        (b"Status = 1, err = 0x", Status, "expected an integer for `err`, got '0x'", 18, "$.err"),
        (b"Status = 1, cost = 1.4.0", Status, "expected a decimal amount for `cost`, got '1.4.0'", 19, "$.cost"),
        (b"status = 1", Status, "expected 'Status = ' at the start of a status record", 0, "$"),
        (
            b"mcc = 250",
            OperatorInfo,
            "expected 'phone = ' or 'country = ' at the start of an operator record",
            0,
            "$",
        ),
        (b"country = x, mcc = 1", OperatorInfo, "expected ', operator = ' after `country`", 10, "$.country"),
        (b"ID = 05", TemplateCreated, "expected an integer for `id`, got '05'", 5, "$.id"),
    ],
)
def test_pair_refusals_say_which_value_and_where(payload, kind, reason, pos, path):
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, kind, fmt=0)
    assert (caught.value.reason, caught.value.pos, caught.value.path) == (reason, pos, path)


def test_a_value_holding_a_marker_the_decoder_looks_for_is_refused_when_strict():
    holding = Status(status=1, message="a, comment = b")
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode(holding, fmt=0)
    assert str(caught.value) == (
        "fmt 0 cannot carry the value at $.message: the value holds ', comment = ', the marker of `comment`"
    )
    # as the server writes it, and what that reads back as
    loose = fmtcodec.encode(holding, fmt=0, strict=False)
    assert loose == b"Status = 1, message = a, comment = b"
    assert fmtcodec.decode(loose, Status, fmt=0) == Status(status=1, message="a", comment="b")
    # the marker of a field before it, or of its own, is no marker the decoder looks for there
    fine = Status(status=1, message="x, status_name = y, message = z, Status = 2")
    assert fmtcodec.decode(fmtcodec.encode(fine, fmt=0), Status, fmt=0) == fine


def test_the_markers_looked_for_stop_at_the_next_required_field():
    # operator: after `phone` (optional) the decoder looks for ', country = ' only (country is
    # required); after `region` for ', mcc = '; a later marker inside a value is fine
    odd = OperatorInfo(phone="7", country="a, mcc = 1", operator="b, tz = 2", region="c", mcc="250", mnc="01")
    assert fmtcodec.decode(fmtcodec.encode(odd, fmt=0), OperatorInfo, fmt=0) == odd
    with pytest.raises(EncodeError, match=r"at \$\.phone: the value holds ', country = '"):
        fmtcodec.encode(OperatorInfo(phone="7, country = x", country="a", mcc="1", mnc="2"), fmt=0)


def test_line_breaks_are_refused_strict_or_not():
    for strict in (True, False):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(Status(status=1, message="a\r\nb"), fmt=0, strict=strict)
        assert str(caught.value) == (
            "fmt 0 cannot carry the value at $.message: a line break cannot be carried: records are one line each"
        )
        with pytest.raises(EncodeError, match=r"at \$\[1\]\.message: a line break"):
            fmtcodec.encode([Status(status=1), Status(status=2, message="\n")], fmt=0, strict=strict)


# -- lists -----------------------------------------------------------------------------------

# facts §9.1 [C]: the 2021 history capture (authmagic/authmagic-smsc-plugin, test/test.js)
HISTORY_2021 = (
    "Status = 1, check_time = 28.06.2021 15:55:47, send_date = 28.06.2021 15:55:44, phone = 88002000600,"
    " mccmnc = 25503, country = Украина, operator = Kyivstar, region = , cost = 0.385, sender_id = OLLYFOOD,"
    " status_name = Доставлено, message = 78-74-08, type = 0, ID = 206113, int_id = 401671913, sms_cnt = 1,"
    " format = 0, crc = 307589946\n"
    "Status = 1, check_time = 28.06.2021 15:54:46, send_date = 28.06.2021 15:54:43, phone = 88002000600,"
    " mccmnc = 25503, country = Украина, operator = Kyivstar, region = , cost = 0.385, sender_id = OLLYFOOD,"
    " status_name = Доставлено, message = 78-87-57, type = 0, ID = 206112, int_id = 401656822, sms_cnt = 1,"
    " format = 0, crc = 1340818552"
).encode()


def _history(**changes):
    base = {
        "status": 1,
        "last_date": "28.06.2021 15:55:47",
        "send_date": "28.06.2021 15:55:44",
        "phone": "88002000600",
        "mccmnc": "25503",
        "country": "Украина",
        "operator": "Kyivstar",
        "region": "",
        "cost": Decimal("0.385"),
        "sender_id": "OLLYFOOD",
        "status_name": "Доставлено",
        "message": "78-74-08",
        "type": 0,
        "id": "206113",
        "int_id": 401671913,
        "sms_cnt": 1,
        "format": 0,
        "crc": 307589946,
    }
    return HistoryMessage(**{**base, **changes})


def test_the_2021_history_capture_decodes_exactly_and_encodes_back_byte_for_byte():
    messages = fmtcodec.decode(HISTORY_2021, list[HistoryMessage], fmt=0)
    assert messages == [
        _history(),
        _history(
            last_date="28.06.2021 15:54:46",
            send_date="28.06.2021 15:54:43",
            message="78-87-57",
            id="206112",
            int_id=401656822,
            crc=1340818552,
        ),
    ]
    assert str(messages[0].cost) == "0.385"
    assert (messages[0].last_timestamp, messages[0].err, messages[0].send_timestamp) == (None, None, None)
    assert fmtcodec.encode(messages, fmt=0) == HISTORY_2021


def test_history_with_the_legend_timestamps_and_a_message_full_of_markers():
    message = _history(
        last_timestamp=1624884947,
        err=0,
        send_timestamp=1624884944,
        message="status_name = x, ID = 1, type = 2",  # markers of fields before it, and ', type = '
    )
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode([message], fmt=0)
    assert str(caught.value) == (
        "fmt 0 cannot carry the value at $[0].message: the value holds ', type = ', the marker of `type`"
    )
    fine = _history(last_timestamp=1624884947, err=0, send_timestamp=1624884944, message="Hi, Ann = me, ID = 1")
    payload = fmtcodec.encode([fine, _history()], fmt=0)
    assert payload.split(b"\n")[0].startswith(
        b"Status = 1, check_time = 28.06.2021 15:55:47, last_timestamp = 1624884947, err = 0,"
        b" send_date = 28.06.2021 15:55:44, send_timestamp = 1624884944, phone = "
    )
    assert fmtcodec.decode(payload, list[HistoryMessage], fmt=0) == [fine, _history()]


def test_history_refusals_name_the_row_and_field():
    line = HISTORY_2021.split(b"\n")[1]
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(HISTORY_2021 + b"\n" + line.replace(b", phone = ", b", fone = "), list[HistoryMessage], fmt=0)
    error = caught.value
    assert (error.reason, error.path, error.line) == ("expected ', phone = ' after `send_date`", "$[2].send_date", 3)
    assert error.column == len("Status = 1, check_time = 28.06.2021 15:54:46, send_date = ") + 1
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(HISTORY_2021.replace(b"crc = 1340818552", b"crc = -"), list[HistoryMessage], fmt=0)
    error = caught.value
    assert (error.reason, error.path, error.line) == ("expected an integer for `crc`, got '-'", "$[1].crc", 2)


def test_statuses_one_a_line():
    payload = (
        b"Status = 25, check_time = 17.03.2023 10:00:00, flag = 0, err = 248, id = 279, phone = 79001234567\r\n"
        b"Status = -3, id = 280, phone = 79001234568\r\n"
    )
    statuses = fmtcodec.decode(payload, list[Status], fmt=0)
    assert statuses == [
        Status(status=25, last_date="17.03.2023 10:00:00", flag=0, err=248, id="279", phone="79001234567"),
        Status(status=-3, id="280", phone="79001234568"),
    ]
    assert fmtcodec.encode(statuses, fmt=0) == payload.replace(b"\r\n", b"\n").rstrip(b"\n")


def test_senders_one_a_line():
    payload = b"name = SMSC.RU, id = 5\nname = My, shop, id = 6\nname = Old"  # facts §8 [P]; a name with ', '
    senders = fmtcodec.decode(payload, list[Sender], fmt=0)
    assert senders == [Sender(sender="SMSC.RU", id=5), Sender(sender="My, shop", id=6), Sender(sender="Old")]
    assert fmtcodec.encode(senders, fmt=0) == payload
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode([Sender(sender="a, id = 5")], fmt=0)
    assert str(caught.value) == "fmt 0 cannot carry the value at $[0].sender: the value holds ', id = ', the marker of `id`"


def test_templates_one_a_line():
    payload = (
        b"id = 1, name = Greeting, message = Hello, %name%, format = , sender = , flag = 0\n"
        b"id = 2, name = Code, message = Your code: 1234, format = sms, sender = SMSC.RU, flag = 1"
    )
    templates = fmtcodec.decode(payload, list[Template], fmt=0)
    assert templates == [
        Template(id=1, name="Greeting", message="Hello, %name%", format="", sender="", flag=0),
        Template(id=2, name="Code", message="Your code: 1234", format="sms", sender="SMSC.RU", flag=1),
    ]
    assert fmtcodec.encode(templates, fmt=0) == payload
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"id = 1, name = x, message = y, format = , sender = ", list[Template], fmt=0)
    assert (caught.value.reason, caught.value.path) == ("expected ', flag = ' after `sender`", "$[0].sender")


def test_empty_lists():
    for kind in (Status, HistoryMessage, Sender, Template):
        assert fmtcodec.decode(b"", list[kind], fmt=0) == []
        assert fmtcodec.decode(b"\n", list[kind], fmt=0) == []
    assert fmtcodec.encode([], fmt=0) == b""


def _outcome(function, *args, **kwargs):
    """What ``function`` gives, or where and why it refuses (a DecodeError or an EncodeError)."""
    try:
        return ("value", function(*args, **kwargs))
    except DecodeError as exc:
        return ("decode error", exc.reason, exc.pos, exc.path)
    except EncodeError as exc:
        return ("encode error", exc.path)


# -- the contacts rule is the all-required case ----------------------------------------------

_CONTACT_TEXT = st.lists(
    st.sampled_from(["a", "Иван", ", ", " = ", ",", " ", ", name = ", ", tags = ", ", phone_other = ", ", tags ="]),
    max_size=4,
).map("".join)


@given(st.lists(st.builds(Contact, phone=_CONTACT_TEXT, name=_CONTACT_TEXT, tags=_CONTACT_TEXT, phone_other=_CONTACT_TEXT), max_size=3))
def test_the_pairs_rule_reads_contact_lines_as_the_contacts_path_does(contacts):
    layout = layout_for(Contact)
    payload = fmtcodec.encode(contacts, fmt=0, strict=False).decode()
    src = Source.from_payload(payload, None, 0)
    assert _outcome(fmt0._pair_records, src, layout) == _outcome(fmt0._general_records, src, layout)


def test_the_contacts_fast_paths_decline_the_pages_kinds():
    lists = {layout.kind: layout.simple for layout in LAYOUTS.values() if layout.shape == "list"}
    assert lists == {
        **dict.fromkeys(["contact", "mail_contact", "group", "blacklist", "mail_blacklist"], True),
        **dict.fromkeys(["statuses", "history", "sender", "template"], False),
    }
    history = layout_for(HistoryMessage)
    src = Source.from_payload(HISTORY_2021, None, 0)
    assert fmt0._compiled_records(src, history) is None
    assert fmt0._fast_records(src, history) is None
    messages = fmtcodec.decode(HISTORY_2021, list[HistoryMessage], fmt=0)
    assert fmt0._compiled_lines(messages, history) is None
    assert fmt0._fast_lines(messages, history) is None


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        (b"ERROR = 3 (not enough money), ID - 279", Error(error_code=3, error="not enough money", id="279")),
        (b"ERROR = 7 (invalid number), ID - my.id-1", Error(error_code=7, error="invalid number", id="my.id-1")),
        (b"ERROR = 1 (parameters error)", Error(error_code=1, error="parameters error")),
        (b"ERROR = 6 (a), ID - b), ID - 9", Error(error_code=6, error="a), ID - b", id="9")),
        (b"ERROR = 6 (a), ID - b)", Error(error_code=6, error="a), ID - b")),
    ],
)
def test_errors_with_and_without_a_message_id(payload, error):
    assert fmtcodec.decode(payload, Error, fmt=0) == error
    assert fmtcodec.encode(error, fmt=0) == payload


def test_an_error_with_an_id_raises_the_pages_meaning_in_any_fmt():
    for fmt in (0, 1, 2, 3, None):
        with pytest.raises(ApiError) as caught:
            fmtcodec.decode(b"ERROR = 3 (not enough money), ID - 279", Sent, fmt=fmt)
        error = caught.value
        assert (error.code, error.id, error.page, error.message) == (3, "279", "send", "not enough money")
        assert error.meaning == "Not enough money on the client's account."
    with pytest.raises(ApiError) as caught:
        fmtcodec.decode(b"ERROR = 3 (record not found)", list[Template], fmt=0)
    assert (caught.value.id, caught.value.meaning) == (None, "Template not found.")


def test_a_malformed_id_part_is_a_malformed_error_reply():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"ERROR = 3 (x), ID - 2 79", Error, fmt=0)
    assert (caught.value.reason, caught.value.pos) == ("malformed error reply, expected 'ERROR = N (description)'", 0)


# -- round trips -----------------------------------------------------------------------------

_TEXT = st.lists(
    st.sampled_from(["a", "Доставлено", ", ", " = ", ",", " ", "-", "1", ", message = ", ", ID = ", ", rnet ="]),
    max_size=5,
).map("".join)
_SAFE_TEXT = st.text(st.sampled_from("ab Щ.-1:"), max_size=8)
_MONEY = st.builds(lambda digits, places: Decimal(digits).scaleb(-places), st.integers(-10**9, 10**9), st.sampled_from([0, 1, 2, 3]))
_COUNT = st.integers(0, 10**12)
_SIGNED = st.integers(-(10**6), 10**6)
_MID = st.from_regex(r"[A-Za-z0-9._-]{1,40}", fullmatch=True)
_DATE = st.builds(
    "{:02d}.{:02d}.{:04d} {:02d}:{:02d}:{:02d}".format,
    st.integers(1, 28), st.integers(1, 12), st.integers(2000, 2030), st.integers(0, 23), st.integers(0, 59), st.integers(0, 59),
)


def _values(base, text):
    return {"str": text, "date-time": _DATE, "int": _COUNT, "ts": _COUNT, "signed": _SIGNED, "decimal": _MONEY, "id": _MID}[base]


def _records(layout, text):
    """Records of a kind built from its layout: every field of its type, optional ones maybe None."""
    fields = {}
    for field in layout.fields:
        if field.base == "list":
            continue
        values = _values(field.base, text)
        fields[field.name] = st.none() | values if field.optional else values
    return st.builds(layout.record, **fields)


_RECORD_KINDS = [layout for layout in LAYOUTS.values() if layout.shape == "record"]
_LIST_KINDS = [layout for layout in LAYOUTS.values() if layout.shape == "list" and not layout.simple]


@pytest.mark.parametrize("layout", _RECORD_KINDS, ids=lambda layout: layout.kind)
@given(data=st.data())
def test_one_record_round_trips_or_is_refused(layout, data):
    record = data.draw(_records(layout, data.draw(st.sampled_from([_TEXT, _SAFE_TEXT]))))
    outcome = _outcome(fmtcodec.encode, record, fmt=0)
    if outcome[0] == "encode error":
        assert outcome[1].startswith("$.")  # the field it cannot carry
    else:
        assert fmtcodec.decode(outcome[1], layout.record, fmt=0) == record


@pytest.mark.parametrize("layout", _LIST_KINDS, ids=lambda layout: layout.kind)
@given(data=st.data())
def test_lists_round_trip_or_are_refused(layout, data):
    records = data.draw(st.lists(_records(layout, _TEXT), max_size=3))
    outcome = _outcome(fmtcodec.encode, records, fmt=0)
    if outcome[0] == "encode error":
        assert outcome[1].startswith("$[")  # the row and field it cannot carry
    else:
        assert fmtcodec.decode(outcome[1], list[layout.record], fmt=0) == records


@pytest.mark.parametrize("layout", _LIST_KINDS, ids=lambda layout: layout.kind)
@given(data=st.data())
def test_lists_of_marker_free_values_always_round_trip(layout, data):
    records = data.draw(st.lists(_records(layout, _SAFE_TEXT), max_size=3))
    payload = fmtcodec.encode(records, fmt=0)
    assert fmtcodec.decode(payload, list[layout.record], fmt=0) == records
