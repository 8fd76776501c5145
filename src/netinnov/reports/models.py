"""Model results: coefficient forest plots, cross-validated scores, permutation
importance (from ``models/*.csv``, columns as in the results contract)."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from netinnov.reports.figures import (  # noqa: E402
    figure_legend,
    hide_spare_panels,
    outside_legend,
    series_colours,
)
from netinnov.reports.text import format_count  # noqa: E402

__all__ = [
    "coefficient_terms",
    "not_estimated",
    "plot_coefficients",
    "plot_cv_scores",
    "plot_importance",
]

_NOT_SHOWN = re.compile(r"^(Intercept|const)$|^[^/]+/[^/]+$")


#: Rows that are not effects of a predictor (not in the forest plot).
_NOT_PLOTTED_TYPES = (
    "intercept", "threshold", "cut", "wave_effect", "random_effect_sd", "working_correlation",
    "dispersion",
)  # fmt: skip
#: Colour and vertical offset of each regression estimator in the forest plot.
_ESTIMATOR_STYLE = {"glm": ("#4c72b0", -0.22), "gee": ("#dd8452", 0.0), "mixed": ("#55a868", 0.22)}


def coefficient_terms(coefficients: pd.DataFrame) -> pd.DataFrame:
    """The rows of a forest plot: predictors only, without intercepts and
    ordered-model thresholds (by ``term_type`` where given, else by name)."""
    c = coefficients
    if "term_type" in c.columns:
        keep = ~c["term_type"].astype(str).isin(_NOT_PLOTTED_TYPES)
    else:
        keep = pd.Series(True, index=c.index)
    keep &= ~c["term"].astype(str).str.match(_NOT_SHOWN)
    return c[keep]


def plot_coefficients(
    coefficients: pd.DataFrame,
    *,
    true_effects: pd.DataFrame | None = None,
    title: str = "Case-level models: estimates with 95% intervals",
    ncols: int = 2,
) -> plt.Figure:
    """One forest plot per model: each term's estimate and 95% interval,
    filled where p < 0.05; zero marked; known true effects (simulated data,
    joined on outcome and term) drawn as crosses. With an ``estimator``
    column the estimators of a model (pooled GLM, GEE, mixed) are drawn side
    by side in their own colours."""
    coefs = coefficient_terms(coefficients)
    keys = [c for c in ("model", "outcome", "wave") if c in coefs.columns]
    panels = [(k, g.reset_index(drop=True)) for k, g in coefs.astype({c: str for c in keys}).groupby(keys, sort=False)] \
        if len(coefs) else []
    models = [" / ".join(k) if isinstance(k, tuple) else str(k) for k, _ in panels]
    n = max(len(panels), 1)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    heights = [max(2.2, 0.42 * g["term"].nunique() + 1.3) for _, g in panels] or [2.5]
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.8 * ncols, max(heights) * nrows), squeeze=False)
    for ax, model, (_, rows) in zip(axes.ravel(), models, panels, strict=False):
        terms = list(dict.fromkeys(rows["term"].astype(str)))
        base = len(terms) - 1 - rows["term"].astype(str).map({t: i for i, t in enumerate(terms)}).to_numpy()
        est_col = rows["estimator"].astype(str) if "estimator" in rows.columns else pd.Series("glm", index=rows.index)
        several = est_col.nunique() > 1
        for name in dict.fromkeys(est_col):
            part = (est_col == name).to_numpy()
            color, offset = _ESTIMATOR_STYLE.get(name, ("#8172b3", 0.0))
            y = base[part] + (offset if several else 0.0)
            sub = rows[part]
            est = pd.to_numeric(sub["estimate"], errors="coerce").to_numpy(dtype=float)
            lo = pd.to_numeric(sub["ci_low"], errors="coerce").to_numpy(dtype=float)
            hi = pd.to_numeric(sub["ci_high"], errors="coerce").to_numpy(dtype=float)
            p = pd.to_numeric(sub["p_value"], errors="coerce").to_numpy(dtype=float)
            err = np.nan_to_num(np.vstack([est - lo, hi - est]))
            sig = p < 0.05
            label = f"{name}: " if several else "estimate, "
            ax.errorbar(est, y, xerr=err, fmt="none", ecolor=color, capsize=3)
            ax.scatter(est[sig], y[sig], color=color, zorder=3, label=label + "p < 0.05")
            ax.scatter(est[~sig], y[~sig], facecolors="white", edgecolors=color, zorder=3,
                       label=label + "p ≥ 0.05")  # fmt: skip
        y = base
        ax.axvline(0.0, color="black", linestyle="dashed", linewidth=0.8)
        if true_effects is not None and len(true_effects):
            outcome = str(rows["outcome"].iloc[0]) if "outcome" in rows.columns else ""
            truth = true_effects[true_effects["outcome"].astype(str) == outcome].set_index("term")["true_effect"]
            t = pd.to_numeric(rows["term"].astype(str).map(truth), errors="coerce").to_numpy(dtype=float)
            if np.isfinite(t).any():
                ax.scatter(t, y, marker="x", color="crimson", zorder=4, label="true effect (simulation)")
        ax.set_yticks(range(len(terms)))
        ax.set_yticklabels(terms[::-1])
        nobs = pd.to_numeric(rows["n"], errors="coerce").max() if "n" in rows.columns else np.nan
        ax.set_title(model + (f" (n = {format_count(nobs)})" if np.isfinite(nobs) else ""))
        ax.set_xlabel("estimate (link scale) with 95% interval")
        ax.set_ylabel("term")
        outside_legend(ax)
    hide_spare_panels(axes, len(models), empty_title="no model was fitted", note="no coefficients",
                      xlabel="estimate", ylabel="term", legend="no coefficients")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_cv_scores(cv_scores: pd.DataFrame, *, title: str = "Cross-validated prediction scores", ncols: int = 2
                   ) -> plt.Figure:
    """One panel per score metric: the mean over folds (bar) ± SD (whisker) for
    each model and outcome, one colour per estimator where there are several
    (e.g. a baseline beside the fitted models)."""
    cv = cv_scores.copy()
    label = cv["model"].astype(str)
    if "outcome" in cv.columns:
        label = label + ": " + cv["outcome"].astype(str)
    if "wave" in cv.columns and cv["wave"].nunique() > 1:
        label = label + " [" + cv["wave"].astype(str) + "]"
    cv["label"] = label
    cv["estimator"] = cv["estimator"].astype(str) if "estimator" in cv.columns else "model"
    estimators = list(dict.fromkeys(cv["estimator"]))
    colours = series_colours(estimators)
    metrics = list(dict.fromkeys(cv["metric"].astype(str)))
    n = max(len(metrics), 1)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    rows_per_panel = max((cv[cv["metric"].astype(str) == m].shape[0] for m in metrics), default=1)
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.5 * ncols, (1.3 + 0.32 * rows_per_panel) * nrows),
                             squeeze=False)
    for ax, metric in zip(axes.ravel(), metrics, strict=False):
        rows = cv[cv["metric"].astype(str) == metric].reset_index(drop=True)
        labels = list(dict.fromkeys(rows["label"]))
        step = 0.8 / max(rows["estimator"].nunique(), 1)
        present = list(dict.fromkeys(rows["estimator"]))
        for j, est in enumerate(present):
            part = rows[rows["estimator"] == est]
            y = len(labels) - 1 - part["label"].map({lab: i for i, lab in enumerate(labels)}).to_numpy() \
                + (j - (len(present) - 1) / 2) * step
            mean = pd.to_numeric(part["mean"], errors="coerce").to_numpy(dtype=float)
            sd = pd.to_numeric(part["std"], errors="coerce").fillna(0).to_numpy(dtype=float) \
                if "std" in part.columns else np.zeros(len(part))
            ax.barh(y, np.nan_to_num(mean), height=step * 0.9, xerr=sd, color=colours[est], capsize=2, label=est)
        ax.set_yticks(range(len(labels)))
        ax.set_yticklabels(labels[::-1])
        folds = pd.to_numeric(rows["folds"], errors="coerce").max() if "folds" in rows.columns else np.nan
        ax.set_title(metric + (f" ({format_count(folds)} folds)" if np.isfinite(folds) else ""))
        ax.set_xlabel(f"{metric}: mean over folds ± SD")
        ax.set_ylabel("model: outcome")
    hide_spare_panels(axes, len(metrics), empty_title="no scores", xlabel="score", ylabel="model", legend="no scores")
    fig.suptitle(title)
    fig.tight_layout()
    if metrics:
        figure_legend(fig, [plt.Rectangle((0, 0), 1, 1, color=colours[e], label=e) for e in estimators], "estimator")
    return fig


def plot_importance(
    importance: pd.DataFrame, *, top: int = 12, title: str = "Permutation importance of the predictors", ncols: int = 2,
) -> plt.Figure:
    """One panel per (model, outcome, estimator): the ``top`` features by mean
    importance, with ± one SD over repeats."""
    imp = importance.copy()
    keys = [c for c in ("model", "outcome", "estimator") if c in imp.columns]
    panels = list(imp.groupby(keys, sort=False)) if keys and len(imp) else []
    n = max(len(panels), 1)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    bars = min(top, max((len(g) for _, g in panels), default=1))
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.5 * ncols, (0.32 * bars + 1.4) * nrows), squeeze=False)
    for ax, (key, rows) in zip(axes.ravel(), panels, strict=False):
        rows = rows.assign(importance_mean=pd.to_numeric(rows["importance_mean"], errors="coerce"))
        rows = rows.sort_values("importance_mean", ascending=False, kind="stable").head(top)
        y = np.arange(len(rows))[::-1]
        sd = pd.to_numeric(rows["importance_std"], errors="coerce").fillna(0).to_numpy(dtype=float) \
            if "importance_std" in rows.columns else 0
        ax.barh(y, rows["importance_mean"].fillna(0).to_numpy(dtype=float), xerr=sd, color="#55a868", capsize=2,
                label="mean ± SD over repeats")
        ax.axvline(0.0, color="black", linewidth=0.6)
        ax.set_yticks(y)
        ax.set_yticklabels(rows["feature"].astype(str))
        ax.set_title(" / ".join(str(k) for k in (key if isinstance(key, tuple) else (key,))))
        ax.set_xlabel("drop in score when the feature is permuted")
        ax.set_ylabel("feature")
        outside_legend(ax)
    hide_spare_panels(axes, len(panels), empty_title="no importance", xlabel="importance", ylabel="feature",
                      legend="no importance")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


NOT_ESTIMATED_COLUMNS = ["table", "model", "wave", "case_id", "reason", "n_dropped", "dropped_reasons"]


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].fillna("").astype(str)


def _count(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(0.0, index=frame.index)
    return pd.to_numeric(frame[column], errors="coerce").fillna(0)


def not_estimated(
    fit: pd.DataFrame | None, qap: pd.DataFrame | None = None
) -> pd.DataFrame:
    """What the models did not estimate or left out, one row per fit.

    From ``fit.csv``: every model/wave (and estimator other than ``glm``,
    named in brackets) with an ``error`` (not estimated), and every model/wave
    with ``n_dropped > 0`` once (rows left out, with ``dropped_reasons``). From
    ``qap.csv``: every (model, wave, case) whose estimates are all NaN, with
    its ``note``, or whose ``n_dropped > 0``. Columns
    :data:`NOT_ESTIMATED_COLUMNS`; empty when everything was estimated on
    every row.
    """
    parts = []
    if fit is not None and len(fit):
        f = fit.copy()
        error = _text(f, "error")
        dropped = _count(f, "n_dropped")
        estimator = _text(f, "estimator")
        # the rows a sample leaves out are the same for every estimator: listed once
        first = ~pd.DataFrame({"m": _text(f, "model"), "w": _text(f, "wave")}).duplicated().to_numpy()
        keep = (error != "") | ((dropped > 0) & first)
        model = _text(f, "model").where(
            (estimator == "") | (estimator == "glm"), _text(f, "model") + " (" + estimator + ")"
        )
        parts.append(
            pd.DataFrame({
                "table": "fit.csv", "model": model, "wave": _text(f, "wave"), "case_id": "",
                "reason": error.where(error != "", "estimated"), "n_dropped": dropped.astype(int),
                "dropped_reasons": _text(f, "dropped_reasons"),
            })[keep]  # fmt: skip
        )
    if qap is not None and len(qap):
        q = qap.assign(
            _wave=_text(qap, "wave"), _case=_text(qap, "case_id"), _note=_text(qap, "note"),
            _reasons=_text(qap, "dropped_reasons"),
            _dropped=_count(qap, "n_dropped"),
            _missing=pd.to_numeric(qap["estimate"], errors="coerce").isna()
            if "estimate" in qap.columns
            else True,
        )  # fmt: skip
        grouped = q.groupby(["model", "_wave", "_case"], sort=False).agg(
            missing=("_missing", "all"), note=("_note", "first"), dropped=("_dropped", "max"),
            reasons=("_reasons", "first"),
        )  # fmt: skip
        grouped = grouped[grouped["missing"] | (grouped["dropped"] > 0)].reset_index()
        parts.append(
            pd.DataFrame({
                "table": "qap.csv", "model": grouped["model"].astype(str), "wave": grouped["_wave"],
                "case_id": grouped["_case"],
                "reason": grouped["note"].where(grouped["missing"], "estimated"),
                "n_dropped": grouped["dropped"].astype(int), "dropped_reasons": grouped["reasons"],
            })  # fmt: skip
        )
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=NOT_ESTIMATED_COLUMNS)
    return pd.concat(parts, ignore_index=True)[NOT_ESTIMATED_COLUMNS]
