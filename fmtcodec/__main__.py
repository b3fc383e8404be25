"""``python -m fmtcodec``: the ``fmtcodec`` command line (needs the ``cli`` extra)."""

from __future__ import annotations

import sys


def _run() -> None:
    try:
        from fmtcodec.cli import main
    except ModuleNotFoundError as exc:
        if exc.name not in ("click", "rich"):
            raise
        print(
            f"fmtcodec: the command line needs {exc.name}: pip install 'fmtcodec[cli]'",
            file=sys.stderr,
        )
        raise SystemExit(1) from None
    main()


if __name__ == "__main__":
    _run()
