"""fmt 1: bare comma-separated values, one record a line.

Seed, list of contacts at fmt = 1::

    <phone>,<name>,<group>,<first_name>,<last_name>,<middle_name>,<birthday>,<id>,<comments>,<tags>,<phone_other>

Nothing is escaped (facts §11: the provider's own PHP library limit-splits to keep commas in the
last field).  A row is cut at its commas into tokens, and each field takes a run of one or more
tokens that must look like the field (its ``fmt1`` class in spec/layout.toml): a group id is
digits, a birthday ``dd.mm.yyyy``, a phone list phone-like tokens, free text anything.  Counting
the ways to place the fields is a linear dynamic programme over (field, token); exactly one way
decodes, none is a ``DecodeError``, several an ``AmbiguousRecordError`` listing them.  The encoder
refuses exactly the rows that would not split back into the record (spec/formats.md, fmt 1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from fmtcodec.charset import Source
from fmtcodec.errors import AmbiguousRecordError, DecodeError, EncodeError
from fmtcodec.layout import FieldValueError, RecordLayout
from fmtcodec.records import Created, Error, Ok

FMT = 1

# Seed: "При fmt = 1: 0,-N".
_ERROR = re.compile(r"\s*0,-([0-9]+)\s*")
# Seed: "при fmt = 1: <id>".
_CREATED = re.compile(r"\s*([0-9]+)\s*")
_BARE_OK = "OK"
_CANDIDATES_SHOWN = 5
_READINGS_RANKED = 256  # more readings than this are reported as ambiguous without ranking

# One token (a comma-free piece of a row) of each class.  Phone lists are "через любой
# разделитель": digits with spaces, + - ( ) ; between them.
_TOKEN = {
    "phone": re.compile(r"[\s+\-();]*[0-9][0-9\s+\-();]*"),
    "email": re.compile(r"\s*[^\s@,;]+@[^\s@,;]+\s*"),
    "number": re.compile(r"[0-9]+"),
    "date": re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}"),
}
# fmt1 class -> (token class, how many tokens: "one" or "run", empty allowed)
_CLASSES: dict[str, tuple[str | None, str, bool]] = {
    "text": (None, "run", True),
    "phones": ("phone", "run", False),
    "phones?": ("phone", "run", True),
    "emails": ("email", "run", False),
    "emails?": ("email", "run", True),
    "phone": ("phone", "one", False),
    "email": ("email", "one", False),
    "number": ("number", "one", False),
    "number?": ("number", "one", True),
    "date?": ("date", "one", True),
}


class _NoSplit(Exception):
    """A row splits in ``ways`` ways (0 or several), some of which are ``readings``."""

    def __init__(self, ways: int, readings: list[list[str]]) -> None:
        super().__init__(ways)
        self.ways = ways
        self.readings = readings


class _Splitter:
    """Places a row's tokens into the fields of one layout."""

    def __init__(self, layout: RecordLayout) -> None:
        self.classes = [_CLASSES[field.fmt1] for field in layout.fields]
        self.matchers: list[Callable[[str], Any] | None] = [
            None if token is None else _TOKEN[token].fullmatch for token, _, _ in self.classes
        ]

    def fits_one_each(self, tokens: Sequence[str]) -> bool:
        """Every field takes exactly one token (the row has as many tokens as fields)."""
        for token, (_, _, empty_ok), match in zip(tokens, self.classes, self.matchers, strict=True):
            if match is not None and match(token) is None and not (empty_ok and token == ""):
                return False
        return True

    def value_fits(self, field: int, value: str) -> bool:
        """``value`` alone looks like field ``field`` (the encoder's first check)."""
        tokens = value.split(",")
        return self._fits(field, tokens, self._runs(tokens), 0, len(tokens))

    def _runs(self, tokens: Sequence[str]) -> dict[str, list[int]]:
        """``runs[c][i]``: how many tokens of class c follow one another from token i on."""
        runs: dict[str, list[int]] = {}
        for token_class, _, _ in self.classes:
            if token_class is not None and token_class not in runs:
                match = _TOKEN[token_class].fullmatch
                run = [0] * (len(tokens) + 1)
                for i in range(len(tokens) - 1, -1, -1):
                    run[i] = run[i + 1] + 1 if match(tokens[i]) else 0
                runs[token_class] = run
        return runs

    def _fits(
        self, f: int, tokens: Sequence[str], runs: dict[str, list[int]], i: int, j: int
    ) -> bool:
        """Tokens i..j-1 can be field f."""
        token_class, many, empty_ok = self.classes[f]
        if token_class is None:
            return True
        if empty_ok and j == i + 1 and tokens[i] == "":
            return True
        if many == "one":
            return j == i + 1 and runs[token_class][i] > 0
        return j - i <= runs[token_class][i]

    def count(self, tokens: Sequence[str], runs: dict[str, list[int]]) -> list[list[int]]:
        """``ways[f][i]``: in how many ways fields f.. take exactly the tokens i.. (O(fields x tokens))."""
        n = len(tokens)
        k = len(self.classes)
        ways = [[0] * (n + 1) for _ in range(k + 1)]
        ways[k][n] = 1
        after = [1] * (n + 1) + [0]  # after[i] = sum of ways[f + 1][j] for j >= i
        for f in range(k - 1, -1, -1):
            token_class, many, empty_ok = self.classes[f]
            run = runs[token_class] if token_class is not None else []
            row = ways[f]
            nxt = ways[f + 1]
            for i in range(n - 1, -1, -1):
                if token_class is None:  # free text: any run of one or more tokens
                    total = after[i + 1]
                elif not run[i]:
                    total = nxt[i + 1] if empty_ok and tokens[i] == "" else 0
                elif many == "run":
                    total = after[i + 1] - after[i + 1 + run[i]]
                else:
                    total = nxt[i + 1]
                row[i] = total
            after = [0] * (n + 2)
            for i in range(n, -1, -1):
                after[i] = after[i + 1] + row[i]
        return ways

    def readings(
        self, tokens: Sequence[str], runs: dict[str, list[int]], ways: list[list[int]], limit: int
    ) -> list[list[int]]:
        """Up to ``limit`` placements, each as the token index every field starts at.

        Only steps that ``ways`` says can be completed are taken, so the first placement is found
        in O(fields x tokens) whatever the row holds.
        """
        n = len(tokens)
        k = len(self.classes)
        found: list[list[int]] = []

        def walk(f: int, i: int, starts: list[int]) -> None:
            if f == k:
                found.append(starts)
                return
            for j in range(i + 1, n + 1):
                if len(found) >= limit:
                    return
                if ways[f + 1][j] and self._fits(f, tokens, runs, i, j):
                    walk(f + 1, j, [*starts, i])

        walk(0, 0, [])
        return found

    def _preferred(
        self, tokens: Sequence[str], runs: dict[str, list[int]], ways: list[list[int]]
    ) -> list[list[int]]:
        """The readings in which the phone (e-mail) lists are longest, in field order.

        A phone list takes every phone-like token next to it: "+7911…,+7911…" at the end of a row
        is two other phones, not a tag and a phone (spec/formats.md, fmt 1, rule 3).
        """
        lists = [f for f, (token_class, many, _) in enumerate(self.classes) if token_class and many == "run"]
        readings = self.readings(tokens, runs, ways, _READINGS_RANKED)
        n = len(tokens)

        def rank(starts: list[int]) -> tuple[int, ...]:
            ends = [*starts[1:], n]
            return tuple(ends[f] - starts[f] for f in lists)

        top = max(rank(reading) for reading in readings)
        return [reading for reading in readings if rank(reading) == top]

    def split(self, line: str) -> tuple[list[str], list[int]]:
        """``(texts, offsets)`` of the fields when the row splits in exactly one way; else
        ``_NoSplit`` with the number of ways and some of them."""
        tokens = line.split(",")
        if len(tokens) == len(self.classes) and self.fits_one_each(tokens):
            starts = list(range(len(tokens)))
        else:
            runs = self._runs(tokens)
            ways = self.count(tokens, runs)
            total = ways[0][0]
            if total == 1:
                starts = self.readings(tokens, runs, ways, 1)[0]
            else:
                best = self._preferred(tokens, runs, ways) if 1 < total <= _READINGS_RANKED else []
                if len(best) != 1:
                    shown = best or self.readings(tokens, runs, ways, _CANDIDATES_SHOWN)
                    raise _NoSplit(total, [self._texts(tokens, reading) for reading in shown])
                starts = best[0]
        offsets = [0]
        for token in tokens:
            offsets.append(offsets[-1] + len(token) + 1)
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


