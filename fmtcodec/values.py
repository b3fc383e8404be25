"""fmt 1: bare comma-separated values, one record a line.

Seed, list of contacts at fmt = 1::

    <phone>,<name>,<group>,<first_name>,<last_name>,<middle_name>,<birthday>,<id>,<comments>,<tags>,<phone_other>

Nothing is escaped (facts §11: the provider's own PHP library limit-splits to keep commas in the
last field).  A row is cut at its commas into tokens, and each field takes a run of one or more
tokens that must look like the field (its ``fmt1`` class in spec/layout.toml): a group id is
digits, a birthday ``dd.mm.yyyy``, a phone list phone-like tokens, free text anything.  A linear
dynamic programme over (field, token) ranks the placements so that a phone or e-mail list takes
every phone-like token next to it (rule 3); one best placement decodes, none is a ``DecodeError``,
several equally good ones an ``AmbiguousRecordError`` listing them.  Rows whose comma count is
right are read a whole column at a time (the fast path).  The encoder refuses exactly the rows that
would not split back into the record (spec/formats.md, fmt 1).
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, pairwise, repeat
from typing import Any

import msgspec

from fmtcodec import _core
from fmtcodec.charset import ASCII_SPACE, Source
from fmtcodec.errors import AmbiguousRecordError, DecodeError, EncodeError, shown
from fmtcodec.layout import INTEGER, FieldValueError, RecordLayout, parse_integer, reply_integer, reply_number
from fmtcodec.records import Created, Error, Ok
from fmtcodec.text import lines, lines_of
from fmtcodec.writing import (
    FieldSlots,
    column_texts,
    column_values,
    compiled_reply,
    join_records,
    number_texts,
    value_columns,
)

FMT = 1

# Seed: "При fmt = 1: 0,-N"; the send page: "<id>,-N" for codes 3, 6, 7 and 8 (0: no id).
_ERROR = re.compile(rf"[{ASCII_SPACE}]*([A-Za-z0-9._-]+),-({INTEGER})[{ASCII_SPACE}]*")
# What the first characters of a reply are when it may be an error reply (a prefix of one).
_ERROR_START = re.compile(rf"[{ASCII_SPACE}]*[A-Za-z0-9._-]*(?:,(?:-[0-9]*[{ASCII_SPACE}]*)?)?")
# Seed: "при fmt = 1: <id>".
_CREATED = re.compile(rf"[{ASCII_SPACE}]*({INTEGER})[{ASCII_SPACE}]*")
_BARE_OK = "OK"
_CANDIDATES_SHOWN = 5
# bytes.translate deletion keeping only commas and line breaks: the payload's "skeleton" (both
# are single bytes in every charset the provider uses, never part of another character)
_NOT_SEPARATORS = bytes(set(range(256)) - {ord(","), ord("\n")})
MAX_PIECES = 10_000
"""The most comma-separated pieces a row may have (phone lists included)."""
_SHAPES_KEPT = 4096
_BULK_FROM = 64  # tokens in a row from which they are classified by scanning the row
_EMPTY_TOKEN = re.compile("(?<![^,])(?![^,])")
_EMPTY = 1 << 30
_BLANK_LINES = re.compile("\n\n+")

# One token (a comma-free piece of a row) of each class.  Phone lists are "через любой
# разделитель": digits with spaces, + - ( ) ; between them.
_TOKEN = {
    "phone": re.compile(r"[ \t+\-();]*[0-9][0-9 \t+\-();]*"),
    "email": re.compile(r"[ \t]*[^\s@,;]+@[^\s@,;]+[ \t]*"),
    "number": re.compile(r"[0-9]+"),
    "date": re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}"),
    # the pages' classes (issue 16); the integer and decimal rules themselves are FieldLayout.parse's
    "signed": re.compile(r"-?[0-9]+"),
    "decimal": re.compile(r"-?[0-9]+(?:\.[0-9]+)?"),
    "id": re.compile(r"[A-Za-z0-9._-]+"),
    "date-time": re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}"),
    "word": re.compile(r"[^,\r\n]+"),
    # Unix seconds: at most ten digits (until the year 2286), so that a 15-digit IMSI is not one
    "timestamp": re.compile(r"[0-9]{1,10}"),
    "none": re.compile(r"(?!)"),  # a field fmt 1 never carries
}


@dataclass(frozen=True, slots=True)
class _Class:
    """What a field may take in a row: ``token`` names the class of every token it takes (None:
    anything), ``many`` whether it takes a run of them, ``empty`` whether a lone empty token will do."""

    token: str | None
    many: bool
    empty: bool

    @property
    def is_list(self) -> bool:
        """A phone or e-mail list: the fields rule 3 prefers long."""
        return self.token is not None and self.many


_PAGE_CLASSES = ("signed", "decimal", "id", "date-time", "word", "timestamp")  # each one token (issue 16)
_CLASSES = {
    "text": _Class(None, many=True, empty=True),
    "phones": _Class("phone", many=True, empty=False),
    "phones?": _Class("phone", many=True, empty=True),
    "emails": _Class("email", many=True, empty=False),
    "emails?": _Class("email", many=True, empty=True),
    "phone": _Class("phone", many=False, empty=False),
    "email": _Class("email", many=False, empty=False),
    "number": _Class("number", many=False, empty=False),
    "number?": _Class("number", many=False, empty=True),
    "date?": _Class("date", many=False, empty=True),
    **{name: _Class(name, many=False, empty=False) for name in _PAGE_CLASSES},
    **{f"{name}?": _Class(name, many=False, empty=True) for name in _PAGE_CLASSES},
    "none": _Class("none", many=False, empty=False),
}

# The rank of a placement: the lengths of its list fields in field order, compared as tuples.
_Rank = tuple[int, ...]


class _NoSplit(Exception):
    """A row splits in ``ways`` equally good ways (0 or several), some of which are ``readings``;
    ``reason`` says why when the row was not even tried."""

    def __init__(self, ways: int, readings: list[list[str]], reason: str | None = None) -> None:
        super().__init__(ways)
        self.ways = ways
        self.readings = readings
        self.reason = reason


def _row_piece(cls: _Class, kind: str) -> str | None:
    """The regex group of one field in ``_Splitter.one_placement``: what fits its token class and
    its type; ``None`` where no such group is written here."""
    if cls.token is None:
        return "(.*)" if kind == "str" else None
    token = f"(?:{_TOKEN[cls.token].pattern})"
    if kind == "str":
        shape = token
    elif cls.token == "number" and kind in _ROW_INTEGERS:
        shape = _ROW_INTEGERS[kind]  # each a subset of the class ``number``
    else:
        return None
    return f"({shape}{'?' if cls.empty else ''})"


# Integer rules of ``layout.parse_integer`` / ``FieldLayout.parse`` as row pieces (no leading
# zeros; a blacklist type 0, 1 or 2); ``int?`` may also be empty, written by the class's ``?``.
_ROW_INTEGERS = {"int": f"(?:{INTEGER})", "int?": f"(?:{INTEGER})", "blacklist-type": "[012]"}


class _Splitter:
    """Places a row's tokens into the fields of one layout (spec/formats.md, fmt 1)."""

    def __init__(self, layout: RecordLayout) -> None:
        self.classes = [_CLASSES[field.fmt1] for field in layout.fields]
        self._shapes: dict[tuple[int, ...], tuple[int, list[list[int]]]] = {}
        self.token_classes = sorted({cls.token for cls in self.classes if cls.token is not None})
        self.token_matchers = [_TOKEN[name].fullmatch for name in self.token_classes]
        # the same classes as whole comma-separated pieces of a row (no class holds a comma)
        self.token_scanners = [
            re.compile(f"(?<![^,])(?:{_TOKEN[name].pattern})(?![^,])") for name in self.token_classes
        ]
        self.kind = functools.lru_cache(maxsize=1 << 16)(self._kind)
        self.matchers: list[Callable[[str], Any] | None] = [
            None if cls.token is None else _TOKEN[cls.token].fullmatch for cls in self.classes
        ]
        # Whole-column checks for the fast path: every value of a column, joined by line breaks.
        self.column_checks: list[Callable[[str], Any] | None] = []
        for cls in self.classes:
            if cls.token is None:
                self.column_checks.append(None)
                continue
            one = f"(?:{_TOKEN[cls.token].pattern}){'?' if cls.empty else ''}"
            self.column_checks.append(re.compile(f"{one}(?:\n{one})*").fullmatch)
        # A kind with one free-text field and single-token others (groups, blacklists) has one
        # placement per row: the text field takes every token the others leave.  Then the rows
        # are cut by one multi-line match, at C speed, whatever commas the text holds; each other
        # field's group takes only what fits both its class and its type (``_ROW_PIECES``), so a
        # row that matches is read as the splitter and ``FieldLayout.parse`` read it.
        self.free_field: int | None = None
        self.one_placement: re.Pattern[str] | None = None
        free = [f for f, cls in enumerate(self.classes) if cls.token is None]
        if len(free) == 1 and not any(cls.many for cls in self.classes if cls.token is not None):
            kinds = (field.type for field in layout.fields)
            pieces = [_row_piece(cls, kind) for cls, kind in zip(self.classes, kinds, strict=True)]
            if None not in pieces:
                self.free_field = free[0]
                self.one_placement = re.compile(f"^{','.join(map(str, pieces))}$", re.MULTILINE)

    def columns(self, rows: list[str]) -> list[list[str]] | None:
        """The field columns of rows that hold exactly one comma fewer than fields, or ``None``
        when a value does not look like its field (then some row does not split this way)."""
        return self.columns_of(",".join(rows).split(","))

    def columns_of(self, values: list[str]) -> list[list[str]] | None:
        """``columns`` of the values of such rows, one after the other."""
        width = len(self.classes)
        columns = [values[field::width] for field in range(width)]
        for column, cls, check in zip(columns, self.classes, self.column_checks, strict=True):
            if check is not None and not _column_fits(cls, check, column):
                return None
        return columns

    def fits_one_each(self, tokens: Sequence[str]) -> bool:
        """Every field takes exactly one token (the row has as many tokens as fields)."""
        for token, cls, match in zip(tokens, self.classes, self.matchers, strict=True):
            if match is not None and match(token) is None and not (cls.empty and token == ""):
                return False
        return True

    def value_fits(self, field: int, value: str) -> bool:
        """``value`` alone looks like field ``field`` (used to explain an encoder's refusal)."""
        tokens = value.split(",")
        cls = self.classes[field]
        if cls.token is None or (cls.empty and value == ""):
            return True
        if not cls.many and len(tokens) != 1:
            return False
        return all(_TOKEN[cls.token].fullmatch(token) for token in tokens)

    def forget(self) -> None:
        """Drop what the caches hold of the reply just read (its tokens can be large)."""
        self.kind.cache_clear()
        self._shapes.clear()

    def _kind(self, token: str) -> int:
        """Bit c set when ``token`` is of token class c; the top bit when it is empty."""
        if not token:
            return _EMPTY
        return sum(1 << bit for bit, match in enumerate(self.token_matchers) if match(token))

    def _runs(self, kinds: Sequence[int]) -> dict[str, list[int]]:
        """``runs[c][i]``: how many tokens of class c follow one another from token i on."""
        runs: dict[str, list[int]] = {}
        for bit, name in enumerate(self.token_classes):
            run = [0] * (len(kinds) + 1)
            for i in range(len(kinds) - 1, -1, -1):
                run[i] = run[i + 1] + 1 if kinds[i] >> bit & 1 else 0
            runs[name] = run
        return runs

    def _steps(
        self, f: int, i: int, tokens: Sequence[str], runs: dict[str, list[int]], n: int
    ) -> range:
        """The token indexes field f may end before when it starts at token i."""
        cls = self.classes[f]
        if cls.token is None:
            return range(i + 1, n + 1)
        run = runs[cls.token][i]
        if run:
            return range(i + 1, i + 1 + (run if cls.many else 1))
        return range(i + 1, i + 2) if cls.empty and tokens[i] == "" else range(0)

    def rank(
        self, tokens: Sequence[str], runs: dict[str, list[int]]
    ) -> tuple[list[list[_Rank | None]], list[list[int]]]:
        """``best[f][i]``: the best rank fields f.. can reach taking exactly tokens i.. (None: they
        cannot), and ``ways[f][i]``: how many placements reach it.  O(fields x tokens)."""
        n = len(tokens)
        k = len(self.classes)
        best: list[list[_Rank | None]] = [[None] * (n + 1) for _ in range(k + 1)]
        ways = [[0] * (n + 1) for _ in range(k + 1)]
        best[k][n] = ()
        ways[k][n] = 1
        for f in range(k - 1, -1, -1):
            cls = self.classes[f]
            nxt, nxt_ways = best[f + 1], ways[f + 1]
            here, here_ways = best[f], ways[f]
            if cls.token is None:  # free text: the best of every end after i, ties counted
                top: _Rank | None = None
                count = 0
                for i in range(n - 1, -1, -1):
                    candidate = nxt[i + 1]
                    if candidate is not None:
                        if top is None or candidate > top:
                            top, count = candidate, nxt_ways[i + 1]
                        elif candidate == top:
                            count += nxt_ways[i + 1]
                    here[i], here_ways[i] = top, count
                continue
            last = [-1] * (n + 1)  # last[x]: the largest end j <= x the next fields can go on from
            for x in range(n + 1):
                last[x] = x if nxt[x] is not None else (last[x - 1] if x else -1)
            run = runs[cls.token]
            for i in range(n):
                if run[i]:
                    j = last[i + (run[i] if cls.many else 1)]
                    if j <= i:
                        continue
                elif cls.empty and tokens[i] == "":
                    j = i + 1
                    if nxt[j] is None:
                        continue
                else:
                    continue
                tail = nxt[j]
                assert tail is not None
                # a list field ranks by its length (an empty list by 0); the longest end wins
                here[i] = ((j - i if run[i] else 0), *tail) if cls.is_list else tail
                here_ways[i] = nxt_ways[j]
        return best, ways

    def best_readings(
        self,
        tokens: Sequence[str],
        runs: dict[str, list[int]],
        best: list[list[_Rank | None]],
        limit: int,
    ) -> list[list[int]]:
        """Up to ``limit`` best placements, each as the token index every field starts at."""
        n = len(tokens)
        k = len(self.classes)
        found: list[list[int]] = []

        def walk(f: int, i: int, starts: list[int]) -> None:
            if f == k:
                found.append(starts)
                return
            target = best[f][i]
            cls = self.classes[f]
            for j in self._steps(f, i, tokens, runs, n):
                if len(found) >= limit:
                    return
                tail = best[f + 1][j]
                if tail is None:
                    continue
                got = ((j - i if tokens[i] != "" or j > i + 1 else 0), *tail) if cls.is_list else tail
                if got == target:
                    walk(f + 1, j, [*starts, i])

        walk(0, 0, [])
        return found

    def _place(self, tokens: Sequence[str], runs: dict[str, list[int]]) -> tuple[int, list[list[int]]]:
        """How many best placements there are, and the first few."""
        best, ways = self.rank(tokens, runs)
        count = ways[0][0]
        if not count:
            return 0, []
        return count, self.best_readings(tokens, runs, best, 1 if count == 1 else _CANDIDATES_SHOWN)

    def shape(self, tokens: Sequence[str], line: str | None = None) -> tuple[int, ...]:
        """``kind`` of every token.  A row of many tokens is classified a class at a time, by one
        C-level scan of the row per class, so that its cost per byte is that of a short row."""
        if line is None or len(tokens) < _BULK_FROM:
            return tuple(map(self.kind, tokens))
        ends = list(map(operator.add, accumulate(map(len, tokens)), range(len(tokens))))  # commas
        kinds = [0] * len(tokens)
        for bit, pattern in enumerate(self.token_scanners):
            for found in pattern.finditer(line):
                kinds[bisect_left(ends, found.start())] |= 1 << bit
        for found in _EMPTY_TOKEN.finditer(line):
            kinds[bisect_left(ends, found.start())] = _EMPTY
        return tuple(kinds)

    def place(self, tokens: Sequence[str], line: str | None = None) -> Sequence[int]:
        """The token index each field starts at, when the row has one best placement; else
        ``_NoSplit``.  ``line`` is ``",".join(tokens)`` when the caller has it."""
        if len(tokens) == len(self.classes) and self.fits_one_each(tokens):
            return range(len(tokens))
        if len(tokens) > MAX_PIECES:
            # the placement table holds every piece for every field: bound it (spec/formats.md,
            # fmt 1, rule 4); no record has that many values
            raise _NoSplit(
                0, [], f"the row has {len(tokens)} comma-separated pieces; at most {MAX_PIECES} are placed"
            )
        # The placement depends on the tokens only through their classes and emptiness, and the
        # rows of one list repeat a few shapes: remember the answer per shape.
        return self.place_shaped(tokens, self.shape(tokens, line))

    def place_shaped(self, tokens: Sequence[str], shape: tuple[int, ...]) -> Sequence[int]:
        """``place`` for a row whose ``shape`` (each token's ``kind``) is known already."""
        known = self._shapes.get(shape)
        if known is None:
            if len(self._shapes) >= _SHAPES_KEPT:
                self._shapes.clear()
            known = self._shapes[shape] = self._place(tokens, self._runs(shape))
        ways, readings = known
        if ways != 1:
            raise _NoSplit(ways, [self._texts(tokens, reading) for reading in readings])
        return readings[0]

    @staticmethod
    def _bounded(line: str) -> None:
        """``_NoSplit`` for a row of more pieces than are placed, told before it is cut into them
        (a list of a million one-character pieces would hold 30 times the row; issue 15)."""
        pieces = line.count(",") + 1
        if pieces > MAX_PIECES:
            reason = f"the row has {pieces} comma-separated pieces; at most {MAX_PIECES} are placed"
            raise _NoSplit(0, [], reason)

    def split(self, line: str) -> list[str]:
        """The field texts of a row (``_NoSplit`` when it has not one best placement)."""
        self._bounded(line)
        tokens = line.split(",")
        return self._texts(tokens, self.place(tokens, line))

    def split_with_offsets(self, line: str) -> tuple[list[str], list[int]]:
        """``split``, and where each field starts in ``line`` (to report an error)."""
        self._bounded(line)
        tokens = line.split(",")
        starts = self.place(tokens, line)
        offsets = [0, *map(operator.add, accumulate(map(len, tokens)), range(1, len(tokens) + 1))]
        return self._texts(tokens, starts), [offsets[s] for s in starts]

    @staticmethod
    def _texts(tokens: Sequence[str], starts: Sequence[int]) -> list[str]:
        ends = [*starts[1:], len(tokens)]
        return [",".join(tokens[a:b]) for a, b in zip(starts, ends, strict=True)]


