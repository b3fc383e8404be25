"""fmtcodec: exact, typed decoding and encoding of the SMSC HTTP API's replies in every ``fmt``.

>>> import fmtcodec
>>> fmtcodec.decode(b"OK", fmtcodec.Ok)
Ok()
"""

from fmtcodec._core import COMPILED
from fmtcodec.api import REPLY_TYPES, decode, detect_fmt, encode
from fmtcodec.errors import (
    AmbiguousRecordError,
    ApiError,
    DecodeError,
    EncodeError,
    FmtcodecError,
)
from fmtcodec.layout import PAGES
from fmtcodec.records import (
    Balance,
    BlacklistEntry,
    BlacklistType,
    Contact,
    Cost,
    Created,
    CreatedElement,
    Error,
    Group,
    HistoryMessage,
    JobCreated,
    MailBlacklistEntry,
    MailContact,
    Ok,
    OperatorInfo,
    PhoneReport,
    Sender,
    SenderCreated,
    Sent,
    Status,
    Template,
    TemplateCreated,
)
from fmtcodec.stream import iter_decode

__version__ = "0.1.0"
"""The version of fmtcodec (the one place it is written: ``pyproject.toml`` reads it here)."""

__all__ = [
    "COMPILED",
    "PAGES",
    "REPLY_TYPES",
    "AmbiguousRecordError",
    "ApiError",
    "Balance",
    "BlacklistEntry",
    "BlacklistType",
    "Contact",
    "Cost",
    "Created",
    "CreatedElement",
    "DecodeError",
    "EncodeError",
    "Error",
    "FmtcodecError",
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
    "__version__",
    "decode",
    "detect_fmt",
    "encode",
    "iter_decode",
]
