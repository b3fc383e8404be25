"""fmt 2: XML, one element a line.

Seed, list of contacts at fmt = 2::

    <list>
    <contact>
    <phone>phone</phone>
    ...
    </contact>
    ...
    </list>

The reply is parsed by lxml with every dangerous feature off: a document type declaration of any
kind is refused before parsing -- found by libxml2 itself, in a first parse that stops at the
DOCTYPE or the root element -- so no internal or external entity, no DTD loading, no billion
laughs; the network is off, entities are never resolved, every external request is answered with
nothing, and libxml2's default limits (depth 256, 10 MB per text node) stay on.  The XML
declaration is read by the grammar of XML 1.0 §2.8.  Element text is taken exactly as parsed,
whitespace included; XML whitespace (space, tab, CR, LF) between elements is ignored, any other
text there refused (spec/formats.md, fmt 2).  The canonical layout of lists -- the one the
encoder writes, for every list kind whose fields the table places as child elements -- is read
without lxml by fast paths driven by the layout table, which accept nothing but that layout (no
DOCTYPE, other entity, comment, CDATA or attribute can pass them) and otherwise step aside: the
compiled core's reader when it is active, then a pure one.  Neither decodes the whole reply: the
compiled reader makes each value's str from the payload's bytes, the pure one decodes the body a
piece of about a megabyte at a time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import chain, starmap
from typing import Any

import msgspec
from lxml import etree

from fmtcodec import _core
from fmtcodec.charset import ASCII_SPACE, Source, normalize_charset
from fmtcodec.errors import DecodeError, EncodeError
from fmtcodec.layout import (
    FieldLayout,
    FieldValueError,
    RecordLayout,
    made_once_a_kind,
    parse_integer,
    reply_integer,
)
from fmtcodec.records import BlacklistType, Created, CreatedElement, Error, Ok
from fmtcodec.writing import FieldSlots, join_records, number_texts, value_columns

FMT = 2

# XML 1.0 §2.8 [23]-[27], [32], [80]-[81]: the declaration, and nothing looser.  It may only open
# the document (after a byte order mark): whitespace before it is refused, as XML refuses it.
_S = "[ \t\r\n]+"
_EQ = "[ \t\r\n]*=[ \t\r\n]*"
_DECLARATION = (
    rf"<\?xml{_S}version{_EQ}(?:\"1\.[0-9]+\"|'1\.[0-9]+')"
    rf"(?:{_S}encoding{_EQ}(?P<quote>[\"'])(?P<encoding>[A-Za-z][A-Za-z0-9._-]*)(?P=quote))?"
    rf"(?:{_S}standalone{_EQ}(?:\"(?:yes|no)\"|'(?:yes|no)'))?[ \t\r\n]*\?>"
)
DECLARATION = re.compile(_DECLARATION.encode("ascii"))
"""The XML declaration (bytes): used by ``declared_charset`` and by ``iter_decode``'s framing."""
_PROLOG = re.compile(_DECLARATION)
_DECLARATION_START = re.compile(r"<\?xml[ \t\r\n?]")
_XML_SPACE = " \t\r\n"  # XML 1.0 §2.3 [3]: the only whitespace XML knows
_UTF8_BOM = b"\xef\xbb\xbf"
# What may stand before a DOCTYPE once the parser has seen one (to point at it in the message).
_MISC = re.compile(r"(?:[ \t\r\n]+|<!--.*?-->|<\?.*?\?>)*", re.DOTALL)
_BARE_OK = "OK"
_ERROR_ID = FieldLayout(name="id", type="id", json="number", fmt1="id")  # the message a send error names
# Characters XML 1.0 cannot hold at all, even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CREATED_ELEMENTS: dict[str, CreatedElement] = {"phone": "phone", "group": "group", "mail": "mail"}
# libxml2 appends where it stopped, and names lines inside some messages ("tag mismatch: group
# line 2 and list"); both count from the parsed piece, not the payload: the position says where.
_LIBXML_WHERE = re.compile(r", line \d+, column \d+$| line \d+\b")


def declared_charset(data: bytes) -> str | None:
    """The ``encoding=`` of the XML prolog, if there is one (it wins over sniffing)."""
    skipped = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    match = DECLARATION.match(data, skipped)
    if match is None or match["encoding"] is None:
        return None  # a malformed declaration is refused when the reply is parsed
    try:
        return normalize_charset(match["encoding"].decode("ascii"))
    except ValueError:
        at = match.start("encoding")
        line_start = max(data.rfind(b"\n", 0, at) + 1, skipped)
        raise DecodeError(
            f"the XML prolog declares {match['encoding'].decode('ascii')!r}; the provider answers in"
            " utf-8, windows-1251 or koi8-r",
            fmt=FMT,
            pos=at,
            line=data.count(b"\n", 0, at) + 1,
            column=at - line_start + 1,
            snippet=data[at : at + 24].decode("ascii", "replace"),
        ) from None


class _DoctypeSeen(Exception):
    pass


class _RootSeen(Exception):
    pass


class _PrologWatch:
    """An lxml parser target that stops at the first thing that tells: a document type
    declaration (SAX ``internalSubset``, reported before its subset is read) or the root element."""

    def doctype(self, *declared: Any) -> None:
        raise _DoctypeSeen

    def start(self, tag: Any, attrib: Any) -> None:
        raise _RootSeen  # the root element: no DOCTYPE can follow

    def close(self) -> None:
        return None


