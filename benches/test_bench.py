"""pytest-benchmark: decode and encode per fmt x list kind at 1k and 100k records.

    python -m pytest benches --benchmark-group-by=group          # measure
    python -m pytest benches --benchmark-disable -q              # smoke: each runs once

Not part of the default test paths (``testpaths = ["tests"]``).  Groups are "<direction> fmt N
<kind>", so one table compares sizes within a fmt and direction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import corpus
import msgspec
import pytest

import fmtcodec
from fmtcodec import BlacklistEntry, Contact, Group

KINDS: dict[str, tuple[type, Callable[[int], list[Any]]]] = {
    "contacts": (Contact, corpus.contacts),
    "groups": (Group, corpus.groups),
    "blacklist": (BlacklistEntry, corpus.blacklist),
}
SIZES = [1_000, 100_000]
_PAYLOADS: dict[tuple[str, int, int], tuple[list[Any], bytes]] = {}


def _case(kind: str, size: int, fmt: int) -> tuple[list[Any], bytes]:
    key = (kind, size, fmt)
    if key not in _PAYLOADS:
        records = KINDS[kind][1](size)
        if fmt == 1:  # fmt 1 refuses rows it could not split back: bench rows without commas
            records = [r for r in records if "," not in "".join(map(str, msgspec.structs.astuple(r)))]
        _PAYLOADS[key] = (records, fmtcodec.encode(records, fmt=fmt))
    return _PAYLOADS[key]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
def test_decode(benchmark: Any, fmt: int, kind: str, size: int) -> None:
    records, payload = _case(kind, size, fmt)
    benchmark.group = f"decode fmt {fmt} {kind}"
    result = benchmark(fmtcodec.decode, payload, list[KINDS[kind][0]], fmt=fmt)
    assert result == records


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
def test_encode(benchmark: Any, fmt: int, kind: str, size: int) -> None:
    records, payload = _case(kind, size, fmt)
    benchmark.group = f"encode fmt {fmt} {kind}"
    assert benchmark(fmtcodec.encode, records, fmt=fmt) == payload
