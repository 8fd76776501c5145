"""Leadership roles: behavioural scores against survey reports, and presence across cases."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from netinnov.metrics.role_survey import role_thresholds  # noqa: E402
from netinnov.metrics.summaries import REPORT_GROUPS, role_presence, score_groups  # noqa: E402
from netinnov.reports.figures import (  # noqa: E402
    figure_legend,
    grouped_boxplot,
    hue_legend,
    ordered_labels,
    outside_legend,
    series_colours,
)
from netinnov.reports.network import LEADERSHIP_ROLES  # noqa: E402

__all__ = [
    "FEW_HOLDERS", "few_holders_note", "plot_role_auc", "plot_role_presence", "plot_role_scores", "role_presence",
    "score_groups",
]

#: An AUC resting on fewer reported holders (actors, or cases with the role) than this gets a warning.
FEW_HOLDERS = 5

def plot_role_scores(
    scores: pd.DataFrame, *, by: str = "wave", order: Sequence[str] | None = None, threshold=None,
    title: str = "Behavioural role scores by survey-reported role",
) -> plt.Figure:
    """One panel per role: box plots of the score by what the actor reported, one colour per wave;
    ``threshold`` (one number or one per role) is drawn as a dotted line."""
    cut = role_thresholds(threshold) if threshold is not None else None
    roles = [r for r in LEADERSHIP_ROLES if r in set(scores["role"])] or list(LEADERSHIP_ROLES)
    levels = ordered_labels(scores[by], order) if len(scores) else []
    colours = series_colours(levels)
    fig, axes = plt.subplots(1, len(roles), figsize=(4.6 * len(roles), 4.2), squeeze=False, sharey=True)
    for ax, role in zip(axes.ravel(), roles, strict=True):
        part = scores[scores["role"] == role]
        grouped_boxplot(ax, part, "score", "report", by, group_order=list(REPORT_GROUPS), hue_order=levels,
                        colours=colours, legend=False)
        if cut is not None:
            ax.axhline(cut[role], color="black", linestyle="dotted", linewidth=0.8)
        ax.set_title(f"{role} score")
        ax.set_xlabel("survey report")
        ax.set_ylabel("behavioural score (fixed 0–1 scale)")
        ax.tick_params(axis="x", labelrotation=15)
    fig.suptitle(title)
    fig.tight_layout()
    handles: list = hue_legend(levels, colours)
    if cut is not None:
        label = "threshold " + ", ".join(sorted({f"{v:g}" for v in cut.values()}))
        handles.append(Line2D([], [], color="black", linestyle="dotted", label=label))
    figure_legend(fig, handles or [Line2D([], [], linestyle="", label="no actors")], by)
    return fig


def plot_role_auc(
    validation: pd.DataFrame, *, by: str = "wave", order: Sequence[str] | None = None,
    title: str = "How well each score finds the reported role holders and cases (AUC)",
) -> plt.Figure:
    """Point-range plot of ``roles_validation.csv``: AUC per role with its
    interval, one colour per wave; chance (0.5) marked. With a ``level``
    column (``actor``, ``case``) each role gets one row per level
    (``convener (case)``)."""
    if "level" in validation.columns and len(validation):
        validation = validation.assign(
            role=validation["role"].astype(str) + " (" + validation["level"].astype(str) + ")"
        )
        order_roles = [f"{r} ({lv})" for r in LEADERSHIP_ROLES for lv in ("actor", "case")]
        present = set(validation["role"])
        roles = [r for r in order_roles if r in present] + sorted(present - set(order_roles))
        return _plot_auc(validation, roles, by=by, order=order, title=title)
    roles = [r for r in LEADERSHIP_ROLES if r in set(validation["role"].astype(str))] if len(validation) else []
    extra = [r for r in ordered_labels(validation["role"]) if r not in roles] if len(validation) else []
    roles += extra
    return _plot_auc(validation, roles, by=by, order=order, title=title)


def _plot_auc(validation: pd.DataFrame, roles: list, *, by: str, order, title: str) -> plt.Figure:
    levels = ordered_labels(validation[by], order) if len(validation) else []
    colours = series_colours(levels)
    fig, ax = plt.subplots(figsize=(7.5, 1.4 + 0.5 * max(len(roles), 1) * max(1, len(levels)) ** 0.5))
    step = 0.6 / max(len(levels), 1)
    for j, level in enumerate(levels):
        rows = validation[validation[by].astype(str) == level].assign(role=lambda f: f["role"].astype(str))
        rows = rows.set_index("role").reindex(roles)
        y = np.arange(len(roles))[::-1] + (j - (len(levels) - 1) / 2) * step
        auc = pd.to_numeric(rows["auc"], errors="coerce").to_numpy(dtype=float)
        lo = pd.to_numeric(rows.get("ci_low"), errors="coerce").to_numpy(dtype=float) if "ci_low" in rows else auc
        hi = pd.to_numeric(rows.get("ci_high"), errors="coerce").to_numpy(dtype=float) if "ci_high" in rows else auc
        ok = ~np.isnan(auc)
        # A percentile interval need not contain the point estimate (and rounding
        # can put it a hair outside): clip so that matplotlib draws it.
        err = np.clip(np.nan_to_num(np.vstack([auc - lo, hi - auc])), 0, None)
        ax.errorbar(auc[ok], y[ok], xerr=err[:, ok], fmt="o", color=colours[level], capsize=3, label=f"{by} {level}")
    ax.axvline(0.5, color="black", linestyle="dashed", linewidth=0.8, label="chance (0.5)")
    ax.set_xlim(0, 1.02)
    ax.set_yticks(np.arange(len(roles))[::-1])
    ax.set_yticklabels(roles)
    if not roles:
        ax.text(0.5, 0.5, "no reported roles (roles.csv) to validate against", ha="center", va="center",
                transform=ax.transAxes)
    ax.set_title(title)
    ax.set_xlabel("AUC for reported holders (actor) or reported presence (case), 95% case-bootstrap interval")
    ax.set_ylabel("role")
    outside_legend(ax)
    fig.tight_layout()
    return fig


def plot_role_presence(
    presence: pd.DataFrame, *, by: str = "wave", order: Sequence[str] | None = None,
    title: str = "Share of cases in which each leadership role is present",
) -> plt.Figure:
    """Two panels (reported in the survey; inferred from behaviour): bars per role, one colour per wave."""
    levels = ordered_labels(presence[by], order) if len(presence) else []
    colours = series_colours(levels)
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
    width = 0.8 / max(len(levels), 1)
    x = np.arange(len(LEADERSHIP_ROLES))
    for ax, column, label in ((axes[0], "reported_share", "reported (roles.csv)"),
                              (axes[1], "inferred_share", "inferred (score ≥ threshold)")):
        for j, level in enumerate(levels):
            rows = presence[presence[by].astype(str) == level].set_index("role").reindex(list(LEADERSHIP_ROLES))
            ax.bar(x + (j - (len(levels) - 1) / 2) * width, rows[column].fillna(0).to_numpy(dtype=float),
                   width=width * 0.95, color=colours[level], label=f"{by} {level}")
        ax.set_xticks(x)
        ax.set_xticklabels(LEADERSHIP_ROLES)
        ax.set_ylim(0, 1.05)
        ax.set_title(f"Role {label}")
        ax.set_xlabel("leadership role")
        ax.set_ylabel("share of cases")
        outside_legend(ax) if levels else ax.legend(handles=[Line2D([], [], linestyle="", label="no cases")])
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def few_holders_note(validation: pd.DataFrame, *, minimum: int = FEW_HOLDERS, by: str = "wave") -> str | None:
    """A warning (Markdown, values escaped) naming every AUC of
    ``roles_validation.csv`` that rests on fewer than ``minimum`` reported
    holders (``n_holders``: actors at the actor level, cases with the role at
    the case level): with so few, the AUC and its interval say little (one
    holder gives an AUC of 0 or 1 up to ties). None when there is none."""
    from netinnov.reports.text import md

    if not len(validation) or "n_holders" not in validation.columns:
        return None
    n = pd.to_numeric(validation["n_holders"], errors="coerce")
    few = validation[n.notna() & (n < minimum)]
    if not len(few):
        return None
    items = []
    for _, row in few.iterrows():
        where = " ".join(md(row[c]) for c in (by, "role", "level") if c in few.columns and pd.notna(row[c]))
        items.append(f"{where} ({int(row['n_holders'])})")
    return (f"**Few holders**: these AUCs rest on fewer than {minimum} reported holders, so they and their "
            f"intervals say little: " + "; ".join(items) + ".")
