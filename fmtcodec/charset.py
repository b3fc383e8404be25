"""Bytes to text and back, in the three charsets the provider answers in.

Facts §11: the ``charset`` request parameter picks the response encoding; the default is
windows-1251, the alternatives ``utf-8`` and ``koi8-r``.  All three are ASCII supersets, which the
fmt modules rely on (markup and separators are ASCII in every one of them).

``Source`` is the decoded payload every fmt module reads; it turns a character index into the
absolute byte offset, line and column of a ``DecodeError``.
"""

from __future__ import annotations

import codecs

from fmtcodec.errors import DecodeError, EncodeError, shown

__all__ = [
    "ASCII_SPACE",
    "DEFAULT_CHARSET",
    "Source",
    "charset_label",
    "encode_text",
    "normalize_charset",
]

ASCII_SPACE = " \t\n\r\x0b\x0c"
"""The whitespace that may surround a one-line reply (``OK``, ``ID = 5``, ``0,-3``): ASCII only, the
same bytes in every charset -- what ``bytes.strip()`` strips, not ``str.strip()``'s U+00A0, U+3000..."""

DEFAULT_CHARSET = "cp1251"
"""The provider's default response charset (windows-1251)."""

# Python codec name -> the label the provider and XML prologs use.
_LABELS = {"utf-8": "utf-8", "cp1251": "windows-1251", "koi8-r": "koi8-r"}
_UTF8_BOM = b"\xef\xbb\xbf"
_SNIPPET = 24
_PIECE = 1 << 16  # characters encoded at a time to count bytes


def normalize_charset(charset: str) -> str:
    """The Python codec name of ``charset``; ``ValueError`` for anything but the provider's three."""
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        name = ""
    if name not in _LABELS:
        raise ValueError(
            f"unsupported charset {shown(charset)}: the provider answers in utf-8, windows-1251 or koi8-r"
        )
    return name


def charset_label(charset: str) -> str:
    """The provider's label for a charset (``windows-1251`` for ``cp1251``)."""
    return _LABELS[normalize_charset(charset)]


