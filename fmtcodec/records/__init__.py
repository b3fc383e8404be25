"""The typed records of every reply kind, one module a page of the API.

``contacts`` (``phones.php``, ``mails.php``), ``send`` (``send.php``: sending and the cost
request), ``status``, ``balance``, ``senders``, ``jobs``, ``history`` (``get.php``), ``operator``
(``info.php``) and ``templates``; ``common`` holds what every page shares (``Ok``, ``Error``).
Attribute names are the fmt 3 wire names; field order is the wire order of spec/layout.toml (a
test checks the two agree).  Why each field has its type: spec/formats.md and spec/pages.md.
"""

from fmtcodec.records.balance import Balance
from fmtcodec.records.common import Count, Error, Ok
from fmtcodec.records.contacts import (
    BlacklistEntry,
    BlacklistType,
    Contact,
    Created,
    CreatedElement,
    Group,
    MailBlacklistEntry,
    MailContact,
)
from fmtcodec.records.history import HistoryMessage
from fmtcodec.records.jobs import JobCreated
from fmtcodec.records.operator import OperatorInfo
from fmtcodec.records.send import Cost, PhoneReport, Sent
from fmtcodec.records.senders import Sender, SenderCreated
from fmtcodec.records.status import Status
from fmtcodec.records.templates import Template, TemplateCreated

__all__ = [
    "Balance",
    "BlacklistEntry",
    "BlacklistType",
    "Contact",
    "Cost",
    "Count",
    "Created",
    "CreatedElement",
    "Error",
    "Group",
    "HistoryMessage",
    "JobCreated",
    "MailBlacklistEntry",
    "MailContact",
    "Ok",
    "OperatorInfo",
    "PhoneReport",
    "Sender",
    "SenderCreated",
    "Sent",
    "Status",
    "Template",
    "TemplateCreated",
]
