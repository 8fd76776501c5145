"""The case network page: the drawing, the brokers' roles and the case's tables.

Works on one case's slices of the wave's ``actors.csv`` and ``ties.csv``
(see :meth:`netinnov.reports.data.WaveResults.case`). Layout and drawing are
vectorised (igraph's Fruchterman–Reingold layout, matplotlib collections), so
cases of thousands of actors draw in seconds.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from netinnov.reports.figures import sector_colour, series_colours  # noqa: E402

__all__ = [
    "GF_ROLES",
    "ROLES",
    "case_actor_table",
    "case_graph",
    "case_layout",
    "case_summary",
    "draw_case_network",
    "plot_brokerage_roles",
]

#: Gould–Fernandez brokerage role columns of ``actors.csv`` and their names.
GF_ROLES = {
    "gf_coordinator": "coordinator",
    "gf_itinerant": "itinerant",
    "gf_representative": "representative",
    "gf_gatekeeper": "gatekeeper",
    "gf_liaison": "liaison",
}
#: The leadership roles, in the order of ``actors.csv``'s score columns.
ROLES = ("convener", "facilitator", "catalyst")


def _truthy(values: pd.Series) -> np.ndarray:
    """Booleans from a column that may hold bools, 0/1 or the text True/False."""
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).to_numpy(dtype=bool)
    return values.astype(str).str.strip().str.lower().isin(["true", "1", "1.0"]).to_numpy()


def _endpoints(actors: pd.DataFrame, ties: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row positions of each tie's source and target among ``actors``, for the
    ties whose both ends are listed, and the mask of those ties."""
    if not len(ties):
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=bool)
    index = pd.Index(actors["actor_id"].astype(str))
    src = index.get_indexer(ties["source"].astype(str))
    tgt = index.get_indexer(ties["target"].astype(str))
    keep = (src >= 0) & (tgt >= 0)
    return src[keep], tgt[keep], keep


def case_layout(n: int, source: np.ndarray, target: np.ndarray, *, seed: int = 1) -> np.ndarray:
    """Node positions (n × 2) by the Fruchterman–Reingold force-directed layout.

    igraph's implementation with a seeded random number generator, so the
    same network gets the same picture; the grid variant above 500 actors.
    Isolates are placed by the same forces (they drift to the rim).

    References
    ----------
    Fruchterman, T. M. J., & Reingold, E. M. (1991). Graph drawing by
    force-directed placement. *Software: Practice and Experience*, 21(11), 1129–1164.
    """
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    import igraph as ig

    edges = np.column_stack([np.asarray(source, dtype=np.int64), np.asarray(target, dtype=np.int64)])
    g = ig.Graph(n=n, edges=edges.tolist(), directed=False)
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = g.layout_fruchterman_reingold(niter=500, grid=n > 500).coords
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(coords, dtype=float)


