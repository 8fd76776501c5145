"""Validation time against the number of columns of a file (issue 14, item 10).

Writes ``benchmarks/data/wide/<n>/`` — a minimal dataset whose
``interactions.csv`` has the three required columns and ``n - 3`` extra
columns of small integers, three records — and times
``netinnov.io.validate_wave`` on it in a fresh process for each size.
Measurement only; the target (≤ 2 s for a 100,000-column file of ~800 KB) is
read off the printed table. With ``--rejected``, every tenth extra column is
text and the file has two more records that are rejected (an unknown actor, a
record with too few fields), so that the rejected rows' raw fields (one text
column each) are measured too. With ``--text``, every extra column is text, each with values of its own.

    .venv/bin/python benchmarks/bench_wide_header.py                       # 1,000, 10,000, 100,000 columns
    .venv/bin/python benchmarks/bench_wide_header.py --columns 1000,4000,8000
    .venv/bin/python benchmarks/bench_wide_header.py --columns 10000,100000 --rejected
    .venv/bin/python benchmarks/bench_wide_header.py --columns 10000,100000 --text
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE = HERE.parent / "tests" / "data" / "bad" / "base"
TIMER = """
import json, resource, sys, time
from netinnov.io import validate_wave
start = time.perf_counter()
validate_wave(sys.argv[1], "w1")
print(json.dumps({"seconds": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _field(r: int, i: int, rejected: bool, text: bool) -> str:
    """Record ``r``'s field of extra column ``i``."""
    if text:  # every column text, with values of its own (no two columns share categories)
        return f"t{r}.{i}"
    return f"t{r}" if rejected and i % 10 == 0 else str(i % 7)


def write_dataset(folder: Path, columns: int, rejected: bool = False, text: bool = False) -> int:
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(BASE, folder)
    header = ["case_id", "source", "target", *(f"x{i}" for i in range(columns - 3))]
    rows = [",".join(header)]
    records = (
        ("c1,a1,a2", "c1,a2,a3", "c2,a4,a5", "c2,a9,a5")
        if rejected
        else ("c1,a1,a2", "c1,a2,a3", "c2,a4,a5")
    )
    for r, record in enumerate(records):
        fields = (_field(r, i, rejected, text) for i in range(columns - 3))
        rows.append(record + "," + ",".join(fields))
    if rejected:
        rows.append("c1,a1")  # too few fields
    path = folder / "waves" / "w1" / "interactions.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--columns", default="1000,10000,100000", help="comma-separated column counts"
    )
    parser.add_argument(
        "--rejected", action="store_true", help="text columns and two rejected records"
    )
    parser.add_argument("--text", action="store_true", help="every extra column text")
    args = parser.parse_args()
    print("| columns | file size | validate (s) | peak memory (MB) | s per 1,000 columns |")
    print("|---:|---:|---:|---:|---:|")
    for n in (int(x) for x in args.columns.split(",")):
        name = str(n) + ("-rejected" if args.rejected else "") + ("-text" if args.text else "")
        folder = HERE / "data" / "wide" / name
        size = write_dataset(folder, n, args.rejected, args.text)
        proc = subprocess.run(
            [sys.executable, "-c", TIMER, str(folder)], capture_output=True, text=True, check=True
        )
        got = json.loads(proc.stdout.strip().splitlines()[-1])
        print(
            f"| {n:,} | {size / 1024:,.0f} KB | {got['seconds']:.2f} | {got['peak_mb']:.0f} | "
            f"{1000 * got['seconds'] / n:.3f} |"
        )


if __name__ == "__main__":
    main()
