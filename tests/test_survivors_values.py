"""Survivors of the unsampled mutation run on the compiled core in ``values``, ``text``, ``layout``
and ``charset``, killed here; grouped by class, each class's docstring names the mutants it kills
(the equivalent ones are in mutation/equivalent.txt).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar
from unittest import mock

import pytest
from spies import counted

import fmtcodec
from fmtcodec import (
    Balance,
    BlacklistEntry,
    Contact,
    DecodeError,
    EncodeError,
    Error,
    Group,
    MailContact,
    Ok,
    OperatorInfo,
    Sender,
    Sent,
    Status,
    _core,
    values,
)
from fmtcodec import text as fmt0_text
from fmtcodec.charset import Source
from fmtcodec.layout import LAYOUTS, FieldLayout

needs_core = pytest.mark.skipif(_core.CORE is None, reason="the compiled core is not built or FMTCODEC_PURE is set")


def refused(action: Any) -> DecodeError:
    with pytest.raises(DecodeError) as caught:
        action()
    return caught.value


def failure(action: Any) -> tuple[str, int, int, int, str | None]:
    error = refused(action)
    return (str(error), error.pos, error.line, error.column, error.path)


class TestBareOkFmt1:
    """A fmt 1 reply asked for as ``Ok`` that is not ``OK`` (ASCII whitespace around it allowed) is
    refused at byte 0 with the reason "expected 'OK'".

    Kills ``fmtcodec.values.x_decode_ok__mutmut_3``, ``_7``, ``_8``, ``_9`` (the reason changed)
    and ``_10`` (reported at byte 1)."""

    @pytest.mark.parametrize(("payload", "near"), [(b"NO", "'NO'"), (b" OKAY\n", "' OKAY\\n'"), (b"ok", "'ok'")])
    def test_not_ok(self, payload, near):
        assert failure(lambda: fmtcodec.decode(payload, Ok, fmt=1)) == (
            f"fmt 1: expected 'OK' - byte 0 (line 1, column 1), near {near}", 0, 1, 1, None
        )

    def test_ok_with_ascii_whitespace_around(self):
        assert fmtcodec.decode(b"\t OK\r\n", Ok, fmt=1) == Ok()


class TestFmt1ErrorWithDescription:
    """fmt 1 error replies are ``<id>,-N``: an ``Error`` with a description cannot be written, and the
    refusal says how to write it instead, at ``$.error``.

    Kills ``fmtcodec.values.x_encode_error__mutmut_20`` (the message changed)."""

    def test_description_refused(self):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(Error(error_code=3, error="no such message"), fmt=1)
        assert str(caught.value) == (
            "fmt 1 cannot carry the value at $.error: fmt 1 error replies are '0,-N' and carry no"
            " description; use Error(error_code=N)"
        )
        assert caught.value.path == "$.error"

    def test_without_description(self):
        assert fmtcodec.encode(Error(error_code=3, id="7"), fmt=1) == b"7,-3"


class TestSentenceDiagnosis:
    """A fmt 0 sentence (spec/layout.toml ``fmt0.sentence``) whose values do not fit is refused at
    the value that does not fit, with its type's reason and path -- also inside an optional part
    (``[, COST - {cost}...]``); a line longer than 512 characters is not diagnosed (the loose
    holes would be tried at every split): it gets the plain "expected '<sentence>'" at byte 0.

    Kills ``fmtcodec.text.x__sentence_pattern__mutmut_7`` (the loose holes strict: every misfit
    gets "expected ..."), ``_8`` (the strict holes loose: a long line diagnosed too) and ``_12``
    (the optional parts' holes strict in the loose pattern: a misfit there blamed on ``id``)."""

    SENTENCE = "'OK - {cnt} SMS, ID - {id}[, COST - {cost}[, BALANCE - {balance}]]'"

    @pytest.mark.parametrize(
        ("line", "reason", "pos", "path"),
        [
            ("OK - x SMS, ID - 7", "expected an integer for `cnt`, got 'x'", 5, "$.cnt"),
            ("OK - 1 SMS, ID - 7, COST - abc", "expected a decimal amount for `cost`, got 'abc'", 27, "$.cost"),
            ("OK - 1 SMS, ID - 7, COST - 1.5, BALANCE - z",
             "expected a decimal amount for `balance`, got 'z'", 42, "$.balance"),
        ],
    )
    def test_misfit_named(self, line, reason, pos, path):
        error = refused(lambda: fmtcodec.decode(line.encode(), Sent, fmt=0))
        assert (error.reason, error.pos, error.line, error.column, error.path) == (reason, pos, 1, pos + 1, path)

    def test_long_line_not_diagnosed(self):
        line = "OK - " + "x" * 600 + " SMS, ID - 7"
        error = refused(lambda: fmtcodec.decode(line.encode(), Sent, fmt=0))
        assert (error.reason, error.pos, error.path) == (f"expected {self.SENTENCE}", 0, "$")

    def test_fitting_line(self):
        assert fmtcodec.decode(b"OK - 2 SMS, ID - 7, COST - 1.5", Sent, fmt=0) == Sent(
            id="7", cnt=2, cost=Decimal("1.5")
        )


class TestOnePlacementPieces:
    """On the pure path, rows of a kind with one placement a row (groups, blacklists) are cut by one
    pattern whose other fields take only what fits them: a group's id and a blacklist entry's
    phone and type may not be empty, so a row with one empty is refused where it is, as the
    splitter refuses it.

    Kills ``fmtcodec.values.x__row_piece__mutmut_20`` (every piece optional: the empty value
    taken)."""

    @pytest.fixture(autouse=True)
    def pure(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(_core, "CORE", None)
        monkeypatch.setattr(values, "_SPLITTERS", {})

    @pytest.mark.parametrize(
        ("payload", "kind", "reason", "pos", "line"),
        [
            (b"1,a,b,2,3\n,x,,", Group,
             "the row does not split into the 4 fields of a group (id, name, number, cnt)", 10, 2),
            (b"1,79160000001,0,a,b\n2,,1,c", BlacklistEntry,
             "the row does not split into the 4 fields of a blacklist (id, phone, type, comment)", 20, 2),
            (b"1,79160000001,0,a,b\n2,79160000002,,c", BlacklistEntry,
             "the row does not split into the 4 fields of a blacklist (id, phone, type, comment)", 20, 2),
        ],
    )
    def test_empty_required_piece(self, payload, kind, reason, pos, line):
        error = refused(lambda: fmtcodec.decode(payload, list[kind], fmt=1))
        assert (error.reason, error.pos, error.line, error.column, error.path) == (reason, pos, line, 1, "$[1]")

    def test_rows_with_commas_in_the_text(self):
        assert fmtcodec.decode(b"1,a,b,2,3\n2,x,,", list[Group], fmt=1) == [
            Group(id=1, name="a,b", number=2, cnt=3), Group(id=2, name="x")
        ]


MAIL_CONTACTS = [MailContact(mail=f"u{n}@example.org", name=f"N{n}") for n in range(50)]
CHUNK = 64


def first_of_stream(payload: bytes) -> tuple[Any, int, int]:
    """The first record ``iter_decode`` yields from ``payload`` in chunks of 64 bytes (fmt
    detected), how many chunks it had read then, and how many there are."""
    given: list[int] = []

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(payload), CHUNK):
            given.append(start)
            yield payload[start : start + CHUNK]

    first = next(fmtcodec.iter_decode(chunks(), list[MailContact], chunk_size=CHUNK))
    return first, len(given), -(-len(payload) // CHUNK)


class TestMailContactsStreamed:
    """A mail-contact list detected as fmt 2 or 3 is read as fmt 1 too only when its first piece
    (before the first comma or line break, after leading whitespace) could start a fmt 1 row -- an
    e-mail address; otherwise ``iter_decode`` streams it, yielding the first record after a few
    chunks, not after reading the whole source.

    Kills ``fmtcodec.values.x_may_start_a_row__mutmut_2`` (the second field's class asked: free
    text, any piece) and ``_5`` (any piece).  ``_8`` (an empty piece taken for a row start) was
    killed here while ``first_piece`` stopped at a leading line break; it no longer gives an empty
    piece for a reply detected as fmt 2 or 3 (mutation/equivalent.txt)."""

    @pytest.mark.parametrize(("fmt", "lead"), [(2, b""), (3, b""), (3, b"\n"), (3, b" \n\t")])
    def test_streamed(self, fmt, lead):
        payload = lead + fmtcodec.encode(MAIL_CONTACTS, fmt=fmt)
        first, read, chunks = first_of_stream(payload)
        assert first == MAIL_CONTACTS[0]
        assert chunks > 100
        assert read <= 5


class TestPureFmt1Stream:
    """Without the compiled core, a fmt 1 stream is read in batches by the pure path (no memo of
    the core is made).

    Kills ``fmtcodec.values.x_reply_memo__mutmut_2`` (a memo asked of a core that is not there)."""

    def test_groups(self, monkeypatch):
        monkeypatch.setattr(_core, "CORE", None)
        groups = [Group(id=n, name=f"g, {n}", cnt=n % 3 or None) for n in range(1, 200)]
        payload = fmtcodec.encode(groups, fmt=1)
        chunks = [payload[at : at + 100] for at in range(0, len(payload), 100)]
        assert list(fmtcodec.iter_decode(iter(chunks), list[Group], fmt=1, chunk_size=100)) == groups


class TestUndecodedUtf8:
    """``Source.undecoded_utf8``: the payload's bytes after a BOM while no text has been made of
    them and they are UTF-8 (given or still unknown); ``None`` once a text was made, for a ``str``
    payload, and for another charset.  With ``charset="utf-8"`` given, the compiled core reads the
    caller's bytes as they are (no ``str`` of the whole reply).

    Kills ``fmtcodec.charset.xǁSourceǁundecoded_utf8__mutmut_2`` (the bytes given again after a
    text was made of them), ``_6`` and ``_7`` (a given UTF-8 charset not recognised)."""

    PAYLOAD = "5,Друзья,,12\n6,Семья,1,".encode()
    GROUPS: ClassVar[list[Group]] = [Group(id=5, name="Друзья", number=None, cnt=12), Group(id=6, name="Семья", number=1, cnt=None)]

    @pytest.mark.parametrize("charset", [None, "utf-8", "UTF8"])
    def test_bytes_until_a_text_is_made(self, charset):
        src = Source.from_payload(b"\xef\xbb\xbf" + self.PAYLOAD, charset, 1)
        assert src.undecoded_utf8() == self.PAYLOAD
        assert src.text == self.PAYLOAD.decode()
        assert src.undecoded_utf8() is None

    @pytest.mark.parametrize(("data", "charset"), [(PAYLOAD, "cp1251"), (PAYLOAD, "koi8-r"), (PAYLOAD.decode(), None)])
    def test_none(self, data, charset):
        assert Source.from_payload(data, charset, 1).undecoded_utf8() is None

    @needs_core
    @pytest.mark.parametrize("charset", [None, "utf-8"])
    def test_core_reads_the_callers_bytes(self, charset):
        core = _core.CORE
        assert core is not None
        seen: list[Any] = []

        def spy(payload: Any, *args: Any) -> Any:
            seen.append(payload)
            return core.fmt1_records(payload, *args)

        with mock.patch.object(_core, "CORE", mock.Mock(fmt1_records=spy)):
            src = Source.from_payload(self.PAYLOAD, charset, 1)
            assert values._compiled_records(src, LAYOUTS["group"]) == self.GROUPS
        assert len(seen) == 1
        assert seen[0] is self.PAYLOAD


class TestMailContactRowsAfterALineBreak:
    """A fmt 1 mail-contact reply whose first address starts like fmt 2 or 3 (``<a@b.c>``,
    ``{a@b.c}``) is read by ``iter_decode`` as ``decode`` reads it, also after leading whitespace
    holding a line break: its first piece is the text after that whitespace (a bug: the piece
    ended at the first line break of the whitespace, so it was empty and the reply was streamed
    as fmt 2 or 3 and refused)."""

    @pytest.mark.parametrize(
        ("payload", "mail"),
        [(b"\n{a@b.c},Ann,,,,,,,,,\n", "{a@b.c}"), (b"\r\n <a@b.c>,Ann,,,,,,,,,\n", " <a@b.c>"),
         (b"\xef\xbb\xbf\n\n[a@b.c],Ann,,,,,,,,,", "[a@b.c]")],
    )
    def test_streamed_as_decoded(self, payload, mail):
        expected = [MailContact(mail=mail, name="Ann")]
        assert fmtcodec.decode(payload, list[MailContact]) == expected
        assert list(fmtcodec.iter_decode([payload], list[MailContact])) == expected
        assert list(fmtcodec.iter_decode(iter([payload[:1], payload[1:]]), list[MailContact], chunk_size=1)) == expected


class TestAsWrittenLineBreaks:
    """``encode(..., strict=False)`` writes rows as the server does but refuses a value holding a line
    break (it would change the number of records), at the first such value, whatever the number
    of line breaks in the reply -- also when the values' breaks make it exactly two more than the
    records' (issue 15, item 5).  Where the compiled core declines (a value holding the next
    key's marker), fmt 0 joins the lines with one line break each.

    Kills ``fmtcodec.values.x__lines_as_written__mutmut_18`` and
    ``fmtcodec.text.x__lines_as_written__mutmut_37`` (the shortcut compares with rows + 1: two
    line breaks too many pass unchecked), and ``fmtcodec.text.x__lines_as_written__mutmut_28``
    (the lines joined by another text)."""

    @pytest.mark.parametrize("fmt", [0, 1])
    @pytest.mark.parametrize(
        ("contacts", "path"),
        [
            ([Contact(phone="1", name="a\n\nb")], "$[0].name"),
            ([Contact(phone="1"), Contact(phone="2", name="a\nb", comments="c\nd")], "$[1].name"),
            ([Contact(phone="1", tags="x\n"), Contact(phone="2"), Contact(phone="3\n")], "$[0].tags"),
        ],
    )
    def test_refused(self, fmt, contacts, path):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(contacts, fmt=fmt, strict=False)
        assert str(caught.value) == (
            f"fmt {fmt} cannot carry the value at {path}: a line break cannot be carried: records are one line each"
        )
        assert caught.value.path == path

    def test_fmt0_lines_when_the_core_declines(self):
        contacts = [Contact(phone="1", name="a, group = 5"), Contact(phone="2", name="b")]
        empty = "first_name = , last_name = , middle_name = , birthday = , id = , comments = , tags = , phone_other = "
        assert fmtcodec.encode(contacts, fmt=0, strict=False) == (
            f"phone = 1, name = a, group = 5, group = , {empty}\nphone = 2, name = b, group = , {empty}".encode()
        )


def _long_number(kind: type, name: str, digits: str, fmt: int) -> bytes:
    """A reply of ``kind`` holding only ``name`` = ``digits``, in ``fmt``."""
    root = "sms" if kind is Status else "result"
    return {
        0: f"{'Status' if kind is Status else ''}{' = ' if kind is Status else ''}{digits}",
        1: digits,
        2: f"<{root}><{name}>{digits}</{name}></{root}>",
        3: f'{{"{name}": "{digits}"}}',
    }[fmt].encode()


class TestLongestNumbersRead:
    """A signed or decimal amount of exactly 4300 characters (``_MAX_DIGITS``, Python's limit for
    ``int(str)``) is read; one more is refused, saying how long it is, at the field.

    Kills ``fmtcodec.layout.xǁFieldLayoutǁparse__mutmut_25`` and ``_35`` (4300 refused),
    ``_26`` and ``_36`` (the reason dropped), not yet reached by the run when judged."""

    @pytest.mark.parametrize(
        ("kind", "name", "fmt"),
        [(Balance, "balance", 0), (Balance, "balance", 1), (Balance, "balance", 2), (Balance, "balance", 3),
         (Status, "status", 0), (Status, "status", 2), (Status, "status", 3)],
    )
    def test_boundary(self, kind, name, fmt):
        longest = "-" + "1" * 4299 if kind is Status else "1" + "0" * 4299
        record = fmtcodec.decode(_long_number(kind, name, longest, fmt), kind, fmt=fmt)
        assert getattr(record, name) == (int(longest) if kind is Status else Decimal(longest))
        error = refused(lambda: fmtcodec.decode(_long_number(kind, name, longest + "1", fmt), kind, fmt=fmt))
        assert (error.reason, error.path) == (f"`{name}` has 4301 digits; at most 4300 are read", f"$.{name}")


class TestAmbiguousRowReadingsShown:
    """A contact row the encoder refuses because it would split in several equally good ways names
    the first two readings, each cut to 200 characters (199 and an ellipsis), not to the 60 of a
    plain value.

    Kills ``fmtcodec.values.x__why_not__mutmut_28`` and ``_34`` (a reading cut to 60 characters)
    and ``_30`` and ``_36`` (cut to 201)."""

    def test_long_readings_cut_at_200(self):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode([Contact(phone="7", first_name="Анна, Мария", comments="x" * 200)], fmt=1)
        first = "('7', '', '', 'Анна', ' Мария', '', '', '', '', '" + "x" * 150 + "…"
        second = "('7', '', '', 'Анна', ' Мария', '', '', '', '," + "x" * 153 + "…"
        assert (len(first), len(second)) == (200, 200)
        assert str(caught.value) == (
            f"fmt 1 cannot carry the value at $[0]: the row would split in 6 ways, e.g. {first} and {second}"
        )
        assert caught.value.path == "$[0]"


class TestRecordRowReadAsError:
    """fmt 1, one record of a single-record kind: a row that starts with ``ERROR =`` after ASCII
    whitespace would be read as the server's plain-text error reply, so ``encode`` refuses it
    (fmt 1, at ``$``); other Unicode whitespace before it (U+0085, U+00A0, U+3000) is not
    stripped by that reading, so such a row is written and reads back.

    Kills ``fmtcodec.values.x_encode_record__mutmut_17`` (Unicode whitespace stripped too),
    ``_18`` (stripped on the right: a leading space passes), ``_19`` and ``_20`` (the marker
    misspelt: nothing refused) and ``_22`` (the error's fmt lost)."""

    @pytest.mark.parametrize("country", ["ERROR = 1", " ERROR = 1", "\t\x0b\x0cERROR = 1"])
    def test_refused(self, country):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(OperatorInfo(country=country), fmt=1)
        assert str(caught.value) == "fmt 1 cannot carry the value at $: the row would read as an error reply"
        assert (caught.value.fmt, caught.value.path) == (1, "$")

    @pytest.mark.parametrize("space", ["\x85", "\xa0", "\u3000"])
    def test_unicode_space_written(self, space):
        record = OperatorInfo(country=f"{space}ERROR = 1")
        payload = fmtcodec.encode(record, fmt=1)
        assert payload == f"{space}ERROR = 1,,,,,".encode()
        assert fmtcodec.decode(payload, OperatorInfo, fmt=1) == record


class TestListRowsReadAsError:
    """fmt 1, a list of a pages' kind (senders) written by the general path (a value holds a
    comma, or the reply starts like an error): a reply that starts with ``ERROR =`` after ASCII
    whitespace is refused at ``$[0]``; after other Unicode whitespace it is written and reads back.

    The same when every sender has an id (the rows are then written a column at a time by
    ``_fast_variant_lines``, which must decline such a reply and leave it to the general path).

    Kills ``fmtcodec.values.x__checked_lines__mutmut_18`` (Unicode whitespace stripped too),
    ``_19`` (stripped on the right: a leading space passes) and ``_23`` (the error's fmt lost),
    and ``fmtcodec.values.x__fast_variant_lines__mutmut_110`` (the fast path's check stripped on
    the right: a leading space written)."""

    @pytest.mark.parametrize("sender", [" ERROR = x", "ERROR = x", "\x0bERROR = x, y"])
    def test_refused(self, sender):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode([Sender(sender=sender), Sender(sender="b", id=2)], fmt=1)
        assert str(caught.value) == "fmt 1 cannot carry the value at $[0]: the reply would read as an error reply"
        assert (caught.value.fmt, caught.value.path) == (1, "$[0]")

    @pytest.mark.parametrize("sender", [" ERROR = x", "\t\x0b\x0cERROR = x", "ERROR = x"])
    def test_refused_with_ids(self, sender):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode([Sender(sender=sender, id=1), Sender(sender="b", id=2)], fmt=1)
        assert str(caught.value) == "fmt 1 cannot carry the value at $[0]: the reply would read as an error reply"
        assert (caught.value.fmt, caught.value.path) == (1, "$[0]")

    @pytest.mark.parametrize("space", ["\x85", "\u3000"])
    def test_unicode_space_written(self, space):
        senders = [Sender(sender=f"{space}ERROR = x, y"), Sender(sender="b", id=2)]
        payload = fmtcodec.encode(senders, fmt=1)
        assert payload == f"{space}ERROR = x, y,\nb,2".encode()
        assert fmtcodec.decode(payload, list[Sender], fmt=1) == senders


class TestNoRecordRow:
    """A single-record kind's fmt 0 or fmt 1 reply with no line (empty, or blank lines only) is
    refused at byte 0, line 1, column 1.

    Kills ``fmtcodec.values.x_decode_record__mutmut_10`` and
    ``fmtcodec.text.x_decode_record__mutmut_10`` (reported at byte 1)."""

    @pytest.mark.parametrize(("fmt", "unit"), [(0, "line"), (1, "row")])
    @pytest.mark.parametrize(("kind", "name"), [(Balance, "balance"), (OperatorInfo, "operator")])
    @pytest.mark.parametrize("payload", [b"", b"\n\n", b"\r\n\n"])
    def test_empty(self, payload, kind, name, fmt, unit):
        assert failure(lambda: fmtcodec.decode(payload, kind, fmt=fmt)) == (
            f"fmt {fmt}: expected one {name} {unit}, found 0 - at $, byte 0 (line 1, column 1), near {payload.decode()!r}",
            0, 1, 1, "$",
        )


class TestLoneSurrogateInAFmt0Record:
    """fmt 0, one record: a value holding a lone surrogate is refused by ``encode`` with an
    ``EncodeError`` -- with ``strict``, because the line would not read back; without it, naming
    the character and where it is in the reply.  (A bug: the strict read-back made a ``Source`` of
    the line outside its ``try``, so the ``DecodeError`` "fmt 0: character U+D800 is a lone
    surrogate" came out of ``encode``.)

    With the fix, kills ``fmtcodec.text.x_encode_record__mutmut_40`` (the reason lost), ``_41``
    (its fmt lost), ``_43`` and ``_44`` (arguments dropped); not verifiable on the run's tree,
    whose ``encode_record`` is the one before the fix."""

    @pytest.mark.parametrize(
        ("record", "code", "at"),
        [
            (Balance(balance=Decimal(1), currency="\ud800"), "D800", 2),
            (OperatorInfo(country="a", tz="\udfff"), "DFFF", 58),
            (Status(status=1, message="\ud800x"), "D800", 22),
        ],
    )
    def test_refused(self, record, code, at):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(record, fmt=0)
        assert str(caught.value) == (
            f"fmt 0 cannot carry the value: the line would not read back: character U+{code} is a lone surrogate"
        )
        assert (caught.value.fmt, caught.value.path) == (0, None)
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(record, fmt=0, strict=False)
        char = chr(int(code, 16))
        assert str(caught.value) == (
            f"fmt 0 cannot carry the value: character {char!r} (U+{code}) at character {at} of the reply"
            " cannot be written in utf-8"
        )


class Unequal(str):
    """A str that equals nothing, not even its own characters."""

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = str.__hash__


class TestFmt0RecordReadBackDiffers:
    """fmt 0, one record, ``strict``: a line that reads back as another record (here: a value
    that is not equal to its own characters) is refused at ``$``, showing what it would decode
    as, cut to 200 characters.

    Kills ``fmtcodec.text.x_encode_record__mutmut_47`` to ``_58`` (the message, its fmt, its path
    or the cut changed), which no test reached when the run checked them."""

    def test_pairs(self):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(OperatorInfo(country=Unequal("x" * 300)), fmt=0)
        shown = "OperatorInfo(phone=None, country='" + "x" * 165 + "…"
        assert len(shown) == 200
        assert str(caught.value) == f"fmt 0 cannot carry the value at $: the line would decode as {shown}"
        assert (caught.value.fmt, caught.value.path) == (0, "$")

    def test_sentence(self):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(Balance(balance=Decimal(1), currency=Unequal("RUB")), fmt=0)
        assert str(caught.value) == (
            "fmt 0 cannot carry the value at $: the line would decode as"
            " Balance(balance=Decimal('1'), currency='RUB', credit=None)"
        )
        assert fmtcodec.encode(Balance(balance=Decimal(1), currency=Unequal("RUB")), fmt=0, strict=False) == b"1,RUB"


class TestFmt0LastValueEndingLikeTheLastMarker:
    """fmt 0, a list of a pages' kind: a record's last value that ends with the kind's last marker
    less its space (``, id =`` for senders, ``, rnet =`` for statuses) would read as that value
    and an empty last field, so ``encode`` refuses it there -- also when it ends the reply (the
    column-at-a-time writer must decline it); written as is with ``strict=False``.

    Kills ``fmtcodec.text.x__fast_pair_lines__mutmut_80`` (declined only when such a value both
    ends the reply and ends an earlier line)."""

    @pytest.mark.parametrize(
        ("records", "path", "marker", "name", "written"),
        [
            ([Sender(sender="x, id =")], "$[0].sender", ", id =", "id", b"name = x, id ="),
            ([Sender(sender="a"), Sender(sender="x, id =")], "$[1].sender", ", id =", "id", b"name = a\nname = x, id ="),
            ([Status(status=1, message="m, rnet =")], "$[0].message", ", rnet =", "rnet", b"Status = 1, message = m, rnet ="),
        ],
    )
    def test_refused(self, records, path, marker, name, written):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(records, fmt=0)
        assert str(caught.value) == (
            f"fmt 0 cannot carry the value at {path}: the value ends with {marker!r}, which reads as an empty `{name}`"
        )
        assert caught.value.path == path
        assert fmtcodec.encode(records, fmt=0, strict=False) == written

    def test_not_last_written(self):
        records = [Sender(sender="x, id =", id=3)]
        assert fmtcodec.encode(records, fmt=0) == b"name = x, id =, id = 3"
        assert fmtcodec.decode(b"name = x, id =, id = 3", list[Sender], fmt=0) == records


class TestFmt0TrimmedLastMarkerRead:
    """fmt 0, a list of a pages' kind: a line ending in the kind's last marker less its space
    (``, rnet =``) has that field present and empty, and the value before it ends there
    (spec/formats.md, fmt 0 rules 10 and 15) -- whether the reply is one such line or such a line
    comes before others.  The column-at-a-time reader must leave it to the line reader: its split
    knows only the whole markers, so it would keep ``, rnet =`` in the value before.

    Kills ``fmtcodec.text.x__same_fields_records__mutmut_11`` (the whole marker looked for),
    ``_12`` (the trimmed marker of the second field), ``_13`` (of the field before the last) and
    ``_15`` (declined only when the reply both ends in it and holds it before a line break)."""

    def test_one_line(self):
        assert fmtcodec.decode(b"Status = 1, cn = MTS, rnet =", list[Status], fmt=0) == [
            Status(status=1, cn="MTS", rnet="")
        ]

    def test_before_another_line(self):
        payload = b"Status = 1, cn = MTS, rnet =\nStatus = 2, cn = B, rnet = c"
        assert fmtcodec.decode(payload, list[Status], fmt=0) == [
            Status(status=1, cn="MTS", rnet=""), Status(status=2, cn="B", rnet="c")
        ]


class TestFmt0PagesReadAColumnAtATime:
    """fmt 0, a list of a pages' kind: lines that all hold the same fields are read a column at a
    time -- no line goes to the line reader (``_read_pairs``) -- also when the reply is one line,
    when a set of fields is held by one line of a mixed reply, and when the lines hold exactly the
    kind's required fields (a sender list without ids).

    Kills ``fmtcodec.text.x__same_fields_records__mutmut_35`` and ``_36`` (a reply of one line
    declined: the width of a line counted wrong when no second line starts) and ``_74`` (lines of
    only the required fields declined)."""

    @pytest.mark.parametrize(
        ("payload", "kind", "records"),
        [
            (b"Status = 1, id = 5", Status, [Status(status=1, id="5")]),
            (b"name = SMSC\nname = INFO", Sender, [Sender(sender="SMSC"), Sender(sender="INFO")]),
            (b"name = SMSC", Sender, [Sender(sender="SMSC")]),
            (b"Status = 1\nStatus = -1", Status, [Status(status=1), Status(status=-1)]),
            (
                b"Status = 1, id = 5\nStatus = 2, err = 0, id = 6\nStatus = 3, id = 7",
                Status,
                [Status(status=1, id="5"), Status(status=2, err=0, id="6"), Status(status=3, id="7")],
            ),
        ],
    )
    def test_no_line_read_alone(self, payload, kind, records):
        with counted(fmt0_text, "_read_pairs") as lines:
            assert fmtcodec.decode(payload, list[kind], fmt=0) == records
        assert lines.call_count == 0


class TestFmt1RowsOfOneFieldTooFew:
    """fmt 1, contacts: rows of one comma fewer than the fields need are refused at the first of
    them, on the pure path and with the core -- whatever the rows of the right width around them,
    and even where the values of two short rows, laid one after the other, would fill whole
    columns shifted by a field (the second row's phone taken as the first one's ``phone_other``).

    Kills ``fmtcodec.values.x__fast_records__mutmut_12`` (the rows of one comma fewer taken as the
    whole ones: such a reply read as one shifted record)."""

    WHOLE = b"79161234567,Ivan,5,a,b,c,01.02.1990,d,e,f,"
    SHORT = b"79161234568,Petr,,a,b,c,,d,e,f\n79161234569,79160000000,x,,y,z,w,,u,v"
    REASON = (
        "the row does not split into the 11 fields of a contact (phone, name, group, first_name, last_name,"
        " middle_name, birthday, id, comments, tags, phone_other)"
    )

    @pytest.mark.parametrize("pure", [True, False], ids=["pure", "core"])
    @pytest.mark.parametrize("lead", [b"", WHOLE + b"\n"], ids=["alone", "after-a-whole-row"])
    def test_refused(self, pure, lead):
        with _core.pure() if pure else contextlib.nullcontext():
            error = refused(lambda: fmtcodec.decode(lead + self.SHORT, list[Contact], fmt=1))
        line = lead.count(b"\n")
        assert (error.reason, error.pos, error.line, error.column, error.path) == (
            self.REASON, len(lead), line + 1, 1, f"$[{line}]"
        )


class TestFmt1WholeRowsReadABlockAtATime:
    """fmt 1, the pure path: a reply whose rows each hold one comma fewer than fields is cut into
    columns a block of rows at a time (``values._plain_records``), never split into lines and
    counted row by row nor matched by a kind's one-placement pattern -- also a reply of one row.

    Kills ``fmtcodec.values.x__fast_records__mutmut_14``, ``_16`` and ``_17`` (the rows counted
    wrong), ``_20``, ``_23`` and ``_24`` (the skeleton of commas and line breaks kept its final
    line break or every character), ``_25`` to ``_30`` (its expected size wrong), ``_32``,
    ``_38`` to ``_41`` and ``_43`` (its expected shape wrong): the block reader never used; and
    ``_33`` (the block reader taken only for a skeleton of the wrong shape)."""

    @pytest.mark.parametrize(
        ("payload", "kind", "records"),
        [
            (
                b"79161234567,Ivan,5,a,b,c,01.02.1990,d,e,f,\n79160000000,Petr,,,,,,,,,\n",
                Contact,
                [
                    Contact(phone="79161234567", name="Ivan", group="5", first_name="a", last_name="b",
                            middle_name="c", birthday="01.02.1990", id="d", comments="e", tags="f"),
                    Contact(phone="79160000000", name="Petr"),
                ],
            ),
            (b"79160000000,Petr,,,,,,,,,", Contact, [Contact(phone="79160000000", name="Petr")]),
            (b"5,a,,\n6,b,2,3", Group, [Group(id=5, name="a"), Group(id=6, name="b", number=2, cnt=3)]),
        ],
    )
    def test_one_block(self, payload, kind, records):
        with _core.pure(), counted(values, "_plain_records") as blocks, counted(values, "_fast_one_placement") as one:
            assert fmtcodec.decode(payload, list[kind], fmt=1) == records
        assert (blocks.call_count, one.call_count) == (1, 0)


class TestFmt1RowsOfOtherWidthsAddingUp:
    """fmt 1, contacts: a row of one comma more than the fields' (a phone list in
    ``phone_other``) beside a row of one comma fewer has as many commas and line breaks as two
    whole rows, but not one to a line: the first row is read with its phone list whole and the
    second refused where it starts, on the pure path and with the core -- never the two read as
    columns shifted from the second phone of the list on.

    Kills ``fmtcodec.values.x__fast_records__mutmut_31`` (the block reader taken on the count of
    commas and line breaks alone)."""

    LONG = b"79161234567,Ivan,5,a,b,c,01.02.1990,d,e,f,79160000001,79160000002"
    SHORT = b"79161234568,,x,y,z,,w,u,v,"

    @pytest.mark.parametrize("pure", [True, False], ids=["pure", "core"])
    def test_refused(self, pure):
        with _core.pure() if pure else contextlib.nullcontext():
            error = refused(lambda: fmtcodec.decode(self.LONG + b"\n" + self.SHORT, list[Contact], fmt=1))
        assert (error.reason, error.pos, error.line, error.column, error.path) == (
            TestFmt1RowsOfOneFieldTooFew.REASON, len(self.LONG) + 1, 2, 1, "$[1]"
        )

    @pytest.mark.parametrize("pure", [True, False], ids=["pure", "core"])
    def test_long_row_alone(self, pure):
        with _core.pure() if pure else contextlib.nullcontext():
            assert fmtcodec.decode(self.LONG, list[Contact], fmt=1) == [
                Contact(phone="79161234567", name="Ivan", group="5", first_name="a", last_name="b", middle_name="c",
                        birthday="01.02.1990", id="d", comments="e", tags="f", phone_other="79160000001,79160000002")
            ]


class TestFmt1FewOddRows:
    """fmt 1, contacts, the pure path: among rows of one comma fewer than fields, the few other
    rows (a phone list) are placed by the splitter one by one and the rest read a column at a
    time -- the general path never reads the reply -- and a row is what lies between two line
    breaks, whatever spaces its values hold: one row holding the pieces of two is refused as
    ambiguous, never read as two records split at a space.

    Kills ``fmtcodec.values.x__fast_records__mutmut_56`` (rows split at any whitespace), ``_67``
    (the commas of a row miscounted: every row sent to the general path), ``_79`` and ``_82``
    (the columns or the records of the plain rows dropped: the same), and
    ``fmtcodec.values.xǁ_Splitterǁcolumns__mutmut_2`` and ``_5`` (the plain rows' values not cut
    at commas: the same)."""

    def test_odd_row_placed_alone(self):
        payload = (
            b"79161234567,Ivan Petrov,,,,,,,,,\n79160000000,Petr,,,,,,,,,79160000001,79160000002\n"
            b"79160000003,Anna,,,,,,,,,"
        )
        with _core.pure(), counted(values, "_general_records") as general:
            assert fmtcodec.decode(payload, list[Contact], fmt=1) == [
                Contact(phone="79161234567", name="Ivan Petrov"),
                Contact(phone="79160000000", name="Petr", phone_other="79160000001,79160000002"),
                Contact(phone="79160000003", name="Anna"),
            ]
        assert general.call_count == 0

    @pytest.mark.parametrize("pure", [True, False], ids=["pure", "core"])
    def test_one_row_not_split_at_a_space(self, pure):
        payload = b"79161234567,Ivan,,,,,,,,,7 79160000000,Petr,,,,,,,,,"
        with _core.pure() if pure else contextlib.nullcontext():
            error = refused(lambda: fmtcodec.decode(payload, list[Contact], fmt=1))
        assert isinstance(error, fmtcodec.AmbiguousRecordError)
        assert error.reason.startswith("the row splits into the 11 fields of a contact in 5825 equally good ways: ")
        assert (error.pos, error.line, error.column, error.path) == (0, 1, 1, "$[0]")


class TestFmt0PagesBlankLinesAndLineEnds:
    """fmt 0, a list of a pages' kind: blank lines, a leading line break and a final one are
    dropped and nothing else -- a last value keeps its spaces and letters at the reply's end --
    and such a reply, or one of two sets of fields, is still read a column at a time (no line goes
    to ``_read_pairs``).

    Kills ``fmtcodec.text.x__fast_pair_records__mutmut_10`` and ``_16`` (the ends of the reply
    stripped of spaces, of "X"), ``_8`` (a leading line break), ``_18`` and ``_20`` (a final line
    break) and ``_46`` (two sets of fields) sent to the line reader."""

    @pytest.mark.parametrize(
        ("payload", "last"),
        [(b"Status = 1, cn = a \n\nStatus = 2, cn = b ", "b "), (b"Status = 1, cn = a \n\nStatus = 2, cn = BOX", "BOX")],
    )
    def test_last_value_kept(self, payload, last):
        assert fmtcodec.decode(payload, list[Status], fmt=0) == [Status(status=1, cn="a "), Status(status=2, cn=last)]

    @pytest.mark.parametrize(
        ("payload", "records"),
        [
            (b"\nStatus = 1, cn = a\nStatus = 2, cn = b", [Status(status=1, cn="a"), Status(status=2, cn="b")]),
            (b"Status = 1, cn = a\nStatus = 2, cn = b\n", [Status(status=1, cn="a"), Status(status=2, cn="b")]),
            (
                b"Status = 1, cn = a\nStatus = 2, id = 7\nStatus = 3, cn = c",
                [Status(status=1, cn="a"), Status(status=2, id="7"), Status(status=3, cn="c")],
            ),
        ],
    )
    def test_read_a_column_at_a_time(self, payload, records):
        with counted(fmt0_text, "_read_pairs") as lines:
            assert fmtcodec.decode(payload, list[Status], fmt=0) == records
        assert lines.call_count == 0


class TestFmt1RefusalOfARowWithAPhoneList:
    """fmt 1, encoding contacts: a row that would split in several ways is refused for that
    reason, even when a field holds a phone list (a comma-joined list is a phones value: each
    piece is a phone), at ``$[row]``.

    Kills ``fmtcodec.values.xǁ_Splitterǁvalue_fits__mutmut_3`` (the list taken as one token: the
    phone list blamed instead)."""

    def test_refused(self):
        contact = Contact(phone="79160000001,79160000002", name="x", tags="7,8")
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode([contact], fmt=1)
        assert str(caught.value) == (
            "fmt 1 cannot carry the value at $[0]: the row would split in 7 ways, e.g. ('79160000001,79160000002',"
            " 'x', '', '', '', '', '', '', '', '7,8', '') and ('79160000001,79160000002', 'x', '', '', '', '', '',"
            " '', ',7', '8', '')"
        )
        assert caught.value.path == "$[0]"


class TestFmt1SenderRowsOfOtherWidthsAddingUp:
    """fmt 1, senders: a row of three pieces (a name holding a comma) beside a row of one piece
    has as many commas as two rows of ``name,id``, but not one to a row: the one-piece row is
    refused where it starts, on the pure path and with the core -- never the pieces read as two
    rows of two.

    Kills ``fmtcodec.values.x__fast_variant_records__mutmut_43`` (the pieces cut into rows of
    one variant exactly when the rows are not all that wide)."""

    @pytest.mark.parametrize("pure", [True, False], ids=["pure", "core"])
    def test_refused(self, pure):
        with _core.pure() if pure else contextlib.nullcontext():
            error = refused(lambda: fmtcodec.decode(b"a,1,2\n5", list[Sender], fmt=1))
        assert (error.reason, error.pos, error.line, error.column, error.path) == (
            "the row does not split into the 2 fields of a sender (sender, id)", 6, 2, 1, "$[1]"
        )


class TestFmt0TrimmedLastMarkerRule:
    """fmt 0, the line reader (spec/formats.md, fmt 0 rule 10): a line ending in the last marker
    less its space has the last field present and empty -- also right after another field's
    marker, whose value is then empty too -- and an empty last value that its type refuses is
    reported at the line's end, at that field's path.

    Kills ``fmtcodec.text.x__read_pairs__mutmut_56`` (the rule not applied to an empty value
    before the trimmed marker) and ``_61`` (no position kept for the empty last value)."""

    def test_empty_value_before(self):
        assert fmtcodec.decode(b"Status = 1, cn = , rnet =", list[Status], fmt=0) == [
            Status(status=1, cn="", rnet="")
        ]

    def test_refused_at_the_end(self):
        line = b"id = 1, name = a, message = b, format = c, sender = d, flag ="
        error = refused(lambda: fmtcodec.decode(line, list[fmtcodec.Template], fmt=0))
        assert (error.reason, error.pos, error.line, error.column, error.path) == (
            "expected an integer for `flag`, got ''", len(line), 1, len(line) + 1, "$[0].flag"
        )


class TestFmt0PairsValueItsTypeRefuses:
    """fmt 0, encoding a list of a pages' kind: a value its field's type refuses (a message id
    with a space) is refused with the type's reason, fmt 0 and the value's path -- also where the
    records set different fields and each line is written alone.

    Kills ``fmtcodec.text.x__pair_line__mutmut_29`` to ``_31``, ``_34`` and ``_35`` (the reason,
    the fmt or the path lost)."""

    @pytest.mark.parametrize(
        ("records", "path"),
        [
            ([Status(status=1, id="a b")], "$[0].id"),
            ([Status(status=2), Status(status=1, id="a b")], "$[1].id"),
        ],
    )
    def test_refused(self, records, path):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(records, fmt=0)
        assert str(caught.value) == (
            f"fmt 0 cannot carry the value at {path}: `id` must be a message id (letters, digits, '.', '-', '_'),"
            " got 'a b'"
        )
        assert (caught.value.fmt, caught.value.path) == (0, path)


class TestRowsAsWrittenJoinedByOneLineBreak:
    """``strict=False`` writes fmt 1 rows as the server does, a line break between two rows and
    nothing else, commas in a value included (the compiled core declines such rows; the Python
    writer joins them).

    Kills ``fmtcodec.values.x__lines_as_written__mutmut_8`` (the rows joined by ``XX\\nXX``)."""

    def test_two_rows_with_a_comma_in_a_name(self):
        records = [Contact(phone="79990000001", name="Lee, Ann"), Contact(phone="79990000002", name="Bo")]
        assert fmtcodec.encode(records, fmt=1, strict=False) == (
            b"79990000001,Lee, Ann,,,,,,,,,\n79990000002,Bo,,,,,,,,,"
        )


class TestUnknownFieldTypeInTheTable:
    """A field of spec/layout.toml with a type the table does not know is refused when the table
    is read, naming the field and the type (tests/test_columnar.py checks the same for the Arrow
    schema, but only where pyarrow is installed).

    Kills ``fmtcodec.layout.xǁFieldLayoutǁ__post_init____mutmut_11`` (the message dropped)."""

    def test_message(self):
        with pytest.raises(ValueError, match=r"^spec/layout\.toml: field `amount` has unknown type 'money\?'$"):
            FieldLayout(name="amount", type="money?", json="number", fmt1="decimal")


class TestLongRowClassifiedByScanningTheRow:
    """A row of many pieces is classified a class at a time, by a scan of the whole row
    (``_Splitter.shape`` given the line), not a token at a time: encoding a contact whose name
    is 3 000 pieces (2 999 commas) classifies no token on its own when the row is split back.

    Kills ``fmtcodec.values.xǁ_Splitterǁsplit__mutmut_10`` and ``_12`` (``place`` not given the
    line: the row's 3 010 tokens classified one by one, 3 002 of them distinct, the cost per byte
    of a short row lost), and so ``fmtcodec.values.xǁ_Splitterǁplace__mutmut_18`` and ``_20``
    (``shape`` not given the line) and ``fmtcodec.values.xǁ_Splitterǁshape__mutmut_2`` (the scan
    only when there is no line)."""

    def test_no_token_classified_alone(self):
        name = ",".join(f"w{index}" for index in range(3000))
        classify = values._Splitter._kind
        alone = []

        def counted(splitter: Any, token: str) -> int:
            alone.append(token)
            return classify(splitter, token)

        # a splitter binds the method when it is made: a new one under the patch, dropped after
        with mock.patch.dict(values._SPLITTERS, clear=True), mock.patch.object(values._Splitter, "_kind", counted):
            written = fmtcodec.encode([Contact(phone="79990000001", name=name)], fmt=1)
        assert written == b"79990000001," + name.encode() + b",,,,,,,,,"
        assert alone == []


class TestTwoLineBreaksInOneFmt0Value:
    """The fmt 0 writer's whole-reply check counts exactly one line break fewer than records: a
    value holding two line breaks (one record that would read as three) is refused, not written.

    Kills ``fmtcodec.text.x__fast_lines__mutmut_59`` (``count + 1`` line breaks taken as the rows'
    own: the record written with its value's two line breaks)."""

    @pytest.mark.parametrize("others", [0, 1])
    def test_refused(self, others):
        records = [Contact(phone="79990000001", name="a\nb\nc")] + [Contact(phone="79990000002")] * others
        with pytest.raises(EncodeError) as refused:
            fmtcodec.encode(records, fmt=0)
        assert str(refused.value) == (
            "fmt 0 cannot carry the value at $[0].name: a line break cannot be carried: records are one line each"
        )


class TestDateColumnShortcutTakesDatesOnly:
    """The fmt 1 writer checks a column of ten-character values as dates at C speed (a dot at
    the third and sixth character of each, eight ASCII digits each) before the column's pattern;
    the shortcut takes only what the pattern takes: values shaped almost like a date, a value of
    one or eleven characters, and a date in a number column are refused as the pattern refuses
    them, naming the record and the field.

    Kills ``fmtcodec.values.x__column_fits__mutmut_42`` and ``_43`` (the shortcut asked of a
    number column), ``_54`` (a value of one character let in), ``_55`` (values of eleven), ``_73``
    to ``_78`` (the dots looked for elsewhere, or their test inverted)."""

    @pytest.mark.parametrize(
        ("birthdays", "row", "value"),
        [
            (["012.4.6789"], 0, "012.4.6789"),
            (["01.02.2020", "012.4.6789"], 1, "012.4.6789"),
            (["01234.6.89"], 0, "01234.6.89"),
            (["0.2342.289"], 0, "0.2342.289"),
            (["01.345.789"], 0, "01.345.789"),
            (["01.02.2020", "01.345.789"], 1, "01.345.789"),
            (["01.02.2020", "."], 1, "."),
            (["01.02.2020.", "0.11.2020.1"], 0, "01.02.2020."),
        ],
    )
    def test_birthday_not_a_date(self, birthdays, row, value):
        records = [Contact(phone=f"7999000000{index}", birthday=day) for index, day in enumerate(birthdays)]
        with pytest.raises(EncodeError) as refused:
            fmtcodec.encode(records, fmt=1)
        assert str(refused.value) == (
            f"fmt 1 cannot carry the value at $[{row}]: `birthday` {value!r} does not look like a date value"
        )

    def test_date_in_a_number_column(self):
        with pytest.raises(EncodeError) as refused:
            fmtcodec.encode([Contact(phone="79990000001", group="01.02.2020")], fmt=1)
        assert str(refused.value) == (
            "fmt 1 cannot carry the value at $[0]: `group` '01.02.2020' does not look like a number value"
        )


class TestCarriageReturnsInFmt1Rows:
    """A fmt 1 reply holding a CR is left to the general path by the compiled reader, whether the
    reply is read as UTF-8 bytes or as windows-1251 text: the general path drops the CR of a
    CRLF line end and keeps a lone CR inside a value.

    Kills ``fmtcodec.values.x__compiled_records__mutmut_12`` (a CR in text not looked for) and
    ``_14`` (in UTF-8 bytes)."""

    @pytest.mark.parametrize("charset", ["windows-1251", "utf-8"])
    @pytest.mark.parametrize(
        ("payload", "names"),
        [
            (b"79990000001,Ann,,,,,,,,,\r\n79990000002,Bo,,,,,,,,,\r\n", ["Ann", "Bo"]),
            (b"79990000001,A\rnn,,,,,,,,,\n", ["A\rnn"]),
            (b"79990000001,Ann,,,,,,,,,\r", ["Ann"]),
        ],
    )
    def test_records(self, payload, names, charset):
        found = fmtcodec.decode(payload, list[Contact], fmt=1, charset=charset)
        assert found == [Contact(phone=f"7999000000{index + 1}", name=name) for index, name in enumerate(names)]

    @pytest.mark.parametrize("charset", ["windows-1251", "utf-8"])
    def test_free_text_last(self, charset):
        payload = b"1,79990000001,0,hi\r\n2,79990000002,1,a\rb\r\n"
        assert fmtcodec.decode(payload, list[BlacklistEntry], fmt=1, charset=charset) == [
            BlacklistEntry(id=1, phone="79990000001", type=0, comment="hi"),
            BlacklistEntry(id=2, phone="79990000002", type=1, comment="a\rb"),
        ]


class TestRowsOfAWidthNoVariantHas:
    """Rows all of one width that no row variant of the kind has (seven pieces of a statuses
    reply, whose rows are 5, 10 or 13 fields) are refused at the first row, even when the reply's
    pieces would fill whole rows of a narrower variant (five rows of seven: 35 pieces, seven rows
    of five).

    Kills ``fmtcodec.values.x__fast_variant_records__mutmut_83`` (the variant two fields narrower
    asked of the reply's pieces: seven records read from five rows)."""

    def test_refused(self):
        payload = b"1,0,0,0,0,0,0\n" * 5
        with pytest.raises(DecodeError) as refused:
            fmtcodec.decode(payload, list[Status], fmt=1)
        assert str(refused.value) == (
            "fmt 1: the row does not split into the fields of a statuses row of 5, 10 or 13 fields"
            " - at $[0], byte 0 (line 1, column 1), near '1,0,0,0,0,0,0\\n1,0,0,0,0,'"
        )


class TestFieldsNoRowHoldsWithoutOthers:
    """A record whose fields only a row with other required fields holds is refused, naming
    those fields -- the required ones only (a field whose fmt 1 class ends in ``?``, ``imsi`` and
    its neighbours, may be left empty), joined by ``, ``.

    Kills ``fmtcodec.values.x__row_texts__mutmut_39`` (the names joined by ``XX, XX``) and ``_45``
    (every field of the row named, the ones that may be empty too)."""

    @pytest.mark.parametrize(
        ("record", "message"),
        [
            (Status(status=1, send_timestamp=5),
             "fmt 1 cannot place `status`, `send_timestamp` together: no status row holds them without"
             " `last_timestamp`, `err`, `phone`, `cost`, `sender_id`, `status_name`, `message`"),
            (Status(status=1, imsi="250011234567890"),
             "fmt 1 cannot place `status`, `imsi` together: no status row holds them without"
             " `last_timestamp`, `err`, `cn`, `net`, `rcn`, `rnet`"),
        ],
    )
    def test_refused(self, record, message):
        with pytest.raises(EncodeError) as refused:
            fmtcodec.encode(record, fmt=1)
        assert str(refused.value) == f"fmt 1 cannot carry the value at $: {message}"


class TestFmt1ErrorCodeTooLong:
    """A fmt 1 error reply (``<id>,-N``) whose code has more digits than are read (4 300) is
    refused at the code's first digit, naming `error_code`, with the path ``$.error_code``.

    Kills ``fmtcodec.values.x_decode_error__mutmut_7``, ``_11`` and ``_12`` (the field misnamed),
    ``_14`` and ``_20`` (the reason lost), ``_16``, ``_19``, ``_23`` and ``_24`` (the path lost or
    misspelt)."""

    @pytest.mark.parametrize("kind", [list[Contact], Ok])
    def test_refused(self, kind):
        payload = b"0,-" + b"1" * 4301
        assert failure(lambda: fmtcodec.decode(payload, kind, fmt=1)) == (
            "fmt 1: `error_code` has 4301 digits; at most 4300 are read - at $.error_code, byte 3"
            " (line 1, column 4), near '111111111111111111111111'",
            3, 1, 4, "$.error_code",
        )

    def test_longest_read(self):
        code = 10**4299
        assert fmtcodec.decode(b"7,-" + str(code).encode(), Error, fmt=1) == Error(error_code=code, id="7")
