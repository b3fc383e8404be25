"""fmt 2's fast readers (issue 18) against the general paths.

Two readers take a list reply in the server's layout (the root's start tag, then one
``<item>`` a record holding its fields as child elements, one a line, in table order):

* the compiled core (``_speedups.xml_records`` through ``xml._compiled_records``), which reads
  the payload's bytes and never decodes the reply whole,
* the pure fast path (``xml._fast_records``): one pattern a record, columns typed whole.

Both are driven by the layout table (every list kind whose fields are all child elements: the
contacts' kinds, history, statuses, templates) and decline anything else.  Whatever they accept
must give what the general path gives (lxml, ``_general_records`` / ``_page_records``), and an
error must be the same error (message, offset, line:column, path) on every path.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import msgspec
import pytest
from budget import capped
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import _core, text, xml
from fmtcodec import strategies as fs
from fmtcodec.api import server_error
from fmtcodec.charset import Source
from fmtcodec.errors import EncodeError, FmtcodecError
from fmtcodec.layout import LAYOUTS, RecordLayout
from fmtcodec.records import BlacklistType, Contact, Group, HistoryMessage, Status

needs_core = pytest.mark.skipif(not fmtcodec.COMPILED, reason="the compiled core is not built here")

LIST_LAYOUTS = [layout for layout in LAYOUTS.values() if layout.shape == "list"]
PLANNED = [layout for layout in LIST_LAYOUTS if xml._list_plan(layout) is not None]
CHARSETS = ("utf-8", "cp1251", "koi8-r", None)  # None: sniffed (UTF-8 if valid, else windows-1251)

# What pushes a reply off the fast readers' track, as text (written in the reply's charset) ...
TEXT_FRAGMENTS = [
    "<", ">", "]]>", "&", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#13;", "&#1055;", "&#x41;",
    "&xxe;", "&amp", "<![CDATA[x]]>", "<!-- c -->", "<?pi x?>", "<!DOCTYPE list>", ' a="1"', "<x>1</x>\n",
    "<id>1</id>\n", "<name></name>\n", "</list>", "<list>\n", "\r", "\r\n", "\n", " ", "\t", "\x00", "\x07",
    "0", "05", "-", "-0", "-1", ".", "1.5", "99999999999999999999", "3", "Ж", "€", "\U0001f600", "\ufffe",
    '<?xml version="1.0"?>', "\ufeff",
]
# ... and as bytes, whatever the charset: not UTF-8, undefined in windows-1251, U+FFFE, a BOM
BYTE_FRAGMENTS = [b"\xff", b"\x98", b"\xd0", b"\xc8\xe2", b"\xef\xbf\xbe", b"\xef\xbf\xbf", b"\xef\xbb\xbf", b"\x80"]


def _outcome(run: Any) -> tuple[Any, ...]:
    try:
        return ("records", run())
    except FmtcodecError as exc:
        where = tuple(getattr(exc, name, None) for name in ("pos", "line", "column", "path"))
        return ("error", type(exc).__name__, str(exc), *where)


def _general(payload: bytes, layout: RecordLayout, charset: str | None) -> Any:
    """``fmtcodec.decode`` with both fast readers taken out."""
    if charset is None:
        charset = xml.declared_charset(payload)
    src = Source.from_payload(payload, charset, 2)
    error = text.plain_error(src) or xml.decode_error(src)
    if error is not None:
        raise server_error(error, 2, layout.page)
    if layout.simple and layout.xml_root == "list":
        return xml._general_records(src, layout)
    return xml._page_records(src, layout)


def _three_ways(payload: bytes, layout: RecordLayout, charset: str | None) -> tuple[Any, Any, Any]:
    """(as users call it, the compiled core switched off, the general path alone)."""

    def users() -> Any:
        return fmtcodec.decode(payload, list[layout.record], fmt=2, charset=charset)  # type: ignore[name-defined]

    used = _outcome(users)
    with _core.pure():
        pure = _outcome(users)
    return used, pure, _outcome(lambda: _general(payload, layout, charset))


def _encoded(records: list[Any], charset: str | None) -> tuple[bytes, str | None]:
    try:
        return fmtcodec.encode(records, fmt=2, charset=charset or "utf-8"), charset
    except EncodeError:  # a character the charset cannot hold: the reply is UTF-8 then
        return fmtcodec.encode(records, fmt=2, charset="utf-8"), "utf-8"


@st.composite
def _replies(draw: st.DrawFn, layout: RecordLayout) -> tuple[bytes, str | None]:
    records = draw(fs.records(layout.record, max_size=5), label="records")
    try:
        payload, charset = _encoded(records, draw(st.sampled_from(CHARSETS), label="charset"))
    except EncodeError:
        payload, charset = b"", "utf-8"  # a value fmt 2 cannot carry: edits build a reply anyway
    edits = draw(
        st.lists(
            st.tuples(
                st.integers(0, 10**6),
                st.sampled_from(["insert", "delete"]),
                st.one_of(st.sampled_from(TEXT_FRAGMENTS), st.sampled_from(BYTE_FRAGMENTS)),
            ),
            max_size=3,
        ),
        label="edits",
    )
    for at, how, fragment in edits:
        if isinstance(fragment, str):
            fragment = fragment.encode(charset or "utf-8", "replace")
        at %= len(payload) + 1
        payload = payload[:at] + fragment + payload[at:] if how == "insert" else payload[:at] + payload[at + len(fragment) :]
    return payload, charset


@pytest.mark.parametrize("layout", LIST_LAYOUTS, ids=lambda layout: layout.kind)
@settings(deadline=None, max_examples=capped(), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fast_readers_give_what_the_general_path_gives(layout, data):
    payload, charset = data.draw(_replies(layout), label="reply")
    note(f"payload={payload!r} charset={charset!r}")
    used, pure, general = _three_ways(payload, layout, charset)
    event(f"{used[0]}")
    assert pure == general, "pure fast path vs general path"
    assert used == pure, "compiled core vs pure path"


@pytest.mark.parametrize("layout", PLANNED, ids=lambda layout: layout.kind)
@pytest.mark.parametrize("charset", CHARSETS)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_whole_lists_are_read_by_both_fast_readers(layout, charset, data):
    value = data.draw(fs.records(layout.record, min_size=8, max_size=30), label="records")
    try:
        payload, used_charset = _encoded(value, charset)
    except EncodeError:
        return
    src = Source.from_payload(payload, used_charset, 2)
    if fmtcodec.COMPILED:
        assert xml._compiled_records(src, layout) == value
    assert xml._fast_records(Source.from_payload(payload, used_charset, 2), layout) == value
    assert _three_ways(payload, layout, used_charset) == (("records", value),) * 3


# ---------------------------------------------------------------------------------------------
# Replies read by hand: what the fast readers take, and what they leave to lxml.

PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n'
GROUPS = "<list>\n<group>\n<id>5</id>\n<name>{name}</name>\n<cnt>{cnt}</cnt>\n</group>\n</list>"


def _groups(name: str = "a", cnt: str = "7", prolog: str = PROLOG) -> str:
    return prolog + GROUPS.format(name=name, cnt=cnt)


def _fast_both(payload: bytes, layout: RecordLayout, charset: str | None = None) -> tuple[Any, Any]:
    """(compiled reader, pure fast reader) of a payload, each on a fresh source."""
    compiled = xml._compiled_records(Source.from_payload(payload, charset, 2), layout) if fmtcodec.COMPILED else "no core"
    return compiled, xml._fast_records(Source.from_payload(payload, charset, 2), layout)


@pytest.mark.parametrize(
    ("payload", "charset", "expected"),
    [
        (_groups("A &amp; B &lt;c&gt; &quot;q&quot; &apos;s&apos;").encode(), None, [Group(5, "A & B <c> \"q\" 's'", cnt=7)]),
        (_groups("a&#13;\nb\tc").encode(), "utf-8", [Group(5, "a\r\nb\tc", cnt=7)]),
        (_groups("Группа ].]>").encode(), None, [Group(5, "Группа ].]>", cnt=7)]),
        (_groups("Группа", prolog="<?xml version='1.0' encoding='windows-1251'?>\n").encode("cp1251"), "cp1251", [Group(5, "Группа", cnt=7)]),
        (_groups("Группа", prolog="").encode("koi8-r"), "koi8-r", [Group(5, "Группа", cnt=7)]),
        (b"\xef\xbb\xbf" + _groups("\U0001f600").encode() + b"\n\n", None, [Group(5, "\U0001f600", cnt=7)]),
        (_groups(cnt="").encode(), None, [Group(5, "a")]),  # an empty optional number: absent
        (_groups(cnt="0").encode(), None, [Group(5, "a", cnt=0)]),
        (_groups(cnt="9" * 4300).encode(), None, [Group(5, "a", cnt=int("9" * 4300))]),
        (_groups(cnt="9223372036854775808").encode(), None, [Group(5, "a", cnt=2**63)]),
        (b"<list>\n</list>", None, []),
        (b"<list>\n<group>\n<id>5</id>\n<name></name>\n</group>\n</list>", None, [Group(5, "")]),
    ],
)
def test_the_fast_readers_take_the_servers_layout(payload, charset, expected):
    assert _fast_both(payload, LAYOUTS["group"], charset) == ((expected if fmtcodec.COMPILED else "no core"), expected)
    assert fmtcodec.decode(payload, list[Group], fmt=2, charset=charset) == expected


@pytest.mark.parametrize(
    ("payload", "charset"),
    [
        (_groups("&#1055;").encode(), None),  # a character reference other than &#13;: lxml's
        (_groups("&xxe;").encode(), None),  # an entity never declared
        (_groups("a&amp").encode(), None),
        (_groups("<![CDATA[x]]>").encode(), None),
        (_groups("a]]>").encode(), None),
        (_groups("<!-- c -->").encode(), None),
        (_groups("a\rb").encode(), None),  # CR: XML reads it as LF
        (_groups("a\x07").encode(), None),
        (_groups("a\ufffe").encode(), None),
        (_groups(cnt="07").encode(), None),  # a leading zero
        (_groups(cnt="-1").encode(), None),
        (_groups(cnt="1" * 4301).encode(), None),  # more digits than Python reads
        (_groups(cnt="&#48;").encode(), None),
        (_groups("\xff").encode("latin-1"), "utf-8"),  # not UTF-8
        (_groups("\x98").encode("latin-1"), "cp1251"),  # undefined in windows-1251
        (b"\xef\xbb\xbf" + _groups("a").encode(), "cp1251"),  # the mark is text there
        (_groups(prolog='<!DOCTYPE list [<!ENTITY e "x">]>\n').encode(), None),
        (_groups(prolog='<?xml version="1.0"?>\r\n').encode(), None),
        (_groups(prolog=" ").encode(), None),
        (_groups().replace("<group>", '<group a="1">').encode(), None),
        (_groups().replace("</cnt>\n</group>", "</cnt>\n<number>1</number>\n</group>").encode(), None),  # out of order
        (_groups().replace("<cnt>7</cnt>\n", "<cnt>7</cnt>\n<x>1</x>\n").encode(), None),
        (_groups().replace("<name>a</name>\n", "").encode(), None),  # a required field left out
        (_groups().replace("</group>\n", "</group>\n\n").encode(), None),
        (_groups().replace("<id>", "  <id>").encode(), None),
        (_groups() .replace("</list>", "</list>x").encode(), None),
        (_groups().replace("</list>", "").encode(), None),
        (_groups().replace("<list>", "<lists>").encode(), None),
        (b"<list>\n<group>\n<id>5</id>\n<name>a", None),  # cut short
    ],
)
def test_the_fast_readers_leave_anything_else_to_lxml(payload, charset):
    layout = LAYOUTS["group"]
    if fmtcodec.COMPILED:
        assert xml._compiled_records(Source.from_payload(payload, charset, 2), layout) is None
    used, pure, general = _three_ways(payload, layout, charset)
    assert used == pure == general


HISTORY = HistoryMessage(
    status=-1, last_date="28.06.2021 12:00:05", send_date="28.06.2021 12:00:00", phone="79990000001",
    mccmnc="25001", country="Россия", operator="МТС & Co", region="", cost=Decimal("0.50"), sender_id="SMSC",
    status_name="Доставлено", message="Код <1>", type=0, id="a.b-1_2", int_id=7, sms_cnt=1, format=0, crc=-3,
    err=None, last_timestamp=1624870805,
)


@pytest.mark.parametrize("charset", CHARSETS)
def test_a_pages_kind_is_read_by_its_table(charset):
    statuses = [Status(status=1, id="5", phone="7999"), Status(status=-3, err=0, phone="", flag=None, message="")]
    for layout, value in ((LAYOUTS["history"], [HISTORY, HISTORY]), (LAYOUTS["statuses"], statuses)):
        payload, used = _encoded(value, charset)
        compiled, pure = _fast_both(payload, layout, used)
        assert pure == value
        assert compiled in (value, "no core")
        assert type(pure[0].cost if layout.kind == "history" else pure[0].status) is (  # type: ignore[index]
            Decimal if layout.kind == "history" else int
        )
    # an optional text left out is None, present but empty ""
    assert pure[1].phone == ""
    assert pure[1].message == ""
    assert pure[0].message is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("<cost>0.50</cost>", "<cost>.5</cost>"),
        ("<cost>0.50</cost>", "<cost>00.5</cost>"),
        ("<cost>0.50</cost>", "<cost>1.</cost>"),
        ("<crc>-3</crc>", "<crc>-0</crc>"),
        ("<crc>-3</crc>", "<crc>--3</crc>"),
        ("<id>a.b-1_2</id>", "<id>a b</id>"),
        ("<id>a.b-1_2</id>", "<id></id>"),
        ("<status>-1</status>", "<status></status>"),
        ("<last_timestamp>1624870805</last_timestamp>", "<last_timestamp>-1</last_timestamp>"),
        ("<sms_cnt>1</sms_cnt>\n", ""),
    ],
)
def test_a_pages_value_that_does_not_fit_is_the_general_paths_to_report(old, new):
    layout = LAYOUTS["history"]
    payload = fmtcodec.encode([HISTORY], fmt=2)
    assert old.encode() in payload
    payload = payload.replace(old.encode(), new.encode())
    assert _fast_both(payload, layout) == (None if fmtcodec.COMPILED else "no core", None)
    used, pure, general = _three_ways(payload, layout, None)
    assert used == pure == general
    assert used[0] == "error" or new == ""  # (a field the table requires may have a default)


def test_negative_zero_amounts_keep_their_sign_on_every_path():
    layout = LAYOUTS["history"]
    payload = fmtcodec.encode([HISTORY], fmt=2).replace(b"<cost>0.50</cost>", b"<cost>-0.0</cost>")
    used, pure, general = _three_ways(payload, layout, None)
    assert used == pure == general
    assert str(used[1][0].cost) == "-0.0"


# ---------------------------------------------------------------------------------------------
# The compiled reader: never the whole text, bounds checked for any argument.


@needs_core
def test_the_compiled_reader_never_decodes_the_reply_whole():
    contacts = [Contact(phone="79110000001", name="Анна & Co", group="5", id=str(row)) for row in range(50)]
    for charset in ("utf-8", "cp1251"):
        payload = fmtcodec.encode(contacts, fmt=2, charset=charset)
        with mock.patch.object(Source, "_decode", side_effect=AssertionError("the reply was decoded whole")):
            assert fmtcodec.decode(payload, list[Contact], fmt=2) == contacts
            assert fmtcodec.decode(payload, list[Contact]) == contacts  # (fmt detected)


@needs_core
def test_the_compiled_reader_holds_one_value_at_a_time():
    """What it allocates besides the records: the scratch for unescaping, as large as the largest
    value holding an entity -- never the reply's size (counted by the bytes it asks for)."""
    value = "x&amp;" * 1000
    payload = _groups(value).encode() .replace(b"</list>", b"") + b"".join(
        [b"<group>\n<id>%d</id>\n<name>a&amp;b</name>\n<cnt>1</cnt>\n</group>\n" % row for row in range(2000)]
    ) + b"</list>"
    src = Source.from_payload(payload, None, 2)
    before = sys.getallocatedblocks()
    records = xml._compiled_records(src, LAYOUTS["group"])
    assert records is not None
    assert len(records) == 2001
    assert records[0].name == "x&" * 1000
    # the records and their names are the only blocks that outlive the call
    assert sys.getallocatedblocks() - before <= 3 * len(records) + 10


