"""Figures the report notebooks draw. Each has a title, axis labels and a legend."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

__all__ = ["SECTOR_COLOURS", "case_graph", "draw_case_network", "plot_case_sizes", "plot_rejected", "sector_colour"]

#: Fixed colours for the usual sectors, so figures agree across reports.
SECTOR_COLOURS = {
    "public": "#1f77b4",
    "private": "#ff7f0e",
    "civil_society": "#2ca02c",
    "citizen": "#d62728",
}
_OTHER = ["#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


def sector_colour(labels: list[str]) -> dict[str, str]:
    """A colour for every label: the fixed sector colours first, then a cycle."""
    colours, k = {}, 0
    for label in sorted({str(x) for x in labels}):
        if label in SECTOR_COLOURS:
            colours[label] = SECTOR_COLOURS[label]
        else:
            colours[label] = _OTHER[k % len(_OTHER)]
            k += 1
    return colours


def case_graph(ties: pd.DataFrame, actors: pd.DataFrame, case_id: str, *, directed: bool = False) -> nx.Graph:
    """A networkx graph of one case from the wave's ``ties.csv`` and ``actors.csv``."""
    g: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    a = actors[actors["case_id"] == case_id]
    for row in a.to_dict("records"):
        g.add_node(row["actor_id"], **{k: v for k, v in row.items() if k not in ("case_id", "actor_id")})
    t = ties[ties["case_id"] == case_id]
    for row in t.to_dict("records"):
        g.add_edge(row["source"], row["target"], **{k: v for k, v in row.items() if k not in ("case_id", "source", "target")})
    return g


def draw_case_network(
    g: nx.Graph,
    *,
    colour_by: str = "sector",
    size_by: str | None = None,
    title: str = "",
    seed: int = 1,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Draw a case network: nodes coloured by ``colour_by``, sized by ``size_by``;
    weak ties dashed and local bridges red where the ties carry ``tie_class`` /
    ``local_bridge``."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    pos = nx.spring_layout(g.to_undirected(), seed=seed, k=1.5 / max(np.sqrt(max(len(g), 1)), 1))
    labels = [str(g.nodes[v].get(colour_by, "unknown")) for v in g]
    colours = sector_colour(labels)
    if size_by and len(g):
        raw = np.array([float(g.nodes[v].get(size_by, 0) or 0) for v in g])
        sizes = 60 + 440 * (raw / raw.max() if raw.max() > 0 else raw)
    else:
        sizes = np.full(len(g), 120.0)
    edges = list(g.edges(data=True))
    solid = [(u, v) for u, v, d in edges if d.get("tie_class", "strong") != "weak" and not _is_true(d.get("local_bridge"))]
    weak = [(u, v) for u, v, d in edges if d.get("tie_class") == "weak" and not _is_true(d.get("local_bridge"))]
    bridges = [(u, v) for u, v, d in edges if _is_true(d.get("local_bridge"))]
    nx.draw_networkx_edges(g, pos, edgelist=solid, ax=ax, width=1.2, alpha=0.6, arrows=False)
    nx.draw_networkx_edges(g, pos, edgelist=weak, ax=ax, width=0.8, alpha=0.5, style="dashed", arrows=False)
    nx.draw_networkx_edges(g, pos, edgelist=bridges, ax=ax, width=1.8, edge_color="crimson", arrows=False)
    nx.draw_networkx_nodes(g, pos, ax=ax, node_size=sizes, node_color=[colours[x] for x in labels], edgecolors="white")
    handles = [Line2D([], [], marker="o", linestyle="", color=c, label=lab, markersize=8) for lab, c in colours.items()]
    handles.append(Line2D([], [], color="black", alpha=0.6, label="tie" if not weak else "strong tie"))
    if weak:
        handles.append(Line2D([], [], color="black", linestyle="dashed", alpha=0.5, label="weak tie"))
    if bridges:
        handles.append(Line2D([], [], color="crimson", label="local bridge"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), title=colour_by, frameon=False)
    suffix = f"; node size: {size_by}" if size_by else ""
    ax.set_title(title or f"Collaboration network{suffix}")
    ax.set_xlabel("spring layout (no axis units)")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def _is_true(value) -> bool:
    return str(value).lower() in ("true", "1", "1.0")


def plot_rejected(rejected: pd.DataFrame, *, ax: plt.Axes | None = None, title: str = "Rejected rows by reason") -> plt.Axes:
    """Horizontal bars: rejected rows per reason and file."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    if len(rejected) == 0:
        ax.text(0.5, 0.5, "no rejected rows", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        ax.set_title(title)
        return ax
    counts = rejected.groupby(["reason", "file"]).size().unstack("file", fill_value=0)
    counts.plot.barh(stacked=True, ax=ax)
    ax.set_title(title)
    ax.set_xlabel("rejected rows")
    ax.set_ylabel("reason")
    ax.legend(title="file", loc="lower right", fontsize="small")
    return ax


def plot_case_sizes(cases: pd.DataFrame, *, ax: plt.Axes | None = None, title: str = "Network size by case") -> plt.Axes:
    """Scatter of actors against ties per case, density as colour."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    sc = ax.scatter(cases["n_actors"], cases["n_ties"], c=cases["density"], cmap="viridis", label="case")
    ax.figure.colorbar(sc, ax=ax, label="density")
    ax.set_title(title)
    ax.set_xlabel("actors on the roster")
    ax.set_ylabel("ties")
    ax.legend(loc="upper left")
    return ax
