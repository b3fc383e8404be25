"""The top-level API: the fmt table, detection, charsets, server errors, and the layout table."""

import pickle
from decimal import Decimal
from typing import Annotated

import msgspec
import pytest

import fmtcodec
from fmtcodec import (
    ApiError,
    BlacklistEntry,
    BlacklistType,
    Contact,
    Created,
    DecodeError,
    EncodeError,
    Error,
    FmtcodecError,
    Group,
    MailBlacklistEntry,
    MailContact,
    Ok,
    PhoneReport,
)
from fmtcodec.api import CODECS
from fmtcodec.layout import ERROR_MEANINGS, LAYOUTS

SAMPLES = {
    Contact: [
        Contact(
            phone="79221113340",
            name="Иванов Пётр",
            group="5922",
            first_name="Пётр",
            last_name="Иванов",
            middle_name="Ильич",
            birthday="01.01.1960",
            id="4321",
            comments="fake",
            tags="ups",
            phone_other="+79112223351,+79112223352",
        ),
        Contact(phone="+7 (922) 111-33-40"),
    ],
    MailContact: [MailContact(mail="ivan@example.ru", name="Иван", group="1", mail_other="x@y.z")],
    Group: [Group(id=5924, name="Группа"), Group(id=5921, name="New group", number=1234, cnt=10)],
    BlacklistEntry: [BlacklistEntry(id=1, phone="79221113340", type=BlacklistType.MASS, comment="spam")],
    MailBlacklistEntry: [MailBlacklistEntry(id=2, email="a@b.ru", type=BlacklistType.ALL)],
}


@pytest.mark.parametrize("fmt", sorted(CODECS))
@pytest.mark.parametrize("record", list(SAMPLES), ids=lambda record: record.__name__)
def test_every_kind_round_trips_in_every_fmt_and_all_fmts_agree(record, fmt):
    records = SAMPLES[record]
    payload = fmtcodec.encode(records, fmt=fmt)
    assert fmtcodec.detect_fmt(payload) == fmt
    assert fmtcodec.decode(payload, list[record]) == records
    assert fmtcodec.decode(payload, list[record], fmt=fmt) == records


@pytest.mark.parametrize("fmt", sorted(CODECS))
def test_replies_round_trip_in_every_fmt(fmt):
    assert fmtcodec.decode(fmtcodec.encode(Ok(), fmt=fmt), Ok, fmt=fmt) == Ok()
    created = fmtcodec.decode(fmtcodec.encode(Created(id=7, element="group"), fmt=fmt), Created, fmt=fmt)
    assert created == Created(id=7, element="group" if fmt == 2 else None)
    error = Error(error_code=3, error="" if fmt == 1 else "record not found")
    assert fmtcodec.decode(fmtcodec.encode(error, fmt=fmt), Error, fmt=fmt) == error
    assert fmtcodec.decode(fmtcodec.encode([], fmt=fmt), list[Group], fmt=fmt) == []


@pytest.mark.parametrize(
    ("payload", "fmt"),
    [
        (b"", 0),
        (b"OK", 0),
        (b"ID = 5", 0),
        (b"ERROR = 1 (x)", 0),
        (b"phone = 7, name = x", 0),
        (b"0,-3", 1),
        (b"5", 1),
        (b"a@b.ru,x,,,,,,,,,", 1),
        (b"\xef\xbb\xbf  <result>OK</result>", 2),
        (b"\n[]", 3),
        (b"{}", 3),
    ],
)
def test_detect_fmt(payload, fmt):
    assert fmtcodec.detect_fmt(payload) == fmt


