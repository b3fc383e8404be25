"""pytest-benchmark: decode and encode per fmt x list kind x charset at 1k and 100k records, and
the payloads users have beside the favourable ones (fmt 3 in the seed's layout, fmt 1 with phone
lists and commas in names).

    python -m pytest benches --benchmark-group-by=group          # measure
    python -m pytest benches --benchmark-disable -q              # smoke: each runs once

Not part of the default test paths (``testpaths = ["tests"]``).  Groups are "<direction> fmt N
<kind>", so one table compares sizes and charsets within a fmt and direction.  Ratios against
hand-written baselines are benches/compare.py's job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import corpus
import pytest

import fmtcodec
from fmtcodec import BlacklistEntry, Contact, Group

KINDS: dict[str, tuple[type, Callable[[int], list[Any]]]] = {
    "contacts": (Contact, corpus.contacts),
    "realistic-contacts": (Contact, corpus.realistic_contacts),
    "groups": (Group, corpus.groups),
    "blacklist": (BlacklistEntry, corpus.blacklist),
}
SIZES = [1_000, 100_000]
CHARSETS = ["utf-8", "cp1251"]
_PAYLOADS: dict[tuple[str, int, int, str], tuple[list[Any], bytes]] = {}


def _case(kind: str, size: int, fmt: int, charset: str) -> tuple[list[Any], bytes]:
    key = (kind, size, fmt, charset)
    if key not in _PAYLOADS:
        records = KINDS[kind][1](size)
        if fmt == 1 and kind == "contacts":  # the favourable case: no comma inside a value
            records = corpus.comma_free(records)
        _PAYLOADS[key] = (records, fmtcodec.encode(records, fmt=fmt, charset=charset))
    return _PAYLOADS[key]


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
def test_decode(benchmark: Any, fmt: int, kind: str, size: int, charset: str) -> None:
    records, payload = _case(kind, size, fmt, charset)
    benchmark.group = f"decode fmt {fmt} {kind}"
    result = benchmark(fmtcodec.decode, payload, list[KINDS[kind][0]], fmt=fmt, charset=charset)
    assert result == records


@pytest.mark.parametrize("size", SIZES)
def test_decode_seed_json(benchmark: Any, size: int) -> None:
    """fmt 3 as the seed writes it: ``"group": 5922``, a bare number."""
    records = corpus.grouped(corpus.contacts(size))
    payload = corpus.seed_json(fmtcodec.encode(records, fmt=3))
    assert b'"group": 5' in payload
    benchmark.group = "decode fmt 3 contacts"
    assert benchmark(fmtcodec.decode, payload, list[Contact], fmt=3) == records


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
def test_encode(benchmark: Any, fmt: int, kind: str, size: int, charset: str) -> None:
    records, payload = _case(kind, size, fmt, charset)
    benchmark.group = f"encode fmt {fmt} {kind}"
    assert benchmark(fmtcodec.encode, records, fmt=fmt, charset=charset) == payload