_SPLITTERS: dict[str, _Splitter] = {}


def _splitter(layout: RecordLayout) -> _Splitter:
    found = _SPLITTERS.get(layout.kind)
    if found is None:
        found = _SPLITTERS[layout.kind] = _Splitter(layout)
    return found


def may_start_a_row(token: str, layout: RecordLayout) -> bool:
    """Whether ``token`` (the text before the first comma or line break) can be the first piece
    of a row of ``layout`` -- so that a reply starting with it might be fmt 1 (detection)."""
    cls = _CLASSES[layout.fields[0].fmt1]
    return cls.token is None or _TOKEN[cls.token].fullmatch(token) is not None or (cls.empty and not token)


def declared_charset(data: bytes) -> str | None:
    """fmt 1 declares no charset."""
    return None


def decode_error(src: Source) -> Error | None:
    if _ERROR_START.fullmatch(src.head()) is None:
        return None  # (a list reply is not decoded whole to find that out)
    match = _ERROR.fullmatch(src.text)
    if match is None:
        return None
    try:
        code = parse_integer("error_code", match[2])
    except ValueError as exc:
        raise src.error(str(exc), match.start(2), "$.error_code") from None
    return Error(error_code=code, id=None if match[1] == "0" else match[1])


def decode_ok(src: Source) -> Ok:
    if src.text.strip(ASCII_SPACE) != _BARE_OK:
        raise src.error("expected 'OK'", 0)
    return Ok()


