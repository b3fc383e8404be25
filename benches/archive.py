"""Archive -> Parquet: fmtcodec against what a user writes today, per fmt, and the streaming
form's peak memory as the archive grows.

    python benches/archive.py                       # throughput, 40 MB a fmt; memory 10/100/1000 MB
    python benches/archive.py --mb 20 --memory 10,100 --fmts 1,3
    python benches/archive.py --smoke               # a few files, to see that it runs (CI)

Needs ``pip install -e '.[bench]'`` (pyarrow, pandas).  Not a pytest module.

Throughput: an archive of contact lists (``corpus.contacts``, 250 contacts a file, no comma in any
value so that the hand-written baselines can read them) is written once per fmt; then, side by
side in the same run, each contender reads every file and writes one Parquet file:

- fmtcodec: ``fmtcodec.archive.archive_files`` (what ``fmtcodec archive --to x.parquet`` runs), in
  one process, with the ``source`` columns and the error table;
- baseline, what a user writes today: per file ``json.loads`` (fmt 3), ``lxml`` element walk
  (fmt 2), ``str.split`` loop (fmt 1), ``", "``/``" = "`` splits (fmt 0) into dicts, then
  ``pandas.DataFrame(rows).to_parquet``; all text, no checks, no source column.

Both tables are compared (the same rows) before anything is timed.  Each is timed ``--repeat``
times, the best kept; the ratio is baseline time / fmtcodec time.

Memory: peak RSS of a fresh process (``os.wait4``) that runs ``fmtcodec archive`` over a folder of
N MB, and one that runs ``iter_batches`` over one reply file of N MB (fmt 3), for each N.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import corpus
import msgspec
import pandas as pd
import pyarrow.parquet as pq
from lxml import etree

import fmtcodec
from fmtcodec import Contact
from fmtcodec.archive import ERROR_SCHEMA, Settings, TableWriter, archive_files, walk

FIELDS = [field.name for field in msgspec.structs.fields(Contact)]
PER_FILE = 250
EXT = {0: "txt", 1: "csv", 2: "xml", 3: "json"}


# --------------------------------------------------------------------------------------------
# what a user writes today: one dict per record, all text


def rows_fmt0(data: bytes) -> list[dict[str, str]]:
    return [dict(part.split(" = ", 1) for part in line.split(", ")) for line in data.decode("utf-8").split("\n") if line]


def rows_fmt1(data: bytes) -> list[dict[str, str]]:
    return [dict(zip(FIELDS, line.split(","), strict=True)) for line in data.decode("utf-8").split("\n") if line]


def rows_fmt2(data: bytes) -> list[dict[str, str]]:
    return [{field.tag: field.text or "" for field in item} for item in etree.fromstring(data)]


def rows_fmt3(data: bytes) -> list[dict[str, str]]:
    return json.loads(data)


BASELINES: dict[int, Callable[[bytes], list[dict[str, str]]]] = {0: rows_fmt0, 1: rows_fmt1, 2: rows_fmt2, 3: rows_fmt3}


def baseline(files: list[str], fmt: int, out: Path) -> int:
    rows: list[dict[str, str]] = []
    parse = BASELINES[fmt]
    for name in files:
        with open(name, "rb") as file:
            rows.extend(parse(file.read()))
    pd.DataFrame(rows).to_parquet(out, index=False)
    return len(rows)


def with_fmtcodec(files: list[str], out: Path) -> int:
    settings = Settings("contacts")
    table = TableWriter(str(out), settings.archiver().schema, "parquet")
    errors = TableWriter(str(out.with_suffix(".errors.parquet")), ERROR_SCHEMA, "parquet")
    tally = archive_files(files, settings, table, errors)
    table.close()
    errors.close()
    assert tally.check(table.rows, errors.rows) is None
    assert not tally.error_rows
    return table.rows


# --------------------------------------------------------------------------------------------
# archives


def make_archive(folder: Path, fmt: int, megabytes: float) -> list[str]:
    """Files of ``PER_FILE`` contacts in ``fmt`` until the folder holds ``megabytes`` MB."""
    folder.mkdir(parents=True, exist_ok=True)
    contacts = corpus.comma_free(corpus.contacts(PER_FILE * 8))
    payloads = [fmtcodec.encode(contacts[start : start + PER_FILE], fmt=fmt)
                for start in range(0, len(contacts) - PER_FILE + 1, PER_FILE)]
    total, index = 0, 0
    while total < megabytes * 1e6:
        payload = payloads[index % len(payloads)]
        (folder / f"r{index // 1000:03d}").mkdir(exist_ok=True)
        (folder / f"r{index // 1000:03d}" / f"{index:06d}.{EXT[fmt]}").write_bytes(payload)
        total += len(payload)
        index += 1
    return list(walk([str(folder)]))


def big_reply(path: Path, megabytes: float) -> None:
    """One fmt 3 contact list of ``megabytes`` MB, written piece by piece."""
    contacts = corpus.contacts(2000)
    body = fmtcodec.encode(contacts, fmt=3)[1:-1]  # the objects without the brackets
    with path.open("wb") as file:
        file.write(b"[")
        written = 0
        while written < megabytes * 1e6:
            if written:
                file.write(b",\n")
            file.write(body)
            written += len(body)
        file.write(b"]")


def best_of(repeat: int, run: Callable[[], int]) -> tuple[float, int]:
    times = []
    rows = 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - started)
    return min(times), rows


def throughput(work: Path, fmts: list[int], megabytes: float, repeat: int) -> None:
    print(f"## archive -> Parquet, {megabytes:g} MB of contact lists a fmt, {PER_FILE} contacts a file;"
          f" compiled core: {fmtcodec.COMPILED}; best of {repeat}")
    print()
    print("| fmt | files | MB | rows | baseline s | fmtcodec s | fmtcodec MB/s | ratio |")
    print("|----:|------:|---:|-----:|-----------:|-----------:|--------------:|------:|")
    for fmt in fmts:
        files = make_archive(work / f"fmt{fmt}", fmt, megabytes)
        size = sum(os.path.getsize(name) for name in files) / 1e6
        ours_out, theirs_out = work / f"ours{fmt}.parquet", work / f"theirs{fmt}.parquet"
        with_fmtcodec(files, ours_out)
        baseline(files, fmt, theirs_out)
        ours = pq.read_table(ours_out).drop_columns(["source", "source_index"])
        theirs = pq.read_table(theirs_out).select(ours.column_names)
        assert ours.to_pylist() == theirs.to_pylist(), f"fmt {fmt}: the tables differ"
        theirs_time, rows = best_of(repeat, lambda files=files, fmt=fmt, out=theirs_out: baseline(files, fmt, out))
        ours_time, _ = best_of(repeat, lambda files=files, out=ours_out: with_fmtcodec(files, out))
        print(f"| {fmt} | {len(files)} | {size:.1f} | {rows} | {theirs_time:.2f} | {ours_time:.2f} |"
              f" {size / ours_time:.1f} | {theirs_time / ours_time:.2f}x |", flush=True)
        shutil.rmtree(work / f"fmt{fmt}")


_STREAM = """
import sys
from fmtcodec.columnar import iter_batches
rows = 0
with open(sys.argv[1], "rb") as file:
    for batch in iter_batches(file, "contacts", batch_size=65536, chunk_size=1 << 20):
        rows += batch.num_rows