def _has_doctype(body: str) -> bool:
    """Whether libxml2 finds a document type declaration in ``body``'s prolog.

    Decided by the parser itself -- a comment or processing instruction holding ``<`` cannot hide
    one -- and cheaply: parsing stops at the DOCTYPE or at the root's start tag, before any DTD,
    entity or external subset is read.  A malformed prolog is left to the real parse to report.
    """
    watch = etree.XMLParser(
        target=_PrologWatch(),  # type: ignore[arg-type]  # the stubs know no doctype callback
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
    )
    try:
        etree.fromstring(body, watch)
    except _DoctypeSeen:
        return True
    except (_RootSeen, etree.XMLSyntaxError, ValueError):
        pass
    return False


class _RefuseExternal(etree.Resolver):
    """No file or URL is ever read (a DOCTYPE is refused before parsing; this is belt and braces)."""

    def resolve(self, system_url: str, public_id: str, context: Any = None) -> Any:
        return self.resolve_string("", context, base_url=None)


def _parser() -> Any:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    parser.resolvers.add(_RefuseExternal())
    return parser


class _Document:
    """A parsed reply and how to point from its elements back into the source."""

    def __init__(self, src: Source) -> None:
        self.src = src
        text = src.text
        prolog = _PROLOG.match(text)
        if prolog is None and _DECLARATION_START.match(text):
            raise src.error("malformed XML declaration (XML 1.0 §2.8)", 0)
        self.body_start = prolog.end() if prolog else 0
        again = text.find("<?xml", self.body_start)
        if prolog and again >= 0 and not text[self.body_start : again].strip(_XML_SPACE):
            # lxml would take a second declaration right after the first for the document's own
            raise src.error("malformed XML: an XML declaration may only open the document", again)
        body = text[self.body_start :]
        if _has_doctype(body):
            at = self.body_start + _MISC.match(body).end()  # type: ignore[union-attr]
            raise src.error(
                "document type declarations are refused (no DTD, no entity is ever expanded)", at
            )
        try:
            self.root = etree.fromstring(body, _parser())
        except etree.XMLSyntaxError as exc:
            line, column = exc.position
            reason = _LIBXML_WHERE.sub("", exc.msg or "malformed XML")
            raise src.error(f"malformed XML: {reason}", self._index(line, column)) from None
        except ValueError:  # lxml's word for a second XML declaration with an encoding
            at = text.find("<?xml", self.body_start)
            raise src.error("malformed XML: an XML declaration may only open the document", at) from None

    def _index(self, line: int, column: int) -> int:
        """Character index in the source of (line, column) of the parsed body (1-based)."""
        text = self.src.text
        index = self.body_start
        for _ in range(line - 1):
            found = text.find("\n", index)
            if found < 0:
                break
            index = found + 1
        return index + max(column - 1, 0)

    def where(self, element: Any) -> int:
        """Character index of ``element``'s start tag (only used to report an error).

        lxml gives the line of an element, not its column: count the elements of the same tag
        that start earlier on that line, then find that many start tags and one more.
        """
        line = element.sourceline or 1
        before = 0
        for other in self.root.iter(element.tag):
            if other is element:
                break
            if other.sourceline == line:
                before += 1
        line_at = self._index(line, 1)
        start_tag = re.compile(f"<{re.escape(element.tag)}[\\s/>]")
        for skipped, found in enumerate(start_tag.finditer(self.src.text, line_at)):
            if skipped == before:
                return found.start()
        return line_at

    def error(self, reason: str, element: Any, path: str | None = None) -> DecodeError:
        return self.src.error(reason, self.where(element), path)

    def leaf_text(self, element: Any, path: str) -> str:
        """The text of an element that must hold text only."""
        if len(element):
            raise self.error(f"<{element.tag}> must hold text, not elements", element[0], path)
        self.no_attributes(element, path)
        return element.text or ""

    def no_attributes(self, element: Any, path: str) -> None:
        """An attribute would be lost: refuse it."""
        if element.attrib:
            raise self.error(f"unexpected attribute on <{element.tag}>", element, path)

    def only_blank_between(self, element: Any, path: str) -> None:
        """Text and attributes outside the expected elements would be lost: refuse them."""
        self.no_attributes(element, path)
        if element.text and element.text.strip(_XML_SPACE):
            raise self.error(f"unexpected text in <{element.tag}>", element, path)
        for child in element:
            if child.tail and child.tail.strip(_XML_SPACE):
                raise self.error(f"unexpected text after <{child.tag}>", child, path)


def _bare_ok(src: Source) -> bool:
    return src.text.strip(ASCII_SPACE) == _BARE_OK


def decode_error(src: Source) -> Error | None:
    # Looked for in the bytes when there are some (markup is ASCII in all three charsets): a list
    # read by the compiled core is then never decoded whole.
    if (b"<result" not in src.raw) if src.raw is not None else ("<result" not in src.text):
        return None  # no <result> element anywhere: no error reply
    doc = _Document(src)  # the parser tells the root (a comment before it may hold anything)
    root = doc.root
    if root.tag != "result" or root.find("error_code") is None:
        return None
    doc.only_blank_between(root, "$")
    found = {}
    for child in root:
        if child.tag not in ("error", "error_code", "id") or child.tag in found:
            raise doc.error(f"unexpected <{child.tag}> in an error reply", child, "$")
        found[child.tag] = doc.leaf_text(child, f"$.{child.tag}")
    try:
        code = parse_integer("error_code", found["error_code"])
    except ValueError as exc:
        raise doc.error(str(exc), root.find("error_code"), "$.error_code") from None
    message_id = found.get("id")
    if message_id is not None:  # send errors 3, 6, 7, 8 name the message (facts §4.1)
        try:
            message_id = _ERROR_ID.parse(message_id)
        except ValueError as exc:
            raise doc.error(str(exc), root.find("id"), "$.id") from None
    return Error(error_code=code, error=found.get("error", ""), id=message_id)


