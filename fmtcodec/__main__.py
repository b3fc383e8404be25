"""``python -m fmtcodec``: the ``fmtcodec`` command line (needs the ``cli`` extra)."""

from __future__ import annotations

from fmtcodec.cli import main

if __name__ == "__main__":
    main()
