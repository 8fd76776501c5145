"""A tiny valid dataset (one wave, four actors, three interactions) and the
checks of a validated wave that several io tests share."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from netinnov.io import WaveData

ACTORS = """actor_id,sector,organization
a1,public,City
a2,private,Firm
a3,civil_society,NGO
007,citizen,
"""

INTERACTIONS_HEADER = "case_id,source,target,frequency,duration_min,closeness,channel,phase,date\n"
INTERACTIONS = INTERACTIONS_HEADER + (
    "c1,a1,a2,2,30,4,meeting,design,2024-01-05\n"
    "c1,a2,a3,,,,email,,\n"
    "c2,a3,007,1,15,3,phone,implementation,2024-02-01\n"
)


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write files (text as UTF-8, bytes as they are) under root."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


def dataset(tmp_path: Path, **files: str | bytes) -> Path:
    """A minimal valid dataset (one wave w1), with files replaced or added.

    Keyword names are file paths with '/' written as '__' and '.csv' left
    out, e.g. ``waves__w1__roles="..."``; ``None`` removes a file.
    """
    content: dict[str, str | bytes | None] = {
        "actors.csv": ACTORS,
        "waves/w1/interactions.csv": INTERACTIONS,
    }
    for key, value in files.items():
        content[key.replace("__", "/") + ".csv"] = value
    root = tmp_path / "ds"
    return write(root, {k: v for k, v in content.items() if v is not None})


def rejected_of(data: WaveData, file: str) -> pd.DataFrame:
    return data.rejected.loc[data.rejected["file"] == file].reset_index(drop=True)


def file_summary(data: WaveData) -> pd.DataFrame:
    return data.summary.drop_duplicates("file").set_index("file")


def assert_counts(data: WaveData) -> None:
    """accepted + rejected == rows read, for every file, and n sums to rejected."""
    per_file = file_summary(data)
    assert (per_file["accepted"] + per_file["rejected"] == per_file["rows_read"]).all()
    sums = data.summary.groupby("file")["n"].sum()
    assert (sums.reindex(per_file.index) == per_file["rejected"]).all()
    for file, row in per_file.iterrows():
        assert (data.rejected["file"] == file).sum() == row["rejected"]


def write_file(path: Path, text: str) -> Path:
    """Write UTF-8 text at path, making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
