"""fmt 3: the server's JSON layout, numbers quoted or not, bare OK."""

import pytest

import fmtcodec
from fmtcodec import BlacklistEntry, BlacklistType, Contact, Created, DecodeError, Error, Group, Ok


def test_group_list_layout_matches_the_real_server():
    # Body of a real 2013 reply (facts §3.5), byte for byte.
    real = (
        b'[{\n"id": 5924,\n"name": "My group new name"\n},\n{\n"id": 5922,\n"name": "New group"\n},\n'
        b'{\n"id": 5921,\n"name": "New group",\n"number": 1234\n}]'
    )
    groups = fmtcodec.decode(real, list[Group])
    assert groups == [
        Group(id=5924, name="My group new name"),
        Group(id=5922, name="New group"),
        Group(id=5921, name="New group", number=1234),
    ]
    assert fmtcodec.encode(groups, fmt=3) == real


def test_cnt_is_quoted_as_the_seed_shows_it():
    assert fmtcodec.encode([Group(id=1, name="g", number=2, cnt=3)], fmt=3) == (
        b'[{\n"id": 1,\n"name": "g",\n"number": 2,\n"cnt": "3"\n}]'
    )


@pytest.mark.parametrize(
    "payload",
    [
        b'[{"id": "5924", "name": "x", "number": "12", "cnt": 3}]',
        b'[{"id": 5924, "name": "x", "number": 12, "cnt": "3"}]',
        b'[\n  {\n    "id": 5924,\n    "name": "x",\n    "number": 12,\n    "cnt": "3"\n  }\n]',
    ],
)
def test_numbers_quoted_or_not(payload):
    assert fmtcodec.decode(payload, list[Group], fmt=3) == [Group(id=5924, name="x", number=12, cnt=3)]


def test_bare_numbers_in_text_fields_keep_their_digits():
    payload = b'[{"phone": 79221113340, "group": 5, "id": 4321, "name": null}]'
    assert fmtcodec.decode(payload, list[Contact]) == [Contact(phone="79221113340", group="5", id="4321")]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b'"5.0"', "expected an integer for `id`, got '5.0'"),
        (b'"1e3"', "expected an integer for `id`, got '1e3'"),
        (b'" 5"', "expected an integer for `id`, got ' 5'"),
        (b'"05"', "expected an integer for `id`, got '05'"),
        (b"-5", "expected an integer for `id`, got '-5'"),
        (b"5.0", "expected a string or an integer, got 5.0"),
        (b"true", "expected a string or an integer, got True"),
    ],
)
def test_numbers_are_never_bent(value, reason):
    payload = b'[{"id": 1, "name": "a"}, {"name": "b", "id": ' + value + b"}]"
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, list[Group])
    assert (caught.value.reason, caught.value.path, caught.value.pos) == (reason, "$[1].id", 45)


def test_unknown_key_is_not_dropped():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b'[{"id": 1, "name": "a", "colour": "red"}]', list[Group])
    assert str(caught.value) == (
        "fmt 3: unknown field 'colour' - at $[0].colour, byte 34 (line 1, column 35), near '\"red\"}]'"
    )


def test_missing_required_field():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b'[{"phone": "7"}, {"name": "x"}]', list[Contact])
    assert (caught.value.reason, caught.value.path, caught.value.pos) == (
        "required field `phone` is missing",
        "$[1].phone",
        17,
    )


def test_malformed_json_position_counts_bytes_of_the_payload():
    payload = '[{"name": "Пётр" "id": 1}]'.encode()
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, list[Group], fmt=3)
    assert caught.value.reason == "JSON is malformed: expected ',' or '}'"
    assert (caught.value.pos, caught.value.column) == (21, 18)
    assert payload[caught.value.pos :] == b'"id": 1}]'


def test_blacklist_type_is_an_enum():
    entries = fmtcodec.decode(b'[{"id": 1, "phone": "7", "type": 2, "comment": ""}]', list[BlacklistEntry])
    assert entries[0].type is BlacklistType.SINGLE
    with pytest.raises(DecodeError, match=r"blacklist type must be 0, 1 or 2, got '7' - at \$\[0\]\.type"):
        fmtcodec.decode(b'[{"id": 1, "phone": "7", "type": 7}]', list[BlacklistEntry])


