"""fmt 1: unescaped comma-separated rows placed by what each field must look like."""


import pytest
from hypothesis import given
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import (
    AmbiguousRecordError,
    BlacklistEntry,
    BlacklistType,
    Contact,
    DecodeError,
    EncodeError,
    Error,
    Group,
    MailContact,
)


def test_real_contact_with_two_other_phones():
    # The 2013 capture's contact: "+7911…,+7911…" at the end is two other phones, not a tag and a
    # phone -- a phone list takes every phone-like token next to it.
    row = "79221113340,Anderson,5922,T,A,A,01.01.1960,4321,fake,ups,+79112223351,+79112223352"
    (contact,) = fmtcodec.decode(row.encode(), list[Contact], fmt=1)
    assert contact.tags == "ups"
    assert contact.phone_other == "+79112223351,+79112223352"
    assert fmtcodec.encode([contact], fmt=1) == row.encode()


def test_long_phone_lists_are_preferred_however_many_placements_there_are():
    # 11 other phones after a free-text tag: hundreds of placements, one of them best (rule 3).
    others = ",".join(f"+791122233{n:02d}" for n in range(11))
    contact = Contact(phone="79221113340", name="A", group="5922", tags="ups", phone_other=others)
    payload = fmtcodec.encode([contact], fmt=1)
    assert payload == f"79221113340,A,5922,,,,,,,ups,{others}".encode()
    assert fmtcodec.decode(payload, list[Contact], fmt=1) == [contact]


def test_several_phones_and_a_comma_in_the_name():
    contact = Contact(phone="79221113340, 79221113341", name="Иванов, Пётр", group="5922")
    payload = fmtcodec.encode([contact], fmt=1)
    assert payload == "79221113340, 79221113341,Иванов, Пётр,5922,,,,,,,,".encode()
    assert fmtcodec.decode(payload, list[Contact], fmt=1) == [contact]


def test_group_and_blacklist_rows_split_whatever_the_text_holds():
    groups = [Group(id=1, name="a, b, 3, 4", number=5, cnt=6), Group(id=2, name=",,")]
    entries = [BlacklistEntry(id=7, phone="79221113340", type=BlacklistType.SINGLE, comment="1,2, spam")]
    assert fmtcodec.encode(groups, fmt=1) == b"1,a, b, 3, 4,5,6\n2,,,,,"
    assert fmtcodec.decode(fmtcodec.encode(groups, fmt=1), list[Group], fmt=1) == groups
    assert fmtcodec.encode(entries, fmt=1) == b"7,79221113340,2,1,2, spam"
    assert fmtcodec.decode(b"7,79221113340,2,1,2, spam", list[BlacklistEntry], fmt=1) == entries


def test_ambiguous_row_lists_the_candidates():
    row = "79221113340,Иванов,5922,T,A, B,A,01.01.1960,4321,fake,ups,"
    with pytest.raises(AmbiguousRecordError) as caught:
        fmtcodec.decode(row.encode(), list[Contact], fmt=1)
    error = caught.value
    assert (error.fmt, error.pos, error.line, error.column, error.path) == (1, 0, 1, 1, "$[0]")
    assert [candidate[3:6] for candidate in error.candidates] == [
        ("T", "A", " B,A"),
        ("T", "A, B", "A"),
        ("T,A", " B", "A"),
    ]
    assert str(error).startswith(
        "fmt 1: the row splits into the 11 fields of a contact in 3 equally good ways: ('79221113340', 'Иванов',"
    )
    assert isinstance(error, DecodeError)


def test_unsplittable_row():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"5,x,,\n6,y,1", list[Group], fmt=1)
    assert str(caught.value) == (
        "fmt 1: the row does not split into the 4 fields of a group (id, name, number, cnt)"
        " - at $[1], byte 6 (line 2, column 1), near '6,y,1'"
    )


def test_bad_blacklist_type_points_at_the_value():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"7,79221113340,3,x", list[BlacklistEntry], fmt=1)
    assert (caught.value.pos, caught.value.path) == (14, "$[0].type")
    assert caught.value.reason == "blacklist type must be 0, 1 or 2, got '3'"


def test_encoder_refuses_exactly_what_would_not_split_back():
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode([Contact(phone="7", first_name="Анна, Мария")], fmt=1)
    assert str(caught.value) == (
        "fmt 1 cannot carry the value at $[0]: the row would split in 6 ways, e.g."
        " ('7', '', '', 'Анна', ' Мария', '', '', '', '', ',', '') and"
        " ('7', '', '', 'Анна', ' Мария', '', '', '', ',', '', '')"
    )
    with pytest.raises(EncodeError, match=r"`birthday` '1\.1\.1960' does not look like a date value"):
        fmtcodec.encode([Contact(phone="7", birthday="1.1.1960")], fmt=1)
    with pytest.raises(EncodeError, match=r"`phone` 'none' does not look like a phones value"):
        fmtcodec.encode([Contact(phone="none")], fmt=1)


def test_error_reply_has_no_description():
    assert fmtcodec.encode(Error(error_code=3), fmt=1) == b"0,-3"
    assert fmtcodec.decode(b"0,-3", Error, fmt=1) == Error(error_code=3, error="")
    with pytest.raises(EncodeError, match="carry no description"):
        fmtcodec.encode(Error(error_code=3, error="record not found"), fmt=1)


def test_mail_contacts_use_email_tokens():
    contact = MailContact(mail="a@b.ru,c@d.ru", name="Ivan, Jr", mail_other="x@y.z")
    payload = fmtcodec.encode([contact], fmt=1)
    assert payload == b"a@b.ru,c@d.ru,Ivan, Jr,,,,,,,,,x@y.z"
    assert fmtcodec.decode(payload, list[MailContact], fmt=1) == [contact]


def test_thousands_of_commas_stay_linear():
    # The split is O(fields x tokens): its time is measured in benches/test_hostile.py, and the
    # growth with the row's size in tests/test_robustness.py (fmt1-row-of-many-commas); here the
    # result alone.
    row = "79221113340,Anderson,5922,T,A,A,01.01.1960,4321," + "x," * 9_000 + "ups,"
    with pytest.raises(AmbiguousRecordError) as caught:
        fmtcodec.decode(row.encode(), list[Contact], fmt=1)
    assert len(caught.value.candidates) == 5


def test_rows_of_more_pieces_than_any_record_has_are_refused():
    row = b"7" + b"," * 10_000
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(row, list[Contact], fmt=1)
    assert caught.value.reason == "the row has 10001 comma-separated pieces; at most 10000 are placed"
    assert fmtcodec.decode(b"1," + b"," * 9_996 + b",5,6", list[Group], fmt=1)[0].number == 5
    with pytest.raises(EncodeError, match="the row has 10004 comma-separated pieces"):
        fmtcodec.encode([Group(id=1, name="," * 10_000)], fmt=1)


@given(
    st.lists(
        st.sampled_from(["", "x", "7", "+7 (9)", "a@b", " a@b ", "01.01.1960", "12", "x y", ";", "@", "a@b@c", "-", "0"]),
        min_size=1,
        max_size=300,
    )
)
def test_a_long_row_is_classified_as_token_by_token(tokens):
    from fmtcodec.layout import LAYOUTS
    from fmtcodec.values import _Splitter

    for layout in LAYOUTS.values():
        if layout.page != "contacts":
            continue
        splitter = _Splitter(layout)
        assert splitter.shape(tokens, ",".join(tokens)) == tuple(map(splitter.kind, tokens))
