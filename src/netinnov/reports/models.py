"""Model results: coefficient forest plots, cross-validated scores, permutation
importance (from ``models/*.csv``, columns as in the results contract)."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from netinnov.metrics.model_summaries import (  # noqa: E402  (moved there; importable from here)
    NOT_ESTIMATED_COLUMNS,
    SMALL_EVENTS,
    SMALL_N,
    coefficient_terms,
    collapse_cases,
    not_estimated,
    small_sample,
    split_qap,
)
from netinnov.reports.figures import (  # noqa: E402
    figure_legend,
    hide_spare_panels,
    outside_legend,
    series_colours,
)
from netinnov.reports.text import format_count, format_p, md  # noqa: E402

__all__ = [
    "NOT_ESTIMATED_COLUMNS",
    "SMALL_EVENTS",
    "SMALL_N",
    "coefficient_terms",
    "collapse_cases",
    "empty_reason",
    "plot_qap",
    "small_n_notes",
    "small_sample_notes",
    "split_qap",
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


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].fillna("").astype(str)


def plot_qap(qap: pd.DataFrame, *, title: str = "Pooled MRQAP estimates") -> plt.Figure:
    """One panel per (model, wave): the estimate of each term (netlogit on the
    log-odds scale, netlm in units of the tie value), filled where the
    permutation p < 0.05, open otherwise; zero marked."""
    rows = qap[~_text(qap, "term").str.match(_NOT_SHOWN) & (_text(qap, "term") != "")]
    keys = [c for c in ("model", "wave") if c in rows.columns]
    frame = rows.astype({c: str for c in keys})
    panels = list(frame.groupby(keys, sort=False)) if keys and len(frame) else []
    n = max(len(panels), 1)
    ncols = min(2, n)
    nrows = int(np.ceil(n / ncols))
    height = max([0.42 * g["term"].nunique() + 1.4 for _, g in panels] or [2.5])
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.8 * ncols, max(height, 2.4) * nrows), squeeze=False)
    for ax, (key, g) in zip(axes.ravel(), panels, strict=False):
        terms = list(dict.fromkeys(g["term"].astype(str)))
        y = len(terms) - 1 - g["term"].astype(str).map({t: i for i, t in enumerate(terms)}).to_numpy()
        est = pd.to_numeric(g["estimate"], errors="coerce").to_numpy(dtype=float)
        p_col = "p_value_plus1" if "p_value_plus1" in g.columns else "p_value"
        p = pd.to_numeric(g[p_col], errors="coerce").to_numpy(dtype=float) if p_col in g.columns \
            else np.full(len(g), np.nan)
        sig = p < 0.05
        ax.scatter(est[sig], y[sig], color="#4c72b0", zorder=3, label="permutation p < 0.05")
        ax.scatter(est[~sig], y[~sig], facecolors="white", edgecolors="#4c72b0", zorder=3,
                   label="permutation p ≥ 0.05 (or none)")
        for xi, yi, pi in zip(est, y, p, strict=True):
            if np.isfinite(xi) and np.isfinite(pi):
                ax.annotate(format_p(pi, prefix=True), (xi, yi), xytext=(6, 4), textcoords="offset points",
                            fontsize=8)
        ax.margins(x=0.3)
        ax.axvline(0.0, color="black", linestyle="dashed", linewidth=0.8)
        ax.set_yticks(range(len(terms)))
        ax.set_yticklabels(terms[::-1])
        family = " ".join(_text(g, "estimator").unique()).lower() + " " + str(key).lower()
        scale = "log-odds (netlogit)" if "logit" in family else "estimate (netlm: units of the tie value)"
        ax.set_xlabel(scale)
        ax.set_ylabel("term")
        ax.set_title(" / ".join(str(k) for k in (key if isinstance(key, tuple) else (key,))))
        outside_legend(ax)
    hide_spare_panels(axes, len(panels), empty_title="no pooled MRQAP fit", note="no estimates",
                      xlabel="estimate", ylabel="term", legend="no estimates")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def empty_reason(table: str, *, empty_results: pd.DataFrame | None = None, fit: pd.DataFrame | None = None,
                 kind: str | None = None) -> str:
    """Markdown: why ``table`` has nothing to show — the reasons of
    ``models/empty_results.csv`` (of ``kind``) when present, else the
    ``error``/``warning`` columns of ``fit.csv``; every value escaped."""
    reasons: list[str] = []
    if empty_results is not None and len(empty_results):
        e = empty_results
        if kind and "kind" in e.columns:
            e = e[_text(e, "kind") == kind]
        for r in e.itertuples(index=False):
            label = " ".join(x for x in (str(getattr(r, "model", "") or ""), str(getattr(r, "wave", "") or ""))
                             if x and x != "nan")
            reason = str(getattr(r, "reason", "") or "")
            reasons.append((f"{md(label)}: " if label else "") + md(reason))
    elif fit is not None and len(fit):
        text = _text(fit, "error").where(_text(fit, "error") != "", _text(fit, "warning"))
        for model, reason in zip(_text(fit, "model"), text, strict=True):
            if reason:
                reasons.append(f"{md(model)}: {md(reason)}")
    reasons = list(dict.fromkeys(reasons))
    if not reasons:
        return f"**No {table}**: the models step wrote none and recorded no reason (no `models/empty_results.csv`)."
    shown = "; ".join(reasons[:12]) + (f"; and {format_count(len(reasons) - 12)} more" if len(reasons) > 12 else "")
    return f"**No {table}**. Reason: {shown}."



def small_sample_notes(table: pd.DataFrame | None) -> list[str]:
    """The Markdown warnings of ``models/small_sample.csv`` (one per row, in its
    order; values from data escaped): the sample size, the events per
    predictor and the fit's warning where each is given."""
    out: list[str] = []
    if table is None or not len(table):
        return out
    for _, r in table.iterrows():
        model = "" if pd.isna(r.get("model")) else str(r.get("model"))
        size = pd.to_numeric(pd.Series([r.get("size")]), errors="coerce").iloc[0]
        min_size = format_count(r.get("min_size", SMALL_N))
        if not model:
            if np.isfinite(size):
                out.append(f"**Small sample**: {format_count(size)} cases (fewer than {min_size}); "
                           "estimates and scores are unstable.")
            continue
        parts = []
        if np.isfinite(size):
            parts.append(f"{format_count(size)} {r.get('size_unit')} (fewer than {min_size})")
        events = pd.to_numeric(pd.Series([r.get("events")]), errors="coerce").iloc[0]
        k = pd.to_numeric(pd.Series([r.get("predictors")]), errors="coerce").iloc[0]
        if np.isfinite(events) and np.isfinite(k):
            parts.append(f"{format_count(events)} events for {format_count(k)} predictors "
                         f"(fewer than {format_count(r.get('min_events_per_predictor', SMALL_EVENTS))} per predictor)")
        warning = "" if pd.isna(r.get("warning")) else str(r.get("warning"))
        if warning:
            parts.append(md(warning))
        if parts:
            out.append(f"**Small sample** — {md(model)}: " + "; ".join(parts) + ".")
    return out


def small_n_notes(fit: pd.DataFrame | None, coefficients: pd.DataFrame | None = None, *,
                  n_cases: float | None = None) -> list[str]:
    """:func:`small_sample_notes` of :func:`netinnov.metrics.model_summaries.small_sample`
    (the page reads ``models/small_sample.csv`` instead)."""
    return small_sample_notes(small_sample(fit, coefficients, n_cases=n_cases))
