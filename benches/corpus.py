"""Seeded generator of realistic contact lists for the benchmarks (no randomness between runs)."""

from __future__ import annotations

import random
import re
from typing import Any

import msgspec

from fmtcodec import BlacklistEntry, BlacklistType, Contact, Group

_FIRST = ["Пётр", "Анна", "Ivan", "Мария", "John", "Ольга", "Сергей", "Elena", ""]
_LAST = ["Иванов", "Петрова", "Smith", "Сидоров", "Кузнецова", "Brown", ""]
_MIDDLE = ["Ильич", "Сергеевна", "", "", "A."]
_COMMENTS = ["", "", "VIP", "звонить после 18:00", "Tom & Jerry", "оптовик; скидка 5%", "ООО «Ромашка»"]
_TAGS = ["", "vip", "опт", "new", "b2b"]


def contacts(count: int, seed: int = 2013) -> list[Contact]:
    """``count`` contacts: Cyrillic and Latin names, empty fields, commas in names, ``&``."""
    rng = random.Random(seed)
    out = []
    for index in range(count):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        name = f"{last}, {first}" if index % 7 == 0 else f"{first} {last}".strip()
        phone = f"79{rng.randrange(10**9):09d}"
        out.append(
            Contact(
                phone=phone if index % 11 else f"{phone}, 79{rng.randrange(10**9):09d}",
                name=name,
                group=str(rng.randrange(5000, 6000)) if index % 5 else "",
                first_name=first,
                last_name=last,
                middle_name=rng.choice(_MIDDLE),
                birthday=f"{rng.randrange(1, 29):02d}.{rng.randrange(1, 13):02d}.{rng.randrange(1940, 2010)}"
                if index % 3
                else "",
                id=str(index),
                comments=rng.choice(_COMMENTS),
                tags=rng.choice(_TAGS),
                phone_other=f"+79{rng.randrange(10**9):09d}" if index % 4 == 0 else "",
            )
        )
    return out


def groups(count: int, seed: int = 2013) -> list[Group]:
    rng = random.Random(seed)
    return [
        Group(
            id=5000 + index,
            name=f"Группа {index}, {rng.choice(_TAGS)}",
            number=rng.randrange(10000) if index % 2 else None,
            cnt=rng.randrange(100000) if index % 3 else None,
        )
        for index in range(count)
    ]


def blacklist(count: int, seed: int = 2013) -> list[BlacklistEntry]:
    rng = random.Random(seed)
    return [
        BlacklistEntry(
            id=index,
            phone=f"79{rng.randrange(10**9):09d}",
            type=BlacklistType(index % 3),
            comment=rng.choice(_COMMENTS),
        )
        for index in range(count)
    ]


def realistic_contacts(count: int, seed: int = 2013) -> list[Contact]:
    """``contacts`` as the real capture has them: every 4th contact lists two other phones,
    comma-joined (``…,ups,+79112223351,+79112223352``), besides the commas in names."""
    rng = random.Random(seed + 1)
    out = []
    for index, contact in enumerate(contacts(count, seed)):
        if index % 4 == 0:
            others = f"+79{rng.randrange(10**9):09d},+79{rng.randrange(10**9):09d}"
            contact = msgspec.structs.replace(contact, phone_other=others)
        out.append(contact)
    return out


def comma_free(records: list[Any]) -> list[Any]:
    """The records no value of which holds a comma (what a ``str.split`` loop can read)."""
    return [r for r in records if "," not in "".join(map(str, msgspec.structs.astuple(r)))]


def grouped(records: list[Contact]) -> list[Contact]:
    """Every contact in a group, so that the seed's fmt 3 layout writes a number for each."""
    return [r if r.group else msgspec.structs.replace(r, group=str(5000 + len(r.name))) for r in records]


def seed_json(payload: bytes) -> bytes:
    """A fmt 3 payload in the seed's own layout: ``"group": 5922``, a bare JSON number."""
    return re.sub(rb'"group": "([0-9]+)"', rb'"group": \1', payload)
