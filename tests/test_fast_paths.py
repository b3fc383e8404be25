"""Every fast-path check, exercised by an input in the canonical layout that only the fast path
would see, and judged against the general path.

The general path is the reference: each test decodes (or encodes) once as the codec does and once
with the module's fast path switched off (``_fast_records`` / ``_fast_lines`` / ``_fast_elements`` /
``_fast_objects`` replaced by a function that steps aside), and asserts the same records, bytes or
the same error (reason, byte offset, line, column, path).  A fast path that drops one of its
checks then answers differently from the general path on the input that check exists for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import (
    BlacklistEntry,
    BlacklistType,
    Contact,
    DecodeError,
    EncodeError,
    Group,
    MailBlacklistEntry,
    MailContact,
    _core,
)
from fmtcodec import json as fmt_json
from fmtcodec import strategies as fs
from fmtcodec import text as fmt_text
from fmtcodec import values as fmt_values
from fmtcodec import xml as fmt_xml

RECORD_KINDS = (Contact, MailContact, Group, BlacklistEntry, MailBlacklistEntry)
DECODE_FAST = {0: fmt_text, 1: fmt_values, 2: fmt_xml}
ENCODE_FAST = {0: (fmt_text, "_fast_lines"), 1: (fmt_values, "_fast_lines"),
               2: (fmt_xml, "_fast_elements"), 3: (fmt_json, "_fast_objects")}


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test builds the splitters and decoders afresh, as a new process does (so a mutant in
    the code that builds them is not hidden by what an earlier test left in the cache), on the
    pure-Python path: these tests judge the pure fast paths against the general paths (the
    compiled core is judged against both in test_fast_differential.py)."""
    monkeypatch.setattr(fmt_text, "_SPLITTERS", {})
    monkeypatch.setattr(fmt_values, "_SPLITTERS", {})
    monkeypatch.setattr(fmt_xml, "_RECORD_PATTERNS", {})
    monkeypatch.setattr(fmt_json, "_TYPED", {})
    monkeypatch.setattr(fmt_json, "_LENIENT", {})
    monkeypatch.setattr(_core, "CORE", None)


def _outcome(action: Callable[[], Any]) -> Any:
    try:
        return ("ok", action())
    except DecodeError as exc:
        return ("DecodeError", exc.reason, exc.pos, exc.line, exc.column, exc.path)
    except EncodeError as exc:
        return ("EncodeError", str(exc))


def _decoded(payload: bytes, kind: type, fmt: int) -> Any:
    return _outcome(lambda: fmtcodec.decode(payload, list[kind], fmt=fmt))


def both_decodes(monkeypatch: pytest.MonkeyPatch, payload: bytes, kind: type, fmt: int) -> tuple[Any, Any]:
    """(as the codec decodes, with the fast path stepping aside)."""
    fast = _decoded(payload, kind, fmt)
    with monkeypatch.context() as patched:
        patched.setattr(DECODE_FAST[fmt], "_fast_records", lambda src, layout: None)
        general = _decoded(payload, kind, fmt)
    return fast, general


def fast_answer(payload: bytes, kind: type, fmt: int) -> Any:
    """What the fast path alone says (None: it steps aside)."""
    layout = fmtcodec.layout.layout_for(kind)
    src = fmtcodec.charset.Source.from_payload(payload, None, fmt)
    return DECODE_FAST[fmt]._fast_records(src, layout)


def contact_line(**values: str) -> str:
    fields = [field.name for field in fmtcodec.layout.layout_for(Contact).fields]
    return ", ".join(f"{name} = {values.get(name, '')}" for name in fields)


# ---------------------------------------------------------------------------------------------
# Decoding: one table of canonical-layout inputs per fmt, each with the check it exercises.

C1 = contact_line(phone="79161234567", name="Иван", group="5", birthday="01.02.1990", id="7")
C2 = contact_line(phone="79160000000", name="Пётр, мл.", id="8")

