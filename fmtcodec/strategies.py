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

The pages' kinds (send, cost, status, balance, senders, jobs, history, operator, templates) have a
strategy each (``sent``, ``costs``, ``statuses``, ...); ``records(kind)`` gives the list kinds
(``Status`` rows, ``HistoryMessage``, ``Sender``, ``Template``) and ``one(kind)`` the one-record
kinds.  They give the shapes real replies have: commas in messages, status, operator and sender
names, Cyrillic names, negative statuses (-3, -1) and ``err`` codes, money as ``Decimal`` with 2 and
3 decimals (``15.00``, ``0.385``, negative balances), client-chosen message ids, server dates
``DD.MM.YYYY hh:mm:ss``, Unix timestamps, optional fields present and absent, and the per-number
``phones`` list.  ``for_fmt`` keeps, besides the text rules above:

* 0 -- no text value holds ``, <key> =`` of a key of its kind (where the decoder may cut), none
  starts or ends with ASCII whitespace (the reply's own is trimmed); a sent balance comes with a
  cost (the sentence writes it after the cost); no ``phones`` and no balance ``credit``;
* 1 -- the fields present are those of a row variant that reads back one way (status: all=0,
  all=1, all=2, HLR with a 15-digit IMSI; not all=1 with ``comment,type``, which always also reads
  as a 9-field row); no commas but in a sender's name (the only text field alone in its row); the
  optional fields fmt 1 writes as empty pieces are ``None`` rather than ``""``; a currency is one
  piece that does not read as an error code; no ``phones``, ``credit``, timestamps in a history row,
  and no error id ``0``;
* 2 -- no ``phones``;
* 3 -- everything.
"""

# ruff: noqa: RUF001 -- real Cyrillic names are the point of the sample values

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "fmtcodec.strategies needs Hypothesis: pip install 'fmtcodec[testing]'"
    ) from exc

import msgspec

from fmtcodec.records import (
    Balance,
    BlacklistEntry,
    BlacklistType,
    Contact,
    Cost,
    Created,
    CreatedElement,
    Error,
    Group,
    HistoryMessage,
    JobCreated,
    MailBlacklistEntry,
    MailContact,
    Ok,
    OperatorInfo,
    PhoneReport,
    Sender,
    SenderCreated,
    Sent,
    Status,
    Template,
    TemplateCreated,
)

__all__ = [
    "COUNTRIES",
    "CURRENCIES",
    "DATE_EDGES",
    "ERR_CODES",
    "FRAGMENTS",
    "MAX_CLIENT_ID",
    "MAX_ID",
    "MESSAGES",
    "OPERATORS",
    "PAGE_LIST_KINDS",
    "PAGE_RECORD_KINDS",
    "RECORD_TYPES",
    "REGIONS",
    "SENDER_NAMES",
    "STATUS_CODES",
    "STATUS_NAMES",
    "balances",
    "blacklist_entries",
    "contacts",
    "costs",
    "created",
    "dates",
    "emails",
    "err_codes",
    "errors",
    "fmt_can_carry_text",
    "free_text",
    "groups",
    "history_messages",
    "ids",
    "job_created",
    "mail_blacklist_entries",
    "mail_contacts",
    "message_ids",
    "money",
    "narrow_text",
    "oks",
    "one",
    "operator_infos",
    "page_errors",
    "phone_reports",
    "phones",
    "records",
    "replies",
    "sender_created",
    "senders",
    "sent",
    "server_dates",
    "status_codes",
    "statuses",
    "template_created",
    "templates",
    "timestamps",
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
    """A reply's list of records of ``kind`` (``Contact``, ``Group``, ..., and the pages' list
    kinds ``Status`` -- the rows of a multi-id status reply --, ``HistoryMessage``, ``Sender``,
    ``Template``); ``knobs`` go to the strategy of one record (``text=``, ``for_fmt=``, ...)."""
    try:
        one = _ONE[kind]
    except KeyError:
        raise TypeError(f"not a list reply kind: {kind!r}") from None
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


# =============================================================================================
# The pages' reply kinds (issue 16): send, cost, status, statuses, balance, senders, jobs,
# history, operator, templates.  The rules each ``for_fmt`` keeps are restated from
# spec/formats.md ("fmt 0 of the pages' kinds", "fmt 1 of the pages' kinds") and spec/pages.md,
# not taken from the encoders these strategies test.

STATUS_CODES = (-3, -1, 0, 1, 3, 20, 22, 23, 24, 25)
"""The message statuses with a documented meaning (``Status.status_meaning``), -3 and -1 included."""

ERR_CODES = (0, 200, 248, 254)
"""The ``err`` codes with a documented meaning."""

OPERATORS = (
    "МТС", "Билайн", "МегаФон", "Tele2", "Yota", "Киевстар", "Vodafone Ukraine", 'ООО "Т2 Мобайл"',
    "MTS, Beeline",
)  # fmt: skip
REGIONS = (
    "Москва и Московская область", "Санкт-Петербург", "Свердловская обл.", "Київ", "", "Moscow, Russia",
)  # fmt: skip
COUNTRIES = ("Россия", "Украина", "Казахстан", "Russia", "Беларусь")
STATUS_NAMES = (
    "Доставлено",
    "Передано оператору",
    "Ожидает отправки",
    "Просрочено",
    "Не доставлено, номер недоступен",
    "Недостаточно средств",
    "Delivered",
)
MESSAGES = (
    "Ваш код: 1234",
    "Привет, мир",
    "Заказ №15, сумма 1 500,00 руб., доставка завтра",
    "Hello, world!",
    "a,b,,c",
    "Status = 1, check_time = 10.10.2010 10:10:10",
    "1,2,3",
    "",
    "Тест 😀",
    "<b>&amp;</b>",
)
SENDER_NAMES = ("SMSC.RU", "Alfa-Bank", "MTS", "ИП Иванов", "Shop, Inc.", "79221113340", "")
CURRENCIES = ("RUR", "RUB", "UAH", "KZT", "USD", "EUR", "руб")
"""Realistic values: operator, region, country and status names (Cyrillic, some with commas),
message texts (commas, markup, ``key = value``-looking text), sender names and currencies."""

MAX_CLIENT_ID = 40
"""The longest message id a client may choose (``[A-Za-z0-9._-]``)."""

_ID_ALPHABET = _LOWER + _LOWER.upper() + _DIGITS + "._-"
_ASCII_SPACE = " \t\n\r\x0b\x0c"
_DECIMAL_SHAPE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_NEGATIVE_NUMBER = re.compile(r"-[0-9]+")


def _page_text(
    samples: Sequence[str], text: Strategy[str] | None, for_fmt: int | None, *, fmt1_commas: bool = False
) -> Strategy[str]:
    """Free text for a field of a pages' kind: ``samples`` often, any text otherwise (or ``text``).

    fmt 0 and fmt 1 cut the whole reply's surrounding ASCII whitespace (and fmt 1 a leading BOM),
    so for them a value neither starts nor ends with it; fmt 1 holds commas only where
    ``fmt1_commas`` says the row still splits one way."""
    _check_fmt(for_fmt)
    base = st.one_of(st.sampled_from(samples), free_text()) if text is None else text
    pattern = _REMOVED[0] if for_fmt == 1 and fmt1_commas else _REMOVED[for_fmt]
    if for_fmt in (0, 1):
        return base.map(lambda value: pattern.sub("", value).strip(_ASCII_SPACE + "\ufeff"))
    return base.map(lambda value: pattern.sub("", value))


def money(*, negative: bool = False, places: Sequence[int] = (2, 3)) -> Strategy[Decimal]:
    """An amount as the server writes it: a ``Decimal`` with 2 or 3 decimals (``15.00``,
    ``0.385``), digits kept; negative too when ``negative`` (a balance in credit)."""
    edges = [Decimal("0.00"), Decimal("15.00"), Decimal("0.385"), Decimal("1871.62"), Decimal("2.4")]
    if negative:
        edges += [Decimal("-12.50"), Decimal("-0.385")]
    low = -(10**9) if negative else 0
    drawn = st.tuples(st.integers(low, 10**9), st.sampled_from(places)).map(
        lambda parts: Decimal(parts[0]).scaleb(-parts[1])
    )
    return st.one_of(st.sampled_from(edges), drawn)


def message_ids() -> Strategy[str]:
    """A message id: the server's own (digits) or one a client chose (``[A-Za-z0-9._-]``, 1 to 40)."""
    server = ids(max_value=2**53).map(str)
    client = st.text(_ID_ALPHABET, min_size=1, max_size=MAX_CLIENT_ID)
    return st.one_of(server, client, st.sampled_from(["279", "order-15.2", "A_1", "0", "x" * MAX_CLIENT_ID]))


