"""fmt 0: ``key = value`` rows split on the next field's marker."""

import pytest

import fmtcodec
from fmtcodec import Contact, DecodeError, EncodeError, Error, Group

ANDERSON = Contact(
    phone="79221113340",
    name="Anderson",
    group="5922",
    first_name="T",
    last_name="A",
    middle_name="A",
    birthday="01.01.1960",
    id="4321",
    comments="fake",
    tags="ups",
    phone_other="+79112223351,+79112223352",
)
ANDERSON_ROW = (
    b"phone = 79221113340, name = Anderson, group = 5922, first_name = T, last_name = A,"
    b" middle_name = A, birthday = 01.01.1960, id = 4321, comments = fake, tags = ups,"
    b" phone_other = +79112223351,+79112223352"
)


def test_contact_row_is_the_seed_layout():
    assert fmtcodec.encode([ANDERSON], fmt=0) == ANDERSON_ROW
    assert fmtcodec.decode(ANDERSON_ROW, list[Contact], fmt=0) == [ANDERSON]


def test_commas_and_equals_inside_values_survive():
    tricky = Contact(
        phone="79221113340",
        name="Иванов, Пётр",
        comments="a = b, c = d, name = x",
        tags="x,y, z",
    )
    payload = fmtcodec.encode([tricky], fmt=0)
    assert payload.decode().startswith("phone = 79221113340, name = Иванов, Пётр, group = , first_name = ,")
    assert fmtcodec.decode(payload, list[Contact], fmt=0) == [tricky]


def test_value_holding_the_next_marker_is_refused():
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode([Contact(phone="7", name="x, group = 5")], fmt=0)
    assert str(caught.value) == (
        "fmt 0 cannot carry the value at $[0].name: the value holds ', group = ', the marker of the next field"
    )


def test_marker_of_another_field_is_fine():
    odd = Contact(phone="7", name="x, tags = 5, phone_other = 6")
    assert fmtcodec.decode(fmtcodec.encode([odd], fmt=0), list[Contact], fmt=0) == [odd]


@pytest.mark.parametrize("value", ["two\nlines", "carriage\rreturn"])
def test_line_breaks_are_refused(value):
    with pytest.raises(EncodeError, match=r"at \$\[0\]\.comments: a line break cannot be carried"):
        fmtcodec.encode([Contact(phone="7", comments=value)], fmt=0)


def test_group_rows_with_absent_numbers():
    groups = [Group(id=5924, name="My group"), Group(id=5921, name="New, group", number=1234, cnt=7)]
    payload = fmtcodec.encode(groups, fmt=0)
    assert payload == (
        b"id = 5924, name = My group, number = , cnt = \n"
        b"id = 5921, name = New, group, number = 1234, cnt = 7"
    )
    assert fmtcodec.decode(payload, list[Group], fmt=0) == groups


def test_crlf_and_trimmed_trailing_space_are_accepted():
    payload = b"id = 1, name = a, number = 2, cnt = \r\nid = 3, name = b, number = , cnt =\r\n"
    assert fmtcodec.decode(payload, list[Group], fmt=0) == [
        Group(id=1, name="a", number=2),
        Group(id=3, name="b"),
    ]


def test_missing_marker_points_at_the_value_before_it():
    payload = "id = 5, name = x, number = , cnt = \nid = 6, name = Пётр, numbr = 1, cnt = 2".encode()
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, list[Group], fmt=0)
    error = caught.value
    assert (error.fmt, error.pos, error.line, error.column, error.path) == (0, 51, 2, 16, "$[1].name")
    assert payload[error.pos :].startswith("Пётр".encode())
    assert str(error) == (
        "fmt 0: expected ', number = ' after `name` - at $[1].name, byte 51 (line 2, column 16),"
        " near 'Пётр, numbr = 1, cnt = 2'"
    )


def test_bad_integer_names_the_field():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"id = 5, name = x, number = 1.0, cnt = ", list[Group], fmt=0)
    assert caught.value.path == "$[0].number"
    assert caught.value.pos == 27
    assert caught.value.reason == "expected an integer for `number`, got '1.0'"


def test_row_must_start_with_the_first_key():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"name = x, id = 5", list[Group], fmt=0)
    assert caught.value.reason == "expected 'id = ' at the start of a group record"
    assert (caught.value.pos, caught.value.path) == (0, "$[0]")


def test_error_reply_description_runs_to_the_last_parenthesis():
    payload = "ERROR = 5 (ошибка (внутренняя))".encode()
    assert fmtcodec.decode(payload, Error, fmt=0) == Error(error_code=5, error="ошибка (внутренняя)")
    assert fmtcodec.encode(Error(error_code=5, error="ошибка (внутренняя)"), fmt=0) == payload


def test_malformed_error_reply():
    with pytest.raises(DecodeError, match=r"malformed error reply, expected 'ERROR = N \(description\)'"):
        fmtcodec.decode(b"ERROR = x", list[Contact], fmt=0)


def test_integers_longer_than_python_reads_are_decode_errors():
    digits = b"1" * 5000
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"id = " + digits + b", name = , number = , cnt = ", list[Group], fmt=0)
    assert (caught.value.reason, caught.value.path, caught.value.pos) == (
        "`id` has 5000 digits; at most 4300 are read",
        "$[0].id",
        5,
    )
    with pytest.raises(DecodeError, match=r"at most 4300 are read - at \$\.id, byte 5"):
        fmtcodec.decode(b"ID = " + digits, fmtcodec.Created, fmt=0)