FMT0_CASES = {
    # the fast path strips one final line break, the general path skips blank lines
    "one-final-newline": (Contact, f"{C1}\n{C2}\n"),
    "blank-lines": (Contact, f"{C1}\n\n{C2}\n\n"),
    # CR: the general path drops it before a line break; a fast path without the "\r" check
    # would keep it in the last value of a text record
    "crlf": (Contact, f"{C1}\r\n{C2}\r\n"),
    "cr-inside-a-value": (Contact, contact_line(phone="7", name="a\rb")),
    # a first line not starting with the first key: the fast path must not cut its head off
    "junk-before-first-key": (Contact, "x" + C1),
    "space-before-first-key": (Group, " id = 5, name = a, number = , cnt = "),
    # a value holding the marker of a later field: the markers found are not the expected ones
    "value-holds-a-later-marker": (Group, "id = 5, name = a, cnt = 1, number = , cnt = "),
    "marker-missing": (Group, "id = 5, name = a, number = 3"),
    "trimmed-trailing-space": (Group, "id = 5, name = a, number = 3, cnt ="),
    # integer columns: the fast path's whole-column check against the field-by-field parse
    "leading-zero": (Group, "id = 05, name = a, number = , cnt = "),
    "non-ascii-digit": (Group, "id = \u0665, name = a, number = , cnt = "),
    "empty-required-int": (Group, "id = , name = a, number = , cnt = "),
    "empty-optional-int": (Group, "id = 5, name = a, number = , cnt = \nid = 6, name = b, number = 0, cnt = 7"),
    "blacklist-type-3": (BlacklistEntry, "id = 1, phone = 7, type = 3, comment = "),
    "blacklist-type-2": (BlacklistEntry, "id = 1, phone = 7, type = 2, comment = \nid = 2, phone = 8, type = 0, comment = x"),
    "too-many-digits": (Group, f"id = {'9' * 4301}, name = a, number = , cnt = "),
    "last-field-wrong": (Group, "id = 5, name = a, number = , cnt = x"),
    "last-field-wrong-crlf": (Contact, contact_line(phone="7") + "\r\n" + contact_line(phone="8", group="05") + "\r\n"),
    "second-row-wrong": (Group, "id = 5, name = a, number = , cnt = \nid = x, name = b, number = , cnt = "),
    "empty": (Group, ""),
    "only-newline": (Group, "\n"),
}

FMT1_CASES = {
    # every row has the right comma count: the skeleton comparison, then whole columns
    "skeleton": (Group, "5,Друзья,3,\n7,x,,2\n"),
    "leading-zero-id": (Group, "05,a,,"),  # issue 12: a column check weakened to [0-9]+
    "letter-in-id": (Group, "5,a,,\n5x,b,,"),
    "empty-id": (Group, ",a,,"),
    "non-ascii-digit": (Group, "\u0665,a,,"),
    "blacklist-type-3": (BlacklistEntry, "1,7,3,"),
    "blacklist-type-2": (BlacklistEntry, "1,79161234567,2,bad guy"),
    "bad-phone-column": (BlacklistEntry, "1,x,2,"),
    "bad-date": (Contact, "7,a,,,,,1.2.1990,,,,"),
    "bad-group": (Contact, "7,a,x,,,,,,,,"),
    "date-and-group": (Contact, "7,a,5,,,,01.02.1990,,,,\n8,b,,,,,,,,,"),
    "phone-other-list": (Contact, "7,a,,,,,,,,,8"),
    "crlf": (Group, "5,a,,\r\n6,b,,\r\n"),
    "cr-inside": (Group, "5,a\rb,,"),
    # rows with a comma inside a value ("odd" rows) next to plain rows
    "one-odd-row": (Group, "5,a,,\n6,b,,\n7,c,d,,\n8,e,,\n9,f,,"),
    "odd-row-first": (Group, "7,c,d,,\n5,a,,\n6,b,,\n8,e,,\n9,f,,"),
    "odd-row-last": (Group, "5,a,,\n6,b,,\n8,e,,\n9,f,,\n7,c,d,,"),
    "blank-line-among-rows": (Group, "5,a,,\n\n6,b,,\n7,c,,\n8,d,,\n9,e,,"),
    "odd-row-unsplittable": (Group, "5,a,,\n6,b,,\n7,c,d,x,y\n8,e,,\n9,f,,"),
    "odd-row-bad-value": (BlacklistEntry, "1,7,2,\n2,7,1,\n3,7,5,,\n4,7,0,\n5,7,0,"),
    "odd-row-ambiguous": (Contact, "7,a,,,,,,,,,\n7,a,b,,,,,,,,,\n8,c,,,,,,,,,\n9,d,,,,,,,,,\n1,e,,,,,,,,,"),
    "many-odd-rows": (Group, "5,a,b,,\n6,c,d,,\n7,e,,"),
    "phones-with-commas": (Contact, "7,8,9,a,,,,,,,,,\n1,b,,,,,,,,,\n2,c,,,,,,,,,\n3,d,,,,,,,,,"),
    "empty": (Group, ""),
    "only-newline": (Group, "\n"),
}

XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<list>\n'


def xml_contact(**values: str) -> str:
    fields = [field.name for field in fmtcodec.layout.layout_for(Contact).fields]
    inner = "".join(f"<{name}>{values.get(name, '')}</{name}>\n" for name in fields)
    return f"<contact>\n{inner}</contact>\n"


X1 = xml_contact(phone="79161234567", name="Иван", group="5")
X2 = xml_contact(phone="7", name="b")

FMT2_CASES = {
    "canonical": (Contact, XML_HEAD + X1 + X2 + "</list>"),
    "no-prolog": (Contact, "<list>\n" + X1 + "</list>"),
    "empty-list": (Contact, XML_HEAD + "</list>"),
    "trailing-newlines": (Contact, XML_HEAD + X1 + "</list>\n\n"),
    # issue 12: junk after </list>
    "junk-after-list": (Contact, XML_HEAD + X1 + "</list>x"),
    "second-root": (Contact, XML_HEAD + X1 + "</list>\n<list>\n</list>"),
    "no-end-tag": (Contact, XML_HEAD + X1),
    # issue 12: other entities -- a character reference and an undefined entity
    "char-reference": (Contact, XML_HEAD + xml_contact(phone="7", name="&#65;") + "</list>"),
    "hex-reference": (Contact, XML_HEAD + xml_contact(phone="7", name="&#x41;") + "</list>"),
    "undefined-entity": (Contact, XML_HEAD + xml_contact(phone="7", name="&bogus;") + "</list>"),
    "bare-ampersand": (Contact, XML_HEAD + xml_contact(phone="7", name="a & b") + "</list>"),
    "known-entities": (Contact, XML_HEAD + xml_contact(phone="7", name="&lt;&gt;&amp;&quot;&apos;&#13;") + "</list>"),
    "escaped-entity": (Contact, XML_HEAD + xml_contact(phone="7", name="&amp;lt;&amp;#13;") + "</list>"),
    # issue 12: U+FFFE (and U+FFFF), which XML cannot hold; control characters; CR
    "u-fffe": (Contact, XML_HEAD + xml_contact(phone="7", name="a\ufffe") + "</list>"),
    "u-ffff": (Contact, XML_HEAD + xml_contact(phone="7", name="a\uffff") + "</list>"),
    "control-char": (Contact, XML_HEAD + xml_contact(phone="7", name="a\x01") + "</list>"),
    "raw-cr": (Contact, XML_HEAD + xml_contact(phone="7", name="a\rb") + "</list>"),
    "tab-and-newline": (Contact, XML_HEAD + xml_contact(phone="7", name="a\tb\nc") + "</list>"),
    # markup inside a value, which the tag split would not see
    "comment-in-value": (Contact, XML_HEAD + xml_contact(phone="7", name="a<!--x-->b") + "</list>"),
    "cdata-in-value": (Contact, XML_HEAD + xml_contact(phone="7", name="<![CDATA[<a>]]>") + "</list>"),
    "cdata-end-in-value": (Contact, XML_HEAD + xml_contact(phone="7", name="a]]>b") + "</list>"),
    "element-in-value": (Contact, XML_HEAD + xml_contact(phone="7", name="<b>x</b>") + "</list>"),
    # the tag sequence: a missing, doubled or reordered field, text between records
    "field-missing": (Contact, XML_HEAD + X1.replace("<tags></tags>\n", "") + "</list>"),
    "field-doubled": (Contact, XML_HEAD + X1.replace("<tags></tags>\n", "<tags></tags>\n<tags></tags>\n") + "</list>"),
    "text-between-records": (Contact, XML_HEAD + X1 + "x" + X2 + "</list>"),
    "text-before-first-record": (Contact, XML_HEAD + "x" + X1 + "</list>"),
    "doctype-after-prolog": (Contact, '<?xml version="1.0"?>\n<!DOCTYPE list>\n<list>\n' + X1 + "</list>"),
    "attribute-on-list": (Contact, '<list a="1">\n' + X1 + "</list>"),
    "mail-contact": (MailContact, XML_HEAD + X1.replace("phone>", "mail>") + "</list>"),
    "group-kind": (Group, XML_HEAD + "<group>\n<id>5</id>\n<name>a</name>\n</group>\n</list>"),
}