def decode_ok(src: Source) -> Ok:
    if _bare_ok(src):  # facts §3.3: accept the bare word in every fmt
        return Ok()
    doc = _Document(src)
    root = doc.root
    if root.tag != "result" or len(root) or (root.text or "").strip(_XML_SPACE) != _BARE_OK:
        raise doc.error("expected <result>OK</result>", root, "$")
    doc.no_attributes(root, "$")
    return Ok()


def decode_created(src: Source) -> Created:
    doc = _Document(src)
    root = doc.root
    if root.tag not in _CREATED_ELEMENTS:
        raise doc.error(f"expected <phone>, <group> or <mail> around the new id, got <{root.tag}>", root, "$")
    doc.only_blank_between(root, "$")
    if len(root) != 1 or root[0].tag != "id":
        raise doc.error(f"expected exactly one <id> in <{root.tag}>", root, "$")
    text = doc.leaf_text(root[0], "$.id")
    try:
        new_id = parse_integer("id", text)
    except ValueError as exc:
        raise doc.error(str(exc), root[0], "$.id") from None
    return Created(id=new_id, element=_CREATED_ELEMENTS[root.tag])


# Fast paths for the canonical layout the encoder writes (and the seed shows), for every list
# kind whose fields are all child elements: one regular expression of a whole record finds every
# record, their lengths must add up to the body's, and the values are unescaped and typed a column
# at a time.  Anything else -- a prolog-less DOCTYPE, attributes, comments, CDATA, other entities,
# CR (which XML would turn into LF), indentation, a required field left out -- fails a check and
# goes to lxml.  The compiled core, when active, reads the same layout from the payload's bytes.
_CONTROL_BYTES = bytes([*range(9), 11, 12, *range(13, 32)])
"""bytes of characters XML refuses or rewrites (CR); U+FFFE/U+FFFF are looked for by their UTF-8"""
_NOT_CONTROL = bytes(set(range(256)) - set(_CONTROL_BYTES))
_OTHER_ENTITY = re.compile("&(?!(?:amp|lt|gt|quot|apos|#13);)")
_UNESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&#13;", "\r"), ("&amp;", "&"))
_NEWLINES = re.compile(b"\n*")
_TEXT_BASES = frozenset({"str", "date-time"})
# How the compiled reader (``_speedups.xml_records``) makes each field's value from its text.
_XML_CODES = {
    "str": 0, "date-time": 0, "int": 1, "ts": 1, "blacklist-type": 2, "signed": 3, "decimal": 4, "id": 5,
}
# The pages' kinds' columns, checked whole as ``layout.from_columns`` checks the contacts' (the
# rules of ``FieldLayout.parse``; a column that fails goes to the general path, which says why).
_NUMBER = "(?:0|[1-9][0-9]*)"
_PAGE_COLUMN_CHECKS = {
    "int": re.compile(rf"{_NUMBER}(?:\n{_NUMBER})*"),
    "ts": re.compile(rf"{_NUMBER}(?:\n{_NUMBER})*"),
    "signed": re.compile(rf"(?!-0(?:\n|$))-?{_NUMBER}(?:\n(?!-0(?:\n|$))-?{_NUMBER})*"),
    "decimal": re.compile(rf"-?{_NUMBER}(?:\.[0-9]+)?(?:\n-?{_NUMBER}(?:\.[0-9]+)?)*"),
    "id": re.compile(r"[A-Za-z0-9._-]+(?:\n[A-Za-z0-9._-]+)*"),
}
_PAGE_CONVERSIONS: dict[str, Any] = {"int": int, "ts": int, "signed": int, "decimal": Decimal, "id": str}
_MAX_PLAIN_DIGITS = 4300  # ``FieldLayout.parse`` refuses longer numbers (Python's own limit)


@dataclass(frozen=True)
class _ListPlan:
    """What the fast paths of one list kind are told, from the layout table: the record as one
    pattern, each value a group of anything but markup.  An optional field the server leaves out
    is an optional element, grouped whole too: ``values`` are the groups of the values in field
    order, ``measured`` those whose lengths, with ``tags`` (the length of the tags always there)
    a record, add up to the record's length; ``present`` the whole group of each optional field
    (empty: left out), else -1.  The rest is the compiled reader's."""

    start: re.Pattern[str]
    start_bytes: re.Pattern[bytes]
    end_tag: str
    pattern: re.Pattern[str]
    tags: int
    values: list[int]
    measured: list[int]
    present: list[int]
    item_open: bytes
    item_close: bytes
    openings: tuple[bytes, ...]
    closings: tuple[bytes, ...]
    codes: tuple[int, ...]
    optional: tuple[bool, ...]


# The plans are kept by the identity of the layout's fields (checked on use), as _ITEM_PLANS.
_RECORD_PATTERNS: dict[int, tuple[Any, _ListPlan | None]] = {}


def _list_plan(layout: RecordLayout) -> _ListPlan | None:
    """The fast paths' plan of a list kind; ``None`` for a kind they do not read: a field placed
    other than as a child element, a nested list, a type they do not know, an optional field whose
    record default is not ``None``, or a record whose fields are not in wire order."""
    return made_once_a_kind(_RECORD_PATTERNS, layout, _new_list_plan)