@needs_core
def test_the_compiled_reader_checks_its_arguments():
    from fmtcodec import _speedups  # type: ignore[attr-defined]

    data = _groups().encode()
    begin = data.index(b"<group>")
    end = data.rindex(b"</list>")
    good = {
        "data": data, "begin": begin, "end": end, "item_open": b"<group>\n", "item_close": b"</group>\n",
        "openings": (b"<id>", b"<name>", b"<number>", b"<cnt>"),
        "closings": (b"</id>\n", b"</name>\n", b"</number>\n", b"</cnt>\n"),
        "codes": (1, 0, 1, 1), "optional": (False, False, True, True), "record": Group,
        "members": tuple(BlacklistType), "decimal": Decimal, "table": None,
    }
    assert _speedups.xml_records(**good) == [Group(5, "a", cnt=7)]
    for bad in (
        {"begin": -1}, {"end": len(data) + 1}, {"begin": end + 1}, {"end": 2**62},
        {"openings": (b"<id>", b"<name>", b"<number>")}, {"optional": (False,)}, {"codes": (1, 0, 1, 9)},
        {"codes": (1, 0, 1, -1)}, {"openings": (b"<id>", "<name>", b"<number>", b"<cnt>")},
        {"closings": (b"</id>\n", b"", b"</number>\n", b"</cnt>\n")}, {"closings": (b"x", b"y", b"z", b"w")},
        {"item_open": b""}, {"table": "x" * 255}, {"table": b"x" * 256}, {"table": "x" * 256},
        {"codes": (1,) * 65, "openings": (b"<a>",) * 65, "closings": (b"</a>\n",) * 65, "optional": (True,) * 65},
        {"codes": (), "openings": (), "closings": (), "optional": ()},
        {"end": end - 3},  # the body cut inside a record
    ):
        assert _speedups.xml_records(**{**good, **bad}) is None, bad
    for wrong in (
        {"data": data.decode()}, {"openings": list(good["openings"])}, {"codes": (1, 0, 1, "1")},
        {"data": None}, {"item_open": None}, {"item_close": None}, {"openings": None}, {"closings": None},
        {"codes": None}, {"optional": None}, {"members": None}, {"begin": None},
    ):
        with pytest.raises(TypeError):
            _speedups.xml_records(**{**good, **wrong})
    # the record type is any callable; what it does cannot change the bytes being read
    seen = []
    assert _speedups.xml_records(**{**good, "record": lambda *values: seen.append(values) or len(seen)}) == [1]
    assert seen == [(5, "a", None, 7)]