def decode_created(src: Source) -> Created:
    match = _CREATED.fullmatch(src.text)
    if match is None:
        raise src.error("expected the new id alone", 0)
    return Created(id=reply_number(src, "id", match))


def _unsplittable(layout: RecordLayout, found: _NoSplit, **where: Any) -> DecodeError:
    count = len(layout.fields)
    if found.reason is not None:
        return DecodeError(found.reason, **where)
    if not found.ways:
        return DecodeError(
            f"the row does not split into the {count} fields of {layout.a_kind}"
            f" ({', '.join(layout.field_names)})",
            **where,
        )
    return AmbiguousRecordError(
        f"the row splits into the {count} fields of {layout.a_kind} in {found.ways} equally good ways",
        candidates=[tuple(reading) for reading in found.readings],
        **where,
    )


# The compiled core's code for each token class (fmtcodec/_speedups.pyx); None: free text.
_TOKEN_CODES = {None: 0, "phone": 1, "email": 2, "number": 3, "date": 4}


def reply_memo(most_tokens: int) -> Any:
    """What the compiled core keeps between the batches of one reply read in batches (``stream``):
    the row shapes placed and the texts met (``_speedups.ReplyMemo``); ``None`` without the core."""
    core = _core.CORE
    return None if core is None else core.ReplyMemo(most_tokens)