def _new_list_plan(layout: RecordLayout) -> _ListPlan | None:
    fields = layout.fields
    struct_fields = msgspec.structs.fields(layout.record)
    if (
        not layout.xml_item
        or not fields
        or tuple(field.name for field in struct_fields) != layout.field_names
        or any(field.xml != "element" or field.base not in _XML_CODES for field in fields)
        or any(
            field.optional and struct.default is not None
            for field, struct in zip(fields, struct_fields, strict=True)
        )
    ):
        return None
    item, root = layout.xml_item, layout.xml_root
    parts = [re.escape(f"<{item}>\n")]
    tags = len(f"<{item}>\n</{item}>\n")
    values: list[int] = []
    measured: list[int] = []
    present: list[int] = []
    group = 0
    for field in fields:
        element = re.escape(f"<{field.name}>") + "([^<]*)" + re.escape(f"</{field.name}>\n")
        if field.optional:  # left out when absent
            parts.append(f"({element})?")
            measured.append(group)
            present.append(group)
            values.append(group + 1)
            group += 2
        else:
            parts.append(element)
            tags += len(f"<{field.name}></{field.name}>\n")
            measured.append(group)
            present.append(-1)
            values.append(group)
            group += 1
    parts.append(re.escape(f"</{item}>\n"))
    start = rf"(?:{_DECLARATION}\n?)?{re.escape(f'<{root}>')}\n"  # the declaration as XML 1.0 has it
    return _ListPlan(
        start=re.compile(start),
        start_bytes=re.compile(start.encode("ascii")),
        end_tag=f"</{root}>",
        pattern=re.compile("".join(parts)),
        tags=tags,
        values=values,
        measured=measured,
        present=present,
        item_open=f"<{item}>\n".encode("ascii"),
        item_close=f"</{item}>\n".encode("ascii"),
        openings=tuple(f"<{field.name}>".encode("ascii") for field in fields),
        closings=tuple(f"</{field.name}>\n".encode("ascii") for field in fields),
        codes=tuple(_XML_CODES[field.base] for field in fields),
        optional=tuple(field.optional for field in fields),
    )


@cache
def _byte_table(codec: str) -> str | None:
    """The 256 characters of a single-byte charset, U+FFFE for a byte it does not define (the
    compiled reader declines on it, and the pure code reports it)."""
    chars = []
    for byte in range(256):
        try:
            chars.append(bytes([byte]).decode(codec))
        except UnicodeDecodeError:
            chars.append("\ufffe")
    table = "".join(chars)
    return table if len(table) == 256 else None


def _compiled_records(src: Source, layout: RecordLayout) -> list[Any] | None:
    """The records read by the compiled core from the payload's bytes, never decoding it whole;
    ``None`` when the core is off or declines (the pure code then reads the reply)."""
    core = _core.CORE
    plan = _list_plan(layout)
    if core is None or plan is None:
        return None
    table = None
    if src.raw is None:  # a str payload: its UTF-8 (Source has checked it has no lone surrogate)
        data, skipped = src.text.encode("utf-8"), 0
    else:
        data, skipped = src.raw, src.start
        codec = src._charset  # still None: UTF-8 if every value is, else the pure code decides
        if codec not in (None, "utf-8"):
            table = _byte_table(codec)
            if table is None:
                return None
    start = plan.start_bytes.match(data, skipped)
    if start is None or data.find(b"\r", skipped, start.end()) >= 0:
        return None
    end = data.rfind(plan.end_tag.encode("ascii"))
    if end < start.end() or _NEWLINES.fullmatch(data, end + len(plan.end_tag)) is None:
        return None
    found: list[Any] | None = core.xml_records(
        data, start.end(), end, plan.item_open, plan.item_close, plan.openings, plan.closings,
        plan.codes, plan.optional, layout.record, tuple(BlacklistType), Decimal, table,
    )
    return found


_PIECE = 1 << 20
"""Bytes of a reply's body the pure fast path decodes at a time (so the text of the whole reply
is never held beside its bytes and the records)."""


class _NotUtf8(Exception):
    """A piece of a reply of unknown charset is not UTF-8: the reply's whole text decides."""


def _fast_records(src: Source, layout: RecordLayout) -> list[Any] | None:
    plan = _list_plan(layout)
    if plan is None:
        return None
    if src.raw is not None:
        try:
            return _fast_pieces(src.raw, src.start, src._charset, layout, plan)
        except _NotUtf8:
            pass  # (windows-1251 then, or an error the general path reports)
    text = src.text
    start = plan.start.match(text)
    end = text.rfind(plan.end_tag)
    if start is None or end < 0 or text[end + len(plan.end_tag) :].strip("\n"):
        return None
    begin = start.end()  # the body is text[begin:end], read in place (no copy of a large reply)
    if begin == end:
        return []
    return _body_records(text, begin, end, src.body(), layout, plan)