def server_dates() -> Strategy[str]:
    """The server's ``DD.MM.YYYY hh:mm:ss``."""
    return st.datetimes(datetime.datetime(2000, 1, 1), datetime.datetime(2099, 12, 31, 23, 59, 59)).map(
        lambda moment: moment.strftime("%d.%m.%Y %H:%M:%S")
    )


def timestamps() -> Strategy[int]:
    """Unix seconds, at most ten digits (fmt 1's class), edges included."""
    edges = [0, 1286524541, 2**31 - 1, 9_999_999_999]
    return st.one_of(st.sampled_from(edges), st.integers(0, 9_999_999_999))


def status_codes() -> Strategy[int]:
    """A message status: the documented ones (-3, -1, 0, 1, ...) often, any other integer too."""
    return st.one_of(st.sampled_from(STATUS_CODES), st.integers(-(10**6), 10**6))


def err_codes() -> Strategy[int]:
    """An ``err`` code: documented (0, 200, 248, 254) often, any other integer (negative too)."""
    return st.one_of(st.sampled_from(ERR_CODES), st.integers(-(10**6), 10**6))


def _single_phone() -> Strategy[str]:
    return _phone_number()


def _maybe(strategy: Strategy[T]) -> Strategy[T | None]:
    return st.one_of(st.none(), strategy)


