"""Actor metrics by sector: brokerage roles, structural holes, betweenness, diversity."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from netinnov.metrics.summaries import METRIC_GROUPS, metric_summary, normalised_betweenness  # noqa: E402
from netinnov.reports.figures import (  # noqa: E402
    figure_legend,
    grouped_boxplot,
    hide_spare_panels,
    hue_legend,
    ordered_labels,
    series_colours,
)

__all__ = ["METRIC_GROUPS", "METRIC_LABELS", "SYMLOG_METRICS", "metric_summary", "normalised_betweenness", "plot_metric_distributions", "summary_table"]

#: Readable names of the metric columns.
METRIC_LABELS = {
    "gf_coordinator": "coordinator (GF)",
    "gf_itinerant": "itinerant (GF)",
    "gf_representative": "representative (GF)",
    "gf_gatekeeper": "gatekeeper (GF)",
    "gf_liaison": "liaison (GF)",
    "gf_total": "all brokerage roles (GF total)",
    "betweenness": "betweenness (raw)",
    "betweenness_normalised": "betweenness / (n−1)(n−2) per case",
    "constraint": "Burt's constraint",
    "effective_size": "effective size",
    "blau": "Blau index of alters' sectors",
    "iqv": "IQV of alters' sectors",
    "ei": "E-I index of the actor's ties",
}

#: Heavy-tailed counts drawn on a symmetric-log axis.
SYMLOG_METRICS = frozenset({*METRIC_GROUPS["brokerage"], "betweenness"})


def plot_metric_distributions(
    actors: pd.DataFrame,
    metrics: Sequence[str],
    *,
    group: str = "sector",
    hue: str = "wave",
    group_order: Sequence[str] | None = None,
    hue_order: Sequence[str] | None = None,
    title: str = "Actor metrics by sector",
    ncols: int = 3,
) -> plt.Figure:
    """One panel per metric: box plots by ``group`` (x), side by side by ``hue``.

    Metrics missing from ``actors`` are skipped; actors with a missing value
    (e.g. constraint of an isolate) are left out of that panel.
    """
    metrics = [m for m in metrics if m in actors.columns]
    n = max(len(metrics), 1)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 3.8 * nrows), squeeze=False)
    groups = list(group_order) if group_order is not None else ordered_labels(actors[group]) if group in actors else []
    hues = list(hue_order) if hue_order is not None else ordered_labels(actors[hue]) if hue in actors else []
    colours = series_colours(hues)
    for ax, metric in zip(axes.ravel(), metrics, strict=False):
        grouped_boxplot(ax, actors, metric, group, hue, group_order=groups, hue_order=hues, colours=colours,
                        symlog=metric in SYMLOG_METRICS, legend=False)
        ax.set_title(METRIC_LABELS.get(metric, metric))
        ax.set_xlabel(group)
        ax.set_ylabel(metric + (" (symlog scale)" if metric in SYMLOG_METRICS else ""))
    hide_spare_panels(axes, len(metrics), empty_title="no such metric")
    fig.suptitle(title)
    fig.tight_layout()
    if hues:
        figure_legend(fig, hue_legend(hues, colours), hue)
    return fig


def summary_table(summary: pd.DataFrame, *, group: str = "sector", hue: str = "wave", precision: int = 2) -> pd.DataFrame:
    """:func:`metric_summary` as a wide table: one row per (metric, group), one
    column per ``hue`` level holding ``median [q1, q3]``."""
    if not len(summary):
        return pd.DataFrame(columns=["metric", group])
    f = f"{{:.{precision}f}}"
    text = [f"{f.format(m)} [{f.format(a)}, {f.format(b)}]"
            for m, a, b in zip(summary["median"], summary["q1"], summary["q3"], strict=True)]
    frame = summary.assign(text=text, metric=summary["metric"].map(lambda m: METRIC_LABELS.get(m, m)))
    levels = list(dict.fromkeys(frame[hue]))
    wide = frame.pivot_table(index=["metric", group], columns=hue, values="text", aggfunc="first", sort=False)
    return wide.reindex(columns=levels).reset_index().rename_axis(columns=None)