def _fast_pieces(
    data: bytes, skipped: int, codec: str | None, layout: RecordLayout, plan: _ListPlan
) -> list[Any] | None:
    """The records of a reply's bytes, its body decoded and read a piece of about ``_PIECE`` bytes
    at a time, each cut right after a record's end tag (never inside a value: a value holds no
    ``<``).  The records tile the body exactly when they tile each piece."""
    start = plan.start_bytes.match(data, skipped)
    end = data.rfind(plan.end_tag.encode("ascii"))
    if start is None or end < start.end() or _NEWLINES.fullmatch(data, end + len(plan.end_tag)) is None:
        return None
    begin = start.end()
    if data[skipped:begin].translate(None, _NOT_CONTROL):
        return None  # (a CR in the declaration)
    out: list[Any] = []
    at = begin
    while at < end:
        cut = data.find(plan.item_close, at + _PIECE, end)
        cut = end if cut < 0 else cut + len(plan.item_close)
        piece = data[at:cut]
        try:
            text = piece.decode(codec or "utf-8")
        except UnicodeDecodeError:
            if codec is None:
                raise _NotUtf8 from None
            return None  # the general path says where
        found = _body_records(text, 0, len(text), piece, layout, plan)
        if found is None:
            return None
        out += found
        at = cut
    return out


def _body_records(
    text: str, begin: int, end: int, data: bytes, layout: RecordLayout, plan: _ListPlan
) -> list[Any] | None:
    """The records of the body ``text[begin:end]`` (not empty), whose bytes ``data`` hold (with
    whatever the body's checks may look at besides)."""
    entities = text.find("&", begin, end) >= 0
    if (
        data.translate(None, _NOT_CONTROL)
        or b"\xef\xbf\xbe" in data
        or b"\xef\xbf\xbf" in data
        or text.find("]]>", begin, end) >= 0
        or (entities and _OTHER_ENTITY.search(text, begin, end) is not None)
    ):
        return None
    # The records are found by one C-level scan; they cover the whole body (no text between or
    # around them) exactly when their lengths add up to the body's.
    found = plan.pattern.findall(text, begin, end)
    if not found:
        return None
    if plan.measured == plan.values:  # no optional element: every group is a value
        measured = sum(map(len, chain.from_iterable(found)))
    else:
        measured = sum(len(row[index]) for row in found for index in plan.measured)
    if len(found) * plan.tags + measured != end - begin:
        return None
    if layout.simple:
        if not entities and layout.all_text:
            return list(starmap(layout.record, found))
        groups = list(zip(*found, strict=True))  # (every kind has several fields: tuples)
        columns = [
            _unescaped(field, groups[index], entities)
            for field, index in zip(layout.fields, plan.values, strict=True)
        ]
        return layout.from_columns(columns)
    return _typed_records(layout, plan, found, entities)


def _unescaped(field: FieldLayout, column: Sequence[str], entities: bool) -> Sequence[str]:
    """A column of texts with the entities read (a number's column is left as it is: digits
    only, or its check declines)."""
    if not entities or field.base not in _TEXT_BASES:
        return column
    joined = "\x00".join(column)  # NUL is not XML, so it is in no value
    if "&" not in joined:
        return column
    for escape, char in _UNESCAPES:
        joined = joined.replace(escape, char)
    return joined.split("\x00")


def _typed_records(
    layout: RecordLayout, plan: _ListPlan, found: list[Any], entities: bool
) -> list[Any] | None:
    """The records of a pages' kind from its rows of groups: each column typed by the rules of
    ``FieldLayout.parse``, checked whole; ``None`` when one does not pass (a required field left
    out, a value that does not fit its field): the general path then says what is wrong."""
    groups = list(zip(*found, strict=True)) if len(found[0]) > 1 else [tuple(row for row in found)]
    typed: list[Sequence[Any]] = []
    for field, index, whole in zip(layout.fields, plan.values, plan.present, strict=True):
        column = _unescaped(field, groups[index], entities)
        base = field.base
        if base in _TEXT_BASES:
            if whole >= 0:  # an optional text: None where left out, "" where empty
                outers = groups[whole]
                typed.append([text if outer else None for outer, text in zip(outers, column, strict=True)])
            else:
                typed.append(column)
            continue
        check = _PAGE_COLUMN_CHECKS[base]
        # an optional number left out or empty is None
        numbers = [text for text in column if text] if field.optional else list(column)
        joined = "\n".join(numbers)
        if numbers and (joined.count("\n") != len(numbers) - 1 or check.fullmatch(joined) is None):
            return None  # (a line break inside a value would pass the whole-column check)
        if numbers and max(map(len, numbers)) > _MAX_PLAIN_DIGITS:
            return None
        if len(numbers) != len(column):
            if not field.optional:
                return None
            convert = _PAGE_CONVERSIONS[base]
            typed.append([convert(text) if text else None for text in column])
        else:
            typed.append(list(map(_PAGE_CONVERSIONS[base], column)))
    return list(map(layout.record, *typed))


def decode_records(src: Source, layout: RecordLayout) -> list[Any]:
    fast = _compiled_records(src, layout)
    if fast is None:
        fast = _fast_records(src, layout)
    if fast is not None:
        return fast
    if not layout.simple or layout.xml_root != "list":
        return _page_records(src, layout)  # the pages' kinds: root, attributes, own text
    return _general_records(src, layout)


