"""``python -m fmtcodec decode --type KIND [--fmt N] [--charset C] FILE``: print a reply as JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import msgspec

from fmtcodec.api import decode
from fmtcodec.errors import ApiError, FmtcodecError
from fmtcodec.layout import LAYOUTS
from fmtcodec.records import Created, Error, Ok

_TYPES: dict[str, object] = {
    name: list[layout.record]  # type: ignore[name-defined]
    for layout in LAYOUTS.values()
    for name in layout.names
}
_TYPES.update(created=Created, ok=Ok, error=Error)

EXIT_DECODE_ERROR = 1
EXIT_API_ERROR = 3


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fmtcodec", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    decode_cmd = commands.add_parser("decode", help="decode a captured reply and print it as JSON")
    decode_cmd.add_argument("--type", required=True, choices=sorted(_TYPES))
    decode_cmd.add_argument("--fmt", type=int, choices=range(4), default=None)
    decode_cmd.add_argument("--charset", default=None)
    decode_cmd.add_argument("file", nargs="?", default="-")
    args = parser.parse_args(argv)
    if args.file == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(args.file, "rb") as file:
            data = file.read()
    try:
        value = decode(data, _TYPES[args.type], fmt=args.fmt, charset=args.charset)
    except ApiError as exc:
        print(f"fmtcodec: {exc}", file=sys.stderr)
        return EXIT_API_ERROR
    except FmtcodecError as exc:
        print(f"fmtcodec: {exc}", file=sys.stderr)
        return EXIT_DECODE_ERROR
    sys.stdout.buffer.write(msgspec.json.format(msgspec.json.encode(value), indent=2) + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
