"""Tests for behaviours of ``fmtcodec.xml`` and ``fmtcodec.api`` that the unsampled mutation run
on the compiled core left unchecked, grouped by class.

Each class's docstring names the mutants it kills; the tests judge the public API (exact records,
or the exact error reason, byte offset and record path) except where a mutant is only observable
inside the module (a fast path that must read a reply, the hardened parser's resolver).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from lxml import etree
from spies import counted

import fmtcodec
from fmtcodec import (
    Balance,
    BlacklistEntry,
    BlacklistType,
    Contact,
    Created,
    DecodeError,
    Error,
    Group,
    HistoryMessage,
    MailBlacklistEntry,
    MailContact,
    Ok,
    Sender,
    Sent,
    Status,
    Template,
    _core,
)
from fmtcodec import xml as fmt_xml
from fmtcodec.api import server_error
from fmtcodec.charset import Source
from fmtcodec.layout import LAYOUTS


def failure(payload: bytes | str, kind: object) -> tuple[str, int, str | None]:
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, kind, fmt=2)
    error = caught.value
    return (str(error), error.pos, error.path)


class TestXmlCreatedRefusals:
    """A fmt 2 ``Created`` reply is one <phone>, <group> or <mail> holding one <id> of text only:
    another root element, text beside the <id>, an attribute on the <id> or an element inside it
    is refused with the reason, the position and the record path (``$`` or ``$.id``).

    Kills ``fmtcodec.xml.x_decode_created__mutmut_5`` to ``_11`` (the message, the element or the
    path of another root lost or changed), ``_13`` and ``_16`` (the path of text beside the <id>)
    and ``_33``, ``_37``, ``_38`` (the path of an <id> that holds more than text)."""

    def test_another_root(self):
        assert failure(b"<result>\n<id>1</id>\n</result>", Created) == (
            "fmt 2: expected <phone>, <group> or <mail> around the new id, got <result>"
            " - at $, byte 0 (line 1, column 1), near '<result>\\n<id>1</id>\\n</re'",
            0,
            "$",
        )

    def test_text_beside_the_id(self):
        assert failure(b"<phone>x<id>1</id></phone>", Created) == (
            "fmt 2: unexpected text in <phone> - at $, byte 0 (line 1, column 1), near '<phone>x<id>1</id></phon'",
            0,
            "$",
        )

    def test_attribute_on_the_id(self):
        assert failure(b'<phone><id a="1">1</id></phone>', Created) == (
            "fmt 2: unexpected attribute on <id> - at $.id, byte 7 (line 1, column 8), near '<id a=\"1\">1</id></phone>'",
            7,
            "$.id",
        )

    def test_element_inside_the_id(self):
        assert failure(b"<group>\n<id><b/></id>\n</group>", Created) == (
            "fmt 2: <id> must hold text, not elements - at $.id, byte 12 (line 2, column 5), near '<b/></id>\\n</group>'",
            12,
            "$.id",
        )

    def test_the_canonical_reply_reads(self):
        assert fmtcodec.decode(b"<mail>\n<id>17</id>\n</mail>", Created, fmt=2) == Created(id=17, element="mail")


class TestXmlOkRefusals:
    """A fmt 2 ``Ok`` reply is <result>OK</result> and nothing else: another root holding ``OK``,
    an element inside <result> beside the ``OK``, an attribute on <result> are refused at ``$``.

    Kills ``fmtcodec.xml.x_decode_ok__mutmut_6`` (``and`` for ``or``: another root, or a child
    beside the text, accepted) and ``_25``, ``_28`` (the path of an attribute on <result>)."""

    @pytest.mark.parametrize(
        ("payload", "near"),
        [(b"<ok>OK</ok>", "<ok>OK</ok>"), (b"<result><a/>OK</result>", "<result><a/>OK</result>")],
    )
    def test_not_the_bare_result(self, payload, near):
        assert failure(payload, Ok) == (
            f"fmt 2: expected <result>OK</result> - at $, byte 0 (line 1, column 1), near '{near}'",
            0,
            "$",
        )

    def test_attribute_on_result(self):
        assert failure(b'<result a="1">OK</result>', Ok) == (
            "fmt 2: unexpected attribute on <result> - at $, byte 0 (line 1, column 1), near '<result a=\"1\">OK</result'",
            0,
            "$",
        )

    def test_the_canonical_reply_reads(self):
        assert fmtcodec.decode(b"<result>\nOK\n</result>", Ok, fmt=2) == Ok()


class TestXmlUnknownAttributePlace:
    """An attribute a record does not have is reported at the attribute when its name stands in
    the start tag, and at the start tag when it does not: a namespaced attribute (lxml names it
    ``{uri}local``) is never looked for past the start tag, even where its expanded name is written
    in the element's text.

    Kills ``fmtcodec.xml.x__attribute_at__mutmut_8`` and ``_16`` (the search runs past the start
    tag, into the text) and ``_19`` (an attribute not found in the start tag: no position at all)."""

    def test_plain_unknown_attribute(self):
        assert failure(b'<list><sender bogus="1">x</sender></list>', list[Sender]) == (
            "fmt 2: unexpected attribute 'bogus' on <sender> - at $[0].bogus, byte 14 (line 1, column 15),"
            " near 'bogus=\"1\">x</sender></li'",
            14,
            "$[0].bogus",
        )

    def test_namespaced_attribute_named_again_in_the_text(self):
        payload = b'<list>\n<sender id="5" xmlns:p="u" p:id="1">x {u}id=</sender>\n</list>'
        assert failure(payload, list[Sender]) == (
            "fmt 2: unexpected attribute '{u}id' on <sender> - at $[0].{u}id, byte 7 (line 2, column 1),"
            " near '<sender id=\"5\" xmlns:p=\"'",
            7,
            "$[0].{u}id",
        )


class TestXmlNumberOfTheMostDigitsRead:
    """The pure fast path reads a pages' kind's number of exactly the digits ``FieldLayout.parse``
    reads (4300) itself, and steps aside for one more (the general path then says why).

    Kills ``fmtcodec.xml.x__typed_records__mutmut_69`` (``>=``: the fast path declines 4300)."""

    @staticmethod
    def fast(status: str) -> list[Status] | None:
        payload = f"<list>\n<sms>\n<status>{status}</status>\n</sms>\n</list>".encode()
        return fmt_xml._fast_records(Source.from_payload(payload, None, 2), LAYOUTS["statuses"])

    def test_4300_digits_on_the_fast_path(self):
        digits = "7" * 4300
        assert self.fast(digits) == [Status(status=int(digits))]

    def test_4301_digits_declined(self):
        assert self.fast("7" * 4301) is None
        payload = f"<list>\n<sms>\n<status>{'7' * 4301}</status>\n</sms>\n</list>".encode()
        with pytest.raises(DecodeError) as caught:
            fmtcodec.decode(payload, list[Status], fmt=2)
        assert (caught.value.reason, caught.value.path) == (
            "`status` has 4301 digits; at most 4300 are read",
            "$[0].status",
        )


class TestXmlParserReadsNoExternalSubset:
    """The hardened parser never reads a file an external DTD subset names: with its options
    (``collect_ids=False`` among them) libxml2 asks for that file even with ``load_dtd=False`` (the
    same parser with a resolver that does not answer fails on the file's malformed content, so it
    read it), and the resolver answers with an empty subset.
    ``decode`` refuses a DOCTYPE before this parser runs; this is the layer under that.

    Kills ``fmtcodec.xml.xǁ_RefuseExternalǁresolve__mutmut_1``, ``_3``, ``_4`` (the resolver
    fails: lxml raises ``TypeError``) and ``_6`` (a subset of junk given instead of nothing)."""

    @pytest.fixture
    def dtd(self, tmp_path: Path) -> Path:
        path = tmp_path / "reply.dtd"
        path.write_text('<!ENTITY e "from the file"> this is no DTD <<', "ascii")
        return path

    def test_the_named_file_is_not_read(self, dtd):
        document = f'<!DOCTYPE r SYSTEM "{dtd.as_uri()}"><r>a&amp;b</r>'
        root = etree.fromstring(document, fmt_xml._parser())
        assert (root.tag, root.text, len(root)) == ("r", "a&b", 0)

    def test_the_file_would_be_read_without_the_resolver(self, dtd, monkeypatch):
        class Passing(etree.Resolver):
            def resolve(self, system_url, public_id, context=None):
                return None  # not answered: libxml2 loads the file itself

        monkeypatch.setattr(fmt_xml, "_RefuseExternal", Passing)
        with pytest.raises(etree.XMLSyntaxError, match=r"^Content error in the external subset"):
            etree.fromstring(f'<!DOCTYPE r SYSTEM "{dtd.as_uri()}"><r/>', fmt_xml._parser())


class TestReplyTypesByName:
    """``REPLY_TYPES`` names each list kind as ``list[Record]`` and each single-record kind as
    its record.  The table is built when ``fmtcodec.api`` is imported, before mutmut forks a
    mutant's run, so these mutants are told apart only in a new process (``--recheck``).

    Kills ``fmtcodec.api.x__reply_type__mutmut_1`` to ``_5`` (every kind a record, every kind a
    list, or the two swapped)."""

    def test_every_kind(self):
        by_name = {
            "contacts": list[Contact],
            "mail-contacts": list[MailContact],
            "groups": list[Group],
            "blacklist": list[BlacklistEntry],
            "mail-blacklist": list[MailBlacklistEntry],
            "status": Status,
            "statuses": list[Status],
            "balance": Balance,
            "senders": list[Sender],
            "sender-created": fmtcodec.SenderCreated,
            "job-created": fmtcodec.JobCreated,
            "history": list[fmtcodec.HistoryMessage],
            "operator": fmtcodec.OperatorInfo,
            "templates": list[fmtcodec.Template],
            "template-created": fmtcodec.TemplateCreated,
            "send": fmtcodec.Sent,
            "cost": fmtcodec.Cost,
            "created": Created,
            "ok": Ok,
            "error": Error,
        }
        assert by_name == fmtcodec.REPLY_TYPES


class TestServerErrorDefaultPage:
    """``api.server_error`` without a page reads the code as the contacts pages do (the tests'
    reference decoders call it so).

    Kills ``fmtcodec.api.x_server_error__mutmut_1`` and ``_2`` (another default page)."""

    def test_contacts_page_by_default(self):
        error = server_error(Error(error_code=1, error="x"), 2)
        assert (error.page, error.code, error.meaning, str(error)) == (
            "contacts",
            1,
            "Error in parameters.",
            "server error 1 (x): Error in parameters.",
        )


class TestXmlEncodeRefusals:
    """What fmt 2 cannot write is an ``EncodeError`` naming fmt 2 and the field: a ``Created``
    without its element (fmt 2 wraps the id in it), an error text holding a character XML 1.0
    cannot carry.

    Kills ``fmtcodec.xml.x_encode_created__mutmut_3`` (no fmt) and ``x_encode_error__mutmut_5``,
    ``_8``, ``_9`` (the path of the error text lost or changed)."""

    @staticmethod
    def refusal(value: object) -> tuple[str, int | None, str | None]:
        with pytest.raises(fmtcodec.EncodeError) as caught:
            fmtcodec.encode(value, fmt=2)
        return (str(caught.value), caught.value.fmt, caught.value.path)

    def test_created_without_its_element(self):
        assert self.refusal(Created(id=5)) == (
            "fmt 2 cannot carry the value at $.element: fmt 2 wraps the id in <phone> (contact,"
            " blacklist entry), <group> or <mail>: set Created.element",
            2,
            "$.element",
        )

    def test_error_text_with_a_control_character(self):
        assert self.refusal(Error(error_code=1, error="a\x01b")) == (
            "fmt 2 cannot carry the value at $.error: character U+0001 cannot appear in XML 1.0, not even"
            " as a reference",
            2,
            "$.error",
        )

    def test_error_text_escaped(self):
        assert fmtcodec.encode(Error(error_code=1, error="a<&>\rb", id="7.x"), fmt=2) == (
            b'<?xml version="1.0" encoding="utf-8"?>\n<result>\n<error>a&lt;&amp;&gt;&#13;b</error>\n'
            b"<error_code>1</error_code>\n<id>7.x</id>\n</result>"
        )


class TestXmlListRefusals:
    """The general reader of a contacts' list kind refuses, with the reason, the position and the
    record path: another root than <list>, text or an attribute on <list> (at ``$``), a field
    element given twice (at the second one, ``$[row].name``), and a required field left out (at
    its record's element, the field's path: there is no element of its own to point at).

    Kills ``fmtcodec.xml.x__general_records__mutmut_7`` to ``_13`` (the message, the element or the
    path of another root lost or changed), ``_15`` and ``_18`` (the path of what stands in <list>
    lost or changed), ``_47``, ``_49``, ``_52`` (the message or the path of a repeated field
    lost) and ``_70`` (a field left out pointed at its missing element: ``AttributeError``)."""

    def test_another_root(self):
        assert failure(b"\n<groups>\n</groups>", list[Group]) == (
            "fmt 2: expected <list>, got <groups> - at $, byte 1 (line 2, column 1), near '<groups>\\n</groups>'",
            1,
            "$",
        )

    @pytest.mark.parametrize(
        ("payload", "reason"),
        [
            (b"<list>x\n<group>\n<id>1</id>\n<name>a</name>\n</group>\n</list>", "unexpected text in <list>"),
            (b'<list a="1">\n<group>\n<id>1</id>\n<name>a</name>\n</group>\n</list>', "unexpected attribute on <list>"),
        ],
    )
    def test_what_stands_in_the_list(self, payload, reason):
        assert failure(payload, list[Group]) == (
            f"fmt 2: {reason} - at $, byte 0 (line 1, column 1), near {payload[:24].decode()!r}",
            0,
            "$",
        )

    def test_a_field_given_twice(self):
        payload = b"<list>\n<group>\n<id>1</id>\n<name>a</name>\n<name>b</name>\n</group>\n</list>"
        assert failure(payload, list[Group]) == (
            "fmt 2: <name> appears twice - at $[0].name, byte 41 (line 5, column 1),"
            " near '<name>b</name>\\n</group>\\n'",
            41,
            "$[0].name",
        )

    def test_a_required_field_left_out(self):
        payload = b"<list>\n<group>\n<id>1</id>\n<name>a</name>\n</group>\n<group>\n<name>b</name>\n</group>\n</list>"
        assert failure(payload, list[Group]) == (
            "fmt 2: required field `id` is missing - at $[1].id, byte 50 (line 6, column 1),"
            " near '<group>\\n<name>b</name>\\n<'",
            50,
            "$[1].id",
        )

    def test_the_canonical_reply_reads(self):
        payload = b"<list>\n<group>\n<id>1</id>\n<name>a</name>\n</group>\n</list>"
        assert fmtcodec.decode(payload, list[Group], fmt=2) == [Group(id=1, name="a")]


_MAIL_ROW = b"<a@b,\xe9\xd7\xc1\xce,,,,,,,,,\n"
"""A fmt 1 mail-contact row whose e-mail starts with ``<`` (so its head says fmt 2) and whose name
is "Иван" in koi8-r (in windows-1251, the guess for bytes that are not UTF-8, it is "йЧБО")."""
_MAIL_COLLISION = b"<list><contact><mail>\xe9a@b,x,,,,,,,,,c@d</mail></contact></list>"
"""A reply that reads as a fmt 2 list of one mail contact and as a fmt 1 row of another; its first
24 bytes end in the koi8-r "Иa@" ("йa@" in windows-1251)."""


class TestDetectionKeepsTheCharset:
    """Where the fmt is detected and the reply could be written in a lookalike fmt (a mail
    contact's fmt 1 row that starts like XML, a one-record reply that reads as fmt 0 and fmt 1),
    every reading decodes with the charset given, and a reply that reads in both fmts with
    different records is refused, the excerpt in that charset, for a ``str`` payload and for any
    bytes-like one alike.

    Kills ``fmtcodec.api.x__detected__mutmut_21``, ``_25`` (the head's reading without the
    charset), ``_38``, ``_42`` (the lookalike's reading without it: both then differ),
    ``_29``, ``_33`` (the lookalike read without it after the head's failed), ``_46`` (the
    refusal's excerpt without it), ``_50`` (a ``str`` payload made bytes: ``TypeError``) and
    ``_51`` (a memoryview given to ``Source`` as it is: ``AttributeError``)."""

    def test_a_one_record_reply_in_both_fmts(self):
        payload = b"15.00,\xf2\xf5\xe2"  # fmt 0 and fmt 1 alike: the balance, then the currency
        assert fmtcodec.decode(payload, Balance, charset="koi8-r") == Balance(balance=Decimal("15.00"), currency="РУБ")
        assert fmtcodec.decode(payload, Balance) == Balance(balance=Decimal("15.00"), currency="тхв")

    def test_the_lookalike_read_after_the_head_failed(self):
        assert fmtcodec.decode(_MAIL_ROW, list[MailContact], charset="koi8-r") == [MailContact(mail="<a@b", name="Иван")]
        assert fmtcodec.decode(_MAIL_ROW, list[MailContact]) == [MailContact(mail="<a@b", name="йЧБО")]

    @pytest.mark.parametrize(
        ("data", "charset", "near"),
        [
            (_MAIL_COLLISION, "koi8-r", "<list><contact><mail>Иa@"),
            (_MAIL_COLLISION, None, "<list><contact><mail>йa@"),
            (_MAIL_COLLISION.decode("koi8-r"), None, "<list><contact><mail>Иa@"),
            (bytearray(_MAIL_COLLISION), "koi8-r", "<list><contact><mail>Иa@"),
            (memoryview(_MAIL_COLLISION), "koi8-r", "<list><contact><mail>Иa@"),
        ],
    )
    def test_a_collision_refused(self, data, charset, near):
        message = (
            "fmt ?: the reply reads as fmt 2 and as fmt 1 with different records; pass fmt= to choose"
            f" - at $, byte 0 (line 1, column 1), near {near!r}"
        )
        with pytest.raises(DecodeError) as caught:
            fmtcodec.decode(data, list[MailContact], charset=charset)
        assert (str(caught.value), caught.value.pos, caught.value.path) == (message, 0, "$")

    @pytest.mark.parametrize(
        "data", [_MAIL_COLLISION.decode("windows-1251"), bytearray(_MAIL_COLLISION), memoryview(_MAIL_COLLISION)]
    )
    def test_a_collision_refused_by_detect_fmt(self, data):
        with pytest.raises(DecodeError) as caught:
            fmtcodec.detect_fmt(data, list[MailContact])
        assert str(caught.value) == (
            "fmt ?: the reply reads as fmt 2 and as fmt 1 with different records; pass fmt= to choose"
            " - at $, byte 0 (line 1, column 1), near '<list><contact><mail>йa@'"
        )


class TestXmlPiecesAreCutAfterAboutAPiece:
    """The pure fast path decodes a bytes reply a piece at a time, each cut right after the first
    record's end tag at least ``_PIECE`` bytes on: with records of 44 bytes and ``_PIECE`` 100,
    every piece is three records (the end tag found after byte 100 of the piece closes the third),
    never the whole body.

    Kills ``fmtcodec.xml.x__fast_pieces__mutmut_34`` (the end tag looked for only after the body:
    one piece), ``_36`` (the last end tag of the body: nearly all of it in the first piece) and
    ``_40`` (always cut at the body's end: one piece)."""

    def test_three_records_a_piece(self, monkeypatch):
        groups = [Group(id=row, name="a") for row in range(10, 40)]
        payload = fmtcodec.encode(groups, fmt=2)
        assert len(b"<group>\n<id>10</id>\n<name>a</name>\n</group>\n") == 44
        pieces: list[int] = []
        body_records = fmt_xml._body_records

        def counted(text, begin, end, data, layout, plan):
            pieces.append(end - begin)
            return body_records(text, begin, end, data, layout, plan)

        monkeypatch.setattr(fmt_xml, "_PIECE", 100)
        monkeypatch.setattr(fmt_xml, "_body_records", counted)
        assert fmt_xml._fast_records(Source.from_payload(payload, None, 2), LAYOUTS["group"]) == groups
        assert pieces == [132] * 10


class TestXmlPageListPaths:
    """A list of a pages' kind that fmt 2 cannot write names the record and the field.

    Kills ``fmtcodec.xml.x__page_list__mutmut_9`` (the record's path lost: ``None.sender``)."""

    @pytest.mark.parametrize(
        ("sender", "reason"),
        [
            ("b\x01", "character U+0001 cannot appear in XML 1.0, not even as a reference"),
            (None, "`sender` must be a str, got None"),
        ],
    )
    def test_the_second_sender(self, sender, reason):
        with pytest.raises(fmtcodec.EncodeError) as caught:
            fmtcodec.encode([Sender(sender="a", id=1), Sender(sender=sender)], fmt=2)
        assert (str(caught.value), caught.value.fmt, caught.value.path) == (
            f"fmt 2 cannot carry the value at $[1].sender: {reason}",
            2,
            "$[1].sender",
        )

    def test_the_list_written(self):
        assert fmtcodec.encode([Sender(sender="a", id=1), Sender(sender="b")], fmt=2) == (
            b'<?xml version="1.0" encoding="utf-8"?>\n<list>\n<sender id="1">a</sender>\n<sender>b</sender>\n</list>'
        )


class TestOneRecordReplyInItsLookalikeFmt:
    """A one-record reply whose head says fmt 1 (no ``key = ``) but which reads only as fmt 0
    (a send reply ``OK - 1 SMS, ID - 7``), or whose head says fmt 0 (a fmt 1 value holding
    `` = ``) but which reads only as fmt 1, is read in the fmt it reads in, and ``detect_fmt``
    with the type says that fmt.

    Kills ``fmtcodec.api.x__lookalike__mutmut_10`` (no lookalike for a fmt 0 head), ``_12`` and
    ``_13`` (no lookalike for any record kind), ``_14`` and ``_15`` (the lookalike of fmt 1 made
    fmt 2 or fmt 1 itself)."""

    def test_a_send_reply_without_a_key(self):
        payload = b"OK - 1 SMS, ID - 7"
        assert fmtcodec.detect_fmt(payload) == 1
        assert fmtcodec.decode(payload, fmtcodec.Sent) == fmtcodec.Sent(id="7", cnt=1)
        assert fmtcodec.detect_fmt(payload, fmtcodec.Sent) == 0

    def test_a_fmt1_operator_reply_that_starts_like_a_key(self):
        payload = b"Russia = RU,MTS,Moscow,250,01,"
        assert fmtcodec.detect_fmt(payload) == 0
        assert fmtcodec.decode(payload, fmtcodec.OperatorInfo) == fmtcodec.OperatorInfo(
            country="Russia = RU", operator="MTS", region="Moscow", mcc="250", mnc="01"
        )
        assert fmtcodec.detect_fmt(payload, fmtcodec.OperatorInfo) == 1


class TestXmlPageItemRefusals:
    """The reader of the pages' kinds (a one-record reply, or a list of statuses, senders, history
    or templates) refuses what it would lose, with the reason, the position and the record path:
    an attribute or text on <list> (at ``$``), text in a record's element that is not XML white
    space (a no-break space is text to XML 1.0, §2.3 [3]), and of several required fields left out
    names the first in the table's order (the field order of the record), not the first by name.

    Kills ``fmtcodec.xml.x__page_records__mutmut_13`` and ``_16`` (the path of what stands in
    <list> lost or changed), ``fmtcodec.xml.xǁ_Documentǁonly_blank_between__mutmut_2`` (the path
    of an attribute on it lost), ``fmtcodec.xml.x__page_item__mutmut_25`` (any Unicode white space
    taken for blank: a no-break space dropped unread) and ``_122``, ``_124`` (the missing field
    that sorts first by name named instead)."""

    @pytest.mark.parametrize(
        ("payload", "reason"),
        [
            (b'<list a="1">\n<sender>a</sender>\n</list>', "unexpected attribute on <list>"),
            (b"<list>x\n<sender>a</sender>\n</list>", "unexpected text in <list>"),
        ],
    )
    def test_what_stands_in_the_list(self, payload, reason):
        assert failure(payload, list[Sender]) == (
            f"fmt 2: {reason} - at $, byte 0 (line 1, column 1), near {payload[:24].decode()!r}",
            0,
            "$",
        )

    def test_a_no_break_space_in_a_record(self):
        assert failure(b"<result>\xc2\xa0<id>1</id><cnt>1</cnt></result>", Sent) == (
            "fmt 2: unexpected text in <result> - at $, byte 0 (line 1, column 1), near '<result>\\xa0<id>1</id><cnt>'",
            0,
            "$",
        )

    def test_a_no_break_space_in_a_listed_record(self):
        payload = b"<list>\n<sms>&#160;<status>1</status></sms>\n</list>"
        assert failure(payload, list[Status]) == (
            "fmt 2: unexpected text in <sms> - at $[0], byte 7 (line 2, column 1), near '<sms>&#160;<status>1</st'",
            7,
            "$[0]",
        )

    def test_the_first_missing_field_in_field_order(self):
        assert failure(b"<result></result>", Sent) == (
            "fmt 2: required field `id` is missing - at $.id, byte 0 (line 1, column 1), near '<result></result>'",
            0,
            "$.id",
        )
        assert failure(b"<list>\n<sms>\n</sms>\n</list>", list[HistoryMessage]) == (
            "fmt 2: required field `status` is missing - at $[0].status, byte 7 (line 2, column 1),"
            " near '<sms>\\n</sms>\\n</list>'",
            7,
            "$[0].status",
        )

    def test_the_canonical_replies_read(self):
        sent = b"<result>\n<id>1</id>\n<cnt>1</cnt>\n</result>"
        assert fmtcodec.decode(sent, Sent, fmt=2) == Sent(id="1", cnt=1)
        senders = b"<list>\n<sender>a</sender>\n</list>"
        assert fmtcodec.decode(senders, list[Sender], fmt=2) == [Sender(sender="a")]


class TestXmlRefusedPrologCharsetPlace:
    """A charset the XML prolog declares that the provider never answers in is refused at the
    name, on the declaration's line and column, with the 24 bytes from there, however many lines
    and bytes follow the declaration.

    Kills ``fmtcodec.xml.x_declared_charset__mutmut_34`` and ``_37`` (the column counted from the
    payload's last line break, after the name: column -10), ``_64`` and ``_67`` (every line break
    of the payload counted: line 3) and ``_79`` (25 bytes of snippet)."""

    def test_a_declaration_followed_by_lines(self):
        payload = b'<?xml version="1.0" encoding="latin-1"?>\n<list>\n</list>\n'
        with pytest.raises(DecodeError) as caught:
            fmtcodec.decode(payload, list[Group], fmt=2)
        error = caught.value
        assert str(error) == (
            "fmt 2: the XML prolog declares 'latin-1'; the provider answers in utf-8, windows-1251 or koi8-r"
            " - byte 30 (line 1, column 31), near 'latin-1\"?>\\n<list>\\n</list'"
        )
        assert (error.pos, error.line, error.column, error.snippet) == (30, 1, 31, 'latin-1"?>\n<list>\n</list')

    def test_the_same_declaration_of_a_charset_it_answers_in(self):
        payload = b'<?xml version="1.0" encoding="utf-8"?>\n<list>\n</list>\n'
        assert fmtcodec.decode(payload, list[Group], fmt=2) == []


class TestXmlPagesKindIntegerOfATextField:
    """A pages' kind's field that is not a count nor a signed number refuses an int, however
    short, with the field's reason and path, in a list and in a one-record reply alike: the
    digits of a short int are written as they are only for an ``int``, ``ts`` or ``signed`` field.

    Kills ``fmtcodec.xml.x__page_texts__mutmut_35`` (a short int of any other field written as
    its digits: ``<sender>5</sender>``)."""

    def test_a_sender_name_given_as_an_int(self):
        with pytest.raises(fmtcodec.EncodeError) as caught:
            fmtcodec.encode([Sender(sender="a"), Sender(sender=5)], fmt=2)  # type: ignore[arg-type]
        assert (str(caught.value), caught.value.path) == (
            "fmt 2 cannot carry the value at $[1].sender: `sender` must be a str, got 5",
            "$[1].sender",
        )

    def test_a_message_id_given_as_an_int(self):
        with pytest.raises(fmtcodec.EncodeError) as caught:
            fmtcodec.encode(Sent(id=7, cnt=1), fmt=2)  # type: ignore[arg-type]
        assert (str(caught.value), caught.value.path) == (
            "fmt 2 cannot carry the value at $.id: `id` must be a str, got 7",
            "$.id",
        )

    def test_the_same_records_as_text(self):
        assert fmtcodec.encode(Sent(id="7", cnt=1), fmt=2) == (
            b'<?xml version="1.0" encoding="utf-8"?>\n<result>\n<id>7</id>\n<cnt>1</cnt>\n</result>'
        )


_ONE_GROUP = "<list>\n<group>\n<id>1</id>\n<name>a</name>\n</group>\n</list>"


class TestXmlTextAfterTheListEndTagOfAStrReply:
    """A reply given as ``str`` (read by the pure fast path's text branch) with anything but line
    breaks after </list> -- a letter, or a no-break space, which is not XML white space -- is
    refused where it stands; line breaks there read.

    Kills ``fmtcodec.xml.x__fast_records__mutmut_21`` (text after the end tag let through when
    there is an end tag), ``_26`` (any Unicode white space taken for line breaks) and ``_28``
    ("X" taken for a line break)."""

    @pytest.mark.parametrize("tail", ["X", "\xa0"])
    def test_refused(self, tail):
        with pytest.raises(DecodeError) as caught:
            fmtcodec.decode(_ONE_GROUP + tail, list[Group], fmt=2)
        assert (str(caught.value), caught.value.pos, caught.value.path) == (
            "fmt 2: malformed XML: Extra content at the end of the document - byte 57 (line 6, column 8),"
            f" near {tail!r}",
            57,
            None,
        )

    def test_line_breaks_read(self):
        assert fmtcodec.decode(_ONE_GROUP + "\n\n", list[Group], fmt=2) == [Group(id=1, name="a")]


class TestXmlProcessingInstructionsAreLeftOut:
    """A processing instruction between records or between a record's fields carries nothing:
    the general reader leaves it out and reads the records around it.

    Kills ``fmtcodec.xml.x__parser__mutmut_8`` (``remove_pis=None``, which lxml reads as false:
    the instruction kept, a child that is no record)."""

    def test_between_records_and_fields(self):
        payload = b"<list>\n<?note a?>\n<group>\n<?note b?>\n<id>1</id>\n<name>a</name>\n</group>\n</list>"
        assert fmtcodec.decode(payload, list[Group], fmt=2) == [Group(id=1, name="a")]


class TestXmlErrorReplyGivenAsStr:
    """An error reply given as ``str`` (no bytes to look for ``<result`` in: the text is looked at)
    is found and read as the error it is, raised as the server's error or given back as an
    ``Error``; a ``str`` list reply is no error reply.

    Kills ``fmtcodec.xml.x_decode_error__mutmut_7`` (``"XX<resultXX"`` looked for in the text),
    ``_8`` (``"<RESULT"``) and ``_9`` (``in`` for ``not in``: every error reply taken for none)."""

    REPLY = '<?xml version="1.0" encoding="utf-8"?>\n<result>\n<error>no records</error>\n<error_code>3</error_code>\n</result>'

    def test_read_as_an_error(self):
        assert fmtcodec.decode(self.REPLY, Error, fmt=2) == Error(error_code=3, error="no records")

    def test_raised_as_the_servers_error(self):
        with pytest.raises(fmtcodec.ApiError) as caught:
            fmtcodec.decode(self.REPLY, list[Group], fmt=2)
        assert (caught.value.code, caught.value.message, caught.value.fmt) == (3, "no records", 2)

    def test_a_list_is_no_error(self):
        assert fmtcodec.decode(_ONE_GROUP, list[Group], fmt=2) == [Group(id=1, name="a")]


class TestXmlErrorReplyElementPath:
    """An element of an error reply that holds an element instead of text is refused with the
    record path of that element.

    Kills ``fmtcodec.xml.x_decode_error__mutmut_46`` (the path of the element dropped)."""

    def test_error_holding_an_element(self):
        assert failure(b"<result>\n<error><b/></error>\n<error_code>3</error_code>\n</result>", Error) == (
            "fmt 2: <error> must hold text, not elements - at $.error, byte 16 (line 2, column 8),"
            " near '<b/></error>\\n<error_code'",
            16,
            "$.error",
        )


class TestXmlStrListWithTextBeforeTheRoot:
    """A list given as ``str`` whose first character is not markup (here "x" before <list>) is
    refused where it stands; the compiled reader, which reads a ``str`` reply's UTF-8 from its
    first byte, does not skip it.

    Kills ``fmtcodec.xml.x__compiled_records__mutmut_13`` (a ``str`` reply read from its second
    byte: the letter skipped and the list read)."""

    def test_refused(self):
        assert failure("x" + _ONE_GROUP, list[Group]) == (
            "fmt 2: malformed XML: Start tag expected, '<' not found - byte 0 (line 1, column 1),"
            " near 'x<list>\\n<group>\\n<id>1</i'",
            0,
            None,
        )


class TestXmlSenderListOnlyInItsOwnLayout:
    """A senders list places the name as the <sender>'s own text and the id as its attribute: the
    fast readers, which know child elements only, have no plan for it, so a <sender> holding a
    <sender> element is refused by the general reader, not read as a name.

    Kills ``fmtcodec.xml.x__new_list_plan__mutmut_4``, ``_5`` and ``_13`` (a plan made for a kind
    with a field placed as text or as an attribute: the inner element read as the name)."""

    @pytest.mark.parametrize("as_str", [False, True])
    def test_an_element_inside_a_sender(self, as_str):
        payload = "<list>\n<sender>\n<sender>x</sender>\n</sender>\n</list>"
        assert failure(payload if as_str else payload.encode(), list[Sender]) == (
            "fmt 2: unknown field <sender> in <sender> - at $[0].sender, byte 16 (line 3, column 1),"
            " near '<sender>x</sender>\\n</sen'",
            16,
            "$[0].sender",
        )

    def test_the_canonical_list_reads(self):
        payload = b'<list>\n<sender id="5">x</sender>\n<sender>y</sender>\n</list>'
        assert fmtcodec.decode(payload, list[Sender], fmt=2) == [Sender(sender="x", id=5), Sender(sender="y")]


_TEMPLATE = (
    "<list>\n<template>\n<id>1</id>\n<name></name>\n<message>m</message>\n<format></format>\n"
    "<sender>s</sender>\n<flag>0</flag>\n</template>\n</list>"
)


class TestXmlPagesRequiredTextsOnThePureFastPath:
    """The pure fast path reads a required text field of a pages' kind as its text, "" when the
    element is empty: only an optional field's element may be left out (``None``).

    Kills ``fmtcodec.xml.x__new_list_plan__mutmut_57`` (a required field's "whole group" made 1:
    every required text of a template then ``None`` where its name is empty)."""

    def test_a_template_with_an_empty_name(self):
        expected = [Template(id=1, name="", message="m", format="", sender="s", flag=0)]
        with _core.pure():
            assert fmtcodec.decode(_TEMPLATE.encode(), list[Template], fmt=2) == expected
        assert fmtcodec.decode(_TEMPLATE.encode(), list[Template], fmt=2) == expected


@pytest.mark.skipif(not fmtcodec.COMPILED, reason="the compiled core is not built here")
class TestXmlListReadByTheCompiledCore:
    """With the compiled core active, a list in the canonical layout is read by it from the
    payload's bytes (one call), and the pure fast path is never asked.

    Kills ``fmtcodec.xml.x_decode_records__mutmut_1`` (the compiled reader never asked: the pure
    path reads every list)."""

    def test_one_call_of_the_core(self):
        payload = fmtcodec.encode([Group(id=1, name="Друзья"), Group(id=2, name="a", number=3)], fmt=2)
        with mock.patch.object(_core.CORE, "xml_records", wraps=_core.CORE.xml_records) as core, \
                mock.patch.object(fmt_xml, "_fast_records", wraps=fmt_xml._fast_records) as pure:
            records = fmtcodec.decode(payload, list[Group], fmt=2)
        assert records == [Group(id=1, name="Друзья"), Group(id=2, name="a", number=3)]
        assert (core.call_count, pure.call_count) == (1, 0)


class TestXmlListWrittenAColumnAtATime:
    """A list of a kind whose fields are all child elements is written by the fast path: each text
    column checked and escaped whole, never value by value (``_escape``, the per-value check of
    the general and the pages' writers, is not called), with the same bytes those writers give.

    Kills ``fmtcodec.xml.x_encode_records__mutmut_4``, ``_5``, ``_6`` (every list written by the
    pages' writer) and ``_13``, ``_14`` (the fast path skipped: the general writer runs)."""

    @pytest.mark.parametrize(
        "records",
        [
            [Contact(phone="79001", name="a<b & c>"), Contact(phone="79002", comments="x\ry")],
            [Group(id=1, name="Друзья", number=2), Group(id=2, name="a&b")],
            [BlacklistEntry(id=1, phone="7", type=BlacklistType.MASS, comment="<>")],
        ],
        ids=["contacts", "groups", "blacklist"],
    )
    def test_no_value_escaped_alone(self, records):
        with counted(fmt_xml, "_escape") as escape:
            payload = fmtcodec.encode(records, fmt=2)
        assert escape.call_count == 0
        assert fmtcodec.decode(payload, list[type(records[0])], fmt=2) == records
        layout = LAYOUTS[{Contact: "contact", Group: "group", BlacklistEntry: "blacklist"}[type(records[0])]]
        assert payload.decode() == fmt_xml._page_list(records, layout, "utf-8")


class TestXmlSecondDeclaration:
    """A second XML declaration is refused where it stands when only XML white space separates it
    from the first; other characters there (a no-break space is no XML white space) are what
    libxml2 refuses first.  A processing instruction further on whose target starts with "xml"
    does not move the point refused.

    Kills ``fmtcodec.xml.xǁ_Documentǁ__init____mutmut_25`` (``rfind``: the last "<?xml" looked
    at, the second declaration then refused by libxml2 in its own words) and ``_33`` (any Unicode
    white space taken for XML's)."""

    def test_right_after_the_first(self):
        payload = b'<?xml version="1.0"?>\n<?xml version="1.0"?><list>\n<?xml-stylesheet href="a"?></list>'
        assert failure(payload, list[Group]) == (
            "fmt 2: malformed XML: an XML declaration may only open the document - byte 22 (line 2, column 1),"
            " near '<?xml version=\"1.0\"?><li'",
            22,
            None,
        )

    def test_after_a_no_break_space(self):
        payload = '<?xml version="1.0"?>\xa0<?xml version="1.0"?><list/>'.encode()
        assert failure(payload, list[Group]) == (
            "fmt 2: malformed XML: Start tag expected, '<' not found - byte 21 (line 1, column 22),"
            " near '\\xa0<?xml version=\"1.0\"?><l'",
            21,
            None,
        )


class TestXmlEncodingInAnInstructionOpeningTheReply:
    """A reply opening with a processing instruction whose target starts with "xml" and that
    names an encoding (lxml refuses it in a ``str`` as a declaration) is refused at its first byte,
    whatever instructions follow.

    Kills ``fmtcodec.xml.xǁ_Documentǁ__init____mutmut_83`` and ``_84`` (the instruction looked
    for as "XX<?xmlXX" or "<?XML": the error then points at a later instruction of that name)."""

    @pytest.mark.parametrize("as_str", [False, True])
    def test_refused_at_its_start(self, as_str):
        payload = '<?xmlfoo encoding="a"?><list>XX<?xmlXX?>\n<?XML?></list>'
        assert failure(payload if as_str else payload.encode(), list[Group]) == (
            "fmt 2: malformed XML: an XML declaration may only open the document - byte 0 (line 1, column 1),"
            " near '<?xmlfoo encoding=\"a\"?><'",
            0,
            None,
        )
