"""``iter_decode``: records as they complete, from a file or an iterable of byte chunks.

Memory does not grow with a well-formed reply: the stream is cut after the last complete record in the
buffer (a line end in fmt 0/1, a ``</contact>``-style end tag in fmt 2, a ``}`` in fmt 3), that
batch is decoded by the fmt's own whole-reply decoder -- so every check and every message is the
same as ``decode`` -- and its errors are moved to absolute byte offsets, lines and record indexes.

A cut can land inside a value (a ``}`` in a JSON string, ``</contact>`` in a CDATA section); the
batch then fails as malformed and an earlier cut is tried.  When no cut works, more data is read
before trying again, and only after the buffer has doubled, so a broken stream costs linear time
and is reported precisely once its end is reached.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import IO, Any, TypeVar

from fmtcodec import xml
from fmtcodec.charset import Source, normalize_charset
from fmtcodec.errors import DecodeError

__all__ = ["iter_decode"]

T = TypeVar("T")

DEFAULT_CHUNK_SIZE = 1 << 16
_DETECTED_FROM = 64  # bytes after leading whitespace: enough for ``detect_fmt``
_CUTS_TRIED = 3


@dataclass(frozen=True)
class _Frame:
    """How a fmt's list reply is framed for streaming."""

    end: bytes  # the bytes that end a record
    opening: re.Pattern[bytes] | None  # what comes before the first record
    closing: re.Pattern[bytes] | None  # what comes after the last one
    before: bytes  # what a batch is wrapped in to make a whole reply
    after: bytes
    separator: re.Pattern[bytes] | None  # what must stand between two batches
    placeholder: bytes = b""  # a stand-in for the records already yielded, to judge what follows