@pytest.mark.parametrize(
    ("payload", "fmt", "message"),
    [
        (b"ERROR = 3 (record not found)", 0, "record not found"),
        (b"0,-3", 1, ""),
        (b"<result>\n<error>record not found</error>\n<error_code>3</error_code>\n</result>", 2, "record not found"),
        (b'{\n"error": "record not found",\n"error_code": 3\n}', 3, "record not found"),
    ],
)
def test_error_reply_where_records_were_asked_for(payload, fmt, message):
    with pytest.raises(ApiError) as caught:
        fmtcodec.decode(payload, list[Contact])
    error = caught.value
    assert (error.code, error.message, error.fmt) == (3, message, fmt)
    assert error.meaning == "No records found."
    assert error.meaning_ru == "Записи не найдены."
    assert fmtcodec.decode(payload, Error) == Error(error_code=3, error=message)
    with pytest.raises(ApiError) as caught:
        fmtcodec.decode(payload, Ok)
    assert (caught.value.code, caught.value.message, caught.value.fmt) == (3, message, fmt)


def test_api_error_message():
    with pytest.raises(ApiError) as caught:
        fmtcodec.decode(b'{"error": "parameters error", "error_code": 1}', Created)
    assert str(caught.value) == "server error 1 (parameters error): Error in parameters."
    with pytest.raises(ApiError) as caught:
        fmtcodec.decode(b"0,-77", Created)
    assert str(caught.value) == "server error 77: code not documented for the contacts page"
    assert isinstance(caught.value, FmtcodecError)


def test_errors_pickle_and_copy():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"5,x,,\n6,y,1", list[Group], fmt=1)
    again = pickle.loads(pickle.dumps(caught.value))
    assert type(again) is DecodeError
    assert (str(again), again.pos, again.path) == (str(caught.value), 6, "$[1]")
    with pytest.raises(ApiError) as api_error:
        fmtcodec.decode(b"0,-3", Ok)
    assert str(pickle.loads(pickle.dumps(api_error.value))) == str(api_error.value)


def test_error_expected_but_not_given():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"OK", Error)
    assert str(caught.value) == "fmt 0: expected an error reply - at $, byte 0 (line 1, column 1), near 'OK'"


def test_error_meanings_cover_the_seed_codes():
    assert sorted(ERROR_MEANINGS) == [1, 2, 3, 4, 5, 9]
    assert Error(error_code=4).meaning == "IP address temporarily blocked."
    assert Error(error_code=6).meaning is None


def test_charsets():
    groups = [Group(id=1, name="Группа Ёжик, 1")]
    for charset in ("utf-8", "windows-1251", "koi8-r"):
        for fmt in CODECS:
            payload = fmtcodec.encode(groups, fmt=fmt, charset=charset)
            assert fmtcodec.decode(payload, list[Group], fmt=fmt, charset=charset) == groups
    cp1251 = fmtcodec.encode(groups, fmt=0, charset="cp1251")
    assert fmtcodec.decode(cp1251, list[Group]) == groups  # not UTF-8, so windows-1251
    koi8 = fmtcodec.encode(groups, fmt=0, charset="koi8-r")
    assert fmtcodec.decode(koi8, list[Group], charset="koi8-r") == groups  # explicit wins


def test_undecodable_byte_with_explicit_charset():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode("id = 1, name = Пё".encode() + b"\xff, number = , cnt = ", list[Group], charset="utf-8")
    assert str(caught.value) == (
        "fmt 0: byte 0xFF is not valid utf-8 - byte 19 (line 1, column 18),"
        " near '\ufffd, number = , cnt = '"
    )


def test_unrepresentable_character_is_named():
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode([Group(id=1, name="smile 😀")], fmt=3, charset="windows-1251")
    assert str(caught.value) == (
        "fmt 3 cannot carry the value: character '😀' (U+1F600) at character 27 of the reply"
        " cannot be written in windows-1251"
    )


