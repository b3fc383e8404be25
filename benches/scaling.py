"""Time and peak memory of decoding 10k, 100k and 1M contacts, whole and streaming, per fmt.

    python benches/scaling.py [--sizes 10000,100000,1000000] [--fmts 0,1,2,3]

Payloads are written to a temporary folder first; each measurement then runs in a fresh Python
process, so its peak resident memory (``ru_maxrss``) is its own: the interpreter and imports,
plus what decoding holds.  Streaming consumes ``iter_decode`` without keeping the records, which
is what a memory bound for streaming means; "whole" keeps the decoded list, as ``decode`` must.
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
import fmtcodec
from fmtcodec import Contact
path, fmt, mode = {path!r}, {fmt}, {mode!r}
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
if mode == "whole":
    with open(path, "rb") as source:
        count = len(fmtcodec.decode(source.read(), list[Contact], fmt=fmt))
else:
    with open(path, "rb") as source:
        count = sum(1 for _ in fmtcodec.iter_decode(source, list[Contact], fmt=fmt))
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"count": count, "seconds": elapsed, "peak_mb": peak / 1024, "start_mb": before / 1024}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--fmts", default="0,1,2,3")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    fmts = [int(fmt) for fmt in args.fmts.split(",")]
    print("| records | fmt | payload MB | whole s | whole peak MB | streaming s | streaming peak MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            code = _WRITE.format(here=str(HERE), size=size, fmts=fmts, folder=folder)
            subprocess.run([sys.executable, "-c", code], check=True)
            for fmt in fmts:
                path = f"{folder}/contacts-{size}.{fmt}"
                results = {}
                for mode in ("whole", "stream"):
                    code = _MEASURE.format(path=path, fmt=fmt, mode=mode)
                    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
                    results[mode] = json.loads(done.stdout)
                    assert results[mode]["count"] == size
                megabytes = Path(path).stat().st_size / 1e6
                whole, stream = results["whole"], results["stream"]
                print(
                    f"| {size} | {fmt} | {megabytes:.1f} | {whole['seconds']:.2f} | {whole['peak_mb']:.0f}"
                    f" | {stream['seconds']:.2f} | {stream['peak_mb']:.0f} |",
                    flush=True,
                )
                Path(path).unlink()


if __name__ == "__main__":
    main()