# ---------------------------------------------------------------------------------------------
# The pure fast path reads a reply's bytes a piece at a time: never its whole text either.


@pytest.mark.parametrize("piece", [1, 40, 97, 1 << 20])
@pytest.mark.parametrize("charset", CHARSETS)
def test_the_pure_reader_reads_any_cut_into_pieces_as_the_whole(piece, charset, monkeypatch):
    groups = [Group(row, f"Группа & {row}" if row % 3 else "", number=row if row % 2 else None) for row in range(40)]
    payload, used = _encoded(groups, charset)
    monkeypatch.setattr(xml, "_PIECE", piece)
    assert xml._fast_records(Source.from_payload(payload, used, 2), LAYOUTS["group"]) == groups
    # a piece that does not read declines the whole reply, wherever it is
    broken = payload.replace(b"<id>39</id>", b"<id>039</id>")
    assert xml._fast_records(Source.from_payload(broken, used, 2), LAYOUTS["group"]) is None


def test_a_reply_of_unknown_charset_that_is_not_utf8_is_read_whole():
    groups = [Group(row, "Группа") for row in range(30)]
    payload = fmtcodec.encode(groups, fmt=2, charset="cp1251").split(b"\n", 1)[1]  # no declaration
    src = Source.from_payload(payload, None, 2)
    with _core.pure():
        assert xml._fast_records(src, LAYOUTS["group"]) == groups
    assert src.charset == "cp1251"