def _digit_text(min_size: int, max_size: int) -> Strategy[str]:
    return st.text(_DIGITS, min_size=min_size, max_size=max_size)


# The fmt 0 keys of the pairs kinds (spec/layout.toml's ``fmt0`` names), restated.
_STATUS_KEYS = (
    "Status", "check_time", "last_timestamp", "flag", "err", "send_date", "send_timestamp", "id",
    "phone", "country", "operator", "region", "cost", "sender_id", "status_name", "message",
    "comment", "type", "imsi", "msc", "mcc", "mnc", "cn", "net", "rcn", "rnet",
)  # fmt: skip
_HISTORY_KEYS = (
    "Status", "check_time", "last_timestamp", "err", "send_date", "send_timestamp", "phone",
    "mccmnc", "country", "operator", "region", "cost", "sender_id", "status_name", "message",
    "type", "ID", "int_id", "sms_cnt", "format", "crc",
)  # fmt: skip
_OPERATOR_KEYS = ("phone", "country", "operator", "region", "mcc", "mnc", "tz")
_TEMPLATE_KEYS = ("id", "name", "message", "format", "sender", "flag")
_SENDER_KEYS = ("name", "id")


def _no_marker(keys: Sequence[str]) -> Callable[[Any], bool]:
    """fmt 0 (rules 10, 11): no text value holds ``, <key> =`` of the kind's keys -- a marker the
    decoder could cut at, or (at a line's end) the trimmed marker of the last field."""
    markers = [f", {key} =" for key in keys]

    def carries(record: Any) -> bool:
        return not any(
            isinstance(value, str) and any(marker in value for marker in markers)
            for value in msgspec.structs.astuple(record)
        )

    return carries


