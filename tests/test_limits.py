"""Every numeric limit at its edge: the value on the limit is taken, the one past it refused, with
the exact message and place."""

from __future__ import annotations

import io
import json

import pytest

import fmtcodec
from fmtcodec import (
    AmbiguousRecordError,
    BlacklistEntry,
    BlacklistType,
    Contact,
    Created,
    DecodeError,
    EncodeError,
    Error,
    Group,
    MailBlacklistEntry,
    iter_decode,
)
from fmtcodec.errors import DecodeError as _DecodeError

FMTS = (0, 1, 2, 3)
MAX_DIGITS = 4300  # Python's own limit for reading an int from text (sys.get_int_max_str_digits)


def error_of(action) -> DecodeError:
    with pytest.raises(DecodeError) as caught:
        action()
    return caught.value


def at(payload: bytes, needle: bytes) -> int:
    return payload.index(needle)


class TestDigitLimit:
    """Kills layout ``parse_integer`` mutants that move the 4300-digit edge (``>`` to ``>=``, the
    constant off by one) or drop the check (Python's own ``int()`` error then leaks through with
    another message), and ``from_columns`` mutants that stop catching ``ValueError`` from ``int()``
    on a column past the edge (the fast paths must hand over to the general path)."""

    @pytest.mark.parametrize("fmt", FMTS)
    @pytest.mark.parametrize("kind", [Group, BlacklistEntry])
    def test_on_the_edge_in_every_fmt(self, fmt, kind):
        value = int("9" * MAX_DIGITS)
        record = Group(id=value, name="a", number=value) if kind is Group else BlacklistEntry(id=value, phone="7", type=BlacklistType(2))
        payload = fmtcodec.encode([record, record], fmt=fmt)
        assert fmtcodec.decode(payload, list[kind], fmt=fmt) == [record, record]
        assert list(iter_decode(io.BytesIO(payload), list[kind], fmt=fmt, chunk_size=1000)) == [record, record]

    @pytest.mark.parametrize("fmt", [0, 1, 2])
    def test_one_past_the_edge(self, fmt):
        payload = fmtcodec.encode([Group(id=1, name="a"), Group(id=7, name="b", number=5)], fmt=fmt)
        long = b"9" * (MAX_DIGITS + 1)
        payload = payload.replace(b"5", long)
        error = error_of(lambda: fmtcodec.decode(payload, list[Group], fmt=fmt))
        assert error.reason == f"`number` has {MAX_DIGITS + 1} digits; at most {MAX_DIGITS} are read"
        # fmt 2 points at the element, the others at the value
        assert (error.pos, error.path) == (at(payload, b"<number>" + long if fmt == 2 else long), "$[1].number")

    def test_one_past_the_edge_quoted_in_json(self):
        long = "9" * (MAX_DIGITS + 1)
        payload = f'[{{"id": 1, "name": "a"}}, {{"id": 7, "name": "b", "number": "{long}"}}]'.encode()
        error = error_of(lambda: fmtcodec.decode(payload, list[Group], fmt=3))
        assert error.reason == f"`number` has {MAX_DIGITS + 1} digits; at most {MAX_DIGITS} are read"
        assert (error.pos, error.path) == (at(payload, b'"' + long.encode()), "$[1].number")

    def test_one_past_the_edge_bare_in_json(self):
        """Failed before issue 8's fix: msgspec's 'Integer value out of range' at byte 0, no path."""
        long = "9" * (MAX_DIGITS + 1)
        payload = f'[{{"id": 1, "name": "a"}}, {{"id": 7, "name": "b", "number": {long}}}]'.encode()
        error = error_of(lambda: fmtcodec.decode(payload, list[Group], fmt=3))
        assert error.reason == f"`number` has {MAX_DIGITS + 1} digits; at most {MAX_DIGITS} are read"
        assert (error.pos, error.path) == (at(payload, long.encode()), "$[1].number")

    @pytest.mark.parametrize(
        ("fmt", "template"),
        [(0, b"ID = %s"), (1, b"%s"), (2, b"<group>\n<id>%s</id>\n</group>"), (3, b'{"id": "%s"}')],
    )
    def test_created_ids(self, fmt, template):
        edge = b"9" * MAX_DIGITS
        assert fmtcodec.decode(template % edge, Created, fmt=fmt).id == int(edge)
        payload = template % (edge + b"9")
        error = error_of(lambda: fmtcodec.decode(payload, Created, fmt=fmt))
        assert error.reason == f"`id` has {MAX_DIGITS + 1} digits; at most {MAX_DIGITS} are read"
        assert (error.pos, error.path) == (at(payload, {2: b"<id>", 3: b'"'}.get(fmt, b"") + edge), "$.id")

    @pytest.mark.parametrize("fmt", FMTS)
    def test_error_codes(self, fmt):
        edge = int("9" * MAX_DIGITS)
        assert fmtcodec.decode(fmtcodec.encode(Error(error_code=edge), fmt=fmt), Error, fmt=fmt).error_code == edge