def _general_records(src: Source, layout: RecordLayout) -> list[Any]:
    """Parsed by the hardened lxml parser and walked element by element; says where not."""
    doc = _Document(src)
    root = doc.root
    if root.tag != "list":
        raise doc.error(f"expected <list>, got <{root.tag}>", root, "$")
    doc.only_blank_between(root, "$")
    item_tag = layout.xml_item
    names = layout.field_names
    known = frozenset(names)
    out = []
    for row, item in enumerate(root):
        path = f"$[{row}]"
        if item.tag != item_tag:
            raise doc.error(f"expected <{item_tag}>, got <{item.tag}>", item, path)
        doc.only_blank_between(item, path)
        found: dict[str, str] = {}
        for field in item:
            name = field.tag
            if name not in known:
                raise doc.error(f"unknown field <{name}> in <{item_tag}>", field, f"{path}.{name}")
            if name in found:
                raise doc.error(f"<{name}> appears twice", field, f"{path}.{name}")
            found[name] = doc.leaf_text(field, f"{path}.{name}")
        try:
            out.append(layout.from_mapping(found))
        except FieldValueError as exc:
            name = names[exc.field]
            at = item.find(name)
            raise doc.error(exc.reason, item if at is None else at, f"{path}.{name}") from None
    return out


def _escape(text: str, path: str) -> str:
    bad = _NOT_XML.search(text)
    if bad is not None:
        raise EncodeError(
            f"character U+{ord(bad[0]):04X} cannot appear in XML 1.0, not even as a reference",
            fmt=FMT,
            path=path,
        )
    return _escape_unchecked(text)


def _escape_unchecked(text: str) -> str:
    # "\r" would come back as "\n" (XML end-of-line handling); a character reference keeps it.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _prolog(charset: str) -> str:
    return f'<?xml version="1.0" encoding="{charset}"?>\n'


def _fast_elements(records: Sequence[Any], layout: RecordLayout, charset: str) -> str | None:
    """Every record by one join (``writing.join_records``): each text column checked and escaped
    by one join and a chain of replaces, numbers written by ``writing.number_texts``.  ``None``
    for a type the table gains that this does not know, or a value the general path must judge."""
    if not records:
        return None
    count = len(records)
    slots: list[FieldSlots] = []
    texts: list[Sequence[str]] = []
    columns = value_columns(records, len(layout.fields))
    for field, column in zip(layout.fields, columns, strict=True):
        opening, closing = f"<{field.name}>", f"</{field.name}>\n"
        strings: Sequence[str] | None
        if field.type == "str":
            strings = _escaped_column(column, count)
        elif field.type == "int?":  # left out when absent, as the server does
            found = number_texts(field.type, column)
            if found is None:
                return None
            slots.append(FieldSlots("", optional=True))
            texts.append(["" if text is None else opening + text + closing for text in found])
            continue
        else:
            strings = number_texts(field.type, column)  # type: ignore[assignment]
        if strings is None:
            return None
        slots.append(FieldSlots(opening, closing))
        texts.append(strings)
    item = layout.xml_item
    around = (f"{_prolog(charset)}<list>\n", "</list>")
    return join_records(texts, slots, f"<{item}>\n", f"</{item}>\n", "", *around)


# What XML 1.0 cannot hold but NUL, which the column checks count instead.
_NOT_XML_BUT_NUL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escaped_column(column: Sequence[str], count: int) -> Sequence[str] | None:
    """The texts of a column escaped for XML; ``None`` for a value that is not a ``str`` or holds
    what XML cannot (the general path says which)."""
    try:
        joined = "".join(column)
    except TypeError:
        return None
    if joined.isprintable() and "&" not in joined and "<" not in joined and ">" not in joined:
        return column  # nothing to escape or refuse: XML's excluded characters are unprintable
    joined = "\x00".join(column)  # NUL cannot be in XML text: where it is, values end
    if joined.count("\x00") != count - 1 or _NOT_XML_BUT_NUL.search(joined) is not None:
        return None
    if "&" in joined or "<" in joined or ">" in joined or "\r" in joined:
        return _escape_unchecked(joined).split("\x00")
    return column


def encode_records(records: Sequence[Any], layout: RecordLayout, charset: str, *, strict: bool = True) -> str:
    """The list in fmt 2; ``strict`` changes nothing: every value is escaped."""
    if not layout.simple or layout.xml_root != "list":
        return _page_list(records, layout, charset)  # the pages' kinds: root, attributes, own text
    fast = _fast_elements(records, layout, charset)
    if fast is not None:
        return fast
    names = layout.field_names
    item = layout.xml_item
    parts = [_prolog(charset), "<list>\n"]
    for row, record in enumerate(records):
        parts.append(f"<{item}>\n")
        for name, value in zip(names, layout.wire_texts(record, row, FMT), strict=True):
            if value == "" and getattr(record, name) is None:
                continue  # an absent optional number is left out, as the server does
            parts.append(f"<{name}>{_escape(value, f'$[{row}].{name}')}</{name}>\n")
        parts.append(f"</{item}>\n")
    parts.append("</list>")
    return "".join(parts)


def encode_created(value: Created, charset: str) -> str:
    if value.element is None:
        raise EncodeError(
            "fmt 2 wraps the id in <phone> (contact, blacklist entry), <group> or <mail>:"
            " set Created.element",
            fmt=FMT,
            path="$.element",
        )
    new_id = reply_integer("id", value.id, FMT)
    return f"{_prolog(charset)}<{value.element}>\n<id>{new_id}</id>\n</{value.element}>"


def encode_ok(charset: str) -> str:
    return f"{_prolog(charset)}<result>OK</result>"


def encode_error(value: Error, charset: str) -> str:
    return (
        f"{_prolog(charset)}<result>\n<error>{_escape(value.error, '$.error')}</error>\n"
        f"<error_code>{reply_integer('error_code', value.error_code, FMT)}</error_code>\n"
        + ("" if value.id is None else f"<id>{_escape(value.id, '$.id')}</id>\n")
        + "</result>"
    )