# fmt 1 row variants (spec/layout.toml ``fmt1``) that strict encode can write and read back one
# way (spec/formats.md, fmt 1 rules 11-12): status all=0 short rows, all=1 (9 fields), all=2 (the
# geo fields, 12) and HLR with a 15-digit IMSI (which no timestamp piece takes).  The all=1 row with
# ``comment,type`` always also reads as a 9-field row with commas in its texts, so it is not made.
_STATUS_SHORT = ("status", "last_timestamp")
_STATUS_ERR = (*_STATUS_SHORT, "err")
_STATUS_ALL1 = (*_STATUS_ERR, "send_timestamp", "phone", "cost", "sender_id", "status_name", "message")
_STATUS_ALL2 = (
    *_STATUS_ERR, "send_timestamp", "phone", "country", "operator", "region", "cost", "sender_id",
    "status_name", "message",
)  # fmt: skip
_STATUS_HLR = (*_STATUS_ERR, "imsi", "msc", "mcc", "mnc", "cn", "net", "rcn", "rnet")
_STATUS_FMT1 = (_STATUS_SHORT, _STATUS_ERR, _STATUS_ALL1, _STATUS_ALL2, _STATUS_HLR)
_STATUSES_FMT1 = ((*_STATUS_ERR, "id", "phone"), (*_STATUS_ALL1, "id"), (*_STATUS_ALL2, "id"))


def _status_fields(text: Strategy[str] | None, for_fmt: int | None) -> dict[str, Strategy[Any]]:
    def words(samples: Sequence[str]) -> Strategy[str]:
        return _page_text(samples, text, for_fmt)

    names = words(OPERATORS + REGIONS + COUNTRIES)
    return {
        "status": status_codes(),
        "last_date": server_dates(),
        "last_timestamp": timestamps(),
        "flag": ids(max_value=2**31),
        "err": err_codes(),
        "send_date": server_dates(),
        "send_timestamp": timestamps(),
        "id": message_ids(),
        "phone": _single_phone(),
        # all=2 geo: a country that looks like an amount would also read as all=1's `cost`
        "country": words(COUNTRIES).filter(lambda value: _DECIMAL_SHAPE.fullmatch(value) is None)
        if for_fmt == 1 else words(COUNTRIES),
        "operator": words(OPERATORS),
        "region": words(REGIONS),
        "cost": money(),
        "sender_id": words(SENDER_NAMES),
        "status_name": words(STATUS_NAMES),
        "message": words(MESSAGES),
        "comment": words(MESSAGES),
        "type": ids(max_value=2**31),
        "imsi": _digit_text(15, 15) if for_fmt == 1 else st.one_of(_digit_text(15, 15), names),
        # fmt 1 reads the empty piece of these optional fields as None, so "" is not made for it
        "msc": _maybe(_digit_text(1, 12)) if for_fmt == 1 else st.one_of(_digit_text(0, 12), names),
        "mcc": _maybe(_digit_text(1, 3)) if for_fmt == 1 else st.one_of(_digit_text(0, 3), names),
        "mnc": _maybe(_digit_text(1, 3)) if for_fmt == 1 else st.one_of(_digit_text(0, 3), names),
        "cn": words(COUNTRIES),
        "net": words(OPERATORS),
        "rcn": words(COUNTRIES),
        "rnet": words(OPERATORS),
    }


def _fmt1_geo_places(value: Status) -> bool:
    """An all=2 row whose country and operator are both empty also reads as an all=1 row with
    ``comment`` and ``type`` (the empty pieces take the places of an empty cost and sender), so
    fmt 1 cannot carry it (spec/pages.md): one of the two is named."""
    return value.country is None or bool(value.country or value.operator)