CASES = [
    *(pytest.param(0, kind, text, id=f"fmt0-{name}") for name, (kind, text) in FMT0_CASES.items()),
    *(pytest.param(1, kind, text, id=f"fmt1-{name}") for name, (kind, text) in FMT1_CASES.items()),
    *(pytest.param(2, kind, text, id=f"fmt2-{name}") for name, (kind, text) in FMT2_CASES.items()),
]


class TestDecodeFastPathAgreesWithGeneralPath:
    """Kills mutants that drop or weaken a fast-path check: text ``_fast_records`` ("\\r" check,
    ``startswith(head)``, the marker comparison, the final-newline strip); values
    ``_fast_records`` (skeleton comparison, ``columns_of`` column checks, the odd-row merge
    and its quarter rule, ``if lines[row]``); xml ``_fast_records`` (junk after ``</list>``,
    control bytes, U+FFFE/U+FFFF, ``]]>``, other entities, ``pieces[0] or pieces[-1]``, markup in a
    value, the unescape table); layout ``from_columns`` (integer and blacklist-type columns, the
    4300-digit fallback)."""

    @pytest.mark.parametrize(("fmt", "kind", "text"), CASES)
    def test_same_answer(self, monkeypatch, fmt, kind, text):
        payload = text.encode("utf-8")
        fast, general = both_decodes(monkeypatch, payload, kind, fmt)
        assert fast == general

    @pytest.mark.parametrize(("fmt", "kind", "text"), CASES)
    def test_fast_path_answers_only_what_the_general_path_would(self, monkeypatch, fmt, kind, text):
        # The fast path alone: either it steps aside, or it gives the general path's records.
        answer = fast_answer(text.encode("utf-8"), kind, fmt)
        if answer is not None:
            __, general = both_decodes(monkeypatch, text.encode("utf-8"), kind, fmt)
            assert general == ("ok", answer)


# The inputs the fast paths exist for: they must take them (so the tests above are not vacuous).
TAKEN = [
    pytest.param(0, "fmt0-one-final-newline", id="fmt0"),
    pytest.param(1, "fmt1-skeleton", id="fmt1-skeleton"),
    pytest.param(1, "fmt1-one-odd-row", id="fmt1-odd-row"),
    pytest.param(1, "fmt1-blank-line-among-rows", id="fmt1-blank-line"),
    pytest.param(2, "fmt2-canonical", id="fmt2"),
    pytest.param(2, "fmt2-known-entities", id="fmt2-entities"),
    pytest.param(2, "fmt2-trailing-newlines", id="fmt2-trailing"),
]
ALL_CASES = {
    **{f"fmt0-{name}": case for name, case in FMT0_CASES.items()},
    **{f"fmt1-{name}": case for name, case in FMT1_CASES.items()},
    **{f"fmt2-{name}": case for name, case in FMT2_CASES.items()},
}


