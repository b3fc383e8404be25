"""The compiled core reading fmt 1 from the reply's UTF-8 bytes (issue 18).

A UTF-8 reply (or one whose charset is still unknown) is read by ``_speedups.fmt1_records``
straight from its bytes: no str of the whole reply, only each value's own.  It must give exactly
what the pure path gives -- the records, or the same ``DecodeError`` -- for every byte sequence,
valid UTF-8 or not: where the bytes are not UTF-8 it declines, and the pure path decides (UTF-8
when valid, else windows-1251, spec/formats.md, Charsets).  Short values repeated down a column
are one str object each (a table of the texts met while a reply is read).
"""

from __future__ import annotations

from typing import Any
from unittest import mock

import msgspec
import pytest
from budget import capped
from hypothesis import given, note, settings
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import BlacklistEntry, BlacklistType, Contact, DecodeError, Group, _core, values
from fmtcodec import strategies as fs
from fmtcodec.charset import Source
from fmtcodec.errors import FmtcodecError
from fmtcodec.layout import LAYOUTS, layout_for

needs_core = pytest.mark.skipif(not fmtcodec.COMPILED, reason="the compiled core is not built here")

KINDS = [layout.record for layout in LAYOUTS.values() if layout.page == "contacts"]

# Byte sequences a value may hold: ASCII, every width of UTF-8, and what UTF-8 forbids
# (overlong forms, an encoded surrogate, past U+10FFFF, a lone continuation byte, a sequence cut
# short, windows-1251 Cyrillic) -- and the separators and digits the rows are cut and checked by.
PIECES = [
    b"", b"a", b"7", b"0", b"12", b"79110000001", b"+7 (911) 222-33-51", b"01.02.1990", b"a@b.ru", b" ",
    b",", b"\n", b"\n\n", b";", b"\t",
    "Анна".encode(), "ё".encode(), "ÿ".encode(), "€".encode(), "\u2028".encode(), "😀".encode(),
    "Ж".encode() * 20, b"x" * 31, b"y" * 33, "Петрова Анна Сергеевна".encode(),
    b"\xc0\x80", b"\xc1\xbf", b"\xe0\x80\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80",
    b"\x80", b"\xbf", b"\xd0", b"\xe2\x82", b"\xf0\x9f\x98", b"\xff", b"\xfe",
    "Анна".encode("cp1251"), b"\xd0\x2c", b"\xd0\x0a", b"\xe2\x2c\xac",
]


def _outcome(run: Any) -> tuple[str, Any]:
    try:
        return ("records", run())
    except FmtcodecError as exc:
        where = (exc.pos, exc.line, exc.column, exc.path) if isinstance(exc, DecodeError) else None
        return ("error", f"{type(exc).__name__}: {exc}", where)


def _both(payload: bytes, kind: type, charset: str | None) -> tuple[Any, Any]:
    def run() -> Any:
        return fmtcodec.decode(payload, list[kind], fmt=1, charset=charset)  # type: ignore[valid-type]

    used = _outcome(run)
    with _core.pure():
        pure = _outcome(run)
    return used, pure


@st.composite
def _payloads(draw: st.DrawFn, kind: type) -> bytes:
    """Rows of the kind's width, some rows written by the encoder, some made of raw pieces."""
    width = len(msgspec.structs.fields(kind))
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            record = draw(fs.records(kind, min_size=1, max_size=1))
            try:
                rows.append(fmtcodec.encode(record, fmt=1))
            except FmtcodecError:
                continue
        else:
            cells = [b"".join(draw(st.lists(st.sampled_from(PIECES), max_size=3))) for _ in range(width)]
            rows.append(b",".join(cells))
    return b"\n".join(rows)


@needs_core
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@settings(deadline=None, max_examples=capped())
@given(data=st.data())
def test_bytes_read_in_c_give_what_the_pure_path_gives(kind, data):
    payload = data.draw(_payloads(kind), label="payload")
    charset = data.draw(st.sampled_from([None, "utf-8", "cp1251"]), label="charset")
    note(f"payload={payload!r}")
    used, pure = _both(payload, kind, charset)
    assert used == pure


