"""The optional compiled core: how it is switched, what it declines, and that nothing it does shows.

Whether the core is active is ``fmtcodec.COMPILED``; ``FMTCODEC_PURE=1`` turns it off.  CI sets
``FMTCODEC_EXPECT_COMPILED=1`` on the run that built it, so a build that silently fell back to
pure Python fails there instead of passing untested.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import subprocess
import sys

import pytest

import fmtcodec
from fmtcodec import BlacklistEntry, BlacklistType, Contact, DecodeError, Group, MailContact, _core
from fmtcodec.charset import Source
from fmtcodec.layout import LAYOUTS

needs_core = pytest.mark.skipif(not fmtcodec.COMPILED, reason="the compiled core is not built here")


def _compiled_flag(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "import fmtcodec; print(fmtcodec.COMPILED)"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_compiled_says_whether_the_core_is_in_use():
    assert fmtcodec.COMPILED is (_core.CORE is not None)
    assert "COMPILED" in fmtcodec.__all__


def test_expected_core_is_there():
    if os.environ.get("FMTCODEC_EXPECT_COMPILED") == "1":
        assert fmtcodec.COMPILED, "the compiled core was expected (FMTCODEC_EXPECT_COMPILED=1) but is not active"


def test_fmtcodec_pure_turns_the_core_off():
    built = importlib.util.find_spec("fmtcodec._speedups") is not None
    assert _compiled_flag({"FMTCODEC_PURE": "1"}) == "False"
    assert _compiled_flag({"FMTCODEC_PURE": "0"}) == str(built)
    assert _compiled_flag({"FMTCODEC_PURE": ""}) == str(built)


def test_pure_switches_the_core_off_for_its_duration():
    kept = _core.CORE
    with _core.pure():
        assert _core.CORE is None
    assert _core.CORE is kept


# What the core declines (returns None for): the pure path then reads the reply or says what is
# wrong.  Called through the fmt modules' own glue, which passes the layout table's facts.
_CONTACT = "79110000001,Анна,5922,Анна,Петрова,,01.02.1990,17,,vip,"
_FMT0 = (
    "phone = 79110000001, name = Анна, group = 5922, first_name = Анна, last_name = Петрова,"
    " middle_name = , birthday = 01.02.1990, id = 17, comments = , tags = vip, phone_other = "
)


def _fmt1(text: str, kind: str = "contact") -> list[object] | None:
    return fmtcodec.values._compiled_records(Source(raw=None, text=text, charset="utf-8", fmt=1), LAYOUTS[kind])


def _fmt0(text: str, kind: str = "contact") -> list[object] | None:
    return fmtcodec.text._compiled_records(Source(raw=None, text=text, charset="utf-8", fmt=0), LAYOUTS[kind])


@needs_core
def test_core_reads_plain_rows_of_every_kind():
    contact = Contact("79110000001", "Анна", "5922", "Анна", "Петрова", "", "01.02.1990", "17", "", "vip", "")
    assert _fmt1(_CONTACT + "\n\n" + _CONTACT + "\n") == [contact, contact]
    assert _fmt0(_FMT0 + "\n" + _FMT0) == [contact, contact]
    assert _fmt1("5,Друзья,,12", "group") == [Group(id=5, name="Друзья", number=None, cnt=12)]
    assert _fmt1("3,79110000001,2,", "blacklist") == [BlacklistEntry(3, "79110000001", BlacklistType.SINGLE, "")]
    assert _fmt1("a@b.ru,Анна,,,,,,,,,c@d.ru", "mail_contact") == [MailContact("a@b.ru", "Анна", mail_other="c@d.ru")]


@needs_core
def test_core_places_odd_rows_through_the_splitter():
    row = "79110000001,Петрова, Анна,5922,Анна,Петрова,,01.02.1990,17,,vip,+79112223351,+79112223352"
    expected = Contact(
        "79110000001", "Петрова, Анна", "5922", "Анна", "Петрова", "", "01.02.1990", "17", "", "vip",
        "+79112223351,+79112223352",
    )
    assert _fmt1(row + "\n" + _CONTACT) == [expected, _fmt1(_CONTACT)[0]]  # type: ignore[index]


@needs_core
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (_CONTACT + "\r\n", "contact"),  # CR: the general path decides
        ("05,Друзья,,", "group"),  # a leading zero
        ("1234567890123456789,Друзья,,", "group"),  # more digits than the core reads
        ("1,79110000001,3,", "blacklist"),  # not a blacklist type
        ("ä@b.ru,Анна,,,,,,,,,", "mail_contact"),  # a non-ASCII address: Python's \s decides
        ("79110000001,a,b,c", "contact"),  # a row that does not split
    ],
)
def test_core_declines_fmt1(text, kind):
    assert _fmt1(text, kind) is None


@needs_core
@pytest.mark.parametrize(
    "text",
    [
        _FMT0 + "\r",
        _FMT0.removesuffix(" "),  # the trimmed last marker: the general path reads it
        "name = x",
        _FMT0.replace(", tags = ", ", tag = "),
    ],
)
def test_core_declines_fmt0(text):
    assert _fmt0(text) is None


@pytest.mark.parametrize(
    ("payload", "fmt", "kind"),
    [
        (b"5,\xd0\x94,,012", 1, Group),
        (b"79110000001,a,b,c", 1, Contact),
        (b"id = 5, name = x, number = , cnt = 9x", 0, Group),
        (_FMT0.replace(", tags = ", ", tag = ").encode(), 0, Contact),
    ],
)
def test_errors_are_the_same_on_both_paths(payload, fmt, kind):
    with pytest.raises(DecodeError) as used:
        fmtcodec.decode(payload, list[kind], fmt=fmt)
    with _core.pure(), pytest.raises(DecodeError) as pure:
        fmtcodec.decode(payload, list[kind], fmt=fmt)
    assert str(used.value) == str(pure.value)
    assert (used.value.pos, used.value.line, used.value.column) == (pure.value.pos, pure.value.line, pure.value.column)


# The writers (``_speedups.write_rows`` through the fmt modules' ``_compiled_lines`` and
# ``_compiled_objects``): the same text as the pure paths for what they take, as a str and as the
# UTF-8 bytes ``fmtcodec.encode`` returns; None for what they leave to the pure code.
_WRITERS = {0: (fmtcodec.text, "_compiled_lines"), 1: (fmtcodec.values, "_compiled_lines"), 3: (fmtcodec.json, "_compiled_objects")}


def _written(records: list[object], fmt: int, *, utf8: bool = False) -> object:
    module, name = _WRITERS[fmt]
    layout = fmtcodec.layout.layout_for(type(records[0]))
    return getattr(module, name)(records, layout, utf8)


def _pure_reply(records: list[object], fmt: int) -> str:
    with _core.pure():
        return fmtcodec.encode(records, fmt=fmt).decode("utf-8")


_ESCAPES = "".join(map(chr, range(32))) + '"\\/\x7f\u2028é€Ж\U0001f600'
_WRITTEN = [
    [Contact("79110000001", "Анна", "5922", "Анна", "Петрова", "", "01.02.1990", "17", "", "vip", "")] * 3,
    [Group(id=5, name="Друзья", number=None, cnt=12), Group(id=0, name="", number=7, cnt=None)],
    [Group(id=2**63 - 1, name="x", number=0, cnt=0)],
    [BlacklistEntry(3, "79110000001", BlacklistType.SINGLE, ""), BlacklistEntry(4, "+7 (911)", 0, "ё")],
    [MailContact("a@b.ru", "Анна", mail_other="c@d.ru")],
]


@needs_core
@pytest.mark.parametrize("records", _WRITTEN, ids=lambda records: type(records[0]).__name__)
@pytest.mark.parametrize("fmt", [0, 1, 3])
def test_core_writes_what_the_pure_paths_write(records, fmt):
    expected = _pure_reply(records, fmt)
    assert _written(records, fmt) == expected
    assert _written(records, fmt, utf8=True) == expected.encode("utf-8")
    assert fmtcodec.encode(records, fmt=fmt, charset="cp1251") == expected.encode("cp1251")


@needs_core
@pytest.mark.parametrize("utf8", [False, True])
def test_core_escapes_json_strings_as_msgspec_does(utf8):
    import msgspec

    records = [Group(id=1, name=_ESCAPES, number=None, cnt=None), Group(id=2, name="plain", number=3, cnt=4)]
    written = _written(records, 3, utf8=utf8)
    text = written.decode("utf-8") if utf8 else written
    assert text == _pure_reply(records, 3)
    # an absent first member leaves no separator behind; "cnt" is spelled as a string
    assert text.startswith('[{\n"id": 1,\n"name": ' + msgspec.json.encode(_ESCAPES).decode() + "\n},\n")
    assert text.endswith('{\n"id": 2,\n"name": "plain",\n"number": 3,\n"cnt": "4"\n}]')


class _Named(str):
    pass


@needs_core
@pytest.mark.parametrize(
    ("records", "fmts"),
    [
        ([Group(id=1, name="a\ud800b")], (3,)),  # a lone surrogate: no UTF-8 for it
        ([Group(id=True, name="a")], (0, 1, 3)),  # a bool is not an id
        ([Group(id=-1, name="a")], (0, 1, 3)),
        ([Group(id=2**63, name="a")], (0, 1, 3)),  # more digits than the core writes
        ([Group(id=1, name=_Named("a"))], (0, 1, 3)),  # a str subclass: the pure code writes it
        ([Group(id=1, name=None)], (0, 1, 3)),  # type: ignore[arg-type]
        ([Group(id=1, name="a", number="5")], (0, 1, 3)),  # type: ignore[arg-type]
        ([BlacklistEntry(1, "7", 3, "")], (0, 1, 3)),  # not a blacklist type
        ([Group(id=1, name="a\nb")], (0, 1)),
        ([Group(id=1, name="a\rb")], (0, 1)),
        ([Group(id=1, name="a, number = 5")], (0,)),  # the next field's marker
        ([Group(id=1, name="a,b")], (1,)),  # a comma: the splitter decides
        ([BlacklistEntry(1, "x", 0, "")], (1,)),  # not a phone
        ([Contact("7", "a", "", "", "", "", "1.2.1990")], (1,)),  # not a date
    ],
)
def test_core_declines_to_write(records, fmts):
    for fmt in fmts:
        assert _written(records, fmt) is None
        assert _written(records, fmt, utf8=True) is None


@needs_core
def test_core_writes_the_surrogate_it_cannot_encode_only_as_text():
    records = [Group(id=1, name="a\ud800b")]
    assert _written(records, 0, utf8=True) is None
    assert _written(records, 0) == "id = 1, name = a\ud800b, number = , cnt = "


@needs_core
def test_core_writers_survive_records_that_change_the_list():
    core = _core.CORE
    rows: list[object] = []

    class Shrinking:
        def __getattr__(self, name: str) -> str:
            rows.clear()
            return "1"

    class Growing:
        def __getattr__(self, name: str) -> str:
            rows.append(Growing())
            return "1"

    names = ("id", "name")
    for make in (Shrinking, Growing):
        for utf8 in (False, True):
            rows[:] = [make() for _ in range(1000)]
            written = core.write_rows(rows, make, names, (0, 0), 1, ("", ","), (True, True), (0, 0), (True, True), BlacklistType, ("", "", "", "\n", "", ""), utf8)
            assert written == ("\n".join(["1,1"] * 1000).encode() if utf8 else "\n".join(["1,1"] * 1000))


@needs_core
def test_core_writers_check_their_arguments():
    core = _core.CORE
    frame = ("", "", "", "\n", "", "")
    group = [Group(id=1, name="a")]
    args = ((1, 0, 2, 2), 1, ("", ",", ",", ","), (True,) * 4, (3, 0, 3, 3), (False, True, True, True), BlacklistType)
    names = ("id", "name", "number", "cnt")
    assert core.write_rows(group, Group, names, *args, frame) == "1,a,,"
    assert core.write_rows(group, Contact, names, *args, frame) is None  # not the record type
    assert core.write_rows(group, Group, names[:3], *args, frame) is None
    assert core.write_rows(group, Group, names, (1, 0, 2, 9), *args[1:], frame) is None  # unknown type
    assert core.write_rows(group, Group, names, *args, frame[:5]) is None
    assert core.write_rows(group, Group, names, *args, ("", "", "", "\n", "", "é")) is None
    assert core.write_rows(group, Group, names, (1, 0, 2, 2), 2, *args[2:], frame) is None  # fmt 2
    assert core.write_rows([], Group, names, *args, frame) is None


def test_writers_decline_a_kind_whose_types_they_do_not_know():
    group = LAYOUTS["group"]
    assert _core.writable(group)
    odd = dataclasses.replace(group.fields[0], type="decimal")  # a type of the pages' kinds
    layout = dataclasses.replace(group, kind="odd", fields=(odd, *group.fields[1:]))
    assert not _core.writable(layout)
    assert fmtcodec.writing.compiled_reply([Group(id=1, name="a")], layout, 1, ("",) * 4, ("",) * 6) is None
