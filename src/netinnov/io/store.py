"""Writing and reading a wave's validated inputs.

Layout under ``results/<dataset>/waves/<wave>/`` (SPEC.md "Results")::

    validated/<input>.parquet   actors, interactions, and each optional file present
    validated/summary.csv       the wave's summary table
    rejected.csv                file, line, reason, then the raw fields
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from netinnov.io.formulas import enabled as formulas_enabled
from netinnov.io.formulas import guard, restore
from netinnov.io.memory import release_memory

from .dtypes import STRING, as_text, sorted_categorical
from .summary import normalise_summary
from .validate import WaveData, combine_rejected

__all__ = ["INPUTS", "RECORDS", "read_case_ids", "read_parquet", "read_validated", "write_parquet", "write_validated"]

#: The validated tables, by file stem.
INPUTS = ("actors", "interactions", "participation", "roles", "outcomes", "members")

#: The record tables, whose text columns are categoricals in memory.
RECORDS = ("interactions", "participation", "roles", "members")

#: Rows per parquet row group: pyarrow's default, so that writing a table
#: block by block gives the file ``DataFrame.to_parquet`` would.
ROW_GROUP = 1024 * 1024


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
        write_parquet(frame, target)
    # neutralize_formulas: both CSVs hold text from the data (fields, column names in reasons)
    guard(data.rejected).to_csv(out_dir / "rejected.csv", index=False, encoding="utf-8", lineterminator="\n")
    guard(data.summary).to_csv(validated / "summary.csv", index=False, encoding="utf-8", lineterminator="\n")


def read_validated(out_dir: Path | str, wave: str, *, cases: Sequence[str] | None = None) -> WaveData:
    """Read back what :func:`write_validated` wrote.

    Text columns come back with the same string dtype (categoricals of it in
    the record tables, :data:`RECORDS`), dates as ``datetime64[ns]``,
    ``line`` and counts as int64. With ``cases``, the record tables hold the
    rows of those cases only, filtered while the files are read (a chunk of a
    large wave reads its own cases, not the wave); ``actors``, ``outcomes``
    and ``rejected`` are whole.
    """
    out_dir = Path(out_dir)
    validated = out_dir / "validated"
    frames: dict[str, pd.DataFrame | None] = {}
    for name in INPUTS:
        path = validated / f"{name}.parquet"
        only = cases if name in RECORDS else None
        frames[name] = read_parquet(path, categorical=name in RECORDS, cases=only) if path.exists() else None
    if frames["actors"] is None or frames["interactions"] is None:
        raise FileNotFoundError(f"{validated} lacks actors.parquet or interactions.parquet")
    rejected = pd.read_csv(out_dir / "rejected.csv", dtype=str, keep_default_na=False)
    if formulas_enabled():  # written by write_validated with neutralize_formulas
        rejected = restore(rejected)
    rejected["line"] = rejected["line"].astype(np.int64)
    for col in rejected.columns:
        if col != "line":
            rejected[col] = rejected[col].astype(STRING)
    if rejected.empty:
        rejected = combine_rejected([])
    summary = pd.read_csv(
        validated / "summary.csv", dtype={"wave": str, "file": str, "reason": str}
    )
    if formulas_enabled():
        summary = restore(summary)
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


def read_case_ids(out_dir: Path | str, name: str) -> pd.Series | None:
    """The ``case_id`` column of one validated record table (None when the wave
    has no such table): what a chunk needs of the whole wave to plan itself."""
    path = Path(out_dir) / "validated" / f"{name}.parquet"
    if not path.exists():
        return None
    return pq.read_table(path, columns=["case_id"]).column("case_id").to_pandas().astype(STRING)


def write_parquet(frame: pd.DataFrame, target: Path) -> None:
    """``frame.to_parquet(target, index=False)`` with categoricals written as
    their text, the same file byte for byte.

    A frame with categoricals is converted and written one row group at a
    time, so that its text is never spelled out for all rows at once.
    """
    if not any(isinstance(dtype, pd.CategoricalDtype) for dtype in frame.dtypes) or not len(frame):
        _text_block(frame).to_parquet(target, index=False)
        return
    writer = None
    try:
        for start in range(0, len(frame), ROW_GROUP):
            block = pa.Table.from_pandas(
                _text_block(frame.iloc[start : start + ROW_GROUP]), preserve_index=False
            )
            if writer is None:
                writer = pq.ParquetWriter(target, block.schema, compression="snappy")
            writer.write_table(block)
    finally:
        if writer is not None:
            writer.close()


def _text_block(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with categorical columns as STRING text."""
    kinds = dict(zip(frame.columns, frame.dtypes, strict=True))
    text = [col for col, dtype in kinds.items() if isinstance(dtype, pd.CategoricalDtype)]
    if len(frame.columns) < 256 or not text:  # column by column; a wide frame only where needed
        columns = {col: as_text(frame[col]) for col in frame.columns}
        return pd.DataFrame(columns, index=frame.index)
    spelled = pd.DataFrame({col: as_text(frame[col]) for col in text}, index=frame.index)
    return pd.concat([frame.drop(columns=text), spelled], axis=1)[list(frame.columns)]


def read_parquet(
    path: Path, *, categorical: bool = False, cases: Sequence[str] | None = None
) -> pd.DataFrame:
    """A validated table as :func:`write_parquet` wrote it, dtypes restored;
    with ``categorical``, text columns are read as categoricals straight from
    the file's dictionaries (their rows are never spelled out); with
    ``cases``, only the rows whose ``case_id`` is one of them."""
    text: list[str] = []
    if categorical:
        schema = pq.read_schema(path)
        text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
    if cases is None:
        table = pq.read_table(path, read_dictionary=text or None)
    else:
        # filtered batch by batch while the file is scanned: the other cases' rows are never held
        wanted = pa.array(sorted({str(c) for c in cases}), pa.string())
        table = pq.read_table(path, read_dictionary=text or None, filters=pc.field("case_id").isin(wanted))
    frame = table.to_pandas(split_blocks=True, self_destruct=True)  # column by column
    del table
    release_memory()
    return _normalise(frame)


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Bring parquet's dtypes back to the validated ones, column by column in
    place (no copy of the whole table: at millions of records it would double
    the memory of the read)."""
    for col in list(frame.columns):
        dtype = frame[col].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            frame[col] = sorted_categorical(frame[col])
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            if dtype != "datetime64[ns]":
                frame[col] = frame[col].astype("datetime64[ns]")
        elif pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            if dtype != STRING:
                frame[col] = frame[col].astype(STRING)
    return frame
