"""Tests for behaviours a sampled mutation run left unchecked, grouped by class.

Each class's docstring names the mutants it kills; every test judges a behaviour of the public API
(exact records, or the exact error reason, byte offset and record path).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
import pytest

import fmtcodec
from fmtcodec import Contact, DecodeError, Error, Group
from fmtcodec import json as fmt_json
from fmtcodec.charset import Source


def failure(action) -> tuple[object, ...]:
    with pytest.raises(DecodeError) as caught:
        action()
    error = caught.value
    return (str(error), error.pos, error.path)


class TestReplyNumberPath:
    """An error code too long to read is reported at ``$.error_code`` with the field named.

    Kills ``fmtcodec.text.x_decode_error__mutmut_24`` (the field name dropped)."""

    def test_error_code_of_5000_digits(self):
        payload = b"ERROR = " + b"9" * 5000 + b" (x)"
        reason, pos, path = failure(lambda: fmtcodec.decode(payload, Error, fmt=0))
        assert reason.startswith("fmt 0: `error_code` has 5000 digits; at most 4300 are read - at $.error_code, byte 8")
        assert (pos, path) == (8, "$.error_code")


class TestJsonErrorReplyStart:
    """Only ASCII whitespace may come before a fmt 3 error object; a no-break space (U+00A0) there
    makes it no error reply (refused at the start, not parsed as JSON).

    Kills ``fmtcodec.json.x_decode_error__mutmut_3`` (Unicode whitespace stripped)."""

    def test_no_break_space_before_the_object(self):
        payload = '\xa0{"error_code": 1}'.encode()
        assert failure(lambda: fmtcodec.decode(payload, Error, fmt=3)) == (
            "fmt 3: expected an error reply - at $, byte 0 (line 1, column 1), near '\\xa0{\"error_code\": 1}'",
            0,
            "$",
        )

    def test_ascii_whitespace_before_the_object(self):
        assert fmtcodec.decode(b' \t\r\n{"error_code": 1}', Error, fmt=3) == Error(error_code=1)


class TestDetectFmtOfText:
    """``detect_fmt`` on a ``str`` without a byte order mark looks from its first character.

    Kills ``fmtcodec.api.x__fmt_of_head__mutmut_11`` (the look starts one character later)."""

    @pytest.mark.parametrize(
        ("text", "fmt"),
        [("<result><id>1</id></result>", 2), ('{"id": 1}', 3), ('[{"id": "1"}]', 3), ("OK", 0), ("id = 1", 0),
         ("\ufeff<result><id>1</id></result>", 2), ("\ufeff{\"id\": 1}", 3)],
    )
    def test_first_character_decides(self, text, fmt):
        assert fmtcodec.detect_fmt(text) == fmt


class TestXmlErrorReplyText:
    """Text between the children of an XML error reply is refused at ``$``.

    Kills ``fmtcodec.xml.x_decode_error__mutmut_17`` and ``..._20`` (another path)."""

    @pytest.mark.parametrize(
        ("payload", "reason", "pos"),
        [
            (b"<result>x<error_code>1</error_code></result>",
             "fmt 2: unexpected text in <result> - at $, byte 0 (line 1, column 1), near '<result>x<error_code>1</'", 0),
            (b"<result><error_code>1</error_code>x</result>",
             "fmt 2: unexpected text after <error_code> - at $, byte 8 (line 1, column 9), near '<error_code>1</error_cod'",
             8),
        ],
    )
    def test_text_in_result(self, payload, reason, pos):
        assert failure(lambda: fmtcodec.decode(payload, Error, fmt=2)) == (reason, pos, "$")


class TestJsonLenientFreshCache:
    """The lenient fmt 3 decoder (numbers bare or quoted), built afresh: the cache is emptied so the
    code that builds it runs in the test.

    Kills ``fmtcodec.json.x__lenient__mutmut_35`` (a struct without fields) and ``..._54`` (the
    generated rebuild function looked up under another name)."""

    @pytest.fixture(autouse=True)
    def fresh(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(fmt_json, "_LENIENT", {})
        monkeypatch.setattr(fmt_json, "_TYPED", {})

    def test_contact_with_a_bare_group_number(self):
        payload = b'[{"name": "a", "phone": "1", "group": 5}, {"phone": "2", "group": "07"}]'
        assert fmtcodec.decode(payload, list[Contact], fmt=3) == [
            Contact(phone="1", name="a", group="5"), Contact(phone="2", group="07")
        ]

    def test_group_with_bare_and_quoted_numbers(self):
        payload = b'[{"id": "1", "name": "a", "cnt": 5}, {"id": 2, "name": "b", "number": "3"}]'
        assert fmtcodec.decode(payload, list[Group], fmt=3) == [
            Group(id=1, name="a", cnt=5), Group(id=2, name="b", number=3)
        ]


class TestXmlPlaces:
    """Where the XML decoder points: a field holding an element on the general path (at its
    record path), and a declared charset it refuses when the declaration spans two lines (the
    column counted from the second line's start).

    Kills ``fmtcodec.xml.x__general_records__mutmut_55`` (no path for a field's text) and
    ``fmtcodec.xml.x_declared_charset__mutmut_39`` (the column counted from the payload's start)."""

    @pytest.mark.parametrize(
        ("payload", "pos", "line", "column"),
        [
            (b"<list><contact><phone><b/></phone></contact></list>", 22, 1, 23),
            (b"<list>\n<contact><name>a</name><phone>1<b/></phone></contact></list>", 38, 2, 32),
        ],
    )
    def test_element_in_a_field(self, payload, pos, line, column):
        with pytest.raises(DecodeError) as caught:
            fmtcodec.decode(payload, list[Contact], fmt=2)
        error = caught.value
        assert error.reason == "<phone> must hold text, not elements"
        assert (error.pos, error.line, error.column, error.path) == (pos, line, column, "$[0].phone")

    @pytest.mark.parametrize(
        ("payload", "pos", "line", "column"),
        [
            (b'<?xml version="1.0" encoding="bogus"?><list></list>', 30, 1, 31),
            (b'<?xml version="1.0"\nencoding="bogus"?><list></list>', 30, 2, 11),
            (b'\xef\xbb\xbf<?xml version="1.0"\n\n  encoding="bogus"?><list></list>', 36, 3, 13),
        ],
    )
    def test_refused_charset_declared_on_a_later_line(self, payload, pos, line, column):
        with pytest.raises(DecodeError) as caught:
            fmtcodec.decode(payload, list[Group], fmt=2)
        error = caught.value
        assert error.reason == (
            "the XML prolog declares 'bogus'; the provider answers in utf-8, windows-1251 or koi8-r"
        )
        assert (error.pos, error.line, error.column) == (pos, line, column)


STREAM_CHUNK = 97  # bytes; no record is aligned with it


def streamed(payload: bytes, ends: list[int], kind: type, **options: Any) -> tuple[list[Any], list[int]]:
    """The records ``iter_decode`` yields from ``payload`` given in small chunks, and for each
    chunk how many of the records completed by the chunks before it had not been yielded yet."""
    out: list[Any] = []
    behind: list[int] = []

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(payload), STREAM_CHUNK):
            behind.append(sum(end <= start for end in ends) - len(out))
            yield payload[start : start + STREAM_CHUNK]

    for record in fmtcodec.iter_decode(chunks(), list[kind], chunk_size=STREAM_CHUNK, **options):
        out.append(record)
    return out, behind


def joined(pieces: list[bytes], opening: bytes, separator: bytes, closing: bytes) -> tuple[bytes, list[int]]:
    """``pieces`` joined into one reply, and the byte offset after each of them."""
    payload, ends = bytearray(opening), []
    for n, piece in enumerate(pieces):
        payload += (separator if n else b"") + piece
        ends.append(len(payload))
    return bytes(payload + closing), ends


class TestStreamingExactEnds:
    """Once a cut falls inside a value (a ``}`` inside a JSON string, an item end tag inside an
    XML comment), ``iter_decode`` finds record ends with a scanner and still yields each record
    about when it is complete -- never all of them at the end of the source -- and exactly the
    records ``decode`` gives.

    Kills ``fmtcodec.stream.xǁ_JsonScannerǁscan__mutmut_13`` (no token read: nothing yielded until
    the end), ``fmtcodec.stream.xǁ_Scannerǁcut__mutmut_6`` (the scan position moved forward, not
    back, when the buffer is cut) and ``fmtcodec.stream.xǁ_XmlScannerǁscan__mutmut_12`` (the
    position lost inside a comment longer than a chunk)."""

    def test_json_braces_inside_strings(self):
        contacts = [Contact(phone=f"7916{n:07}", name=f"a}}{{b}} {n}", comments="}" * (n % 5)) for n in range(60)]
        pieces = [fmtcodec.encode([c], fmt=3)[1:-1] for c in contacts]
        payload, ends = joined(pieces, b"[", b",", b"]")
        assert fmtcodec.decode(payload, list[Contact], fmt=3) == contacts
        out, behind = streamed(payload, ends, Contact, fmt=3)
        assert out == contacts
        assert max(behind) <= 2, behind

    def test_xml_end_tags_inside_long_comments(self):
        groups = [Group(id=n, name=f"g{n}") for n in range(1, 40)]
        comment = b"<!-- " + b"</group> x " * 30 + b"-->"  # 3+ chunks long
        pieces = [f"<group><id>{g.id}</id>".encode() + comment + f"<name>{g.name}</name></group>".encode()
                  for g in groups]
        payload, ends = joined(pieces, b"<list>\n", b"\n", b"\n</list>\n")
        assert fmtcodec.decode(payload, list[Group], fmt=2) == groups
        out, behind = streamed(payload, ends, Group, fmt=2)
        assert out == groups
        assert max(behind) <= 2, behind


class TestStreamingByteOrderMark:
    """A UTF-8 byte order mark with ``charset="utf-8"`` given is streamed (records yielded as they
    complete), as it is when the charset is guessed.

    Kills ``fmtcodec.stream.xǁ_Streamǁopen__mutmut_39`` (the given UTF-8 charset not recognised:
    the reply decoded whole at the end)."""

    @pytest.mark.parametrize("charset", [None, "utf-8"])
    def test_json_list_after_a_mark(self, charset):
        groups = [Group(id=n, name=f"группа {n}") for n in range(1, 80)]
        pieces = [fmtcodec.encode([g], fmt=3)[1:-1] for g in groups]
        payload, ends = joined(pieces, b"\xef\xbb\xbf[", b",", b"]")
        out, behind = streamed(payload, ends, Group, fmt=3, charset=charset)
        assert out == groups
        assert max(behind) <= 2, behind


class TestStreamingErrorAtOnce:
    """A stray item end tag right after ``<list>`` is reported from the first chunk, before the
    source is read on, with the place ``decode`` gives.

    Kills ``fmtcodec.stream.xǁ_Streamǁ_cut__mutmut_29`` (an end found at the buffer's first byte
    taken for none: the error waits for the next chunk)."""

    def test_end_tag_first(self):
        first = b"<contact><name>" + b"x" * 120 + b"</name><phone>1</phone></contact>"  # ends past chunk 1
        rest = b"".join(b"<contact><phone>7916%07d</phone></contact>" % n for n in range(20))
        payload = b"<list></contact>" + first + rest + b"\n</list>"
        reason = "malformed XML: Opening and ending tag mismatch: list and contact"
        with pytest.raises(DecodeError) as whole:
            fmtcodec.decode(payload, list[Contact], fmt=2)
        assert (whole.value.reason, whole.value.pos, whole.value.line, whole.value.column) == (reason, 16, 1, 17)
        given = []

        def chunks() -> Iterator[bytes]:
            for start in range(0, len(payload), STREAM_CHUNK):
                given.append(start)
                yield payload[start : start + STREAM_CHUNK]

        with pytest.raises(DecodeError) as streamed_error:
            list(fmtcodec.iter_decode(chunks(), list[Contact], fmt=2, chunk_size=STREAM_CHUNK))
        error = streamed_error.value
        assert (error.reason, error.pos, error.line, error.column, error.path) == (reason, 16, 1, 17, None)
        assert given == [0]


class TestStreamingUndecodableByteAtOnce:
    """With the charset given, a byte that charset cannot decode is reported from the chunk that
    holds it (an error shows as soon as it is read), at the place ``decode`` gives -- also when a
    ``}`` after it, inside the same string, puts the cut past it.

    Kills ``fmtcodec.stream.xǁ_Streamǁ_undecodable__mutmut_6`` (the bad byte taken for a cut inside
    a value: the stream reads on to the record's end before it reports)."""

    def test_bad_byte_before_a_brace_in_a_string(self):
        parts = [b'[{"phone": "1"}, {"phone": "2", "name": "\xff}', b'x"}, {"phone": "3"}]']
        with pytest.raises(DecodeError) as whole:
            fmtcodec.decode(b"".join(parts), list[Contact], fmt=3, charset="utf-8")
        assert (whole.value.reason, whole.value.pos, whole.value.column) == ("byte 0xFF is not valid utf-8", 41, 42)
        given = []

        def chunks() -> Iterator[bytes]:
            for part in parts:
                given.append(part)
                yield part

        with pytest.raises(DecodeError) as streamed_error:
            list(fmtcodec.iter_decode(chunks(), list[Contact], fmt=3, charset="utf-8"))
        error = streamed_error.value
        assert (error.reason, error.pos, error.line, error.column, error.path) == (
            "byte 0xFF is not valid utf-8", 41, 1, 42, None
        )
        assert given == parts[:1]


class TestXmlEncodingOfAnUnknownPi:
    """A processing instruction that looks like a declaration with an encoding (``<?xmlx
    encoding=...?>``, which lxml refuses in text) is reported at its own place, not at a later
    ``<?xml`` in a comment or processing instruction.

    Kills ``fmtcodec.xml.xǁ_Documentǁ__init____mutmut_82`` (the last ``<?xml`` reported)."""

    @pytest.mark.parametrize(
        "payload",
        [b'<?xmlx encoding="utf-8"?><list></list><!-- <?xml -->', b'<?xml-x encoding="utf-8"?><list></list><?xml-y?>'],
    )
    def test_reported_at_the_first(self, payload):
        with pytest.raises(DecodeError) as caught:
            fmtcodec.decode(payload, list[Group], fmt=2)
        error = caught.value
        assert (error.reason, error.pos, error.line, error.column, error.path) == (
            "malformed XML: an XML declaration may only open the document", 0, 1, 1, None
        )


# ---------------------------------------------------------------------------------------------
# The unsampled run on the compiled core (docs/development.md, "Scores"): survivors killed here.


class TestPlainOkRefused:
    """A fmt 0 reply asked for as ``Ok`` that is not ``OK`` is refused at byte 0, with the reason
    "expected 'OK'" (the whole reply is the one token; spec/formats.md, fmt 0 replies).

    Kills ``fmtcodec.text.x_decode_ok__mutmut_3``, ``_7``, ``_8``, ``_9`` (the reason changed)
    and ``_10`` (reported at byte 1)."""

    @pytest.mark.parametrize(
        ("payload", "near"), [(b"NO", "'NO'"), (b"  OKAY\n", "'  OKAY\\n'"), (b"ok", "'ok'")]
    )
    def test_not_ok(self, payload, near):
        reason, pos, path = failure(lambda: fmtcodec.decode(payload, fmtcodec.Ok, fmt=0))
        assert (reason, pos, path) == (f"fmt 0: expected 'OK' - byte 0 (line 1, column 1), near {near}", 0, None)

    def test_ok_with_ascii_whitespace_around(self):
        assert fmtcodec.decode(b" \r\nOK\r\n", fmtcodec.Ok, fmt=0) == fmtcodec.Ok()


def _refuse(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("the pure-Python path was asked, but the compiled core reads this")


_CORE_CONTACTS = [
    Contact(phone="79110000001", name="Анна", group="5922", birthday="01.02.1990", tags="vip"),
    Contact(phone="79110000002", name="Борис"),
]


@pytest.mark.skipif(not fmtcodec.COMPILED, reason="the compiled core is not built here")
class TestCompiledCoreAnswersFirst:
    """Where the compiled core is built, it reads and writes the plain fmt 0 and fmt 1 rows of a
    record list itself: the pure-Python fast and general paths are not asked at all (they are
    replaced here by a function that fails).  What the core declines still goes to them
    (``tests/test_compiled.py``).

    Kills the wrappers' mutants that skip the core or ask the pure path anyway:
    ``fmtcodec.text.x_decode_records__mutmut_1``, ``_6`` and their kin in ``values`` and in the
    encoders."""

    def test_fmt0_rows_read_in_c(self, monkeypatch):
        payload = fmtcodec.encode(_CORE_CONTACTS, fmt=0)
        monkeypatch.setattr(fmtcodec.text, "_fast_records", _refuse)
        monkeypatch.setattr(fmtcodec.text, "_general_records", _refuse)
        assert fmtcodec.decode(payload, list[Contact], fmt=0) == _CORE_CONTACTS

    def test_fmt1_rows_read_in_c(self, monkeypatch):
        payload = fmtcodec.encode(_CORE_CONTACTS, fmt=1)
        monkeypatch.setattr(fmtcodec.values, "_fast_records", _refuse)
        monkeypatch.setattr(fmtcodec.values, "_general_records", _refuse)
        assert fmtcodec.decode(payload, list[Contact], fmt=1) == _CORE_CONTACTS

    @pytest.mark.parametrize("strict", [True, False])
    def test_fmt0_rows_written_in_c(self, monkeypatch, strict):
        monkeypatch.setattr(fmtcodec.text, "_fast_lines", _refuse)
        monkeypatch.setattr(fmtcodec.text, "_lines_as_written", _refuse)
        assert fmtcodec.encode(_CORE_CONTACTS, fmt=0, strict=strict) == (
            "phone = 79110000001, name = Анна, group = 5922, first_name = , last_name = , middle_name = ,"
            " birthday = 01.02.1990, id = , comments = , tags = vip, phone_other = \n"
            "phone = 79110000002, name = Борис, group = , first_name = , last_name = , middle_name = ,"
            " birthday = , id = , comments = , tags = , phone_other = "
        ).encode()

    @pytest.mark.parametrize("strict", [True, False])
    def test_fmt1_rows_written_in_c(self, monkeypatch, strict):
        monkeypatch.setattr(fmtcodec.values, "_fast_lines", _refuse)
        monkeypatch.setattr(fmtcodec.values, "_lines_as_written", _refuse)
        assert fmtcodec.encode(_CORE_CONTACTS, fmt=1, strict=strict) == (
            "79110000001,Анна,5922,,,,01.02.1990,,,vip,\n79110000002,Борис,,,,,,,,,"
        ).encode()

    def test_fmt0_number_past_64_bits_goes_to_the_pure_fast_path(self, monkeypatch):
        # the core reads machine integers and declines a longer one; the pure fast path (not the
        # line-by-line general path) then reads the reply.  Kills text.x_decode_records__mutmut_7.
        monkeypatch.setattr(fmtcodec.text, "_general_records", _refuse)
        payload = b"id = 5, name = a, number = , cnt = 99999999999999999999999"
        assert fmtcodec.decode(payload, list[Group], fmt=0) == [
            Group(id=5, name="a", number=None, cnt=99999999999999999999999)
        ]

    def test_fmt1_number_past_64_bits_goes_to_the_pure_fast_path(self, monkeypatch):
        monkeypatch.setattr(fmtcodec.values, "_general_records", _refuse)
        payload = b"5,a,,99999999999999999999999"
        assert fmtcodec.decode(payload, list[Group], fmt=1) == [
            Group(id=5, name="a", number=None, cnt=99999999999999999999999)
        ]


class TestPlainErrorReplyStart:
    """Only ASCII whitespace may come before ``ERROR =`` in a fmt 0 error reply (as in fmt 3, see
    ``TestJsonErrorReplyStart``): after a no-break space or another Unicode space the payload is no
    error reply at all -- not a malformed one.

    Kills ``fmtcodec.text.x_decode_error__mutmut_4`` (Unicode whitespace stripped)."""

    @pytest.mark.parametrize(("space", "shown"), [("\xa0", "\\xa0"), ("\u2003", "\\u2003"), ("\x1c", "\\x1c")])
    def test_unicode_space_before_error(self, space, shown):
        payload = f"{space}ERROR = 1 (x)".encode()
        assert failure(lambda: fmtcodec.decode(payload, Error, fmt=0)) == (
            f"fmt 0: expected an error reply - at $, byte 0 (line 1, column 1), near '{shown}ERROR = 1 (x)'",
            0,
            "$",
        )

    def test_ascii_whitespace_before_error(self):
        assert fmtcodec.decode(b" \t\r\nERROR = 1 (x)", Error, fmt=0) == Error(error_code=1, error="x")


class TestShownValues:
    """What an error message shows of a value: a repr that fails is named by its type, and a repr
    of exactly the limit is kept whole.

    Kills ``fmtcodec.errors.x_shown__mutmut_4`` and ``_5`` (the stand-in text lost or naming
    ``NoneType``) and ``_8`` (a repr of exactly ``limit`` characters cut)."""

    def test_a_failing_repr_is_named_by_its_type(self):
        class Opaque:
            def __repr__(self) -> str:
                raise RuntimeError("no repr here")

        assert fmtcodec.errors.shown(Opaque()) == "<Opaque without a repr>"

    def test_a_repr_of_the_limit_is_whole_and_one_more_is_cut(self):
        assert fmtcodec.errors.shown("x" * 8, limit=10) == "'xxxxxxxx'"
        assert fmtcodec.errors.shown("x" * 9, limit=10) == "'xxxxxxxx…"


class TestApiErrorMessage:
    """An error reply's exception says the message id the send page adds, and names the contacts
    page when no page is given.

    Kills ``fmtcodec.errors.xǁApiErrorǁ__init____mutmut_1``, ``_2`` (the default page changed) and
    ``_15`` (the message id left out of the text)."""

    def test_the_message_id_is_in_the_text(self):
        error = fmtcodec.ApiError(6, "", fmt=1, meaning="Message denied.", meaning_ru=None, page="send", id="12")
        assert str(error) == "server error 6, message id 12: Message denied."
        assert (error.code, error.id, error.page) == (6, "12", "send")

    def test_the_page_defaults_to_contacts(self):
        error = fmtcodec.ApiError(77, "odd", fmt=0, meaning=None, meaning_ru=None)
        assert str(error) == "server error 77 (odd): code not documented for the contacts page"
        assert error.page == "contacts"
        assert error.id is None


class TestPlacesAfterALeadingLineBreak:
    """A reply whose first byte is a line break: an error on the second line is at line 2, its
    column counted from that first byte's end.

    Kills ``fmtcodec.charset.xǁSourceǁ_undecodable__mutmut_11`` and ``_42`` (the search for the line
    start and the count of lines begun at byte 1) and ``xǁSourceǁerror__mutmut_22`` (the same in
    the text)."""

    def test_an_undecodable_byte(self):
        with pytest.raises(DecodeError) as caught:
            fmtcodec.decode(b"\nabc\xff", list[Group], fmt=0, charset="utf-8")
        error = caught.value
        assert (str(error), error.pos, error.line, error.column) == (
            "fmt 0: byte 0xFF is not valid utf-8 - byte 4 (line 2, column 4), near '\ufffd'", 4, 2, 4
        )

    def test_a_value_refused(self):
        with pytest.raises(DecodeError) as caught:
            fmtcodec.decode("\n= bad", list[Group], fmt=0)
        error = caught.value
        assert (error.pos, error.line, error.column, error.path) == (1, 2, 1, "$[0]")


class TestSourceHead:
    """``Source.head`` gives the first 64 characters without decoding the whole payload (a byte
    further on that is not UTF-8 raises nothing), and the decoded text's own characters once there
    is one.

    Kills ``fmtcodec.charset.xǁSourceǁhead__mutmut_1`` (65 characters), ``_2`` (the bytes cut
    after the text was decoded) and ``_3``, ``_4`` (the whole payload decoded first)."""

    def test_the_head_of_bytes_is_decoded_alone(self):
        source = Source.from_payload(b"x" * 100 + b"\xff", charset="utf-8", fmt=0)
        assert source.head() == "x" * 64
        with pytest.raises(DecodeError):
            source.text  # noqa: B018 -- the whole payload does not decode

    def test_the_head_of_decoded_text_is_its_characters(self):
        source = Source.from_payload("я".encode() * 40, charset="utf-8", fmt=0)
        assert source.head() == "я" * 32  # 64 bytes
        assert source.text == "я" * 40
        assert source.head() == "я" * 40  # 64 characters of the text


class TestLayoutTableRefusals:
    """A sentence of the layout table with an unbalanced bracket is refused with the template
    named, and a record whose every value is not text is refused at its first field when written
    as the server writes (``strict=False``), not passed on as it is.

    Kills ``fmtcodec.layout.xǁSentenceǁparse__mutmut_8``, ``xǁSentenceǁ_read__mutmut_40`` (the
    messages lost) and ``xǁRecordLayoutǁtext_columns__mutmut_14`` (the type check inverted)."""

    def test_unbalanced_brackets_in_a_sentence(self):
        from fmtcodec.layout import Sentence

        with pytest.raises(ValueError, match=r"^spec/layout\.toml: unbalanced '\]' in sentence 'OK - \{cnt\}\]'$"):
            Sentence.parse("OK - {cnt}]")
        with pytest.raises(ValueError, match=r"^spec/layout\.toml: unclosed '\[' in sentence 'OK \[- \{cnt\}'$"):
            Sentence.parse("OK [- {cnt}")

    @pytest.mark.parametrize("fmt", [0, 1])
    def test_a_record_of_no_text_at_all(self, fmt):
        record = Contact(**dict.fromkeys(Contact.__struct_fields__, 7))
        with pytest.raises(fmtcodec.EncodeError) as caught:
            fmtcodec.encode([record], fmt=fmt, strict=False)
        assert caught.value.path == "$[0].phone"
        assert str(caught.value) == f"fmt {fmt} cannot carry the value at $[0].phone: `phone` must be a str, got 7"


class TestLayoutWriters:
    """What the layout's writers promise beyond the records they are given: an amount of exactly
    the digits the decoders read is written and one more is refused with its name and the limit;
    a field error reads as its reason; a sentence of the table with text right before an optional
    part keeps that text; a record of text only takes the shortcut (no value checked one by one)
    and a record of another kind whose values are all text does not.

    Kills ``fmtcodec.layout.x__format_decimal__mutmut_15`` and ``_16`` (the limit moved, the
    message lost), ``xǁFieldValueErrorǁ__init____mutmut_1``, ``xǁSentenceǁ_read__mutmut_26`` to
    ``_28`` (the text before ``[`` lost or changed), ``xǁRecordLayoutǁto_texts__mutmut_10``,
    ``text_columns__mutmut_1`` to ``_3`` and ``_20``, ``wire_rows__mutmut_1`` and ``_2`` (the
    shortcut turned off, or taken by a kind with numbers)."""

    def test_an_amount_of_exactly_the_digits_read_is_written(self):
        from decimal import Decimal

        from fmtcodec.layout import layout_for

        cost = next(field for field in layout_for(fmtcodec.Status).fields if field.name == "cost")
        assert cost.format(Decimal("1" * 4300)) == "1" * 4300
        with pytest.raises(ValueError, match=r"^`cost` has more than 4300 digits; at most 4300 are read$"):
            cost.format(Decimal("1" * 4301))

    def test_a_field_error_reads_as_its_reason(self):
        from fmtcodec.layout import FieldValueError

        error = FieldValueError(2, "`id` must be an int")
        assert (str(error), error.field, error.reason) == ("`id` must be an int", 2, "`id` must be an int")

    def test_text_before_an_optional_part_of_a_sentence(self):
        from fmtcodec.layout import Sentence

        assert Sentence.parse("sent[ - {cnt}] ok") == Sentence(("sent", Sentence((" - ", ("cnt",))), " ok"))

    def test_records_of_text_only_are_written_without_a_check_a_value(self, monkeypatch):
        from fmtcodec.layout import FieldLayout, RecordLayout, layout_for

        layout = layout_for(Contact)
        first = Contact(phone="79990000001", name="Ann", group="1,2")
        second = Contact(phone="79990000002", name="Bob")
        texts = [[str(value) for value in msgspec.structs.astuple(record)] for record in (first, second)]

        def checked_one_by_one(self: FieldLayout, value: object) -> str:
            raise AssertionError(f"{self.name} was checked on its own")

        def written_one_by_one(self: RecordLayout, record: object) -> list[str]:
            raise AssertionError("the rows were written a record at a time")

        monkeypatch.setattr(FieldLayout, "format", checked_one_by_one)
        assert layout.to_texts(first) == texts[0]
        monkeypatch.setattr(RecordLayout, "to_texts", written_one_by_one)
        assert layout.text_columns([first, second]) == list(zip(*texts, strict=True))
        assert [list(row) for row in layout.wire_rows([first, second], 1)] == texts
        assert layout.text_columns([]) is None

    @pytest.mark.parametrize("fmt", [0, 1])
    def test_a_kind_with_numbers_is_checked_even_when_every_value_is_text(self, fmt):
        group = Group(id="5", name="x", number="1", cnt="2")  # records are not checked when made
        with pytest.raises(fmtcodec.EncodeError) as caught:
            fmtcodec.encode([group], fmt=fmt, strict=False)
        assert str(caught.value) == f"fmt {fmt} cannot carry the value at $[0].id: `id` must be an int, got '5'"


class TestMisusedReplyTypeThatIsNoType:
    """``decode`` given for ``type`` something that is not a type, unhashable ones included (a
    dict, a list), is refused with the library's own message naming the reply kinds -- the table
    lookups by record are made only for a type.

    Kills ``fmtcodec.api.x_decode__mutmut_5``, ``_7`` (the single-record layout looked up for
    anything: ``unhashable type``) and ``_16`` (the list layout looked up for anything, for the
    hint)."""

    @pytest.mark.parametrize(("kind", "shown"), [({}, "{}"), ([], "[]"), ({"a": 1}, "{'a': 1}")])
    def test_refused(self, kind, shown):
        with pytest.raises(TypeError) as caught:
            fmtcodec.decode(b"OK", kind, fmt=0)
        assert str(caught.value) == (
            "type must be a reply kind of fmtcodec.REPLY_TYPES (list[Contact], list[Status], Sent,"
            f" Status, Balance, …, Created, Ok or Error); got {shown}"
        )

    def test_a_record_of_a_list_kind_gets_the_hint(self):
        with pytest.raises(TypeError) as caught:
            fmtcodec.decode(b"OK", Contact, fmt=0)
        assert str(caught.value) == (
            "type must be a reply kind of fmtcodec.REPLY_TYPES (list[Contact], list[Status], Sent,"
            " Status, Balance, …, Created, Ok or Error); got <class 'fmtcodec.records.contacts.Contact'>"
            " (a Contact reply is a list: list[Contact])"
        )


class TestListOfARecordNoListHas:
    """``encode`` of a list of records no list reply has (a list of ``Balance``) is refused saying so.

    Kills ``fmtcodec.api.x__layout_of_items__mutmut_10`` (the message lost)."""

    def test_refused(self):
        with pytest.raises(TypeError) as caught:
            fmtcodec.encode([fmtcodec.Balance(balance="1.00")], fmt=3)
        assert str(caught.value) == "cannot encode a list of Balance: no list reply has that record"


class TestListFieldHasNoTextForm:
    """A field of the table that holds a list (the send page's ``phones``) has no text form of its
    own: ``FieldLayout.format`` and ``FieldLayout.parse`` (public in ``fmtcodec.layout``) refuse it
    by name -- the fmt modules write and read its items through the nested kind.

    Kills ``fmtcodec.layout.xǁFieldLayoutǁformat__mutmut_60``, ``_61`` (the list kind not
    recognised) and ``_62`` (the message lost), and ``xǁFieldLayoutǁparse__mutmut_56`` (the
    message lost)."""

    @pytest.mark.parametrize("kind", ["sent", "cost"])
    def test_format(self, kind):
        field = fmtcodec.layout.LAYOUTS[kind].fields[fmtcodec.layout.LAYOUTS[kind].field_index["phones"]]
        with pytest.raises(ValueError, match=r"^`phones` is a list, which has no text form$"):
            field.format([])

    def test_parse(self):
        field = fmtcodec.layout.LAYOUTS["sent"].fields[fmtcodec.layout.LAYOUTS["sent"].field_index["phones"]]
        with pytest.raises(ValueError, match=r"^`phones` \(list\?\) has no text form$"):
            field.parse("79990000000")