class Source:
    """A payload and, decoded when first asked for, its text; points from text back into bytes.

    Decoding is lazy so that fmt 3 can hand the caller's UTF-8 bytes straight to msgspec (which
    checks UTF-8 itself) without making a ``str`` of the whole reply first.
    """

    __slots__ = ("_charset", "_text", "fmt", "raw", "start")

    def __init__(
        self,
        *,
        raw: bytes | None,
        text: str | None,
        charset: str | None,
        fmt: int | None,
        start: int = 0,
    ) -> None:
        self.raw = raw
        self._text = text
        self._charset = charset  # None: not known yet (UTF-8 if valid, else windows-1251)
        self.fmt = fmt
        self.start = start  # bytes skipped before the text (a UTF-8 byte order mark)

    @classmethod
    def from_payload(cls, data: bytes | str, charset: str | None, fmt: int | None) -> Source:
        """The payload to decode: an explicit charset wins; else UTF-8 when valid, else
        windows-1251 (spec/formats.md, Charsets)."""
        if isinstance(data, str):
            if type(data) is not str:  # a subclass: its characters, never its methods (issue 15)
                data = str.__str__(data)
            source = cls(raw=None, text=data, charset="utf-8", fmt=fmt)
            try:
                data.encode("utf-8")
            except UnicodeEncodeError as exc:  # a lone surrogate: no reply can hold one
                raise source.error(
                    f"character U+{ord(data[exc.start]):04X} is a lone surrogate", exc.start
                ) from None
            return source
        codec = None if charset is None else normalize_charset(charset)
        start = len(_UTF8_BOM) if codec in (None, "utf-8") and data.startswith(_UTF8_BOM) else 0
        return cls(raw=data, text=None, charset=codec, fmt=fmt, start=start)

    @property
    def text(self) -> str:
        """The payload as text (after a UTF-8 byte order mark)."""
        if self._text is None:
            self._decode()
            assert self._text is not None
        return self._text

    @property
    def charset(self) -> str:
        """The Python codec the payload is read with."""
        if self._charset is None:
            self._decode()
            assert self._charset is not None
        return self._charset

    @property
    def known_charset(self) -> str | None:
        """The Python codec the payload is read with, ``None`` while that is still unknown (unlike
        ``charset``, nothing is decoded to learn it)."""
        return self._charset

    def head(self, size: int = 64) -> str:
        """The first ``size`` or so characters, without decoding the whole payload."""
        if self._text is not None or self.raw is None:
            return self.text[:size]
        piece = self.raw[self.start : self.start + size]
        return piece.decode(self._charset or "utf-8", "replace")

    def utf8(self) -> bytes:
        """The payload as UTF-8 bytes -- the caller's own bytes whenever they may already be.

        With the charset still unknown this is optimistic: a reader that finds the bytes are not
        UTF-8 (a ``UnicodeDecodeError``) asks for ``text.encode()`` instead.
        """
        if self.raw is not None and not self.start and self._charset in (None, "utf-8"):
            return self.raw
        return self.text.encode("utf-8")

    def undecoded_utf8(self) -> bytes | None:
        """The payload's bytes (after a BOM) while no text has been made of them and they are to
        be read as UTF-8 -- or the charset is still unknown, UTF-8 if they are valid: a reader of
        these bytes must then refuse invalid UTF-8 and leave the reply to ``text``.  Else None."""
        if self.raw is None or self._text is not None or self._charset not in (None, "utf-8"):
            return None
        return self.body()

    def body(self) -> bytes:
        """The payload's bytes after a UTF-8 byte order mark, in its own charset."""
        if self.raw is None:
            return self.text.encode("utf-8")
        return self.raw[self.start :] if self.start else self.raw

    def _decode(self) -> None:
        data = self.raw
        assert data is not None
        body = data[self.start :] if self.start else data
        if self._charset is not None:
            codec = self._charset
        elif self.start:
            codec = "utf-8"  # a UTF-8 byte order mark declares the charset (spec, Charsets)
        else:
            try:
                self._text = body.decode("utf-8")
                self._charset = "utf-8"
                return
            except UnicodeDecodeError:
                # Cyrillic in windows-1251 is practically never valid UTF-8 (spec/formats.md, Charsets).
                codec = DEFAULT_CHARSET
                self.start = 0
                body = data
        try:
            self._text = body.decode(codec)
        except UnicodeDecodeError as exc:
            self._charset = codec  # so that a caller reporting the error knows the charset
            raise self._undecodable(data, codec, self.start + exc.start, self.fmt) from None
        self._charset = codec

    @staticmethod
    def _undecodable(data: bytes, codec: str, pos: int, fmt: int | None) -> DecodeError:
        line_start = data.rfind(b"\n", 0, pos) + 1
        if line_start == 0 and codec == "utf-8" and data.startswith(_UTF8_BOM):
            line_start = len(_UTF8_BOM)  # columns count from after the byte order mark
        return DecodeError(
            f"byte 0x{data[pos]:02X} is not valid {_LABELS[codec]}",
            fmt=fmt,
            pos=pos,
            line=data.count(b"\n", 0, pos) + 1,
            column=len(data[line_start:pos].decode(codec, "replace")) + 1,
            snippet=data[pos : pos + _SNIPPET].decode(codec, "replace"),  # from there on, as always
        )

    def byte_offset(self, index: int) -> int:
        """Absolute byte offset of character ``index`` of ``text`` in the caller's payload."""
        if self.raw is None:
            return index
        if self.charset != "utf-8" or self.text.isascii():  # one byte per character
            return self.start + index
        text = self.text  # encoded a piece at a time: an error near the end costs no copy of it
        pieces = range(0, index, _PIECE)
        return self.start + sum(len(text[at : min(at + _PIECE, index)].encode("utf-8")) for at in pieces)

    def index_of_byte(self, offset: int) -> int:
        """Character index in ``text`` of byte ``offset`` of the UTF-8 form of ``text``."""
        if self.text.isascii():
            return min(offset, len(self.text))
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
