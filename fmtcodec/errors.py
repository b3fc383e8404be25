"""One error root for everything fmtcodec raises.

Every ``DecodeError`` says where: the fmt, the absolute byte offset ``pos`` into the payload the
caller passed, the 1-based ``line``/``column`` (column counted in characters of that line), the
record path (``$[12].group``) when one applies, and a short snippet of the payload there.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

__all__ = [
    "AmbiguousRecordError",
    "ApiError",
    "DecodeError",
    "EncodeError",
    "FmtcodecError",
    "shown",
]


_INDEX = re.compile(r"^\$\[([0-9]+)\]")
_SHOWN = 60  # characters of a value a message shows


def shown(value: object, limit: int = _SHOWN) -> str:
    """``repr(value)`` for a message, cut to ``limit`` characters; never raises (an int of more
    digits than Python will print, a ``__repr__`` that fails), so that building a message cannot."""
    try:
        text = repr(value)
    except Exception:
        if isinstance(value, int):
            text = f"<int of {value.bit_length()} bits>"
        else:
            text = f"<{type(value).__name__} without a repr>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class FmtcodecError(Exception):
    """Root of every error fmtcodec raises on purpose."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors: copy and pickle (multiprocessing) restore the attributes.
        return (_restore, (type(self), self.args, self.__dict__.copy()))


def _restore(cls: type[FmtcodecError], args: tuple[Any, ...], state: dict[str, Any]) -> FmtcodecError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


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
        super().__init__(reason)

    def __str__(self) -> str:
        fmt_text = "fmt ?" if self.fmt is None else f"fmt {self.fmt}"
        at = f" at {self.path}," if self.path else ""
        return (
            f"{fmt_text}: {self.reason} -{at} byte {self.pos} (line {self.line},"
            f" column {self.column}), near {self.snippet!r}"
        )

    def moved(self, *, pos: int, line: int, column: int, index: int) -> DecodeError:
        """The same error for a piece that starts ``pos`` bytes, ``line`` lines and (on its first
        line) ``column`` columns into the whole payload, after ``index`` records (streaming)."""
        moved = copy.copy(self)
        moved.pos = self.pos + pos
        moved.column = self.column + (column if self.line == 1 else 0)
        moved.line = self.line + line
        if self.path is not None and index:
            moved.path = _INDEX.sub(lambda found: f"$[{int(found[1]) + index}]", self.path, count=1)
        return moved


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
    """The server answered with an error reply where something else was asked for.

    ``code`` is the server's error number, ``message`` its own text (empty in fmt 1), ``id`` the
    message id the send page adds to codes 3, 6, 7 and 8 (``None`` otherwise), ``page`` the page
    whose reply kind was asked for, and ``meaning``/``meaning_ru`` what the code means on that
    page (the same number means different things on different pages).
    """

    def __init__(
        self,
        code: int,
        message: str,
        *,
        fmt: int,
        meaning: str | None,
        meaning_ru: str | None,
        page: str = "contacts",
        id: str | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.fmt = fmt
        self.meaning = meaning
        self.meaning_ru = meaning_ru
        self.page = page
        self.id = id
        told = f" ({message})" if message else ""
        about = f", message id {id}" if id is not None else ""
        explained = f": {meaning}" if meaning else f": code not documented for the {page} page"
        super().__init__(f"server error {code}{told}{about}{explained}")
