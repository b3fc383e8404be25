"""The work a test counts: a spy that wraps one function of a module (or one attribute of an
object) for the length of a ``with`` block, so the test can assert how often it ran -- a fast path
taken, a general path never asked.  (No clock: tests/ proves bounded work by counting it.)"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from unittest import mock


@contextlib.contextmanager
def counted(owner: Any, name: str) -> Iterator[mock.MagicMock]:
    """``owner.name`` replaced, while the block runs, by a spy that calls it and counts the calls."""
    with mock.patch.object(owner, name, wraps=getattr(owner, name)) as spy:
        yield spy
