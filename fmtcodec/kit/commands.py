"""The request side of the contacts service: one typed record per command, and the request that
carries it (credentials, ``fmt``, ``charset``).

Commands and parameters are those of facts §2.1-§2.3 (spec/requests.md, "Commands"). Attribute
names are the ``phones.php`` wire names, so a command reads like the URL it becomes; on
``mails.php`` three of them are spelled differently on the wire (``MAIL_NAMES``).

A parameter a command leaves out is ``None``: on the wire it is absent, which is not the same as
present and empty (``chg=1&phone=…&name=`` clears the name; leaving ``name`` out keeps it).
"""

from __future__ import annotations

from typing import Literal

import msgspec

from fmtcodec.records import Count

__all__ = [
    "COMMANDS",
    "MAIL_NAMES",
    "AddBlacklist",
    "AddContact",
    "AddGroup",
    "ChangeContact",
    "ChangeGroup",
    "Command",
    "DeleteBlacklist",
    "DeleteContact",
    "DeleteGroup",
    "ListBlacklist",
    "ListContacts",
    "ListGroups",
    "MoveGroup",
    "Request",
    "ServiceName",
]

ServiceName = Literal["phones", "mails"]
"""``phones.php`` (phone contacts) or ``mails.php`` (its e-mail twin, facts §2.1: never seen)."""

MAIL_NAMES = {"phone": "mail", "new_phone": "new_mail", "pho": "mail_other"}
"""Wire names on ``mails.php`` of the attributes that name a phone (the seed: "Для e-mail адресов
заменяется на <mail>", "… на <mail_other>"; ``new_mail`` is an assumption by symmetry)."""


class _Command(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Common base: which service the command goes to."""

    service: ServiceName = "phones"


class AddContact(_Command, frozen=True, kw_only=True):
    """``add=1``: create a contact (facts §2.1: ``phone`` and ``name`` required).

    ``phone`` may list several numbers joined by ``,``; ``grp`` is comma-joined group ids; ``bd``
    is ``dd.mm.yyyy``; ``pho`` other numbers; ``lmt`` a message limit (facts §2.3).
    """

    phone: str
    name: str
    grp: str | None = None
    fnm: str | None = None
    mnm: str | None = None
    lnm: str | None = None
    bd: str | None = None
    myid: str | None = None
    cmt: str | None = None
    tags: str | None = None
    pho: str | None = None
    lmt: str | None = None


class ChangeContact(_Command, frozen=True, kw_only=True):
    """``chg=1``: change the contact that has ``phone``; ``new_phone`` replaces its numbers, every
    other parameter given replaces that field (facts §2.1, §2.4)."""

    phone: str
    new_phone: str | None = None
    name: str | None = None
    grp: str | None = None
    fnm: str | None = None
    mnm: str | None = None
    lnm: str | None = None
    bd: str | None = None
    myid: str | None = None
    cmt: str | None = None
    tags: str | None = None
    pho: str | None = None
    lmt: str | None = None


class DeleteContact(_Command, frozen=True, kw_only=True):
    """``del=1``: delete the contact that has ``phone``."""

    phone: str


class ListContacts(_Command, frozen=True, kw_only=True):
    """``get=1``: list every contact (facts §3.4: no paging or filter was ever seen)."""


class AddGroup(_Command, frozen=True, kw_only=True):
    """``add_group=1``: create a group, optionally with a mailing ``num`` (facts §2.3)."""

    name: str
    num: Count | None = None


class ChangeGroup(_Command, frozen=True, kw_only=True):
    """``chg_group=1``: rename group ``grp``."""

    grp: Count
    name: str


class MoveGroup(_Command, frozen=True, kw_only=True):
    """``move_group=N``: 1 moves the contact into group ``grp`` (leaving its others), 2 adds ``grp``
    to its groups, 3 takes it out of ``grp`` (facts §2.1)."""

    move_group: Literal[1, 2, 3]
    grp: Count
    phone: str


class DeleteGroup(_Command, frozen=True, kw_only=True):
    """``del_group=1``: delete group ``grp``."""

    grp: Count


class ListGroups(_Command, frozen=True, kw_only=True):
    """``get_group=1``: list every group."""


class AddBlacklist(_Command, frozen=True, kw_only=True):
    """``add_black=1``: add a number to the blacklist (facts §2.1; ``cmt`` is an assumption: the
    seed's list shows a comment for each entry)."""

    phone: str
    cmt: str | None = None


class DeleteBlacklist(_Command, frozen=True, kw_only=True):
    """``del_black=1``: take a number off the blacklist."""

    phone: str


class ListBlacklist(_Command, frozen=True, kw_only=True):
    """``get_black=1``: list the blacklist (the name is facts §2.1's guess by symmetry, [U])."""


Command = (
    AddContact
    | ChangeContact
    | DeleteContact
    | ListContacts
    | AddGroup
    | ChangeGroup
    | MoveGroup
    | DeleteGroup
    | ListGroups
    | AddBlacklist
    | DeleteBlacklist
    | ListBlacklist
)
"""Any command of the contacts service."""

COMMANDS: dict[str, type[Command]] = {
    "add": AddContact,
    "chg": ChangeContact,
    "del": DeleteContact,
    "get": ListContacts,
    "add_group": AddGroup,
    "chg_group": ChangeGroup,
    "move_group": MoveGroup,
    "del_group": DeleteGroup,
    "get_group": ListGroups,
    "add_black": AddBlacklist,
    "del_black": DeleteBlacklist,
    "get_black": ListBlacklist,
}
"""Commands by their query flag (``add=1`` …; ``move_group`` carries the mode 1, 2 or 3)."""


class Request(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A command with what every request carries: credentials, ``fmt`` and ``charset``.

    ``login`` with ``psw`` (the password or its lower-case MD5 hex), or ``apikey`` (facts §1.4).
    ``fmt`` and ``charset`` left ``None`` are not sent: the service then answers in fmt 0 and
    windows-1251, and reads the request's own bytes as windows-1251 (facts §1.1, §11).
    """

    command: Command
    login: str | None = None
    psw: str | None = None
    apikey: str | None = None
    fmt: int | None = None
    charset: str | None = None
