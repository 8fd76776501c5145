"""The numbers of the models, power and validity pages, computed from the result tables (issue 15, item 5).

Written by the steps of :mod:`netinnov.steps.model_summaries` (``netinnov
model-summaries``, ``netinnov power-summaries``, ``netinnov validity-summaries``),
so that every number these pages show is a table in the manifest (the notebooks
only read, select, format and draw):

``models/small_sample.csv``
    one row per model fit (or for the whole panel, ``model`` empty, where no
    model was fitted) that earns a small-sample warning: the sample size below
    :data:`SMALL_N`, the events per predictor below :data:`SMALL_EVENTS`, or a
    fit warning saying so (:func:`small_sample`).
``models/qap_not_estimated.csv``
    per model, wave and reason: the per-case MRQAP fits without any estimate
    (:func:`split_qap`).
``models/not_estimated.csv``
    every fit not estimated or with rows left out, per-case MRQAP rows counted
    per reason (:func:`collapse_cases` of :func:`not_estimated`).
``models/model_summary.csv``
    one row: the cases of ``panel/cases.csv`` and the per-case MRQAP fits
    without any estimate (:func:`model_counts`).
``models/mde.csv``
    per model term of ``power_summary.csv``: the MDE, whether the target was
    reached, the power at effect 0 (the test's size), the failed fits summed
    over the effect grid and the grid's largest effect (:func:`mde_summary`).
``models/power_reach.csv``
    one row: the terms, those whose power never reached the target, the target
    and alpha (:func:`power_reach`).
``validity/target_counts.csv``
    one row: the validity figures with a target and those meeting it
    (:func:`target_counts`).

The functions ``not_estimated``, ``split_qap``, ``collapse_cases`` and
``coefficient_terms`` were in :mod:`netinnov.reports.models` and are still
importable from there; they read no file.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from netinnov.contract import MODEL_SUMMARY_TABLES, POWER_SUMMARY_TABLES, VALIDITY_SUMMARY_TABLES

__all__ = [
    "MDE_SUMMARY_COLUMNS",
    "MODEL_OUTPUTS",
    "NOT_ESTIMATED_COLUMNS",
    "POWER_OUTPUTS",
    "SMALL_EVENTS",
    "SMALL_N",
    "SMALL_SAMPLE_COLUMNS",
    "VALIDITY_OUTPUTS",
    "coefficient_terms",
    "collapse_cases",
    "mde_summary",
    "model_counts",
    "not_estimated",
    "power_reach",
    "small_sample",
    "split_qap",
    "target_counts",
]

#: The tables written, by name, under ``models/`` by ``netinnov model-summaries``.
MODEL_OUTPUTS = {name: f"{name}.csv" for name in MODEL_SUMMARY_TABLES}
#: The tables written, by name, under ``models/`` by ``netinnov power-summaries`` (opt-in power).
POWER_OUTPUTS = {name: f"{name}.csv" for name in POWER_SUMMARY_TABLES}
#: The tables written, by name, under ``validity/`` by ``netinnov validity-summaries``.
VALIDITY_OUTPUTS = {name: f"{name}.csv" for name in VALIDITY_SUMMARY_TABLES}

_NOT_SHOWN = re.compile(r"^(Intercept|const)$|^[^/]+/[^/]+$")
#: Rows that are not effects of a predictor (not in the forest plot, not counted as predictors).
_NOT_PLOTTED_TYPES = (
    "intercept", "threshold", "cut", "wave_effect", "random_effect_sd", "working_correlation",
    "dispersion",
)  # fmt: skip

NOT_ESTIMATED_COLUMNS = ["table", "model", "wave", "case_id", "reason", "n_dropped", "dropped_reasons"]

#: Fewer cases than this, or fewer events per predictor than :data:`SMALL_EVENTS`, earn a visible note.
SMALL_N = 20
SMALL_EVENTS = 10
_SMALL_WARNING = re.compile(r"events per predictor|few (cases|clusters|observations)|small sample", re.IGNORECASE)

#: Columns of ``models/small_sample.csv``: ``size`` (with ``size_unit`` cases or
#: observations) where below ``min_size``, ``events`` and ``predictors`` where the
#: events per predictor are below ``min_events_per_predictor``, ``warning`` where
#: the fit's warning is about the sample size; empty otherwise.
SMALL_SAMPLE_COLUMNS = ["model", "size", "size_unit", "min_size", "events", "predictors",
                        "min_events_per_predictor", "warning"]


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].fillna("").astype(str)


def _count(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(0.0, index=frame.index)
    return pd.to_numeric(frame[column], errors="coerce").fillna(0)


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def _first(frame: pd.DataFrame, column: str, default: float) -> float:
    values = _numbers(frame, column)
    values = values[np.isfinite(values)]
    return float(values[0]) if values.size else default


def _truthy(values: pd.Series) -> pd.Series:
    return values.astype(str).str.lower().isin(["true", "1"])


# ------------------------------------------------------------------ the models page
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


def not_estimated(fit: pd.DataFrame | None, qap: pd.DataFrame | None = None) -> pd.DataFrame:
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


def split_qap(qap: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(pooled, per_case, not_estimated)`` of ``qap.csv``: the pooled fits
    (``case_id == "pooled"``) first, the per-case rows with an estimate, and
    the per-case fits without any estimate counted per model, wave and reason
    (``note``) — columns ``model``, ``wave``, ``reason``, ``cases``."""
    case = _text(qap, "case_id")
    est = pd.to_numeric(qap["estimate"], errors="coerce") if "estimate" in qap.columns \
        else pd.Series(np.nan, index=qap.index)
    pooled = qap[case == "pooled"]
    rest = qap[case != "pooled"]
    keys = pd.DataFrame({"model": _text(rest, "model"), "wave": _text(rest, "wave"), "case": case[rest.index]})
    has_estimate = est[rest.index].notna().groupby([keys["model"], keys["wave"], keys["case"]]).transform("any")
    per_case = rest[has_estimate.to_numpy()]
    empty = rest[~has_estimate.to_numpy()]
    if len(empty):
        e = pd.DataFrame({"model": _text(empty, "model"), "wave": _text(empty, "wave"),
                          "reason": _text(empty, "note").replace("", "no reason recorded"),
                          "case": case[empty.index]})
        counts = (e.drop_duplicates(["model", "wave", "case"]).groupby(["model", "wave", "reason"], sort=False)
                  .size().rename("cases").reset_index())
    else:
        counts = pd.DataFrame(columns=["model", "wave", "reason", "cases"])
    return pooled.reset_index(drop=True), per_case.reset_index(drop=True), counts