class TestFastPathsTakeTheCanonicalLayout:
    """Kills mutants that make a fast path step aside always (``return None`` early), which the
    agreement tests alone would not notice, and checks the exact records read."""

    @pytest.mark.parametrize(("fmt", "name"), TAKEN)
    def test_taken(self, fmt, name):
        kind, text = ALL_CASES[name]
        answer = fast_answer(text.encode("utf-8"), kind, fmt)
        assert answer is not None
        assert answer == fmtcodec.decode(text.encode("utf-8"), list[kind], fmt=fmt)

    def test_exact_records(self):
        assert fmtcodec.decode(FMT2_CASES["known-entities"][1].encode(), list[Contact]) == [
            Contact(phone="7", name="<>&\"'\r")
        ]
        assert fmtcodec.decode(FMT2_CASES["escaped-entity"][1].encode(), list[Contact]) == [
            Contact(phone="7", name="&lt;&#13;")
        ]
        assert fmtcodec.decode(FMT1_CASES["one-odd-row"][1].encode(), list[Group], fmt=1) == [
            Group(id=5, name="a"), Group(id=6, name="b"), Group(id=7, name="c,d"),
            Group(id=8, name="e"), Group(id=9, name="f"),
        ]
        assert fmtcodec.decode(FMT1_CASES["blank-line-among-rows"][1].encode(), list[Group], fmt=1) == [
            Group(id=n, name=name) for n, name in zip([5, 6, 7, 8, 9], "abcde", strict=True)
        ]
        assert fmtcodec.decode(FMT0_CASES["crlf"][1].encode(), list[Contact], fmt=0) == (
            fmtcodec.decode(f"{C1}\n{C2}".encode(), list[Contact], fmt=0)
        )

    @pytest.mark.parametrize(
        ("name", "reason", "pos"),
        [
            ("fmt2-char-reference", None, None),
            ("fmt2-undefined-entity", "malformed XML: Entity 'bogus' not defined", None),
            ("fmt2-junk-after-list", "malformed XML: Extra content at the end of the document", None),
            ("fmt2-u-fffe", None, None),
            ("fmt1-leading-zero-id", "expected an integer for `id`, got '05'", 0),
            ("fmt1-blacklist-type-3", "blacklist type must be 0, 1 or 2, got '3'", 4),
            ("fmt0-blacklist-type-3", "blacklist type must be 0, 1 or 2, got '3'", 26),
        ],
    )
    def test_what_the_issue_names(self, name, reason, pos):
        kind, text = ALL_CASES[name]
        fmt = int(name[3])
        outcome = _decoded(text.encode("utf-8"), kind, fmt)
        if name == "fmt2-char-reference":
            assert outcome == ("ok", [Contact(phone="7", name="A")])
        elif name == "fmt2-u-fffe":
            assert outcome[0] == "DecodeError"
            assert outcome[1].startswith("malformed XML: ")
        else:
            assert outcome[0] == "DecodeError"
            assert outcome[1].startswith(reason)
            if pos is not None:
                assert outcome[2] == pos


# ---------------------------------------------------------------------------------------------
# Random records: decode and encode, fast path against general path, every kind and fmt.


@st.composite
def _records_and_fmt(draw: st.DrawFn) -> tuple[type, list[Any], int]:
    kind = draw(st.sampled_from(RECORD_KINDS))
    fmt = draw(st.sampled_from([0, 1, 2, 3]))
    text = draw(st.sampled_from([
        fs.free_text(for_fmt=fmt),
        st.text(alphabet="ab,\n\r&<>\"' =;", max_size=6),
    ]))
    records = draw(fs.records(kind, text=text, max_size=6))
    return kind, records, fmt


class TestEncodeFastPathAgreesWithGeneralPath:
    """Kills mutants of the encoders' fast paths (text/values ``_fast_lines``, xml
    ``_fast_elements``, json ``_fast_objects``/``_string_column``, layout ``text_columns``) that
    write other bytes than the record-by-record path, or accept what it refuses; and, decoding
    what was written, the decoders' fast paths again."""

    # static: Hypothesis refuses a test method run from two instances of its class (its
    # differing_executors check), which is what mutmut's second pytest run in one process does
    @staticmethod
    @given(case=_records_and_fmt())
    def test_same_bytes_or_same_refusal(case):
        kind, records, fmt = case
        module, name = ENCODE_FAST[fmt]
        fast = _outcome(lambda: fmtcodec.encode(records, fmt=fmt))
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(module, name, lambda *args: None)
            general = _outcome(lambda: fmtcodec.encode(records, fmt=fmt))
        assert fast == general
        if fast[0] == "ok" and fmt in DECODE_FAST:
            with pytest.MonkeyPatch.context() as patched:
                decoded = both_decodes(patched, fast[1], kind, fmt)
            assert decoded[0] == decoded[1] == ("ok", records)


