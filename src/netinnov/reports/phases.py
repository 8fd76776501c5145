"""Participation by phase and sector, across cases (from ``waves/<w>/phases.csv``)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from netinnov.metrics.phase_tests import phase_share_summary  # noqa: E402
from netinnov.metrics.phases import PHASES
from netinnov.reports.figures import (  # noqa: E402
    figure_legend,
    ordered_labels,
    outside_legend,
    sector_colour,
    series_colours,
)

__all__ = ["phase_share_summary", "plot_group_involvement", "plot_implementation_test", "plot_phase_shares", "share_table"]

_MEASURE_LABELS = {
    "actor_share": "share of the phase's active actors",
    "tie_share": "share of the phase's ties involving the sector",
    "activity_share": "share of the phase's activity",
    "rate": "share of the sector's roster active",
}


def plot_phase_shares(
    summary: pd.DataFrame,
    *,
    group_column: str = "sector",
    by: str = "wave",
    measure: str = "actor_share",
    order: Sequence[str] | None = None,
    title: str = "Participation by phase and sector",
) -> plt.Figure:
    """One panel per wave: bars of each sector's mean share (or rate) in each phase,
    with 95% intervals (drawn within [0, 1], where shares and rates lie)."""
    levels = ordered_labels(summary[by], order) if len(summary) else []
    n = max(len(levels), 1)
    ncols = min(n, 2)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.2 * ncols, 4.0 * nrows), squeeze=False, sharey=True)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    groups = ordered_labels(summary[group_column]) if len(summary) else []
    colours = sector_colour(groups)
    width = 0.8 / max(len(groups), 1)
    for ax, level in zip(axes.ravel(), levels or [""], strict=False):
        part = summary[summary[by].astype(str) == level] if level else summary.iloc[0:0]
        for j, grp in enumerate(groups):
            rows = part[part[group_column].astype(str) == grp].set_index("phase").reindex(list(PHASES))
            x = np.arange(len(PHASES)) + (j - (len(groups) - 1) / 2) * width
            mean = rows["mean"].to_numpy(dtype=float)
            # shares and rates lie in [0, 1]: so does the drawn part of an interval
            lo, hi = (np.clip(rows[c].to_numpy(dtype=float), 0.0, 1.0) for c in ("ci_low", "ci_high"))
            err = np.vstack([mean - lo, hi - mean])
            ax.bar(x, np.nan_to_num(mean), width=width * 0.95, color=colours[grp], label=grp)
            ok = ~np.isnan(err).any(axis=0)
            if ok.any():
                ax.errorbar(x[ok], mean[ok], yerr=err[:, ok], fmt="none", ecolor="black", elinewidth=0.8, capsize=2)
        ax.set_xticks(np.arange(len(PHASES)))
        ax.set_xticklabels(PHASES)
        ax.set_title(f"{by} {level}" if level else "no phased records")
        ax.set_xlabel("phase")
        ax.set_ylabel(f"mean {_MEASURE_LABELS.get(measure, measure)}")
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[g], label=g) for g in groups]
    handles.append(Line2D([], [], color="black", linewidth=0.8, label="95% interval over cases"))
    fig.suptitle(title)
    fig.tight_layout()
    figure_legend(fig, handles, group_column)
    return fig


def plot_implementation_test(
    tests: pd.DataFrame, *, by: str = "wave", order: Sequence[str] | None = None,
    title: str = "Implementation minus earlier phases: paired difference in share",
    xlabel: str = "implementation share − mean of initiation and design shares",
) -> plt.Figure:
    """Forest plot of ``implementation_test`` rows (or ``phase_tests.csv`` rows of
    one measure): mean paired difference (``mean_difference`` or ``estimate``)
    per group with its bootstrap 95% interval, one colour per wave; 0 marked."""
    estimate = "estimate" if "estimate" in tests.columns else "mean_difference"
    groups = list(dict.fromkeys(tests["group"].astype(str))) if len(tests) else []
    levels = ordered_labels(tests[by], order) if len(tests) else []
    colours = series_colours(levels)
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.55 * max(len(groups), 1) * max(1, len(levels)) ** 0.5))
    step = 0.7 / max(len(levels), 1)
    for j, level in enumerate(levels):
        rows = tests[tests[by].astype(str) == level].set_index("group").reindex(groups)
        y = np.arange(len(groups))[::-1] + (j - (len(levels) - 1) / 2) * step
        mean = rows[estimate].to_numpy(dtype=float)
        lo = rows["ci_low"].to_numpy(dtype=float)
        hi = rows["ci_high"].to_numpy(dtype=float)
        ok = ~np.isnan(mean)
        err = np.vstack([mean - lo, hi - mean])
        err = np.where(np.isnan(err), 0.0, err)
        ax.errorbar(mean[ok], y[ok], xerr=err[:, ok], fmt="o", color=colours[level], capsize=3, label=f"{by} {level}")
    ax.axvline(0.0, color="black", linewidth=0.8, linestyle="dashed", label="no difference")
    ax.set_yticks(np.arange(len(groups))[::-1])
    ax.set_yticklabels(groups)
    if not groups:
        ax.text(0.5, 0.5, "no case has records in initiation, design and implementation", ha="center",
                va="center", transform=ax.transAxes)
    ax.set_title(title)
    ax.set_xlabel(f"{xlabel} (bootstrap 95% interval)")
    ax.set_ylabel("group")
    outside_legend(ax)
    fig.tight_layout()
    return fig


def plot_group_involvement(
    involvement: pd.DataFrame, *, group: str = "citizen", by: str = "wave", order: Sequence[str] | None = None,
) -> plt.Figure:
    """Two panels by phase: the share of cases in which ``group`` took part, and
    its mean share of active actors; one line per wave."""
    levels = ordered_labels(involvement[by], order) if len(involvement) else []
    colours = series_colours(levels)
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    x = np.arange(len(PHASES))
    for column, ax, ylabel in (
        ("involved_share", axes[0], f"share of cases with {group} actors active"),
        ("mean_actor_share", axes[1], f"mean share of active actors who are {group}"),
    ):
        for level in levels:
            rows = involvement[involvement[by].astype(str) == level].set_index("phase").reindex(list(PHASES))
            ax.plot(x, rows[column].to_numpy(dtype=float), marker="o", color=colours[level], label=f"{by} {level}")
        ax.set_xticks(x)
        ax.set_xticklabels(PHASES)
        ax.set_ylim(bottom=0)
        ax.set_xlabel("phase")
        ax.set_ylabel(ylabel)
        ax.set_title(ylabel[0].upper() + ylabel[1:])
        if levels:
            outside_legend(ax)
        else:
            ax.legend(handles=[Line2D([], [], linestyle="", label="no phased records")])
    fig.suptitle(f"Involvement of {group} actors by phase")
    fig.tight_layout()
    return fig


def share_table(summary: pd.DataFrame, *, group_column: str = "sector", by: str = "wave", precision: int = 2) -> pd.DataFrame:
    """:func:`phase_share_summary` as a wide table: one row per (phase, group),
    one column per wave holding ``mean [95% interval] (n cases)``."""
    if not len(summary):
        return pd.DataFrame(columns=["phase", group_column])
    f = f"{{:.{precision}f}}"

    def text(m: float, lo: float, hi: float, n: int) -> str:
        interval = f" [{f.format(lo)}, {f.format(hi)}]" if np.isfinite(lo) and np.isfinite(hi) else ""
        return f"{f.format(m)}{interval} ({int(n)})"

    cells = [text(*v) for v in zip(summary["mean"], summary["ci_low"], summary["ci_high"], summary["n_cases"],
                                   strict=True)]
    frame = summary.assign(text=cells)
    levels = list(dict.fromkeys(frame[by]))
    wide = frame.pivot_table(index=["phase", group_column], columns=by, values="text", aggfunc="first", sort=False)
    return wide.reindex(columns=levels).reset_index().rename_axis(columns=None)
