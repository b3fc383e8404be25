"""Time growth with size for the hostile inputs of tests/test_robustness.py, measured on the clock.

    python benches/growth.py [--small 1000000] [--pure]

The unit tests prove these inputs linear by counting work (calls, bytes examined), which does not
depend on the machine's load; this script times the same inputs, as a cross-check of what the
counts cannot see (one C call that scans too much).  Each case is decoded at ``--small`` bytes
and at 8 times that, best of three, interleaved in one process; the ratio of the two times is
printed, and a ratio above 24 (three times linear; quadratic is 64) is marked SLOW and makes the
exit status 1.  Timings on a shared machine are noisy: re-run a SLOW case before believing it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
from collections.abc import Callable
from typing import Any

import fmtcodec
from fmtcodec import ApiError, Contact, DecodeError, Group

GROWTH = 8
SLOW = 3 * GROWTH


def _fmt0_fragments(size: int) -> bytes:
    return b"phone = 7, name = " + b", a = " * (size // 6)


def _fmt1_long_row(size: int) -> bytes:
    return b"7," + (b"x" * 99 + b",") * (size // 100) + b"5,T,A,B,01.01.1960,4321,fake,ups,"


def _separators(size: int) -> bytes:
    return b"7" + b"," * size


def _whole(make: Callable[[int], bytes], kind: Any, fmt: int | None) -> Callable[[int], Callable[[], object]]:
    def prepare(size: int) -> Callable[[], object]:
        payload = make(size)
        return lambda: fmtcodec.decode(payload, kind, fmt=fmt)

    return prepare


def _streamed(make: Callable[[int], bytes], fmt: int | None, chunk_size: int) -> Callable[[int], Callable[[], object]]:
    def prepare(size: int) -> Callable[[], object]:
        payload = make(size)
        return lambda: sum(1 for _ in fmtcodec.iter_decode(io.BytesIO(payload), list[Group], fmt=fmt, chunk_size=chunk_size))

    return prepare


def _detected(size: int) -> Callable[[], object]:
    payload = b" " * size + b"[]"
    return lambda: fmtcodec.detect_fmt(payload)


CASES: dict[str, Callable[[int], Callable[[], object]]] = {
    "whole fmt0-marker-fragments": _whole(_fmt0_fragments, list[Contact], 0),
    "whole detected-marker-fragments": _whole(_fmt0_fragments, list[Contact], None),
    "whole fmt1-row-of-many-commas": _whole(_fmt1_long_row, list[Contact], 1),
    "whole fmt0-separators": _whole(_separators, list[Group], 0),
    "whole fmt2-separators": _whole(_separators, list[Group], 2),
    "whole fmt3-separators": _whole(_separators, list[Group], 3),
    "whole fmt1-separators": _whole(_separators, list[Contact], 1),
    "detect leading whitespace": _detected,
    "stream one-giant-record": _streamed(lambda n: b'[{"id": 1, "name": "' + b"x" * n + b'"}]', 3, 65536),
    "stream json-open-then-whitespace": _streamed(lambda n: b"[" + b" " * n, 3, 65536),
    "stream fmt0-lines": _streamed(
        lambda n: fmtcodec.encode([Group(id=1, name="x" * 20)] * (n // 48), fmt=0), 0, 65536
    ),
}


def _best_of_3(action: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        with contextlib.suppress(DecodeError, ApiError):
            action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000_000, help="bytes of the smaller payload")
    parser.add_argument("--pure", action="store_true", help="switch the compiled core off")
    args = parser.parse_args()
    slow = 0
    with fmtcodec._core.pure() if args.pure else contextlib.nullcontext():
        print(f"{'case':36} {'small ms':>9} {'large ms':>9} {'ratio':>6}")
        for name, prepare in CASES.items():
            small, large = prepare(args.small), prepare(GROWTH * args.small)
            small_time, large_time = _best_of_3(small), _best_of_3(large)
            ratio = large_time / max(small_time, 1e-4)
            mark = "  SLOW" if ratio > SLOW and large_time > 0.02 else ""
            slow += bool(mark)
            print(f"{name:36} {small_time * 1e3:9.2f} {large_time * 1e3:9.2f} {ratio:6.1f}{mark}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
