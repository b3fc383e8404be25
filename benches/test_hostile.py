"""pytest-benchmark: hostile inputs that must be refused quickly.

These timings were wall-clock assertions in the unit tests (``< 1.0 s`` and the like), which a
loaded machine can break; here they are measured, and ``benches/compare.py`` or
``--benchmark-compare`` judges them as ratios against a saved run.  The unit tests keep the
result (the exact error); tests/test_robustness.py proves the growth with size by counting work,
and benches/growth.py times it.

    python -m pytest benches/test_hostile.py --benchmark-group-by=group
"""

from __future__ import annotations

from typing import Any

import pytest

import fmtcodec
from fmtcodec import AmbiguousRecordError, Contact, DecodeError, Group

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<list><group><id>1</id><name>&lol3;</name></group></list>"""
DEEP_XML = b"<list>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</list>"
MANY_COMMAS = ("79221113340,Anderson,5922,T,A,A,01.01.1960,4321," + "x," * 9_000 + "ups,").encode()

CASES = {
    "billion-laughs": (BILLION_LAUGHS, list[Group], None, DecodeError),
    "deep-xml": (DEEP_XML, list[Group], None, DecodeError),
    "fmt1-9000-commas": (MANY_COMMAS, list[Contact], 1, AmbiguousRecordError),
}


def _refused(payload: bytes, kind: Any, fmt: int | None, error: type[Exception]) -> None:
    with pytest.raises(error):
        fmtcodec.decode(payload, kind, fmt=fmt)


@pytest.mark.parametrize("name", list(CASES))
def test_hostile(benchmark: Any, name: str) -> None:
    payload, kind, fmt, error = CASES[name]
    benchmark.group = "hostile"
    benchmark(_refused, payload, kind, fmt, error)
