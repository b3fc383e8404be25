"""Issue 15, items 1-5 and the pins of item 14: what users and adversaries found after round 2.

Each test states the rule it holds the code to; most compare the compiled core with the pure path
(``_core.pure()``), since the issue's bugs were places where the two parted.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import fmtcodec
from fmtcodec import BlacklistEntry, Contact, Group, _core
from fmtcodec import text as fmt0
from fmtcodec import values as fmt1
from fmtcodec.errors import DecodeError, EncodeError, FmtcodecError

compiled_only = pytest.mark.skipif(_core.CORE is None, reason="the compiled core is not built or FMTCODEC_PURE is set")


def _outcome(run: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("value", run())
    except FmtcodecError as exc:
        return ("error", f"{type(exc).__name__}: {exc}")


def _on_both_paths(run: Callable[[], Any]) -> tuple[str, Any]:
    """The outcome of ``run`` with the compiled core as loaded and on the pure path: equal."""
    used = _outcome(run)
    with _core.pure():
        pure = _outcome(run)
    assert used == pure
    return used


# 1. A str subclass payload ------------------------------------------------------------------------


class _Text(str):
    """A caller's own string type (a str subclass): its characters are the payload."""


class _Lying(str):
    """A str subclass whose methods lie: the codec reads its characters, never its methods."""

    def split(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the codec called the subclass's split")

    def count(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the codec called the subclass's count")

    def __str__(self) -> str:
        return "ERROR = 1 (not the payload)"


GROUPS = [Group(id=1, name="a, b", number=5, cnt=None), Group(id=2, name="c", number=None, cnt=7)]


@pytest.mark.parametrize("subclass", [_Text, _Lying])
@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
@pytest.mark.parametrize("explicit", [True, False])
def test_a_str_subclass_payload_decodes_as_its_characters(subclass, fmt, explicit):
    """Before: ``TypeError: Argument 'text' has incorrect type`` from the compiled core (fmt 0
    and 1), while the pure path decoded it."""
    payload = subclass(fmtcodec.encode(GROUPS, fmt=fmt).decode())
    given = fmt if explicit else None
    assert _on_both_paths(lambda: fmtcodec.decode(payload, list[Group], fmt=given)) == ("value", GROUPS)
    assert _on_both_paths(lambda: fmtcodec.detect_fmt(payload, list[Group])) == ("value", fmt)


@pytest.mark.parametrize("fmt", [0, 1])
def test_a_str_subclass_payload_errs_as_a_str_does(fmt):
    plain = fmtcodec.encode(GROUPS, fmt=fmt).decode().replace("5", "05", 1)
    expected = _on_both_paths(lambda: fmtcodec.decode(plain, list[Group], fmt=fmt))
    assert expected[0] == "error" and "got '05'" in expected[1]
    assert _on_both_paths(lambda: fmtcodec.decode(_Text(plain), list[Group], fmt=fmt)) == expected
    assert _on_both_paths(lambda: fmtcodec.decode(_Text(plain), list[Group])) == expected


# 4. The compiled writers and a list that changes under them ---------------------------------------

_MUTATING_WRITERS = textwrap.dedent(
    """
    import sys
    from fmtcodec import _core

    core = _core.CORE
    rows = []

    class Shrinking:
        # a record whose attribute access empties the list being written
        def __getattr__(self, name):
            rows.clear()
            return "1"

    class Growing:
        def __getattr__(self, name):
            rows.append(Growing())
            return "1"

    names = ("id", "name", "number", "cnt")
    separators = ("id = ", ", name = ", ", number = ", ", cnt = ")
    for make, writer in [
        (Shrinking, lambda: core.fmt0_lines(rows, names, separators)),
        (Shrinking, lambda: core.fmt1_lines(rows, names, (3, 0, 3, 3), (False, True, True, True))),
        (Growing, lambda: core.fmt0_lines(rows, names, separators)),
        (Growing, lambda: core.fmt1_lines(rows, names, (3, 0, 3, 3), (False, True, True, True))),
    ]:
        rows[:] = [make() for _ in range(1000)]
        print(repr(writer()))
    """
)


@compiled_only
def test_the_compiled_writers_are_memory_safe_when_the_list_changes_under_them():
    """Before: the writers read ``len(records)`` once and indexed with bounds checks off, so a
    record that empties the list made them read past its end: the interpreter died (SIGSEGV).
    Run in a subprocess so that a crash fails this test instead of ending pytest.  The writers
    write the rows the list held when they were called."""
    done = subprocess.run([sys.executable, "-c", _MUTATING_WRITERS], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    fmt0_rows = "\n".join(["id = 1, name = 1, number = 1, cnt = 1"] * 1000)
    fmt1_rows = "\n".join(["1,1,1,1"] * 1000)
    assert done.stdout.splitlines() == [repr(fmt0_rows), repr(fmt1_rows)] * 2
