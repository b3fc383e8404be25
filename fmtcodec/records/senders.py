"""The records of the sender-names page (``senders.php``)."""

from __future__ import annotations

import msgspec

from fmtcodec.records.common import Count

__all__ = ["Sender", "SenderCreated"]


class Sender(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """One entry of the list of sender names (``get=1``): the name (fmt 0 key ``name``, the
    text of ``<sender>`` in fmt 2) and its server ``id`` (an attribute in fmt 2; absent from
    the 2013 fmt 3 capture)."""

    sender: str
    id: Count | None = None


class SenderCreated(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """A sender name was added (``add=1``): the server's id for it, under the key ``sender``."""

    sender: Count