def draw_case_network(
    actors: pd.DataFrame,
    ties: pd.DataFrame,
    *,
    colour_by: str = "sector",
    size_by: str | None = "betweenness",
    title: str = "",
    seed: int = 1,
    label_top: int = 3,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Draw one case network.

    Nodes are coloured by ``colour_by`` and their area grows with ``size_by``
    (betweenness: brokerage); strong ties are solid, weak ties dashed (from
    ``tie_class``), local bridges crimson and thicker (from ``local_bridge``).
    The ``label_top`` actors with the largest ``size_by`` are labelled.

    Parameters
    ----------
    actors
        The case's rows of ``actors.csv`` (``actor_id``, ``colour_by``, ``size_by``).
    ties
        The case's rows of ``ties.csv`` (``source``, ``target``, optionally
        ``tie_class`` and ``local_bridge``).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8.5, 6.5))
    n = len(actors)
    src, tgt, keep = _endpoints(actors, ties)
    pos = case_layout(n, src, tgt, seed=seed)
    kept = ties.iloc[np.flatnonzero(keep)]
    weak = kept["tie_class"].astype(str).eq("weak").to_numpy() if "tie_class" in kept.columns else np.zeros(len(src), bool)
    bridge = _truthy(kept["local_bridge"]) if "local_bridge" in kept.columns else np.zeros(len(src), bool)
    segments = np.stack([pos[src], pos[tgt]], axis=1) if len(src) else np.zeros((0, 2, 2))
    handles: list = []
    for mask, style, colour, width, label in (
        (~weak & ~bridge, "solid", "#555555", 1.0, "strong tie" if "tie_class" in kept.columns else "tie"),
        (weak & ~bridge, (0, (4, 3)), "#888888", 0.8, "weak tie"),
        (bridge & ~weak, "solid", "crimson", 2.0, "local bridge (strong)"),
        (bridge & weak, (0, (4, 3)), "crimson", 2.0, "local bridge (weak)"),
    ):
        if mask.any():
            ax.add_collection(LineCollection(segments[mask], colors=colour, linewidths=width, linestyles=style,
                                             alpha=0.65, zorder=1))
            handles.append(Line2D([], [], color=colour, linestyle=style, linewidth=width, label=label))
    labels = actors[colour_by].astype(object).where(actors[colour_by].notna(), "unknown").astype(str).to_numpy() \
        if colour_by in actors.columns else np.full(n, "unknown")
    colours = sector_colour(list(labels))
    raw = pd.to_numeric(actors[size_by], errors="coerce").fillna(0).to_numpy(dtype=float) \
        if size_by and size_by in actors.columns else np.zeros(n)
    top = raw.max() if n else 0.0
    sizes = 25 + 475 * (raw / top) if top > 0 else np.full(n, 60.0)
    if n:
        ax.scatter(pos[:, 0], pos[:, 1], s=sizes, c=[colours[x] for x in labels], edgecolors="white",
                   linewidths=0.6, zorder=2)
    for label, colour in colours.items():
        handles.insert(0, Line2D([], [], marker="o", linestyle="", color=colour, markersize=8, label=label))
    if top > 0:
        for q in (0.5, 1.0):
            v = top * q
            handles.append(Line2D([], [], marker="o", linestyle="", color="#bbbbbb",
                                  markersize=float(np.sqrt(25 + 475 * q)), label=f"{size_by} {v:,.1f}"))
        if label_top > 0:
            ids = actors["actor_id"].astype(str).to_numpy()
            for i in np.argsort(-raw, kind="stable")[:label_top]:
                if raw[i] > 0:
                    ax.annotate(ids[i], pos[i], xytext=(4, 4), textcoords="offset points", fontsize=8, zorder=3)
    if n:
        pad = 0.05 * max(np.ptp(pos[:, 0]), np.ptp(pos[:, 1]), 1e-9)
        ax.set_xlim(pos[:, 0].min() - pad, pos[:, 0].max() + pad)
        ax.set_ylim(pos[:, 1].min() - pad, pos[:, 1].max() + pad)
    else:
        ax.text(0.5, 0.5, "no actors", ha="center", va="center", transform=ax.transAxes)
        handles.append(Line2D([], [], linestyle="", label="no actors"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), title=colour_by, frameon=False,
              fontsize="small", labelspacing=1.0)
    ax.set_title(title or f"Collaboration network (node size: {size_by})")
    ax.set_xlabel("force-directed layout, horizontal (no units)")
    ax.set_ylabel("force-directed layout, vertical (no units)")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect("equal", adjustable="box")
    return ax


