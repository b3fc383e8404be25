"""fmtcodec: exact, typed decoding and encoding of SMSC contacts-service replies in every ``fmt``.

>>> import fmtcodec
>>> fmtcodec.decode(b"OK", fmtcodec.Ok)
Ok()
"""

from fmtcodec._core import COMPILED
from fmtcodec.api import decode, detect_fmt, encode
from fmtcodec.errors import (
    AmbiguousRecordError,
    ApiError,
    DecodeError,
    EncodeError,
    FmtcodecError,
)
from fmtcodec.records import (
    BlacklistEntry,
    BlacklistType,
    Contact,
    Created,
    CreatedElement,
    Error,
    Group,
    MailBlacklistEntry,
    MailContact,
    Ok,
)
from fmtcodec.stream import iter_decode

__version__ = "0.1.0"
"""The version of fmtcodec (the one place it is written: ``pyproject.toml`` reads it here)."""

__all__ = [
    "COMPILED",
    "AmbiguousRecordError",
    "ApiError",
    "BlacklistEntry",
    "BlacklistType",
    "Contact",
    "Created",
    "CreatedElement",
    "DecodeError",
    "EncodeError",
    "Error",
    "FmtcodecError",
    "Group",
    "MailBlacklistEntry",
    "MailContact",
    "Ok",
    "__version__",
    "decode",
    "detect_fmt",
    "encode",
    "iter_decode",
]
