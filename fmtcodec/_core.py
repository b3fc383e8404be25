"""Which speed the fast paths run at: the optional compiled core, or pure Python.

The compiled module (``fmtcodec._speedups``, built from ``_speedups.pyx`` when the package is
installed with a C compiler) is used when it imports and ``FMTCODEC_PURE`` is unset (or ``0``).
It only ever speeds up a fast path: it declines what it does not recognise (returns ``None``), and
the pure-Python code then decides, so results and errors are the same on both paths.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from fmtcodec.layout import RecordLayout
from fmtcodec.records import BlacklistType

__all__ = ["COMPILED", "CORE", "TYPE_CODES", "Plan", "plan", "pure", "writable"]

TYPE_CODES = {"str": 0, "int": 1, "int?": 2, "blacklist-type": 3}
"""The compiled core's code for each field ``type`` of spec/layout.toml."""

Plan = tuple[tuple[int, ...], tuple[BlacklistType, ...]]


_PLANS: dict[str, Plan] = {}


def plan(layout: RecordLayout) -> Plan:
    """What the compiled core is told of a kind: its fields' type codes in wire order, and the
    blacklist types by number (the field list itself is never copied into the core)."""
    found = _PLANS.get(layout.kind)
    if found is None:
        found = _PLANS[layout.kind] = (
            tuple(TYPE_CODES[field.type] for field in layout.fields),
            tuple(BlacklistType),
        )
    return found


def writable(layout: RecordLayout) -> bool:
    """Whether the compiled writers know this kind: a ``simple`` one (where the table says so),
    every field of a type in ``TYPE_CODES``; any other kind is the pure paths' to write."""
    return layout.simple and all(field.type in TYPE_CODES for field in layout.fields)


def _load() -> ModuleType | None:
    if os.environ.get("FMTCODEC_PURE", "") not in ("", "0"):
        return None
    try:
        from fmtcodec import _speedups  # type: ignore[attr-defined]  # built only with a compiler
    except ImportError:
        return None
    return _speedups  # type: ignore[no-any-return]


CORE: ModuleType | None = _load()
"""The compiled core in use, ``None`` on the pure path (tests and benches switch it by ``pure``)."""

COMPILED: bool = CORE is not None
"""Whether the compiled core was active when fmtcodec was imported."""


@contextmanager
def pure() -> Iterator[None]:
    """Run the pure-Python path for the duration (for differential tests and benchmarks)."""
    global CORE
    kept, CORE = CORE, None
    try:
        yield
    finally:
        CORE = kept
