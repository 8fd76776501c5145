"""Validity figures of the constructs, computed from result tables.

Each function takes the tables of one wave (``actors.csv``, ``cases.csv``,
the wave's reported roles, the tie-strength diagnostics) and, where a dataset
carries its planted truth (``true_roles.csv``, ``true_cases.csv``, written by
``netinnov simulate``), the truth of that wave; it returns tidy rows, one per
figure, with the columns of :data:`COLUMNS`:

``construct``
    ``role_presence`` (case level), ``role_scores`` (actor level),
    ``collaboration_type``, ``mixing_test``, ``tie_strength``.
``measure``
    What the value is: ``auc`` (area under the ROC curve: the probability
    that a holder scores above a non-holder, ties counting one half; Hanley &
    McNeil 1982), ``correlation`` (Pearson, across actors), ``agreement``
    (share of cases whose type equals the criterion), ``rejection_rate``
    (share of cases with p < 0.05), ``cronbach_alpha``,
    ``first_component_share``, ``flag_rate`` (share of cases flagged),
    ``size_correlation`` (Pearson, across the cases without the role, of the
    presence score with the log of the case's size: near 0 when presence
    does not merely track size).
``criterion``
    What the measure is compared with: ``reported`` (survey reports,
    ``roles.csv``), ``planted`` (the generator's truth) or ``none``.
``subject``
    The role, the pair of roles (``convener~facilitator``), the p-value
    column, the tie-strength indicator, or ``all``.
``value, ci_low, ci_high, n``
    The figure, a 95 % percentile bootstrap interval where one is computed
    (cases resampled; Field & Welsh 2007), and the number of units it rests on.
``target, meets_target``
    The validity target of the construct (:data:`TARGETS`) and whether the
    value meets it (empty where no target applies).

References
----------
Field, C. A., & Welsh, A. H. (2007). Bootstrapping clustered data. *JRSS B*,
69(3), 369–390.
Hanley, J. A., & McNeil, B. J. (1982). The meaning and use of the area under a
receiver operating characteristic (ROC) curve. *Radiology*, 143, 29–36.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netinnov.metrics.role_validity import role_validity
from netinnov.metrics.roles import LEADERSHIP_ROLES, _auc_with_interval

__all__ = [
    "COLUMNS",
    "TARGETS",
    "mixing_figures",
    "role_figures",
    "tie_strength_figures",
    "type_figures",
]

#: Columns of every validity table, in order.
COLUMNS = [
    "source", "wave", "construct", "measure", "criterion", "subject",
    "value", "ci_low", "ci_high", "n", "target", "meets_target",
]

#: ``(construct, measure, criterion) -> (bound, value)``: the value must be at
#: least (``">="``) or at most (``"<="``) the target.
TARGETS: dict[tuple[str, str, str], tuple[str, float]] = {
    ("role_presence", "auc", "planted"): (">=", 0.75),
    ("role_presence", "auc", "reported"): (">=", 0.75),
    ("role_scores", "correlation", "none"): ("<=", 0.5),
    ("collaboration_type", "agreement", "planted"): (">=", 0.85),
    ("mixing_test", "rejection_rate", "planted_null"): ("<=", 0.06),
}

_ALPHA = 0.05


def _row(construct, measure, criterion, subject, value, *, ci=(np.nan, np.nan), n=0) -> dict:
    bound, target = TARGETS.get((construct, measure, criterion), (None, np.nan))
    value = float(value) if value is not None else np.nan
    if bound is None or not np.isfinite(value):
        meets = None
    elif bound == ">=":
        meets = bool(value >= target)
    else:
        meets = bool(abs(value) <= target) if measure == "correlation" else bool(value <= target)
    return {
        "construct": construct, "measure": measure, "criterion": criterion, "subject": subject,
        "value": value, "ci_low": float(ci[0]), "ci_high": float(ci[1]), "n": int(n),
        "target": target, "meets_target": meets,
    }


def _frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=[c for c in COLUMNS if c not in ("source", "wave")])
    out["meets_target"] = out["meets_target"].astype(object)
    return out


def _role_rows(roles: pd.DataFrame | None) -> pd.DataFrame:
    if roles is None or not len(roles):
        return pd.DataFrame({"case_id": [], "actor_id": [], "role": []}, dtype=object)
    return pd.DataFrame({
        "case_id": roles["case_id"].astype(str).to_numpy(dtype=object),
        "actor_id": roles["actor_id"].astype(str).to_numpy(dtype=object),
        "role": roles["role"].astype(str).str.strip().str.lower().to_numpy(dtype=object),
    })


def _holders(frame: pd.DataFrame, roles: pd.DataFrame, role: str, keys: list[str]) -> np.ndarray:
    """1 where the row's ``keys`` (case, or case and actor) hold ``role`` in ``roles``."""
    held = roles.loc[roles["role"] == role, keys].drop_duplicates()
    if not len(held):
        return np.zeros(len(frame), dtype=np.int64)
    index = pd.MultiIndex.from_frame(held.astype(str))
    mine = pd.MultiIndex.from_frame(frame[keys].astype(str))
    return mine.isin(index).astype(np.int64)


