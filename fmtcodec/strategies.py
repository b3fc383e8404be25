"""Hypothesis strategies for fmtcodec records and replies, for your own property tests.

This module needs Hypothesis (``pip install fmtcodec[testing]``); ``import fmtcodec`` never
imports it.  Every strategy takes keyword knobs for what goes into the fields, and ``for_fmt=N``
to keep only values fmt ``N`` can carry (so ``encode(value, fmt=N)`` accepts them)::

    from hypothesis import given

    import fmtcodec
    from fmtcodec.strategies import records

    @given(records(fmtcodec.Contact, for_fmt=0))
    def test_my_store_keeps_contacts(contacts):
        payload = fmtcodec.encode(contacts, fmt=0)
        assert fmtcodec.decode(payload, list[fmtcodec.Contact], fmt=0) == contacts

Without ``for_fmt`` the free text is anything a ``str`` can hold except lone surrogates (no
charset can write them): Cyrillic, emoji, ``& < > " '``, commas, ``key = value``-looking text,
line breaks, control characters and empty strings.  ``for_fmt`` narrows it:

* 0 -- no CR/LF, and no value holds ``", <next key> = "``, the marker of the field after it;
* 1 -- no CR/LF; commas only where the row still splits back one way (spec/formats.md, fmt 1,
  rules 2-5), and there often, as real replies have them: phone and e-mail lists joined by
  ``,``/``", "``, commas in the names of contacts and groups and in blacklist comments; the other
  text fields of a contact hold none (a comma there is always ambiguous), a contact's ``group``
  is one id or none (fmt 1 cannot carry a list of groups), and every structured field (phones,
  e-mails, group id, birthday) looks like its field class;
* 2 -- no character XML 1.0 cannot hold (C0 controls but tab/LF/CR, U+FFFE, U+FFFF); and
  ``created()`` always names the root element;
* 3 -- nothing more (JSON carries every string).

``for_fmt`` removes what the fmt cannot carry from generated text (and, for fmt 0, skips records
holding a next-field marker); strategies you pass for structured fields are used as given.
Without ``for_fmt`` (and for fmts 0, 2 and 3) a contact's ``group`` is sometimes a comma-joined
list of ids, which ``Contact.group_ids`` reads.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "fmtcodec.strategies needs Hypothesis: pip install 'fmtcodec[testing]'"
    ) from exc

import msgspec

from fmtcodec.records import (
    BlacklistEntry,
    BlacklistType,
    Contact,
    Created,
    CreatedElement,
    Error,
    Group,
    MailBlacklistEntry,
    MailContact,
    Ok,
)

__all__ = [
    "DATE_EDGES",
    "FRAGMENTS",
    "MAX_ID",
    "RECORD_TYPES",
    "blacklist_entries",
    "contacts",
    "created",
    "dates",
    "emails",
    "errors",
    "fmt_can_carry_text",
    "free_text",
    "groups",
    "ids",
    "mail_blacklist_entries",
    "mail_contacts",
    "narrow_text",
    "oks",
    "phones",
    "records",
    "replies",
]

T = TypeVar("T")
Strategy = st.SearchStrategy

MAX_ID = 2**63 - 1
"""The largest id the strategies generate (a signed 64-bit server id)."""

DATE_EDGES = ("", "01.01.1900", "29.02.2000", "31.12.2099")
"""Birthdays at the edges: none, the first and last day of the range, and a leap day."""

RECORD_TYPES: tuple[type[Any], ...] = (Contact, MailContact, Group, BlacklistEntry, MailBlacklistEntry)
"""The list-record kinds of the contacts service."""

_FIELD_NAMES = sorted({name for kind in RECORD_TYPES for name in kind.__struct_fields__})

FRAGMENTS: tuple[str, ...] = (
    "Иванов",
    "Пётр Ёжиков",
    "ё",
    "😀",
    "👨\u200d👩\u200d👧",
    "&",
    "<",
    ">",
    '"',
    "'",
    "&amp;",
    "&#13;",
    "]]>",
    "<list>",
    "</contact>",
    ",",
    ", ",
    ",,",
    " ",
    " = ",
    "=",
    "key = value",
    "ERROR = 1 (x)",
    "0,-3",
    "OK",
    "ID = 5",
    "{",
    '"a": 1}',
    "[",
    "\\",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\x00",
    "\x01",
    "\x0b",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\U0010ffff",
    "79221113340",
    "+7 (922) 111-33-40",
    "a@b.ru",
    "01.01.1960",
    *(f", {name} = " for name in _FIELD_NAMES),
    *(f"{name} = " for name in _FIELD_NAMES),
)
"""Pieces of text that have a meaning in some fmt: markup, separators, markers, line breaks."""

# The alphabets, defined once here.  None of them names a codec: Hypothesis's default
# ``st.text()`` alphabet is ``characters(codec="utf-8")``, whose table of encodable characters
# takes over a second (1.3 s on a 2-core machine) to build the first time in a folder, and
# ``from_regex`` builds such an alphabet inside its first draw; either trips the ``too_slow``
# health check of a user's first run.  ``exclude_categories=["Cs"]`` is the same set (every code
# point but the surrogates) taken from the Unicode category table alone, which takes 0.1 s the
# first time and is then cached in ``.hypothesis/``.  (Realizing the strategies at import would
# move even that out of the draws, but Hypothesis warns when a strategy is realized while a
# conftest.py is being imported, which is a natural place to import these.)
_ANY_CHARACTER = st.characters(exclude_categories=["Cs"])
_DIGITS = "0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz"

_SURROGATES = "\ud800-\udfff"
_NOT_IN_LINE = "\r\n"
_NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
_REMOVED = {
    None: re.compile(f"[{_SURROGATES}]"),
    0: re.compile(f"[{_SURROGATES}{_NOT_IN_LINE}]"),
    1: re.compile(f"[{_SURROGATES}{_NOT_IN_LINE},]"),
    2: re.compile(f"[{_SURROGATES}{_NOT_XML}]"),
    3: re.compile(f"[{_SURROGATES}]"),
}


def _check_fmt(for_fmt: int | None) -> None:
    if for_fmt not in _REMOVED:
        raise ValueError(f"for_fmt must be None, 0, 1, 2 or 3, got {for_fmt!r}")


def fmt_can_carry_text(value: str, for_fmt: int | None) -> bool:
    """``value`` holds none of the characters ``narrow_text`` removes for ``for_fmt``."""
    _check_fmt(for_fmt)
    return _REMOVED[for_fmt].search(value) is None


def narrow_text(text: Strategy[str], for_fmt: int | None) -> Strategy[str]:
    """``text`` with the characters fmt ``for_fmt`` cannot carry removed (surrogates always).

    For fmt 1 that includes commas: a comma-free value can never be split differently.
    """
    _check_fmt(for_fmt)
    pattern = _REMOVED[for_fmt]
    return text.map(lambda value: pattern.sub("", value))


def free_text(*, for_fmt: int | None = None, max_size: int = 12) -> Strategy[str]:
    """Any text: empty, arbitrary Unicode, and runs of ``FRAGMENTS`` mixed with random characters."""
    pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(_ANY_CHARACTER, max_size=3))
    text = st.one_of(
        st.just(""),
        st.text(_ANY_CHARACTER, max_size=max_size),
        st.lists(pieces, max_size=6).map("".join),
    )
    return narrow_text(text, for_fmt)


def ids(*, min_value: int = 0, max_value: int = MAX_ID) -> Strategy[int]:
    """Server ids and counts, the edges (0, 2**31 - 1, 2**31, ``max_value``) included."""
    edges = [
        value for value in (min_value, 1, 2**31 - 1, 2**31, max_value) if min_value <= value <= max_value
    ]
    return st.one_of(st.sampled_from(edges), st.integers(min_value, max_value))


def _digits(count: int) -> Strategy[str]:
    return st.text(_DIGITS, min_size=count, max_size=count)


def _phone_number() -> Strategy[str]:
    digits = st.text(_DIGITS, min_size=1, max_size=15)
    formatted = st.tuples(
        st.sampled_from(["+7", "8", "+380", "+1"]), _digits(3), _digits(3), _digits(2), _digits(2)
    ).map(lambda p: f"{p[0]} ({p[1]}) {p[2]}-{p[3]}-{p[4]}")
    return st.one_of(digits, st.builds(lambda d: "+" + d, digits), formatted)


def phones(*, optional: bool = False, single: bool = False, for_fmt: int | None = None) -> Strategy[str]:
    """A phone list as the server writes it "through any separator" (one number if ``single``).

    Lists of two or more numbers are joined by ``,`` or ``", "`` most of the time (as the 2013
    capture's ``+79112223351,+79112223352``), else by ``"; "``, ``;`` or a space -- in every fmt:
    fmt 1 reads a run of phone-like pieces as one list (spec/formats.md, fmt 1, rule 3).
    """
    _check_fmt(for_fmt)
    if single:
        numbers: Strategy[str] = _phone_number()
    else:
        separators = [",", ",", ", ", "; ", ";", " "]
        numbers = st.tuples(
            st.lists(_phone_number(), min_size=1, max_size=3), st.sampled_from(separators)
        ).map(lambda parts: parts[1].join(parts[0]))
    return st.one_of(st.just(""), numbers) if optional else numbers


def _address() -> Strategy[str]:
    # [a-z0-9][a-z0-9._+-]{0,9}@[a-z0-9-]{1,10}\.[a-z]{2,4}, from its pieces (no from_regex)
    ascii_address = st.tuples(
        st.sampled_from(_LOWER + _DIGITS),
        st.text(_LOWER + _DIGITS + "._+-", max_size=9),
        st.text(_LOWER + _DIGITS + "-", min_size=1, max_size=10),
        st.text(_LOWER, min_size=2, max_size=4),
    ).map(lambda p: f"{p[0]}{p[1]}@{p[2]}.{p[3]}")
    return st.one_of(st.sampled_from(["иван@пример.рф", "a@b.ru", "x.y+tag@mail.example.com"]), ascii_address)


def emails(*, optional: bool = False, single: bool = False, for_fmt: int | None = None) -> Strategy[str]:
    """An e-mail list, comma-joined (one address if ``single``), in every fmt."""
    _check_fmt(for_fmt)
    if single:
        addresses = _address()
    else:
        addresses = st.tuples(st.lists(_address(), min_size=1, max_size=3), st.sampled_from([",", ", "])).map(
            lambda parts: parts[1].join(parts[0])
        )
    return st.one_of(st.just(""), addresses) if optional else addresses


def dates() -> Strategy[str]:
    """``dd.mm.yyyy`` birthdays from 1900 to 2099, the ``DATE_EDGES`` (empty included) often."""
    real = st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)).map(
        lambda day: day.strftime("%d.%m.%Y")
    )
    return st.one_of(st.sampled_from(DATE_EDGES), real)


def _group_ids(for_fmt: int | None) -> Strategy[str]:
    """No group, one id, or (not for fmt 1, whose ``group`` is one number) a list of ids."""
    one = st.one_of(st.just(""), ids().map(str))
    if for_fmt == 1:
        return one
    several = st.tuples(st.lists(ids().map(str), min_size=2, max_size=3), st.sampled_from([",", ", "])).map(
        lambda parts: parts[1].join(parts[0])
    )
    return st.one_of(one, several)


# The fmt 1 token classes of spec/formats.md, fmt 1, rule 2, restated here (not imported from the
# decoder these strategies test).
_PHONE_TOKEN = re.compile(r"[ \t+\-();]*[0-9][0-9 \t+\-();]*")
_EMAIL_TOKEN = re.compile(r"[ \t]*[^\s@,;]+@[^\s@,;]+[ \t]*")
_NUMBER_OR_EMPTY = re.compile(r"[0-9]*")


def _joined_with_commas(pieces: Strategy[list[str]], separator: Strategy[str]) -> Strategy[str]:
    """Comma-free pieces joined by ``,`` -- or by ``", "`` before a piece that is empty or all
    digits, which a bare ``,`` would offer to the ``group``/``number`` field after a name."""

    def join(drawn: tuple[list[str], str]) -> str:
        parts, comma = drawn
        out = parts[0]
        for part in parts[1:]:
            out += (", " if _NUMBER_OR_EMPTY.fullmatch(part) else comma) + part
        return out

    return st.tuples(pieces, separator).map(join)


def _fmt1_text_with_commas(words: Strategy[str], *, after: re.Pattern[str] | None = None) -> Strategy[str]:
    """fmt 1 text holding commas, for the fields where the fmt can place them: a name after a
    phone (e-mail) list -- its first piece must not look like one more number (address) of the
    list, pattern ``after`` (fmt 1 rule 3), and no later piece may read as the group id -- or the
    free text of a group's name and a blacklist comment, which always split one way (rule 5)."""
    first = words if after is None else words.filter(lambda piece: not after.fullmatch(piece))
    pieces = st.tuples(first, st.lists(words, min_size=1, max_size=3)).map(
        lambda drawn: [drawn[0], *drawn[1]]
    )
    with_commas = _joined_with_commas(pieces, st.sampled_from([",", ", "]))
    return st.one_of(first, with_commas, with_commas)


def _wire_texts(record: Any) -> list[str]:
    return ["" if value is None else str(int(value)) if isinstance(value, int) else str(value)
            for value in msgspec.structs.astuple(record)]


def _fmt0_carries(record: Any) -> bool:
    """No value holds the ``", <next key> = "`` marker of the field after it."""
    names = type(record).__struct_fields__
    texts = _wire_texts(record)
    return not any(f", {names[index + 1]} = " in texts[index] for index in range(len(names) - 1))


def _finish(strategy: Strategy[T], for_fmt: int | None) -> Strategy[T]:
    return strategy.filter(_fmt0_carries) if for_fmt == 0 else strategy


def _text_for(text: Strategy[str] | None, for_fmt: int | None) -> Strategy[str]:
    _check_fmt(for_fmt)
    return free_text(for_fmt=for_fmt) if text is None else narrow_text(text, for_fmt)


def _placeable_text(text: Strategy[str] | None, for_fmt: int | None) -> Strategy[str]:
    """Free text for a field fmt 1 always splits one way (a group's name, a blacklist comment):
    with commas, often, when ``for_fmt`` is 1."""
    words = _text_for(text, for_fmt)
    return _fmt1_text_with_commas(words) if for_fmt == 1 else words


def _structured(given: Strategy[str] | None, default: Strategy[str]) -> Strategy[str]:
    if given is None:
        return default
    # A user's structured strategy is used as given, but characters no fmt can carry are removed.
    return given.map(_drop_surrogates)


def _drop_surrogates(value: str) -> str:
    return _REMOVED[None].sub("", value)


def contacts(
    *,
    text: Strategy[str] | None = None,
    phone: Strategy[str] | None = None,
    phone_other: Strategy[str] | None = None,
    group: Strategy[str] | None = None,
    birthday: Strategy[str] | None = None,
    for_fmt: int | None = None,
) -> Strategy[Contact]:
    """One ``Contact``: phone lists, a group id (or none, or several), a birthday, free text
    elsewhere; for fmt 1 the name often holds commas."""
    words = _text_for(text, for_fmt)
    return _finish(
        st.builds(
            Contact,
            phone=_structured(phone, phones(for_fmt=for_fmt)),
            name=_fmt1_text_with_commas(words, after=_PHONE_TOKEN) if for_fmt == 1 else words,
            group=_structured(group, _group_ids(for_fmt)),
            first_name=words,
            last_name=words,
            middle_name=words,
            birthday=_structured(birthday, dates()),
            id=words,
            comments=words,
            tags=words,
            phone_other=_structured(phone_other, phones(optional=True, for_fmt=for_fmt)),
        ),
        for_fmt,
    )


def mail_contacts(
    *,
    text: Strategy[str] | None = None,
    mail: Strategy[str] | None = None,
    mail_other: Strategy[str] | None = None,
    group: Strategy[str] | None = None,
    birthday: Strategy[str] | None = None,
    for_fmt: int | None = None,
) -> Strategy[MailContact]:
    """One ``MailContact``: e-mail lists, a group id (or none, or several), a birthday, free text
    elsewhere; for fmt 1 the name often holds commas."""
    words = _text_for(text, for_fmt)
    return _finish(
        st.builds(
            MailContact,
            mail=_structured(mail, emails(for_fmt=for_fmt)),
            name=_fmt1_text_with_commas(words, after=_EMAIL_TOKEN) if for_fmt == 1 else words,
            group=_structured(group, _group_ids(for_fmt)),
            first_name=words,
            last_name=words,
            middle_name=words,
            birthday=_structured(birthday, dates()),
            id=words,
            comments=words,
            tags=words,
            mail_other=_structured(mail_other, emails(optional=True, for_fmt=for_fmt)),
        ),
        for_fmt,
    )


def groups(
    *,
    text: Strategy[str] | None = None,
    id: Strategy[int] | None = None,
    number: Strategy[int | None] | None = None,
    cnt: Strategy[int | None] | None = None,
    for_fmt: int | None = None,
) -> Strategy[Group]:
    """One ``Group``: a large id, a name, and a mailing number and count that may be absent."""
    optional: Strategy[int | None] = st.one_of(st.none(), ids())
    return _finish(
        st.builds(
            Group,
            id=ids() if id is None else id,
            name=_placeable_text(text, for_fmt),
            number=optional if number is None else number,
            cnt=optional if cnt is None else cnt,
        ),
        for_fmt,
    )


def blacklist_entries(
    *,
    text: Strategy[str] | None = None,
    id: Strategy[int] | None = None,
    phone: Strategy[str] | None = None,
    for_fmt: int | None = None,
) -> Strategy[BlacklistEntry]:
    """One ``BlacklistEntry``: one phone number, a block type, a comment."""
    return _finish(
        st.builds(
            BlacklistEntry,
            id=ids() if id is None else id,
            phone=_structured(phone, phones(single=True, for_fmt=for_fmt)),
            type=st.sampled_from(BlacklistType),
            comment=_placeable_text(text, for_fmt),
        ),
        for_fmt,
    )


def mail_blacklist_entries(
    *,
    text: Strategy[str] | None = None,
    id: Strategy[int] | None = None,
    email: Strategy[str] | None = None,
    for_fmt: int | None = None,
) -> Strategy[MailBlacklistEntry]:
    """One ``MailBlacklistEntry``: one e-mail address, a block type, a comment."""
    return _finish(
        st.builds(
            MailBlacklistEntry,
            id=ids() if id is None else id,
            email=_structured(email, emails(single=True, for_fmt=for_fmt)),
            type=st.sampled_from(BlacklistType),
            comment=_placeable_text(text, for_fmt),
        ),
        for_fmt,
    )


_ONE: dict[type[Any], Callable[..., Strategy[Any]]] = {
    Contact: contacts,
    MailContact: mail_contacts,
    Group: groups,
    BlacklistEntry: blacklist_entries,
    MailBlacklistEntry: mail_blacklist_entries,
}


def records(kind: type[T], *, min_size: int = 0, max_size: int = 4, **knobs: Any) -> Strategy[list[T]]:
    """A reply's list of records of ``kind`` (``Contact``, ``Group``, ...); ``knobs`` go to the
    strategy of one record (``text=``, ``for_fmt=``, ``phone=`` ...)."""
    try:
        one = _ONE[kind]
    except KeyError:
        raise TypeError(f"not a contacts-service record kind: {kind!r}") from None
    item: Strategy[T] = one(**knobs)  # the kind's own strategy gives records of that kind
    return st.lists(item, min_size=min_size, max_size=max_size)


def created(
    *, id: Strategy[int] | None = None, for_fmt: int | None = None
) -> Strategy[Created]:
    """A ``Created`` reply; for fmt 2 the root element is always set."""
    _check_fmt(for_fmt)
    elements: Sequence[CreatedElement | None] = (
        ["phone", "group", "mail"] if for_fmt == 2 else [None, "phone", "group", "mail"]
    )
    return st.builds(Created, id=ids() if id is None else id, element=st.sampled_from(elements))


def oks() -> Strategy[Ok]:
    """The ``Ok`` reply."""
    return st.just(Ok())


def errors(
    *,
    text: Strategy[str] | None = None,
    error_code: Strategy[int] | None = None,
    for_fmt: int | None = None,
) -> Strategy[Error]:
    """A server ``Error``: a documented code or any other, and a description (empty for fmt 1,
    which carries none)."""
    codes = st.one_of(st.sampled_from([1, 2, 3, 4, 5, 9]), ids()) if error_code is None else error_code
    message = st.just("") if for_fmt == 1 else _text_for(text, for_fmt)
    return st.builds(Error, error_code=codes, error=message)


def replies(
    *, text: Strategy[str] | None = None, max_size: int = 4, for_fmt: int | None = None
) -> Strategy[Any]:
    """Any reply: a list of records of one kind, ``Created``, ``Ok`` or ``Error``."""
    kinds = [records(kind, max_size=max_size, text=text, for_fmt=for_fmt) for kind in RECORD_TYPES]
    return st.one_of(*kinds, created(for_fmt=for_fmt), oks(), errors(text=text, for_fmt=for_fmt))
