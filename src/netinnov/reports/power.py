"""The power page: power curves and minimal detectable effects (from
``models/power.csv`` and ``models/power_summary.csv``, written by
:mod:`netinnov.models.power`)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["text.parse_math"] = False  # ids and labels from data drawn as they are

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from netinnov.metrics.model_summaries import _first, _numbers, mde_summary, power_reach  # noqa: E402
from netinnov.reports.figures import hide_spare_panels, outside_legend, series_colours  # noqa: E402
from netinnov.reports.text import format_count, md  # noqa: E402

__all__ = ["MDE_COLUMNS", "plot_power_curves", "mde_rows", "mde_table", "mde_sentence"]

#: Columns of the MDE table shown on the page.
MDE_COLUMNS = [
    "model", "wave", "term", "minimal detectable effect", "scale", "n_cases", "n_waves",
    "power at 0 (size)", "n_failed",
]  # fmt: skip




def plot_power_curves(power: pd.DataFrame, *, target: float = 0.80, ncols: int = 2) -> plt.Figure:
    """One panel per model (and wave, for models fitted per wave): the power of
    each term against the effect size, ± 2 Monte Carlo SE, with the ``target``
    power and ``alpha`` marked."""
    p = power.copy()
    p["_power"] = _numbers(p, "power")
    p = p[np.isfinite(p["_power"])]
    for col in ("model", "wave", "term", "effect_scale", "effect_unit"):
        p[col] = p[col].fillna("").astype(str) if col in p.columns else ""
    panels = list(p.groupby(["model", "wave"], sort=False)) if len(p) else []
    n = max(len(panels), 1)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.4 * ncols, 4.0 * nrows), squeeze=False)
    alpha = _first(power, "alpha", 0.05)
    for ax, ((model, wave), rows) in zip(axes.ravel(), panels, strict=False):
        terms = list(dict.fromkeys(rows["term"]))
        colours = series_colours(terms)
        for term in terms:
            part = rows[rows["term"] == term].sort_values("effect", kind="stable")
            x = _numbers(part, "effect")
            y = part["_power"].to_numpy(dtype=float)
            se = np.nan_to_num(_numbers(part, "power_mc_se"))
            scale = part["effect_scale"].iloc[0]
            ax.plot(x, y, marker="o", color=colours[term], label=f"{term} ({scale})")
            ax.fill_between(x, np.clip(y - 2 * se, 0, 1), np.clip(y + 2 * se, 0, 1),
                            color=colours[term], alpha=0.15, linewidth=0)  # fmt: skip
        ax.axhline(
            target,
            color="black",
            linestyle="dashed",
            linewidth=0.8,
            label=f"target power {target:g}",
        )
        ax.axhline(alpha, color="grey", linestyle="dotted", linewidth=0.8, label=f"alpha {alpha:g}")
        ax.set_ylim(-0.02, 1.02)
        unit = rows["effect_unit"].iloc[0]
        ax.set_xlabel(f"effect ({unit}) per SD of the term, or 0 to 1 for a 0/1 term")
        ax.set_ylabel("power (share of datasets with p < alpha)")
        g = _first(rows, "n_cases", np.nan)
        t = _first(rows, "n_waves", np.nan)
        design = f" ({format_count(g)} cases x {format_count(t)} waves)" if np.isfinite(g) and np.isfinite(t) else ""
        ax.set_title(model + ("" if wave in ("", "pooled") else f" [{wave}]") + design)
        outside_legend(ax)
    hide_spare_panels(axes, len(panels), empty_title="no power simulation", note="no power rows",
                      xlabel="effect", ylabel="power", legend="no power rows")  # fmt: skip
    fig.suptitle("Power of each model term by simulation from the design")
    fig.tight_layout()
    return fig


def _effect_text(value: float, reached: bool, grid_max: float) -> str:
    if reached and np.isfinite(value):
        return f"{value:.2f}"
    return f"not reached (> {grid_max:g})" if np.isfinite(grid_max) else "not reached"


def mde_rows(mde: pd.DataFrame) -> pd.DataFrame:
    """``models/mde.csv`` as shown on the page (:data:`MDE_COLUMNS`): the MDE
    as text, saying up to which effect the grid went where the target was not
    reached."""
    m = mde.reset_index(drop=True)
    for col in ("model", "wave", "term", "mde_scale", "effect_unit"):
        m[col] = m[col].fillna("").astype(str) if col in m.columns else ""
    reached = m["reached"].astype(str).str.lower().isin(["true", "1"]) if "reached" in m.columns \
        else pd.Series(False, index=m.index)
    text = [_effect_text(v, bool(r), gm) for v, r, gm in zip(_numbers(m, "mde"), reached, _numbers(m, "grid_max"),
                                                             strict=True)]  # fmt: skip
    return pd.DataFrame({
        "model": m["model"], "wave": m["wave"], "term": m["term"], "minimal detectable effect": text,
        "scale": (m["effect_unit"] + ", " + m["mde_scale"]).str.strip(", "),
        "n_cases": pd.array(np.round(_numbers(m, "n_cases")), dtype="Int64"),
        "n_waves": pd.array(np.round(_numbers(m, "n_waves")), dtype="Int64"),
        "power at 0 (size)": _numbers(m, "power_at_zero"),
        "n_failed": np.nan_to_num(_numbers(m, "n_failed")).astype(int),
    })[MDE_COLUMNS]  # fmt: skip


def mde_table(summary: pd.DataFrame, power: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`mde_rows` of :func:`netinnov.metrics.model_summaries.mde_summary`
    (the page reads ``models/mde.csv`` instead)."""
    return mde_rows(mde_summary(summary, power))


def mde_sentence(summary: pd.DataFrame, reach: pd.DataFrame | None = None) -> str:
    """What the MDE means for this study, as Markdown (every value from data
    escaped); the count of terms not reaching the target from ``reach``
    (``models/power_reach.csv``; without it, :func:`power_reach` of ``summary``)."""
    if summary is None or not len(summary):
        return "No power simulation to summarise."
    g = _first(summary, "n_cases", np.nan)
    t = _first(summary, "n_waves", np.nan)
    target = _first(summary, "target_power", 0.80)
    alpha = _first(summary, "alpha", 0.05)
    design = (
        f"{format_count(g)} cases observed over {format_count(t)} waves"
        if np.isfinite(g) and np.isfinite(t)
        else "this design"
    )
    reached = summary["reached"].astype(str).str.lower().isin(["true", "1"])
    lines = [
        f"For a study of {md(design)}, the minimal detectable effect (MDE) of a term is the smallest "
        f"effect that its model would find significant at alpha = {alpha:g} in {target:.0%} of "
        "studies like this one. Effects smaller than the MDE are likely to be missed: a "
        "non-significant estimate of such a term is not evidence that the effect is absent, only that "
        "the study could not have seen it. Effects are on the model's link scale (log-odds, log rate "
        "or outcome SDs) per standard deviation of the term, or from 0 to 1 for a 0/1 term."
    ]
    missed = summary.loc[~reached]
    counts = reach if reach is not None and len(reach) else power_reach(summary)
    not_reached, terms = int(counts["not_reached"].iloc[0]), int(counts["terms"].iloc[0])
    if not_reached:
        names = ", ".join(
            f"{md(m)}: {md(t)}"
            for m, t in zip(missed["model"].astype(str), missed["term"].astype(str), strict=True)
        )
        lines.append(
            f"No effect in the grid reached {target:.0%} power for {not_reached} of {terms} terms "
            f"({names}); widen `power.grid` to see where their power reaches it: this study cannot detect them at any effect of the grid."
        )
    return "\n\n".join(lines)
