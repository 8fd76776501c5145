"""The case network page: the drawing, the brokers' roles and the case's tables.

Works on one case's slices of the wave's ``actors.csv`` and ``ties.csv``
(see :meth:`netinnov.reports.data.WaveResults.case`). Layout and drawing are
vectorised where it can be (igraph's Kamada–Kawai layout, matplotlib
collections; Fruchterman–Reingold above :data:`KK_MAX_ACTORS` actors in one
component), so cases of thousands of actors draw in seconds.
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
from matplotlib.patches import FancyArrowPatch  # noqa: E402

from netinnov.contract import BROKERAGE_ROLES, LEADERSHIP_ROLES
from netinnov.reports.figures import outside_legend, sector_colour, series_colours  # noqa: E402
from netinnov.reports.text import MISSING, format_count, format_number, format_p, is_p_column  # noqa: E402

__all__ = [
    "GF_ROLES",
    "LEADERSHIP_ROLES",
    "case_actor_table",
    "case_graph",
    "case_layout",
    "case_summary",
    "draw_case_network",
    "isolate_mask",
    "place_labels",
    "plot_brokerage_roles",
]

#: Gould–Fernandez brokerage role columns of ``actors.csv`` and their names.
GF_ROLES = {f"gf_{role}": role for role in BROKERAGE_ROLES}


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


#: Above this many actors in one component the layout is Fruchterman–Reingold
#: on a grid (Kamada–Kawai's all-pairs distances grow with the square).
KK_MAX_ACTORS = 1500
#: Above this many directed ties no arrowheads are drawn (the drawing would be
#: a carpet of them); the legend says so.
MAX_ARROWS = 4000


def _components(n: int, source: np.ndarray, target: np.ndarray) -> list[np.ndarray]:
    """The connected components (ignoring direction) with at least one tie to
    another actor, largest first (ties broken by the smallest member)."""
    import igraph as ig

    keep = source != target
    g = ig.Graph(n=n, edges=np.column_stack([source[keep], target[keep]]).tolist(), directed=False)
    comps = [np.asarray(c, dtype=np.int64) for c in g.connected_components() if len(c) > 1]
    return sorted(comps, key=lambda c: (-len(c), int(c.min())))


def _component_layout(members: np.ndarray, source: np.ndarray, target: np.ndarray, seed: int) -> np.ndarray:
    """Positions of one connected component, scaled so that a tie is about 1 long."""
    import igraph as ig

    m = len(members)
    if m == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    local = {int(v): i for i, v in enumerate(members)}
    inside = np.isin(source, members) & np.isin(target, members) & (source != target)
    edges = [(local[int(s)], local[int(t)]) for s, t in zip(source[inside], target[inside], strict=True)]
    g = ig.Graph(n=m, edges=edges, directed=False).simplify()
    rng = np.random.default_rng(seed)
    start = rng.uniform(-1, 1, size=(m, 2)) * np.sqrt(m)
    if m <= KK_MAX_ACTORS:
        coords = np.asarray(g.layout_kamada_kawai(seed=start.tolist(), maxiter=50 * m).coords, dtype=float)
    else:
        ig.set_random_number_generator(random.Random(seed))
        try:
            coords = np.asarray(g.layout_fruchterman_reingold(seed=start.tolist(), niter=500, grid=True).coords,
                                dtype=float)
        finally:
            ig.set_random_number_generator(random)
    es = np.asarray(g.get_edgelist(), dtype=np.int64)
    if len(es):
        length = float(np.median(np.linalg.norm(coords[es[:, 0]] - coords[es[:, 1]], axis=1)))
        if length > 0:
            coords = coords / length
    return coords - coords.mean(axis=0)


def case_layout(n: int, source: np.ndarray, target: np.ndarray, *, seed: int = 1) -> np.ndarray:
    """Node positions (n × 2): a Kamada–Kawai layout of every connected component,
    the components packed in rows (largest first), isolates in a band below.

    Kamada–Kawai places actors so that their distances on the page follow
    their path distances in the network, which separates a dense core from
    its periphery better than a force-directed layout. The start positions
    come from ``seed`` (the config seed), so the same network gets the same
    picture. Components of more than :data:`KK_MAX_ACTORS` actors use
    igraph's Fruchterman–Reingold grid layout (seeded the same way).
    Isolates (actors without a tie to another actor) are set in evenly
    spaced rows in a margin band below every component, rather than drifting
    to the frame's edges.

    References
    ----------
    Kamada, T., & Kawai, S. (1989). An algorithm for drawing general
    undirected graphs. *Information Processing Letters*, 31(1), 7–15.
    """
    pos = np.zeros((n, 2))
    if n <= 1:
        return pos
    source = np.asarray(source, dtype=np.int64)
    target = np.asarray(target, dtype=np.int64)
    comps = _components(n, source, target)
    # shelf packing: components left to right, rows downwards
    layouts = [_component_layout(c, source, target, seed + k) for k, c in enumerate(comps)]
    gap = 1.5
    sizes = [np.ptp(xy, axis=0) if len(xy) > 1 else np.zeros(2) for xy in layouts]
    width = max([sizes[0][0] if sizes else 0.0, np.sqrt(sum((w + gap) * (h + gap) for w, h in sizes)) * 1.2, 4.0])
    x = y = row_h = 0.0
    for c, xy, (w, h) in zip(comps, layouts, sizes, strict=True):
        if x > 0 and x + w > width:
            x, y, row_h = 0.0, y - row_h - gap, 0.0
        pos[c] = xy - xy.min(axis=0) + np.array([x, y - h])
        x += w + gap
        row_h = max(row_h, h)
    connected = np.zeros(n, dtype=bool)
    for c in comps:
        connected[c] = True
    isolates = np.flatnonzero(~connected)
    if len(isolates):
        if connected.any():
            lo, hi = pos[connected].min(axis=0), pos[connected].max(axis=0)
        else:
            lo = hi = np.zeros(2)
        span = max(hi[0] - lo[0], 2.0)
        step = 0.45  # about a node's width apart
        per_row = max(1, int(span // step) + 1)
        k = np.arange(len(isolates))
        row, col = k // per_row, k % per_row
        in_row = np.minimum(per_row, len(isolates) - row * per_row)
        # evenly spread under the components, each row centred
        xs = lo[0] + (hi[0] - lo[0]) / 2 + (col - (in_row - 1) / 2) * step
        ys = lo[1] - (1.0 if connected.any() else 0.0) - row * step
        pos[isolates] = np.column_stack([xs, ys])
    return pos


def isolate_mask(n: int, source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Actors without a tie to another actor (a self-tie does not count)."""
    out = np.ones(n, dtype=bool)
    keep = np.asarray(source) != np.asarray(target)
    out[np.asarray(source)[keep]] = False
    out[np.asarray(target)[keep]] = False
    return out