# ---------------------------------------------------------------------------------------------
# The pages' kinds (send, cost, status, balance, senders, jobs, history, operator, templates):
# read and written generically from the layout table, by the hardened parser (a list in the
# canonical layout of child elements is read by the fast paths above first).
#
# A record kind is one root element (``layout.xml_root``: <result>, <sms>) holding one child
# element a present field, or, for a kind with ``xml_bare``, a root named after that field whose
# text is its value (<balance>15.00</balance>).  A list kind is ``layout.xml_root`` holding one
# ``layout.xml_item`` a record.  A field placed ``attribute`` is an attribute of its record's
# element, one placed ``text`` that element's own text (<sender id="5">zxcabs</sender>).  The
# nested per-number list has no place in fmt 2: decode refuses an element of that name and
# encode refuses a record that has one (spec/formats.md, fmt 2, "The pages' kinds").

_ATTRIBUTE_ESCAPES = (('"', "&quot;"), ("\t", "&#9;"), ("\n", "&#10;"))


def decode_record(src: Source, layout: RecordLayout) -> Any:
    """One record of a single-record kind (``layout.shape == "record"``) in fmt 2."""
    doc = _Document(src)
    root = doc.root
    bare = layout.xml_bare
    if bare is not None and root.tag == bare and bare != layout.xml_root:
        return _bare_record(doc, root, layout, bare)
    if root.tag != layout.xml_root:
        expected = f"<{layout.xml_root}>" + (f" or <{bare}>" if bare is not None else "")
        raise doc.error(f"expected {expected}, got <{root.tag}>", root, "$")
    return _page_item(doc, root, layout, "$")


def _bare_record(doc: _Document, root: Any, layout: RecordLayout, name: str) -> Any:
    """The record of a bare root (<balance>15.00</balance>): its text is the one field."""
    path = f"$.{name}"
    text = doc.leaf_text(root, path)
    try:
        return layout.from_mapping({name: text})
    except FieldValueError as exc:
        raise doc.error(exc.reason, root, f"$.{layout.fields[exc.field].name}") from None


def _page_records(src: Source, layout: RecordLayout) -> list[Any]:
    """A list of a pages' kind: ``xml_root`` holding one ``xml_item`` a record."""
    doc = _Document(src)
    root = doc.root
    if root.tag != layout.xml_root:
        raise doc.error(f"expected <{layout.xml_root}>, got <{root.tag}>", root, "$")
    doc.only_blank_between(root, "$")
    item_tag = layout.xml_item
    out = []
    for row, item in enumerate(root):
        if item.tag != item_tag:
            raise doc.error(f"expected <{item_tag}>, got <{item.tag}>", item, f"$[{row}]")
        out.append(_page_item(doc, item, layout, f"$[{row}]"))
    return out


@dataclass(frozen=True)
class _ItemPlan:
    """Where each field of a kind sits in its element, looked up once a kind."""

    attributes: dict[str, FieldLayout]
    own_text: FieldLayout | None
    elements: dict[str, FieldLayout]
    nested: frozenset[str]
    plain: frozenset[str]
    """Fields whose wire text is their value (``str``, ``date-time``)."""


# The plans are kept by the identity of the layout's fields (checked on use): a layout built
# elsewhere under a kind's name never meets another's plan.
_ITEM_PLANS: dict[int, tuple[Any, _ItemPlan]] = {}


def _item_plan(layout: RecordLayout) -> _ItemPlan:
    return made_once_a_kind(_ITEM_PLANS, layout, _new_item_plan)


def _new_item_plan(layout: RecordLayout) -> _ItemPlan:
    fields = layout.fields
    return _ItemPlan(
        attributes={field.name: field for field in fields if field.xml == "attribute"},
        own_text=next((field for field in fields if field.xml == "text"), None),
        elements={
            field.name: field for field in fields if field.xml == "element" and field.base != "list"
        },
        nested=frozenset(field.name for field in fields if field.base == "list"),
        plain=frozenset(field.name for field in fields if field.base in ("str", "date-time")),
    )


def _page_item(doc: _Document, element: Any, layout: RecordLayout, path: str) -> Any:
    """One record from its element: attributes, own text and child elements as the layout
    places each field; anything else (an unknown or repeated name, stray text) is refused."""
    plan = _item_plan(layout)
    tag = element.tag
    found: dict[str, str] = {}
    for name, value in element.attrib.items():
        if name not in plan.attributes:
            reason = f"unexpected attribute {name!r} on <{tag}>"
            raise doc.src.error(reason, _attribute_at(doc, element, name), f"{path}.{name}")
        found[name] = value
    if plan.own_text is not None:
        found[plan.own_text.name] = element.text or ""
    elif element.text and element.text.strip(_XML_SPACE):
        raise doc.error(f"unexpected text in <{tag}>", element, path)
    elements = plan.elements
    for child in element:
        name = child.tag
        tail = child.tail
        if tail and tail.strip(_XML_SPACE):
            raise doc.error(f"unexpected text after <{name}>", child, path)
        if name not in elements:
            if name in plan.nested:
                raise doc.error(
                    f"<{name}> has no place in fmt 2: the per-number list is carried by fmt 3 only",
                    child,
                    f"{path}.{name}",
                )
            raise doc.error(f"unknown field <{name}> in <{tag}>", child, f"{path}.{name}")
        if name in found:
            raise doc.error(f"<{name}> appears twice", child, f"{path}.{name}")
        if len(child) or child.attrib:
            found[name] = doc.leaf_text(child, f"{path}.{name}")  # raises, saying which
        found[name] = child.text or ""
    values: dict[str, Any] = {}
    plain = plan.plain
    for name, text in found.items():
        if name in plain:
            values[name] = text
            continue
        field = elements.get(name) or plan.attributes.get(name) or plan.own_text
        assert field is not None
        try:
            values[name] = field.parse(text)
        except ValueError as exc:
            where = f"{path}.{name}"
            if field.xml == "attribute":
                raise doc.src.error(str(exc), _attribute_at(doc, element, name), where) from None
            at = element if field.xml == "text" else element.find(name)
            raise doc.error(str(exc), at, where) from None
    missing = layout.required.difference(values)
    if missing:
        name = min(missing, key=layout.field_index.__getitem__)
        raise doc.error(f"required field `{name}` is missing", element, f"{path}.{name}")
    return layout.record(**values)


