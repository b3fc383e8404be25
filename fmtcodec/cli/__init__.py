"""The ``fmtcodec`` command line (``pip install 'fmtcodec[cli]'``): detect, decode, convert, validate.

``import fmtcodec`` never loads this package, and this module itself imports neither click nor
rich: ``main`` (the console script and ``python -m fmtcodec``) imports them and, when the ``cli``
extra is missing, says how to install it instead of ending in a traceback.

Where things are:

========================  ==========================================================
``app.py``                the ``fmtcodec`` group, and ``OPTIONAL_COMMANDS``: commands of
                          optional modules, imported only when they are run or listed
``_exit.py``              the exit codes
``_common.py``            failures (one line on stderr), reading input, shared options
``_output.py``            the writers of ``decode``: JSON, NDJSON, CSV, a rich table
``_table.py``             the table's layout: fitted to the terminal, or a block per record
``detect.py``             ``detect``
``decode.py``             ``decode`` and ``convert``
``validate.py``           ``validate``
========================  ==========================================================
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from fmtcodec.api import REPLY_TYPES
from fmtcodec.cli._exit import EXIT_FAILURE, EXIT_OK, EXIT_SERVER_ERROR, EXIT_USAGE

__all__ = [
    "EXIT_FAILURE",
    "EXIT_OK",
    "EXIT_SERVER_ERROR",
    "EXIT_USAGE",
    "TYPES",
    "cli",
    "main",
]

TYPES = REPLY_TYPES
"""``--type`` names and the type ``decode`` is given for each."""

_EXTRA_MODULES = ("click", "rich")


def main(argv: Sequence[str] | None = None) -> None:
    """The console script ``fmtcodec`` (and ``python -m fmtcodec``)."""
    try:
        from fmtcodec.cli.app import cli
    except ModuleNotFoundError as exc:
        if exc.name not in _EXTRA_MODULES:
            raise
        print(f"fmtcodec: the command line needs {exc.name}: pip install 'fmtcodec[cli]'", file=sys.stderr)
        raise SystemExit(EXIT_FAILURE) from None
    cli.main(args=list(argv) if argv is not None else None, prog_name="fmtcodec")


def __getattr__(name: str) -> Any:
    # ``cli``, the click group, is imported on first use: it needs click.
    if name == "cli":
        from fmtcodec.cli.app import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