def statuses(
    *, text: Strategy[str] | None = None, listed: bool = False, for_fmt: int | None = None
) -> Strategy[Status]:
    """One ``Status``: of one message, or (``listed``) a row of a multi-id reply.

    Any optional field may be present or absent; for fmt 1 the fields present are those of one
    row variant it writes and reads back one way (all=0, all=1, all=2, HLR; ``id`` in a list) and
    no text holds a comma -- three text fields side by side (``sender_id``, ``status_name``,
    ``message``) make any comma ambiguous.  For fmt 0, fmt 2 and fmt 3 status names, messages and
    operator names hold commas often."""
    fields = _status_fields(text, for_fmt)
    if for_fmt == 1:
        variants = _STATUSES_FMT1 if listed else _STATUS_FMT1
        return st.sampled_from(variants).flatmap(
            lambda variant: st.fixed_dictionaries({name: fields[name] for name in variant})
        ).map(lambda values: Status(**values)).filter(_fmt1_geo_places)
    optional = {name: _maybe(strategy) for name, strategy in fields.items() if name != "status"}
    if listed:
        optional["id"] = st.one_of(message_ids(), st.none())
    built = st.builds(Status, status=fields["status"], **optional)
    return built.filter(_no_marker(_STATUS_KEYS)) if for_fmt == 0 else built


def history_messages(
    *, text: Strategy[str] | None = None, for_fmt: int | None = None
) -> Strategy[HistoryMessage]:
    """One ``HistoryMessage`` (``get.php?get_messages=1``): server dates, Cyrillic operator and
    region names, money with 2 and 3 decimals, a client's or the server's id; the timestamps and
    ``err`` present or absent (always absent for fmt 1, whose row has no place for them).  fmt 1
    texts hold no comma (text fields side by side); the other fmts' often do."""
    fields = _status_fields(text, for_fmt)
    timestamp: Strategy[int | None] = st.none() if for_fmt == 1 else _maybe(timestamps())
    err: Strategy[int | None] = st.none() if for_fmt == 1 else _maybe(err_codes())
    mccmnc = st.sampled_from(["25001", "25002", "25099", "25520", ""]) if for_fmt == 1 else st.one_of(
        st.sampled_from(["25001", "25002", "25099", "25520", ""]), fields["operator"]
    )
    built = st.builds(
        HistoryMessage,
        status=status_codes(),
        last_date=server_dates(),
        last_timestamp=timestamp,
        err=err,
        send_date=server_dates(),
        send_timestamp=timestamp,
        phone=_single_phone(),
        mccmnc=mccmnc,
        country=fields["country"],
        operator=fields["operator"],
        region=fields["region"],
        cost=money(),
        sender_id=fields["sender_id"],
        status_name=fields["status_name"],
        message=fields["message"],
        type=ids(max_value=2**31),
        id=message_ids(),
        int_id=ids(),
        sms_cnt=ids(max_value=2**31),
        format=ids(max_value=2**31),
        crc=st.integers(-(2**31), 2**31 - 1),
    )
    return built.filter(_no_marker(_HISTORY_KEYS)) if for_fmt == 0 else built


def phone_reports(*, for_fmt: int | None = None) -> Strategy[PhoneReport]:
    """One entry of the per-number list (``op=1``/``err=1``), optional fields present or absent."""
    _check_fmt(for_fmt)
    return st.builds(
        PhoneReport,
        phone=_single_phone(),
        mccmnc=_maybe(st.sampled_from(["25001", "25002", "25520", ""])),
        cost=_maybe(money()),
        status=_maybe(status_codes()),
        error=_maybe(err_codes()),
    )


def _phone_list(for_fmt: int | None) -> Strategy[tuple[PhoneReport, ...] | None]:
    """The per-number list: fmt 3 only (no other fmt has a place for it)."""
    if for_fmt in (0, 1, 2):
        return st.none()
    return _maybe(st.lists(phone_reports(), max_size=3).map(tuple))