_JSON_FRAME = _Frame(
    end=b"}",
    opening=re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*\["),
    closing=re.compile(rb"[ \t\r\n]*\][ \t\r\n]*"),
    before=b"[",
    after=b"]",
    separator=re.compile(rb"[ \t\r\n]*,[ \t\r\n]*"),
    placeholder=b"null",  # nothing can continue it, so what follows is judged on its own
)


def _xml_frame(item: str) -> _Frame:
    declaration = xml.DECLARATION.pattern
    return _Frame(
        end=f"</{item}>".encode("ascii"),
        # the declaration only at the very start (XML 1.0 §2.8), strictly as decode reads it
        opening=re.compile(rb"(?:\xef\xbb\xbf)?(?:" + declaration + rb")?[ \t\r\n]*<list[ \t\r\n]*>"),
        closing=re.compile(rb"[ \t\r\n]*</list>[ \t\r\n]*"),
        before=b"<list>",
        after=b"\n</list>",  # with the line break the canonical layout takes the fast path
        separator=None,
    )


_LINES_FRAME = _Frame(end=b"\n", opening=None, closing=None, before=b"", after=b"", separator=None)


def _chunks(source: IO[bytes] | Iterable[bytes], size: int) -> Iterator[bytes]:
    read = getattr(source, "read", None)
    chunks: Iterable[Any] = iter(lambda: read(size), b"") if read is not None else source
    for chunk in chunks:
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise TypeError(f"iter_decode reads bytes, got a chunk of {type(chunk).__name__}")
        if chunk:
            yield bytes(chunk)


def _detected(chunks: Iterator[bytes], detect: Callable[[bytes], int]) -> tuple[Iterator[bytes], int]:
    """The fmt told from the first bytes (as many as ``detect_fmt`` looks at), and the chunks."""
    head = b""
    for chunk in chunks:
        head += chunk
        if len(head.lstrip()) >= _DETECTED_FROM:
            break
    return chain([head], chunks), detect(head)


def iter_decode(
    source: IO[bytes] | Iterable[bytes],
    type: type[list[T]],
    *,
    fmt: int | None = None,
    charset: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[T]:
    """Yield the records of a list reply read from a binary file or an iterable of chunks.

    ``type`` is a list type as for ``decode`` (``list[Contact]`` …); ``fmt=None`` detects the fmt
    from the first bytes, as ``detect_fmt`` does.  Errors are the same as
    ``decode``'s, with byte offsets, lines and record paths counted from the start of the stream.
    With ``charset=None`` the first batch holding non-ASCII bytes decides the charset for the rest
    (UTF-8 if valid, else windows-1251); fmt 2 follows its XML prolog.
    """
    from fmtcodec import api

    if isinstance(source, bytes | bytearray | memoryview | str):
        raise TypeError("iter_decode reads a binary file or an iterable of chunks; one payload: decode")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    layout = api.records_layout(type)
    if layout is None:
        raise TypeError(f"iter_decode decodes list replies (list[Contact] ...), not {type!r}")
    chunks = _chunks(source, chunk_size)
    if fmt is None:
        chunks, fmt = _detected(chunks, api.detect_fmt)
    codec = api.fmt_module(fmt)
    frame = {0: _LINES_FRAME, 1: _LINES_FRAME, 2: _xml_frame(layout.xml_item), 3: _JSON_FRAME}[fmt]
    known = None if charset is None else normalize_charset(charset)
    stream = _Stream(chunks, fmt, known)
    if not stream.open(frame, codec.declared_charset):
        yield from api.decode(stream.rest(), type, fmt=fmt, charset=charset)
        return

    def decode_batch(src: Source) -> list[Any]:
        if frame.opening is None and stream.records == 0:  # fmt 0/1: is the first line an error?
            error = codec.decode_error(src)
            if error is not None:
                raise api.server_error(error, fmt)
        return codec.decode_records(src, layout)

    yield from stream.batches(frame, decode_batch)


class _Stream:
    """A byte buffer over a chunk iterator that knows where its first byte is in the stream."""

    def __init__(self, chunks: Iterator[bytes], fmt: int, charset: str | None) -> None:
        self.chunks = chunks
        self.fmt = fmt
        self.charset = charset
        self.buffer = b""
        self.consumed = 0  # bytes of the stream before ``buffer``
        self.lines = 0  # line breaks before ``buffer``
        self.column = 0  # characters between the last of those and ``buffer``
        self.records = 0
        self.ended = False

    def more(self) -> bool:
        for chunk in self.chunks:
            self.buffer += chunk
            return True
        self.ended = True
        return False

    def rest(self) -> bytes:
        while self.more():
            pass
        return self.buffer

    def advance(self, size: int) -> None:
        """Drop the first ``size`` bytes of the buffer, keeping count of where we are."""
        gone = self.buffer[:size]
        breaks = gone.count(b"\n")
        tail = gone[gone.rfind(b"\n") + 1 :] if breaks else gone
        width = len(tail.decode(self.charset or "utf-8", "replace"))
        self.column = width if breaks else self.column + width
        self.lines += breaks
        self.consumed += size
        self.buffer = self.buffer[size:]

    def open(self, frame: _Frame, declared: Callable[[bytes], str | None]) -> bool:
        """Read and drop what stands before the first record; False if the reply is not a
        streamable list (an error reply, say): the caller then decodes it whole."""
        if frame.opening is None:
            return True
        while True:
            found = frame.opening.match(self.buffer)
            if found is not None:
                break
            if self.ended or len(self.buffer) > DEFAULT_CHUNK_SIZE * 4 or b"<!" in self.buffer:
                return False  # not a list, or something ``decode`` should judge (a DOCTYPE)
            self.more()
        if self.charset is None and self.fmt == 2:
            self.charset = declared(self.buffer)
        if self.buffer.startswith(b"\xef\xbb\xbf"):
            self.consumed, self.buffer = 3, self.buffer[3:]
            found = frame.opening.match(self.buffer)
            assert found is not None
        self.advance(found.end())
        return True

    def batches(self, frame: _Frame, decode_batch: Callable[[Source], list[Any]]) -> Iterator[Any]:
        retry_at = 0  # after a failed cut: the buffer size at which to try again
        while True:
            if not self.more():
                break
            if len(self.buffer) < retry_at:
                continue
            records = self._cut(frame, decode_batch, last=False)
            if records is None:
                retry_at = 2 * len(self.buffer)
                continue
            retry_at = 0
            yield from records
        records = self._cut(frame, decode_batch, last=True)
        assert records is not None
        yield from records

    def _cut(
        self, frame: _Frame, decode_batch: Callable[[Source], list[Any]], *, last: bool
    ) -> list[Any] | None:
        """Decode the longest complete batch at the front of the buffer and drop it."""
        start = 0
        if frame.separator is not None and self.records:
            between = frame.separator.match(self.buffer)
            if between is None:
                if not last:
                    return None  # the end, or something the last batch will report
                if frame.closing is not None and frame.closing.fullmatch(self.buffer):
                    return []
                # truncated after a record, or no separator: decode the rest after a stand-in
                # for the records before, so the message is the one decode gives
                return self._decode(frame, decode_batch, 0, len(self.buffer), close=False, after=True)
            start = between.end()
        if last:
            body = self.buffer
            if frame.closing is not None:
                closing = re.search(frame.closing.pattern + rb"\Z", self.buffer[start:])
                if closing is None:  # truncated: decode says so at the end, and so do we
                    return self._decode(frame, decode_batch, start, len(self.buffer), close=False)
                body = self.buffer[: start + closing.start()]
            if not body[start:].strip():
                if start:  # a separator and then the end: a trailing comma
                    return self._decode(frame, decode_batch, 0, len(self.buffer), close=False, after=True)
                return []
            return self._decode(frame, decode_batch, start, len(body))
        end = len(self.buffer)
        for _ in range(_CUTS_TRIED):
            cut = self.buffer.rfind(frame.end, start, end)
            if cut < 0:
                return None
            end = cut
            try:
                return self._decode(frame, decode_batch, start, cut + len(frame.end))
            except DecodeError as exc:
                if exc.path is not None:  # a record is wrong, not where the batch was cut
                    raise
        return None

    def _decode(
        self,
        frame: _Frame,
        decode_batch: Callable[[Source], list[Any]],
        start: int,
        end: int,
        *,
        close: bool = True,
        after: bool = False,
    ) -> list[Any]:
        piece = self.buffer[start:end]
        before = frame.before + (frame.placeholder if after else b"")
        src = Source.from_payload(before + piece + (frame.after if close else b""), self.charset, self.fmt)
        try:
            records = decode_batch(src)
        except DecodeError as exc:
            here = self.consumed + start
            prefix = self.buffer[:start]
            breaks = prefix.count(b"\n")
            column = (
                len(prefix[prefix.rfind(b"\n") + 1 :].decode(src.charset, "replace"))
                if breaks
                else self.column + len(prefix.decode(src.charset, "replace"))
            )
            raise exc.moved(
                pos=here - len(before),
                line=self.lines + breaks,
                column=column - len(before),
                index=self.records,
            ) from None
        if self.charset is None and not piece.isascii():
            self.charset = src.charset  # the first non-ASCII batch decides for the rest
        self.records += len(records)
        self.advance(end)
        return records