def _compiled_records(src: Source, layout: RecordLayout, memo: Any = None) -> list[Any] | None:
    """The rows read in C when the compiled core is active; where a row's commas are not all
    separators the core cuts it itself when the kind has one placement a row (``free_field``),
    else the splitter places its tokens, once per row shape (per reply, or per ``memo``: see
    ``reply_memo``).  ``None``: it declined."""
    core = _core.CORE
    if core is None or not layout.simple:
        return None
    utf8 = src.undecoded_utf8()  # UTF-8 bytes are read as they are: no str of the whole reply
    payload: str | bytes = src.text if utf8 is None else utf8
    if "\r" in payload if isinstance(payload, str) else b"\r" in payload:
        return None
    splitter = _splitter(layout)
    types, members = _core.plan(layout)
    tokens = tuple(_TOKEN_CODES[cls.token] for cls in splitter.classes)
    empties = tuple(cls.empty for cls in splitter.classes)
    bits = tuple(_TOKEN_CODES[name] for name in splitter.token_classes)
    odd_starts = functools.partial(_odd_starts, splitter)
    long_row = functools.partial(_long_row, splitter, layout)
    free = -1 if splitter.free_field is None else splitter.free_field  # one placement a row
    facts = (types, tokens, empties, layout.record, members, bits, _EMPTY, odd_starts, long_row, free, memo)
    found: list[Any] | None = core.fmt1_records(payload, *facts)
    if found is None and utf8 is not None and src.charset != "utf-8":
        found = core.fmt1_records(src.text, *facts)  # not UTF-8 (the charset was unknown): windows-1251
    return found


def _long_row(splitter: _Splitter, layout: RecordLayout, line: str) -> Any:
    """The record of a row of many pieces, ``None`` when the general path must say why not."""
    try:
        return layout.from_texts(splitter.split(line))
    except (_NoSplit, FieldValueError):
        return None


def _odd_starts(splitter: _Splitter, tokens: list[str], shape: tuple[int, ...]) -> Sequence[int] | None:
    """Where each field starts in a row whose commas are not all separators; ``None`` when the
    general path must say why it does not split."""
    try:
        return splitter.place_shaped(tokens, shape)
    except _NoSplit:
        return None


def _rows_text(src: Source) -> tuple[str, bytes | None] | None:
    """The rows of a reply for a fast path: its text with blank lines dropped (first, so that no
    list a fast path makes is as long as they are, issue 15) and its last line break cut, and the
    UTF-8 bytes of that text where they are not the payload's (``None``: ``src.body()``, made only
    when asked for); ``None`` for a reply holding a CR (the general path decides)."""
    text = src.text
    if "\r" in text:
        return None
    if "\n\n" in text or text.startswith("\n"):
        text = _BLANK_LINES.sub("\n", text).strip("\n")
        return text, text.encode("utf-8")
    return text.removesuffix("\n"), None


def _fast_records(src: Source, layout: RecordLayout) -> list[Any] | None:
    """Rows with no comma inside a value are cut into columns at C speed and checked a column at
    a time; the few other rows take the splitter.  ``None``: let the general path decide (and
    report an error where it is)."""
    splitter = _splitter(layout)
    rows_text = _rows_text(src)
    if rows_text is None:
        return None
    text, body = rows_text
    if not text:
        return []
    if body is None:
        body = src.body()
    commas = len(layout.fields) - 1
    rows = text.count("\n") + 1
    skeleton = body.translate(None, _NOT_SEPARATORS).removesuffix(b"\n")
    size = rows * (commas + 1) - 1
    if len(skeleton) == size and skeleton == (b"," * commas + b"\n") * (rows - 1) + b"," * commas:
        # every row has exactly one comma fewer than fields: no line split, no per-row count
        return _plain_records(text, layout)
    if splitter.one_placement is not None:  # some text holds a comma (a group's name often does)
        found = _fast_one_placement(text, layout)
        if found is not None:
            return found
        # it declined (a blank line, a row that does not match): the rows one by one below
    lines = text.split("\n")
    counts = list(map(str.count, lines, repeat(",")))
    odd = [row for row, count in enumerate(counts) if count != commas]
    plain = list(chain.from_iterable(lines[a + 1 : b] for a, b in pairwise([-1, *odd, len(lines)])))
    columns = splitter.columns(plain)
    if columns is None:
        return None
    records = layout.from_columns(columns)
    if records is None or not odd:
        return records
    out: list[Any] = []
    taken = 0
    for index, row in enumerate(odd):
        upto = row - index  # plain rows before this one
        out.extend(records[taken:upto])
        taken = upto
        if lines[row]:
            try:
                out.append(layout.from_texts(splitter.split(lines[row])))
            except (_NoSplit, FieldValueError):
                return None
    out.extend(records[taken:])
    return out


_BLOCK = 1 << 15  # characters of rows read as one block by _plain_records


def _plain_records(text: str, layout: RecordLayout) -> list[Any] | None:
    """The records of rows that each hold one comma fewer than fields (no CR, no blank line, no
    final line break), cut into columns and checked a block of rows at a time: a block's values
    are still in the processor's cache when its columns are checked and its records built, where
    one pass over the whole reply's values after another would fetch them from memory each time.
    ``None``: a value does not look like its field."""
    splitter = _splitter(layout)
    out: list[Any] = []
    start = 0
    while start < len(text):
        end = text.find("\n", start + _BLOCK)
        if end < 0:
            end = len(text)
        columns = splitter.columns_of(text[start:end].replace("\n", ",").split(","))
        records = None if columns is None else layout.from_columns(columns)
        if records is None:
            return None
        out += records
        start = end + 1
    return out


def _fast_one_placement(text: str, layout: RecordLayout) -> list[Any] | None:
    """The rows of ``text`` (no CR, no final line break) of a kind with one placement
    (``_Splitter.one_placement``), cut by one match over the whole reply and built a column at a
    time.  ``None``: a row has fewer commas than it needs, too many pieces, or a value that does
    not fit, or a line is blank: the general path says which."""
    splitter = _splitter(layout)
    pattern = splitter.one_placement
    assert pattern is not None
    assert splitter.free_field is not None
    found = pattern.findall(text)
    if len(found) != text.count("\n") + 1:
        return None  # a row that does not match (each match is one whole row)
    columns = list(zip(*found, strict=True))
    free = columns[splitter.free_field]
    most = MAX_PIECES - len(columns)  # commas a text may hold (no more than its characters)
    if max(map(len, free)) > most and max(map(str.count, free, repeat(","))) > most:
        return None  # a row the splitter refuses to place
    return layout.from_columns(columns, checked=True)


def decode_records(src: Source, layout: RecordLayout) -> list[Any]:
    try:
        return _decode_records(src, layout)
    finally:
        _splitter(layout).forget()


def _decode_records(src: Source, layout: RecordLayout, memo: Any = None) -> list[Any]:
    if not layout.simple:  # the pages' kinds: row variants and their own classes
        return _variant_records(src, layout)
    fast = _compiled_records(src, layout, memo)
    if fast is None:
        fast = _fast_records(src, layout)
    if fast is not None:
        return fast
    return _general_records(src, layout)


