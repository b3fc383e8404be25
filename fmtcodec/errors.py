"""One error root for everything fmtcodec raises.

Every ``DecodeError`` says where: the fmt, the absolute byte offset ``pos`` into the payload the
caller passed, the 1-based ``line``/``column`` (column counted in characters of that line), the
record path (``$[12].group``) when one applies, and a short snippet of the payload there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "AmbiguousRecordError",
    "ApiError",
    "DecodeError",
    "EncodeError",
    "FmtcodecError",
]


class FmtcodecError(Exception):
    """Root of every error fmtcodec raises on purpose."""


class DecodeError(FmtcodecError, ValueError):
    """The payload is not a valid reply of the expected kind in the given fmt."""

    def __init__(
        self,
        reason: str,
        *,
        fmt: int | None,
        pos: int,
        line: int,
        column: int,
        path: str | None = None,
        snippet: str = "",
    ) -> None:
        self.reason = reason
        self.fmt = fmt
        self.pos = pos
        self.line = line
        self.column = column
        self.path = path
        self.snippet = snippet
        fmt_text = "fmt ?" if fmt is None else f"fmt {fmt}"
        at = f" at {path}," if path else ""
        super().__init__(
            f"{fmt_text}: {reason} -{at} byte {pos} (line {line}, column {column}), near {snippet!r}"
        )


class AmbiguousRecordError(DecodeError):
    """A fmt 1 row splits into the record's fields in more than one way.

    ``candidates`` holds each possible reading as a tuple of field values in wire order.
    """

    def __init__(
        self, reason: str, *, candidates: Sequence[tuple[str, ...]], **where: Any
    ) -> None:
        self.candidates = list(candidates)
        shown = "; ".join(repr(candidate) for candidate in self.candidates[:3])
        more = "" if len(self.candidates) <= 3 else f"; and {len(self.candidates) - 3} more"
        super().__init__(f"{reason}: {shown}{more}", **where)


class EncodeError(FmtcodecError, ValueError):
    """A value cannot be written in that fmt (or charset) so that decoding gives it back."""

    def __init__(self, reason: str, *, fmt: int, path: str | None = None) -> None:
        self.reason = reason
        self.fmt = fmt
        self.path = path
        at = f" at {path}" if path else ""
        super().__init__(f"fmt {fmt} cannot carry the value{at}: {reason}")


class ApiError(FmtcodecError):
    """The server answered with an error reply where records were asked for.

    ``code`` is the server's error number, ``message`` its own text (empty in fmt 1), and
    ``meaning``/``meaning_ru`` what the code means for the contacts service (seed table).
    """

    def __init__(
        self, code: int, message: str, *, fmt: int, meaning: str | None, meaning_ru: str | None
    ) -> None:
        self.code = code
        self.message = message
        self.fmt = fmt
        self.meaning = meaning
        self.meaning_ru = meaning_ru
        told = f" ({message})" if message else ""
        explained = f": {meaning}" if meaning else ": code not documented for the contacts service"
        super().__init__(f"server error {code}{told}{explained}")