print(rows)
"""


def peak_rss(command: list[str]) -> tuple[float, str]:
    """Peak resident memory (MB) of a fresh process running ``command``, and what it printed."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode in (0, 1), output
    return usage.ru_maxrss / 1024, output


def memory(work: Path, sizes: list[float]) -> None:
    print()
    print("## peak memory (RSS of a fresh process) as the archive grows; fmt 3 contacts")
    print()
    print("| MB | files | `fmtcodec archive` folder -> Parquet, MB | `iter_batches` over one reply, MB |")
    print("|---:|------:|----------------------------------------:|---------------------------------:|")
    for megabytes in sizes:
        files = make_archive(work / "memory", 3, megabytes)
        folder_peak, said = peak_rss([sys.executable, "-m", "fmtcodec", "archive", "--type", "contacts",
                                      "--to", str(work / "memory.parquet"), str(work / "memory")])
        assert " 0 failed" in said, said
        shutil.rmtree(work / "memory")
        big = work / "big.json"
        big_reply(big, megabytes)
        stream_peak, _ = peak_rss([sys.executable, "-c", _STREAM, str(big)])
        big.unlink()
        print(f"| {megabytes:g} | {len(files)} | {folder_peak:.0f} | {stream_peak:.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=40, help="MB of replies a fmt for the throughput table")
    parser.add_argument("--fmts", default="0,1,2,3", help="fmts for the throughput table ('' for none)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory", default="10,100,1000", help="archive sizes in MB for the memory table ('' for none)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, once: does it run")
    parser.add_argument("--work", default=None, help="folder for the archives (default: a temporary one)")
    args = parser.parse_args()
    if args.smoke:
        args.mb, args.repeat, args.memory = 0.2, 1, "0.5"
    with tempfile.TemporaryDirectory(dir=args.work) as folder:
        work = Path(folder)
        if args.fmts:
            throughput(work, [int(fmt) for fmt in args.fmts.split(",")], args.mb, args.repeat)
        if args.memory:
            memory(work, [float(size) for size in args.memory.split(",")])


if __name__ == "__main__":
    main()
