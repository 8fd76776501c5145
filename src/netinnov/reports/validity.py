"""Construct validity: the figures of ``validity/validity.csv`` drawn against their targets."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from netinnov.reports.figures import _empty, figure_legend, series_colours  # noqa: E402

__all__ = ["PANELS", "plot_validity", "series_label", "target_summary"]

#: ``(construct, measure, title, x-axis label)`` of each panel of :func:`plot_validity`.
PANELS = (
    ("role_presence", "auc", "Role presence per case: AUC", "AUC (0.5 = chance)"),
    ("role_presence", "size_correlation", "Role presence and case size (cases without the role)",
     "Pearson r with log n_actors"),
    ("role_scores", "auc", "Role scores per actor: AUC", "AUC (0.5 = chance)"),
    ("role_scores", "correlation", "Correlation between role scores", "Pearson r across actors"),
    ("collaboration_type", "agreement", "Collaboration type: agreement", "share of cases"),
    ("mixing_test", "rejection_rate", "E-I test: share significant at 5 %", "share of cases"),
    ("tie_strength", "cronbach_alpha", "Tie-strength indicators: alpha", "Cronbach's alpha"),
)


def series_label(frame: pd.DataFrame) -> pd.Series:
    """``source · criterion · wave`` of each row (the series of a panel)."""
    crit = frame["criterion"].astype(str).replace({"none": "", "planted_null": "planted null"})
    parts = frame["source"].astype(str) + np.where(crit != "", " · " + crit, "") + " · " + frame["wave"].astype(str)
    return pd.Series(parts, index=frame.index)


def plot_validity(validity: pd.DataFrame, *, title: str = "Construct validity against the targets") -> plt.Figure:
    """One panel per construct: each figure as a point with its 95 % interval,
    one colour per series (source, criterion, wave); the dashed line is the
    target (:data:`netinnov.validity.TARGETS`)."""
    fig, axes = plt.subplots(len(PANELS), 1, figsize=(8, 2.2 * len(PANELS)), squeeze=False)
    v = validity.copy()
    v["series"] = series_label(v) if len(v) else pd.Series(dtype=str)
    colours = series_colours(list(dict.fromkeys(v["series"]))) if len(v) else {}
    for ax, (construct, measure, panel_title, xlabel) in zip(axes[:, 0], PANELS, strict=True):
        rows = v[(v["construct"] == construct) & (v["measure"] == measure)] if len(v) else v
        rows = rows[np.isfinite(pd.to_numeric(rows["value"], errors="coerce"))] if len(rows) else rows
        if not len(rows):
            _empty(ax, panel_title, "no figure for this construct in these results")
            continue
        subjects = list(dict.fromkeys(rows["subject"].astype(str)))
        series = list(dict.fromkeys(rows["series"]))
        step = 0.8 / max(len(series), 1)
        for k, s in enumerate(series):
            r = rows[rows["series"] == s]
            y = np.array([subjects.index(str(x)) for x in r["subject"]]) - 0.4 + step * (k + 0.5)
            x = r["value"].to_numpy(dtype=float)
            lo = r["ci_low"].to_numpy(dtype=float)
            hi = r["ci_high"].to_numpy(dtype=float)
            err = np.vstack([np.where(np.isfinite(lo), np.clip(x - lo, 0, None), 0),
                             np.where(np.isfinite(hi), np.clip(hi - x, 0, None), 0)])
            ax.errorbar(x, y, xerr=err, fmt="o", color=colours[s], ms=4, capsize=2, label=s)
        targets = pd.to_numeric(rows["target"], errors="coerce").dropna().unique()
        for t in targets:
            ax.axvline(t, color="black", ls="--", lw=1)
            if construct == "role_scores" and measure == "correlation":
                ax.axvline(-t, color="black", ls="--", lw=1)
        ax.set_yticks(range(len(subjects)), subjects)
        ax.invert_yaxis()
        ax.set_title(panel_title, fontsize=10)
        ax.set_xlabel(xlabel)
    handles = [plt.Line2D([], [], marker="o", ls="", color=c, label=s) for s, c in colours.items()]
    if handles:
        figure_legend(fig, handles, "series")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def target_summary(validity: pd.DataFrame) -> pd.DataFrame:
    """The figures that have a target, with whether each meets it."""
    if not len(validity):
        return validity
    rows = validity[validity["meets_target"].notna()].copy()
    keep = ["source", "wave", "construct", "measure", "criterion", "subject", "value", "ci_low", "ci_high", "n",
            "target", "meets_target"]
    return rows[keep].reset_index(drop=True)
