"""``iter_decode`` yields records while the source still has more to give.

The source is a generator over small chunks that counts what the consumer has received and
asserts, before handing over each chunk, that the records completed by the chunks before it
(minus a few the cutter may still hold back) are already out.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

import fmtcodec
from fmtcodec import BlacklistEntry, Contact, DecodeError, Group, iter_decode

FMTS = (0, 1, 2, 3)
GROUPS = [Group(id=n, name=f"группа {n}", number=n % 3 or None) for n in range(1, 301)]
CONTACTS = [Contact(phone=f"7916{n:07}", name=f"Имя {n}", group=str(n % 7)) for n in range(1, 201)]
CHUNK = 97  # bytes; no record is aligned with it


class Watched:
    """A chunked source that checks the consumer is kept up to date while it is read."""

    def __init__(self, payload: bytes, ends: list[int], slack: int) -> None:
        self.payload = payload
        self.ends = ends  # byte offset after each record
        self.slack = slack
        self.received = 0
        self.chunks_given = 0

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self.payload), CHUNK):
            complete = sum(end <= start for end in self.ends)
            assert self.received >= complete - self.slack, (
                f"{complete} records were complete in the {start} bytes given,"
                f" {self.received} had been yielded"
            )
            self.chunks_given += 1
            yield self.payload[start : start + CHUNK]

    def consume(self, kind: type, fmt: int | None) -> list[Any]:
        out = []
        for record in iter_decode(self, list[kind], fmt=fmt, chunk_size=CHUNK):
            out.append(record)
            self.received = len(out)
        return out


def record_ends(payload: bytes, fmt: int, kind: type) -> list[int]:
    """Where each record ends in the payload, found without the codec."""
    end = {0: b"\n", 1: b"\n", 2: b"</" + fmtcodec.layout.layout_for(kind).xml_item.encode() + b">", 3: b"}"}[fmt]
    ends, at = [], payload.find(end)
    while at >= 0:
        ends.append(at + len(end))
        at = payload.find(end, at + 1)
    return ends


class TestRecordsArriveBeforeTheEnd:
    """Kills stream mutants that buffer the whole reply before yielding (``_Stream.batches``
    reading on while ``more()`` is true, ``retry_at`` never reset, ``_cut`` giving ``None`` or
    cutting before the last record end), and ``_detected`` mutants that read the whole source to
    tell the fmt."""

    @pytest.mark.parametrize("fmt", [*FMTS, None])
    @pytest.mark.parametrize(("kind", "records"), [(Group, GROUPS), (Contact, CONTACTS)], ids=["groups", "contacts"])
    def test_yielded_while_reading(self, fmt, kind, records):
        payload = fmtcodec.encode(records, fmt=3 if fmt is None else fmt)
        # a batch ends at the last record end in the buffer; a cut that fails (a record end
        # inside a value) holds records back until the buffer has doubled: allow one chunk's worth
        source = Watched(payload, record_ends(payload, 3 if fmt is None else fmt, kind), slack=4)
        assert source.consume(kind, fmt) == records
        assert source.chunks_given == -(-len(payload) // CHUNK)

    @pytest.mark.parametrize("fmt", FMTS)
    def test_first_record_before_the_second_chunk_of_many(self, fmt):
        payload = fmtcodec.encode(GROUPS, fmt=fmt)
        given = []

        def source() -> Iterator[bytes]:
            for start in range(0, len(payload), 64):
                given.append(start)
                yield payload[start : start + 64]

        first = next(iter_decode(source(), list[Group], fmt=fmt))
        assert first == GROUPS[0]
        assert len(given) * 64 < len(payload) // 4  # far from the end when the first came out

    @pytest.mark.parametrize("fmt", FMTS)
    def test_records_before_an_error_come_out_first(self, fmt):
        good = fmtcodec.encode(GROUPS[:50], fmt=fmt)
        bad = fmtcodec.encode([BlacklistEntry(id=1, phone="7", type=0)], fmt=fmt)
        # after 50 good groups: a row that is no group, or a blacklist record where groups are read
        if fmt in (0, 1):
            payload = good + b"\nx,y\n"
        elif fmt == 2:
            payload = good.replace(b"</list>", bad[bad.index(b"<record>") : bad.index(b"</list>")] + b"</list>")
        else:
            payload = good[:-1] + b",\n" + bad[1:]
        got: list[Group] = []
        chunks = [payload[i : i + 50] for i in range(0, len(payload), 50)]
        with pytest.raises(DecodeError) as caught:
            got.extend(iter_decode(chunks, list[Group], fmt=fmt))  # extend keeps what came before the error
        assert got == GROUPS[: len(got)]
        assert len(got) >= 40
        with pytest.raises(DecodeError) as whole:
            fmtcodec.decode(payload, list[Group], fmt=fmt)
        assert (caught.value.reason, caught.value.pos, caught.value.line, caught.value.column, caught.value.path) == (
            whole.value.reason, whole.value.pos, whole.value.line, whole.value.column, whole.value.path
        )


MIXED_LINES = {
    # records that share a line with the one before them, after records that end a line
    2: b'<?xml version="1.0"?>\n<list>\n<group><id>1</id><name>\xd0\xb0</name></group><group><id>2</id>'
    b"<name>b</name></group>\n<group><id>3</id><name>c</name></group><group><id>x</id><name>d</name></group>\n</list>",
    3: b'[\n{"id": 1, "name": "\xd0\xb0"}, {"id": 2, "name": "b"},\n{"id": 3, "name": "c"}, {"id": "x", "name": "d"}\n]',
}


class TestErrorPlaceForEveryChunkSize:
    """Kills stream ``_Stream.advance`` mutants that keep counting columns across a line break
    (``self.column = width if breaks else ...``) and ``_decode`` mutants that place the batch
    wrongly: for every chunk size the batches are cut at other records, and the error must be
    where ``decode`` puts it."""

    @pytest.mark.parametrize("fmt", [2, 3])
    def test_same_place_as_decode(self, fmt):
        payload = MIXED_LINES[fmt]
        with pytest.raises(DecodeError) as whole:
            fmtcodec.decode(payload, list[Group], fmt=fmt)
        expected = (whole.value.reason, whole.value.pos, whole.value.line, whole.value.column, whole.value.path)
        line = 4 if fmt == 2 else 3
        column = payload.split(b"\n")[line - 1].decode().index('"x"' if fmt == 3 else "<id>x") + 1
        assert expected[2:] == (line, column, "$[3].id")
        for size in range(1, len(payload) + 1):
            with pytest.raises(DecodeError) as caught:
                list(iter_decode(io.BytesIO(payload), list[Group], fmt=fmt, chunk_size=size))
            error = caught.value
            assert (error.reason, error.pos, error.line, error.column, error.path) == expected, size
