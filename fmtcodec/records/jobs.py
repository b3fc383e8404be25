"""The record of the mailing-jobs page (``jobs.php``); cancel and delete answer ``Ok``."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from fmtcodec.records.common import Count

__all__ = ["JobCreated"]


class JobCreated(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """A mailing job was created (``add=1``): its server ``id``; ``cost=1`` adds its ``cost``."""

    id: Count
    cost: Decimal | None = None