ENCODE_CASES = {
    "cr-in-a-value": [Contact(phone="7", name="a\rb")],
    "lf-in-a-value": [Contact(phone="7", name="a"), Contact(phone="8", name="a\nb")],
    # a comma in one row (so the rows are not all clean) and a value that does not fit in another
    "bad-first-row-among-odd": [Contact(phone="x", name="a"), Contact(phone="7", name="b,c")],
    # (the comma in the first column, so that no column is checked whole before the rows are)
    "bad-first-row-among-many": [Contact(phone="x", name="a"), Contact(phone="7", name="b"),
                                 Contact(phone="8", name="c"), Contact(phone="9,10", name="d")],
    "bad-second-row-among-odd": [Contact(phone="7", name="a"), Contact(phone="x", name="a"), Contact(phone="8", name="b,c")],
    "reads-back-otherwise": [Contact(phone="7", name="a", tags="a,+7911", phone_other="+7912")],
    "odd-rows-only": [Group(id=1, name="a,b"), Group(id=2, name="c,d")],
    "marker-in-a-value": [Group(id=1, name="a, number = 2")],
    # what the fast paths must escape, or write as the general path does, in every fmt
    "quote-then-comma": [Contact(phone="7", name='",', group='","'), Contact(phone="8", name='"')],
    "backslash-last": [Contact(phone="7", name="a\\", tags="\\"), Contact(phone="8", name="\x1f\t")],
    "lone-surrogate": [Contact(phone="7", name="a"), Contact(phone="8", name="\ud800")],
    "not-xml": [Contact(phone="7", name="a\x00"), Contact(phone="8", name="\ufffe")],
    "markup": [Contact(phone="7", name="<a & b>", comments="\r&amp;"), Contact(phone="8", tags="]]>")],
    "str-subclass": [Contact(phone="7", name=type("S", (str,), {"__str__": lambda self: "x"})("a"))],
    "not-a-str": [Contact(phone="7", name=b"a"), Contact(phone="8")],  # type: ignore[arg-type]
    "none-in-text": [Contact(phone="7", name=None)],  # type: ignore[arg-type]
    "numbers": [Group(id=0, name="a", number=None, cnt=7), Group(id=10**20, name="b", number=3, cnt=None),
                Group(id=5, name="", number=0, cnt=0)],
    "negative": [Group(id=1, name="a"), Group(id=-1, name="b")],
    "bool": [Group(id=True, name="a")],
    "float": [Group(id=1, name="a", number=2.0)],  # type: ignore[arg-type]
    "str-number": [Group(id="1", name="a")],  # type: ignore[arg-type]
    "digits-limit": [Group(id=10**4300 - 1, name="a"), Group(id=1, cnt=10**4300)],
    "none-required": [Group(id=None, name="a")],  # type: ignore[arg-type]
    "blacklist-types": [BlacklistEntry(id=1, phone="7", type=BlacklistType.MASS), BlacklistEntry(id=2, phone="8", type=2)],
    "blacklist-type-3": [BlacklistEntry(id=1, phone="7", type=3)],  # type: ignore[arg-type]
    "blacklist-in-an-id": [BlacklistEntry(id=BlacklistType(1), phone="7", type=0)],
    "mail-blacklist": [MailBlacklistEntry(id=1, email="a@b.c", type=0, comment="x, type = 1")],
    # " = " and markers of other fields than the next one: fmt 0 writes them
    "equals-in-a-value": [Contact(phone="7", name="x = y", comments=", name = "), Contact(phone="8")],
    # digits that are not ASCII, an empty phone, superscripts: fmt 1's column checks refuse them
    "unicode-digits": [Contact(phone="\u0667\u0669", name="a"), Contact(phone="7", group="\u00b2")],
    "empty-phone": [Contact(phone="7", name="a"), Contact(phone="", name="b")],
    # unprintable characters XML and JSON carry as they are (or JSON escapes, \t)
    "unprintable": [Contact(phone="7", name="a\u00a0b\u2028", comments="\x7f\u00ad"), Contact(phone="8", tags="\t")],
}