def role_figures(
    actors: pd.DataFrame,
    cases: pd.DataFrame,
    roles: pd.DataFrame | None,
    *,
    criterion: str,
    surveyed: set[str] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    r"""How well the role scores find the role holders, per actor and per case.

    ``roles`` are the holders of the criterion (``case_id, actor_id, role``):
    the survey's (``criterion="reported"``) or the planted ones
    (``"planted"``). Only the cases in ``surveyed`` are evaluated (default:
    the cases with a row in ``roles``), because an unsurveyed case has no
    known non-holder.

    Rows: per role, the case-level AUC of the presence score
    ``<role>_max_score`` (cases.csv) against the case having a holder
    (construct ``role_presence``), the share of cases flagged
    ``<role>_inferred`` among cases with and without a holder
    (``flag_rate``, subjects ``<role>|holder`` and ``<role>|no_holder``), and
    the actor-level AUC of ``<role>_score`` pooled over the cases
    (``role_scores``; the bootstrap resamples cases with their actors); the
    Pearson correlation of ``<role>_max_score`` with :math:`\log` ``n_actors``
    over the evaluated cases without a holder (``size_correlation``, from
    :func:`netinnov.metrics.role_validity.role_validity` with the cases'
    presence table; no target: it shows whether the presence score tracks
    case size rather than the role). Once
    per wave, the Pearson correlation of every pair of role scores across the
    wave's actors (criterion ``none``; computed on every actor, surveyed or
    not).
    """
    roles = _role_rows(roles)
    evaluated = set(map(str, surveyed)) if surveyed is not None else set(roles["case_id"])
    rows: list[dict] = []
    c = cases[cases["case_id"].astype(str).isin(evaluated)].reset_index(drop=True)
    a = actors[actors["case_id"].astype(str).isin(evaluated)].reset_index(drop=True)
    for offset, role in enumerate(LEADERSHIP_ROLES):
        col = f"{role}_max_score"
        if col in c.columns and len(c):
            y = _holders(c, roles, role, ["case_id"])
            s = pd.to_numeric(c[col], errors="coerce").to_numpy(dtype=float)
            ok = np.isfinite(s)
            auc, lo, hi, _ = _auc_with_interval(
                y[ok], s[ok], np.arange(int(ok.sum())), n_boot=n_boot, seed=seed + offset
            )
            rows.append(_row("role_presence", "auc", criterion, role, auc, ci=(lo, hi), n=ok.sum()))
            flag = f"{role}_inferred"
            if flag in c.columns:
                f = pd.to_numeric(c[flag], errors="coerce").to_numpy(dtype=float)
                for label, sel in (("holder", y == 1), ("no_holder", y == 0)):
                    rate = np.nanmean(f[sel]) if sel.any() else np.nan
                    rows.append(_row("role_presence", "flag_rate", criterion, f"{role}|{label}", rate, n=sel.sum()))
        col = f"{role}_score"
        if col in a.columns and len(a):
            y = _holders(a, roles, role, ["case_id", "actor_id"])
            s = pd.to_numeric(a[col], errors="coerce").to_numpy(dtype=float)
            ok = np.isfinite(s)
            clusters = pd.factorize(a["case_id"].astype(str).to_numpy()[ok])[0]
            auc, lo, hi, _ = _auc_with_interval(y[ok], s[ok], clusters, n_boot=n_boot, seed=seed + 10 + offset)
            rows.append(_row("role_scores", "auc", criterion, role, auc, ci=(lo, hi), n=ok.sum()))
    rows.extend(_size_rows(a, c, roles, criterion))
    if criterion != "planted":  # once per wave (the planted and reported rows share the actors)
        scores = actors[[f"{r}_score" for r in LEADERSHIP_ROLES if f"{r}_score" in actors.columns]].apply(
            pd.to_numeric, errors="coerce"
        )
        for i, r1 in enumerate(LEADERSHIP_ROLES):
            for r2 in LEADERSHIP_ROLES[i + 1:]:
                c1, c2 = f"{r1}_score", f"{r2}_score"
                if c1 not in scores or c2 not in scores:
                    continue
                pair = scores[[c1, c2]].dropna()
                r = pair[c1].corr(pair[c2]) if len(pair) > 2 else np.nan
                rows.append(_row("role_scores", "correlation", "none", f"{r1}~{r2}", r, n=len(pair)))
    return _frame(rows)


def _size_rows(actors: pd.DataFrame, cases: pd.DataFrame, roles: pd.DataFrame, criterion: str) -> list[dict]:
    """``size_correlation`` rows of :func:`role_figures` (role-free cases only)."""
    needed = {"case_id", "actor_id", *(f"{r}_score" for r in LEADERSHIP_ROLES)}
    if not len(cases) or not len(actors) or not needed <= set(actors.columns) or "n_actors" not in cases.columns:
        return []
    keep = ["case_id", "n_actors", *(f"{r}_max_score" for r in LEADERSHIP_ROLES if f"{r}_max_score" in cases.columns)]
    scores = actors[sorted(needed)].copy()
    for r in LEADERSHIP_ROLES:
        scores[f"{r}_score"] = pd.to_numeric(scores[f"{r}_score"], errors="coerce")
    v = role_validity(scores, roles, presence=cases[keep], n_boot=0)
    v = v[v["measure"] == "size_correlation"]
    return [_row("role_presence", "size_correlation", criterion, r["role"], r["value"], n=r["n"]) for _, r in v.iterrows()]


def type_figures(cases: pd.DataFrame, truth: pd.DataFrame | None) -> pd.DataFrame:
    """Collaboration types: their distribution, and agreement with the planted type.

    Rows: the share of cases of each type (``measure="share"``, criterion
    ``none``); with ``truth`` (``case_id, collaboration_type``), the share of
    cases whose type equals the planted one (``agreement``, subject ``all``)
    and the same share within each planted type (subject = that type: the
    sensitivity of each class).
    """
    rows: list[dict] = []
    if "collaboration_type" not in cases.columns or not len(cases):
        return _frame(rows)
    types = cases["collaboration_type"].astype(str)
    for label, count in types.value_counts().sort_index().items():
        rows.append(_row("collaboration_type", "share", "none", label, count / len(types), n=len(types)))
    if truth is not None and len(truth):
        joined = cases[["case_id", "collaboration_type"]].astype(str).merge(
            truth[["case_id", "collaboration_type"]].astype(str), on="case_id", suffixes=("", "_planted")
        )
        if len(joined):
            hit = (joined["collaboration_type"] == joined["collaboration_type_planted"]).to_numpy()
            rows.append(_row("collaboration_type", "agreement", "planted", "all", hit.mean(), n=len(hit)))
            for label, sel in joined.groupby("collaboration_type_planted").indices.items():
                # the recall of each planted type: shown, but the target is on the overall agreement
                row = _row("collaboration_type", "agreement", "planted", label, hit[sel].mean(), n=len(sel))
                rows.append({**row, "target": np.nan, "meets_target": None})
    return _frame(rows)


def _wilson(rate: float, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson's 95 % score interval of a binomial proportion (Wilson 1927)."""
    if not n or not np.isfinite(rate):
        return (np.nan, np.nan)
    centre = (rate + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (float(centre - half), float(centre + half))


def mixing_figures(cases: pd.DataFrame, *, null_holds: bool) -> pd.DataFrame:
    """Share of cases whose E-I test rejects at 5 %, for each p-value column,
    with Wilson's 95 % interval.

    On data generated without homophily (``null_holds``, criterion
    ``planted_null``) the share is the test's size and should stay near 5 %
    even when sectors differ in activity; on other data (criterion ``none``)
    it is only descriptive.
    """
    rows: list[dict] = []
    criterion = "planted_null" if null_holds else "none"
    for col in ("ei_p_value", "ei_p_value_conditional"):
        if col not in cases.columns:
            continue
        p = pd.to_numeric(cases[col], errors="coerce").dropna().to_numpy(dtype=float)
        rate = float(np.mean(p < _ALPHA)) if len(p) else np.nan
        rows.append(_row("mixing_test", "rejection_rate", criterion, col, rate, ci=_wilson(rate, len(p)), n=len(p)))
    return _frame(rows)


def _wide_diagnostics(tidy: pd.DataFrame) -> pd.DataFrame:
    """The tidy ``tie_strength_diagnostics.csv`` (``indicator, statistic, value, n_ties``, from
    :func:`netinnov.metrics.tie_agreement.indicator_agreement`) as one row per indicator."""
    names = {"cronbach_alpha": "cronbach_alpha", "pc1_share": "first_component_share",
             "item_total_r": "item_rest_correlation"}  # the corrected item-total r is the item-rest r
    kept = tidy[tidy["statistic"].isin(list(names))].assign(statistic=lambda f: f["statistic"].map(names))
    wide = kept.pivot_table(index="indicator", columns="statistic", values="value", aggfunc="first", dropna=False)
    n = kept.groupby("indicator")["n_ties"].max()
    return wide.reset_index().assign(n_ties=n.reindex(wide.index).to_numpy())


def tie_strength_figures(diagnostics: pd.DataFrame | None) -> pd.DataFrame:
    """Agreement of the tie-strength indicators (``tie_strength_diagnostics.csv``).

    Passes on the table's overall rows (Cronbach's alpha and the variance
    share of the first principal component of the rescaled indicators) and
    its per-indicator item–rest correlations.
    """
    rows: list[dict] = []
    if diagnostics is None or not len(diagnostics):
        return _frame(rows)
    d = _wide_diagnostics(diagnostics) if {"statistic", "value"} <= set(diagnostics.columns) else diagnostics
    n_col = next((c for c in ("n_ties", "n", "n_observed") if c in d.columns), None)
    for measure in ("cronbach_alpha", "first_component_share"):
        if measure in d.columns:
            values = pd.to_numeric(d[measure], errors="coerce").dropna()
            if len(values):
                n = int(pd.to_numeric(d[n_col], errors="coerce").max()) if n_col else 0
                rows.append(_row("tie_strength", measure, "none", "all", values.iloc[0], n=n))
    item = next((c for c in ("item_rest_correlation", "item_total_correlation") if c in d.columns), None)
    if item and "indicator" in d.columns:
        for _, r in d.dropna(subset=[item]).iterrows():
            n = int(r[n_col]) if n_col and pd.notna(r[n_col]) else 0
            rows.append(_row("tie_strength", "item_rest_correlation", "none", str(r["indicator"]), r[item], n=n))
    return _frame(rows)
