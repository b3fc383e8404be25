"""The fake service's state and rules: contacts, groups and blacklist of one account, in memory.

A ``Book`` holds one service's data (``phones.php`` or ``mails.php``) and carries out commands
with the service's rules, raising ``ServiceError`` with the code the service answers; it knows
nothing of HTTP or fmts (the backend/front split of moto). Which code for which case is
spec/requests.md, "The fake service", each rule with its source.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import msgspec

from fmtcodec.kit.commands import (
    AddBlacklist,
    AddContact,
    AddGroup,
    ChangeContact,
    ChangeGroup,
    Command,
    DeleteBlacklist,
    DeleteContact,
    DeleteGroup,
    ListBlacklist,
    ListContacts,
    ListGroups,
    MoveGroup,
    ServiceName,
)
from fmtcodec.records import (
    BlacklistEntry,
    Contact,
    Created,
    CreatedElement,
    Group,
    MailBlacklistEntry,
    MailContact,
    Ok,
)

__all__ = ["ERROR_TEXTS", "Book", "ServiceError", "Store"]

ERROR_TEXTS = {
    1: "parameters error",  # facts §1.2, captures 17, 23, 24
    2: "authorise error",  # [U] the text other clients' code quotes for send.php
    3: "record not found",  # facts §1.2, captures 16, 22
    4: "ip blocked",  # [U] no capture or page shows it
    5: "save error",  # facts §1.2, captures 18, 19
    9: "duplicate request, wait a minute",  # [U] the text other clients' code quotes for send.php
}
"""The short English descriptions the service writes after each code (facts §1.2)."""

_BIRTHDAY = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}")
_GROUP_LIST = re.compile(r"[0-9]+(?: *, *[0-9]+)*")
_NUMBER_SEPARATORS = re.compile(r"[,;]")


class ServiceError(Exception):
    """The service answers error ``code`` (``ERROR_TEXTS`` gives its description)."""

    def __init__(self, code: int, why: str) -> None:
        super().__init__(f"error {code}: {why}")
        self.code = code
        self.why = why


@dataclass
class _Person:
    """A stored contact: the server's own id, the record as listed, and the message limit."""

    key: int
    record: Any
    lmt: str = ""


@dataclass
class _Group:
    id: int
    name: str
    number: int | None