def declared_charset(data: bytes) -> str | None:
    """fmt 1 declares no charset."""
    return None


def decode_error(src: Source) -> Error | None:
    match = _ERROR.fullmatch(src.text)
    return None if match is None else Error(error_code=int(match[1]))


def decode_ok(src: Source) -> Ok:
    if src.text.strip() != _BARE_OK:
        raise src.error("expected 'OK'", 0)
    return Ok()


def decode_created(src: Source) -> Created:
    match = _CREATED.fullmatch(src.text)
    if match is None:
        raise src.error("expected the new id alone", 0)
    return Created(id=int(match[1]))


def _unsplittable(layout: RecordLayout, found: _NoSplit, **where: Any) -> DecodeError:
    count = len(layout.fields)
    if not found.ways:
        return DecodeError(
            f"the row does not split into the {count} fields of a {layout.kind}"
            f" ({', '.join(layout.field_names)})",
            **where,
        )
    return AmbiguousRecordError(
        f"the row splits into the {count} fields of a {layout.kind} in {found.ways} ways",
        candidates=[tuple(reading) for reading in found.readings],
        **where,
    )


def decode_records(src: Source, layout: RecordLayout) -> list[Any]:
    splitter = _splitter(layout)
    names = layout.field_names
    build = layout.from_texts
    out: list[Any] = []
    line_start = 0
    for line in src.text.split("\n"):
        here = line_start
        line_start += len(line) + 1
        if line.endswith("\r"):  # CRLF between records; values never hold CR (the encoder refuses it)
            line = line[:-1]
        if not line:
            continue
        path = f"$[{len(out)}]"
        try:
            texts, offsets = splitter.split(line)
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