def sent(*, for_fmt: int | None = None) -> Strategy[Sent]:
    """A ``Sent`` reply: an id (the server's or a client's), a count, and optionally the cost,
    the balance (negative too) and -- for fmt 3 or no fmt -- the per-number list.  fmt 0 and
    fmt 1 write the balance only after the cost, so for them a balance comes with a cost."""
    _check_fmt(for_fmt)
    built = st.builds(
        Sent,
        id=message_ids(),
        cnt=ids(max_value=2**31),
        cost=_maybe(money()),
        balance=_maybe(money(negative=True)),
        phones=_phone_list(for_fmt),
    )
    if for_fmt in (0, 1):
        return built.filter(lambda value: value.balance is None or value.cost is not None)
    return built


def costs(*, for_fmt: int | None = None) -> Strategy[Cost]:
    """A ``Cost`` reply (``cost=1``); the per-number list for fmt 3 or no fmt."""
    _check_fmt(for_fmt)
    return st.builds(Cost, cost=money(), cnt=ids(max_value=2**31), phones=_phone_list(for_fmt))


def balances(*, for_fmt: int | None = None) -> Strategy[Balance]:
    """A ``Balance``: negative too, with or without a currency; a ``credit`` only where the fmt
    has a place for it (fmt 2 and fmt 3).  fmt 1's currency is one piece that does not read as
    an error code (``5.00,-3`` is an error reply)."""
    _check_fmt(for_fmt)
    currency = st.one_of(st.sampled_from(CURRENCIES), free_text())
    if for_fmt == 1:
        currency = _page_text(CURRENCIES, None, 1).filter(
            lambda value: value != "" and not _NEGATIVE_NUMBER.fullmatch(value)
        )
    elif for_fmt is not None:
        currency = _page_text(CURRENCIES, None, for_fmt)
    credit: Strategy[Decimal | None] = st.none() if for_fmt in (0, 1) else _maybe(money(negative=True))
    return st.builds(Balance, balance=money(negative=True), currency=_maybe(currency), credit=credit)


def senders(*, text: Strategy[str] | None = None, for_fmt: int | None = None) -> Strategy[Sender]:
    """A ``Sender`` of the list: a name (commas too, in every fmt: fmt 1's row is the name and
    the id, so the name takes every piece but the last) and an id or none."""
    name = _page_text(SENDER_NAMES, text, for_fmt, fmt1_commas=True)
    if for_fmt == 1:  # a first row that starts like an error reply is read as one
        name = name.filter(lambda value: not value.startswith("ERROR"))
    built = st.builds(Sender, sender=name, id=_maybe(ids(max_value=2**31)))
    return built.filter(_no_marker(_SENDER_KEYS)) if for_fmt == 0 else built


def templates(*, text: Strategy[str] | None = None, for_fmt: int | None = None) -> Strategy[Template]:
    """A ``Template``: a name, a message (commas in fmts 0, 2, 3), a format and a sender name."""
    words = _page_text(MESSAGES, text, for_fmt)
    built = st.builds(
        Template,
        id=ids(max_value=2**31),
        name=_page_text(("Код", "Напоминание, запись", "Promo"), text, for_fmt),
        message=words,
        format=_page_text(("", "0", "1", "viber"), text, for_fmt),
        sender=_page_text(SENDER_NAMES, text, for_fmt),
        flag=ids(max_value=2**31),
    )
    return built.filter(_no_marker(_TEMPLATE_KEYS)) if for_fmt == 0 else built


