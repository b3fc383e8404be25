"""Seeded generator of realistic contact lists for the benchmarks (no randomness between runs)."""

from __future__ import annotations

import random

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
