"""Writing and reading a wave's validated inputs.

Layout under ``results/<dataset>/waves/<wave>/`` (SPEC.md "Results")::

    validated/<input>.parquet   actors, interactions, and each optional file present
    validated/summary.csv       the wave's summary table
    rejected.csv                file, line, reason, then the raw fields
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .read import STRING
from .summary import normalise_summary
from .wave import WaveData, combine_rejected

__all__ = ["INPUTS", "read_validated", "write_validated"]

#: The validated tables, by file stem.
INPUTS = ("actors", "interactions", "participation", "roles", "outcomes", "members")


def write_validated(data: WaveData, out_dir: Path | str) -> None:
    """Write a wave's validated tables, its rejected rows and its summary.

    Parquet files of optional inputs the wave lacks are removed, so that a
    directory always reflects the last validation.
    """
    out_dir = Path(out_dir)
    validated = out_dir / "validated"
    validated.mkdir(parents=True, exist_ok=True)
    for name in INPUTS:
        frame = getattr(data, name)
        target = validated / f"{name}.parquet"
        if frame is None:
            target.unlink(missing_ok=True)
            continue
        frame.to_parquet(target, index=False)
    data.rejected.to_csv(out_dir / "rejected.csv", index=False, encoding="utf-8", lineterminator="\n")
    data.summary.to_csv(validated / "summary.csv", index=False, encoding="utf-8", lineterminator="\n")


def read_validated(out_dir: Path | str, wave: str) -> WaveData:
    """Read back what :func:`write_validated` wrote.

    Text columns come back with the same string dtype, dates as
    ``datetime64[ns]``, ``line`` and counts as int64.
    """
    out_dir = Path(out_dir)
    validated = out_dir / "validated"
    frames: dict[str, pd.DataFrame | None] = {}
    for name in INPUTS:
        path = validated / f"{name}.parquet"
        frames[name] = _normalise(pd.read_parquet(path)) if path.exists() else None
    if frames["actors"] is None or frames["interactions"] is None:
        raise FileNotFoundError(f"{validated} lacks actors.parquet or interactions.parquet")
    rejected = pd.read_csv(out_dir / "rejected.csv", dtype=str, keep_default_na=False)
    rejected["line"] = rejected["line"].astype(np.int64)
    for col in rejected.columns:
        if col != "line":
            rejected[col] = rejected[col].astype(STRING)
    if rejected.empty:
        rejected = combine_rejected([])
    summary = pd.read_csv(
        validated / "summary.csv", dtype={"wave": str, "file": str, "reason": str}
    )
    return WaveData(
        wave=wave,
        actors=frames["actors"],
        interactions=frames["interactions"],
        participation=frames["participation"],
        roles=frames["roles"],
        outcomes=frames["outcomes"],
        members=frames["members"],
        rejected=rejected,
        summary=normalise_summary(summary),
    )


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Bring parquet's dtypes back to the validated ones, column by column in
    place (no copy of the whole table: at millions of records it would double
    the memory of the read)."""
    for col in list(frame.columns):
        dtype = frame[col].dtype
        if pd.api.types.is_datetime64_any_dtype(dtype):
            if dtype != "datetime64[ns]":
                frame[col] = frame[col].astype("datetime64[ns]")
        elif pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            if dtype != STRING:
                frame[col] = frame[col].astype(STRING)
    return frame
