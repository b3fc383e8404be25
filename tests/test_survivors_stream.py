"""Tests for what the unsampled mutation run on the compiled core left alive in ``fmtcodec/stream.py``.

Each class's docstring states the rule and names the mutants it kills.  The record-end scanners
(``_JsonScanner``, ``_XmlScanner``) take over once a plain search for the end bytes has cut a
batch inside a value; every chunk list below starts with such a cut (a ``}`` inside a JSON string,
an item end tag inside an XML comment), so that what follows is read by the scanner.  A scanner
that finds an end inside a value makes a batch fail (an error ``decode`` does not give); one that
misses an end holds records back: so each test checks the records (or the exact error) and, for
each chunk, how many records had been yielded before it was read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

import fmtcodec
from fmtcodec import Contact, DecodeError, Group, MailContact, stream


def progress(chunks: list[bytes], kind: type, **options: Any) -> tuple[list[Any], list[int]]:
    """The records ``iter_decode`` yields from ``chunks``, and for each chunk how many records had
    been yielded before it was read."""
    out: list[Any] = []
    before: list[int] = []

    def source() -> Iterator[bytes]:
        for chunk in chunks:
            before.append(len(out))
            yield chunk

    for record in fmtcodec.iter_decode(source(), list[kind], **options):
        out.append(record)
    return out, before


def failure(chunks: list[bytes], kind: type, **options: Any) -> tuple[tuple[Any, ...], int]:
    """The error ``iter_decode`` raises on ``chunks`` (message, byte, line, column, path), and how
    many chunks it had read by then."""
    read = 0

    def source() -> Iterator[bytes]:
        nonlocal read
        for chunk in chunks:
            read += 1
            yield chunk

    with pytest.raises(DecodeError) as caught:
        list(fmtcodec.iter_decode(source(), list[kind], **options))
    error = caught.value
    return (str(error), error.pos, error.line, error.column, error.path), read


# a cut inside "a}" fails: the JSON scanner reads from here, inside the string after "comments"
JSON_SCANNED = b'[{"phone": "1", "name": "a}", "comments": "'
# a cut at the end tag inside the comment fails: the XML scanner reads from here, in the comment
XML_SCANNED = b"<list><contact><phone>1</phone><!-- </contact> "


def contact(phone: str, **fields: str) -> Contact:
    return Contact(phone=phone, **fields)


class TestJsonStringAcrossChunks:
    """Once the JSON scanner is on, a string a chunk leaves open is followed to its closing quote:
    a backslash and the byte after it are skipped as a pair -- also when the backslash is the
    last byte of a chunk -- and the scan goes on right after the closing quote in the same chunk,
    so the records that chunk completes are yielded before the next chunk is read.

    Kills ``fmtcodec.stream.xǁ_JsonScannerǁ_finish_string__mutmut_12`` (a backslash taken for the
    closing quote), ``..._13``, ``..._15``, ``..._16``, ``..._17`` (a backslash ending a chunk: its
    pair lost, or the position lost), ``..._18``, ``..._19``, ``..._20`` (the position after an
    escape pair lost, moved back, or one byte too far), ``..._21`` (the scan stops after an escape
    pair), ``..._26`` (the byte after the closing quote skipped), ``..._27`` and
    ``fmtcodec.stream.xǁ_JsonScannerǁscan__mutmut_3`` (the scan stops after the closing quote)."""

    @pytest.mark.parametrize(
        ("chunks", "comments"),
        [
            ([JSON_SCANNED, b'\\\\}"}, {"phone": "2"}', b"]"], "\\}"),  # an escaped backslash, a brace
            ([JSON_SCANNED, b'\\\\"}, {"phone": "2"}', b"]"], "\\"),  # the pair right before the quote
            ([JSON_SCANNED + b"x\\", b'"}"}, {"phone": "2"}', b"]"], 'x"}'),  # the chunk ends at "\"
        ],
    )
    def test_records_of_the_chunk_that_closes_the_string(self, chunks, comments):
        expected = [contact("1", name="a}", comments=comments), contact("2")]
        assert fmtcodec.decode(b"".join(chunks), list[Contact], fmt=3) == expected
        assert progress(chunks, Contact, fmt=3) == (expected, [0, 0, 2])


class TestJsonBackslashBeforeLineBreak:
    """A backslash before a raw line break in a string (bad JSON the string pattern does not take
    whole; the scanner skips the pair itself) is reported as ``decode`` reports it, from the chunk
    that holds it.

    Kills ``fmtcodec.stream.xǁ_JsonScannerǁscan__mutmut_25`` (the scan resumed on no buffer: a
    ``TypeError``)."""

    def test_error_as_decode_gives_it(self):
        payload = JSON_SCANNED + b'x\\\ny"}, {"phone": "2"}]'
        message = (
            "fmt 3: JSON is malformed: invalid escape character in string - byte 46 (line 2, column 1), "
            "near 'y\"}, {\"phone\": \"2\"}]'"
        )
        with pytest.raises(DecodeError) as whole:
            fmtcodec.decode(payload, list[Contact], fmt=3)
        assert str(whole.value) == message
        assert failure([payload, b" "], Contact, fmt=3) == ((message, 46, 2, 1, None), 1)


class TestJsonDepth:
    """A JSON record ends where the depth of ``{``/``[`` against ``}``/``]`` returns to 0 at a
    ``}``: a batch holds whole records only, so an array or object inside a record (an unknown
    field) is reported with the text ``decode`` shows after it, as soon as the record is complete.

    Kills ``fmtcodec.stream.xǁ_JsonScannerǁscan__mutmut_28`` (``[`` not counted),
    ``..._34`` (``]`` not counted), ``..._29`` (``{`` sets the depth to 1) and ``..._38`` (every
    ``}`` ends a record)."""

    def test_array_in_a_record(self):
        chunks = [b'[{"phone": "1", "name": "a}"', b', "x": [1]}, {"phone": "2"}', b', {"phone": "3"}]']
        message = "fmt 3: unknown field 'x' - at $[0].x, byte 35 (line 1, column 36), near '[1]}, {\"phone\": \"2\"}]'"
        assert failure(chunks, Contact, fmt=3) == ((message, 35, 1, 36, "$[0].x"), 2)

    def test_object_in_a_record(self):
        chunks = [b'[{"phone": "1", "name": "a}"', b', "x": {"a": 1}', b'}, {"phone": "2"}]']
        message = (
            "fmt 3: unknown field 'x' - at $[0].x, byte 35 (line 1, column 36), near '{\"a\": 1}}, {\"phone\": \"2\"'"
        )
        with pytest.raises(DecodeError) as whole:
            fmtcodec.decode(b"".join(chunks), list[Contact], fmt=3)
        assert str(whole.value) == message
        assert failure(chunks, Contact, fmt=3) == ((message, 35, 1, 36, "$[0].x"), 3)


class TestXmlMarkupAcrossChunks:
    """Once the XML scanner is on, a comment is skipped to its first ``-->`` -- also when a chunk
    cuts that ``-->`` in two or starts with it -- and the scan goes on after it in the same chunk;
    an item end tag a chunk cuts in two is found when the rest comes; a comment whose text ends in
    ``<?`` ends at its ``-->``; and a comment right after a record end that ended a chunk is
    skipped whole.  Each chunk's completed records are yielded before the next chunk is read.

    Kills ``fmtcodec.stream.xǁ_XmlScannerǁscan__mutmut_9`` (the last ``-->`` in the buffer, not the
    first), ``..._18`` (the position after the buffer's end while in a comment), ``..._19`` (a
    ``-->`` cut after ``--`` missed), ``..._21`` (the scan resumes before the ``-->``), ``..._23``
    (the scan stops after a comment), ``..._37`` (an end tag cut before its ``>`` missed) and
    ``fmtcodec.stream.xǁ_Scannerǁcut__mutmut_7`` (the first byte after a batch skipped)."""

    @pytest.mark.parametrize(
        ("chunks", "before"),
        [
            (
                [XML_SCANNED, b"--></contact><contact><phone>2</phone></contact><contact><!-- b --><phone>3</phone>",
                 b"</contact>\n</list>"],
                [0, 0, 2],
            ),
            ([XML_SCANNED + b"--", b"></contact><contact><phone>2</phone></contact>", b"\n</list>"], [0, 0, 2]),
            ([XML_SCANNED, b"--></contact><contact><!-- <?--><phone>2</phone></contact>", b"\n</list>"], [0, 0, 2]),
            ([XML_SCANNED, b"--></contact>", b"<!-- </contact> --><contact><phone>2</phone>", b"</contact>\n</list>"],
             [0, 0, 1, 1]),
            ([XML_SCANNED, b"--></contact><contact><phone>2</phone></contact", b">", b"\n</list>"], [0, 0, 1, 2]),
        ],
    )
    def test_records_as_they_complete(self, chunks, before):
        expected = fmtcodec.decode(b"".join(chunks), list[Contact], fmt=2)
        assert [c.phone for c in expected] == [str(n) for n in range(1, len(expected) + 1)]
        assert progress(chunks, Contact, fmt=2) == (expected, before)


MAIL_ROWS = fmtcodec.encode([MailContact(mail="{a@b.c}", name="x"), MailContact(mail="<d@e.f>", name="y")], fmt=1)


class TestMailRowsThatLookLikeMarkup:
    """With ``fmt=None``, a fmt 1 mail-contact reply whose first e-mail starts with ``{`` or ``<``
    (so that its head looks like fmt 3 or 2) is read as ``decode`` reads it: the first piece
    (up to the first comma or line break, after a byte order mark and leading whitespace, however
    far chunks cut it) decides whether it may be fmt 1.

    Kills ``fmtcodec.stream.xǁ_Streamǁfirst_piece__mutmut_9`` (only the first buffered bytes
    looked at), ``..._19`` (the first character dropped), ``..._21`` (no start after a byte order
    mark: a ``TypeError``), ``..._22`` and ``..._26`` (the mark and whitespace kept in the piece)."""

    @pytest.mark.parametrize(
        "payload",
        [
            MAIL_ROWS,
            b"\xef\xbb\xbf\t" + MAIL_ROWS,
            MAIL_ROWS.replace(b"{a@b.c}", b"{@b.c}"),
            MAIL_ROWS.replace(b"{a@b.c}", b"{" + b"a" * 200 + b"@b.c}"),
        ],
    )
    def test_records_as_decode_gives_them(self, payload):
        expected = fmtcodec.decode(payload, list[MailContact])
        assert expected[1] == MailContact(mail="<d@e.f>", name="y")
        chunks = [payload[n : n + 16] for n in range(0, len(payload), 16)]
        assert progress(chunks, MailContact)[0] == expected


class TestMailRowsAfterBlankLines:
    """A line break among the leading whitespace does not end the first piece: a fmt 1
    mail-contact reply after blank lines is read as ``decode`` reads it (it raised "JSON is
    malformed" before: the empty piece before the first line break was judged)."""

    @pytest.mark.parametrize("lead", [b"\n", b"\n\n", b"\xef\xbb\xbf\n", b"\r\n"])
    def test_records_as_decode_gives_them(self, lead):
        payload = lead + MAIL_ROWS
        expected = fmtcodec.decode(payload, list[MailContact])
        assert [m.mail for m in expected] == ["{a@b.c}", "<d@e.f>"]
        assert progress([payload], MailContact)[0] == expected


class CountingPattern:
    """A compiled pattern that counts the bytes its searches are given to look at."""

    def __init__(self, pattern: re.Pattern[bytes]) -> None:
        self.pattern = pattern
        self.looked = 0

    def search(self, buffer: bytearray, pos: int = 0) -> re.Match[bytes] | None:
        self.looked += len(buffer) - pos
        return self.pattern.search(buffer, pos)


class TestFirstPieceLooksOnce:
    """The search for the end of the first piece looks at each byte once, however small the chunks
    (the module's promise: time linear in the stream).

    Kills ``fmtcodec.stream.xǁ_Streamǁfirst_piece__mutmut_8`` (each search from the buffer's start:
    quadratic in a long first piece)."""

    def test_long_first_email_in_small_chunks(self, monkeypatch):
        payload = MAIL_ROWS.replace(b"{a@b.c}", b"{" + b"a" * 5000 + b"@b.c}")
        counting = CountingPattern(stream._PIECE_END)
        monkeypatch.setattr(stream, "_PIECE_END", counting)
        chunks = [payload[n : n + 10] for n in range(0, len(payload), 10)]
        out, _ = progress(chunks, MailContact)
        assert [len(m.mail) for m in out] == [5006, 7]
        assert 5006 <= counting.looked <= len(payload)


def whole_failure(payload: bytes, kind: type, **options: Any) -> tuple[Any, ...]:
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, list[kind], **options)
    error = caught.value
    return (str(error), error.pos, error.line, error.column, error.path)


class TestJsonAfterTheLastSeparator:
    """What follows the last separator of a fmt 3 stream, when it is no record, is reported as
    ``decode`` reports it: a value that is no object at its own byte and index, a closing bracket
    right after the separator as a trailing comma, also when bytes follow the bracket (it was
    "trailing characters" after the bracket: the rest was read as a list of its own).

    Kills ``fmtcodec.stream.xǁ_Streamǁ_last__mutmut_24`` and ``..._26`` (any rest judged after the
    stand-in for the records before: the error placed at the stand-in)."""

    @pytest.mark.parametrize(
        ("payload", "reason"),
        [
            (b'[{"phone": "1"},5]', "fmt 3: expected an object for a contact - at $[1], byte 16 (line 1, column 17), near '5]'"),
            (b'[{"phone": "1"},]x', "fmt 3: JSON is malformed: trailing comma in array - byte 16 (line 1, column 17), near ']x'"),
            (b'[{"phone": "1"} , ]x', "fmt 3: JSON is malformed: trailing comma in array - byte 18 (line 1, column 19), near ']x'"),
        ],
    )
    def test_error_as_decode_gives_it(self, payload, reason):
        expected = whole_failure(payload, Contact, fmt=3)
        assert expected[0] == reason
        assert failure([payload[:5], payload[5:]], Contact, fmt=3) == (expected, 2)


class TestCharsetOfTheFirstNonAsciiBatch:
    """The first batch holding non-ASCII bytes decides the charset for the rest of the stream: a
    later byte that is not UTF-8 after a UTF-8 batch is an error, not a switch to windows-1251.

    Kills ``fmtcodec.stream.xǁ_Streamǁ_decode__mutmut_48`` and ``..._50`` (the charset not kept)."""

    def test_windows_1251_byte_after_utf8(self):
        chunks = [b'[{"phone": "1", "name": "\xd0\xb0"},', b' {"phone": "2", "name": "\xe0"}]']
        message = "fmt 3: byte 0xE0 is not valid utf-8 - byte 55 (line 1, column 55), near '\ufffd\"}]'"
        assert failure(chunks, Contact, fmt=3) == ((message, 55, 1, 55, None), 2)


class TestUndecodableByteAfterTheCut:
    """With the charset given, a failed batch is blamed on a byte the charset cannot decode only
    when that byte is inside the batch; one after the cut is reported later, at its own place.

    Kills ``fmtcodec.stream.xǁ_Streamǁ_cut__mutmut_45`` (the bytes after the cut looked at too:
    "Input data was truncated" reported for the cut batch)."""

    def test_bad_byte_after_a_brace_in_a_string(self):
        chunks = [b'[{"phone": "1", "name": "a}"}, {"phone": "2", "name": "b}\xff', b'"}]']
        message = "fmt 3: byte 0xFF is not valid utf-8 - byte 57 (line 1, column 58), near '\ufffd\"}]'"
        assert failure(chunks, Contact, fmt=3, charset="utf-8") == ((message, 57, 1, 58, None), 2)


class TestErrorReplyAfterAByteOrderMark:
    """A fmt 0 error reply behind a UTF-8 byte order mark is the server's error, as ``decode`` reads it.

    Kills ``fmtcodec.stream.xǁ_Streamǁopen__mutmut_6`` (the mark looked for at the end: the reply
    read as records)."""

    def test_api_error(self):
        with pytest.raises(fmtcodec.ApiError) as caught:
            list(fmtcodec.iter_decode(iter([b"\xef\xbb\xbfERROR = 1 (bad)"]), list[Contact], fmt=0))
        assert str(caught.value) == "server error 1 (bad): Error in parameters."


def first_yield(before: list[int]) -> int:
    """How many chunks had been read when the first record was yielded (from ``progress``)."""
    return next(read for read, count in enumerate(before) if count)


class TestDetectedFmt1Streamed:
    """A list detected as fmt 1 (or 0) is streamed -- a first record yielded after a few chunks,
    not after the whole source -- even when its first piece could start a row: only a reply
    detected as fmt 2 or 3 of a kind whose rows start with an e-mail address is decoded whole,
    to judge a collision with fmt 1.

    Kills ``fmtcodec.stream.x_iter_decode__mutmut_29`` (any reply whose first piece could start a
    row decoded whole)."""

    @pytest.mark.parametrize(
        ("kind", "records"),
        [
            (Contact, [contact(f"7916{n:07}", name=f"N{n}") for n in range(400)]),
            (Group, [Group(id=n + 1, name=f"group {n}", cnt=n) for n in range(400)]),
        ],
    )
    def test_first_record_early(self, kind, records):
        payload = fmtcodec.encode(records, fmt=1)
        chunks = [payload[at : at + 64] for at in range(0, len(payload), 64)]
        assert len(chunks) > 100
        out, before = progress(chunks, kind, chunk_size=64)
        assert out == records
        assert first_yield(before) <= 4


class TestCharsetOfAWholeDecode:
    """A fmt 1 mail-contact list that starts like fmt 3 (``{a@b.c},...``) is decoded whole, in the
    charset the caller gave (KOI8-R here: read without it, the bytes are windows-1251).

    Kills ``fmtcodec.stream.x_iter_decode__mutmut_40`` and ``..._43`` (the charset dropped)."""

    def test_koi8r(self):
        mails = [MailContact(mail="{a@b.c}", name="Иван"), MailContact(mail="d@e.f", name="Пётр")]
        payload = fmtcodec.encode(mails, fmt=1, charset="koi8-r")
        assert payload == "{a@b.c},Иван,,,,,,,,,\nd@e.f,Пётр,,,,,,,,,".encode("koi8-r")
        chunks = [payload[:5], payload[5:20], payload[20:]]
        assert list(fmtcodec.iter_decode(iter(chunks), list[MailContact], charset="koi8-r")) == mails
        unsaid = list(fmtcodec.iter_decode(iter(chunks), list[MailContact]))
        assert (unsaid[0].name, unsaid[1].name) == ("йЧБО", "рЈФТ")


class TestGivenCharsetKept:
    """A charset the caller gives wins over everything the reply says or looks like: over an
    XML prolog declaring another, and in fmt 3, which declares none (so the bytes are not sniffed
    as UTF-8 or windows-1251), as ``decode`` takes it.

    Kills ``fmtcodec.stream.xǁ_Streamǁopen__mutmut_29`` (the declared charset asked for whenever
    one was given: the prolog's, or none for fmt 3)."""

    CONTACTS: ClassVar[list[Contact]] = [contact(f"7916{n:07}", name=f"Иван {n}") for n in range(3)]

    @pytest.mark.parametrize("fmt", [None, 2, 3])
    def test_koi8r(self, fmt):
        payload = fmtcodec.encode(self.CONTACTS, fmt=fmt or 2, charset="koi8-r")
        if fmt != 3:
            payload = payload.replace(b'encoding="koi8-r"', b'encoding="windows-1251"', 1)
            assert payload.startswith(b'<?xml version="1.0" encoding="windows-1251"?>')
        assert fmtcodec.decode(payload, list[Contact], fmt=fmt, charset="koi8-r") == self.CONTACTS
        chunks = [payload[:50], payload[50:]]
        out, _ = progress(chunks, Contact, fmt=fmt, charset="koi8-r")
        assert out == self.CONTACTS


class TestOpeningAfterLongWhitespace:
    """With ``fmt`` given, the list opening (``[`` of fmt 3) is looked for each time the buffer
    has doubled; while it is not there, up to 256 KiB (``_OPENING_LIMIT``) are read, and beyond
    that the reply is decoded whole (the first record comes once the whole source is read).  An
    opening found by 512 KiB after exactly 256 KiB without it is streamed from there.

    Kills ``fmtcodec.stream.xǁ_Streamǁopen__mutmut_23`` (more than 256 KiB read until the opening
    comes: the reply streamed) and ``..._25`` (given up at exactly 256 KiB: decoded whole)."""

    RECORDS: ClassVar[list[Contact]] = [contact(f"7916{n:07}", name=f"N{n}") for n in range(9000)]
    CHUNK = 1 << 16

    def chunks(self, spaces: int) -> list[bytes]:
        payload = b" " * spaces + fmtcodec.encode(self.RECORDS, fmt=3)
        return [payload[at : at + self.CHUNK] for at in range(0, len(payload), self.CHUNK)]

    def test_found_by_512_kib_streamed(self):
        chunks = self.chunks(300_000)
        out, before = progress(chunks, Contact, fmt=3)
        assert out == self.RECORDS
        assert len(chunks) > 12
        assert first_yield(before) == 8  # 8 chunks read: 512 KiB, the opening at 300 000

    def test_not_found_by_512_kib_decoded_whole(self):
        chunks = self.chunks(600_000)
        out, before = progress(chunks, Contact, fmt=3)
        assert out == self.RECORDS
        assert len(chunks) > 17
        assert before == [0] * len(chunks)


class TestJsonControlSpaceAfterTheLastSeparator:
    """A fmt 3 stream ending in a separator and then a vertical tab or form feed (whitespace to
    Python, not to JSON) is refused as ``decode`` refuses it -- at that byte, "invalid character"
    -- whether the rest is judged on its own or after the stand-in for the records before.

    Written for ``fmtcodec.stream.xǁ_Streamǁ_last__mutmut_25`` (the rest stripped of every ASCII
    whitespace: judged after the stand-in), which it showed equivalent: both readings stop at the
    same first byte JSON cannot take (mutation/equivalent.txt)."""

    @pytest.mark.parametrize(
        ("payload", "at"),
        [(b'[{"phone": "1"},\x0b', 16), (b'[{"phone": "1"}, \x0c ', 17), (b'[{"phone": "1"},\n\x0b\x0c\n', 17)],
    )
    def test_as_decode(self, payload, at):
        with pytest.raises(DecodeError) as caught:
            fmtcodec.decode(payload, list[Contact], fmt=3)
        whole = caught.value
        line = payload.count(b"\n", 0, at) + 1
        column = at - (payload.rfind(b"\n", 0, at) + 1) + 1
        near = payload[at:].decode()
        assert (str(whole), whole.pos, whole.path) == (
            f"fmt 3: JSON is malformed: invalid character - byte {at} (line {line}, column {column}), near {near!r}",
            at,
            None,
        )
        for cut in (len(payload), 16, 15):
            streamed, _ = failure([payload[:cut], payload[cut:]], Contact, fmt=3)
            assert streamed == (str(whole), at, line, column, None)
