"""iter_decode: the same records and the same errors as decode, however the stream is cut."""

import io

import pytest

import fmtcodec
from fmtcodec import ApiError, BlacklistEntry, BlacklistType, Contact, DecodeError, Group
from fmtcodec.api import CODECS

CONTACTS = [
    Contact(phone="79221113340", name="Иванов Пётр", group="5922", comments="a}b </contact> ]"),
    Contact(phone="+7 (922) 111-33-40", name="Anna", birthday="01.01.1960", tags="x"),
    Contact(phone="79221113341", name="Ёлка", phone_other="+79112223351,+79112223352"),
]
GROUPS = [Group(id=1, name="a, b"), Group(id=2, name="Группа", number=3, cnt=4), Group(id=3, name="}")]


def _split_everywhere(payload):
    yield [payload]
    yield [payload[i : i + 1] for i in range(len(payload))]
    for cut in range(1, len(payload)):
        yield [payload[:cut], payload[cut:]]


@pytest.mark.parametrize("fmt", sorted(CODECS))
@pytest.mark.parametrize(("records", "kind"), [(CONTACTS, Contact), (GROUPS, Group)], ids=["contacts", "groups"])
def test_every_cut_gives_the_same_records(fmt, records, kind):
    payload = fmtcodec.encode(records, fmt=fmt)
    for chunks in _split_everywhere(payload):
        assert list(fmtcodec.iter_decode(chunks, list[kind], fmt=fmt)) == records


@pytest.mark.parametrize("fmt", sorted(CODECS))
def test_files_and_charsets(fmt):
    payload = fmtcodec.encode(GROUPS, fmt=fmt, charset="windows-1251")
    assert list(fmtcodec.iter_decode(io.BytesIO(payload), list[Group], fmt=fmt, chunk_size=5)) == GROUPS
    koi8 = fmtcodec.encode(GROUPS, fmt=fmt, charset="koi8-r")
    assert list(fmtcodec.iter_decode(io.BytesIO(koi8), list[Group], fmt=fmt, charset="koi8-r")) == GROUPS


@pytest.mark.parametrize("fmt", sorted(CODECS))
def test_empty_lists(fmt):
    payload = fmtcodec.encode([], fmt=fmt)
    assert list(fmtcodec.iter_decode([payload], list[Group], fmt=fmt)) == []


def _broken(fmt):
    """Three blacklist entries, the third with type 7: an error deep in the stream."""
    entries = [BlacklistEntry(id=n, phone=f"7922111334{n}", type=BlacklistType.ALL, comment="ок") for n in range(3)]
    payload = fmtcodec.encode(entries, fmt=fmt)
    marker = {0: b"type = 0, comment = \xd0\xbe\xd0\xba", 1: b"0,\xd0\xbe\xd0\xba", 2: b"<type>0</type>", 3: b'"type": 0'}[fmt]
    last = payload.rfind(marker)
    return payload[:last] + marker.replace(b"0", b"7", 1) + payload[last + len(marker) :]


@pytest.mark.parametrize("fmt", sorted(CODECS))
def test_errors_carry_absolute_positions(fmt):
    payload = _broken(fmt)
    with pytest.raises(DecodeError) as whole:
        fmtcodec.decode(payload, list[BlacklistEntry], fmt=fmt)
    assert whole.value.path == "$[2].type"
    for chunks in _split_everywhere(payload):
        with pytest.raises(DecodeError) as streamed:
            list(fmtcodec.iter_decode(chunks, list[BlacklistEntry], fmt=fmt))
        assert str(streamed.value) == str(whole.value)


@pytest.mark.parametrize(
    ("payload", "fmt"),
    [
        (b"ERROR = 3 (record not found)", 0),
        (b"0,-3", 1),
        (b"<result>\n<error>record not found</error>\n<error_code>3</error_code>\n</result>", 2),
        (b'{\n"error": "record not found",\n"error_code": 3\n}', 3),
    ],
)
def test_error_replies(payload, fmt):
    for chunks in _split_everywhere(payload):
        with pytest.raises(ApiError) as caught:
            list(fmtcodec.iter_decode(chunks, list[Contact], fmt=fmt))
        assert caught.value.code == 3


def test_a_cut_inside_cdata_is_retried():
    payload = (
        b"<list><contact><phone>1</phone><comments><![CDATA[</contact> x]]></comments></contact>"
        b"<contact><phone>2</phone></contact></list>"
    )
    expected = [Contact(phone="1", comments="</contact> x"), Contact(phone="2")]
    for chunks in _split_everywhere(payload):
        assert list(fmtcodec.iter_decode(chunks, list[Contact], fmt=2)) == expected


def test_hostile_xml_is_refused_in_a_stream_too():
    payload = b'<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaa">]>\n<list>&a;</list>'
    with pytest.raises(DecodeError, match="document type declarations are refused"):
        list(fmtcodec.iter_decode([payload], list[Group], fmt=2))


def test_malformed_json_tail_is_reported_at_its_place():
    payload = fmtcodec.encode(GROUPS, fmt=3)[:-1] + b",]"
    with pytest.raises(DecodeError) as whole:
        fmtcodec.decode(payload, list[Group], fmt=3)
    with pytest.raises(DecodeError) as streamed:
        list(fmtcodec.iter_decode(io.BytesIO(payload), list[Group], fmt=3, chunk_size=3))
    assert (streamed.value.pos, streamed.value.line) == (whole.value.pos, whole.value.line)


