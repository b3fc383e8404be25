"""The compiled core against the pure path, shape by shape, timed in one run (issue 15, item 3).

    python benches/compiled_vs_pure.py [--repeat 3] [--limit 2.0]

The compiled core only ever speeds up a fast path, so no input may be much slower with it than
without it.  Each shape is decoded with the core as loaded and under ``_core.pure()`` in the same
process, best of ``--repeat``; the ratio compiled / pure is printed, and the run exits 1 when a
ratio exceeds ``--limit`` (the machine's load cancels out of a ratio of two runs taken together).

Issue 15 found group rows whose names hold many commas 60-80x slower compiled (600 rows of
4 000 pieces: 1.3-1.7 s against 0.02 s): the core sent every new row shape through the Python
splitter's ranking.  It now cuts such rows itself (one placement: each other field one piece).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import fmtcodec
from fmtcodec import BlacklistEntry, Contact, Group, _core


def _words(draw: random.Random, count: int) -> str:
    return ",".join("".join(draw.choice("abcdefgh") for _ in range(5)) for _ in range(count))


def shapes() -> dict[str, tuple[bytes, Any, int]]:
    """Payloads by name: (payload, type, fmt)."""
    draw = random.Random(15)
    groups = "\n".join(f"{row + 1},{_words(draw, 4000 - row)},12,3" for row in range(600))
    comments = "\n".join(f"{row + 1},7911{row},1,{_words(draw, 4000 - row)}" for row in range(600))
    names = "\n".join(f"7911{row},{_words(draw, 2 + row % 40)},,,,,,,,," for row in range(20_000))
    plain = [Contact(phone=f"7911{row}", name=f"name {row}", comments="c") for row in range(50_000)]
    plain_groups = [Group(id=row, name=f"a, b {row}", number=row, cnt=None) for row in range(50_000)]
    return {
        "fmt1 groups, 600 rows of ~4000 pieces": (groups.encode(), list[Group], 1),
        "fmt1 blacklist, 600 rows of ~4000 pieces": (comments.encode(), list[BlacklistEntry], 1),
        "fmt1 contacts, names of 2-41 pieces": (names.encode(), list[Contact], 1),
        "fmt1 contacts, plain": (fmtcodec.encode(plain, fmt=1), list[Contact], 1),
        "fmt0 contacts, plain": (fmtcodec.encode(plain, fmt=0), list[Contact], 0),
        "fmt0 groups, comma names": (fmtcodec.encode(plain_groups, fmt=0), list[Group], 0),
    }


def best_of(repeat: int, run: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=2.0)
    args = parser.parse_args(argv)
    if _core.CORE is None:
        print("the compiled core is not loaded (not built, or FMTCODEC_PURE is set): nothing to compare")
        return 0
    worst = 0.0
    for name, (payload, kind, fmt) in shapes().items():
        def run(payload: bytes = payload, kind: Any = kind, fmt: int = fmt) -> Any:
            return fmtcodec.decode(payload, kind, fmt=fmt)

        compiled = best_of(args.repeat, run)
        with _core.pure():
            pure = best_of(args.repeat, run)
        ratio = compiled / pure
        worst = max(worst, ratio)
        print(f"{name:42s} {len(payload) / 1e6:6.1f} MB  compiled {compiled:7.3f} s  pure {pure:7.3f} s  ratio {ratio:5.2f}")
    print(f"worst ratio {worst:.2f} (limit {args.limit})")
    return 0 if worst <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
