"""The records of the send page (``send.php``): a message sent, and the cost request (``cost=1``).

Money is a ``decimal.Decimal`` that keeps the server's digits (``15.00`` is written back as
``15.00``), never a float.  A message id is text: the server's own ids are digits, and a client
may choose one of up to 40 letters, digits, ``.``, ``-`` and ``_`` (spec/pages.md, "send").
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from fmtcodec.records.common import Count

__all__ = ["Cost", "PhoneReport", "Sent"]


class PhoneReport(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """One number of the per-number list a send or cost request adds with ``op=1`` (every
    number) or ``err=1`` (the failed ones): fmt 3 only (spec/pages.md, "Per-number list").

    ``phone`` is the number as the server writes it (digits, no ``+``); ``cost`` is absent in a
    test account's replies; ``status`` and ``error`` are set for a number that failed.
    """

    phone: str
    mccmnc: str | None = None
    cost: Decimal | None = None
    status: int | None = None
    error: int | None = None


class Sent(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """A message accepted for sending: its ``id`` and ``cnt``, the number of SMS parts sent
    (parts per message times recipients).  ``cost=2`` adds ``cost``; ``cost=3`` adds ``cost``
    and the account's new ``balance``; ``op=1``/``err=1`` add ``phones`` (fmt 3 only)."""

    id: str
    cnt: Count
    cost: Decimal | None = None
    balance: Decimal | None = None
    phones: tuple[PhoneReport, ...] | None = None


class Cost(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """What a message would cost (``cost=1``; nothing is sent): ``cost`` and ``cnt`` parts;
    ``op=1``/``err=1`` add ``phones`` (fmt 3 only)."""

    cost: Decimal
    cnt: Count
    phones: tuple[PhoneReport, ...] | None = None
