"""Shared figure pieces: colours, grouped box plots, and the wave overview's figures.

Every function that draws returns the figure or axes it drew on; every
figure has a title, axis labels and a legend (a colour bar counts as the
legend of a colour scale).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["text.parse_math"] = False  # ids and labels from data: no $...$ mathtext

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

__all__ = [
    "SECTOR_COLOURS",
    "figure_legend",
    "grouped_boxplot",
    "hide_spare_panels",
    "hue_legend",
    "outside_legend",
    "ordered_labels",
    "plot_case_sizes",
    "plot_collaboration_types",
    "plot_rejected",
    "plot_size_distribution",
    "sector_colour",
    "series_colours",
]

#: Fixed colours for the usual sectors, so figures agree across reports.
SECTOR_COLOURS = {
    "public": "#1f77b4",
    "private": "#ff7f0e",
    "civil_society": "#2ca02c",
    "citizen": "#d62728",
}
_OTHER = ["#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
_SERIES = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd"]


def sector_colour(labels: Sequence[str]) -> dict[str, str]:
    """A colour for every label: the fixed sector colours first, then a cycle."""
    colours, k = {}, 0
    for label in sorted({str(x) for x in labels}):
        if label in SECTOR_COLOURS:
            colours[label] = SECTOR_COLOURS[label]
        else:
            colours[label] = _OTHER[k % len(_OTHER)]
            k += 1
    return colours


def series_colours(labels: Sequence[str]) -> dict[str, str]:
    """Colours for ordered series such as waves or wave pairs, in the given order."""
    return {str(label): _SERIES[i % len(_SERIES)] for i, label in enumerate(labels)}


def ordered_labels(values: pd.Series, order: Sequence[str] | None = None) -> list[str]:
    """The distinct non-missing values as text: ``order`` first (those present), then the rest sorted."""
    present = {str(v) for v in values.dropna().astype(str).unique()}
    first = [str(o) for o in (order or []) if str(o) in present]
    return first + sorted(present - set(first))


def grouped_boxplot(
    ax: plt.Axes,
    frame: pd.DataFrame,
    value: str,
    group: str,
    hue: str,
    *,
    group_order: Sequence[str] | None = None,
    hue_order: Sequence[str] | None = None,
    colours: dict[str, str] | None = None,
    symlog: bool = False,
    legend_title: str | None = None,
    legend: bool = True,
) -> plt.Axes:
    """Box plots of ``value`` with one box per (group, hue), groups along x.

    Missing values are left out; a (group, hue) pair without values has no
    box. The legend names the hue levels (``legend=False`` leaves it to the
    caller, e.g. one legend for a figure of several panels: see
    :func:`hue_legend`). With ``symlog`` the y axis is symmetric-logarithmic
    (linear below 1), for heavy-tailed counts.
    """
    data = frame[[group, hue, value]].copy()
    data[value] = pd.to_numeric(data[value], errors="coerce")
    data = data.dropna()
    data[group] = data[group].astype(str)
    data[hue] = data[hue].astype(str)
    groups = list(group_order) if group_order is not None else ordered_labels(data[group])
    hues = list(hue_order) if hue_order is not None else ordered_labels(data[hue])
    colours = colours or series_colours(hues)
    width = 0.8 / max(len(hues), 1)
    cells = {key: g[value].to_numpy(dtype=float) for key, g in data.groupby([group, hue], sort=False)}
    for j, h in enumerate(hues):
        values, positions = [], []
        for i, g in enumerate(groups):
            v = cells.get((g, h))
            if v is not None and len(v):
                values.append(v)
                positions.append(i + (j - (len(hues) - 1) / 2) * width)
        if not values:
            continue
        parts = ax.boxplot(
            values,
            positions=positions,
            widths=width * 0.85,
            patch_artist=True,
            manage_ticks=False,
            flierprops={"markersize": 2, "alpha": 0.5, "markeredgecolor": colours[h]},
            medianprops={"color": "black"},
        )
        for box in parts["boxes"]:
            box.set_facecolor(colours[h])
            box.set_alpha(0.8)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(groups, rotation=20 if max((len(g) for g in groups), default=0) > 8 else 0)
    ax.set_xlim(-0.6, len(groups) - 0.4)
    if symlog:
        ax.set_yscale("symlog", linthresh=1.0)
        if len(data) and data[value].min() >= 0:
            ax.set_ylim(bottom=-0.2)
    if legend and hues:
        outside_legend(ax, handles=hue_legend(hues, colours), title=legend_title or hue)
    return ax


def outside_legend(ax: plt.Axes, *, below: bool = False, **kwargs):
    """The axes' legend outside its data area: right of the axes (``below``:
    under the x axis label), so that it never covers a bar, a point or a line.
    Figures are saved with ``bbox_inches="tight"`` and laid out with
    ``tight_layout``, which make room for it. Keyword arguments go to
    :meth:`~matplotlib.axes.Axes.legend` (``handles``, ``title``, ...)."""
    place = ({"loc": "upper center", "bbox_to_anchor": (0.5, -0.18), "ncol": 3} if below
             else {"loc": "upper left", "bbox_to_anchor": (1.02, 1.0)})
    options = {"fontsize": "small", "title_fontsize": "small", "frameon": False, "borderaxespad": 0.0, **place}
    options.update(kwargs)
    return ax.legend(**options)


def hue_legend(hues: Sequence[str], colours: dict[str, str]) -> list[Patch]:
    """Legend handles (filled patches) for the hue levels of :func:`grouped_boxplot`."""
    return [Patch(facecolor=colours[h], alpha=0.8, label=h) for h in hues]


def figure_legend(fig: plt.Figure, handles: list, title: str) -> None:
    """One legend for all panels, right of the figure (saved with ``bbox_inches="tight"``)."""
    fig.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(1.0, 0.93), frameon=False,
               fontsize="small", title_fontsize="small")


def hide_spare_panels(
    axes: np.ndarray, n_used: int, *, empty_title: str, note: str | None = None,
    xlabel: str | None = None, ylabel: str | None = None, legend: str | None = None,
) -> None:
    """Hide the panels of a grid past the first ``n_used``. With none used, the
    first panel stays as a placeholder titled ``empty_title``, with an optional
    centred ``note``, axis labels and a one-entry ``legend``."""
    for ax in axes.ravel()[n_used:]:
        ax.set_visible(False)
    if n_used:
        return
    ax = axes.ravel()[0]
    ax.set_visible(True)
    if note is not None:
        ax.text(0.5, 0.5, note, ha="center", va="center", transform=ax.transAxes)
    ax.set_title(empty_title)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if legend is not None:
        ax.legend(handles=[Line2D([], [], linestyle="", label=legend)])


def _empty(ax: plt.Axes, title: str, message: str, xlabel: str = "", ylabel: str = "") -> plt.Axes:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    ax.set_xlabel(xlabel or "(no data)")
    ax.set_ylabel(ylabel or "(no data)")
    ax.legend(handles=[Line2D([], [], linestyle="", label=message)], loc="lower center", frameon=False)
    return ax


def plot_rejected(rejected: pd.DataFrame, *, ax: plt.Axes | None = None, title: str = "Rejected rows by reason") -> plt.Axes:
    """Horizontal stacked bars: rejected rows per reason, coloured by input file."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.5))
    if len(rejected) == 0:
        return _empty(ax, title, "no rejected rows", "rejected rows", "reason")
    counts = rejected.assign(file=rejected["file"].astype(str), reason=rejected["reason"].astype(str))
    counts = counts.groupby(["reason", "file"]).size().unstack("file", fill_value=0).sort_index()
    left = np.zeros(len(counts))
    colours = series_colours(list(counts.columns))
    for file in counts.columns:
        v = counts[file].to_numpy(dtype=float)
        ax.barh(np.arange(len(counts)), v, left=left, color=colours[file], label=file)
        left += v
    ax.set_yticks(np.arange(len(counts)))
    ax.set_yticklabels(counts.index)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.set_xlabel("rejected rows")
    ax.set_ylabel("reason")
    outside_legend(ax, title="input file")
    return ax