def _general_records(src: Source, layout: RecordLayout) -> list[Any]:
    """Row by row through the splitter: reads every reply the fast path declines, and says where
    a row does not split."""
    splitter = _splitter(layout)
    names = layout.field_names
    build = layout.from_texts
    out: list[Any] = []
    text = src.text
    for here, end in lines_of(text):  # non-blank lines, CR of CRLF dropped (blank ones cost nothing)
        line = text[here:end]
        path = f"$[{len(out)}]"
        try:
            texts, offsets = splitter.split_with_offsets(line)
        except _NoSplit as exc:
            where = src.error("", here, path)
            raise _unsplittable(
                layout,
                exc,
                fmt=FMT,
                pos=where.pos,
                line=where.line,
                column=where.column,
                path=path,
                snippet=where.snippet,
            ) from None
        try:
            out.append(build(texts))
        except FieldValueError as exc:
            raise src.error(
                exc.reason, here + offsets[exc.field], f"{path}.{names[exc.field]}"
            ) from None
    return out


_DIGIT_TOKENS = ("phone", "number")  # token classes every non-empty run of ASCII digits fits


_PHONE_MARKS = b" \t+-();"  # what a phone token holds besides digits (_TOKEN["phone"])
_PHONE_CHARS = _PHONE_MARKS + b"0123456789\n"


def _column_fits(cls: _Class, check: Callable[[str], Any], column: list[str]) -> bool:
    """Every value of a column (none holding a line break) is a token of the class, or empty
    where it may be: ``check``, the whole-column match, unless a test at C speed shows it first
    (columns of digits, columns of dates are the common ones)."""
    if cls.token in _DIGIT_TOKENS and (cls.empty or "" not in column):
        digits = "".join(column)
        if digits.isascii() and digits.encode("ascii").isdigit():  # (bytes: a table lookup)
            return True  # every value ASCII digits (or empty where it may be): it fits
    if cls.token == "phone":
        joined = "\n".join(column)
        if joined.isascii():
            lines = joined.encode("ascii")
            if not lines.translate(None, _PHONE_CHARS):  # only a phone's characters; and a
                # digit in each value: a value without one leaves an empty line, as empty ones do
                empty = lines.translate(None, _PHONE_MARKS).split(b"\n").count(b"")
                return empty == (column.count("") if cls.empty else 0)
    elif cls.token == "date" and set(map(len, column)) <= ({0, 10} if cls.empty else {10}):
        dates = "".join(column)  # every value ten characters: dd.mm.yyyy at each tenth
        count = len(dates) // 10
        digits = dates.replace(".", "")
        if (dates[2::10] == dates[5::10] == "." * count and len(digits) == 8 * count
                and digits.isascii() and digits.encode("ascii").isdigit()):
            return True
    return check("\n".join(column)) is not None


def _fast_lines(records: Sequence[Any], layout: RecordLayout) -> str | None:
    """Rows joined at C speed, numbers written by ``writing.number_texts``.  When the reply has
    no more commas and line breaks than the layout's own (no value holds one), each column with a
    token class is checked whole; a kind with one placement (groups, blacklists) is read back by
    its one multi-line match and compared; other rows with commas go through the splitter.
    ``None``: the general path decides (and says why it refuses)."""
    if not records:
        return None
    count = len(records)
    commas = len(layout.fields) - 1
    rows: Sequence[Sequence[str]]
    try:
        if layout.all_text:  # a join per row and one of the rows, as a hand-written loop does
            rows = list(map(msgspec.structs.astuple, records))
            text = "\n".join(map(",".join, rows))
        else:
            texts: list[Sequence[str]] = []
            for field, column in zip(layout.fields, value_columns(records, commas + 1), strict=True):
                found = column if field.type == "str" else number_texts(field.type, column)
                if found is None:
                    return None
                # an int? column: its absent values written empty (a None in a str column stays:
                # the join refuses it, and the general path says where)
                if field.type != "str" and None in found:
                    found = ["" if text is None else text for text in found]
                texts.append(found)  # type: ignore[arg-type]
            text = join_records(texts, [FieldSlots(""), *[FieldSlots(",")] * commas], "", "", "\n")
            rows = list(zip(*texts, strict=True))
    except TypeError:  # not a str
        return None
    if "\r" in text or text.count("\n") != count - 1:
        return None
    splitter = _splitter(layout)
    if text.count(",") == count * commas:  # no value holds a comma: every column is checked whole
        for index, (cls, check) in enumerate(zip(splitter.classes, splitter.column_checks, strict=True)):
            if check is None:
                continue
            if not _column_fits(cls, check, list(map(operator.itemgetter(index), rows))):
                return None
        return text
    if splitter.one_placement is not None:  # read back as the decoder reads it
        back = _fast_one_placement(text, layout)
        return text if back is not None and back == list(records) else None
    lines = text.split("\n")
    counts = list(map(str.count, lines, repeat(",")))
    odd = [row for row, found in enumerate(counts) if found != commas]
    plain = list(chain.from_iterable(lines[a + 1 : b] for a, b in pairwise([-1, *odd, len(lines)])))
    if splitter.columns(plain) is None:
        return None
    for row in odd:
        try:
            if splitter.split(lines[row]) != list(rows[row]):
                return None
        except _NoSplit:
            return None
    return text


def encode_records(records: Sequence[Any], layout: RecordLayout, charset: str, *, strict: bool = True) -> str:
    if not layout.simple:  # the pages' kinds: row variants and their own classes
        return _variant_lines(records, layout, strict=strict)
    if not strict:
        # the rows as the server writes them: values joined by commas, nothing escaped, whether or
        # not they split back (spec/formats.md, Encoding, "As the server writes"); the compiled
        # core writes the same bytes for what it accepts
        fast = _compiled_lines(records, layout)
        return _lines_as_written(records, layout) if fast is None else fast
    try:
        return _encode_records(records, layout)
    finally:
        _splitter(layout).forget()


def _lines_as_written(records: Sequence[Any], layout: RecordLayout) -> str:
    """``strict=False``: the rows joined; only a line break in a value is refused, as
    ``strict=True`` refuses it, since it would make one record two (or a CR line end)."""
    rows = layout.wire_rows(records, FMT)
    written = "\n".join(map(",".join, rows))
    if written.count("\n") != len(rows) - 1 or "\r" in written:
        for row, texts in enumerate(rows):
            for name, value in zip(layout.field_names, texts, strict=True):
                _check_line_value(value, f"$[{row}].{name}")
    return written


def _check_line_value(value: str, path: str) -> None:
    if "\n" in value or "\r" in value:
        raise EncodeError("a line break cannot be carried: records are one line each", fmt=FMT, path=path)


def _compiled_lines(records: Sequence[Any], layout: RecordLayout, utf8: bool = False) -> Any:
    """Comma-free rows written in C when the compiled core is active (a ``str``, or UTF-8 ``bytes``
    when ``utf8``); ``None``: it declined."""
    if _core.CORE is None or not _core.writable(layout):
        return None
    classes = _splitter(layout).classes
    tokens = tuple(_TOKEN_CODES[cls.token] for cls in classes)
    empties = tuple(cls.empty for cls in classes)
    separators = ("", *("," * (len(classes) - 1)))
    frame = ("", "", "", "\n", "", "")
    return compiled_reply(records, layout, FMT, separators, frame, tokens=tokens, empties=empties, utf8=utf8)


