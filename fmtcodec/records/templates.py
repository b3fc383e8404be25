"""The records of the message-templates page (``templates.php``); change and delete answer
``Ok`` (bare, or ``{"result": "OK"}``)."""

from __future__ import annotations

import msgspec

from fmtcodec.records.common import Count

__all__ = ["Template", "TemplateCreated"]


class Template(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """One message template: server ``id``, ``name``, ``message`` text, ``format`` (``sms``,
    ``flash``, …; empty for the default), ``sender`` (may be empty) and ``flag``."""

    id: Count
    name: str = ""
    message: str = ""
    format: str = ""
    sender: str = ""
    flag: Count = 0


class TemplateCreated(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """A template was added (``add=1``): its server ``id``."""

    id: Count