def operator_infos(
    *, text: Strategy[str] | None = None, for_fmt: int | None = None
) -> Strategy[OperatorInfo]:
    """An ``OperatorInfo``: Cyrillic country, operator and region names (commas too, outside
    fmt 1), MCC/MNC digits, a time zone.  fmt 1's row has no ``phone`` and always a ``tz``."""
    def words(samples: Sequence[str]) -> Strategy[str]:
        return _page_text(samples, text, for_fmt)

    digits = st.one_of(_digit_text(0, 3), st.sampled_from(["250", "01", "99"]))
    tz = words(("3", "+3", "5", "-1", ""))
    built = st.builds(
        OperatorInfo,
        phone=st.none() if for_fmt == 1 else _maybe(_single_phone()),
        country=words(COUNTRIES),
        operator=words(OPERATORS),
        region=words(REGIONS),
        mcc=digits,
        mnc=digits,
        # fmt 1 writes an absent tz as an empty piece and reads that back as absent: no "" for it
        tz=_maybe(tz.filter(bool)) if for_fmt == 1 else _maybe(tz),
    )
    return built.filter(_no_marker(_OPERATOR_KEYS)) if for_fmt == 0 else built


def sender_created(*, for_fmt: int | None = None) -> Strategy[SenderCreated]:
    """A new sender name's id."""
    _check_fmt(for_fmt)
    return st.builds(SenderCreated, sender=ids(max_value=2**31))


def job_created(*, for_fmt: int | None = None) -> Strategy[JobCreated]:
    """A new mailing job: its id and, optionally, its cost."""
    _check_fmt(for_fmt)
    return st.builds(JobCreated, id=ids(max_value=2**31), cost=_maybe(money()))


def template_created(*, for_fmt: int | None = None) -> Strategy[TemplateCreated]:
    """A new template's id."""
    _check_fmt(for_fmt)
    return st.builds(TemplateCreated, id=ids(max_value=2**31))


def page_errors(*, text: Strategy[str] | None = None, for_fmt: int | None = None) -> Strategy[Error]:
    """An ``Error`` of any page: a code, a description (none for fmt 1) and a message id or none
    (send errors 3, 6, 7, 8 carry one; fmt 1's ``0,-N`` is the error without one, so not ``0``)."""
    ident = message_ids().filter(lambda value: value != "0") if for_fmt == 1 else message_ids()
    return st.tuples(errors(text=text, for_fmt=for_fmt), _maybe(ident)).map(
        lambda parts: msgspec.structs.replace(parts[0], id=parts[1])
    )


PAGE_LIST_KINDS: tuple[type[Any], ...] = (Status, HistoryMessage, Sender, Template)
"""The list kinds of the pages (statuses, history, senders, templates): ``records(kind)``."""

PAGE_RECORD_KINDS: tuple[type[Any], ...] = (
    Sent, Cost, Status, Balance, SenderCreated, JobCreated, OperatorInfo, TemplateCreated,
)  # fmt: skip
"""The one-record kinds of the pages: ``one(kind)``."""

_LISTED: dict[type[Any], Callable[..., Strategy[Any]]] = {
    Status: lambda **knobs: statuses(listed=True, **knobs),
    HistoryMessage: history_messages,
    Sender: senders,
    Template: templates,
}
_SINGLE: dict[type[Any], Callable[..., Strategy[Any]]] = {
    Sent: sent,
    Cost: costs,
    Status: statuses,
    Balance: balances,
    SenderCreated: sender_created,
    JobCreated: job_created,
    OperatorInfo: operator_infos,
    TemplateCreated: template_created,
}
_ONE.update(_LISTED)


def one(kind: type[T], **knobs: Any) -> Strategy[T]:
    """A one-record reply of ``kind`` (``Sent``, ``Cost``, ``Status``, ``Balance``, ...);
    ``knobs`` go to its strategy (``for_fmt=``, and ``text=`` where the kind has free text)."""
    try:
        strategy = _SINGLE[kind]
    except KeyError:
        raise TypeError(f"not a one-record reply kind: {kind!r}") from None
    made: Strategy[T] = strategy(**knobs)
    return made
