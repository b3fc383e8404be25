"""The records of the contacts page: the contacts service (``phones.php`` and its e-mail twin ``mails.php``).

Attribute names are the wire names of the seed page, so the docs and the code read side by side.
Why each field has the type it has is written in ``spec/formats.md`` ("Record types"); in short:
what the server assigns and counts is an ``int``; what the client typed is ``str`` and is kept
exactly as sent, with typed accessors (``birthday_date``, ``group_ids``) computed on demand.
Field order here is the wire order and must match ``spec/layout.toml`` (a test checks it).
"""

from __future__ import annotations

import datetime
import enum
import re
from typing import Literal

import msgspec

from fmtcodec.records.common import Count

__all__ = [
    "BlacklistEntry",
    "BlacklistType",
    "Contact",
    "Created",
    "CreatedElement",
    "Group",
    "MailBlacklistEntry",
    "MailContact",
]

_BIRTHDAY = re.compile(r"([0-9]{2})\.([0-9]{2})\.([0-9]{4})")
_GROUP_ID = re.compile(r"[0-9]+")

class BlacklistType(enum.IntEnum):
    """What a blacklist entry blocks (seed: "тип блокировки: 0 - все сообщения, ...")."""

    ALL = 0
    """Every message."""
    MASS = 1
    """Mass mailings only."""
    SINGLE = 2
    """Single messages only."""


def _parse_birthday(text: str) -> datetime.date | None:
    if not text:
        return None
    match = _BIRTHDAY.fullmatch(text)
    if match is None:
        raise ValueError(f"birthday {text!r} is not dd.mm.yyyy")
    day, month, year = (int(part) for part in match.groups())
    return datetime.date(year, month, day)


class _PersonAccessors:
    """Typed views shared by ``Contact`` and ``MailContact``, computed on demand."""

    __slots__ = ()
    birthday: str
    group: str

    @property
    def birthday_date(self) -> datetime.date | None:
        """``birthday`` as a date; ``None`` when empty; ``ValueError`` if it is not a real dd.mm.yyyy date."""
        return _parse_birthday(self.birthday)

    @property
    def group_ids(self) -> tuple[int, ...]:
        """The group ids written in ``group`` (empty when the contact is in no group)."""
        return tuple(int(found) for found in _GROUP_ID.findall(self.group))


class Contact(msgspec.Struct, _PersonAccessors, frozen=True, forbid_unknown_fields=True, gc=False):
    """One entry of a ``phones.php?get=1`` contact list.

    ``phone`` and ``phone_other`` list numbers "through any separator" exactly as the server wrote
    them; ``group`` is the group id text (empty: no group); ``id`` is the client's own id for the
    contact (``myid``), free text; ``birthday`` is ``dd.mm.yyyy`` or empty.
    """

    phone: str
    name: str = ""
    group: str = ""
    first_name: str = ""
    last_name: str = ""
    middle_name: str = ""
    birthday: str = ""
    id: str = ""
    comments: str = ""
    tags: str = ""
    phone_other: str = ""


class MailContact(msgspec.Struct, _PersonAccessors, frozen=True, forbid_unknown_fields=True, gc=False):
    """One entry of a ``mails.php?get=1`` list: ``Contact`` with ``mail``/``mail_other``."""

    mail: str
    name: str = ""
    group: str = ""
    first_name: str = ""
    last_name: str = ""
    middle_name: str = ""
    birthday: str = ""
    id: str = ""
    comments: str = ""
    tags: str = ""
    mail_other: str = ""


class Group(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """One entry of a group list: server id, name, optional mailing number and contact count.

    ``number`` and ``cnt`` are ``None`` when the server leaves them out (real replies omit
    ``number`` for groups without one; the 2013 server sent no ``cnt`` at all).
    """

    id: Count
    name: str = ""
    number: Count | None = None
    cnt: Count | None = None


class BlacklistEntry(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """One entry of the phone blacklist."""

    id: Count
    phone: str
    type: BlacklistType = BlacklistType.ALL
    comment: str = ""


class MailBlacklistEntry(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """One entry of the e-mail blacklist (``<email>`` replaces ``<phone>``)."""

    id: Count
    email: str
    type: BlacklistType = BlacklistType.ALL
    comment: str = ""


CreatedElement = Literal["phone", "group", "mail"]


class Created(msgspec.Struct, frozen=True, gc=False):
    """The id the server assigned to a new contact, group or blacklist entry.

    ``element`` is the root element fmt 2 wraps the id in: ``"phone"`` for a contact or blacklist
    entry, ``"group"`` for a group, ``"mail"`` (assumed) for ``mails.php``.  It is request context,
    not reply content: fmts 0, 1 and 3 carry the id alone, so decoding them gives ``None`` and
    encoding them ignores it; fmt 2 needs it to write the reply.
    """

    id: Count
    element: CreatedElement | None = None
