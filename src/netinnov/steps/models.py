"""Entry points of the models stage.

- :func:`run_models` fits and cross-validates the case-level ``models`` and
  writes ``coefficients.csv``, ``fit.csv``, ``cv_scores.csv``, ``importance.csv``;
- :func:`~netinnov.steps.qap.run_qap` fits the ``dyadic_models`` and writes ``qap.csv``;
- :func:`run_case_models` is what ``netinnov case-models`` runs (rule ``case_models``):
  it reads the panel tables, writes ``features.csv`` and the case-level tables;
  :func:`run_dyadic_models` is what ``netinnov dyadic`` runs (every wave's dyadic
  models in one process; the rules split it, :mod:`netinnov.steps.dyadic_chunks`);
  :func:`run_all_models` calls both.

Column lists: :data:`~netinnov.models.glm.COEFFICIENT_COLUMNS`,
:data:`~netinnov.models.glm.FIT_COLUMNS`,
:data:`~netinnov.models.predict.CV_COLUMNS`,
:data:`~netinnov.models.predict.IMPORTANCE_COLUMNS`,
:data:`~netinnov.models.qap.QAP_COLUMNS`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netinnov.io.formulas import guard
from netinnov.metrics.multiple_testing import coefficient_qvalues
from netinnov.models.features import case_features, unavailable_tie_features
from netinnov.models.glm import SMALL_CLUSTER_MAX, fit_glms
from netinnov.models.predict import cross_validate_models
from netinnov.models.spec import parse_dyadic_models, parse_models
from netinnov.networks import CaseNetwork
from netinnov.options import ModelOptions
from netinnov.steps.qap import run_qap

__all__ = ["run_models", "run_qap", "run_all_models", "networks_from_tables"]

log = logging.getLogger(__name__)


def run_models(
    features: pd.DataFrame,
    models_config: Sequence[Mapping[str, Any]] | None,
    *,
    seed: int,
    out_dir: Path | str | None = None,
    waves: Sequence[str] | None = None,
    small_cluster_max: int = SMALL_CLUSTER_MAX,
    paths: Mapping[str, Path | str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Fit and cross-validate every configured case-level model.

    Parameters
    ----------
    features
        Output of :func:`~netinnov.models.features.case_features`.
    models_config
        The ``models`` list of the config (validated here; an invalid entry
        raises :class:`~netinnov.models.spec.ModelConfigError` before any work).
    seed
        Config seed for the cross-validation splits, estimators and
        permutation importance.
    out_dir
        Directory for the four tables, named ``<table>.csv`` (created if
        needed); or
    paths
        the path of each table (``coefficients``, ``fit``, ``cv_scores``,
        ``importance``), as the pipeline's rule gives them.
    waves
        Wave order (lagged models); default: natural order of the labels.
    small_cluster_max
        Config key: CR2 with Satterthwaite df for pooled fits with at most
        this many cases (:mod:`netinnov.models.small_cluster`).

    Returns
    -------
    dict
        The written tables under ``coefficients``, ``fit``, ``cv_scores``,
        ``importance``. Models that fail leave rows with an ``error``/``note``.
    """
    specs = parse_models(models_config)
    coefficients, fit = fit_glms(
        features, specs, waves=waves, small_cluster_max=small_cluster_max
    )
    # once more over the whole table: the families are model x wave x lagged x
    # standardized (x estimator), whichever step added the rows
    coefficients["q_value"] = coefficient_qvalues(coefficients)
    cv_scores, importance = cross_validate_models(features, specs, seed=seed, waves=waves)
    tables = {
        "coefficients": coefficients,
        "fit": fit,
        "cv_scores": cv_scores,
        "importance": importance,
    }
    if paths is None:
        if out_dir is None:
            raise ValueError("give out_dir or paths")
        paths = {name: Path(out_dir) / f"{name}.csv" for name in tables}
    for name, table in tables.items():
        path = Path(paths[name])
        path.parent.mkdir(parents=True, exist_ok=True)
        guard(table).to_csv(path, index=False, lineterminator="\n")  # neutralize_formulas
    return tables


def networks_from_tables(
    ties: pd.DataFrame,
    actors: pd.DataFrame,
    *,
    directed: bool,
    group_attribute: str = "sector",
    group_labels: Sequence[str] | None = None,
) -> dict[str, CaseNetwork]:
    """Rebuild the case networks of one wave from its result tables.

    Every actor row of a case (``actors.csv``, isolates included) becomes a
    node, in sorted id order; every ``ties.csv`` row of the case a tie with all
    its columns. Ties whose ends are not actors of the case are dropped with a
    warning. The actors' other columns become the node attributes.
    """
    if group_labels is not None:
        labels = tuple(group_labels)
    elif group_attribute in actors.columns:
        labels = tuple(sorted(actors[group_attribute].dropna().astype(str).unique()))
    else:
        labels = ()
    code = {label: i for i, label in enumerate(labels)}
    ties_by_case = (
        dict(tuple(ties.groupby(ties["case_id"].astype(str), sort=False))) if len(ties) else {}
    )
    out: dict[str, CaseNetwork] = {}
    for case_id, rows in actors.groupby(actors["case_id"].astype(str), sort=True):
        rows = rows.drop_duplicates("actor_id")
        ids = np.array(sorted(rows["actor_id"].astype(str)), dtype=object)
        pos = pd.Series(np.arange(len(ids)), index=pd.Index(ids))
        attrs = (
            rows.assign(actor_id=rows["actor_id"].astype(str)).set_index("actor_id").reindex(ids)
        )
        if group_attribute in attrs.columns:
            groups = attrs[group_attribute].map(
                lambda v: code.get(str(v), -1) if pd.notna(v) else -1
            )
            groups = groups.to_numpy(dtype=np.int64)
        else:
            groups = np.full(len(ids), -1, dtype=np.int64)
        t = ties_by_case.get(case_id, pd.DataFrame(columns=["source", "target", "weight"])).copy()
        src = pos.reindex(t["source"].astype(str)).to_numpy(dtype=float)
        tgt = pos.reindex(t["target"].astype(str)).to_numpy(dtype=float)
        ok = np.isfinite(src) & np.isfinite(tgt) & (src != tgt)
        if (~ok).any():
            log.warning(
                "case %s: %d ties join actors not listed in actors.csv; left out",
                case_id,
                int((~ok).sum()),
            )
        t, src, tgt = (
            t.loc[ok].reset_index(drop=True),
            src[ok].astype(np.int64),
            tgt[ok].astype(np.int64),
        )
        if not directed:
            src, tgt = np.minimum(src, tgt), np.maximum(src, tgt)
        t["source_index"], t["target_index"] = src, tgt
        t["source"], t["target"] = ids[src], ids[tgt]
        t["weight"] = pd.to_numeric(t.get("weight", 1.0), errors="coerce")
        drop = [c for c in ("wave", "case_id", group_attribute) if c in attrs.columns]
        out[case_id] = CaseNetwork(
            case_id=case_id,
            actors=ids,
            groups=groups,
            group_labels=labels,
            directed=directed,
            ties=t,
            attributes=attrs.drop(columns=drop),
            group_attribute=group_attribute,
        )
    return out