def test_a_cut_inside_a_json_string_is_retried():
    chunks = [b"[", b'{"id": 1, "name": "}', b'"}, {"id": 2}]']
    assert list(fmtcodec.iter_decode(chunks, list[Group], fmt=3)) == [Group(id=1, name="}"), Group(id=2)]


@pytest.mark.parametrize(
    ("payload", "fmt"),
    [(b'[{"id": 1}, {"id": 2}', 3), (b"<list><group><id>1</id></group>", 2)],
    ids=["json", "xml"],
)
def test_a_truncated_reply_is_an_error_not_a_shorter_list(payload, fmt):
    with pytest.raises(DecodeError) as whole:
        fmtcodec.decode(payload, list[Group], fmt=fmt)
    for chunks in _split_everywhere(payload):
        with pytest.raises(DecodeError) as streamed:
            list(fmtcodec.iter_decode(chunks, list[Group], fmt=fmt))
        assert str(streamed.value) == str(whole.value)
    assert whole.value.pos == len(payload)


@pytest.mark.parametrize(
    "payload",
    [
        b'[{"id": 1}{"id": 2}]',
        b'[{"id": 1}, {"id": 2} {"id": 3}]',
        b'[{"id": 1}, {"id": 2},]',
        b'[{"id": 1} x, {"id": 2}]',
        b'[{"id":1}.5]',
        b'[{"id":1}e5]',
    ],
    ids=["no-comma", "no-comma-later", "trailing-comma", "stray-text", "number-tail", "exponent-tail"],
)
def test_what_stands_between_json_records_is_judged_as_decode_judges_it(payload):
    with pytest.raises(DecodeError) as whole:
        fmtcodec.decode(payload, list[Group], fmt=3)
    for chunks in _split_everywhere(payload):
        with pytest.raises(DecodeError) as streamed:
            list(fmtcodec.iter_decode(chunks, list[Group], fmt=3))
        assert str(streamed.value) == str(whole.value)


def test_an_undecodable_byte_deep_in_the_stream_is_where_decode_puts_it():
    lines = fmtcodec.encode([Contact(phone="7922111334" + str(n), name="ab") for n in range(3)], fmt=0)
    payload = lines + b"\nphone = 7, name = \x98"
    with pytest.raises(DecodeError) as whole:
        fmtcodec.decode(payload, list[Contact], fmt=0)
    assert (whole.value.line, whole.value.pos) == (4, len(payload) - 1)
    for chunks in _split_everywhere(payload):
        with pytest.raises(DecodeError) as streamed:
            list(fmtcodec.iter_decode(chunks, list[Contact], fmt=0))
        assert str(streamed.value) == str(whole.value)


def test_arguments_are_checked():
    with pytest.raises(TypeError, match="one payload: decode"):
        list(fmtcodec.iter_decode(b"OK", list[Group], fmt=0))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="chunk_size must be at least 1, got 0"):
        list(fmtcodec.iter_decode(io.BytesIO(b""), list[Group], fmt=0, chunk_size=0))
    with pytest.raises(TypeError, match="iter_decode reads bytes, got a chunk of str"):
        list(fmtcodec.iter_decode(["id = 1"], list[Group], fmt=0))  # type: ignore[list-item]


@pytest.mark.parametrize("fmt", sorted(CODECS))
def test_the_fmt_is_detected_when_not_given(fmt):
    payload = fmtcodec.encode(GROUPS, fmt=fmt)
    for chunks in _split_everywhere(payload):
        assert list(fmtcodec.iter_decode(chunks, list[Group])) == GROUPS


def test_only_list_types_stream():
    with pytest.raises(TypeError, match="iter_decode decodes list replies"):
        list(fmtcodec.iter_decode([b"OK"], fmtcodec.Ok, fmt=0))  # type: ignore[arg-type]


@pytest.mark.parametrize("pure", [False, True], ids=["as-installed", "pure"])
def test_fmt1_stream_places_each_row_shape_once(monkeypatch, pure):
    """A stream is one reply: a row shape placed in one batch is not placed again in the next
    (forgetting the shapes after every batch made streaming fmt 1 5x a whole decode, issue 18);
    once the stream ends, nothing of it is kept."""
    from fmtcodec import _core, values
    from fmtcodec.layout import LAYOUTS

    if pure:
        monkeypatch.setattr(_core, "CORE", None)
    rows = [
        Contact(phone=f"7916{n:07}, 7916{n + 1:07}" if n % 2 else f"7916{n:07}", name=f"Иванов, {n}")
        for n in range(120)
    ]
    payload = fmtcodec.encode(rows, fmt=1)
    placed = []
    place = values._Splitter._place

    def counted(self, tokens, runs):
        placed.append(tuple(map(bool, tokens)))
        return place(self, tokens, runs)

    monkeypatch.setattr(values._Splitter, "_place", counted)
    assert fmtcodec.decode(payload, list[Contact], fmt=1) == rows
    whole = len(placed)
    assert whole == 2  # two row shapes: one phone, or two
    placed.clear()
    chunks = [payload[at : at + 300] for at in range(0, len(payload), 300)]
    assert list(fmtcodec.iter_decode(iter(chunks), list[Contact], fmt=1)) == rows
    assert len(placed) == whole
    splitter = values._splitter(LAYOUTS["contact"])
    assert not splitter._shapes
    assert not splitter.kind.cache_info().currsize