def _encode_records(records: Sequence[Any], layout: RecordLayout) -> str:
    fast: str | None = _compiled_lines(records, layout)
    if fast is None:
        fast = _fast_lines(records, layout)
    if fast is not None:
        return fast
    splitter = _splitter(layout)
    lines = []
    for row, record in enumerate(records):
        texts = layout.wire_texts(record, row, FMT)
        for name, value in zip(layout.field_names, texts, strict=True):
            if "\n" in value or "\r" in value:
                raise EncodeError(
                    "a line break cannot be carried: records are one line each",
                    fmt=FMT,
                    path=f"$[{row}].{name}",
                )
        line = ",".join(texts)
        try:
            back = splitter.split(line)
        except _NoSplit as exc:
            raise EncodeError(_why_not(splitter, layout, texts, exc), fmt=FMT, path=f"$[{row}]") from None
        if back != texts:
            raise EncodeError(f"the row would decode as {shown(tuple(back), 200)}", fmt=FMT, path=f"$[{row}]")
        lines.append(line)
    return "\n".join(lines)


def _why_not(splitter: _Splitter, layout: RecordLayout, texts: list[str], found: _NoSplit) -> str:
    if found.reason is not None:
        return found.reason
    for index, (field, value) in enumerate(zip(layout.fields, texts, strict=True)):
        if not splitter.value_fits(index, value):
            return f"`{field.name}` {shown(value)} does not look like a {field.fmt1.rstrip('?')} value"
    if found.ways and len(found.readings) > 1:
        first, second = found.readings[:2]
        first_shown, second_shown = shown(tuple(first), 200), shown(tuple(second), 200)
        return f"the row would split in {found.ways} ways, e.g. {first_shown} and {second_shown}"
    return "the row would not split back into its fields"


def encode_created(value: Created, charset: str) -> str:
    return reply_integer("id", value.id, FMT)


def encode_ok(charset: str) -> str:
    return _BARE_OK


def encode_error(value: Error, charset: str) -> str:
    if value.id == "0":
        raise EncodeError("an id '0' reads as no id in fmt 1 ('0,-N')", fmt=FMT, path="$.id")
    if value.error:
        raise EncodeError(
            "fmt 1 error replies are '0,-N' and carry no description; use Error(error_code=N)",
            fmt=FMT,
            path="$.error",
        )
    return f"{value.id or 0},-{reply_integer('error_code', value.error_code, FMT)}"


# ---------------------------------------------------------------------------------------------
# The pages' kinds (issue 16): a row is placed against every row variant of the kind (its
# ``fmt1_variants``), each a sub-layout placed by the same splitter; spec/formats.md, fmt 1, "Pages".