def _attribute_at(doc: _Document, element: Any, name: str) -> int:
    """Character index of attribute ``name`` in ``element``'s start tag (to report an error)."""
    start = doc.where(element)
    end = doc.src.text.find(">", start)
    found = re.compile(rf"[ \t\r\n]{re.escape(name)}[ \t\r\n]*=").search(doc.src.text, start, end)
    return start if found is None else found.start() + 1


_SHORT = 10**18  # an integer written without the digit-count check of ``format_integer``
_COUNTS = frozenset({"int", "ts"})


def _page_texts(value: Any, layout: RecordLayout, path: str) -> list[str | None]:
    """The wire texts of a record of a pages' kind, ``None`` for an absent optional field; a
    field fmt 2 has no place for (the nested per-number list) or a value that does not fit its
    field is an ``EncodeError``."""
    texts: list[str | None] = []
    values = msgspec.structs.astuple(value)
    for (field, base, optional), item in zip(layout.typed_fields, values, strict=True):
        kind = type(item)
        short = kind is int and -_SHORT < item < _SHORT
        if kind is str and (base == "str" or base == "date-time"):  # as ``format`` checks them
            texts.append(item)
        elif short and (base == "signed" or (base in _COUNTS and item >= 0)):
            texts.append(str(item))
        elif item is None and optional:
            texts.append(None)
        elif base == "list":
            raise EncodeError(
                f"the per-number list `{field.name}` is carried by fmt 3 only; leave it None or"
                " encode with fmt=3",
                fmt=FMT,
                path=f"{path}.{field.name}",
            )
        else:
            try:
                texts.append(field.format(item))
            except ValueError as exc:
                raise EncodeError(str(exc), fmt=FMT, path=f"{path}.{field.name}") from None
    return texts


def _escape_attribute(text: str, path: str) -> str:
    # XML normalizes tab and line ends in attribute values to spaces: references keep them
    escaped = _escape(text, path)
    for char, reference in _ATTRIBUTE_ESCAPES:
        escaped = escaped.replace(char, reference)
    return escaped


def _page_element(tag: str, layout: RecordLayout, texts: Sequence[str | None], path: str) -> str:
    """The element of one record: the house layout, one child element a line."""
    attributes = []
    own_text = None
    children = []
    for field, text in zip(layout.fields, texts, strict=True):
        name = field.name
        if field.xml == "text":
            if text is None:
                raise EncodeError(
                    f"`{name}` is the text of <{tag}>, which cannot tell None from ''",
                    fmt=FMT,
                    path=f"{path}.{name}",
                )
            own_text = _escape(text, f"{path}.{name}")
        elif text is None:
            continue  # an absent optional field is left out
        elif field.xml == "attribute":
            attributes.append(f' {name}="{_escape_attribute(text, f"{path}.{name}")}"')
        elif field.base != "list":
            children.append(f"<{name}>{_escape(text, f'{path}.{name}')}</{name}>\n")
    opening = f"<{tag}{''.join(attributes)}>"
    if own_text is not None:  # the element's text: nothing may be added to it
        return f"{opening}{own_text}{''.join(children)}</{tag}>"
    if not children:
        return f"{opening}</{tag}>"
    return f"{opening}\n{''.join(children)}</{tag}>"


def encode_record(value: Any, layout: RecordLayout, charset: str, *, strict: bool = True) -> str:
    """The fmt 2 reply of one record of a single-record kind, in the house layout (the XML
    declaration, then one element a line); ``strict`` changes nothing: every value is escaped."""
    texts = _page_texts(value, layout, "$")
    bare = layout.xml_bare
    if bare is not None:
        present = [field.name for field, text in zip(layout.fields, texts, strict=True) if text is not None]
        text = texts[layout.field_index[bare]]
        if present == [bare] and text is not None:
            return f"{_prolog(charset)}<{bare}>{_escape(text, f'$.{bare}')}</{bare}>"
    return _prolog(charset) + _page_element(layout.xml_root, layout, texts, "$")


def _page_list(records: Sequence[Any], layout: RecordLayout, charset: str) -> str:
    """A list of a pages' kind: ``xml_root`` holding one ``xml_item`` a record, a line each
    (an item with child elements spans several)."""
    parts = [_prolog(charset), f"<{layout.xml_root}>\n"]
    for row, record in enumerate(records):
        path = f"$[{row}]"
        parts.append(_page_element(layout.xml_item, layout, _page_texts(record, layout, path), path))
        parts.append("\n")
    parts.append(f"</{layout.xml_root}>")
    return "".join(parts)
