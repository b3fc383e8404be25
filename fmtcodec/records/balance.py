"""The record of the balance page (``balance.php``)."""

from __future__ import annotations

from decimal import Decimal

import msgspec

__all__ = ["Balance"]


class Balance(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """The account's ``balance`` (money, its digits kept; negative on a credit account);
    ``cur=1`` adds the ``currency`` code (``RUR`` on smsc.ru); ``credit`` is the credit line,
    which some replies carry (fmt 3)."""

    balance: Decimal
    currency: str | None = None
    credit: Decimal | None = None
