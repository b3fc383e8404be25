"""Error 9, "too many requests": a limiter with a rule per page (facts §12), constant work per
request and a bounded number of remembered requests.

A page says which requests count together (``key``: the bytes that make two requests "the same",
or just the page's name when every request counts) and how many fit in the window (``RateRule``).
The limiter remembers, per key, the times of the requests it let through -- at most ``limit``
times per key, so the memory per key is bounded -- and keys by a 16-byte digest, so a 32 KiB
request costs no more to remember than a short one.

Keys are kept in the order they were last used. Each request first forgets keys whose newest
time has left the window, oldest first, stopping at the first one still in it: each key is
forgotten once, so the work is constant per request on average whatever the number of keys.
When ``max_keys`` are remembered the least recently used key is forgotten to make room
(**Assumption**: a client sending more distinct requests than that within a minute is not one
the limit is meant to catch; the default 10 000 is far above the pages' thresholds).
"""

from __future__ import annotations

import collections
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["CONTACTS_RULE", "RateLimiter", "RateRule", "request_key"]


@dataclass(frozen=True)
class RateRule:
    """At most ``limit`` requests with the same key within ``window`` seconds; the next one is
    answered with error 9 (and not counted)."""

    limit: int
    window: float = 60.0


CONTACTS_RULE = RateRule(3)
"""contacts, groups, blacklist: "more than three identical requests within a minute" (facts §12,
seed code 9). The other pages' thresholds (facts §12) belong to those pages: send > 1 identical
send or > 5 identical cost requests, status > 5 for one message or > 1 mass request, balance > 10
requests of any kind, senders > 3 identical list or 5 create requests -- a page built later hands
its own ``RateRule`` and ``key`` to the same limiter."""


def request_key(*parts: bytes) -> bytes:
    """A 16-byte digest of ``parts`` (each length-prefixed, so no two lists of parts collide by
    concatenation): what the limiter keys by."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()


class _Times:
    __slots__ = ("times", "window")

    def __init__(self, window: float) -> None:
        self.times: collections.deque[float] = collections.deque()
        self.window = window


class RateLimiter:
    """Counts requests per key on ``clock`` (seconds); thread-safe.

    ``steps`` counts the remembered entries looked at or forgotten, the limiter's unit of work
    (tests compare it with the number of requests).
    """

    def __init__(self, clock: Callable[[], float], *, max_keys: int = 10_000) -> None:
        if max_keys < 1:
            raise ValueError(f"max_keys must be at least 1, got {max_keys}")
        self.clock = clock
        self.max_keys = max_keys
        self.steps = 0
        self._keys: collections.OrderedDict[bytes, _Times] = collections.OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many keys are remembered."""
        with self._lock:
            return len(self._keys)

    def admit(self, key: bytes, rule: RateRule) -> bool:
        """Whether a request with ``key`` is let through now (and then counted); ``False`` means
        error 9."""
        now = self.clock()
        with self._lock:
            self._forget_old(now)
            entry = self._keys.get(key)
            self.steps += 1
            if entry is None:
                entry = _Times(rule.window)
                self._keys[key] = entry
                if len(self._keys) > self.max_keys:
                    self._keys.popitem(last=False)
                    self.steps += 1
            else:
                self._keys.move_to_end(key)
            entry.window = rule.window
            times = entry.times
            while times and now - times[0] >= rule.window:
                times.popleft()
                self.steps += 1
            if len(times) >= rule.limit:
                return False
            times.append(now)
            return True

    def clear(self) -> None:
        """Forget every request."""
        with self._lock:
            self._keys.clear()

    def _forget_old(self, now: float) -> None:
        keys = self._keys
        while keys:
            key, entry = next(iter(keys.items()))
            if entry.times and now - entry.times[-1] < entry.window:
                return
            del keys[key]
            self.steps += 1
