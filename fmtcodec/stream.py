"""``iter_decode``: records as they complete, from a file or an iterable of byte chunks.

Memory does not grow with a well-formed reply: the stream is cut after the last complete record in the
buffer (a line end in fmt 0/1, a ``</contact>``-style end tag in fmt 2, a ``}`` in fmt 3), that
batch is decoded by the fmt's own whole-reply decoder -- so every check and every message is the
same as ``decode`` -- and its errors are moved to absolute byte offsets, lines and record indexes.

A cut found by looking for the end bytes alone can land inside a value (a ``}`` in a JSON string,
``</contact>`` in a CDATA section); the batch then fails as malformed, and from there on the
stream's record ends are found by a scanner that knows strings (fmt 3) or comments, CDATA
sections and processing instructions (fmt 2).  Every byte is looked at a bounded number of times
(the scanners resume where they stopped), so time is linear in the stream and the buffer holds at
most the longest record and one chunk (spec/formats.md, Streaming).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import IO, Any, TypeVar

from fmtcodec import values, xml
from fmtcodec.charset import ASCII_SPACE, Source, normalize_charset
from fmtcodec.errors import DecodeError

__all__ = ["iter_decode"]

T = TypeVar("T")

DEFAULT_CHUNK_SIZE = 1 << 16
_DETECTED_FROM = 64  # bytes after leading whitespace: enough for ``detect_fmt``
_OPENING_LIMIT = 4 * DEFAULT_CHUNK_SIZE  # no list opening by then: not a list, decode it whole
_SHAPE_TOKENS = 1 << 18  # token kinds of fmt 1 row shapes kept while a stream is read
_UTF8_BOM = b"\xef\xbb\xbf"
_SPACE = ASCII_SPACE.encode("ascii")
_MARKUP_SPACE = b" \t\r\n"  # JSON's and XML's whitespace
_LEADING_SPACE = re.compile(b"[" + re.escape(_SPACE) + b"]*")
_MARKUP_SPACES = re.compile(rb"[ \t\r\n]*")
_PIECE_END = re.compile(rb"[,\n]")


class _Scanner:
    """Finds record ends that a search for the end bytes alone could get wrong; resumable, so
    that each byte is scanned once however the stream is chunked."""

    pos: int  # where to go on scanning in the buffer
    last_end: int  # the end of the last complete record found (0: none yet)

    def scan(self, buffer: bytearray) -> None:
        raise NotImplementedError

    def cut(self, size: int) -> None:
        """The first ``size`` bytes of the buffer were dropped."""
        self.pos = max(self.pos - size, 0)
        self.last_end = max(self.last_end - size, 0)


class _JsonScanner(_Scanner):
    """fmt 3: braces and brackets outside strings; a record ends where depth returns to 0."""

    # a whole string, a bracket, or the opening quote of a string the buffer does not finish
    _TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]]|"')
    _INSIDE = re.compile(rb'["\\]')

    def __init__(self) -> None:
        self.pos = 0
        self.last_end = 0
        self.depth = 0
        self.in_string = False

    def scan(self, buffer: bytearray) -> None:
        size = len(buffer)
        if self.in_string and not self._finish_string(buffer, size):
            return
        depth = self.depth
        for token in self._TOKENS.finditer(buffer, self.pos):
            char = token[0]
            if char == b'"':  # unfinished: go on from inside it when more comes
                self.in_string = True
                self.pos = token.end()
                self.depth = depth
                if self._finish_string(buffer, size):
                    self.scan(buffer)
                return
            if char in (b"{", b"["):
                depth += 1
            elif char in (b"}", b"]"):
                depth -= 1
                if depth == 0 and char == b"}":
                    self.last_end = token.end()
        self.depth = depth
        self.pos = size

    def _finish_string(self, buffer: bytearray, size: int) -> bool:
        """Skip to the end of the string the scan is inside; False when the buffer ends first."""
        while True:
            found = self._INSIDE.search(buffer, self.pos)
            if found is None:
                self.pos = size
                return False
            at = found.start()
            if buffer[at] == 0x5C:  # a backslash escapes the next byte
                if at + 1 >= size:
                    self.pos = at
                    return False
                self.pos = at + 2
                continue
            self.in_string = False
            self.pos = at + 1
            return True


class _XmlScanner(_Scanner):
    """fmt 2: the item end tag outside comments, CDATA sections and processing instructions."""


    def __init__(self, end: bytes) -> None:
        self.pos = 0
        self.last_end = 0
        self.end = end
        self.closer: bytes | None = None
        self.opening = re.compile(rb"<!--|<!\[CDATA\[|<\?|" + re.escape(end))
        self.longest = max(len(end), 9)

    def scan(self, buffer: bytearray) -> None:
        size = len(buffer)
        while True:
            if self.closer is not None:
                at = buffer.find(self.closer, self.pos)
                if at < 0:
                    self.pos = max(self.pos, size - len(self.closer) + 1)
                    return
                self.pos = at + len(self.closer)
                self.closer = None
                continue
            found = self.opening.search(buffer, self.pos)
            if found is None:
                self.pos = max(self.pos, size - self.longest + 1)  # a token may be cut in two
                return
            token = found[0]
            self.pos = found.end()
            if token == self.end:
                self.last_end = found.end()
            else:
                self.closer = _XML_CLOSERS[token]


_XML_CLOSERS = {b"<!--": b"-->", b"<![CDATA[": b"]]>", b"<?": b"?>"}


@dataclass(frozen=True)
class _Frame:
    """How a fmt's list reply is framed for streaming."""

    end: bytes  # the bytes that end a record
    opening: re.Pattern[bytes] | None  # what comes before the first record
    closing: re.Pattern[bytes] | None  # what comes after the last one
    before: bytes  # what a batch is wrapped in to make a whole reply
    after: bytes
    separator: re.Pattern[bytes] | None  # what must stand between two batches
    scanner: Callable[[], _Scanner] | None  # the exact record ends, when a plain search errs
    placeholder: bytes = b""  # a stand-in for the records already yielded, to judge what follows


