"""Data-quality counts and the mixing-test summary of the wave overview."""

from __future__ import annotations

import pandas as pd

from netinnov.metrics.summaries import mixing_summary, quality_checks

__all__ = ["mixing_summary", "mixing_table", "quality_checks"]


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
