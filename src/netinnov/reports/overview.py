"""Data-quality counts for the wave overview."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["quality_checks"]


def quality_checks(
    cases: pd.DataFrame,
    actors: pd.DataFrame,
    ties: pd.DataFrame,
    phases: pd.DataFrame | None = None,
    *,
    group_attribute: str = "sector",
) -> pd.DataFrame:
    """Counts worth a look before reading a wave's metrics.

    Returns one row per check: ``check``, ``count``, ``out_of`` (the
    denominator, missing where there is none) and ``share``.
    """
    rows: list[tuple[str, float, float]] = []
    n_actors = float(len(actors))
    if group_attribute in actors.columns:
        rows.append((f"actors without {group_attribute}", float(actors[group_attribute].isna().sum()), n_actors))
    if "degree" in actors.columns:
        deg = pd.to_numeric(actors["degree"], errors="coerce")
        rows.append(("isolates (actors without a tie in their case)", float((deg == 0).sum()), n_actors))
    if "n_actors" in cases.columns:
        size = pd.to_numeric(cases["n_actors"], errors="coerce").fillna(0)
        rows.append(("cases with outcomes but no network", float((size == 0).sum()), float(len(cases))))
        if "n_ties" in cases.columns:
            empty = (pd.to_numeric(cases["n_ties"], errors="coerce").fillna(0) == 0) & (size > 0)
            rows.append(("cases whose network has no tie", float(empty.sum()), float(len(cases))))
    if "closeness" in ties.columns:
        rows.append(("ties without a closeness rating", float(ties["closeness"].isna().sum()), float(len(ties))))
    if phases is not None and "unphased_records" in phases.columns and len(phases):
        per_case = phases.groupby("case_id", sort=False)["unphased_records"].first()
        rows.append(("records without a valid phase", float(pd.to_numeric(per_case, errors="coerce").sum()), np.nan))
    frame = pd.DataFrame(rows, columns=["check", "count", "out_of"])
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["share"] = frame["count"] / frame["out_of"].where(frame["out_of"] > 0)
    frame["count"] = frame["count"].astype("int64")
    frame["out_of"] = frame["out_of"].astype("Int64")
    return frame
