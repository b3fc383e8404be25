"""fmt 1 streaming on the compiled core: one reply read in batches keeps, between them, where each
row shape's fields start and the texts met (``_speedups.ReplyMemo``), within a bound.

Placing every shape again in each batch made streaming fmt 1 slower than a whole decode (issue 18);
the work is counted here (calls of the splitter's placement), not timed.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest

import fmtcodec
from fmtcodec import Contact, _core, values
from fmtcodec.charset import Source
from fmtcodec.layout import LAYOUTS

needs_core = pytest.mark.skipif(not fmtcodec.COMPILED, reason="the compiled core is not built here")

ROWS = [
    Contact(phone=f"7916{n:07}, 7916{n + 1:07}" if n % 2 else f"7916{n:07}", name=f"Иванов, {n}", tags="vip")
    for n in range(120)
]


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, ...]]:
    placed: list[tuple[int, ...]] = []
    odd_starts = values._odd_starts

    def counted(splitter: Any, tokens: list[str], shape: tuple[int, ...]) -> Any:
        placed.append(shape)
        return odd_starts(splitter, tokens, shape)

    monkeypatch.setattr(values, "_odd_starts", counted)
    return placed


@needs_core
@pytest.mark.parametrize("chunk", [1, 7, 300, 65536])
def test_a_stream_places_each_row_shape_once_in_the_core(monkeypatch, chunk):
    placed = _counting(monkeypatch)
    payload = fmtcodec.encode(ROWS, fmt=1)
    assert fmtcodec.decode(payload, list[Contact], fmt=1) == ROWS
    assert len(placed) == 2  # two row shapes: one phone, or two
    placed.clear()
    chunks = [payload[at : at + chunk] for at in range(0, len(payload), chunk)]
    assert list(fmtcodec.iter_decode(iter(chunks), list[Contact], fmt=1)) == ROWS
    assert len(placed) == 2


def _batches(memo: Any) -> list[Any]:
    """The rows read as two batches of one reply, with ``memo`` kept between them."""
    payload = fmtcodec.encode(ROWS, fmt=1)
    middle = payload.index(b"\n", len(payload) // 2)
    layout = LAYOUTS["contact"]
    out = []
    for part in (payload[:middle], payload[middle + 1 :]):
        found = values._compiled_records(Source.from_payload(part, "utf-8", 1), layout, memo)
        assert found is not None
        out += found
    return out


@needs_core
def test_the_memo_keeps_shapes_within_its_bound(monkeypatch):
    placed = _counting(monkeypatch)
    memo = values.reply_memo(1 << 18)
    assert _batches(memo) == ROWS
    assert len(placed) == 2  # the second batch's shapes were placed in the first
    assert memo.shape_tokens == 12 + 13  # the two shapes: a row of one phone (12 tokens), of two
    placed.clear()
    assert _batches(None) == ROWS
    assert len(placed) == 4  # without one, each batch places its shapes
    placed.clear()
    memo = values.reply_memo(20)  # room for one shape: the other replaces it (and is placed again)
    assert _batches(memo) == ROWS
    assert len(placed) == len(ROWS)  # (the rows alternate)
    assert memo.shape_tokens in (12, 13)
    memo = values.reply_memo(10)  # no room: nothing kept
    assert _batches(memo) == ROWS
    assert memo.shape_tokens == 0


@needs_core
def test_the_core_declines_what_is_not_its_memo():
    core = _core.CORE
    assert core is not None
    layout = LAYOUTS["group"]
    splitter = values._splitter(layout)
    args = (
        (1, 0, 2, 2), (3, 0, 3, 3), (False, True, True, True), layout.record, tuple(fmtcodec.BlacklistType),
        (1, 3), 1 << 30, functools.partial(values._odd_starts, splitter), None, -1,
    )
    assert core.fmt1_records(b"5,a,,", *args, core.ReplyMemo(10)) == [fmtcodec.Group(id=5, name="a")]
    for memo in (object(), {}, 5):
        assert core.fmt1_records(b"5,a,,", *args, memo) is None