#: Label offsets tried around a node, in this order (directions; the rings grow).
_DIRECTIONS = [(1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)]


def _overlaps(box, boxes, margin: float) -> bool:
    return any(box.x0 - margin < b.x1 and b.x0 < box.x1 + margin and box.y0 - margin < b.y1 and b.y0 < box.y1 + margin
               for b in boxes)


def place_labels(ax: plt.Axes, points: np.ndarray, texts: Sequence[str], radii: np.ndarray, *,
                 nodes: np.ndarray | None = None, node_radii: np.ndarray | None = None, fontsize: float = 8):
    """Label ``points`` (data coordinates) with ``texts`` so that no two labels overlap.

    Deterministic offset search: for each label in turn, offsets around its
    node (eight directions on rings of growing distance, starting just off
    the node's rim, ``radii`` in points) are scored by the nodes the text box
    would cover plus a penalty for the distance; an offset whose text box
    (measured with the renderer) overlaps a label placed before, or leaves
    the axes, is never taken (unless nothing else is left: then the first
    that overlaps no label). A label set off its node gets a thin leader
    line. Returns the annotations.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    ax.apply_aspect()
    margin = renderer.points_to_pixels(3.0)
    frame = ax.get_window_extent(renderer)
    centres = ax.transData.transform(nodes) if nodes is not None and len(nodes) else np.zeros((0, 2))
    node_px = renderer.points_to_pixels(1.0) * (node_radii if node_radii is not None else np.zeros(len(centres)))
    placed, out = [], []
    for point, text, radius in zip(points, texts, radii, strict=True):
        ann = ax.annotate(str(text), tuple(point), xytext=(0, 0), textcoords="offset points", fontsize=fontsize,
                          zorder=4, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
        best = free = None
        for ring in range(14):
            d = radius + 2.0 + ring * fontsize * 1.1
            for dx, dy in _DIRECTIONS:
                norm = np.hypot(dx, dy)
                ann.xyann = (d * dx / norm, d * dy / norm)
                ann.set_ha("left" if dx > 0 else "right" if dx < 0 else "center")
                ann.set_va("bottom" if dy > 0 else "top" if dy < 0 else "center")
                box = ann.get_window_extent(renderer)
                if _overlaps(box, placed, margin):
                    continue
                if free is None:
                    free = (0, ann.xyann, ann.get_ha(), ann.get_va(), ring)
                if not (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1):
                    continue
                covered = 0
                if len(centres):
                    cx = np.clip(centres[:, 0], box.x0, box.x1)
                    cy = np.clip(centres[:, 1], box.y0, box.y1)
                    covered = int((np.hypot(centres[:, 0] - cx, centres[:, 1] - cy) < node_px).sum())
                score = covered + 1.5 * ring
                if best is None or score < best[0]:
                    best = (score, ann.xyann, ann.get_ha(), ann.get_va(), ring)
            if best is not None and best[0] <= 1.5 * (ring + 1):
                break  # no further ring can score better
        choice = best if best is not None else free
        if choice is not None:
            _, ann.xyann, ha, va, ring = choice
            ann.set_ha(ha)
            ann.set_va(va)
            if ring > 0:  # a leader line from the node's rim towards the label
                offset = np.asarray(ann.xyann, dtype=float)
                start = offset / np.linalg.norm(offset) * radius
                to_data = ax.transData.inverted()
                at = ax.transData.transform(point)
                px = renderer.points_to_pixels(1.0)
                a, b = to_data.transform([at + start * px, at + offset * px])
                ax.plot([a[0], b[0]], [a[1], b[1]], color="#333333", linewidth=0.6, zorder=3,
                        label="_leader")
        placed.append(ann.get_window_extent(renderer))
        out.append(ann)
    return out


def _heading(text: str) -> Line2D:
    return Line2D([], [], linestyle="", marker="", label=text)


def draw_case_network(
    actors: pd.DataFrame,
    ties: pd.DataFrame,
    *,
    colour_by: str = "sector",
    size_by: str | None = "betweenness",
    title: str = "",
    seed: int = 1,
    label_top: int = 5,
    directed: bool | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Draw one case network.

    Nodes are coloured by ``colour_by`` and their area grows with ``size_by``
    (betweenness: brokerage); strong ties are solid, weak ties dashed (from
    ``tie_class``), local bridges crimson and thicker (from ``local_bridge``);
    directed ties end in an arrowhead at the target. The layout is
    :func:`case_layout` (Kamada–Kawai, seeded; isolates in a band at the
    bottom). The ``label_top`` actors with the largest ``size_by`` are
    labelled, the labels placed so that they do not overlap
    (:func:`place_labels`). One legend, outside the drawing on the right,
    explains colours, node areas, tie styles and the isolates' band.

    Parameters
    ----------
    actors
        The case's rows of ``actors.csv`` (``actor_id``, ``colour_by``, ``size_by``).
    ties
        The case's rows of ``ties.csv`` (``source``, ``target``, optionally
        ``tie_class`` and ``local_bridge``).
    directed
        Whether the ties have a direction (arrowheads); default: whether
        ``ties`` has the ``reciprocated`` column that directed waves have.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8.5, 6.5))
    if directed is None:
        directed = "reciprocated" in ties.columns
    n = len(actors)
    src, tgt, keep = _endpoints(actors, ties)
    pos = case_layout(n, src, tgt, seed=seed)
    isolated = isolate_mask(n, src, tgt)
    kept = ties.iloc[np.flatnonzero(keep)]
    weak = kept["tie_class"].astype(str).eq("weak").to_numpy() if "tie_class" in kept.columns else np.zeros(len(src), bool)
    bridge = _truthy(kept["local_bridge"]) if "local_bridge" in kept.columns else np.zeros(len(src), bool)
    segments = np.stack([pos[src], pos[tgt]], axis=1) if len(src) else np.zeros((0, 2, 2))
    labels = actors[colour_by].astype(object).where(actors[colour_by].notna(), "unknown").astype(str).to_numpy() \
        if colour_by in actors.columns else np.full(n, "unknown")
    colours = sector_colour(list(labels))
    raw = pd.to_numeric(actors[size_by], errors="coerce").fillna(0).to_numpy(dtype=float) \
        if size_by and size_by in actors.columns else np.zeros(n)
    top = raw.max() if n else 0.0
    sizes = 25 + 475 * (raw / top) if top > 0 else np.full(n, 60.0)
    radii = np.sqrt(sizes) / 2 + 0.6  # marker radius in points, with its white rim
    handles: list = [_heading(colour_by)]
    handles += [Line2D([], [], marker="o", linestyle="", color=c, markersize=8, label=lab) for lab, c in colours.items()]
    tie_handles: list = []
    draw_arrows = directed and 0 < len(src) <= MAX_ARROWS
    for mask, style, colour, width, label in (
        (~weak & ~bridge, "solid", "#555555", 1.0, "strong tie" if "tie_class" in kept.columns else "tie"),
        (weak & ~bridge, (0, (4, 3)), "#888888", 0.8, "weak tie"),
        (bridge & ~weak, "solid", "crimson", 2.0, "local bridge (strong)"),
        (bridge & weak, (0, (4, 3)), "crimson", 2.0, "local bridge (weak)"),
    ):
        if mask.any():
            ax.add_collection(LineCollection(segments[mask], colors=colour, linewidths=width, linestyles=style,
                                             alpha=0.65, zorder=1))
            tie_handles.append(Line2D([], [], color=colour, linestyle=style, linewidth=width, label=label))
            if draw_arrows:
                for i in np.flatnonzero(mask):
                    if src[i] == tgt[i] or np.allclose(pos[src[i]], pos[tgt[i]]):
                        continue
                    arrow = FancyArrowPatch(tuple(pos[src[i]]), tuple(pos[tgt[i]]), arrowstyle="-|>",
                                            mutation_scale=7 + 2 * width, shrinkA=0, shrinkB=float(radii[tgt[i]]),
                                            linewidth=0, color=colour, alpha=0.8, zorder=1.5)
                    arrow.set_gid("tie-arrow")
                    ax.add_patch(arrow)
    if n:
        ax.scatter(pos[:, 0], pos[:, 1], s=sizes, c=[colours[x] for x in labels], edgecolors="white",
                   linewidths=0.6, zorder=2)
    if top > 0:
        handles.append(_heading(f"node area: {size_by}"))
        for q in (0.0, 0.5, 1.0):
            handles.append(Line2D([], [], marker="o", linestyle="", color="#bbbbbb",
                                  markersize=float(np.sqrt(25 + 475 * q)), label=format_number(top * q, 1)))
    if tie_handles:
        handles.append(_heading("ties" + (" (arrow: to the target)" if draw_arrows else "")))
        handles += tie_handles
        if directed and not draw_arrows:
            handles.append(_heading(f"(directed; arrowheads not drawn above {MAX_ARROWS:,} ties)"))
    if isolated.any() and not isolated.all():
        handles.append(_heading(f"isolates ({format_count(isolated.sum())}): bottom row(s)"))
    if n:
        lo, hi = pos.min(axis=0), pos.max(axis=0)
        pad = 0.08 * max(hi[0] - lo[0], hi[1] - lo[1], 1.0)
        ax.set_xlim(lo[0] - pad, hi[0] + pad)
        ax.set_ylim(lo[1] - pad, hi[1] + pad)
    else:
        ax.text(0.5, 0.5, "no actors", ha="center", va="center", transform=ax.transAxes)
        handles.append(Line2D([], [], linestyle="", label="no actors"))
    legend = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False,
                       fontsize="small", labelspacing=0.9, borderaxespad=0.0)
    for handle, text in zip(handles, legend.get_texts(), strict=True):
        if isinstance(handle, Line2D) and handle.get_marker() in ("", "None", None) and handle.get_linestyle() in ("", "None"):
            text.set_fontweight("bold")
    ax.set_title(title or f"Collaboration network (node size: {size_by})")
    ax.set_xlabel("Kamada–Kawai layout, horizontal (no units)")
    ax.set_ylabel("Kamada–Kawai layout, vertical (no units)")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect("equal", adjustable="box")
    if top > 0 and label_top > 0:
        ids = actors["actor_id"].astype(str).to_numpy()
        chosen = [i for i in np.argsort(-raw, kind="stable")[:label_top] if raw[i] > 0]
        if chosen:
            place_labels(ax, pos[chosen], ids[chosen], radii[chosen], nodes=pos, node_radii=radii)
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
    outside_legend(ax, title="role")
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
    score_cols = [f"{r}_score" for r in LEADERSHIP_ROLES if f"{r}_score" in a.columns]
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
    "leadership": [f"{r}_{k}" for r in LEADERSHIP_ROLES for k in ("present", "inferred", "max_score")],
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
    frame["value"] = [_show_value(m, v) for m, v in zip(frame["measure"], frame["value"], strict=True)]
    return frame


def _show_value(measure: str, v) -> str:
    """One value of the case row as text: p-values in the reports' one format,
    whole numbers as counts (``36``, never ``36.000``), other numbers to 3 decimals."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return MISSING
    if isinstance(v, (bool, np.bool_)):
        return str(v)
    if isinstance(v, (int, float, np.integer, np.floating)):
        if is_p_column(measure):
            return format_p(v)
        return format_number(v, 3)
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