class TestBlacklistTypeRange:
    """Kills layout ``FieldLayout.parse``/``format`` mutants that widen ``(0, 1, 2)`` or change
    the blacklist-type check, and ``from_columns`` mutants that skip the whole-column check of
    blacklist types (issue 12: the range was tested with 5, never 3)."""

    @pytest.mark.parametrize("fmt", FMTS)
    @pytest.mark.parametrize("kind", [BlacklistEntry, MailBlacklistEntry])
    def test_zero_to_two_decode(self, fmt, kind):
        second = "7" if kind is BlacklistEntry else "a@b.c"
        records = [kind(n, second, BlacklistType(n), "x") for n in (0, 1, 2)]
        payload = fmtcodec.encode(records, fmt=fmt)
        assert fmtcodec.decode(payload, list[kind], fmt=fmt) == records
        assert [type(record.type) for record in fmtcodec.decode(payload, list[kind], fmt=fmt)] == [BlacklistType] * 3

    @pytest.mark.parametrize("fmt", FMTS)
    @pytest.mark.parametrize("bad", [3, 10, -1])
    def test_three_is_refused(self, fmt, bad):
        records = [BlacklistEntry(1, "7", BlacklistType(2)), BlacklistEntry(2, "8", BlacklistType(0))]
        payload = fmtcodec.encode(records, fmt=fmt)
        spelled = str(bad).encode()
        # the second record's type 0 becomes the bad one
        index = payload.rindex(b"0", 0, payload.rindex(b"8") + 20 if fmt != 1 else len(payload))
        if fmt == 1:
            payload = payload[: payload.rindex(b",")] .rsplit(b",", 1)[0] + b"," + spelled + b","
        else:
            payload = payload[:index] + spelled + payload[index + 1 :]
        error = error_of(lambda: fmtcodec.decode(payload, list[BlacklistEntry], fmt=fmt))
        if bad < 0:
            assert error.reason in ("expected an integer for `type`, got '-1'",
                                    "the row does not split into the 4 fields of a blacklist (id, phone, type, comment)")
        else:
            assert error.reason == f"blacklist type must be 0, 1 or 2, got '{bad}'"
            assert error.path == "$[1].type"
            assert error.pos == payload.rindex(b"<type>" + spelled if fmt == 2 else spelled)

    @pytest.mark.parametrize("fmt", FMTS)
    def test_encoder_refuses_three(self, fmt):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode([BlacklistEntry(1, "7", BlacklistType(2)), BlacklistEntry(2, "7", 3)], fmt=fmt)
        assert str(caught.value) == (
            f"fmt {fmt} cannot carry the value at $[1].type: `type` must be a BlacklistType (0, 1 or 2), got 3"
        )
        assert (caught.value.reason, caught.value.fmt, caught.value.path) == (
            "`type` must be a BlacklistType (0, 1 or 2), got 3", fmt, "$[1].type"
        )


class TestNegativeAndZero:
    """Kills layout ``format_integer`` mutants (``value < 0`` to ``<= 0`` or ``< 1``) and
    ``parse_integer``'s pattern anchored differently."""

    @pytest.mark.parametrize("fmt", FMTS)
    def test_zero_is_an_id_minus_one_is_not(self, fmt):
        assert fmtcodec.decode(fmtcodec.encode([Group(id=0, name="a", number=0, cnt=0)], fmt=fmt), list[Group], fmt=fmt) == [
            Group(id=0, name="a", number=0, cnt=0)
        ]
        with pytest.raises(EncodeError, match=r"^fmt \d cannot carry the value at \$\[0\]\.id: `id` must not be negative, got -1$"):
            fmtcodec.encode([Group(id=-1, name="a")], fmt=fmt)
        with pytest.raises(EncodeError, match=r"at \$\.id: `id` must not be negative, got -1$"):
            fmtcodec.encode(Created(id=-1, element="group"), fmt=fmt)