def test_the_pure_reader_never_decodes_a_bytes_reply_whole():
    contacts = [Contact(phone="79110000001", name="Анна & Co", group="5", id=str(row)) for row in range(50)]
    for charset in ("utf-8", "cp1251"):
        payload = fmtcodec.encode(contacts, fmt=2, charset=charset)
        with _core.pure(), mock.patch.object(Source, "_decode", side_effect=AssertionError("decoded whole")):
            assert fmtcodec.decode(payload, list[Contact], fmt=2) == contacts


# Every fmt 2 vector of a list kind (spec/vectors), whatever it shows: the same on every path.
_VECTORS = Path(__file__).resolve().parent.parent / "spec" / "vectors"
_LIST_VECTORS = [
    (path, layout)
    for path in sorted(_VECTORS.glob("*fmt2.xml"))
    for layout in LIST_LAYOUTS
    if json.loads(path.with_suffix(".expect.json").read_text("utf-8"))["type"] in layout.names
]


def test_the_vectors_reach_the_fast_readers():
    assert {layout.kind for _, layout in _LIST_VECTORS} >= {"contact", "group", "blacklist", "history", "statuses"}


@pytest.mark.parametrize(("path", "layout"), _LIST_VECTORS, ids=lambda item: getattr(item, "name", ""))
def test_every_list_vector_reads_the_same_on_every_path(path, layout):
    expect = json.loads(path.with_suffix(".expect.json").read_text("utf-8"))
    payload = path.read_bytes()
    charset = expect.get("charset")
    used, pure, general = _three_ways(payload, layout, charset)
    assert used == pure == general


def test_numbers_longer_than_a_machine_word_are_read_on_every_path():
    value = [msgspec.structs.replace(HISTORY, crc=-(10**25), int_id=10**30, cost=Decimal("-12345678901234567890.5"))]
    payload = fmtcodec.encode(value, fmt=2)
    assert _fast_both(payload, LAYOUTS["history"]) == (value if fmtcodec.COMPILED else "no core", value)
    assert _three_ways(payload, LAYOUTS["history"], None) == (("records", value),) * 3