def encode_records(records: Sequence[Any], layout: RecordLayout, charset: str) -> str:
    splitter = _splitter(layout)
    lines = []
    for row, record in enumerate(records):
        texts = layout.to_texts(record)
        for name, value in zip(layout.field_names, texts, strict=True):
            if "\n" in value or "\r" in value:
                raise EncodeError(
                    "a line break cannot be carried: records are one line each",
                    fmt=FMT,
                    path=f"$[{row}].{name}",
                )
        line = ",".join(texts)
        try:
            back, _ = splitter.split(line)
        except _NoSplit as exc:
            raise EncodeError(_why_not(splitter, layout, texts, exc), fmt=FMT, path=f"$[{row}]") from None
        if back != texts:
            raise EncodeError(f"the row would decode as {tuple(back)!r}", fmt=FMT, path=f"$[{row}]")
        lines.append(line)
    return "\n".join(lines)


def _why_not(splitter: _Splitter, layout: RecordLayout, texts: list[str], found: _NoSplit) -> str:
    for index, (field, value) in enumerate(zip(layout.fields, texts, strict=True)):
        if not splitter.value_fits(index, value):
            return f"`{field.name}` {value!r} does not look like a {field.fmt1.rstrip('?')} value"
    if found.ways and len(found.readings) > 1:
        first, second = found.readings[:2]
        return f"the row would split in {found.ways} ways, e.g. {tuple(first)!r} and {tuple(second)!r}"
    return "the row would not split back into its fields"


def encode_created(value: Created, charset: str) -> str:
    return str(value.id)


def encode_ok(charset: str) -> str:
    return _BARE_OK


def encode_error(value: Error, charset: str) -> str:
    if value.error:
        raise EncodeError(
            "fmt 1 error replies are '0,-N' and carry no description; use Error(error_code=N)",
            fmt=FMT,
            path="$.error",
        )
    return f"0,-{value.error_code}"
