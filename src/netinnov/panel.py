"""Tables across waves: every wave stacked, and change between consecutive waves."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from netinnov.metrics.change import tie_change
from netinnov.tables import read_table, write_table

__all__ = ["run_panel", "stack_waves"]


def stack_waves(results: Path, waves: list[str], table: str) -> pd.DataFrame:
    """``waves/<wave>/<table>.csv`` of every wave, in wave order, with a ``wave`` column first."""
    frames = []
    for wave in waves:
        frame = read_table(results / "waves" / wave / f"{table}.csv")
        frame.insert(0, "wave", wave)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["wave"])


def run_panel(results: Path, waves: list[str], *, options: dict) -> None:
    """Write ``panel/cases.csv``, ``panel/actors.csv`` and ``panel/change.csv``."""
    directed = bool(options.get("directed", False))
    out = results / "panel"
    out.mkdir(parents=True, exist_ok=True)
    write_table(stack_waves(results, waves, "cases"), out / "cases.csv")
    write_table(stack_waves(results, waves, "actors"), out / "actors.csv")
    changes = []
    for a, b in zip(waves[:-1], waves[1:], strict=True):
        da, db = results / "waves" / a, results / "waves" / b
        changes.append(
            tie_change(
                read_table(da / "ties.csv"),
                read_table(db / "ties.csv"),
                read_table(da / "actors.csv"),
                read_table(db / "actors.csv"),
                directed=directed,
                wave_from=a,
                wave_to=b,
            )
        )
    columns = ["case_id", "wave_from", "wave_to", "n00", "n01", "n10", "n11", "hamming", "jaccard",
               "actors_joined", "actors_left"]
    change = pd.concat(changes, ignore_index=True) if changes else pd.DataFrame(columns=columns)
    write_table(change, out / "change.csv")
