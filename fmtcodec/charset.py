"""Bytes to text and back, in the three charsets the provider answers in.

Facts §11: the ``charset`` request parameter picks the response encoding; the default is
windows-1251, the alternatives ``utf-8`` and ``koi8-r``.  All three are ASCII supersets, which the
fmt modules rely on (markup and separators are ASCII in every one of them).

``Source`` is the decoded payload every fmt module reads; it turns a character index into the
absolute byte offset, line and column of a ``DecodeError``.
"""

from __future__ import annotations

import codecs

from fmtcodec.errors import DecodeError, EncodeError

__all__ = ["DEFAULT_CHARSET", "Source", "charset_label", "encode_text", "normalize_charset"]

DEFAULT_CHARSET = "cp1251"
"""The provider's default response charset (windows-1251)."""

# Python codec name -> the label the provider and XML prologs use.
_LABELS = {"utf-8": "utf-8", "cp1251": "windows-1251", "koi8-r": "koi8-r"}
_UTF8_BOM = b"\xef\xbb\xbf"
_SNIPPET = 24


def normalize_charset(charset: str) -> str:
    """The Python codec name of ``charset``; ``ValueError`` for anything but the provider's three."""
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        name = ""
    if name not in _LABELS:
        raise ValueError(
            f"unsupported charset {charset!r}: the provider answers in utf-8, windows-1251 or koi8-r"
        )
    return name


def charset_label(charset: str) -> str:
    """The provider's label for a charset (``windows-1251`` for ``cp1251``)."""
    return _LABELS[normalize_charset(charset)]


class Source:
    """A payload decoded to text, remembering how to point back into its bytes."""

    __slots__ = ("charset", "fmt", "raw", "start", "text")

    def __init__(
        self, text: str, *, raw: bytes | None, charset: str, fmt: int | None, start: int = 0
    ) -> None:
        self.text = text
        self.raw = raw
        self.charset = charset
        self.fmt = fmt
        self.start = start  # bytes skipped before ``text`` (a UTF-8 byte order mark)

    @classmethod
    def from_payload(cls, data: bytes | str, charset: str | None, fmt: int | None) -> Source:
        """Decode ``data``: an explicit charset wins; else UTF-8 when valid, else windows-1251."""
        if isinstance(data, str):
            return cls(data, raw=None, charset="utf-8", fmt=fmt)
        if charset is not None:
            return cls._decode(data, normalize_charset(charset), fmt)
        try:
            return cls._decode(data, "utf-8", fmt)
        except DecodeError:
            # Cyrillic in windows-1251 is practically never valid UTF-8 (spec/formats.md, Charsets).
            return cls._decode(data, DEFAULT_CHARSET, fmt)

    @classmethod
    def _decode(cls, data: bytes, codec: str, fmt: int | None) -> Source:
        start = len(_UTF8_BOM) if codec == "utf-8" and data.startswith(_UTF8_BOM) else 0
        try:
            text = data[start:].decode(codec) if start else data.decode(codec)
        except UnicodeDecodeError as exc:
            raise cls._undecodable(data, codec, start + exc.start, fmt) from None
        return cls(text, raw=data, charset=codec, start=start, fmt=fmt)

    @staticmethod
    def _undecodable(data: bytes, codec: str, pos: int, fmt: int | None) -> DecodeError:
        line_start = data.rfind(b"\n", 0, pos) + 1
        return DecodeError(
            f"byte 0x{data[pos]:02X} is not valid {_LABELS[codec]}",
            fmt=fmt,
            pos=pos,
            line=data.count(b"\n", 0, pos) + 1,
            column=len(data[line_start:pos].decode(codec, "replace")) + 1,
            snippet=data[max(0, pos - _SNIPPET) : pos + _SNIPPET].decode(codec, "replace"),
        )

    def byte_offset(self, index: int) -> int:
        """Absolute byte offset of character ``index`` of ``text`` in the caller's payload."""
        if self.raw is None:
            return index
        if self.charset != "utf-8":  # single-byte charsets: one byte per character
            return self.start + index
        return self.start + len(self.text[:index].encode("utf-8"))

    def index_of_byte(self, offset: int) -> int:
        """Character index in ``text`` of byte ``offset`` of the UTF-8 form of ``text``."""
        return len(self.text.encode("utf-8")[:offset].decode("utf-8", "ignore"))

    def error(self, reason: str, index: int, path: str | None = None) -> DecodeError:
        """A ``DecodeError`` at character ``index`` of ``text``."""
        text = self.text
        index = max(0, min(index, len(text)))
        line_start = text.rfind("\n", 0, index) + 1
        return DecodeError(
            reason,
            fmt=self.fmt,
            pos=self.byte_offset(index),
            line=text.count("\n", 0, index) + 1,
            column=index - line_start + 1,
            path=path,
            snippet=text[index : index + _SNIPPET],
        )


def encode_text(text: str, charset: str, fmt: int) -> bytes:
    """``text`` in ``charset``; ``EncodeError`` naming the first character it cannot represent."""
    codec = normalize_charset(charset)
    try:
        return text.encode(codec)
    except UnicodeEncodeError as exc:
        char = text[exc.start]
        raise EncodeError(
            f"character {char!r} (U+{ord(char):04X}) at character {exc.start} of the reply"
            f" cannot be written in {_LABELS[codec]}",
            fmt=fmt,
        ) from None
