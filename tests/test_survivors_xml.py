"""Tests for behaviours of ``fmtcodec.xml`` and ``fmtcodec.api`` that the unsampled mutation run
on the compiled core left unchecked, grouped by class.

Each class's docstring names the mutants it kills; the tests judge the public API (exact records,
or the exact error reason, byte offset and record path) except where a mutant is only observable
inside the module (a fast path that must read a reply, the hardened parser's resolver).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

import fmtcodec
from fmtcodec import (
    BlacklistEntry,
    Contact,
    Created,
    DecodeError,
    Error,
    Group,
    MailBlacklistEntry,
    MailContact,
    Ok,
    Sender,
    Status,
)
from fmtcodec import xml as fmt_xml
from fmtcodec.api import server_error
from fmtcodec.charset import Source
from fmtcodec.layout import LAYOUTS


def failure(payload: bytes, kind: object) -> tuple[str, int, str | None]:
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
            "balance": fmtcodec.Balance,
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
