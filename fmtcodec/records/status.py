"""The record of the status page (``status.php``): the status of one message, or one row of a
request for several ids (``list[Status]``).

One record covers every documented variant -- ``all=0``, ``all=1``, ``all=2``, the status of an
HLR request and the rows of a multi-id request -- so that decoding needs no request parameters:
the fields a reply does not carry are ``None``.  ``status`` and ``err`` are open value sets kept
as ints (``-3`` is "message not found"), with their known meanings a property away.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from fmtcodec.records.common import Count, MessageAccessors, value_meaning

__all__ = ["Status"]


class Status(msgspec.Struct, MessageAccessors, frozen=True, forbid_unknown_fields=True, gc=False):
    """The status of one message (fmt 0 writes ``status`` as ``Status`` and ``last_date`` as
    ``check_time``).  Dates are the server's ``DD.MM.YYYY hh:mm:ss`` text; timestamps Unix
    seconds.  ``imsi`` … ``rnet`` are the HLR fields; ``id`` and ``phone`` identify a row of a
    multi-id reply."""

    status: int
    last_date: str | None = None
    last_timestamp: Count | None = None
    flag: Count | None = None
    err: int | None = None
    send_date: str | None = None
    send_timestamp: Count | None = None
    id: str | None = None
    phone: str | None = None
    country: str | None = None
    operator: str | None = None
    region: str | None = None
    cost: Decimal | None = None
    sender_id: str | None = None
    status_name: str | None = None
    message: str | None = None
    comment: str | None = None
    type: Count | None = None
    imsi: str | None = None
    msc: str | None = None
    mcc: str | None = None
    mnc: str | None = None
    cn: str | None = None
    net: str | None = None
    rcn: str | None = None
    rnet: str | None = None

    @property
    def err_meaning(self) -> str | None:
        """What ``err`` means, ``None`` when absent or not documented."""
        return value_meaning("err", self.err)

    @property
    def is_hlr(self) -> bool:
        """Whether this is the status of an HLR request (its HLR fields are present)."""
        return self.imsi is not None or self.mcc is not None
