"""Properties of encode/decode for every reply kind x fmt, driven by ``fmtcodec.strategies``.

The refusal rules are restated here as independent predicates, written from the module docstrings
and ``spec/layout.toml`` (not by calling the codec), and the encoder must agree with them:

* fmt 0 refuses exactly the values holding CR/LF or the ``", <next key> = "`` marker of the field
  after them;
* fmt 1 refuses an ``Error`` exactly when it has a description; for records only a sufficient
  condition is stated: a row whose values hold no comma/CR/LF and each look like their field
  class is never refused;
* fmt 2 refuses exactly the text holding characters XML 1.0 cannot hold (and a ``Created``
  without its root element);
* fmt 3 never refuses (all text is written as UTF-8).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import assume, event, given, note
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import (
    BlacklistEntry,
    Contact,
    Created,
    EncodeError,
    Error,
    Group,
    MailBlacklistEntry,
    MailContact,
    Ok,
)
from fmtcodec import strategies as fs

FMTS = (0, 1, 2, 3)
RECORD_KINDS = (Contact, MailContact, Group, BlacklistEntry, MailBlacklistEntry)
REPLY_KINDS = (*RECORD_KINDS, Created, Ok, Error)
CHARSETS = ("windows-1251", "koi8-r")

_SPEC = tomllib.loads((Path(__file__).resolve().parent.parent / "spec" / "layout.toml").read_text("utf-8"))
FMT1_CLASSES = {
    getattr(fmtcodec, entry["record"]): [field["fmt1"] for field in entry["fields"]]
    for entry in _SPEC["kinds"].values()
    if entry["page"] == "contacts"
}

# ---------------------------------------------------------------------------------------------
# Strategies: "wild" values put arbitrary text into the structured fields too, so the refusal
# rules are exercised on phone lists, e-mails, group ids and birthdays that do not look right.

_wild = fs.free_text()


def wild_one(kind: type) -> st.SearchStrategy[Any]:
    if kind is Contact:
        return fs.contacts(
            phone=st.one_of(fs.phones(), _wild),
            phone_other=st.one_of(fs.phones(optional=True), _wild),
            group=st.one_of(st.just(""), fs.ids().map(str), _wild),
            birthday=st.one_of(fs.dates(), _wild),
        )
    if kind is MailContact:
        return fs.mail_contacts(
            mail=st.one_of(fs.emails(), _wild),
            mail_other=st.one_of(fs.emails(optional=True), _wild),
            group=st.one_of(st.just(""), fs.ids().map(str), _wild),
            birthday=st.one_of(fs.dates(), _wild),
        )
    if kind is Group:
        return fs.groups()
    if kind is BlacklistEntry:
        return fs.blacklist_entries(phone=st.one_of(fs.phones(single=True), _wild))
    if kind is MailBlacklistEntry:
        return fs.mail_blacklist_entries(email=st.one_of(fs.emails(single=True), _wild))
    raise AssertionError(kind)


def wild(kind: type) -> st.SearchStrategy[Any]:
    """A reply of ``kind``: a list of records, or the Created/Ok/Error reply itself."""
    if kind is Created:
        return fs.created()
    if kind is Ok:
        return fs.oks()
    if kind is Error:
        return fs.errors()
    return st.lists(wild_one(kind), max_size=3)


def decode_type(kind: type) -> Any:
    return kind if kind in (Created, Ok, Error) else list[kind]


def expected(value: Any, fmt: int) -> Any:
    if isinstance(value, Created):
        return Created(id=value.id, element=value.element if fmt == 2 else None)
    return value


def try_encode(value: Any, fmt: int, charset: str = "utf-8") -> bytes | None:
    try:
        return fmtcodec.encode(value, fmt=fmt, charset=charset)
    except EncodeError:
        return None


# ---------------------------------------------------------------------------------------------
# The refusal rules, restated.

_LINE_BREAK = re.compile("[\r\n]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FMT1_TOKEN = {
    "phone": re.compile(r"[ +\-();]*[0-9][0-9 +\-();]*"),
    "email": re.compile(r"[^\s@,;]+@[^\s@,;]+"),
    "number": re.compile(r"[0-9]+"),
    "date": re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}"),
}


def wire_texts(record: Any) -> list[str]:
    """Each field as the fmt writes it: text as is, numbers in decimal, an absent number empty."""
    out = []
    for value in msgspec.structs.astuple(record):
        if value is None:
            out.append("")
        elif isinstance(value, int):
            out.append(str(int(value)))
        else:
            out.append(value)
    return out


def all_texts(value: Any) -> list[str]:
    if isinstance(value, Error):
        return [value.error]
    if isinstance(value, Created | Ok):
        return []
    return [text for record in value for text in wire_texts(record)]


def fmt0_refuses(value: Any) -> bool:
    if any(_LINE_BREAK.search(text) for text in all_texts(value)):
        return True
    for record in value if isinstance(value, list) else []:
        names = type(record).__struct_fields__
        texts = wire_texts(record)
        if any(f", {names[i + 1]} = " in texts[i] for i in range(len(names) - 1)):
            return True
    return False


def fmt2_refuses(value: Any) -> bool:
    if isinstance(value, Created):
        return value.element is None
    return any(_NOT_XML.search(text) for text in all_texts(value))


def fmt1_looks_right(fmt1_class: str, text: str) -> bool:
    """A comma-free value fits its fmt 1 field class (spec/layout.toml)."""
    token = fmt1_class.rstrip("?").removesuffix("s")
    if fmt1_class == "text":
        return True
    if fmt1_class.endswith("?") and text == "":
        return True
    return _FMT1_TOKEN[token].fullmatch(text) is not None


def fmt1_surely_carries(value: Any) -> bool:
    """No value holds a comma or CR/LF, and every value looks like its field class."""
    if isinstance(value, Error):
        return value.error == ""
    if isinstance(value, Created | Ok):
        return True
    for record in value:
        for fmt1_class, text in zip(FMT1_CLASSES[type(record)], wire_texts(record), strict=True):
            if "," in text or _LINE_BREAK.search(text) or not fmt1_looks_right(fmt1_class, text):
                return False
    return True


# ---------------------------------------------------------------------------------------------


def test_import_fmtcodec_does_not_import_hypothesis():
    code = "import fmtcodec, sys; assert 'hypothesis' not in sys.modules, 'hypothesis imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


# Each example is tried in every fmt: drawing a record costs far more than coding it.


@pytest.mark.parametrize("kind", REPLY_KINDS, ids=lambda kind: kind.__name__)
@given(data=st.data())
def test_round_trip_whenever_encode_accepts(kind, data):
    value = data.draw(wild(kind), label="value")
    for fmt in FMTS:
        payload = try_encode(value, fmt)
        event(f"fmt {fmt}: {'refused' if payload is None else 'accepted'}")
        if payload is not None:
            note(f"fmt {fmt}: {payload!r}")
            assert fmtcodec.decode(payload, decode_type(kind), fmt=fmt) == expected(value, fmt)


@pytest.mark.parametrize("kind", REPLY_KINDS, ids=lambda kind: kind.__name__)
@given(data=st.data())
def test_refusal_rule(kind, data):
    value = data.draw(wild(kind), label="value")
    for fmt in FMTS:
        refused = try_encode(value, fmt) is None
        event(f"fmt {fmt}: {'refused' if refused else 'accepted'}")
        if fmt == 0:
            assert refused == fmt0_refuses(value), "fmt 0"
        elif fmt == 2:
            assert refused == fmt2_refuses(value), "fmt 2"
        elif fmt == 3:
            assert not refused, "fmt 3"
        elif isinstance(value, Error):
            assert refused == (value.error != ""), "fmt 1"
        elif fmt1_surely_carries(value):
            assert not refused, "fmt 1: a comma-free row of values that look like their fields was refused"


_PLAIN = st.text(
    alphabet=st.one_of(st.characters(categories=("Lu", "Ll", "Lo")), st.sampled_from(" .@+-0123456789")),
    max_size=12,
)


@pytest.mark.parametrize("kind", RECORD_KINDS, ids=lambda kind: kind.__name__)
@given(data=st.data())
def test_plain_text_is_never_refused(kind, data):
    # Letters, digits, spaces and ".@+-" in the free text and right-looking structured values
    # (phone and e-mail lists may hold commas) are never refused in fmts 0, 2 and 3.
    value = data.draw(fs.records(kind, text=_PLAIN), label="value")
    for fmt in (0, 2, 3):
        payload = fmtcodec.encode(value, fmt=fmt)
        assert fmtcodec.decode(payload, list[kind], fmt=fmt) == value
    # With comma-free structured values too (``for_fmt=1``), neither is fmt 1.
    value = data.draw(fs.records(kind, text=_PLAIN, for_fmt=1), label="comma-free value")
    for fmt in FMTS:
        payload = fmtcodec.encode(value, fmt=fmt)
        assert fmtcodec.decode(payload, list[kind], fmt=fmt) == value


def _every_fmt_strategy(kind: type) -> st.SearchStrategy[Any]:
    # fmts 0, 2 and 3 carry these by construction; fmt 1 is compared whenever it accepts.
    text = fs.narrow_text(fs.free_text(), 2)
    if kind is Created:
        return fs.created(for_fmt=2)
    if kind is Ok:
        return fs.oks()
    if kind is Error:
        return fs.errors(text=text, for_fmt=0)
    return fs.records(kind, text=text, for_fmt=0)


@pytest.mark.parametrize("kind", REPLY_KINDS, ids=lambda kind: kind.__name__)
@given(data=st.data())
def test_all_fmts_agree(kind, data):
    value = data.draw(_every_fmt_strategy(kind), label="value")
    decoded = {}
    for fmt in FMTS:
        payload = try_encode(value, fmt)
        if payload is None:
            assert fmt == 1, f"fmt {fmt} refused a value built for it"
            event("fmt 1 refused")
            continue
        note(f"fmt {fmt}: {payload!r}")
        got = fmtcodec.decode(payload, decode_type(kind), fmt=fmt)
        # the fmt is told from the payload as well (the first field of each kind looks right)
        assert fmtcodec.decode(payload, decode_type(kind)) == got
        decoded[fmt] = msgspec.structs.replace(got, element=None) if isinstance(got, Created) else got
    assert len({repr(found) for found in decoded.values()}) == 1, decoded


@pytest.mark.parametrize("kind", REPLY_KINDS, ids=lambda kind: kind.__name__)
@given(data=st.data())
def test_canonical_bytes_survive(kind, data):
    value = data.draw(wild(kind), label="value")
    for fmt in FMTS:
        payload = try_encode(value, fmt)
        if payload is not None:
            # (a Created decodes without its element outside fmt 2, which those fmts ignore)
            again = fmtcodec.encode(fmtcodec.decode(payload, decode_type(kind), fmt=fmt), fmt=fmt)
            assert again == payload, f"fmt {fmt}"


# ---------------------------------------------------------------------------------------------
# Charsets


def _charset_alphabet(charset: str) -> str:
    chars = []
    for byte in range(256):
        try:
            chars.append(bytes([byte]).decode(charset))
        except UnicodeDecodeError:
            continue
    return "".join(chars)


ALPHABETS = {charset: _charset_alphabet(charset) for charset in CHARSETS}
_TEXT_FIELD = {
    Contact: "name",
    MailContact: "name",
    Group: "name",
    BlacklistEntry: "comment",
    MailBlacklistEntry: "comment",
}


def _charset_text(charset: str) -> st.SearchStrategy[str]:
    return st.text(alphabet=ALPHABETS[charset], max_size=10)


def _charset_value(kind: type, charset: str) -> st.SearchStrategy[Any]:
    # Text every fmt carries (no CR/LF or comma, nothing XML forbids): the point is the charset.
    text = fs.narrow_text(fs.narrow_text(_charset_text(charset), 1), 2)
    if kind is Created:
        return fs.created(for_fmt=2)
    if kind is Ok:
        return fs.oks()
    if kind is Error:
        return fs.errors(text=text, for_fmt=0)
    return fs.records(kind, text=text, for_fmt=1)


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("kind", REPLY_KINDS, ids=lambda kind: kind.__name__)
@given(data=st.data())
def test_charset_round_trip(kind, charset, data):
    value = data.draw(_charset_value(kind, charset), label="value")
    for fmt in FMTS:
        if isinstance(value, Error) and fmt == 1:
            value = Error(error_code=value.error_code)
        payload = fmtcodec.encode(value, fmt=fmt, charset=charset)
        got = fmtcodec.decode(payload, decode_type(kind), fmt=fmt, charset=charset)
        assert got == expected(value, fmt), f"fmt {fmt}"


def _unrepresentable(charset: str) -> st.SearchStrategy[str]:
    return st.characters(
        exclude_categories=("Cc", "Cs"),
        exclude_characters=ALPHABETS[charset] + "\ufffe\uffff",
    )


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("kind", [*RECORD_KINDS, Error], ids=lambda kind: kind.__name__)
@given(data=st.data())
def test_charset_refuses_what_it_cannot_write(kind, charset, data):
    char = data.draw(_unrepresentable(charset), label="char")
    base = data.draw(_charset_value(kind, charset), label="value")
    if kind is Error:
        value: Any = msgspec.structs.replace(base, error=base.error + char)
    else:
        assume(base)
        field = _TEXT_FIELD[kind]
        value = [msgspec.structs.replace(base[0], **{field: getattr(base[0], field) + char}), *base[1:]]
    for fmt in FMTS if kind is not Error else (0, 2, 3):  # fmt 1 carries no error text
        assert fmtcodec.decode(fmtcodec.encode(value, fmt=fmt), decode_type(kind), fmt=fmt) == value
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(value, fmt=fmt, charset=charset)
        assert f"U+{ord(char):04X}" in str(caught.value)
        assert caught.value.fmt == fmt