@dataclass
class Book:
    """One service's contacts, groups and blacklist, with the service's rules.

    ``ucfirst_groups``: the 2013 server stored group names with the first ASCII letter upper-cased
    (captures 12-14 send ``new group`` and ``my group``, list 25 shows ``New group`` and ``My group
    new name``); the ``2013`` profile turns it on.
    """

    service: ServiceName = "phones"
    ucfirst_groups: bool = False
    first_id: int = 1
    """The first id the book assigns (the 2013 server's were in the thousands: 5921…)."""
    _people: dict[int, _Person] = field(default_factory=dict)
    _groups: dict[int, _Group] = field(default_factory=dict)
    _black: dict[int, Any] = field(default_factory=dict)
    _ids: Iterator[int] = field(init=False)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self._ids = itertools.count(self.first_id)

    # -- what tests seed and inspect -------------------------------------------------------

    @property
    def contacts(self) -> list[Any]:
        """The contact list as ``get=1`` gives it (``Contact`` or ``MailContact``), oldest first."""
        with self._lock:
            return [person.record for person in self._people.values()]

    def groups(self, *, with_cnt: bool = False) -> list[Group]:
        """The group list as ``get_group=1`` gives it: by name, then number (none first), then id,
        the order of captures 25 and 46; ``cnt`` counted when ``with_cnt``."""
        with self._lock:
            found = sorted(
                self._groups.values(), key=lambda g: (g.name, -1 if g.number is None else g.number, g.id)
            )
            return [
                Group(id=g.id, name=g.name, number=g.number, cnt=self._count(g.id) if with_cnt else None)
                for g in found
            ]

    @property
    def blacklist(self) -> list[Any]:
        """The blacklist (``BlacklistEntry`` or ``MailBlacklistEntry``), oldest first."""
        with self._lock:
            return list(self._black.values())

    def put_contact(self, record: Contact | MailContact, *, lmt: str = "") -> int:
        """Store ``record`` exactly as given (no rule applied) and return its server id."""
        with self._lock:
            key = next(self._ids)
            self._people[key] = _Person(key, record, lmt)
            return key

    def clear(self) -> None:
        """Forget every contact, group and blacklist entry."""
        with self._lock:
            self._people.clear()
            self._groups.clear()
            self._black.clear()
            self._ids = itertools.count(self.first_id)

    # -- commands --------------------------------------------------------------------------

    def execute(self, command: Command, *, with_cnt: bool = False) -> Created | Ok | list[Any]:
        """Carry out ``command``; ``ServiceError`` with the code the service answers."""
        handler = _HANDLERS[type(command)]
        with self._lock:
            result: Created | Ok | list[Any] = handler(self, command)
        if isinstance(command, ListGroups):
            result = self.groups(with_cnt=with_cnt)
        if isinstance(result, list) and not result:
            # The service answers an empty list with error 3, "no records found" (seed table).
            raise ServiceError(3, "the list is empty")
        return result

    def _add(self, command: AddContact) -> Created:
        phones = self._numbers(command.phone, "phone")
        self._check_free(phones, None)
        if not command.name:
            raise ServiceError(1, "`name` is empty")
        record = self._record(None, command, phones)
        key = next(self._ids)
        self._people[key] = _Person(key, record, command.lmt or "")
        return Created(id=key, element=self._element)

    def _change(self, command: ChangeContact) -> Ok:
        person = self._find(command.phone)
        phones = None
        if command.new_phone is not None:
            phones = self._numbers(command.new_phone, "new_phone")
            self._check_free(phones, person.key)
        if command.name == "":
            raise ServiceError(1, "`name` is empty")
        person.record = self._record(person.record, command, phones)
        if command.lmt is not None:
            person.lmt = command.lmt
        return Ok()

    def _delete(self, command: DeleteContact) -> Ok:
        del self._people[self._find(command.phone).key]
        return Ok()

    def _list(self, command: ListContacts) -> list[Any]:
        return [person.record for person in self._people.values()]

    def _add_group(self, command: AddGroup) -> Created:
        name = self._group_name(command.name)
        if command.num is not None and any(g.number == command.num for g in self._groups.values()):
            raise ServiceError(5, f"group number {command.num} is taken")  # captures 19, 32
        key = next(self._ids)
        self._groups[key] = _Group(key, name, command.num)
        return Created(id=key, element="group")

    def _change_group(self, command: ChangeGroup) -> Ok:
        group = self._group(command.grp)
        group.name = self._group_name(command.name)
        return Ok()

    def _move(self, command: MoveGroup) -> Ok:
        self._group(command.grp)
        person = self._find(command.phone)
        ids = [part for part in person.record.group.split(",") if part]
        grp = str(command.grp)
        if command.move_group == 1:
            ids = [grp]
        elif command.move_group == 2:
            ids = ids if grp in ids else [*ids, grp]
        else:
            ids = [part for part in ids if part != grp]
        person.record = msgspec.structs.replace(person.record, group=",".join(ids))
        return Ok()

    def _delete_group(self, command: DeleteGroup) -> Ok:
        self._group(command.grp)
        del self._groups[command.grp]
        gone = str(command.grp)
        for person in self._people.values():
            ids = person.record.group.split(",")
            if gone in ids:
                kept = ",".join(part for part in ids if part != gone)
                person.record = msgspec.structs.replace(person.record, group=kept)
        return Ok()

    def _groups_command(self, command: ListGroups) -> list[Any]:
        return list(self._groups.values())

    def _add_black(self, command: AddBlacklist) -> Created:
        (number,) = self._numbers(command.phone, "phone", single=True)
        if any(self._entry_address(entry) == number for entry in self._black.values()):
            raise ServiceError(5, f"{number} is already blacklisted")
        key = next(self._ids)
        kind = MailBlacklistEntry if self.service == "mails" else BlacklistEntry
        self._black[key] = kind(key, number, comment=command.cmt or "")
        return Created(id=key, element=self._element)

    def _delete_black(self, command: DeleteBlacklist) -> Ok:
        (number,) = self._numbers(command.phone, "phone", single=True)
        for key, entry in self._black.items():
            if self._entry_address(entry) == number:
                del self._black[key]
                return Ok()
        raise ServiceError(3, f"{number} is not blacklisted")

    def _list_black(self, command: ListBlacklist) -> list[Any]:
        return list(self._black.values())

    # -- rules shared by the commands ------------------------------------------------------

    @property
    def _element(self) -> CreatedElement:
        return "mail" if self.service == "mails" else "phone"

    @staticmethod
    def _entry_address(entry: Any) -> str:
        return str(entry.email if isinstance(entry, MailBlacklistEntry) else entry.phone)

    def _numbers(self, text: str, name: str, *, single: bool = False) -> list[str]:
        """The numbers (addresses) a ``phone`` parameter lists, as the server stores them.

        Phones keep their digits only: capture 27 changes the phone to ``+79221113340`` and list
        28 shows ``79221113340``. Addresses are kept as sent, spaces around them dropped.
        """
        parts = [part.strip() for part in _NUMBER_SEPARATORS.split(text)]
        if self.service == "phones":
            parts = ["".join(char for char in part if char in "0123456789") for part in parts]
        parts = [part for part in parts if part]
        if not parts or (single and len(parts) != 1):
            raise ServiceError(1, f"`{name}` holds no {'address' if self.service == 'mails' else 'number'}")
        return parts

    def _check_free(self, numbers: list[str], owner: int | None) -> None:
        for person in self._people.values():
            if person.key != owner and not set(numbers).isdisjoint(self._person_numbers(person)):
                raise ServiceError(5, "a contact with that number exists")

    def _person_numbers(self, person: _Person) -> list[str]:
        text = person.record.mail if self.service == "mails" else person.record.phone
        try:
            return self._numbers(text, "phone")
        except ServiceError:
            return []

    def _find(self, phone: str) -> _Person:
        wanted = set(self._numbers(phone, "phone"))
        for person in self._people.values():
            if not wanted.isdisjoint(self._person_numbers(person)):
                return person
        raise ServiceError(3, "no contact has that number")

    def _group(self, grp: int) -> _Group:
        found = self._groups.get(grp)
        if found is None:
            raise ServiceError(3, f"no group {grp}")  # captures 16, 22
        return found

    def _group_name(self, name: str) -> str:
        if not name:
            raise ServiceError(1, "`name` is empty")  # capture 17
        if not name.strip():
            raise ServiceError(5, "`name` is blank")  # capture 18
        if self.ucfirst_groups and name[0].isascii():
            return name[0].upper() + name[1:]
        return name

    def _groups_of(self, grp: str) -> str:
        if _GROUP_LIST.fullmatch(grp) is None:
            raise ServiceError(1, f"`grp` {grp!r} is not a list of group ids")
        ids = [part.strip() for part in grp.split(",")]
        for part in ids:
            self._group(int(part))
        return ",".join(ids)

    def _record(self, old: Any, command: AddContact | ChangeContact, phones: list[str] | None) -> Any:
        if command.bd and _BIRTHDAY.fullmatch(command.bd) is None:
            raise ServiceError(1, "`bd` is not dd.mm.yyyy")
        changes: dict[str, str] = {}
        if phones is not None:
            changes["mail" if self.service == "mails" else "phone"] = ",".join(phones)
        if command.grp is not None:
            changes["group"] = self._groups_of(command.grp) if command.grp else ""
        for wire, attribute in _PERSON_FIELDS.items():
            value = getattr(command, wire)
            if value is not None:
                changes[
                    "mail_other" if attribute == "phone_other" and self.service == "mails" else attribute
                ] = value
        if old is not None:
            return msgspec.structs.replace(old, **changes)
        kind = MailContact if self.service == "mails" else Contact
        return kind(**changes)

    def _count(self, group: int) -> int:
        return sum(str(group) in person.record.group.split(",") for person in self._people.values())


