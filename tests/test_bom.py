"""A UTF-8 byte order mark: every fmt x guessed/explicit charset x decode/iter_decode, with exact
error positions.

The reference for every position is the same payload without the mark: the byte offset is three
more, the line, column, path and reason are the same (columns count from after the mark).
"""

from __future__ import annotations

import io
from typing import Any

import pytest

import fmtcodec
from fmtcodec import Contact, DecodeError, Group, iter_decode
from fmtcodec.charset import Source

BOM = b"\xef\xbb\xbf"
FMTS = (0, 1, 2, 3)
GROUPS = [Group(id=5, name="Друзья", number=3), Group(id=7, name="x", cnt=2)]
CONTACTS = [Contact(phone="79161234567", name="Иван", group="5"), Contact(phone="7", name="b,c")]
CHARSETS = [pytest.param(None, id="guessed"), pytest.param("utf-8", id="explicit"), pytest.param("UTF8", id="alias")]


def whole(payload: bytes, kind: type, fmt: int | None, charset: str | None) -> list[Any]:
    return fmtcodec.decode(payload, list[kind], fmt=fmt, charset=charset)


def streamed(payload: bytes, kind: type, fmt: int | None, charset: str | None, size: int) -> list[Any]:
    return list(iter_decode(io.BytesIO(payload), list[kind], fmt=fmt, charset=charset, chunk_size=size))


READERS = [
    pytest.param(whole, id="decode"),
    pytest.param(lambda p, k, f, c: streamed(p, k, f, c, 1), id="iter_decode-1"),
    pytest.param(lambda p, k, f, c: streamed(p, k, f, c, 7), id="iter_decode-7"),
    pytest.param(lambda p, k, f, c: streamed(p, k, f, c, 1 << 16), id="iter_decode-whole"),
]


def where(action: Any) -> tuple[Any, ...]:
    with pytest.raises(DecodeError) as caught:
        action()
    error = caught.value
    return (error.reason, error.pos, error.line, error.column, error.path)


class TestRecordsAfterABom:
    """Kills charset ``Source.from_payload`` mutants that do not skip the mark (``start`` 0, the
    ``codec in (None, "utf-8")`` test weakened or narrowed), ``_decode`` mutants that keep the mark
    in the text, api ``detect_fmt`` mutants that forget ``removeprefix(_UTF8_BOM)``, and stream
    ``_Stream.open`` mutants that leave the mark before the first record."""

    @pytest.mark.parametrize("read", READERS)
    @pytest.mark.parametrize("charset", CHARSETS)
    @pytest.mark.parametrize("fmt", [*FMTS, None])
    @pytest.mark.parametrize(("kind", "records"), [(Group, GROUPS), (Contact, CONTACTS)], ids=["groups", "contacts"])
    def test_decodes_as_without_the_mark(self, read, charset, fmt, kind, records):
        payload = fmtcodec.encode(records, fmt=1 if fmt is None else fmt)
        if fmt is None and kind is Contact:
            payload = fmtcodec.encode(records, fmt=3)
        assert read(BOM + payload, kind, fmt, charset) == records

    @pytest.mark.parametrize("fmt", FMTS)
    def test_detect_fmt_skips_the_mark(self, fmt):
        assert fmtcodec.detect_fmt(BOM + fmtcodec.encode(GROUPS, fmt=fmt)) == fmt
        assert fmtcodec.detect_fmt(BOM + b"  \n" + fmtcodec.encode(GROUPS, fmt=fmt)) == fmt

    def test_the_mark_is_not_text(self):
        src = Source.from_payload(BOM + b"a,b", None, 1)
        assert (src.text, src.start, src.charset, src.body()) == ("a,b", 3, "utf-8", b"a,b")
        src = Source.from_payload(BOM + b"a,b", "utf-8", 1)
        assert (src.text, src.start, src.utf8(), src.head()) == ("a,b", 3, b"a,b", "a,b")
        assert Source.from_payload(BOM + b"a", "cp1251", 1).text == "п»їa"
        assert Source.from_payload(b"a", None, 1).utf8() == b"a"
        text = Source.from_payload("a,b", None, 1)  # a str payload is text already: UTF-8 by definition
        assert (text.text, text.charset, text.start, text.utf8(), text.body()) == ("a,b", "utf-8", 0, b"a,b", b"a,b")


# Errors on line 1 (where the mark shifts the byte offset, not the column), after non-ASCII text
# (bytes are not characters), and on line 2 (where the mark changes nothing but the offset).
BAD = {
    0: ("id = 5, name = Друзья, number = x, cnt = \n", "id = 5, name = a, number = , cnt = \nid = 6, name = Друзья, number = 0x, cnt = \n"),
    1: ("5,Друзья,3,\nx,a,,\n", "5,Друзья,3,\n6,a,,\n7,b,c,d,e\n"),
    2: (
        "<list><group><id>5</id><name>Друзья</name><number>x</number></group></list>",
        "<list>\n<group><id>5</id><name>Друзья</name></group>\n<group><id>x</id><name>a</name></group>\n</list>",
    ),
    3: ('[{"id": 5, "name": "Друзья", "number": "x"}]', '[{"id": 5, "name": "Друзья"},\n{"id": 6, "cnt": "05"}]'),
}
ERROR_CASES = [
    pytest.param(fmt, text, id=f"fmt{fmt}-line{line}") for fmt, texts in BAD.items() for line, text in enumerate(texts, 1)
]