_JSON_FRAME = _Frame(
    end=b"}",
    opening=re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*\["),
    closing=re.compile(rb"[ \t\r\n]*\][ \t\r\n]*"),
    before=b"[",
    after=b"]",
    separator=re.compile(rb"[ \t\r\n]*,[ \t\r\n]*"),
    scanner=_JsonScanner,
    placeholder=b"null",  # nothing can continue it, so what follows is judged on its own
)


def _xml_frame(item: str) -> _Frame:
    declaration = xml.DECLARATION.pattern
    end = f"</{item}>".encode("ascii")
    return _Frame(
        end=end,
        # the declaration only at the very start (XML 1.0 §2.8), strictly as decode reads it
        opening=re.compile(rb"(?:\xef\xbb\xbf)?(?:" + declaration + rb")?[ \t\r\n]*<list[ \t\r\n]*>"),
        closing=re.compile(rb"[ \t\r\n]*</list>[ \t\r\n]*"),
        before=b"<list>",
        after=b"\n</list>",  # with the line break the canonical layout takes the fast path
        separator=None,
        scanner=lambda: _XmlScanner(end),
    )


_LINES_FRAME = _Frame(
    end=b"\n", opening=None, closing=None, before=b"", after=b"", separator=None, scanner=None
)

# What makes a whole fmt 0/1 reply an error reply (text.decode_error, values.decode_error): such a
# stream is decoded whole, so that what follows the error line is judged as decode judges it.
_ERROR_STARTS = {0: (b"ERROR =",), 1: (b"ERROR =", b"0,-")}


def _chunks(source: IO[bytes] | Iterable[bytes], size: int) -> Iterator[bytes]:
    read = getattr(source, "read", None)
    chunks: Iterable[Any] = iter(lambda: read(size), b"") if read is not None else source
    for chunk in chunks:
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise TypeError(f"iter_decode reads bytes, got a chunk of {type(chunk).__name__}")
        if chunk:
            yield bytes(chunk)


def iter_decode(
    source: IO[bytes] | Iterable[bytes],
    type: type[list[T]],
    *,
    fmt: int | None = None,
    charset: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[T]:
    """Yield the records of a list reply read from a binary file or an iterable of chunks::

        iter_decode(source, list[Contact]) -> Iterator[Contact]
        iter_decode(source, list[MailContact]) -> Iterator[MailContact]
        iter_decode(source, list[Group]) -> Iterator[Group]
        iter_decode(source, list[BlacklistEntry]) -> Iterator[BlacklistEntry]
        iter_decode(source, list[MailBlacklistEntry]) -> Iterator[MailBlacklistEntry]
        iter_decode(source, list[Status]) -> Iterator[Status]
        iter_decode(source, list[Sender]) -> Iterator[Sender]
        iter_decode(source, list[HistoryMessage]) -> Iterator[HistoryMessage]
        iter_decode(source, list[Template]) -> Iterator[Template]

    ``source`` is a file opened in binary mode (``open(path, "rb")``, a socket's ``makefile("rb")``)
    or an iterable of ``bytes`` chunks; it is read ``chunk_size`` bytes at a time.
    ``fmt=None`` detects the fmt from the first bytes, as ``detect_fmt`` does.  With
    ``charset=None`` the first batch holding non-ASCII bytes decides the charset for the rest
    (UTF-8 if valid, else windows-1251); fmt 2 follows its XML prolog, a UTF-8 BOM means UTF-8.

    Raises:
        ApiError, DecodeError: as ``decode`` does, with byte offsets, lines and record paths
            counted from the start of the stream.
        TypeError: misuse -- ``type`` is not one of the five list types, ``source`` is one
            payload (``bytes``/``str``: use ``decode``), or a file opened in text mode (raised
            at the first ``str`` chunk).
        ValueError: misuse -- ``fmt`` is not 0..3, ``charset`` is not one of the three, or
            ``chunk_size`` is below 1.

    The misuse errors are Python's own ``TypeError``/``ValueError``, not ``FmtcodecError``s.
    """
    from fmtcodec import api

    if isinstance(source, bytes | bytearray | memoryview | str):
        raise TypeError("iter_decode reads a binary file or an iterable of chunks; one payload: decode")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    layout = api.records_layout(type)
    if layout is None:
        raise TypeError(f"iter_decode decodes list replies (list[Contact] ...), not {type!r}")
    known = None if charset is None else normalize_charset(charset)
    stream = _Stream(_chunks(source, chunk_size), known)
    if fmt is None:
        fmt = api.detect_fmt(stream.head(_DETECTED_FROM))
        if api.may_read_as_fmt1(fmt, layout) and values.may_start_a_row(stream.first_piece(), layout):
            # might be fmt 1 too: decode judges a collision, and it needs the whole reply
            yield from api.decode(stream.rest(), type, charset=charset)
            return
    codec = api.fmt_module(fmt)
    stream.fmt = fmt
    frame = {0: _LINES_FRAME, 1: _LINES_FRAME, 2: _xml_frame(layout.xml_item), 3: _JSON_FRAME}[fmt]
    if not stream.open(frame, codec.declared_charset, _ERROR_STARTS.get(fmt, ())):
        yield from api.decode(stream.rest(), type, fmt=fmt, charset=charset)
        return

    def decode_batch(src: Source) -> list[Any]:
        return codec.decode_records(src, layout)

    if fmt != 1:
        yield from chain.from_iterable(stream.batches(frame, decode_batch))
        return
    # fmt 1 remembers how each row shape is placed while it reads a reply, and forgets it after
    # (``values.decode_records``).  A stream is one reply read in batches: forgetting the shapes
    # after every batch placed each anew (streaming took 5x a whole decode).  What a batch's
    # tokens cost is dropped after it; the shapes are kept until they hold ``_SHAPE_TOKENS`` token
    # kinds (a few megabytes at most: memory stays flat), then forgotten too.  The compiled core
    # keeps its own placements of the shapes, and the texts it has met, the same way (``memo``).
    splitter = values._splitter(layout)
    memo = values.reply_memo(_SHAPE_TOKENS)

    def decode_rows(src: Source) -> list[Any]:
        try:
            return values._decode_records(src, layout, memo)
        finally:
            splitter.kind.cache_clear()
            if sum(map(len, splitter._shapes)) > _SHAPE_TOKENS:
                splitter.forget()

    try:
        yield from chain.from_iterable(stream.batches(frame, decode_rows))
    finally:
        splitter.forget()


class _Stream:
    """A byte buffer over a chunk iterator that knows where its first byte is in the stream."""

    def __init__(self, chunks: Iterator[bytes], charset: str | None) -> None:
        self.chunks = chunks
        self.fmt: int | None = None
        self.charset = charset
        self.buffer = bytearray()  # grown in place: a giant record costs linear time
        self.consumed = 0  # bytes of the stream before ``buffer``
        self.lines = 0  # line breaks before ``buffer``
        self.column = 0  # characters between the last of those and ``buffer``
        self.records = 0
        self.ended = False
        self.searched = 0  # the buffer holds no record end before this (less the end's length)
        self.scanner: _Scanner | None = None

    def more(self) -> bool:
        for chunk in self.chunks:
            self.buffer += chunk
            return True
        self.ended = True
        return False

    def rest(self) -> bytes:
        while self.more():
            pass
        return bytes(self.buffer)

    def head(self, size: int) -> bytes:
        """The buffer once ``size`` bytes follow its leading whitespace (or the stream ended);
        the whitespace is looked at once, however small the chunks."""
        skipped = 0
        while True:
            if not skipped and self.buffer.startswith(_UTF8_BOM):
                skipped = len(_UTF8_BOM)
            skipped = _LEADING_SPACE.match(self.buffer, skipped).end()  # type: ignore[union-attr]
            if len(self.buffer) - skipped >= size or not self.more():
                return bytes(self.buffer)

    def first_piece(self) -> str:
        """The text before the first comma or line break (after a BOM and leading whitespace).

        Called after ``head``: the leading whitespace is all in the buffer, and a line break in it
        does not end the piece (decode reads a fmt 1 reply after leading blank lines)."""
        start = 0
        if self.buffer.startswith(_UTF8_BOM):
            start = len(_UTF8_BOM)
        start = _LEADING_SPACE.match(self.buffer, start).end()  # type: ignore[union-attr]
        looked = start
        while True:
            found = _PIECE_END.search(self.buffer, looked)
            if found is not None:
                break
            looked = len(self.buffer)
            if not self.more():
                break
        end = found.start() if found is not None else len(self.buffer)
        return bytes(self.buffer[start:end]).decode(self.charset or "utf-8", "replace")

    def advance(self, size: int) -> None:
        """Drop the first ``size`` bytes of the buffer, keeping count of where we are."""
        gone = self.buffer[:size]
        breaks = gone.count(b"\n")
        tail = gone[gone.rfind(b"\n") + 1 :] if breaks else gone
        width = len(tail.decode(self.charset or "utf-8", "replace"))
        self.column = width if breaks else self.column + width
        self.lines += breaks
        self.consumed += size
        del self.buffer[:size]
        self.searched = max(self.searched - size, 0)
        if self.scanner is not None:
            self.scanner.cut(size)

    def open(
        self, frame: _Frame, declared: Callable[[bytes], str | None], error_starts: tuple[bytes, ...]
    ) -> bool:
        """Read and drop what stands before the first record; False if the reply is not a
        streamable list (an error reply, say): the caller then decodes it whole."""
        if frame.opening is None:
            head = self.head(8).removeprefix(_UTF8_BOM).lstrip(_SPACE)
            return not head.startswith(error_starts)
        tried_at = 0  # the opening is looked for again only once the buffer has doubled
        while True:
            if self.ended or len(self.buffer) >= 2 * tried_at:
                tried_at = len(self.buffer)
                found = frame.opening.match(self.buffer)
                if found is not None:
                    break
                if self.ended or len(self.buffer) > _OPENING_LIMIT or b"<!" in self.buffer:
                    return False  # not a list, or something ``decode`` should judge (a DOCTYPE)
            self.more()
        if self.charset is None and self.fmt == 2:
            self.charset = declared(bytes(self.buffer[: found.end()]))
        if self.buffer.startswith(_UTF8_BOM):
            if self.charset not in (None, "utf-8"):
                return False  # decode reads the BOM as text of that charset, and says so
            self.charset = "utf-8"  # a byte order mark declares UTF-8, as decode takes it
            self.consumed = len(_UTF8_BOM)
            del self.buffer[: len(_UTF8_BOM)]
            found = frame.opening.match(self.buffer)
            assert found is not None
        self.advance(found.end())
        return True

    def batches(self, frame: _Frame, decode_batch: Callable[[Source], list[Any]]) -> Iterator[list[Any]]:
        """The records a batch at a time (the caller chains them: one generator a record, not two)."""
        while True:  # what is already buffered first: an error shows as soon as it is read
            yield self._cut(frame, decode_batch)
            if not self.more():
                break
        yield self._last(frame, decode_batch)

    def _start(self, frame: _Frame) -> int | None:
        """Where the next record starts: after the separator, if records came before one.  None
        when the separator is not (yet) there: the last batch judges it."""
        if frame.separator is None or not self.records:
            return 0
        # whitespace after a record is dropped as it comes, so it is looked at once
        self.advance(_MARKUP_SPACES.match(self.buffer).end())  # type: ignore[union-attr]
        between = frame.separator.match(self.buffer)
        return None if between is None else between.end()

    def _cut(self, frame: _Frame, decode_batch: Callable[[Source], list[Any]]) -> list[Any]:
        """Decode the longest complete batch at the front of the buffer and drop it."""
        start = self._start(frame)
        if start is None:
            return []
        if self.scanner is not None:  # exact ends: a failing batch is a real error
            self.scanner.scan(self.buffer)
            if self.scanner.last_end <= start:
                return []
            return self._decode(frame, decode_batch, start, self.scanner.last_end)
        cut = self.buffer.rfind(frame.end, max(start, self.searched - len(frame.end) + 1))
        self.searched = len(self.buffer)
        if cut < 0:
            return []
        try:
            return self._decode(frame, decode_batch, start, cut + len(frame.end))
        except DecodeError as exc:
            if exc.path is not None or frame.scanner is None or self._undecodable(start, cut):
                raise  # a record is wrong, or a byte: not where the batch was cut
        self.scanner = frame.scanner()  # the cut was inside a value: exact ends from now on
        self.scanner.pos = start
        return self._cut(frame, decode_batch)

    def _undecodable(self, start: int, end: int) -> bool:
        charset = self.charset
        if charset is None:
            return False
        try:
            bytes(self.buffer[start:end]).decode(charset)
        except UnicodeDecodeError:
            return True
        return False

    def _last(self, frame: _Frame, decode_batch: Callable[[Source], list[Any]]) -> list[Any]:
        """What is left once the stream has ended, decoded with its real closing bytes."""
        start = self._start(frame)
        if start is None:
            if frame.closing is not None and frame.closing.fullmatch(self.buffer):
                return []
            # truncated after a record, or no separator: decode the rest after a stand-in for the
            # records before, so the message is the one decode gives
            return self._decode(frame, decode_batch, 0, len(self.buffer), close=False, after=True)
        if start and (
            not self.buffer[start:].strip(_MARKUP_SPACE)
            or (frame.closing is not None and frame.closing.match(self.buffer, start))
        ):
            # a separator and then the end (followed by anything): a trailing comma, as decode says
            return self._decode(frame, decode_batch, 0, len(self.buffer), close=False, after=True)
        return self._decode(frame, decode_batch, start, len(self.buffer), close=False)

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
        before = frame.before + (frame.placeholder if after else b"")
        with memoryview(self.buffer) as view:  # one copy of the batch, not three
            payload = before + view[start:end] + (frame.after if close else b"")
        src = Source.from_payload(payload, self.charset, self.fmt)
        try:
            records = decode_batch(src)
        except DecodeError as exc:
            here = self.consumed + start
            prefix = self.buffer[:start]
            breaks = prefix.count(b"\n")
            charset = self.charset or src.charset
            column = (
                len(prefix[prefix.rfind(b"\n") + 1 :].decode(charset, "replace"))
                if breaks
                else self.column + len(prefix.decode(charset, "replace"))
            )
            raise exc.moved(
                pos=here - len(before),
                line=self.lines + breaks,
                column=column - len(before),
                index=self.records,
            ) from None
        if self.charset is None and not payload.isascii():
            self.charset = src.charset  # the first non-ASCII batch decides for the rest
        self.records += len(records)
        self.advance(end)
        return records
