"""Case-level features for the models: one row per (wave, case).

The features join the per-case table (``panel/cases.csv``) with summaries of
the per-actor table (``panel/actors.csv``): brokerage summaries, the presence
and strength of the leadership roles of Ansell & Gash (2012) — convener,
facilitator, catalyst — and any actor attribute aggregated by a config rule.
Everything else of ``cases.csv`` (outcomes, case covariates) is carried over.

Missing optional input columns never stop the run: the derived column is left
out or filled with NaN, and a note is logged and kept in ``frame.attrs["notes"]``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from netinnov.contract import LEADERSHIP_ROLES

from .spec import ModelConfigError

__all__ = [
    "AGGREGATIONS",
    "RELATIVE_TIE_FEATURES",
    "LEADERSHIP_ROLES",
    "case_features",
    "lagged_features",
    "unavailable_tie_features",
]

log = logging.getLogger(__name__)

#: The leadership roles (Ansell & Gash 2012; Crosby & Bryson 2010).
#: Aggregations allowed in ``aggregates`` rules.
AGGREGATIONS = ("mean", "median", "min", "max", "sum", "std", "nunique", "share", "count")

_KEY = ["wave", "case_id"]

#: Case columns that count ties by their strong/weak class.
RELATIVE_TIE_FEATURES = ("strong_tie_share", "weak_tie_share", "weak_cross_sector_tie_share")


def unavailable_tie_features(tie_class: Mapping[str, Any] | None) -> dict[str, str]:
    """The strong/weak-share features a ``tie_class`` config makes meaningless, with the reason.

    With ``method: quantile`` a tie is strong relative to the other ties of
    its case: about a share :math:`1 - q` of every case's ties is strong by
    construction, so ``strong_tie_share``, ``weak_tie_share`` and
    ``weak_cross_sector_tie_share`` describe the rule, not the case, and are
    not offered as model features. With the default ``method: absolute``
    (a fixed threshold on the fixed strength scale) nothing is withheld.
    """
    if str((tie_class or {}).get("method", "absolute")) != "quantile":
        return {}
    reason = (
        "tie_class.method is quantile, a within-case split that makes about the same share of every "
        "case's ties strong by construction, so the share says nothing about the case; use "
        "tie_class.method: absolute (a fixed threshold on the fixed strength scale) to model it"
    )
    return dict.fromkeys(RELATIVE_TIE_FEATURES, reason)


def _note(notes: list[str], text: str) -> None:
    notes.append(text)
    log.warning(text)


def _keyed(frame: pd.DataFrame, name: str, notes: list[str]) -> pd.DataFrame:
    out = frame.copy()
    if "case_id" not in out.columns:
        raise ValueError(f"{name} has no case_id column")
    if "wave" not in out.columns:
        _note(notes, f"{name} has no wave column; all rows are taken as one wave 'all'")
        out["wave"] = "all"
    out["wave"] = out["wave"].astype(str)
    out["case_id"] = out["case_id"].astype(str)
    return out


def _validate_rule(rule: Mapping[str, Any], position: int) -> dict[str, Any]:
    if not isinstance(rule, Mapping):
        raise ModelConfigError(f"aggregates[{position}]: expected a mapping, got {rule!r}")
    unknown = sorted(set(rule) - {"column", "agg", "name", "value"})
    if unknown:
        raise ModelConfigError(
            f"aggregates[{position}]: unknown keys {unknown}; known: column, agg, name, value"
        )
    if "column" not in rule or "agg" not in rule:
        raise ModelConfigError(f"aggregates[{position}]: 'column' and 'agg' are required")
    agg = str(rule["agg"])
    if agg not in AGGREGATIONS:
        raise ModelConfigError(
            f"aggregates[{position}]: agg must be one of {list(AGGREGATIONS)}, got {agg!r}"
        )
    if agg == "share" and "value" not in rule:
        raise ModelConfigError(
            f"aggregates[{position}]: agg 'share' needs a 'value' (the share of actors equal to it)"
        )
    name = str(rule.get("name") or f"{agg}_{rule['column']}")
    return {"column": str(rule["column"]), "agg": agg, "name": name, "value": rule.get("value")}


def _aggregate(actors: pd.DataFrame, rule: dict[str, Any]) -> pd.Series:
    col, agg = rule["column"], rule["agg"]
    key = [actors["wave"], actors["case_id"]]
    if agg in ("share", "count") and rule["value"] is not None:
        values = actors[col]
        target = rule["value"]
        hit = (
            values.astype(str) == str(target)
            if not isinstance(target, int | float)
            else values == target
        )
        hit = hit.where(values.notna())
        grouped = hit.astype(float).groupby(key)
        return grouped.mean() if agg == "share" else grouped.sum(min_count=0)
    if agg == "count":
        return actors[col].notna().groupby(key).sum()
    if agg == "nunique":
        return actors[col].groupby(key).nunique()
    values = pd.to_numeric(actors[col], errors="coerce")
    return getattr(values.groupby(key), agg)()


def _role_presence(actors: pd.DataFrame) -> pd.DataFrame:
    """0/1 per (wave, case): did any actor report the role? ``reported_roles``
    is a ``;``-joined list of roles (case-insensitive)."""
    text = actors["reported_roles"].astype("string").fillna("").str.lower()
    key = [actors["wave"], actors["case_id"]]
    out = {}
    for role in LEADERSHIP_ROLES:
        has = text.str.contains(rf"(?:^|;)\s*{role}\s*(?:;|$)", regex=True).astype(float)
        out[f"{role}_present"] = has.groupby(key).max()
    return pd.DataFrame(out)


def case_features(
    panel_cases: pd.DataFrame,
    panel_actors: pd.DataFrame,
    *,
    aggregates: Sequence[Mapping[str, Any]] | None = None,
    unavailable: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per (wave, case) with structure, leadership and outcome columns.

    Parameters
    ----------
    panel_cases
        ``panel/cases.csv``: ``wave, case_id`` and the SPEC case columns
        (``n_actors, density, strong_tie_share, weak_tie_share,
        local_bridge_share, sector_blau, ei, collaboration_type``) plus outcome
        and covariate columns, all of which are carried over unchanged.
    panel_actors
        ``panel/actors.csv``: ``wave, case_id, actor_id`` and the SPEC actor
        columns (``betweenness, constraint, convener_score, …,
        reported_roles``).
    aggregates
        Extra actor-attribute summaries, each a rule
        ``{"column": c, "agg": a, "name": out, "value": v}`` with ``a`` one of
        ``mean, median, min, max, sum, std`` (numeric, NaN skipped), ``nunique``,
        ``count`` (non-missing values, or actors equal to ``value``) or
        ``share`` (the proportion of actors with a known value equal to
        ``value``). ``name`` defaults to ``"<agg>_<column>"``.

    Returns
    -------
    pandas.DataFrame
        ``panel_cases`` (sorted by wave, case) plus

        - ``log_n_actors`` :math:`= \\ln n` (NaN for :math:`n \\le 0`);
        - ``mean_betweenness, max_betweenness`` — mean and maximum raw
          betweenness of the case's actors; ``mean_constraint`` — mean Burt
          constraint over actors with a defined value (isolates excluded);
        - ``convener_present, facilitator_present, catalyst_present`` —
          1 when at least one actor of the case reported the role, else 0
          (kept from ``panel_cases`` when already there);
        - ``max_convener_score, max_facilitator_score, max_catalyst_score``;
        - one column per ``aggregates`` rule.

        A case with no actor rows gets NaN in every actor-based column. The
        notes on missing inputs are in ``result.attrs["notes"]``.

    Raises
    ------
    ValueError
        If ``case_id`` is missing or a (wave, case) appears twice in ``panel_cases``.
    """
    notes: list[str] = []
    cases = _keyed(panel_cases, "cases", notes)
    actors = _keyed(panel_actors, "actors", notes)
    if cases.duplicated(_KEY).any():
        dup = cases.loc[cases.duplicated(_KEY, keep=False), _KEY].drop_duplicates().head(3)
        raise ValueError(f"cases has repeated (wave, case_id) rows, e.g. {dup.to_dict('records')}")
    rules = [_validate_rule(r, i) for i, r in enumerate(aggregates or [])]

    if "n_actors" not in cases.columns:
        _note(notes, "cases has no n_actors column; counted from the actor rows")
        cases = cases.merge(
            actors.groupby(_KEY).size().rename("n_actors").reset_index(), on=_KEY, how="left"
        )
    for col in (
        "density",
        *(c for c in ("strong_tie_share", "weak_tie_share") if c not in (unavailable or {})),
        "local_bridge_share",
        "sector_blau",
        "ei",
        "collaboration_type",
    ):
        if col not in cases.columns:
            _note(notes, f"cases has no {col} column; the feature is missing")
    n_actors = pd.to_numeric(cases["n_actors"], errors="coerce").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cases["log_n_actors"] = np.where(
            n_actors > 0, np.log(np.where(n_actors > 0, n_actors, 1.0)), np.nan
        )

    derived: dict[str, pd.Series] = {}
    key = [actors["wave"], actors["case_id"]]
    for col, aggs in (("betweenness", ("mean", "max")), ("constraint", ("mean",))):
        if col in actors.columns:
            values = pd.to_numeric(actors[col], errors="coerce")
            for agg in aggs:
                derived[f"{agg}_{col}"] = getattr(values.groupby(key), agg)()
        else:
            _note(
                notes,
                f"actors has no {col} column; {', '.join(f'{a}_{col}' for a in aggs)} missing",
            )
    for role in LEADERSHIP_ROLES:
        col = f"{role}_score"
        if col in actors.columns:
            derived[f"max_{col}"] = pd.to_numeric(actors[col], errors="coerce").groupby(key).max()
        else:
            _note(notes, f"actors has no {col} column; max_{col} missing")
    need_presence = [r for r in LEADERSHIP_ROLES if f"{r}_present" not in cases.columns]
    if need_presence:
        if "reported_roles" in actors.columns:
            presence = _role_presence(actors)
            for role in need_presence:
                derived[f"{role}_present"] = presence[f"{role}_present"]
        else:
            _note(
                notes,
                "actors has no reported_roles column and cases no <role>_present columns; role presence missing",
            )
    for rule in rules:
        if rule["name"] in cases.columns or rule["name"] in derived:
            raise ModelConfigError(
                f"aggregates: the name {rule['name']!r} is already a feature column"
            )
        if rule["column"] not in actors.columns:
            _note(notes, f"actors has no {rule['column']} column; aggregate {rule['name']} is NaN")
            derived[rule["name"]] = pd.Series(dtype=float)
            continue
        derived[rule["name"]] = _aggregate(actors, rule)

    for name in [n for n in derived if n in cases.columns]:
        _note(notes, f"cases already has a {name} column; it is kept and not recomputed")
        del derived[name]
    if derived:
        table = pd.DataFrame(derived)
        table.index = table.index.set_names(_KEY)
        cases = cases.merge(table.reset_index(), on=_KEY, how="left")
    for name, reason in (unavailable or {}).items():
        if name in cases.columns:
            _note(notes, f"{name} is not offered as a feature: {reason}")
            cases = cases.drop(columns=[name])
    front = _KEY + [c for c in cases.columns if c not in _KEY]
    out = cases[front].sort_values(_KEY, kind="stable").reset_index(drop=True)
    out.attrs["notes"] = notes
    return out