class TestErrorPositionsCountTheMark:
    """Kills charset ``Source.byte_offset`` mutants that drop ``self.start`` (offsets that forget
    the mark), ``_undecodable`` mutants that count columns from the mark instead of after it, and
    stream ``_Stream.open``/``_decode`` mutants that lose the three bytes (``consumed = 3``)."""

    @pytest.mark.parametrize("read", READERS)
    @pytest.mark.parametrize("charset", CHARSETS)
    @pytest.mark.parametrize(("fmt", "text"), ERROR_CASES)
    def test_offset_plus_three_same_line_and_column(self, read, charset, fmt, text):
        payload = text.encode("utf-8")
        reason, pos, line, column, path = where(lambda: whole(payload, Group, fmt, None))
        assert where(lambda: read(BOM + payload, Group, fmt, charset)) == (reason, pos + 3, line, column, path)

    def test_exact_positions(self):
        # written out once, so that a shift in the reference itself shows too
        payload = BOM + BAD[0][0].encode()
        assert where(lambda: whole(payload, Group, 0, None)) == (
            "expected an integer for `number`, got 'x'", 41, 1, 33, "$[0].number"
        )
        payload = BOM + BAD[3][1].encode()
        assert where(lambda: whole(payload, Group, 3, "utf-8")) == (
            "expected an integer for `cnt`, got '05'", 56, 2, 18, "$[1].cnt"
        )

    @pytest.mark.parametrize("read", READERS)
    @pytest.mark.parametrize(
        ("fmt", "body", "pos", "column"),
        [
            (0, b"id = 5, name = \xd0\x94\xff, number = , cnt = ", 20, 17),
            (1, b"5,\xd0\x94\xff,,", 7, 4),
            (2, b"<list><group><id>5</id><name>\xd0\x94\xff</name></group></list>", 34, 31),
            (3, b'[{"id": 5, "name": "\xd0\x94\xff"}]', 25, 22),
            (1, b"5,a,,\n6,\xd0\x94\xff,,", 13, 4),
        ],
    )
    def test_undecodable_byte_under_an_explicit_utf8(self, read, fmt, body, pos, column):
        line = body.count(b"\n", 0, pos - 3) + 1
        assert where(lambda: read(BOM + body, Group, fmt, "utf-8")) == (
            "byte 0xFF is not valid utf-8", pos, line, column, None
        )


def _first_non_utf8(payload: bytes) -> int:
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    raise AssertionError("the payload is valid UTF-8")


class TestAMarkBeforeWindows1251:
    """A mark before bytes that are not UTF-8: with a guessed charset the mark declares UTF-8 and
    the first byte that is not UTF-8 is refused (issue 8); with windows-1251 named the payload is
    read whole as windows-1251, mark included (its three bytes are the text "п»ї"), so the first
    record does not start where it should.  Kills charset ``_decode`` mutants that keep skipping the mark after falling back
    (``self.start = 0`` / ``body = data`` dropped) and ``from_payload`` mutants that skip it under
    an explicit windows-1251."""

    @pytest.mark.parametrize("charset", [None, "windows-1251"])
    @pytest.mark.parametrize(
        ("fmt", "reason"),
        [
            (0, "expected 'id = ' at the start of a group record"),
            (1, "the row does not split into the 4 fields of a group (id, name, number, cnt)"),
            (2, "malformed XML: Start tag expected, '<' not found"),
            (3, "JSON is malformed: invalid character"),
        ],
    )
    def test_decode(self, charset, fmt, reason):
        payload = BOM + fmtcodec.encode(GROUPS, fmt=fmt, charset="windows-1251")
        error = where(lambda: whole(payload, Group, fmt, charset))
        if charset is None and fmt != 2:
            # Since issue 8 a guessed charset follows the mark: UTF-8, refused at the first byte
            # that is not UTF-8 (fmt 2 follows its prolog, which names windows-1251).
            bad = _first_non_utf8(payload)
            line_start = payload.rfind(b"\n", 0, bad) + 1 or len(BOM)
            column = len(payload[line_start:bad].decode("utf-8")) + 1
            line = payload.count(b"\n", 0, bad) + 1
            assert error[:4] == (f"byte 0x{payload[bad]:02X} is not valid utf-8", bad, line, column)
        else:
            assert error[:4] == (reason, 0, 1, 1)

    @pytest.mark.parametrize("charset", [None, "windows-1251"])
    @pytest.mark.parametrize("fmt", [0, 1])
    def test_iter_decode_lines(self, charset, fmt):
        payload = BOM + fmtcodec.encode(GROUPS, fmt=fmt, charset="windows-1251")
        assert where(lambda: streamed(payload, Group, fmt, charset, 5)) == where(
            lambda: whole(payload, Group, fmt, charset)
        )

    @pytest.mark.parametrize("charset", [None, "windows-1251"])
    @pytest.mark.parametrize("fmt", [2, 3])
    def test_iter_decode_framed(self, charset, fmt):
        """Failed before issue 8's stream rewrite: iter_decode dropped the mark before a
        windows-1251 fmt 2/3 body and yielded records that decode refuses."""
        payload = BOM + fmtcodec.encode(GROUPS, fmt=fmt, charset="windows-1251")
        assert where(lambda: streamed(payload, Group, fmt, charset, 5)) == where(
            lambda: whole(payload, Group, fmt, charset)
        )

    def test_without_the_mark_windows_1251_is_guessed(self):
        for fmt in FMTS:
            payload = fmtcodec.encode(GROUPS, fmt=fmt, charset="windows-1251")
            assert whole(payload, Group, fmt, None) == GROUPS
            assert streamed(payload, Group, fmt, None, 5) == GROUPS
