"""Time and peak memory of decoding 10k, 100k and 1M contacts, whole and streaming, per fmt.

    python benches/scaling.py [--sizes 10000,100000,1000000] [--fmts 0,1,2,3] [--pure]

Payloads are written to a temporary folder first; each measurement then runs in a fresh Python
process, so its peak resident memory (``ru_maxrss``) is its own: the interpreter and imports,
plus what decoding holds.  Streaming consumes ``iter_decode`` without keeping the records, which
is what a memory bound for streaming means; "whole" keeps the decoded list, as ``decode`` must.

The memory target (issue 10): the peak while decoding whole, counted from after the payload is
read, plus the payload, at most 1.5x (payload + what the returned records hold: the list, the
structs and every distinct string, by ``sys.getsizeof``); the time from 100k to 1M at most 11x.
The streaming target (issue 18): ``iter_decode`` within 1.3x of a whole decode, peak memory flat.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

_WRITE = """
import sys
sys.path.insert(0, {here!r})
import corpus, fmtcodec
records = corpus.contacts({size})
for fmt in {fmts!r}:
    with open({folder!r} + f"/contacts-{size}.{{fmt}}", "wb") as out:
        out.write(fmtcodec.encode(records, fmt=fmt))
"""

_MEASURE = """
import json, resource, sys, time
import msgspec
import fmtcodec
from fmtcodec import Contact
path, fmt, mode = {path!r}, {fmt}, {mode!r}
if {pure!r}:
    from fmtcodec import _core
    _core.CORE = None
with open(path, "rb") as source:
    payload = source.read() if mode == "whole" else b""
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
if mode == "whole":
    records = fmtcodec.decode(payload, list[Contact], fmt=fmt)
    count = len(records)
else:
    with open(path, "rb") as source:
        count = sum(1 for _ in fmtcodec.iter_decode(source, list[Contact], fmt=fmt))
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
held = 0  # what the returned records hold: the list, the structs, every distinct string
if mode == "whole":
    seen = set()
    held = sys.getsizeof(records)
    for record in records:
        held += sys.getsizeof(record)
        for value in msgspec.structs.astuple(record):
            if id(value) not in seen:
                seen.add(id(value))
                held += sys.getsizeof(value)
print(json.dumps({{"count": count, "seconds": elapsed, "peak_mb": peak / 1024, "start_mb": before / 1024,
                  "records_mb": held / 1e6}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--fmts", default="0,1,2,3")
    parser.add_argument("--pure", action="store_true", help="switch the compiled core off")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    fmts = [int(fmt) for fmt in args.fmts.split(",")]
    print(
        "| records | fmt | payload MB | records MB | whole s | whole peak MB | peak over start MB"
        " | / (payload + records) | time vs previous size | streaming s | streaming / whole | streaming peak MB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    previous: dict[int, tuple[int, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            code = _WRITE.format(here=str(HERE), size=size, fmts=fmts, folder=folder)
            subprocess.run([sys.executable, "-c", code], check=True)
            for fmt in fmts:
                path = f"{folder}/contacts-{size}.{fmt}"
                results = {}
                for mode in ("whole", "stream"):
                    code = _MEASURE.format(path=path, fmt=fmt, mode=mode, pure=args.pure)
                    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
                    results[mode] = json.loads(done.stdout)
                    assert results[mode]["count"] == size
                megabytes = Path(path).stat().st_size / 1e6
                whole, stream = results["whole"], results["stream"]
                extra = whole["peak_mb"] - whole["start_mb"]  # start: interpreter, imports, payload
                ratio = (whole["peak_mb"] - whole["start_mb"] + megabytes) / (megabytes + whole["records_mb"])
                growth = ""
                if fmt in previous:
                    last_size, last_seconds = previous[fmt]
                    growth = f"{whole['seconds'] / last_seconds:.1f}× for {size / last_size:.0f}× records"
                previous[fmt] = (size, whole["seconds"])
                print(
                    f"| {size} | {fmt} | {megabytes:.1f} | {whole['records_mb']:.0f} | {whole['seconds']:.2f}"
                    f" | {whole['peak_mb']:.0f} | {extra:.0f} | {ratio:.2f}× | {growth}"
                    f" | {stream['seconds']:.2f} | {stream['seconds'] / whole['seconds']:.2f}×"
                    f" | {stream['peak_mb']:.0f} |",
                    flush=True,
                )
                Path(path).unlink()


if __name__ == "__main__":
    main()
