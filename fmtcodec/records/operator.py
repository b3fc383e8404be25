"""The record of the operator-info page (``info.php?get_operator=1``)."""

from __future__ import annotations

import msgspec

__all__ = ["OperatorInfo"]


class OperatorInfo(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """Country, operator and region of a number, its ``mcc``/``mnc`` (text: leading zeros
    count) and time zone ``tz``; ``phone`` is the number where the reply names it (assumed for
    fmt 0, spec/pages.md, "operator")."""

    phone: str | None = None
    country: str = ""
    operator: str = ""
    region: str = ""
    mcc: str = ""
    mnc: str = ""
    tz: str | None = None