def run_case_models(
    *,
    cases: Path | str,
    actors: Path | str,
    waves: Sequence[str],
    out_features: Path | str,
    out_coefficients: Path | str,
    out_fit: Path | str,
    out_cv_scores: Path | str,
    out_importance: Path | str,
    options: ModelOptions | Mapping[str, Any],
) -> None:
    """Case-level models: the features, coefficients, fit, cv_scores and importance tables.

    Reads ``cases`` and ``actors`` (``panel/cases.csv``, ``panel/actors.csv``);
    every path is the rule's. Options (config keys): ``models``, ``seed`` and, optionally, ``small_cluster_max``,
    ``feature_aggregates`` (rules for :func:`~netinnov.models.features.case_features`)
    and ``tie_class`` (a within-case split withholds the strong-tie shares:
    :func:`~netinnov.models.features.unavailable_tie_features`).
    """
    from netinnov.io.result_tables import read_table, write_table

    options = ModelOptions.of(options)
    waves = [str(w) for w in waves]
    models_config = list(options.models)
    unavailable = unavailable_tie_features(dataclasses.asdict(options.tie_class))
    parse_models(models_config, unavailable=unavailable)  # fail on a bad entry before any work
    features = case_features(
        read_table(Path(cases)), read_table(Path(actors)), aggregates=list(options.feature_aggregates),
        unavailable=unavailable,
    )
    write_table(features, Path(out_features))
    run_models(
        features,
        models_config,
        seed=options.seed,
        waves=waves,
        small_cluster_max=options.small_cluster_max,
        paths={"coefficients": out_coefficients, "fit": out_fit, "cv_scores": out_cv_scores,
               "importance": out_importance},
    )


def run_dyadic_models(
    results: Path | str, waves: Sequence[str], *, options: ModelOptions | Mapping[str, Any]
) -> None:
    """Dyadic MRQAP models: ``models/qap.csv``.

    Reads ``panel/actors.csv`` and ``waves/<wave>/ties.csv`` under ``results``.
    The relations (``tie``, ``weight``, ...) and ``edgecov(previous_*)`` are
    the reported interactions: ties that rest on co-attendance only (``layer
    == "coattendance"``, under ``coattendance: merge``) are left out.
    Options (config keys): ``dyadic_models``, ``seed``, ``directed``,
    ``group_attribute``.
    """
    from netinnov.io.result_tables import read_table

    options = ModelOptions.of(options)
    results = Path(results)
    waves = [str(w) for w in waves]
    dyadic_config = list(options.dyadic_models)
    dyadic = parse_dyadic_models(dyadic_config)
    actors = read_table(results / "panel" / "actors.csv")
    directed = options.directed
    group_attribute = options.group_attribute
    networks: dict[str, dict[str, CaseNetwork]] = {}
    if dyadic:
        labels = (
            sorted(actors[group_attribute].dropna().astype(str).unique())
            if group_attribute in actors.columns
            else []
        )
        for wave in waves:
            ties = read_table(results / "waves" / wave / "ties.csv")
            if "layer" in ties.columns:  # choices only: co-attendance is opportunity
                ties = ties[ties["layer"].astype(str) != "coattendance"]
            networks[wave] = networks_from_tables(
                ties,
                actors[actors["wave"].astype(str) == wave],
                directed=directed,
                group_attribute=group_attribute,
                group_labels=labels,
            )
    run_qap(
        networks, actors, dyadic_config, seed=options.seed, out_dir=results / "models", waves=waves
    )


def run_all_models(
    results: Path | str, waves: Sequence[str], *, options: ModelOptions | Mapping[str, Any]
) -> None:
    """Both stages: :func:`run_case_models` then :func:`run_dyadic_models`."""
    options = ModelOptions.of(options)
    results = Path(results)
    panel, models = results / "panel", results / "models"
    run_case_models(
        cases=panel / "cases.csv", actors=panel / "actors.csv", waves=waves, options=options,
        **{f"out_{name}": models / f"{name}.csv" for name in ("features", "coefficients", "fit", "cv_scores",
                                                             "importance")},
    )
    run_dyadic_models(results, waves, options=options)
