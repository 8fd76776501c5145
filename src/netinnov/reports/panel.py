"""Change across waves: tie turnover (``panel/change.csv``) and the stability of
actor metrics (``panel/stability.csv``)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from netinnov.metrics.summaries import (  # noqa: E402
    JACCARD_THRESHOLD,
    TRANSITION_KINDS,
    _pair_order,
    jaccard_summary,
    transition_summary,
    turnover_summary,
    wave_pairs,
)
from netinnov.reports.figures import grouped_boxplot, outside_legend, series_colours  # noqa: E402
from netinnov.reports.text import format_count  # noqa: E402

__all__ = [
    "JACCARD_THRESHOLD",
    "KEY_METRICS",
    "TRANSITION_KINDS",
    "flagged_cases",
    "jaccard_sentence",
    "plot_actor_turnover",
    "plot_jaccard",
    "plot_stability",
    "plot_tie_transitions",
    "transition_summary",
    "turnover_summary",
    "turnover_sentence",
    "varying_metrics",
    "wave_pairs",
]

def plot_jaccard(
    change: pd.DataFrame, *, waves: list[str] | None = None, threshold: float = JACCARD_THRESHOLD,
    title: str = "Tie overlap between consecutive waves (Jaccard)",
) -> plt.Figure:
    """Histograms of the per-case Jaccard similarity, one per wave pair, with the threshold marked."""
    pairs = _pair_order(change, waves) if len(change) else []
    colours = series_colours(pairs)
    fig, ax = plt.subplots(figsize=(8, 4))
    labels = wave_pairs(change) if len(change) else pd.Series(dtype=object)
    bins = np.linspace(0, 1, 21)
    for p in pairs:
        v = pd.to_numeric(change.loc[labels == p, "jaccard"], errors="coerce").dropna().to_numpy(dtype=float)
        ax.hist(v, bins=bins, histtype="step", linewidth=1.8, color=colours[p], label=f"{p} ({len(v)} cases)")
    ax.axvline(threshold, color="crimson", linestyle="dashed", label=f"flag: Jaccard < {threshold:g}")
    ax.set_xlim(0, 1)
    ax.set_title(title)
    ax.set_xlabel("Jaccard similarity of the case's ties (n11 / (n01 + n10 + n11))")
    ax.set_ylabel("cases")
    outside_legend(ax)
    fig.tight_layout()
    return fig


def plot_actor_turnover(
    summary: pd.DataFrame, *, title: str = "Actors joining and leaving the cases between waves",
) -> plt.Figure:
    """Bars per wave pair: actors who joined and who left (summed over cases)."""
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    x = np.arange(len(summary))
    for offset, column, colour in ((-0.2, "actors_joined", "#55a868"), (0.2, "actors_left", "#c44e52")):
        if column in summary.columns:
            ax.bar(x + offset, summary[column].to_numpy(dtype=float), width=0.38, color=colour,
                   label=column.replace("_", " "))
    ax.set_xticks(x)
    ax.set_xticklabels(summary["waves"] if len(summary) else [])
    ax.set_title(title)
    ax.set_xlabel("consecutive waves")
    ax.set_ylabel("actors (summed over cases)")
    outside_legend(ax) if len(summary) else outside_legend(ax, handles=[Line2D([], [], linestyle="", label="one wave only")])
    fig.tight_layout()
    return fig


def flagged_cases(change: pd.DataFrame, *, threshold: float = JACCARD_THRESHOLD) -> pd.DataFrame:
    """The rows of ``change`` with Jaccard below ``threshold``, lowest first."""
    j = pd.to_numeric(change["jaccard"], errors="coerce")
    cols = [c for c in ("case_id", "wave_from", "wave_to", "jaccard", "hamming", "n11", "n01", "n10",
                        "actors_joined", "actors_left") if c in change.columns]
    return change.loc[j < threshold, cols].assign(jaccard=j[j < threshold]).sort_values(
        ["jaccard", "case_id"], kind="stable").reset_index(drop=True)


#: The actor metrics drawn by :func:`plot_stability` by default (the table has all).
KEY_METRICS = ("degree", "weighted_degree", "betweenness", "constraint", "effective_size", "gf_total", "blau", "ei",
               "convener_score", "facilitator_score", "catalyst_score")


def plot_stability(
    stability: pd.DataFrame, *, waves: list[str] | None = None, metrics: list[str] | None = None,
    title: str = "Stability of actor metrics between waves (Spearman, per case)",
) -> plt.Figure:
    """Box plots of the per-case Spearman correlation of each metric between
    consecutive waves (x: metric; one colour per wave pair). ``metrics``
    default: those of :data:`KEY_METRICS` present (else every metric)."""
    frame = stability.assign(waves=wave_pairs(stability), spearman=pd.to_numeric(stability["spearman"], errors="coerce"))
    present = list(dict.fromkeys(frame["metric"].astype(str)))
    if metrics is None:
        metrics = [m for m in KEY_METRICS if m in present] or present
    frame = frame[frame["metric"].astype(str).isin(metrics)]
    pairs = _pair_order(stability, waves)
    fig, ax = plt.subplots(figsize=(min(max(7.5, 0.9 * len(metrics) + 3), 16), 4.2))
    grouped_boxplot(ax, frame, "spearman", "metric", "waves", group_order=metrics, hue_order=pairs,
                    legend_title="waves")
    ax.axhline(0.0, color="black", linewidth=0.6)
    ax.set_ylim(-1.05, 1.05)
    ax.set_title(title)
    ax.set_xlabel("actor metric")
    ax.set_ylabel("Spearman correlation (actors in both waves)")
    ax.tick_params(axis="x", labelrotation=30)
    fig.tight_layout()
    return fig


def jaccard_sentence(summary: pd.DataFrame) -> str:
    """One Markdown sentence on tie turnover from ``panel/jaccard_summary.csv``
    (:func:`netinnov.metrics.summaries.jaccard_summary`, the same per-case
    ``jaccard`` values as the flagged table): how many case-wave pairs fall
    below its threshold (most of their ties changed), and the median and
    lowest Jaccard. Never says "most ties changed" when no case is below it."""
    row = summary.iloc[0] if len(summary) else None
    pairs = int(row["pairs"]) if row is not None and pd.notna(row["pairs"]) else 0
    if not pairs:
        return "No case has a Jaccard similarity between consecutive waves (no ties in either wave)."
    threshold, below = float(row["threshold"]), int(row["below_threshold"])
    stats = (f"median Jaccard {float(row['median_jaccard']):.2f}, lowest {float(row['min_jaccard']):.2f}, "
             f"over {format_count(pairs)} case-wave pairs")
    if below == 0:
        return (f"No case has Jaccard below {threshold:g}: every case kept a substantial share of its ties "
                f"({stats}).")
    return (f"{format_count(below)} of {format_count(pairs)} case-wave pairs have Jaccard below {threshold:g}: "
            f"most of their ties changed, so structural comparisons across these waves say little about them "
            f"({stats}).")


def turnover_sentence(change: pd.DataFrame, *, threshold: float = JACCARD_THRESHOLD) -> str:
    """:func:`jaccard_sentence` of ``panel/change.csv`` itself (the page reads
    the step's ``panel/jaccard_summary.csv`` instead)."""
    return jaccard_sentence(jaccard_summary(change, threshold=threshold))


def varying_metrics(stability: pd.DataFrame) -> list[str]:
    """The metrics of ``stability`` with a Spearman correlation in at least one
    case: a metric constant within every case (an attribute that does not
    change, a score that is always 0) has none and is left out."""
    rho = pd.to_numeric(stability["spearman"], errors="coerce")
    ok = stability.assign(_ok=rho.notna()).groupby("metric", sort=False)["_ok"].any()
    return [str(m) for m, v in ok.items() if v]


def plot_tie_transitions(
    summary: pd.DataFrame, *, title: str = "Weak and strong ties between consecutive waves",
) -> plt.Figure:
    """Grouped bars per wave pair: ties that turned weak → strong and strong →
    weak, and those kept in their class (summed over cases)."""
    kinds = [k for k in ("weak_to_strong", "strong_to_weak", "strong_kept", "weak_kept") if k in summary.columns]
    colours = series_colours(kinds)
    fig, ax = plt.subplots(figsize=(8, 3.8))
    x = np.arange(len(summary))
    width = 0.8 / max(len(kinds), 1)
    for i, k in enumerate(kinds):
        ax.bar(x + (i - (len(kinds) - 1) / 2) * width, summary[k].to_numpy(dtype=float), width=width * 0.95,
               color=colours[k], label=k.replace("_to_", " → ").replace("_", " "))
    ax.set_xticks(x)
    ax.set_xticklabels(summary["waves"] if len(summary) else [])
    ax.set_title(title)
    ax.set_xlabel("consecutive waves")
    ax.set_ylabel("ties (summed over cases)")
    if len(summary) and kinds:
        outside_legend(ax)
    else:
        outside_legend(ax, handles=[Line2D([], [], linestyle="", label="no tie transitions")])
    fig.tight_layout()
    return fig
