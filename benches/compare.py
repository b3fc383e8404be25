"""Side by side: fmtcodec against what a user would write by hand, on the payloads users have.

    python benches/compare.py [--records 100000] [--rounds 5] [--only TEXT]

Rows: every row of the speed targets (issues 10 and 18) -- fmt 3 in the capture's all-strings layout and in
the seed's (``"group": 5922``), windows-1251 beside UTF-8, fmt 1 with phone lists and commas timed
per row against comma-free rows, a fmt 1 reply whose last row leaves the fast path against the
general path alone -- then group and blacklist lists.  Everything runs in one process, interleaved
round by round (load on a shared machine hits every contender alike); the table shows medians and
the ratio baseline / fmtcodec (above 1: fmtcodec is faster), and, for the rows of issue 18's table, the
ratios that issue measured before its work (compiled / pure) in the last column.  Every baseline is checked to give the
same records as fmtcodec before it is timed, so no contender wins by doing less.  Where the
compiled core is active, fmtcodec is also timed with it switched off (the "pure" columns).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))

import baselines as hand
import corpus

import fmtcodec
from fmtcodec import BlacklistEntry, Contact, Group, _core, values
from fmtcodec.charset import Source
from fmtcodec.layout import layout_for


@dataclass
class Row:
    direction: str
    fmt: int
    payload: str
    baseline_name: str
    baseline: Callable[[], Any]
    ours: Callable[[], Any]
    target: float | None = None  # for the pure path (and the compiled one when no other is given)
    compiled_target: float | None = None
    per_row: tuple[int, int] | None = None  # (baseline rows, fmtcodec rows): compare time per row
    same: bool = True  # the baseline gives the very records fmtcodec gives
    before: str = ""  # issue 18's measurement of this row before its work: compiled / pure


def _decode(payload: bytes, kind: type, fmt: int, charset: str | None = None) -> Callable[[], Any]:
    return lambda: fmtcodec.decode(payload, list[kind], fmt=fmt, charset=charset)  # type: ignore[valid-type]


def _rows(size: int) -> list[Row]:
    contacts = corpus.contacts(size)
    plain = corpus.comma_free(contacts)
    real = corpus.realistic_contacts(size)
    grouped = corpus.grouped(contacts)
    utf8 = {fmt: fmtcodec.encode(plain if fmt == 1 else contacts, fmt=fmt) for fmt in range(4)}
    cp1251 = {fmt: fmtcodec.encode(plain if fmt == 1 else contacts, fmt=fmt, charset="cp1251") for fmt in range(4)}
    seed = corpus.seed_json(fmtcodec.encode(grouped, fmt=3))
    real1 = fmtcodec.encode(real, fmt=1)
    odd_last = fmtcodec.encode([*plain[:-1], real[0]], fmt=1)  # real[0] has a phone list: commas
    layout = layout_for(Contact)
    assert layout is not None
    split, regex, walk = hand.split_loop(Contact), hand.line_regex(Contact), hand.lxml_walk(Contact)
    typed = hand.msgspec_typed(Contact)
    rows = [
        Row("decode", 3, "capture layout (all strings)", "msgspec typed Decoder", lambda: typed(utf8[3]), _decode(utf8[3], Contact, 3), 0.9),
        Row("decode", 3, "seed layout (group a number)", "msgspec typed, group: int", lambda: hand.seed_typed(seed), _decode(seed, Contact, 3), 0.9, same=False, before="0.67× / 0.64×"),
        Row("decode", 3, "windows-1251", "msgspec typed Decoder on UTF-8", lambda: typed(utf8[3]), _decode(cp1251[3], Contact, 3, "cp1251"), 0.7, before="0.47× / 0.45×"),
        Row("decode", 3, "capture layout", "json.loads + structs", lambda: hand.json_loads(Contact)(utf8[3]), _decode(utf8[3], Contact, 3)),
        Row("decode", 2, "utf-8", "lxml tree walk", lambda: walk(utf8[2]), _decode(utf8[2], Contact, 2), 2.4, before="1.49× / 1.37×"),
        Row("decode", 2, "windows-1251", "lxml tree walk on UTF-8", lambda: walk(utf8[2]), _decode(cp1251[2], Contact, 2)),
        Row("decode", 1, "comma-free rows", "str.split loop", lambda: split(utf8[1]), _decode(utf8[1], Contact, 1), 0.75, 2.0, before="1.37× / 0.78×"),
        Row("decode", 1, "realistic (phone lists), per row", "fmtcodec on comma-free rows", _decode(utf8[1], Contact, 1), _decode(real1, Contact, 1), 0.67, per_row=(len(plain), len(real)), same=False, before="0.88× / 0.38×"),
        Row("decode", 1, "comma-free, last row odd", "general path alone", lambda: values._general_records(Source.from_payload(odd_last, None, 1), layout), _decode(odd_last, Contact, 1), 1.0),
        Row("decode", 1, "windows-1251", "str.split loop on UTF-8", lambda: split(utf8[1]), _decode(cp1251[1], Contact, 1)),
        Row("decode", 0, "utf-8", "per-line regex", lambda: regex(utf8[0]), _decode(utf8[0], Contact, 0), 1.0, 3.0, before="3.83× / 1.08×"),
        Row("decode", 0, "windows-1251", "per-line regex on UTF-8", lambda: regex(utf8[0]), _decode(cp1251[0], Contact, 0)),
        Row("encode", 3, "utf-8", "msgspec.json.encode", lambda: msgspec.json.encode(contacts), lambda: fmtcodec.encode(contacts, fmt=3), 0.2, 0.5, same=False, before="0.06× / 0.06×"),
        Row("encode", 3, "utf-8", "f-string join", lambda: hand.fstring_3(contacts), lambda: fmtcodec.encode(contacts, fmt=3)),
        Row("encode", 2, "utf-8", "f-string join", lambda: hand.fstring_2(contacts), lambda: fmtcodec.encode(contacts, fmt=2), 1.5, before="0.83× / 0.81×"),
        Row("encode", 1, "comma-free rows", "f-string join", lambda: hand.fstring_1(plain), lambda: fmtcodec.encode(plain, fmt=1), 0.45, 1.0, before="0.48× / 0.11×"),
        Row("encode", 1, "realistic (phone lists), per row", "f-string join, comma-free rows", lambda: hand.fstring_1(plain), lambda: fmtcodec.encode(real, fmt=1), per_row=(len(plain), len(real)), same=False),
        Row("encode", 0, "utf-8", "f-string join", lambda: hand.fstring_0(contacts), lambda: fmtcodec.encode(contacts, fmt=0), 0.8, 2.0, before="2.05× / 0.51×"),
        Row("encode", 0, "windows-1251", "f-string join (UTF-8)", lambda: hand.fstring_0(contacts), lambda: fmtcodec.encode(contacts, fmt=0, charset="cp1251"), same=False),
    ]
    for kind, make in ((Group, corpus.groups), (BlacklistEntry, corpus.blacklist)):
        records = make(size)
        name = kind.__name__
        for fmt, baseline_name, baseline in (
            (3, "msgspec typed Decoder (lax)", hand.msgspec_typed(kind)),
            (2, "lxml tree walk", hand.lxml_walk(kind)),
            (1, "str.split loop", hand.split_loop(kind)),
            (0, "per-line regex", hand.line_regex(kind)),
        ):
            payload = fmtcodec.encode(records, fmt=fmt)
            rows.append(Row("decode", fmt, f"{name} list", baseline_name, (lambda b, p: lambda: b(p))(baseline, payload), _decode(payload, kind, fmt)))
            if fmt in (0, 1, 2):
                wide = fmtcodec.encode(records, fmt=fmt, charset="cp1251")
                rows.append(Row("decode", fmt, f"{name} list, windows-1251", f"{baseline_name} on UTF-8", (lambda b, p: lambda: b(p))(baseline, payload), _decode(wide, kind, fmt, "cp1251")))
    return rows + _page_rows(size)


# The other pages' list kinds users have in bulk (issue 16): the history of sent messages and the
# statuses of many ids, against what a user writes by hand.  The baselines give dicts or lists of
# texts, fmtcodec typed records (money as Decimal, every value checked), so same=False throughout;
# the targets are the floor we hold these general paths to, not the contacts' fast-path targets.
class _HandHistory(msgspec.Struct):
    status: int
    last_date: str
    send_date: str
    phone: str
    mccmnc: str
    country: str
    operator: str
    region: str
    cost: str
    sender_id: str
    status_name: str
    message: str
    type: int
    id: int
    int_id: int
    sms_cnt: int
    format: int
    crc: int


class _HandStatus(msgspec.Struct):
    status: int
    last_date: str
    last_timestamp: int
    flag: int
    err: int
    id: int
    phone: str


def _history(size: int) -> list[fmtcodec.HistoryMessage]:
    return [
        fmtcodec.HistoryMessage(
            status=1, last_date="28.06.2021 12:00:05", send_date="28.06.2021 12:00:00", phone=f"7999{row:07d}",
            mccmnc="25001", country="Россия", operator="МТС", region="Москва", cost=Decimal("0.385"),
            sender_id="SMSC.RU", status_name="Доставлено", message=f"Код {row}", type=0, id=str(row),
            int_id=1000 + row, sms_cnt=1, format=0, crc=0,
        )
        for row in range(size)
    ]


def _statuses(size: int) -> list[fmtcodec.Status]:
    return [
        fmtcodec.Status(status=1, last_date="17.03.2023 10:00:00", last_timestamp=1679036400, flag=0, err=0,
                        id=str(row), phone=f"7999{row:07d}")
        for row in range(size)
    ]


def _page_rows(size: int) -> list[Row]:
    rows = []
    for name, records, kind, hand_struct, count in (
        ("history", _history(size), fmtcodec.HistoryMessage, _HandHistory, size),
        ("statuses", _statuses(max(size // 10, 1)), fmtcodec.Status, _HandStatus, max(size // 10, 1)),
    ):
        label = f"{name} of {count}"
        for fmt, baseline_name, baseline, target in (
            (3, "json.loads (dicts)", lambda p: json.loads(p), 0.3),
            (3, "msgspec, hand-written struct", lambda p, t=hand_struct: msgspec.json.decode(p, type=list[t]), 0.3),
            (2, "lxml walk to dicts", lambda p: [{e.tag: e.text for e in item} for item in etree.fromstring(p)], 0.5),
            (1, "str.split loop", lambda p: [line.split(",") for line in p.decode().split("\n")], 0.1),
            (0, "', ' and ' = ' splits", lambda p: [dict(pair.split(" = ", 1) for pair in line.split(", ")) for line in p.decode().split("\n")], 0.1),
        ):
            payload = fmtcodec.encode(_for_fmt(records, fmt), fmt=fmt)
            rows.append(Row("decode", fmt, label, baseline_name, (lambda b, q: lambda: b(q))(baseline, payload),
                            _decode(payload, kind, fmt), target, same=False))
        for fmt in (3, 1):
            shaped = _for_fmt(records, fmt)
            rows.append(Row("encode", fmt, label, "f-string join", (lambda r, f: lambda: _fstring(r, f))(shaped, fmt),
                            (lambda r, f: lambda: fmtcodec.encode(r, fmt=f))(shaped, fmt), 0.1, same=False))
    return rows


def _for_fmt(records: list[Any], fmt: int) -> list[Any]:
    """fmt 1 rows of several ids carry no date and no flag (spec/pages.md): leave them out there."""
    if fmt == 1 and records and isinstance(records[0], fmtcodec.Status):
        return [msgspec.structs.replace(record, last_date=None, flag=None) for record in records]
    return records


def _fstring(records: list[Any], fmt: int) -> str:
    if fmt == 1:
        return "\n".join(",".join(str(value) for value in msgspec.structs.astuple(r) if value is not None) for r in records)
    return "[" + ",\n".join("{\n" + ",\n".join(f'"{k}": "{v}"' for k, v in msgspec.structs.asdict(r).items() if v is not None) + "\n}" for r in records) + "]"


def _pure(run: Callable[[], Any]) -> Callable[[], Any]:
    def pure() -> Any:
        with _core.pure():
            return run()

    return pure


def _ms(sample: list[float], rows: int | None) -> float:
    return statistics.median(sample) * 1000 / (rows or 1)


def _verdict(ratio: float, target: float | None) -> str:
    return "" if target is None else f"≥ {target}× {'met' if ratio >= target else 'MISSED'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="", help="time only rows whose text holds this")
    args = parser.parse_args()
    compiled = fmtcodec.COMPILED
    table = [row for row in _rows(args.records) if args.only in f"{row.direction} {row.fmt} {row.payload} {row.baseline_name}"]
    contenders = []
    for row in table:
        runs = [row.baseline, row.ours, *([_pure(row.ours)] if compiled else [])]
        if row.same:
            ours = row.ours()
            assert row.baseline() == ours, f"{row.baseline_name} and fmtcodec disagree on fmt {row.fmt} {row.payload}"
            if compiled:
                assert runs[2]() == ours, f"compiled and pure disagree on fmt {row.fmt} {row.payload}"
        contenders.append(runs)
    times: list[list[list[float]]] = [[[] for _ in runs] for runs in contenders]
    for _ in range(args.rounds):
        for index, runs in enumerate(contenders):
            for slot, run in enumerate(runs):
                started = time.perf_counter()
                result = run()
                times[index][slot].append(time.perf_counter() - started)
                del result  # freeing 100k records is not part of anyone's time
    print(
        f"{args.records} records, median of {args.rounds} interleaved rounds; Python {platform.python_version()},"
        f" msgspec {msgspec.__version__}, lxml {etree.__version__}, {platform.machine()};"
        f" compiled core {'active' if compiled else 'not active'}"
    )
    print()
    unit = "ms (µs per row where 'per row')"
    extra = " pure | pure ratio | pure target |" if compiled else ""
    print(f"| direction | fmt | payload | baseline | baseline {unit} | fmtcodec | ratio | target |{extra} issue 18 before |")
    print("|---|---|---|---|---:|---:|---:|---|" + ("---:|---:|---|" if compiled else "") + "---|")
    for row, sample in zip(table, times, strict=True):
        base_rows, our_rows = row.per_row or (None, None)
        scale = 1000 if row.per_row else 1
        base = _ms(sample[0], base_rows) * scale
        ours = _ms(sample[1], our_rows) * scale
        target = row.compiled_target if compiled and row.compiled_target else row.target
        line = f"| {row.direction} | {row.fmt} | {row.payload} | {row.baseline_name} | {base:.2f} | {ours:.2f} | {base / ours:.2f}× | {_verdict(base / ours, target)} |"
        if compiled:
            pure = _ms(sample[2], our_rows) * scale
            pure_target = row.target if row.compiled_target else None
            line += f" {pure:.2f} | {base / pure:.2f}× | {_verdict(base / pure, pure_target)} |"
        print(f"{line} {row.before} |", flush=True)


if __name__ == "__main__":
    main()
