"""Data-quality counts and the mixing-test summary of the wave overview."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["mixing_summary", "mixing_table", "quality_checks"]


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


def mixing_summary(mixing: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """Per E-I test of a wave (``mixing_tests.csv``): ``test``, ``cases_tested``
    (p-value not missing), ``p_at_most_alpha`` and ``q_at_most_alpha`` (cases
    significant before and after the Benjamini–Hochberg adjustment)."""
    rows = []
    for test, part in mixing.groupby("test", sort=False):
        p = pd.to_numeric(part["p_value"], errors="coerce")
        q = pd.to_numeric(part["q_value"], errors="coerce")
        rows.append({"test": test, "cases_tested": int(p.notna().sum()),
                     f"p <= {alpha:g}": int((p <= alpha).sum()), f"q <= {alpha:g}": int((q <= alpha).sum())})
    return pd.DataFrame(rows, columns=["test", "cases_tested", f"p <= {alpha:g}", f"q <= {alpha:g}"])


def mixing_table(mixing: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """One row per case: ``ei``, ``ei_expected`` (from ``cases``) and, per E-I
    test, its p-value and q-value side by side (``<test>_p_value``,
    ``<test>_q_value``), smallest q first."""
    wide = mixing.pivot_table(index="case_id", columns="test", values=["p_value", "q_value"], aggfunc="first",
                              dropna=False)
    wide.columns = [f"{test}_{value}" for value, test in wide.columns]
    tests = list(dict.fromkeys(mixing["test"]))
    ordered = [f"{t}_{v}" for t in tests for v in ("p_value", "q_value") if f"{t}_{v}" in wide.columns]
    keep = [c for c in ("case_id", "ei", "ei_expected") if c in cases.columns]
    out = cases[keep].astype({"case_id": str}).merge(wide[ordered].reset_index(), on="case_id", how="right")
    sort = ordered[1::2] + ["case_id"]
    return out.sort_values(sort, kind="stable", na_position="last").reset_index(drop=True)