class _RowRefused(Exception):
    """A row does not read as one record: ``reason``; ``field``/``offset`` the value that does not
    fit its type (then the row placed in one way), ``candidates`` the readings of an ambiguous row."""

    def __init__(
        self,
        reason: str,
        *,
        field: str | None = None,
        offset: int = 0,
        candidates: list[tuple[str, ...]] | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field
        self.offset = offset
        self.candidates = candidates


@dataclass(frozen=True)
class _Variant:
    """One row variant: its fields (indexes into the layout) and the splitter of that sub-layout."""

    fields: tuple[int, ...]
    splitter: _Splitter
    names: tuple[str, ...]


_VARIANTS: dict[str, list[_Variant]] = {}


def _variants(layout: RecordLayout) -> list[_Variant]:
    known = _VARIANTS.get(layout.kind)
    if known is None:
        known = []
        for number, fields in enumerate(layout.fmt1_variants):
            sub = dataclasses.replace(
                layout, kind=f"{layout.kind} row {number}", fields=tuple(layout.fields[f] for f in fields)
            )
            known.append(_Variant(fields, _Splitter(sub), sub.field_names))
        _VARIANTS[layout.kind] = known
    return known


def _widths(layout: RecordLayout) -> str:
    widths = [str(width) for width in sorted({len(variant) for variant in layout.fmt1_variants})]
    return f"{', '.join(widths[:-1])} or {widths[-1]}" if len(widths) > 1 else widths[0]


def _read_row(line: str, layout: RecordLayout) -> Any:
    """The record of one row: the one reading of all the variants' best placements."""
    tokens = line.split(",")
    readings: list[tuple[_Variant, list[str]]] = []
    ways = 0
    unique: tuple[_Variant, Sequence[int]] | None = None
    for variant in _variants(layout):
        if len(tokens) < len(variant.fields):
            continue  # every field takes a piece at least
        try:
            starts = variant.splitter.place(tokens, line)
        except _NoSplit as exc:
            if exc.reason is not None:
                raise _RowRefused(exc.reason) from None
            ways += exc.ways
            readings.extend((variant, reading) for reading in exc.readings)
            continue
        ways += 1
        unique = (variant, starts)
        readings.append((variant, _Splitter._texts(tokens, starts)))
    if ways == 1 and unique is not None:
        variant, starts = unique
        texts = _Splitter._texts(tokens, starts)
        values: dict[str, Any] = {}
        for position, (index, text) in enumerate(zip(variant.fields, texts, strict=True)):
            field = layout.fields[index]
            if not text and field.optional and field.fmt1.endswith("?"):
                values[field.name] = None  # an optional field written empty: absent, text or not
                continue
            try:
                values[field.name] = field.parse(text)
            except ValueError as exc:
                offsets = [0, *map(operator.add, accumulate(map(len, tokens)), range(1, len(tokens) + 1))]
                raise _RowRefused(str(exc), field=field.name, offset=offsets[starts[position]]) from None
        return layout.record(**values)
    several = len(layout.fmt1_variants) > 1
    if not ways:
        _misfit(tokens, layout)
        if several:
            raise _RowRefused(
                f"the row does not split into the fields of {layout.a_kind} row of {_widths(layout)} fields"
            )
        only = _variants(layout)[0]
        names, count = ", ".join(only.names), len(only.fields)
        raise _RowRefused(f"the row does not split into the {count} fields of {layout.a_kind} ({names})")
    candidates = [tuple(texts) for _, texts in readings[:_CANDIDATES_SHOWN]]
    if several:
        raise _RowRefused(
            f"the row reads in {ways} equally good ways as {layout.a_kind} row of {_widths(layout)} fields",
            candidates=candidates,
        )
    count = len(_variants(layout)[0].fields)
    raise _RowRefused(
        f"the row splits into the {count} fields of {layout.a_kind} in {ways} equally good ways",
        candidates=candidates,
    )


def _misfit(tokens: list[str], layout: RecordLayout) -> None:
    """For a row no variant places: when one variant has a field for every piece, the first piece
    that does not look like its field is refused there (``1.4e0,1`` at ``$.cost``)."""
    same = [variant for variant in _variants(layout) if len(variant.fields) == len(tokens)]
    if len(same) != 1:
        return
    (variant,) = same
    offset = 0
    for position, (index, token) in enumerate(zip(variant.fields, tokens, strict=True)):
        if not variant.splitter.value_fits(position, token):
            field = layout.fields[index]
            try:
                field.parse(token)
                reason = f"`{field.name}` {shown(token)} does not look like a {field.fmt1.rstrip('?')} value"
            except ValueError as exc:
                reason = str(exc)
            raise _RowRefused(reason, field=field.name, offset=offset)
        offset += len(token) + 1


def _forget(layout: RecordLayout) -> None:
    """Drop what the splitters' caches hold of the reply just read or written."""
    for variant in _variants(layout):
        variant.splitter.forget()


def _row_error(src: Source, refused: _RowRefused, here: int, path: str) -> DecodeError:
    if refused.field is not None:
        return src.error(refused.reason, here + refused.offset, f"{path}.{refused.field}")
    where = src.error(refused.reason, here, path)
    if refused.candidates is None:
        return where
    return AmbiguousRecordError(
        refused.reason,
        candidates=refused.candidates,
        fmt=FMT,
        pos=where.pos,
        line=where.line,
        column=where.column,
        path=path,
        snippet=where.snippet,
    )


def _variant_records(src: Source, layout: RecordLayout) -> list[Any]:
    try:
        fast = _fast_variant_records(src, layout)
        return _row_records(src, layout) if fast is None else fast
    finally:
        _forget(layout)


# The pages' fast paths, driven by the row variants of the table.  A row of ``n`` pieces is read
# by the variant of ``n`` fields alone when no other variant could place ``n`` pieces (none of
# ``n`` fields besides it, none narrower with a field that takes a run of pieces): then each piece
# is one field's, and a whole column is checked by its class and its type at once.  The other rows
# are read one by one by ``_read_row``; anything that does not fit makes the fast path decline,
# and the general path reads the reply again and says where.


@dataclass(frozen=True)
class _FastVariant:
    """A row variant the fast paths read and write whole columns of: its fields (indexes into the
    layout), each field's class check on a column, whether an empty piece reads as ``None``, and
    the record's default of every field up to its last one (a field after that is left to it)."""

    fields: tuple[int, ...]
    checks: tuple[Callable[[str], Any] | None, ...]
    empty_is_none: tuple[bool, ...]
    no_empty: tuple[bool, ...]
    """Where the class check is left to the type's rule but the class takes no empty piece."""
    defaults: tuple[Any, ...]


@dataclass(frozen=True)
class _RowPlan:
    """``by_width``: the fast variant of each row width no other variant could also place."""

    by_width: dict[int, _FastVariant]


_ROW_PLANS: dict[str, _RowPlan] = {}
# (type, token class) where every text of the type's rule (``FieldLayout.parse``) is of the class:
# a column the type's check passes needs no check of its class.
_TYPE_FITS_CLASS = frozenset(
    {("int", "number"), ("ts", "number"), ("signed", "signed"), ("decimal", "decimal"), ("id", "id")}
)
_NONE_TYPE = type(None)


def _row_plan(layout: RecordLayout) -> _RowPlan:
    known = _ROW_PLANS.get(layout.kind)
    if known is not None:
        return known
    variants = _variants(layout)
    struct_fields = msgspec.structs.fields(layout.record)
    by_width: dict[int, _FastVariant] = {}
    for variant in variants:
        width = len(variant.fields)
        rivals = [
            other
            for other in variants
            if other is not variant
            and (
                len(other.fields) == width
                or (len(other.fields) < width and any(cls.many for cls in other.splitter.classes))
            )
        ]
        left_out = [field for index, field in enumerate(struct_fields) if index not in variant.fields]
        if rivals or any(
            field.default is msgspec.NODEFAULT or field.default_factory is not msgspec.NODEFAULT
            for field in left_out
        ):
            continue
        checks = []
        no_empty = []
        splitter = variant.splitter
        for index, cls, check in zip(variant.fields, splitter.classes, splitter.column_checks, strict=True):
            field = layout.fields[index]
            implied = (field.base, cls.token) in _TYPE_FITS_CLASS
            checks.append(None if implied else check)  # the type's own check says enough...
            no_empty.append(implied and field.optional and not cls.empty)  # ...but for "" (None)
        by_width[width] = _FastVariant(
            variant.fields,
            tuple(checks),
            tuple(layout.fields[index].fmt1.endswith("?") for index in variant.fields),
            tuple(no_empty),
            tuple(field.default for field in struct_fields[: max(variant.fields) + 1]),
        )
    known = _ROW_PLANS[layout.kind] = _RowPlan(by_width)
    return known


def _typed_columns(
    variant: _FastVariant, layout: RecordLayout, columns: Sequence[Sequence[str]]
) -> list[Any] | None:
    """The typed values of the variant's columns of wire texts (no text holding a comma or a line
    break), as ``_read_row`` reads them one row at a time; ``None`` when a value does not fit."""
    typed = []
    for index, column, check, empty, no_empty in zip(
        variant.fields, columns, variant.checks, variant.empty_is_none, variant.no_empty, strict=True
    ):
        if (check is not None and check("\n".join(column)) is None) or (no_empty and "" in column):
            return None
        values = column_values(layout.fields[index], column, empty_is_none=empty)
        if values is None:
            return None
        typed.append(values)
    return typed


def _column_records(variant: _FastVariant, layout: RecordLayout, pieces: list[str]) -> list[Any] | None:
    """The records of rows of exactly the variant's width, their ``pieces`` one after the other."""
    width = len(variant.fields)
    typed = _typed_columns(variant, layout, [pieces[position::width] for position in range(width)])
    if typed is None:
        return None
    arguments: list[Any] = [repeat(default) for default in variant.defaults]
    for index, values in zip(variant.fields, typed, strict=True):
        arguments[index] = values
    return list(map(layout.record, *arguments))


def _fast_variant_records(src: Source, layout: RecordLayout) -> list[Any] | None:
    """The rows of a pages' kind read a column at a time where their width says which variant
    they are (``_RowPlan``); ``None``: the general path reads the reply (and says what is wrong)."""
    plan = _row_plan(layout)
    rows_text = _rows_text(src) if plan.by_width else None
    if rows_text is None:
        return None
    text, body = rows_text
    if not text:
        return []
    count, commas = text.count("\n") + 1, text.count(",")
    variant = plan.by_width.get(commas // count + 1) if commas % count == 0 else None
    if variant is not None:  # maybe every row that wide: its commas and line breaks say so at C speed
        skeleton = (src.body() if body is None else body).translate(None, _NOT_SEPARATORS).removesuffix(b"\n")
        separators = b"," * (len(variant.fields) - 1)
        if skeleton == b"\n".join(repeat(separators, count)):
            return _column_records(variant, layout, text.replace("\n", ",").split(","))
    rows = text.split("\n")
    counts = list(map(str.count, rows, repeat(",")))
    low = min(counts)
    if low == max(counts):  # one width: the whole reply's pieces, cut once
        variant = plan.by_width.get(low + 1)
        if variant is None:
            return None
        return _column_records(variant, layout, text.replace("\n", ",").split(","))
    widths: dict[int, list[int]] = {}
    for row, count in enumerate(counts):
        widths.setdefault(count + 1, []).append(row)
    out: list[Any] = [None] * len(rows)
    for width, numbers in widths.items():
        variant = plan.by_width.get(width)
        if variant is None:
            for row in numbers:
                try:
                    out[row] = _read_row(rows[row], layout)
                except _RowRefused:
                    return None
            continue
        found = _column_records(variant, layout, ",".join([rows[row] for row in numbers]).split(","))
        if found is None:
            return None
        for row, record in zip(numbers, found, strict=True):
            out[row] = record
    return out


def _row_records(src: Source, layout: RecordLayout) -> list[Any]:
    """The general path of the pages' kinds: each row placed by ``_read_row``; says where a row
    does not read."""
    out = []
    try:
        for row, (here, line) in enumerate(lines(src)):
            try:
                out.append(_read_row(line, layout))
            except _RowRefused as exc:
                raise _row_error(src, exc, here, f"$[{row}]") from None
    finally:
        _forget(layout)
    return out


def _row_texts(record: Any, layout: RecordLayout, path: str) -> list[str]:
    """The values of the first variant that holds every field set, its other fields ``?`` ones."""
    values = msgspec.structs.astuple(record)
    given = {index for index, value in enumerate(values) if value is not None}
    placed = set(chain.from_iterable(layout.fmt1_variants))
    outside = [layout.fields[index].name for index in sorted(given - placed)]
    if outside:
        names = ", ".join(f"`{name}`" for name in outside)
        raise EncodeError(
            f"fmt 1 has no place for {names} in {layout.a_kind} row", fmt=FMT, path=f"{path}.{outside[0]}"
        )
    holding = [variant for variant in layout.fmt1_variants if given <= set(variant)]
    for variant in holding:
        if all(index in given or layout.fields[index].fmt1.endswith("?") for index in variant):
            break
    else:
        told = ", ".join(f"`{layout.fields[index].name}`" for index in sorted(given))
        if not holding:
            reason = f"no {layout.kind} row holds them all"
        else:
            needed = ", ".join(
                f"`{layout.fields[index].name}`"
                for index in holding[0]
                if index not in given and not layout.fields[index].fmt1.endswith("?")
            )
            reason = f"no {layout.kind} row holds them without {needed}"
        raise EncodeError(f"fmt 1 cannot place {told} together: {reason}", fmt=FMT, path=path)
    texts = []
    for index in variant:
        field = layout.fields[index]
        try:
            text = field.format(values[index])
        except ValueError as exc:
            raise EncodeError(str(exc), fmt=FMT, path=f"{path}.{field.name}") from None
        if "\n" in text or "\r" in text:
            reason = "a line break cannot be carried: records are one line each"
            raise EncodeError(reason, fmt=FMT, path=f"{path}.{field.name}")
        texts.append(text)
    return texts


def _checked_row(record: Any, layout: RecordLayout, path: str, *, strict: bool) -> str:
    line = ",".join(_row_texts(record, layout, path))
    if not strict:
        return line
    try:
        back = _read_row(line, layout)
    except _RowRefused as exc:
        reason = exc.reason
        if exc.candidates:
            reason = f"{reason}, e.g. {' and '.join(shown(c, 200) for c in exc.candidates[:2])}"
        raise EncodeError(f"the row would not read back: {reason}", fmt=FMT, path=path) from None
    if back != record:
        raise EncodeError(f"the row would decode as {shown(back, 200)}", fmt=FMT, path=path)
    return line


def _variant_lines(records: Sequence[Any], layout: RecordLayout, *, strict: bool) -> str:
    try:
        fast = _fast_variant_lines(records, layout, strict=strict)
    finally:
        _forget(layout)
    return _checked_lines(records, layout, strict=strict) if fast is None else fast


def _written_variant(layout: RecordLayout, given: set[int]) -> int | None:
    """The variant ``_row_texts`` writes a record in whose fields ``given`` are set; ``None``
    where it refuses the record."""
    for number, variant in enumerate(layout.fmt1_variants):
        if given <= set(variant) and all(
            index in given or layout.fields[index].fmt1.endswith("?") for index in variant
        ):
            return number
    return None


def _fast_variant_lines(records: Sequence[Any], layout: RecordLayout, *, strict: bool) -> str | None:
    """The rows of a pages' kind written a column at a time (``writing.column_texts``) when every
    record sets the same fields, so that all are written in one variant; ``strict`` reads them
    back as the fast reader does -- a column at a time, where no value holds a comma and the
    variant's width is its own -- and compares.  ``None``: the general path writes them, or says
    why not."""
    if not records:
        return None
    count = len(records)
    columns = value_columns(records, len(layout.fields))
    given = set()
    for index, column in enumerate(columns):
        types = set(map(type, column))  # (by type: comparing an amount with None costs more)
        if _NONE_TYPE not in types:
            given.add(index)
        elif len(types) > 1:
            return None  # records of different variants: the general path, row by row
    number = _written_variant(layout, given)
    if number is None:
        return None
    fields = layout.fmt1_variants[number]
    texts = []
    for index in fields:
        found = column_texts(layout.fields[index], columns[index])
        if found is None:
            return None
        texts.append(found)
    commas = len(fields) - 1
    text = join_records(texts, [FieldSlots(""), *[FieldSlots(",")] * commas], "", "", "\n")
    if text.count("\n") != count - 1 or "\r" in text:
        return None
    if not strict:
        return text
    variant = _row_plan(layout).by_width.get(len(fields))
    if variant is None or variant.fields != fields or text.count(",") != count * commas:
        return None
    # Each text is ``FieldLayout.format``'s of a value of the field's exact type, so it fits the
    # type's rule and ``parse`` gives the value back; what remains to check is that each piece is
    # of its field's class, and that no empty text of a set value reads back as None.
    for index, column, check, empty, no_empty in zip(
        fields, texts, variant.checks, variant.empty_is_none, variant.no_empty, strict=True
    ):
        if (check is not None and check("\n".join(column)) is None) or (no_empty and "" in column):
            return None
        if empty and layout.fields[index].optional and index in given and "" in column:
            return None
    if _ERROR.fullmatch(text) or text.lstrip(ASCII_SPACE).startswith("ERROR ="):
        return None
    return text


def _checked_lines(records: Sequence[Any], layout: RecordLayout, *, strict: bool) -> str:
    """The general path of the pages' kinds: each record's row written and, when ``strict``, read
    back by ``_read_row``; says which record it refuses and why."""
    try:
        text = "\n".join(
            _checked_row(record, layout, f"$[{row}]", strict=strict) for row, record in enumerate(records)
        )
    finally:
        _forget(layout)
    if strict and (_ERROR.fullmatch(text) or text.lstrip(ASCII_SPACE).startswith("ERROR =")):
        raise EncodeError("the reply would read as an error reply", fmt=FMT, path="$[0]")
    return text


def decode_record(src: Source, layout: RecordLayout) -> Any:
    """One record of a single-record kind (``layout.shape == "record"``) in fmt 1: exactly one
    row (blank lines around it, a final line break, are ignored)."""
    rows = lines(src)
    if len(rows) != 1:
        where = rows[1][0] if rows else 0
        raise src.error(f"expected one {layout.kind} row, found {len(rows)}", where, "$")
    here, line = rows[0]
    try:
        return _read_row(line, layout)
    except _RowRefused as exc:
        raise _row_error(src, exc, here, "$") from None
    finally:
        _forget(layout)


def encode_record(value: Any, layout: RecordLayout, charset: str, *, strict: bool = True) -> str:
    """The fmt 1 reply of one record of a single-record kind: the row of its first fitting variant;
    ``strict`` refuses a row that would not read back as ``value`` (or would read as an error)."""
    try:
        line = _checked_row(value, layout, "$", strict=strict)
    finally:
        _forget(layout)
    if strict and (_ERROR.fullmatch(line) or line.lstrip(ASCII_SPACE).startswith("ERROR =")):
        raise EncodeError("the row would read as an error reply", fmt=FMT, path="$")
    return line
