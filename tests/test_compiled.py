"""The optional compiled core: how it is switched, what it declines, and that nothing it does shows.

Whether the core is active is ``fmtcodec.COMPILED``; ``FMTCODEC_PURE=1`` turns it off.  CI sets
``FMTCODEC_EXPECT_COMPILED=1`` on the run that built it, so a build that silently fell back to
pure Python fails there instead of passing untested.
"""

from __future__ import annotations

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