class TestEncodeFastPathCases:
    """The encoders' fast paths on the values they exist to refuse or hand over: kills values
    ``_fast_lines`` mutants that stop looking for CR, or that leave the first rows out of the
    column check when some row holds a comma (``pairwise([-1, ...])``), and
    ``_encode_records`` mutants that lose the fmt or the row of the refusal."""

    @pytest.mark.parametrize("charset", ["utf-8", "cp1251"])
    @pytest.mark.parametrize("fmt", [0, 1, 2, 3])
    @pytest.mark.parametrize("name", list(ENCODE_CASES))
    def test_same_as_general_path(self, fmt, name, charset):
        records = ENCODE_CASES[name]
        module, attribute = ENCODE_FAST[fmt]
        fast = _outcome(lambda: fmtcodec.encode(records, fmt=fmt, charset=charset))
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(module, attribute, lambda *args: None)
            general = _outcome(lambda: fmtcodec.encode(records, fmt=fmt, charset=charset))
        assert fast == general

    @pytest.mark.parametrize(
        ("name", "message"),
        [
            ("cr-in-a-value", "fmt 1 cannot carry the value at $[0].name: a line break cannot be carried: records are one line each"),
            ("bad-first-row-among-odd", "fmt 1 cannot carry the value at $[0]: `phone` 'x' does not look like a phones value"),
            ("bad-first-row-among-many", "fmt 1 cannot carry the value at $[0]: `phone` 'x' does not look like a phones value"),
            ("bad-second-row-among-odd", "fmt 1 cannot carry the value at $[1]: `phone` 'x' does not look like a phones value"),
            (
                "reads-back-otherwise",
                "fmt 1 cannot carry the value at $[0]: the row would decode as "
                "('7', 'a', '', '', '', '', '', '', '', 'a', '+7911,+7912')",
            ),
        ],
    )
    def test_fmt1_refusals(self, name, message):
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(ENCODE_CASES[name], fmt=1)
        assert str(caught.value) == message


PLAIN = {
    Contact: [Contact(phone="79161234567", name="Иван", group="5", birthday="01.02.1990"), Contact(phone="7", name="b")],
    MailContact: [MailContact(mail="a@b.c", name="x"), MailContact(mail="d@e.f", name="y")],
}


# the cases of ENCODE_CASES each fast path writes itself (the others it hands to the general path)
ENCODE_TAKEN = {
    3: ["quote-then-comma", "backslash-last", "markup", "str-subclass", "numbers", "blacklist-types",
        "blacklist-in-an-id", "mail-blacklist", "odd-rows-only", "unprintable"],
    2: ["quote-then-comma", "markup", "str-subclass", "numbers", "blacklist-types",
        "blacklist-in-an-id", "mail-blacklist", "odd-rows-only", "lf-in-a-value", "cr-in-a-value",
        "unprintable"],
    0: ["quote-then-comma", "backslash-last", "str-subclass", "numbers", "blacklist-types",
        "blacklist-in-an-id", "odd-rows-only", "not-xml", "bad-first-row-among-odd", "equals-in-a-value"],
    1: ["backslash-last", "str-subclass", "numbers", "blacklist-types", "blacklist-in-an-id", "odd-rows-only",
        "mail-blacklist", "marker-in-a-value", "not-xml"],
}


class TestEncoderFastPathsAreTaken:
    """Kills encoder mutants that make a fast path decline plain records (text ``_fast_lines``'
    marker test made always true, values ``_fast_lines``' clean test, xml ``_fast_elements``,
    json ``_fast_objects``), which the agreement tests alone cannot see: the answer is the same,
    only slower."""

    @pytest.mark.parametrize("fmt", [0, 1, 2, 3])
    @pytest.mark.parametrize("kind", list(PLAIN), ids=lambda kind: kind.__name__)
    def test_taken(self, fmt, kind):
        records = PLAIN[kind]
        module, name = ENCODE_FAST[fmt]
        layout = fmtcodec.layout.layout_for(kind)
        args = (records, layout, "utf-8") if fmt == 2 else (records, layout)
        fast = getattr(module, name)(*args)
        assert fast is not None
        assert fast.encode("utf-8") == fmtcodec.encode(records, fmt=fmt)
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(module, name, lambda *args: None)
            assert fmtcodec.encode(records, fmt=fmt) == fast.encode("utf-8")

    @pytest.mark.parametrize(("fmt", "name"), [(fmt, name) for fmt, names in ENCODE_TAKEN.items() for name in names])
    def test_cases_taken(self, fmt, name):
        records = ENCODE_CASES[name]
        module, attribute = ENCODE_FAST[fmt]
        layout = fmtcodec.layout.layout_for(type(records[0]))
        args = (records, layout, "utf-8") if fmt == 2 else (records, layout)
        fast = getattr(module, attribute)(*args)
        assert fast is not None
        assert fast.encode("utf-8") == fmtcodec.encode(records, fmt=fmt)
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(module, attribute, lambda *args: None)
            assert fmtcodec.encode(records, fmt=fmt) == fast.encode("utf-8")
