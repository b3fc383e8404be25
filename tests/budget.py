"""How many examples the costliest properties draw: the differential ones, which decode or write
long replies on every path (compiled, pure fast, general) for every kind.

Under the ``dev`` and ``ci`` profiles (30 and 100 a property, tests/conftest.py) these draw at
most 50: a hundred such tests at CI's 100 would take as long as the rest of the property suite.
The ``thorough`` profile (5000) is not capped: the deep run is where their examples count."""

from __future__ import annotations

from hypothesis import settings

CAP = 50


def capped(cap: int = CAP) -> int:
    """``max_examples`` for a costly property under the profile in use."""
    drawn = settings.default.max_examples
    return drawn if drawn > 200 else min(drawn, cap)
