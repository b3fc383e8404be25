"""Opt-in coverage-guided fuzzing of every fmt decoder with atheris (not collected by pytest).

Each input's first byte picks the fmt (0-3, or 4 for detection) and the reply type; the rest is
the payload.  Anything but a value, ``DecodeError`` or ``ApiError`` is a crash.  Run::

    .venv/bin/pip install atheris
    .venv/bin/python tests/fuzz/fuzz_decode.py -max_total_time=600 -max_len=4096 fuzz-corpus/

``fuzz-corpus/`` may be seeded with ``spec/vectors/*``.  A crash leaves ``crash-<sha1>``; replay
it with ``.venv/bin/python tests/fuzz/fuzz_decode.py crash-<sha1>``.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any

try:
    import atheris
except ImportError:  # pragma: no cover - opt-in tool
    sys.exit("atheris is not installed: pip install atheris")

with atheris.instrument_imports():
    import fmtcodec
    from fmtcodec import (
        ApiError,
        DecodeError,
    )

TYPES: list[Any] = list(fmtcodec.api.REPLY_TYPES.values())  # every reply kind
FMTS = (0, 1, 2, 3, None)


def one_input(data: bytes) -> None:
    if not data:
        return
    selector, payload = data[0], data[1:]
    fmt = FMTS[selector % len(FMTS)]
    kind = TYPES[(selector // len(FMTS)) % len(TYPES)]
    with contextlib.suppress(DecodeError, ApiError):
        fmtcodec.decode(payload, kind, fmt=fmt)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