def collapse_cases(skipped: pd.DataFrame) -> pd.DataFrame:
    """:func:`not_estimated` with its per-case rows (``qap.csv``) counted: one
    row per (table, model, wave, reason, dropped_reasons) with ``cases`` (how
    many) and ``n_dropped`` summed; ``case_id`` is kept where only one case
    has that reason. Rows without a case (``fit.csv``) stay as they are."""
    if not len(skipped):
        return skipped.assign(cases=pd.Series(dtype="int64"))
    case = _text(skipped, "case_id")
    fits = skipped[case == ""].assign(cases=0)
    per_case = skipped[case != ""]
    if not len(per_case):
        return fits.reset_index(drop=True)
    keys = ["table", "model", "wave", "reason", "dropped_reasons"]
    g = per_case.astype({k: str for k in keys}).groupby(keys, sort=False)
    counted = g.agg(cases=("case_id", "nunique"), n_dropped=("n_dropped", "sum"), case_id=("case_id", "first"))
    counted = counted.reset_index()
    counted["case_id"] = counted["case_id"].where(counted["cases"] == 1, "")
    return pd.concat([fits, counted], ignore_index=True)[[*NOT_ESTIMATED_COLUMNS, "cases"]]


def small_sample(fit: pd.DataFrame | None, coefficients: pd.DataFrame | None = None, *,
                 n_cases: float | None = None) -> pd.DataFrame:
    """The small-sample warnings of the models page, one row each
    (:data:`SMALL_SAMPLE_COLUMNS`): per row of ``fit.csv``, a size (``n_clusters``,
    else ``n``) below :data:`SMALL_N`, fewer than :data:`SMALL_EVENTS` events per
    predictor (the ``events`` column over the predictors of
    :func:`coefficient_terms`), or a ``warning`` saying so; rows repeating the
    same model and findings once. Without any fit, one row with the panel's
    ``n_cases`` (``model`` empty) when below :data:`SMALL_N`. Empty when nothing
    is small."""
    rows: list[dict] = []
    seen = set()
    if fit is not None and len(fit):
        size_col = "n_clusters" if "n_clusters" in fit.columns and pd.to_numeric(
            fit["n_clusters"], errors="coerce").notna().any() else ("n" if "n" in fit.columns else None)
        terms = coefficient_terms(coefficients).groupby("model").size() if coefficients is not None and len(
            coefficients) and "model" in coefficients.columns else pd.Series(dtype=float)
        unit = "cases" if size_col == "n_clusters" else "observations"
        for _, r in fit.iterrows():
            model = str(r.get("model", ""))
            row = {"model": model, "size": np.nan, "size_unit": "", "min_size": SMALL_N, "events": np.nan,
                   "predictors": np.nan, "min_events_per_predictor": SMALL_EVENTS, "warning": ""}
            size = pd.to_numeric(pd.Series([r.get(size_col)]), errors="coerce").iloc[0] if size_col else np.nan
            if np.isfinite(size) and size < SMALL_N:
                row.update(size=float(size), size_unit=unit)
            events = pd.to_numeric(pd.Series([r.get("events")]), errors="coerce").iloc[0] \
                if "events" in fit.columns else np.nan
            k = terms.get(model, np.nan)
            if np.isfinite(events) and np.isfinite(k) and k > 0 and events / k < SMALL_EVENTS:
                row.update(events=float(events), predictors=float(k))
            warning = str(r.get("warning", "") or "")
            if warning and warning != "nan" and _SMALL_WARNING.search(warning):
                row["warning"] = warning
            key = tuple(str(row[c]) for c in ("model", "size", "size_unit", "events", "predictors", "warning"))
            if (np.isfinite(row["size"]) or np.isfinite(row["events"]) or row["warning"]) and key not in seen:
                seen.add(key)
                rows.append(row)
    elif n_cases is not None and np.isfinite(n_cases) and n_cases < SMALL_N:
        rows.append({"model": "", "size": float(n_cases), "size_unit": "cases", "min_size": SMALL_N,
                     "events": np.nan, "predictors": np.nan, "min_events_per_predictor": SMALL_EVENTS,
                     "warning": ""})
    return pd.DataFrame(rows, columns=SMALL_SAMPLE_COLUMNS)


