"""The record of the history of sent messages (``get.php?get_messages=1``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import msgspec

from fmtcodec.records.common import Count, parse_server_date, unix_time, value_meaning

__all__ = ["HistoryMessage"]


class HistoryMessage(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
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

    @property
    def status_meaning(self) -> str | None:
        """What ``status`` means, ``None`` for a value not documented."""
        return value_meaning("status", self.status)

    @property
    def last_date_time(self) -> datetime.datetime | None:
        """``last_date`` as a naive ``datetime`` in the server's clock."""
        return parse_server_date(self.last_date)

    @property
    def send_date_time(self) -> datetime.datetime | None:
        """``send_date`` as a naive ``datetime`` in the server's clock."""
        return parse_server_date(self.send_date)

    @property
    def last_time(self) -> datetime.datetime | None:
        """``last_timestamp`` as an aware UTC ``datetime``."""
        return unix_time(self.last_timestamp)
