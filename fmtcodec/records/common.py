"""What every page shares: the ``Ok`` and ``Error`` replies, and the typed views of wire text that
several pages' records use (server dates, Unix times, open value sets)."""

from __future__ import annotations

import datetime
import re
from typing import Annotated

import msgspec

from fmtcodec._spec import ERROR_MEANINGS, PAGE_ERRORS, VALUE_MEANINGS, Meaning

__all__ = ["Count", "Error", "MessageAccessors", "Ok", "parse_server_date", "unix_time", "value_meaning"]

Count = Annotated[int, msgspec.Meta(ge=0)]
"""A server-assigned id, count or code: never negative."""

_SERVER_DATE = re.compile(r"([0-9]{2})\.([0-9]{2})\.([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2})")


def parse_server_date(text: str | None) -> datetime.datetime | None:
    """A server date ``DD.MM.YYYY hh:mm:ss`` as a naive ``datetime`` (the server's own clock:
    the pages name no time zone); ``None`` for ``None`` or ``""``; ``ValueError`` otherwise."""
    if not text:
        return None
    match = _SERVER_DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a server date DD.MM.YYYY hh:mm:ss")
    day, month, year, hour, minute, second = (int(part) for part in match.groups())
    return datetime.datetime(year, month, day, hour, minute, second)


def unix_time(seconds: int | None) -> datetime.datetime | None:
    """Unix seconds as an aware UTC ``datetime``; ``None`` for ``None``."""
    if seconds is None:
        return None
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC)


def value_meaning(value_set: str, value: int | None) -> str | None:
    """What ``value`` of an open value set (``status``, ``err``) means; ``None`` when unknown."""
    if value is None:
        return None
    return VALUE_MEANINGS[value_set].get(value)


class MessageAccessors:
    """Typed views shared by the records of one sent message (``Status``, ``HistoryMessage``),
    computed on demand from the server's text and numbers."""

    __slots__ = ()
    status: int
    last_date: str | None
    send_date: str | None
    last_timestamp: int | None
    send_timestamp: int | None

    @property
    def status_meaning(self) -> str | None:
        """What ``status`` means (``"delivered"`` for 1), ``None`` for a value not documented."""
        return value_meaning("status", self.status)

    @property
    def last_date_time(self) -> datetime.datetime | None:
        """``last_date`` as a naive ``datetime`` in the server's clock."""
        return parse_server_date(self.last_date)

    @property
    def send_date_time(self) -> datetime.datetime | None:
        """``send_date`` as a naive ``datetime`` in the server's clock."""
        return parse_server_date(self.send_date)

    @property
    def last_time(self) -> datetime.datetime | None:
        """``last_timestamp`` as an aware UTC ``datetime``."""
        return unix_time(self.last_timestamp)

    @property
    def send_time(self) -> datetime.datetime | None:
        """``send_timestamp`` as an aware UTC ``datetime``."""
        return unix_time(self.send_timestamp)


class Ok(msgspec.Struct, frozen=True):
    """A change or delete succeeded (``OK``)."""


class Error(msgspec.Struct, frozen=True, gc=False):
    """A server error reply: ``error_code`` N, the server's description ``error`` and, for the
    send page's codes 3, 6, 7 and 8, the ``id`` of the message it concerns (``None`` otherwise).

    fmt 1 (``0,-N`` or ``<id>,-N``) carries no description, so it decodes with ``error=""``.
    The same code means different things on different pages: ``meaning_on(page)`` says what.
    """

    error_code: Count
    error: str = ""
    id: str | None = None

    def meaning_on(self, page: str) -> Meaning | None:
        """What the code means on ``page`` (``"contacts"``, ``"send"``, ``"status"``, …:
        ``fmtcodec.PAGES``), in English and Russian; ``None`` when the page does not document it.
        ``KeyError`` for a page that is not one of them."""
        return PAGE_ERRORS[page].get(self.error_code)

    @property
    def meaning(self) -> str | None:
        """What the code means for the contacts service, in English (``None`` if undocumented)."""
        found = ERROR_MEANINGS.get(self.error_code)
        return found.en if found else None

    @property
    def meaning_ru(self) -> str | None:
        """What the code means for the contacts service, in Russian, as the seed page says it."""
        found = ERROR_MEANINGS.get(self.error_code)
        return found.ru if found else None