def plot_case_sizes(cases: pd.DataFrame, *, ax: plt.Axes | None = None, title: str = "Network size by case") -> plt.Axes:
    """Scatter of ties against actors per case, coloured by density (colour bar)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    sc = ax.scatter(cases["n_actors"], cases["n_ties"], c=pd.to_numeric(cases["density"], errors="coerce"),
                    cmap="viridis", label="case", edgecolors="none")
    ax.figure.colorbar(sc, ax=ax, label="density")
    ax.set_title(title)
    ax.set_xlabel("actors in the case network")
    ax.set_ylabel("ties")
    outside_legend(ax, below=True)  # the colour bar is on the right
    return ax


def plot_size_distribution(cases: pd.DataFrame, *, ax: plt.Axes | None = None, title: str = "Actors per case") -> plt.Axes:
    """Histogram of the number of actors per case, with the median marked."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    n = pd.to_numeric(cases["n_actors"], errors="coerce").dropna().to_numpy(dtype=float)
    if not len(n):
        return _empty(ax, title, "no cases", "actors per case", "cases")
    bins = min(30, max(5, int(np.sqrt(len(n))) + 1))
    ax.hist(n, bins=bins, color="#4c72b0", alpha=0.85, label="cases")
    ax.axvline(float(np.median(n)), color="black", linestyle="dashed", label=f"median {np.median(n):.0f}")
    ax.set_title(title)
    ax.set_xlabel("actors in the case network")
    ax.set_ylabel("cases")
    outside_legend(ax)
    return ax


def plot_collaboration_types(cases: pd.DataFrame, *, ax: plt.Axes | None = None,
                             title: str = "Cases by collaboration type") -> plt.Axes:
    """Bars: number of cases of each ``collaboration_type``."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    if "collaboration_type" not in cases.columns or not cases["collaboration_type"].notna().any():
        return _empty(ax, title, "no collaboration type in cases.csv", "cases", "collaboration type")
    counts = cases["collaboration_type"].dropna().astype(str).value_counts().sort_index()
    colours = series_colours(list(counts.index))
    ax.barh(np.arange(len(counts)), counts.to_numpy(), color=[colours[k] for k in counts.index],
            label=[f"{k} ({v})" for k, v in counts.items()])
    ax.set_yticks(np.arange(len(counts)))
    ax.set_yticklabels(counts.index)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.set_xlabel("cases")
    ax.set_ylabel("collaboration type")
    outside_legend(ax)
    return ax