def test_argument_errors():
    with pytest.raises(TypeError, match=r"got <class 'fmtcodec.records.contacts.Contact'> \(a Contact reply is a list: list\[Contact\]\)$"):
        fmtcodec.decode(b"OK", Contact)
    with pytest.raises(ValueError, match="fmt must be 0, 1, 2 or 3, got 4"):
        fmtcodec.decode(b"OK", Ok, fmt=4)
    with pytest.raises(ValueError, match="unsupported charset 'latin-9'"):
        fmtcodec.decode(b"OK", Ok, charset="latin-9")
    with pytest.raises(TypeError, match="item 1 is Contact, item 0 is Group"):
        fmtcodec.encode([Group(id=1), Contact(phone="7")], fmt=0)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([BlacklistEntry(id=1, phone="7", type=5)], "at $[0].type: `type` must be a BlacklistType (0, 1 or 2), got 5"),
        ([Group(id=-1)], "at $[0].id: `id` must not be negative, got -1"),
        ([Group(id=True)], "at $[0].id: `id` must be an int, got True"),
        ([Contact(phone=79221113340)], "at $[0].phone: `phone` must be a str, got 79221113340"),
        (Created(id=-5), "at $.id: `id` must not be negative, got -5"),
        (Error(error_code="3"), "at $.error_code: `error_code` must be an int, got '3'"),
        (Error(error_code=3, error=5), "at $.error: `error` must be a str, got 5"),
        (Created(id=1, element="foo"), "at $.element: `element` must be 'phone', 'group', 'mail' or None, got 'foo'"),
    ],
)
@pytest.mark.parametrize("fmt", sorted(CODECS))
def test_records_are_checked_when_encoded(value, message, fmt):
    # msgspec does not validate on construction, so the encoder does, rather than write
    # something its own decoder would refuse.
    if isinstance(value, Created) and value.element is None and fmt == 2:
        value = msgspec.structs.replace(value, element="phone")
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode(value, fmt=fmt)
    assert str(caught.value) == f"fmt {fmt} cannot carry the value {message}"


@pytest.mark.parametrize(
    ("payload", "kind", "fmt", "reason", "path"),
    [
        (b"ID = 05", Created, 0, "expected 'ID = <id>'", None),
        (b"05", Created, 1, "expected the new id alone", None),
        (b"ERROR = 05 (x)", Error, 0, "malformed error reply, expected 'ERROR = N (description)'", None),
        (b"0,-05", Error, 1, "expected an error reply", "$"),  # not an error reply at all
    ],
)
def test_leading_zeros_are_refused_in_replies_too(payload, kind, fmt, reason, path):
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, kind, fmt=fmt)
    assert (caught.value.reason, caught.value.pos, caught.value.path) == (reason, 0, path)


def test_argument_edges():
    with pytest.raises(ValueError, match="fmt must be 0, 1, 2 or 3, got True"):
        fmtcodec.decode(b"OK", Ok, fmt=True)
    with pytest.raises(ValueError, match=r"fmt must be 0, 1, 2 or 3, got 1\.0"):
        fmtcodec.encode(Ok(), fmt=1.0)
    with pytest.raises(DecodeError, match=r"character U\+D800 is a lone surrogate - byte 2"):
        fmtcodec.decode("OK\ud800", Ok)


def test_str_payloads_count_characters():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode("id = 1, name = Пётр, number = x, cnt = ", list[Group])
    assert caught.value.pos == 30


@pytest.mark.parametrize("layout", list(LAYOUTS.values()), ids=lambda layout: layout.kind)
def test_layout_table_matches_the_records(layout):
    fields = msgspec.structs.fields(layout.record)
    assert tuple(field.name for field in fields) == layout.field_names
    count = Annotated[int, msgspec.Meta(ge=0)]
    types = {
        "str": str, "date-time": str, "id": str, "int": count, "ts": count, "signed": int,
        "decimal": Decimal, "blacklist-type": BlacklistType, "list": tuple[PhoneReport, ...],
    }
    expected = [types[field.base] | None if field.optional else types[field.base] for field in layout.fields]
    assert expected == [field.type for field in fields]


def test_accessors():
    contact = Contact(phone="7", birthday="29.02.1960", group="5924,5922")
    assert contact.birthday_date is not None
    assert contact.birthday_date.isoformat() == "1960-02-29"
    assert contact.group_ids == (5924, 5922)
    assert Contact(phone="7").birthday_date is None
    with pytest.raises(ValueError, match="day is out of range for month"):
        _ = Contact(phone="7", birthday="30.02.1960").birthday_date
