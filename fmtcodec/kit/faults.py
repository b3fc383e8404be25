"""Faults the fake service can inject, for testing a client's robustness, and the plan that says
when: the next request(s), or every Nth request.

Each fault is what a client meets on a bad day with the real service: an HTTP 500 page from the
front server, a body cut short, a slow answer, a connection dropped without an answer, and a
plain-text ``ERROR = N (…)`` whatever ``fmt`` was asked (spec/requests.md, "Faults").
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

__all__ = ["CutShort", "Delay", "Drop", "Fault", "FaultPlan", "PlainError", "ServerError", "parse_fault"]


@dataclass(frozen=True)
class ServerError:
    """HTTP 500 with a small HTML page, as a front server in trouble sends it."""


@dataclass(frozen=True)
class CutShort:
    """The reply's headers announce the whole body; only the first ``keep`` of it (0 to 1) is sent
    before the connection is closed."""

    keep: float = 0.5


@dataclass(frozen=True)
class Delay:
    """The reply comes ``seconds`` late (a real sleep: a client timeout is what it tests)."""

    seconds: float = 1.0


@dataclass(frozen=True)
class Drop:
    """The connection is closed without any reply."""


@dataclass(frozen=True)
class PlainError:
    """``ERROR = code (description)`` in fmt 0, whatever ``fmt`` the request asked for."""

    code: int = 1


Fault = ServerError | CutShort | Delay | Drop | PlainError
"""Any fault."""

_NAMES: dict[str, type[Fault]] = {
    "500": ServerError,
    "cut": CutShort,
    "delay": Delay,
    "drop": Drop,
    "error": PlainError,
}


def parse_fault(text: str) -> Fault:
    """A fault from its command-line form: ``500``, ``cut[:KEEP]``, ``delay[:SECONDS]``, ``drop``,
    ``error[:CODE]``; ``ValueError`` for anything else."""
    name, _, argument = text.partition(":")
    kind = _NAMES.get(name)
    if kind is None:
        raise ValueError(f"unknown fault {name!r}: one of {', '.join(_NAMES)}")
    if not argument:
        return kind()
    if kind is CutShort:
        keep = float(argument)
        if not 0 <= keep < 1:
            raise ValueError(f"cut keeps a fraction in [0, 1), got {argument}")
        return CutShort(keep)
    if kind is Delay:
        seconds = float(argument)
        if not 0 <= seconds <= 3600:
            raise ValueError(f"delay takes 0 to 3600 seconds, got {argument}")
        return Delay(seconds)
    if kind is PlainError:
        return PlainError(int(argument))
    raise ValueError(f"fault {name!r} takes no argument")


class FaultPlan:
    """When to inject which fault; safe to change from a test while the server runs.

    ``once(fault, times=1)`` queues a fault for the next request(s); ``every(n, fault)`` injects
    it into every ``n``-th request from now on (the ``n``-th, ``2n``-th …); ``clear()`` stops
    both. Queued faults go first. With ``path`` (``"/sys/phones.php"``) a fault is for that
    page's requests only, and ``every`` counts only them; without, every page's.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[tuple[Fault, str | None]] = []
        self._every: tuple[int, Fault, str | None] | None = None
        self._seen = 0

    def once(self, fault: Fault, times: int = 1, *, path: str | None = None) -> None:
        with self._lock:
            self._queue.extend([(fault, path)] * times)

    def every(self, n: int, fault: Fault, *, path: str | None = None) -> None:
        if n < 1:
            raise ValueError(f"every takes n >= 1, got {n}")
        with self._lock:
            self._every = (n, fault, path)
            self._seen = 0

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self._every = None
            self._seen = 0

    @property
    def seen(self) -> int:
        """Requests counted since the plan was last set (``every``) or cleared."""
        with self._lock:
            return self._seen

    def next(self, path: str | None = None) -> Fault | None:
        """The fault for the request now arriving at ``path``, if any."""
        with self._lock:
            for index, (fault, only) in enumerate(self._queue):
                if only is None or only == path:
                    self._seen += 1
                    del self._queue[index]
                    return fault
            if self._every is not None:
                n, fault, only = self._every
                if only is None or only == path:
                    self._seen += 1
                    return fault if self._seen % n == 0 else None
                return None
            self._seen += 1
            return None