@needs_core
@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        (b"5,\xd0\x94\xd1\x80\xd1\x83\xd0\xb7\xd1\x8c\xd1\x8f,,12", Group),  # UTF-8
        (b"5,\xc4\xf0\xf3\xe7\xfc\xff,,12", Group),  # windows-1251 (not valid UTF-8)
        (b"\xef\xbb\xbf5,\xd0\x94,,12\n6,a,1,", Group),  # a byte order mark
        (b"\xef\xbb\xbf5,\xc4,,12", Group),  # a byte order mark, then bytes that are not UTF-8
        (b"3,79110000001,2,\xe2\x82\xac\n4,79110000002,0,\xed\xa0\x80", BlacklistEntry),  # a surrogate's bytes
        (b"3,79110000001,2,a\xf0\x9f\x98\x80b", BlacklistEntry),  # four bytes
        (b"3,79110000001,2,\xc0\xaf", BlacklistEntry),  # overlong
        (b"3,7911000000\xd0,2,", BlacklistEntry),  # a cut sequence inside a phone
        (b"3,79110000001,2,\xd0", BlacklistEntry),  # cut at the very end
        (b"79110000001,\xd0\x90,5922,,,,01.02.1990,17,,vip,\n79110000001,\x98,,,,,,,,,", Contact),
    ],
)
@pytest.mark.parametrize("charset", [None, "utf-8", "cp1251"])
def test_charsets_and_broken_utf8(payload, kind, charset):
    used, pure = _both(payload, kind, charset)
    assert used == pure


@needs_core
def test_detected_windows_1251_is_read_in_c_from_its_text():
    payload = "5,Друзья,,12\n6,Семья,1,".encode("cp1251")
    seen: list[type] = []
    core = _core.CORE
    assert core is not None

    def spy(text: Any, *args: Any) -> Any:
        seen.append(type(text))
        return core.fmt1_records(text, *args)

    with mock.patch.object(values, "_fast_records", side_effect=AssertionError("the pure path ran")), \
            mock.patch.object(_core, "CORE", mock.Mock(fmt1_records=spy)):
        records = fmtcodec.decode(payload, list[Group], fmt=1)
    assert records == [Group(id=5, name="Друзья", number=None, cnt=12), Group(id=6, name="Семья", number=1, cnt=None)]
    assert seen == [bytes, str]  # the bytes declined at the first letter, the text was read


@needs_core
def test_utf8_is_read_without_a_str_of_the_whole_reply():
    payload = "5,Друзья,,12\n6,Семья,1,".encode()
    src = Source.from_payload(payload, None, 1)
    records = values._compiled_records(src, LAYOUTS["group"])
    assert records == [Group(id=5, name="Друзья", number=None, cnt=12), Group(id=6, name="Семья", number=1, cnt=None)]
    assert src.undecoded_utf8() == payload  # still undecoded: no text was made of it


@needs_core
def test_repeated_values_share_one_str():
    rows = [f"{index},7911{index:07d},{index % 3},{'оптовик' if index % 2 else 'VIP клиент'}" for index in range(3000)]
    payload = "\n".join(rows).encode()
    records = fmtcodec.decode(payload, list[BlacklistEntry], fmt=1)
    with _core.pure():
        assert records == fmtcodec.decode(payload, list[BlacklistEntry], fmt=1)
    comments = {id(record.comment) for record in records}
    assert len(comments) == 2  # two texts, two str objects for 3000 values
    assert len({id(record.phone) for record in records}) == 3000  # (every phone its own)
    assert records[1] == BlacklistEntry(1, "79110000001", BlacklistType.MASS, "оптовик")


