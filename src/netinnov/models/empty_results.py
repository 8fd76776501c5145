"""``models/empty_results.csv``: every model fit that produced no estimate, and why.

A model that cannot be estimated (an outcome that is not in the data, too few
observations, an unknown actor attribute, …) leaves a row in ``fit.csv`` or
``qap.csv`` with its reason in a far-right column and no number. This module
collects those rows into one table so that an empty result is never silent:
the step that writes it (:mod:`netinnov.steps.empty_results`) logs every row, the run ends with the count
(``Snakefile`` ``onsuccess``) and ``reports/index.html`` leads with it.

One row per (kind, model, wave, scope, reason):

- ``kind`` — ``case_model`` (``models:``; ``fit.csv``/``coefficients.csv``)
  or ``dyadic_model`` (``dyadic_models:``; ``qap.csv``);
- ``model`` — the model's name (empty for the "nothing configured" row);
- ``wave`` — ``pooled`` or the wave of a per-wave fit;
- ``scope`` — case models: ``pooled`` / ``per wave`` (with ``lagged`` or
  ``standardized`` appended); dyadic models: ``pooled`` or ``per case``;
- ``estimators`` — the estimators without an estimate, ``;``-joined;
- ``n_fits`` / ``n_fits_total`` — fits without an estimate / all fits of
  that model, wave and scope (e.g. 8 of 10 cases);
- ``model_empty`` — true when the model has no estimate anywhere in the run;
- ``reason`` — the error or note the fit left (``not fitted:`` prefixes dropped).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

__all__ = ["EMPTY_COLUMNS", "empty_results", "headline"]

log = logging.getLogger(__name__)

#: Columns of ``models/empty_results.csv``.
EMPTY_COLUMNS = [
    "kind", "model", "wave", "scope", "estimators", "n_fits", "n_fits_total", "model_empty", "reason",
]  # fmt: skip

_LABEL = {"case_model": "case-level model", "dyadic_model": "dyadic model"}
#: Reasons that mean a model names a column the dataset does not have.
_MISSING_COLUMN = r"columns not in the features|unknown actor attribute|actor attribute \S+ missing"
_NO_REASON = "no finite estimate (no error or note was recorded)"


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").fillna("").str.strip()


def _clean_reason(text: str) -> str:
    text = str(text).strip()
    while text.lower().startswith("not fitted:"):
        text = text[len("not fitted:"):].strip()
    return text or _NO_REASON


def _first(values: pd.Series) -> str:
    return next((v for v in values if v), "")


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(False, index=frame.index)
    return _text(frame[column]).str.lower().isin(["true", "1", "yes"])


def _case_rows(coefficients: pd.DataFrame, fit: pd.DataFrame) -> pd.DataFrame:
    """Fits of ``fit.csv`` with an error or without a finite coefficient."""
    if fit is None or not len(fit):
        return pd.DataFrame(columns=EMPTY_COLUMNS)
    key = ["model", "wave", "lagged", "standardized", "estimator"]
    fit = fit.copy()
    for col in key:
        fit[col] = _text(fit[col]) if col in fit.columns else ""
    coefs = coefficients.copy() if coefficients is not None else pd.DataFrame(columns=key + ["estimate"])
    for col in key:
        coefs[col] = _text(coefs[col]) if col in coefs.columns else ""
    estimate = pd.to_numeric(coefs.get("estimate", pd.Series(dtype=float)), errors="coerce")
    estimated = set(map(tuple, coefs.loc[np.isfinite(estimate.to_numpy(dtype=float)), key].to_numpy()))
    error = _text(fit["error"]) if "error" in fit.columns else pd.Series("", index=fit.index)
    has_estimate = pd.Series([tuple(r) in estimated for r in fit[key].to_numpy()], index=fit.index)
    empty = (error != "") | ~has_estimate
    scope = np.where(fit["wave"] == "pooled", "pooled", "per wave")
    scope = pd.Series(scope, index=fit.index)
    scope = scope.where(~_flag(fit, "lagged"), scope + ", lagged")
    scope = scope.where(~_flag(fit, "standardized"), scope + ", standardized")
    fit["scope"] = scope
    warning = _text(fit["warning"]) if "warning" in fit.columns else pd.Series("", index=fit.index)
    fit["reason"] = [_clean_reason(e or w) for e, w in zip(error, warning, strict=True)]
    fit["empty"] = empty
    fit["kind"] = "case_model"
    fit["fit_estimator"] = fit["estimator"]
    model_has_estimate = fit.loc[~empty, "model"].unique()
    rows = []
    for (model, wave, sc), group in fit.groupby(["model", "wave", "scope"], sort=False):
        bad = group[group["empty"]]
        for reason, part in bad.groupby("reason", sort=False):
            rows.append({
                "kind": "case_model", "model": model, "wave": wave, "scope": sc,
                "estimators": ";".join(dict.fromkeys(part["fit_estimator"])),
                "n_fits": len(part), "n_fits_total": len(group),
                "model_empty": model not in model_has_estimate, "reason": reason,
            })  # fmt: skip
    return pd.DataFrame(rows, columns=EMPTY_COLUMNS)


def _dyadic_rows(qap: pd.DataFrame) -> pd.DataFrame:
    """Fits of ``qap.csv`` (model x wave x case or pooled) without a finite estimate."""
    if qap is None or not len(qap):
        return pd.DataFrame(columns=EMPTY_COLUMNS)
    q = qap.copy()
    for col in ("model", "case_id", "wave", "estimator", "note", "dropped_reasons"):
        q[col] = _text(q[col]) if col in q.columns else ""
    q["finite"] = np.isfinite(pd.to_numeric(q.get("estimate"), errors="coerce").to_numpy(dtype=float))
    fits = (
        q.groupby(["model", "wave", "case_id"], sort=False)
        .agg(finite=("finite", "any"), note=("note", _first), dropped=("dropped_reasons", _first),
             estimator=("estimator", "first"))
        .reset_index()
    )  # fmt: skip
    fits["scope"] = np.where(fits["case_id"] == "pooled", "pooled", "per case")
    # the dyads that left the design say why too few actors were left (e.g. an attribute missing);
    # the counts behind the last ':' vary by case, so only the reasons are kept
    dropped = [", ".join(dict.fromkeys(p.rsplit(":", 1)[0].strip() for p in d.split(";") if p.strip()))
               for d in fits["dropped"]]
    fits["reason"] = [_clean_reason(n) + (f" (dropped: {d})" if d and n else "")
                      for n, d in zip(fits["note"], dropped, strict=True)]
    model_has_estimate = fits.loc[fits["finite"], "model"].unique()
    rows = []
    for (model, wave, sc), group in fits.groupby(["model", "wave", "scope"], sort=False):
        bad = group[~group["finite"]]
        for reason, part in bad.groupby("reason", sort=False):
            rows.append({
                "kind": "dyadic_model", "model": model, "wave": wave, "scope": sc,
                "estimators": ";".join(dict.fromkeys(v for v in part["estimator"] if v)),
                "n_fits": len(part), "n_fits_total": len(group),
                "model_empty": model not in model_has_estimate, "reason": reason,
            })  # fmt: skip
    return pd.DataFrame(rows, columns=EMPTY_COLUMNS)


def empty_results(
    coefficients: pd.DataFrame | None,
    fit: pd.DataFrame | None,
    qap: pd.DataFrame | None,
) -> pd.DataFrame:
    """The empty-results table (:data:`EMPTY_COLUMNS`) of one run's model tables.

    A case-level fit is empty when its ``fit.csv`` row has an ``error`` or no
    ``coefficients.csv`` row of the same model, wave, lagged, standardized
    and estimator has a finite estimate. A dyadic fit (``qap.csv`` rows of one
    model, wave and case — or ``pooled``) is empty when none of its terms has
    a finite estimate. When a whole table is empty (no model of that kind
    configured) one row says so, with an empty ``model``.
    """
    parts = [_case_rows(coefficients, fit), _dyadic_rows(qap)]
    for kind, table, key in (("case_model", fit, "models"), ("dyadic_model", qap, "dyadic_models")):
        if table is None or not len(table):
            parts.append(pd.DataFrame([{
                "kind": kind, "model": "", "wave": "", "scope": "", "estimators": "", "n_fits": 0,
                "n_fits_total": 0, "model_empty": True,
                "reason": f"no {_LABEL[kind]} in this run (config {key}: is empty or absent)",
            }], columns=EMPTY_COLUMNS))  # fmt: skip
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=EMPTY_COLUMNS)
    out = pd.concat(parts, ignore_index=True)[EMPTY_COLUMNS]
    out["model_empty"] = out["model_empty"].astype(bool)
    out["n_fits"] = out["n_fits"].astype(int)
    out["n_fits_total"] = out["n_fits_total"].astype(int)
    return out.sort_values(["model_empty", "kind"], ascending=[False, True], kind="stable").reset_index(drop=True)


def headline(table: pd.DataFrame) -> str:
    """One line: how many models produced no estimate at all, and how many fits are empty."""
    if table is None or not len(table):
        return "every model fit produced an estimate"
    named = table[table["model"].astype(str) != ""]
    models = named.loc[named["model_empty"].astype(bool), ["kind", "model"]].drop_duplicates()
    unconfigured = table[table["model"].astype(str) == ""]
    bits = []
    if len(models):
        bits.append(f"{len(models)} model{'s' if len(models) != 1 else ''} produced no estimate")
    partial = named[~named["model_empty"].astype(bool)]
    if len(partial):
        n = int(partial["n_fits"].sum())
        bits.append(f"{n} fit{'s' if n != 1 else ''} of models with estimates produced none")
    if len(unconfigured):
        bits.append(" and ".join(f"no {_LABEL[k]} configured" for k in unconfigured["kind"]))
    return "; ".join(bits)