_PERSON_FIELDS = {
    "name": "name",
    "fnm": "first_name",
    "lnm": "last_name",
    "mnm": "middle_name",
    "bd": "birthday",
    "myid": "id",
    "cmt": "comments",
    "tags": "tags",
    "pho": "phone_other",
}
"""Request parameter -> contact field (facts §3.4: ``fnm`` -> ``first_name`` …, ``myid`` -> ``id``)."""

_HANDLERS: dict[type[Any], Any] = {
    AddContact: Book._add,
    ChangeContact: Book._change,
    DeleteContact: Book._delete,
    ListContacts: Book._list,
    AddGroup: Book._add_group,
    ChangeGroup: Book._change_group,
    MoveGroup: Book._move,
    DeleteGroup: Book._delete_group,
    ListGroups: Book._groups_command,
    AddBlacklist: Book._add_black,
    DeleteBlacklist: Book._delete_black,
    ListBlacklist: Book._list_black,
}


@dataclass
class Store:
    """Everything one account keeps: the ``phones.php`` book and the ``mails.php`` book."""

    ucfirst_groups: bool = False
    first_id: int = 1
    phones: Book = field(init=False)
    mails: Book = field(init=False)

    def __post_init__(self) -> None:
        self.phones = Book("phones", self.ucfirst_groups, self.first_id)
        self.mails = Book("mails", self.ucfirst_groups, self.first_id)

    def book(self, service: ServiceName) -> Book:
        return self.mails if service == "mails" else self.phones

    def clear(self) -> None:
        self.phones.clear()
        self.mails.clear()