@needs_core
@pytest.mark.parametrize("size", [1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40])
def test_values_that_differ_in_one_byte_stay_apart(size):
    # same length, same first and last bytes: the table must compare every byte
    texts = [("a" * size)[: size // 2] + chr(ord("b") + index % 20) + ("a" * size)[size // 2 + 1 :] for index in range(600)]
    texts = [text[:size] for text in texts]
    payload = "\n".join(f"{index},{text},," for index, text in enumerate(texts)).encode()
    records = fmtcodec.decode(payload, list[Group], fmt=1)
    assert [record.name for record in records] == texts


@needs_core
@pytest.mark.parametrize("payload", [bytearray(b"5,a,,"), memoryview(b"5,a,,"), 5, None, ["5,a,,"]])
def test_core_takes_only_bytes_or_str(payload):
    core = _core.CORE
    assert core is not None
    args = ((1, 0, 2, 2), (3, 0, 3, 3), (False, True, True, True), Group, tuple(BlacklistType), (1, 2), 0, None, None)
    assert core.fmt1_records(payload, *args) is None
    assert core.fmt1_records(b"5,a,,", *args) == [Group(id=5, name="a")]


class _Bytes(bytes):
    pass


@needs_core
def test_a_bytes_subclass_is_not_read_as_bytes():
    core = _core.CORE
    assert core is not None
    args = ((1, 0, 2, 2), (3, 0, 3, 3), (False, True, True, True), Group, tuple(BlacklistType), (1, 2), 0, None, None)
    assert core.fmt1_records(_Bytes(b"5,a,,"), *args) is None


@pytest.mark.parametrize(
    ("payload", "kind_of_error"),
    [
        (b" " * 100 + b"agt,-5", "ApiError"),  # the error reply after more whitespace than the head holds
        (b"\n\t0,-2\n", "ApiError"),
        (b"agt,-5 x", "DecodeError"),  # not an error reply: a list row that does not split
    ],
)
def test_error_replies_are_found_without_decoding_every_list(payload, kind_of_error):
    used, pure = _both(payload, Contact, None)
    assert used == pure
    assert used[0] == "error"
    assert used[1].startswith(kind_of_error + ":")
    if kind_of_error == "DecodeError":
        with _core.pure():
            general = _outcome(lambda: values._general_records(Source.from_payload(payload, None, 1), LAYOUTS["contact"]))
        assert used == general


# The pure fast path reads rows that each hold one comma fewer than fields a block of rows at a
# time (values._plain_records): with small blocks, every reply is many blocks, and a value that
# does not fit in any of them sends the whole reply to the general path.
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@pytest.mark.parametrize("block", [1, 16, 64])
@settings(deadline=None, max_examples=capped())
@given(data=st.data())
def test_rows_read_a_block_at_a_time_give_what_the_general_path_gives(kind, block, data):
    payload = data.draw(_payloads(kind), label="payload")
    note(f"payload={payload!r}")
    with _core.pure(), mock.patch.object(values, "_BLOCK", block):
        used = _outcome(lambda: fmtcodec.decode(payload, list[kind], fmt=1, charset="utf-8"))  # type: ignore[valid-type]
    general = _outcome(lambda: values._general_records(Source.from_payload(payload, "utf-8", 1), layout_for(kind)))
    assert used == general


def test_a_bad_value_in_the_last_block_is_found():
    rows = [f"{index},7911{index:07d},{index % 3},ok" for index in range(500)]
    rows[-1] = "499,79110000499,3,ok"  # not a blacklist type, in the last block
    with _core.pure(), mock.patch.object(values, "_BLOCK", 100), pytest.raises(DecodeError) as found:
        fmtcodec.decode("\n".join(rows).encode(), list[BlacklistEntry], fmt=1)
    assert (found.value.line, found.value.path) == (500, "$[499].type")


# The whole-column checks' shortcuts (values._column_fits: digits, phones, dates at C speed)
# must answer as the whole-column match does, for every column.
_COLUMN_VALUES = [
    "", "7", "79110000001", "+79110000001", "+", " ", "()", "+7 (911) 222-33-51", "7a", "٣", "７",
    "01.02.1990", "01.02.199", "0a.02.1990", "01/02/1990", "０1.02.1990", "01.02", ".199001.02.1990",
    "1234567890", "01..2.1990", "\t7\t", ";", "-",
]


@pytest.mark.parametrize("kind", ["contact", "blacklist", "mail_contact", "group"])
@given(column=st.lists(st.sampled_from(_COLUMN_VALUES), min_size=1, max_size=8))
def test_column_shortcuts_answer_as_the_whole_column_match(kind, column):
    splitter = values._splitter(LAYOUTS[kind])
    for cls, check in zip(splitter.classes, splitter.column_checks, strict=True):
        if check is not None:
            assert values._column_fits(cls, check, column) == (check("\n".join(column)) is not None), cls