def model_counts(n_cases: float | None, qap_not_estimated: pd.DataFrame) -> pd.DataFrame:
    """One row: ``cases`` (the distinct cases of the panel, NaN when unknown) and
    ``qap_cases_not_estimated`` (the ``cases`` of :func:`split_qap`'s counts summed)."""
    total = pd.to_numeric(qap_not_estimated["cases"], errors="coerce").sum() if "cases" in qap_not_estimated.columns \
        else 0
    return pd.DataFrame({"cases": pd.array([None if n_cases is None else round(n_cases)], dtype="Int64"),
                         "qap_cases_not_estimated": [int(total)]})


# ------------------------------------------------------------------- the power page
#: Columns of ``models/mde.csv``.
MDE_SUMMARY_COLUMNS = ["model", "wave", "term", "mde", "reached", "effect_unit", "mde_scale", "n_cases", "n_waves",
                       "power_at_zero", "n_failed", "grid_max"]


def mde_summary(summary: pd.DataFrame, power: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per term of ``power_summary.csv`` (:data:`MDE_SUMMARY_COLUMNS`): its MDE
    and whether the target power was reached, and from ``power.csv`` the power
    at effect 0 (the test's size, which should be close to ``alpha``), the
    failed fits summed over the grid and the grid's largest effect (NaN, 0 and
    NaN without a power row of the term)."""
    s = summary.copy()
    for col in ("model", "wave", "term", "mde_scale", "effect_unit"):
        s[col] = s[col].fillna("").astype(str) if col in s.columns else ""
    reached = _truthy(s["reached"]) if "reached" in s.columns else pd.Series(False, index=s.index)
    size = np.full(len(s), np.nan)
    failed = np.zeros(len(s))
    grid_max = np.full(len(s), np.nan)
    if power is not None and len(power):
        p = power.assign(**{c: power[c].fillna("").astype(str) for c in ("model", "wave", "term")})
        p = p.assign(_effect=_numbers(p, "effect"), _power=_numbers(p, "power"), _failed=_numbers(p, "n_failed"))
        groups = dict(tuple(p.groupby(["model", "wave", "term"], sort=False)))
        for i, key in enumerate(zip(s["model"], s["wave"], s["term"], strict=True)):
            part = groups.get(key)
            if part is None:
                continue
            zero = part.loc[part["_effect"] == 0, "_power"]
            size[i] = float(zero.iloc[0]) if len(zero) else np.nan
            failed[i] = float(np.nansum(part["_failed"]))
            grid_max[i] = float(np.nanmax(part["_effect"])) if part["_effect"].notna().any() else np.nan
    return pd.DataFrame({
        "model": s["model"], "wave": s["wave"], "term": s["term"], "mde": _numbers(s, "mde"),
        "reached": reached.to_numpy(dtype=bool), "effect_unit": s["effect_unit"], "mde_scale": s["mde_scale"],
        "n_cases": pd.array(np.round(_numbers(s, "n_cases")), dtype="Int64"),
        "n_waves": pd.array(np.round(_numbers(s, "n_waves")), dtype="Int64"),
        "power_at_zero": size, "n_failed": failed.astype(int), "grid_max": grid_max,
    }, index=range(len(s)))[MDE_SUMMARY_COLUMNS]  # fmt: skip


def power_reach(summary: pd.DataFrame) -> pd.DataFrame:
    """One row: ``terms`` of ``power_summary.csv``, ``not_reached`` (those
    whose power reached the target at no effect of the grid), ``target_power``
    and ``alpha`` (0.80 and 0.05 where not given)."""
    reached = _truthy(summary["reached"]) if "reached" in summary.columns else pd.Series(False, index=summary.index)
    return pd.DataFrame({"terms": [len(summary)], "not_reached": [int((~reached).sum())],
                         "target_power": [_first(summary, "target_power", 0.80)],
                         "alpha": [_first(summary, "alpha", 0.05)]})


# ---------------------------------------------------------------- the validity page
def target_counts(validity: pd.DataFrame) -> pd.DataFrame:
    """One row: ``figures`` of ``validity.csv`` with a target (``meets_target``
    given) and ``meet_target`` (those meeting it)."""
    if not len(validity) or "meets_target" not in validity.columns:
        return pd.DataFrame({"figures": [0], "meet_target": [0]})
    given = validity["meets_target"].notna()
    met = validity.loc[given, "meets_target"].astype(str).str.lower().eq("true")
    return pd.DataFrame({"figures": [int(given.sum())], "meet_target": [int(met.sum())]})
