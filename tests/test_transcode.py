"""fmt 3 in a single-byte charset transcoded to UTF-8 by the compiled core (issue 18).

msgspec reads UTF-8 only, so a windows-1251 or koi8-r reply is handed to it as UTF-8.  The compiled
core's ``transcode_to_utf8`` writes those bytes in one pass from a table built from Python's own
codec (``fmtcodec.json._transcoding_table``), so the mapping is the stdlib's; a byte the charset
leaves undefined declines, and the text's decode raises the usual error.  Records and errors must
be exactly those of the pure path.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import Contact, DecodeError, Group, _core
from fmtcodec import json as fmt_json
from fmtcodec.charset import Source
from fmtcodec.errors import FmtcodecError

needs_core = pytest.mark.skipif(not fmtcodec.COMPILED, reason="the compiled core is not built here")

SINGLE_BYTE = ["cp1251", "koi8-r"]


def _transcode(data: Any, charset: str) -> Any:
    core = _core.CORE
    assert core is not None
    return core.transcode_to_utf8(data, fmt_json._transcoding_table(charset))


def _outcome(run: Any) -> tuple[Any, ...]:
    try:
        return ("records", run())
    except FmtcodecError as exc:
        where = (exc.pos, exc.line, exc.column, exc.path) if isinstance(exc, DecodeError) else None
        return ("error", f"{type(exc).__name__}: {exc}", where)


def _both(payload: bytes, kind: type, charset: str | None) -> tuple[Any, Any]:
    def run() -> Any:
        return fmtcodec.decode(payload, list[kind], fmt=3, charset=charset)  # type: ignore[valid-type]

    used = _outcome(run)
    with _core.pure():
        pure = _outcome(run)
    return used, pure


# --- the table ---------------------------------------------------------------------------------


@pytest.mark.parametrize("charset", SINGLE_BYTE)
def test_table_is_the_codecs_own(charset):
    table = fmt_json._transcoding_table(charset)
    assert table is not None
    assert len(table) == 1024
    for byte in range(256):
        width, form = table[4 * byte], table[4 * byte + 1 : 4 * byte + 1 + table[4 * byte]]
        try:
            expected = bytes((byte,)).decode(charset).encode("utf-8")
        except UnicodeDecodeError:
            assert (width, table[4 * byte : 4 * byte + 4]) == (0, bytes(4))
            continue
        assert form == expected
        assert table[4 * byte + 1 + width : 4 * byte + 4] == bytes(3 - width)


def test_table_marks_windows_1251_undefined_byte_only():
    table = fmt_json._transcoding_table("cp1251")
    assert table is not None
    assert [byte for byte in range(256) if table[4 * byte] == 0] == [0x98]
    koi8 = fmt_json._transcoding_table("koi8-r")
    assert koi8 is not None
    assert [byte for byte in range(256) if koi8[4 * byte] == 0] == []


# --- the transcoder ----------------------------------------------------------------------------


@needs_core
@pytest.mark.parametrize("charset", SINGLE_BYTE)
def test_every_defined_byte_as_the_codec_writes_it(charset):
    for byte in range(256):
        data = bytes((byte,))
        try:
            expected = data.decode(charset).encode("utf-8")
        except UnicodeDecodeError:
            assert _transcode(data, charset) is None
            continue
        assert _transcode(data, charset) == expected
    whole = bytes(byte for byte in range(256) if not (charset == "cp1251" and byte == 0x98))
    assert _transcode(whole, charset) == whole.decode(charset).encode("utf-8")


@needs_core
@settings(deadline=None)
@given(data=st.binary(max_size=300), charset=st.sampled_from(SINGLE_BYTE))
def test_random_payloads_as_the_codec_writes_them(data, charset):
    try:
        expected = data.decode(charset).encode("utf-8")
    except UnicodeDecodeError:
        expected = None
    assert _transcode(data, charset) == expected


@needs_core
@settings(deadline=None)
@given(
    pieces=st.lists(
        st.sampled_from(
            [
                b"a",
                b"0123456",
                b"01234567",
                b'{"phone": "7911",\n',
                b"x" * 17,
                b"\x00\x7f",
                b"\x80",
                b"\x98",
                b"\xc0\xff",
                b"\xa8",
            ]
        ),
        max_size=40,
    ),
    charset=st.sampled_from(SINGLE_BYTE),
)
def test_ascii_runs_and_letters_as_the_codec_writes_them(pieces, charset):
    data = b"".join(pieces)
    try:
        expected = data.decode(charset).encode("utf-8")
    except UnicodeDecodeError:
        expected = None
    assert _transcode(data, charset) == expected


@needs_core
@settings(deadline=None)
@given(data=st.binary(max_size=64))
def test_a_table_that_rewrites_ascii_is_followed_byte_by_byte(data):
    core = _core.CORE
    assert core is not None
    table = bytearray(fmt_json._transcoding_table("koi8-r") or b"")
    table[4 * ord("a") : 4 * ord("a") + 4] = b"\x02\xd0\x90\x00"  # "a" written as U+0410
    expected = data.decode("koi8-r").replace("a", "\u0410").encode("utf-8")
    assert core.transcode_to_utf8(data * 3, bytes(table)) == expected * 3


@needs_core
@pytest.mark.parametrize(
    "data", [b"\x98", b"abc\x98", b"\x98abc", "Анна".encode("cp1251") + b"\x98" + b"x" * 100]
)
def test_undefined_byte_declines(data):
    assert _transcode(data, "cp1251") is None


@needs_core
def test_empty_payload():
    assert _transcode(b"", "cp1251") == b""
    assert type(_transcode(b"", "koi8-r")) is bytes


@needs_core
@pytest.mark.parametrize(
    "data", [None, "abc", bytearray(b"abc"), memoryview(b"abc"), 5, type("Sub", (bytes,), {})(b"abc")]
)
def test_a_payload_not_bytes_declines(data):
    assert _transcode(data, "cp1251") is None


@needs_core
@pytest.mark.parametrize(
    "table",
    [
        None,
        "x" * 1024,
        bytearray(1024),
        b"",
        bytes(1023),
        bytes(1025),
        b"\x04abc" * 256,
        b"\xff\x00\x00\x00" * 256,
    ],
)
def test_a_table_of_another_shape_declines(table):
    core = _core.CORE
    assert core is not None
    assert core.transcode_to_utf8(b"abc", table) is None


@needs_core
def test_an_all_undefined_table_declines_anything_but_nothing():
    core = _core.CORE
    assert core is not None
    assert core.transcode_to_utf8(b"a", bytes(1024)) is None
    assert core.transcode_to_utf8(b"", bytes(1024)) == b""


def test_utf8_is_not_a_single_byte_charset():
    src = Source.from_payload(b'[{"phone": "\xd0\x90"}]', "utf-8", 3)
    assert fmt_json._transcoded(src) is None


# --- fmt 3 replies, compiled vs pure ----------------------------------------------------------

CONTACTS = [
    Contact(phone="79110000001", name="Анна", group="5922", comments='ёжик "в тумане" 5°\u00a0'),
    Contact(phone="79110000002", name="Ёж", tags="vip,друзья"),
]
GROUPS = [Group(id=5, name="Друзья", number=None, cnt=12), Group(id=6, name="Семья", number=1, cnt=None)]


@needs_core
@pytest.mark.parametrize("charset", SINGLE_BYTE)
@pytest.mark.parametrize(
    ("records", "kind"), [(CONTACTS, Contact), (GROUPS, Group)], ids=["contacts", "groups"]
)
def test_replies_give_the_records_without_the_text(charset, records, kind):
    payload = fmtcodec.encode(records, fmt=3, charset=charset)
    with mock.patch.object(Source, "_decode", side_effect=AssertionError("the text was made")):
        decoded = fmtcodec.decode(payload, list[kind], fmt=3, charset=charset)
    assert decoded == records
    used, pure = _both(payload, kind, charset)
    assert used == pure == ("records", records)


def _contacts_reply(charset: str) -> bytes:
    return fmtcodec.encode(CONTACTS, fmt=3, charset=charset)


@needs_core
def test_undefined_byte_gives_the_usual_error():
    payload = _contacts_reply("cp1251").replace(
        b"\xc0\xed\xed\xe0", b"\xc0\x98\xed\xe0"
    )  # the name, its second letter undefined
    used, pure = _both(payload, Contact, "cp1251")
    assert used == pure
    at = payload.index(b"\x98")
    assert at == 37
    assert used == (
        "error",
        "DecodeError: fmt 3: byte 0x98 is not valid windows-1251 - byte 37 (line 3, column 11), "
        'near \'\ufffdна",\\n"group": "5922",\\n"\'',
        (at, 3, 11, None),
    )


@needs_core
@pytest.mark.parametrize("charset", [*SINGLE_BYTE, None])
@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'"group": "5922",', b'"group": "5922"'),  # a comma missing
        (b'"phone_other": ""\n}]', b'"phone_other": ""\n}'),  # cut short
        (b'"group": "",', b'"group": ["\xc0"],'),  # a value of another type, after Cyrillic
        (b'"group": "",', b'"groop": "",'),  # an unknown field
    ],
    ids=["comma", "truncated", "type", "field"],
)
def test_malformed_replies_give_the_same_error(charset, old, new):
    payload = _contacts_reply(charset or "cp1251")
    assert payload.count(old) == 1
    payload = payload.replace(old, new)
    used, pure = _both(payload, Contact, charset)
    assert used == pure
    assert used[0] == "error"
    assert used[2] is not None


@needs_core
@settings(deadline=None)
@given(
    names=st.lists(
        st.text(alphabet='АБВЖЁабвжё ,"\\{}[]:aZ09\n\t°\u00a0', max_size=12), min_size=1, max_size=4
    ),
    charset=st.sampled_from(SINGLE_BYTE),
    cut=st.integers(0, 400),
)
def test_cut_replies_agree(names, charset, cut):
    records = [Contact(phone=f"7911000000{i}", name=name) for i, name in enumerate(names)]
    payload = fmtcodec.encode(records, fmt=3, charset=charset)
    for piece in (payload, payload[:cut], payload[:cut] + b"\x98" + payload[cut:]):
        used, pure = _both(piece, Contact, charset)
        assert used == pure
