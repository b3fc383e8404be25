"""The record of the history of sent messages (``get.php?get_messages=1``)."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from fmtcodec.records.common import Count, MessageAccessors

__all__ = ["HistoryMessage"]


class HistoryMessage(msgspec.Struct, MessageAccessors, frozen=True, forbid_unknown_fields=True, gc=False):
    """One sent message of the history, in the order of the 2021 fmt 0 capture (fmt 0 writes
    ``status`` as ``Status``, ``last_date`` as ``check_time`` and ``id`` as ``ID``).  ``int_id``
    is the global id to pass as ``prev_id`` for the next page."""

    status: int
    last_date: str
    last_timestamp: Count | None = None
    err: int | None = None
    send_date: str = ""
    send_timestamp: Count | None = None
    phone: str = ""
    mccmnc: str = ""
    country: str = ""
    operator: str = ""
    region: str = ""
    cost: Decimal = Decimal(0)
    sender_id: str = ""
    status_name: str = ""
    message: str = ""
    type: Count = 0
    id: str = ""
    int_id: Count = 0
    sms_cnt: Count = 0
    format: Count = 0
    crc: int = 0
