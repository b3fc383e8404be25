"""What a user writes by hand to read a reply of each fmt: the contenders of compare.py.

Each builder takes the UTF-8 payload and gives the same records fmtcodec gives (compare.py checks
that before timing).  They know the one layout they were written for and check nothing, which is
what makes them the bar: fmtcodec must come near them while refusing what they would misread.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import msgspec
from lxml import etree

from fmtcodec import BlacklistEntry, BlacklistType, Contact, Group

CONTACT_FIELDS = list(msgspec.structs.fields(Contact))


class SeedContact(msgspec.Struct, frozen=True, gc=False):
    """The seed's fmt 3 layout typed the way a hand-written client would: ``group: int``."""

    phone: str
    name: str = ""
    group: int = 0
    first_name: str = ""
    last_name: str = ""
    middle_name: str = ""
    birthday: str = ""
    id: str = ""
    comments: str = ""
    tags: str = ""
    phone_other: str = ""


def _optional(text: str | None) -> int | None:
    return int(text) if text else None


# Per kind: the record type, and how a hand-written client turns its wire texts into one.
def _group(texts: dict[str, str]) -> Group:
    return Group(int(texts["id"]), texts.get("name") or "", _optional(texts.get("number")), _optional(texts.get("cnt")))


def _blacklist(texts: dict[str, str]) -> BlacklistEntry:
    return BlacklistEntry(int(texts["id"]), texts["phone"], BlacklistType(int(texts["type"])), texts.get("comment") or "")


def _contact(texts: dict[str, str]) -> Contact:
    return Contact(**{key: value or "" for key, value in texts.items()})


BUILD: dict[type, Callable[[dict[str, str]], Any]] = {Contact: _contact, Group: _group, BlacklistEntry: _blacklist}


def msgspec_typed(kind: type) -> Callable[[bytes], Any]:
    """A typed msgspec decoder; lax (``strict=False``) where the reply quotes numbers."""
    decoder = msgspec.json.Decoder(list[kind], strict=kind is Contact)  # type: ignore[valid-type]
    return decoder.decode


def seed_typed(payload: bytes) -> Any:
    return msgspec.json.Decoder(list[SeedContact]).decode(payload)


def json_loads(kind: type) -> Callable[[bytes], Any]:
    build = BUILD[kind]
    return lambda payload: [build({k: str(v) for k, v in item.items()}) for item in json.loads(payload)]


def lxml_walk(kind: type) -> Callable[[bytes], Any]:
    build = BUILD[kind]

    def walk(payload: bytes) -> list[Any]:
        root = etree.fromstring(payload)
        return [build({field.tag: field.text or "" for field in item}) for item in root]

    return walk


def split_loop(kind: type) -> Callable[[bytes], Any]:
    """One ``str.split`` per row; a group's name may hold commas, so its row is cut around it."""
    if kind is Contact:
        return lambda payload: [Contact(*row.split(",")) for row in payload.decode("utf-8").split("\n")]
    if kind is Group:

        def groups(payload: bytes) -> list[Group]:
            out = []
            for row in payload.decode("utf-8").split("\n"):
                head, rest = row.split(",", 1)
                name, number, cnt = rest.rsplit(",", 2)
                out.append(Group(int(head), name, _optional(number), _optional(cnt)))
            return out

        return groups

    def blacklist(payload: bytes) -> list[BlacklistEntry]:
        out = []
        for row in payload.decode("utf-8").split("\n"):
            head, phone, type_, comment = row.split(",", 3)
            out.append(BlacklistEntry(int(head), phone, BlacklistType(int(type_)), comment))
        return out

    return blacklist


def line_regex(kind: type) -> Callable[[bytes], Any]:
    names = [field.name for field in msgspec.structs.fields(kind)]
    line = re.compile(names[0] + " = (.*?)" + "".join(f", {name} = (.*?)" for name in names[1:-1]) + f", {names[-1]} = (.*)")
    build = BUILD[kind]

    def regex(payload: bytes) -> list[Any]:
        out = []
        for row in payload.decode("utf-8").split("\n"):
            found = line.fullmatch(row)
            assert found is not None
            out.append(build(dict(zip(names, found.groups(), strict=True))))
        return out

    return regex


def fstring_0(records: list[Contact]) -> bytes:
    return "\n".join(
        f"phone = {c.phone}, name = {c.name}, group = {c.group}, first_name = {c.first_name},"
        f" last_name = {c.last_name}, middle_name = {c.middle_name}, birthday = {c.birthday},"
        f" id = {c.id}, comments = {c.comments}, tags = {c.tags}, phone_other = {c.phone_other}"
        for c in records
    ).encode("utf-8")


def fstring_1(records: list[Contact]) -> bytes:
    return "\n".join(",".join(msgspec.structs.astuple(c)) for c in records).encode("utf-8")


def fstring_2(records: list[Contact]) -> bytes:
    names = [field.name for field in CONTACT_FIELDS]

    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    rows = "".join(
        "<contact>\n"
        + "".join(f"<{n}>{esc(v)}</{n}>\n" for n, v in zip(names, msgspec.structs.astuple(c), strict=True))
        + "</contact>\n"
        for c in records
    )
    return ('<?xml version="1.0" encoding="utf-8"?>\n<list>\n' + rows + "</list>").encode("utf-8")


def fstring_3(records: list[Contact]) -> bytes:
    names = [field.name for field in CONTACT_FIELDS]
    dumps = json.dumps
    objects = (
        "{\n" + ",\n".join(f'"{n}": {dumps(v, ensure_ascii=False)}' for n, v in zip(names, msgspec.structs.astuple(c), strict=True)) + "\n}"
        for c in records
    )
    return ("[" + ",\n".join(objects) + "]").encode("utf-8")