class TestControlCharacterEdges:
    """The edges of the character classes: JSON's escape class ends at U+001F (kills json
    ``_string_column`` mutants and issue 12's ``\\x1f`` case), XML 1.0's excluded characters
    (``\\x08``/``\\x09``, ``\\x0c``/``\\x0d``, ``\\x1f``/``\\x20``, U+FFFD/U+FFFE, kills xml
    ``_escape``/``_fast_elements`` mutants and the decoder's ``_CONTROL_BYTES`` check)."""

    @pytest.mark.parametrize("char", ["\x00", "\x01", "\x1f", "\x20", "\x7f", '"', "\\", "/", "\u2028", "é"])
    def test_json_strings_are_what_json_reads(self, char):
        for records in ([Contact(phone="7", name=char)], [Contact(phone="7", name="a"), Contact(phone="8", name="b" + char)]):
            payload = fmtcodec.encode(records, fmt=3)
            assert [item["name"] for item in json.loads(payload)] == [record.name for record in records]
            assert fmtcodec.decode(payload, list[Contact], fmt=3) == records
        written = fmtcodec.encode([Contact(phone="7", name=char)], fmt=3)
        assert b'"name": ' + json.dumps(char, ensure_ascii=False).encode() + b",\n" in written

    @pytest.mark.parametrize(
        ("char", "carried"),
        [("\x08", False), ("\x09", True), ("\x0a", True), ("\x0b", False), ("\x0c", False), ("\x0d", True),
         ("\x0e", False), ("\x1f", False), ("\x20", True), ("\ud7ff", True), ("\ue000", True),
         ("\ufffd", True), ("\ufffe", False), ("\uffff", False), ("\U00010000", True)],
    )
    def test_xml(self, char, carried):
        for records in ([Contact(phone="7", name=char)], [Contact(phone="7", name="a"), Contact(phone="8", name="b" + char)]):
            if carried:
                payload = fmtcodec.encode(records, fmt=2)
                assert fmtcodec.decode(payload, list[Contact], fmt=2) == records
            else:
                with pytest.raises(EncodeError) as caught:
                    fmtcodec.encode(records, fmt=2)
                assert caught.value.reason == f"character U+{ord(char):04X} cannot appear in XML 1.0, not even as a reference"
                assert caught.value.path == f"$[{len(records) - 1}].name"

    @pytest.mark.parametrize("char", ["\x01", "\x08", "\x0b", "\x1f"])
    def test_xml_decoder_refuses_raw_control_characters(self, char):
        good = fmtcodec.encode([Contact(phone="7", name="ab")], fmt=2)
        payload = good.replace(b"ab", b"a" + char.encode() + b"b")
        error = error_of(lambda: fmtcodec.decode(payload, list[Contact], fmt=2))
        assert error.reason.startswith("malformed XML: ")
        assert error.pos == payload.index(char.encode())

    def test_xml_decoder_takes_a_raw_cr_as_xml_does(self):
        good = fmtcodec.encode([Contact(phone="7", name="ab")], fmt=2)
        assert fmtcodec.decode(good.replace(b"ab", b"a\rb"), list[Contact], fmt=2) == [Contact(phone="7", name="a\nb")]
        assert fmtcodec.decode(good.replace(b"ab", b"a\r\nb"), list[Contact], fmt=2) == [Contact(phone="7", name="a\nb")]
        assert fmtcodec.decode(good.replace(b"ab", b"a&#13;b"), list[Contact], fmt=2) == [Contact(phone="7", name="a\rb")]