def plot_brokerage_roles(
    actors: pd.DataFrame, *, top: int = 10, ax: plt.Axes | None = None, title: str = "Brokerage roles of the leading brokers"
) -> plt.Axes:
    """Stacked bars of the Gould–Fernandez role counts of the ``top`` actors by ``gf_total``."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.6 + 0.35 * min(top, max(len(actors), 1)) + 1.2))
    cols = [c for c in GF_ROLES if c in actors.columns]
    counts = actors.set_index(actors["actor_id"].astype(str))[cols].apply(pd.to_numeric, errors="coerce").fillna(0)
    total = counts.sum(axis=1)
    chosen = total[total > 0].sort_values(ascending=False, kind="stable").head(top).index
    colours = series_colours(list(GF_ROLES.values()))
    if not len(chosen):
        ax.text(0.5, 0.5, "no brokerage: no actor links two others", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    left = np.zeros(len(chosen))
    y = np.arange(len(chosen))[::-1]
    for col in cols:
        v = counts.loc[chosen, col].to_numpy(dtype=float)
        name = GF_ROLES[col]
        ax.barh(y, v, left=left, color=colours[name], label=name)
        left += v
    if len(chosen):
        ax.set_yticks(y)
        ax.set_yticklabels(list(chosen))
    ax.set_title(title)
    ax.set_xlabel("brokerage count (Gould–Fernandez role, ordered triads)")
    ax.set_ylabel("actor")
    ax.legend(title="role", fontsize="small", loc="lower right")
    return ax


#: Columns of the case page's actor table, with their readable names.
_ACTOR_COLUMNS = {
    "actor_id": "actor",
    "sector": "sector",
    "organization": "organization",
    "degree": "degree",
    "weighted_degree": "weighted degree",
    "betweenness": "betweenness",
    "constraint": "constraint",
    "effective_size": "effective size",
    "gf_total": "brokerage (GF total)",
    "main_brokerage_role": "main brokerage role",
    "blau": "Blau (alters)",
    "ei": "E-I (alters)",
    "convener_score": "convener score",
    "facilitator_score": "facilitator score",
    "catalyst_score": "catalyst score",
    "inferred_roles": "inferred roles",
    "reported_roles": "reported roles",
}


def case_actor_table(actors: pd.DataFrame, *, role_threshold=None, group_attribute: str = "sector") -> pd.DataFrame:
    """The case's actors with their key metrics and roles, by betweenness (largest first).

    ``main brokerage role`` is the Gould–Fernandez role with the largest
    count (ties broken in the order of :data:`GF_ROLES`; ``–`` for an actor
    who brokers nothing); ``inferred roles`` are the leadership roles whose
    fixed-scale (0–1) behavioural score is at least ``role_threshold`` (one
    number, one per role, or their text:
    :func:`netinnov.metrics.role_survey.role_thresholds`; default: the
    config defaults).
    """
    a = actors.copy()
    cols = [c for c in GF_ROLES if c in a.columns]
    if cols:
        counts = a[cols].apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy(dtype=float)
        best = np.argmax(counts, axis=1)
        names = np.array([GF_ROLES[c] for c in cols], dtype=object)
        a["main_brokerage_role"] = np.where(counts.max(axis=1) > 0, names[best], "–")
    score_cols = [f"{r}_score" for r in ROLES if f"{r}_score" in a.columns]
    if score_cols:
        from netinnov.metrics.role_survey import role_thresholds

        cut = role_thresholds(role_threshold)
        cuts = np.array([cut[c.removesuffix("_score")] for c in score_cols])
        held = a[score_cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float) >= cuts
        joined = np.full(len(a), "", dtype=object)
        for k, c in enumerate(score_cols):
            joined = joined + np.where(held[:, k], c.removesuffix("_score") + ";", "")
        a["inferred_roles"] = pd.Series(joined, index=a.index, dtype=object).str.rstrip(";")
    if "reported_roles" in a.columns:
        a["reported_roles"] = a["reported_roles"].astype(object).where(a["reported_roles"].notna(), "")
    if "betweenness" in a.columns:
        a = a.sort_values(["betweenness", "actor_id"], ascending=[False, True], kind="stable")
    names = dict(_ACTOR_COLUMNS)
    if group_attribute != "sector":
        names[group_attribute] = group_attribute
        names.pop("sector")
    keep = [c for c in names if c in a.columns]
    return a[keep].rename(columns=names).reset_index(drop=True)


#: Sections of the case-level row (the rest of the columns go under "other").
_CASE_SECTIONS = {
    "size": ["n_actors", "n_ties", "density"],
    "ties": ["strong_tie_share", "weak_tie_share", "local_bridge_share", "mean_overlap"],
    "diversity": ["sector_blau", "sector_iqv", "n_groups", "ei", "ei_expected", "ei_p_value", "cross_sector_tie_share",
                  "sector_assortativity", "weak_cross_sector_tie_share", "collaboration_type"],
    "leadership": [f"{r}_{k}" for r in ROLES for k in ("present", "inferred", "max_score")],
}


def case_summary(row: pd.Series, *, outcomes: Sequence[str] = ()) -> pd.DataFrame:
    """The case's row of ``cases.csv`` as a two-column table (section, measure, value).

    Values stay as they are (numbers are rounded when displayed); columns not
    in a known section are listed under ``outcomes and covariates``.
    """
    rows, seen = [], {"case_id"}
    for section, cols in _CASE_SECTIONS.items():
        for c in cols:
            if c in row.index:
                rows.append((section, c, row[c]))
                seen.add(c)
    for c in row.index:
        if c not in seen:
            rows.append(("outcomes and covariates", c, row[c]))
    frame = pd.DataFrame(rows, columns=["section", "measure", "value"])
    frame["value"] = [_show_value(v) for v in frame["value"]]
    return frame


def _show_value(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "–"
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.0f}" if float(v).is_integer() else f"{float(v):.3f}"
    return str(v)


def case_graph(ties: pd.DataFrame, actors: pd.DataFrame, case_id: str, *, directed: bool = False) -> nx.Graph:
    """A networkx graph of one case from the wave's ``ties.csv`` and ``actors.csv``
    (node attributes: the actor columns; edge attributes: the tie columns)."""
    a = actors[actors["case_id"].astype(str) == str(case_id)]
    t = ties[ties["case_id"].astype(str) == str(case_id)]
    create = nx.DiGraph if directed else nx.Graph
    g = nx.from_pandas_edgelist(t.drop(columns=["case_id"]), "source", "target", edge_attr=True, create_using=create)
    attrs = a.drop(columns=["case_id"]).set_index("actor_id")
    g.add_nodes_from(attrs.index)
    nx.set_node_attributes(g, attrs.to_dict("index"))
    return g