def lagged_features(
    features: pd.DataFrame, waves: Sequence[str], predictors: Sequence[str]
) -> pd.DataFrame:
    """Predictors at wave :math:`t-1` beside everything at wave :math:`t`.

    For each pair of consecutive waves :math:`(w_{k-1}, w_k)` in ``waves``,
    the rows of wave :math:`w_k` are joined (inner join on ``case_id``) with
    the ``predictors`` of wave :math:`w_{k-1}`, renamed ``<name>_lag``. Only
    cases observed in both waves appear. The result keeps ``wave`` (= t) and
    adds ``wave_from`` (= t−1); the pairs are stacked.

    Parameters
    ----------
    features
        Output of :func:`case_features`.
    waves
        The wave order (labels as in the ``wave`` column, compared as text).
    predictors
        Columns to lag. Missing ones are noted in ``result.attrs["notes"]``
        and skipped.

    Returns
    -------
    pandas.DataFrame
        Empty (with the expected columns) when fewer than two waves are given.
    """
    notes: list[str] = []
    frame = _keyed(features, "features", notes)
    waves = [str(w) for w in waves]
    present = [p for p in dict.fromkeys(predictors) if p in frame.columns]
    for p in dict.fromkeys(predictors):
        if p not in frame.columns:
            _note(notes, f"features have no {p} column; {p}_lag missing")
    lag_cols = {p: f"{p}_lag" for p in present}
    pieces = []
    for before, after in zip(waves[:-1], waves[1:], strict=True):
        prev = frame.loc[frame["wave"] == before, ["case_id", *present]].rename(columns=lag_cols)
        cur = frame.loc[frame["wave"] == after]
        joined = cur.merge(prev, on="case_id", how="inner")
        joined.insert(1, "wave_from", before)
        pieces.append(joined)
    if pieces:
        out = pd.concat(pieces, ignore_index=True)
    else:
        out = frame.iloc[0:0].assign(
            wave_from=pd.Series(dtype=object),
            **{v: pd.Series(dtype=float) for v in lag_cols.values()},
        )
    out.attrs["notes"] = notes
    return out