class TestFmt1Pieces:
    """Kills values ``place`` mutants that move the ``MAX_PIECES`` edge, and
    ``AmbiguousRecordError``/``_place`` mutants that show another number of candidates."""

    def test_ten_thousand_pieces_are_placed_and_one_more_is_not(self):
        edge = b"1," + b"x," * 9_997 + b"5,6"  # 10 000 pieces
        assert edge.count(b",") + 1 == 10_000
        assert fmtcodec.decode(edge, list[Group], fmt=1) == [Group(id=1, name="x," * 9_996 + "x", number=5, cnt=6)]
        past = b"1," + b"x," * 9_998 + b"5,6"
        error = error_of(lambda: fmtcodec.decode(past, list[Group], fmt=1))
        assert (error.reason, error.pos, error.path) == (
            "the row has 10001 comma-separated pieces; at most 10000 are placed", 0, "$[0]"
        )
        assert fmtcodec.encode([Group(id=1, name="x," * 9_996 + "x", number=5, cnt=6)], fmt=1) == edge
        with pytest.raises(EncodeError, match=r"^fmt 1 cannot carry the value at \$\[0\]: the row has 10001 comma-separated pieces; at most 10000 are placed$"):
            fmtcodec.encode([Group(id=1, name="x," * 9_997 + "x", number=5, cnt=6)], fmt=1)

    @pytest.mark.parametrize(
        ("row", "ways", "shown", "more"),
        [
            ("7922,,,T,U,,,,,,,", 6, 5, "; and 2 more"),
            ("7922,a,,b,,,,,,,,,", 22, 5, "; and 2 more"),
            ("7,a,,,,,,a,,,,", 3, 3, ""),
            ("7,a,,,,,a,,,,,", 4, 4, "; and 1 more"),
            ("7,a,,a,,,,,,,,", 6, 5, "; and 2 more"),
        ],
    )
    def test_candidates_shown(self, row, ways, shown, more):
        error = error_of(lambda: fmtcodec.decode(row.encode(), list[Contact], fmt=1))
        assert isinstance(error, AmbiguousRecordError)
        assert error.reason.startswith(f"the row splits into the 11 fields of a contact in {ways} equally good ways: ")
        assert len(error.candidates) == shown
        assert error.reason.endswith(more if more else ")")
        assert error.reason.count("('") == min(shown, 3)


class TestStreamDetection:
    """Kills stream ``_detected`` mutants that stop reading before ``_DETECTED_FROM`` bytes after
    leading whitespace (``head.lstrip()`` to ``head``, the comparison flipped), which would tell
    the fmt from whitespace alone."""

    @pytest.mark.parametrize("fmt", FMTS)
    @pytest.mark.parametrize("blank", [0, 1, 63, 64, 65, 200])
    def test_fmt_told_after_leading_whitespace(self, fmt, blank):
        records = [Group(id=5, name="a"), Group(id=6, name="b")]
        body = fmtcodec.encode(records, fmt=fmt)
        if fmt == 2:  # XML 1.0 allows nothing before a declaration: the root alone then
            body = body.split(b"\n", 1)[1]
        payload = b" " * blank + body if fmt in (2, 3) else body
        for size in (1, 3, 1 << 16):
            assert list(iter_decode(io.BytesIO(payload), list[Group], chunk_size=size)) == records


class TestErrorTexts:
    """Kills errors mutants of ``__str__`` (``fmt ?``, the path part), ``EncodeError.__init__``
    (``reason``/``path`` kept), ``moved`` (column moved only on the first line)."""

    def test_decode_error_text(self):
        assert str(_DecodeError("r", fmt=None, pos=1, line=1, column=2)) == "fmt ?: r - byte 1 (line 1, column 2), near ''"
        assert str(_DecodeError("r", fmt=0, pos=1, line=3, column=2, path="$[1].id", snippet="xy")) == (
            "fmt 0: r - at $[1].id, byte 1 (line 3, column 2), near 'xy'"
        )

    def test_args_and_repr(self):
        error = _DecodeError("bad", fmt=1, pos=0, line=1, column=1)
        assert error.args == ("bad",)
        assert repr(error) == "DecodeError('bad')"
        assert EncodeError("why", fmt=2).args == ("fmt 2 cannot carry the value: why",)

    def test_moved(self):
        first = _DecodeError("r", fmt=1, pos=4, line=1, column=5, path="$[2].id")
        moved = first.moved(pos=10, line=2, column=7, index=3)
        assert (moved.pos, moved.line, moved.column, moved.path) == (14, 3, 12, "$[5].id")
        later = _DecodeError("r", fmt=1, pos=4, line=2, column=5, path="$[2]").moved(pos=10, line=2, column=7, index=0)
        assert (later.pos, later.line, later.column, later.path) == (14, 4, 5, "$[2]")
        assert (first.pos, first.line, first.column, first.path) == (4, 1, 5, "$[2].id")

    @pytest.mark.parametrize("fmt", [0, 1])
    def test_line_break_in_an_error_reply(self, fmt):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(Error(error_code=1, error="a\nb"), fmt=fmt)
        assert caught.value.path == "$.error"

    def test_encode_error_fields(self):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode([Contact(phone="7", name="a\nb")], fmt=0)
        assert (caught.value.reason, caught.value.fmt, caught.value.path) == (
            "a line break cannot be carried: records are one line each", 0, "$[0].name"
        )