def test_ok_forms():
    assert fmtcodec.decode(b"OK", Ok, fmt=3) == Ok()
    assert fmtcodec.decode(b'{"result": "OK"}', Ok, fmt=3) == Ok()
    assert fmtcodec.encode(Ok(), fmt=3) == b'{\n"result": "OK"\n}'
    with pytest.raises(DecodeError, match=r"expected OK or \{\"result\": \"OK\"\}"):
        fmtcodec.decode(b'{"result": "FAIL"}', Ok, fmt=3)


def test_created_and_error():
    assert fmtcodec.decode(b'{\n"id": 5113988\n}', Created) == Created(id=5113988)
    assert fmtcodec.decode(b'{"id": "5113988"}', Created) == Created(id=5113988)
    assert fmtcodec.encode(Created(id=5, element="group"), fmt=3) == b'{\n"id": 5\n}'
    error = b'{\n"error": "record not found",\n"error_code": 3\n}'
    assert fmtcodec.decode(error, Error) == Error(error_code=3, error="record not found")
    assert fmtcodec.encode(Error(error_code=3, error="record not found"), fmt=3) == error


def test_strings_are_escaped_as_json():
    contact = Contact(phone="7", name='say "hi"\\', comments="tab\tnew\nline \U0001f600")
    payload = fmtcodec.encode([contact], fmt=3)
    assert b'"name": "say \\"hi\\"\\\\",\n' in payload
    assert fmtcodec.decode(payload, list[Contact]) == [contact]


def test_hostile_json_is_a_decode_error():
    with pytest.raises(DecodeError, match="JSON nests deeper than a reply can"):
        fmtcodec.decode(b"[" * 100_000 + b"]" * 100_000, list[Group], fmt=3)
    with pytest.raises(DecodeError, match="character U\\+D800 is a lone surrogate - byte 20"):
        fmtcodec.decode('[{"id": 1, "name": "\ud800"}]', list[Group], fmt=3)


# -- passes over the payload (issue 18): counted, not timed -------------------------------------

SEED_CONTACTS = (
    b'[{\n"phone": "79161234567",\n"name": "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd",\n"group": 5922\n},\n'
    b'{\n"phone": "79161234568",\n"group": ""\n}]'
)


def test_seed_layout_read_without_making_text_of_the_payload():
    """A bare number in a text field (the seed's ``"group": 5922``) stops the typed decoder; the
    lenient one reads the same bytes.  No path in between decodes the whole payload to a str only
    to learn that its charset is UTF-8 (it did, in the typed decoder's error handler)."""
    from fmtcodec import json as fmt_json
    from fmtcodec.charset import Source
    from fmtcodec.layout import LAYOUTS

    src = Source.from_payload(SEED_CONTACTS, None, 3)
    records = fmt_json.decode_records(src, LAYOUTS["contact"])
    assert records == [Contact(phone="79161234567", name="Иван", group="5922"), Contact(phone="79161234568")]
    assert src._text is None


@pytest.mark.parametrize(("payload", "kind"), [
    ('[{\n"phone": "7",\n"name": "Иван",\n"group": 5922\n}]', Contact),  # the lenient path after the typed one
    ('[{\n"id": 1,\n"name": "Группа",\n"cnt": "7"\n}]', Group),  # the lax path after the typed one
])
def test_windows_1251_transcoded_once(monkeypatch, payload, kind):
    """Every path after the first reads the UTF-8 bytes the first one made."""
    from fmtcodec import json as fmt_json
    from fmtcodec.charset import Source

    made = []
    utf8 = Source.utf8
    transcoded = fmt_json._transcoded

    def counted(self):
        made.append(self)
        return utf8(self)

    def counted_transcoded(src):  # the compiled core's transcoding, where it is built
        found = transcoded(src)
        if found is not None:
            made.append(src)
        return found

    expected = fmtcodec.decode(payload.encode("utf-8"), list[kind], fmt=3)
    monkeypatch.setattr(Source, "utf8", counted)
    monkeypatch.setattr(fmt_json, "_transcoded", counted_transcoded)
    assert fmtcodec.decode(payload.encode("cp1251"), list[kind], fmt=3, charset="cp1251") == expected
    assert len(made) == 1
