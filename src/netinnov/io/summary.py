"""The validation summary: a tidy table per wave and a text report for people."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .checker import FileResult
from .errors import BadRowError, InputError
from .read import STRING

if TYPE_CHECKING:  # pragma: no cover
    from .validate import WaveData

__all__ = ["SUMMARY_COLUMNS", "format_summary", "summary_frame"]

#: Columns of ``validated/summary.csv``.
SUMMARY_COLUMNS = ("wave", "file", "rows_read", "accepted", "rejected", "reason", "n")


def summary_frame(wave: str, results: Iterable[FileResult]) -> pd.DataFrame:
    """One row per (file, reason): rows read, accepted and rejected of the file,
    and ``n`` rows rejected for ``reason``.

    A file without rejected rows has one row with ``reason`` missing and
    ``n = 0``. ``accepted + rejected == rows_read`` on every row, and ``n``
    sums to ``rejected`` over a file's rows.
    """
    rows = []
    for r in results:
        rejected = r.n_rejected
        base = {
            "wave": wave,
            "file": r.file,
            "rows_read": r.rows_read,
            "accepted": len(r.accepted),
            "rejected": rejected,
        }
        if not r.reasons:
            rows.append({**base, "reason": np.nan, "n": 0})
        for reason, n in r.reasons:
            rows.append({**base, "reason": reason, "n": n})
    return normalise_summary(pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS)))


def normalise_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """The summary's column types: text and int64 counts."""
    out = frame.copy()
    for col in ("wave", "file", "reason"):
        out[col] = out[col].astype(STRING)
    for col in ("rows_read", "accepted", "rejected", "n"):
        out[col] = out[col].astype(np.int64)
    return out.reset_index(drop=True)


def format_summary(
    results: Mapping[str, WaveData | InputError],
    dataset: Path | str | None = None,
    *,
    rejected_written: bool = True,
) -> str:
    """Text report: per wave and file, rows read, accepted, rejected by reason,
    and the structural error that stopped a wave.

    Parameters
    ----------
    results
        Wave name → its validated data or the InputError that stopped it.
    dataset
        The dataset directory, named in the heading.
    rejected_written
        Whether the rejected rows are written to ``rejected.csv`` (by the
        pipeline, or ``netinnov validate --out``); when not, the text says how
        to write them.
    """
    lines = []
    if dataset is not None:
        lines.append(f"Dataset {dataset}: {len(results)} wave{'s' if len(results) != 1 else ''}")
    failed = bad_rows = 0
    for wave, result in results.items():
        lines.append("")
        if isinstance(result, InputError):
            if isinstance(result, BadRowError):
                bad_rows += 1
            else:
                failed += 1
            lines.append(f"wave {wave}: STOPPED")
            lines.append(f"  error: {result}")
            continue
        summary = result.summary
        files = summary.drop_duplicates("file")
        width = max([len("file")] + [len(f) for f in files["file"]]) + 2
        lines.append(f"wave {wave}")
        lines.append(f"  {'file':<{width}}{'rows read':>10}{'accepted':>10}{'rejected':>10}")
        for _, row in files.iterrows():
            lines.append(
                f"  {row['file']:<{width}}{row['rows_read']:>10}"
                f"{row['accepted']:>10}{row['rejected']:>10}"
            )
            reasons = summary.loc[(summary["file"] == row["file"]) & summary["reason"].notna()]
            for _, r in reasons.iterrows():
                lines.append(f"      {r['reason']:<{width + 16}}{r['n']:>10}")
        read, accepted, rejected = (
            int(files[c].sum()) for c in ("rows_read", "accepted", "rejected")
        )
        lines.append(
            f"  total: {read} rows read, {accepted} accepted, {rejected} rejected"
            + ((" (see rejected.csv)" if rejected_written else " (run with --out to write them to rejected.csv)")
               if rejected else "")
        )
    if failed or bad_rows:
        lines.append("")
    if failed:
        lines.append(f"{failed} wave{'s' if failed != 1 else ''} stopped by a structural error.")
    if bad_rows:
        lines.append(
            f"{bad_rows} wave{'s' if bad_rows != 1 else ''} stopped at a bad row (on_bad_rows: fail; with "
            "quarantine the bad rows go to rejected.csv and the wave goes on)."
        )
    return "\n".join(lines).lstrip("\n")
