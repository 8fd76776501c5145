"""Cross-validated prediction of case outcomes with scikit-learn pipelines.

The same model entry that gives a regression (:mod:`netinnov.models.glm`)
gives pipelines here, so that explanation and out-of-sample prediction are
judged on the same cases and variables:

- ``baseline``: the base rate (``DummyClassifier(strategy="prior")``) or the
  mean (``DummyRegressor``) — the score a model must beat;
- ``regularized``: a mildly L2-penalised GLM — ``LogisticRegression(C=1)``
  (binary), ``PoissonRegressor(alpha=1e-3)`` (counts; penalty on the mean
  deviance), ``Ridge(alpha=1)`` (continuous and ordinal);
- ``forest``: ``RandomForestClassifier/Regressor`` (100 trees, otherwise defaults);
- ``boosting``: ``HistGradientBoostingClassifier/Regressor``.

Every pipeline is ``interactions → ColumnTransformer(StandardScaler on numeric
columns [regularized only], OneHotEncoder on categorical ones) → estimator``,
so scaling and encoding are learnt inside each training fold (no leakage).
Interaction terms ``a:b`` of numeric variables become product columns in the
first, stateless step; function terms such as ``np.log(n_actors)`` are
evaluated row by row before the split.

Cross-validation is grouped by case — a case (with all its waves) is never in
both a training and a test fold — using ``StratifiedGroupKFold`` for binary
outcomes and ``GroupKFold`` otherwise, shuffled, repeated ``cv_repeats`` times
with seeds derived from the config seed. Scores on the held-out folds: AUC and
log-loss (binary); RMSE and R² (counts, continuous, and ordinal outcomes, which
are treated as continuous — the ``note`` column says so). Permutation
importance (Breiman 2001; ``sklearn.inspection.permutation_importance``) is
computed on every held-out fold (AUC for binary outcomes, RMSE otherwise; the
importance is the loss of score when a column is shuffled) and averaged over
folds, repeats and shuffles.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from netinnov.config import derive_seed

from ._threads import single_blas_thread
from .glm import Sample, prepare_samples
from .spec import ModelSpec

__all__ = [
    "CV_COLUMNS",
    "IMPORTANCE_COLUMNS",
    "task_of",
    "design_frame",
    "build_pipeline",
    "grouped_splits",
    "cross_validate_model",
    "cross_validate_models",
]

#: Columns of ``cv_scores.csv`` (SPEC columns first).
CV_COLUMNS = [
    "model", "outcome", "metric", "mean", "std", "folds", "estimator", "repeats", "n_scores",
    "n", "n_dropped", "n_groups", "task", "wave", "note", "dropped_reasons",
]  # fmt: skip
#: Columns of ``importance.csv``.
IMPORTANCE_COLUMNS = [
    "model", "outcome", "estimator", "feature", "importance_mean", "importance_std", "scoring",
    "n_scores", "wave",
]  # fmt: skip

_STATEFUL = re.compile(r"\b(center|standardize|scale|bs|cr|cc|te)\s*\(")
_CATEGORICAL = re.compile(r"^C\(\s*([A-Za-z_]\w*)\s*(,.*)?\)$")


def task_of(family: str) -> str:
    """``binary`` for logit, ``count`` for Poisson/NB, else ``continuous``."""
    if family == "logit":
        return "binary"
    if family in ("poisson", "negative_binomial"):
        return "count"
    return "continuous"


def _as_text(series: pd.Series) -> pd.Series:
    """Category labels as a plain object column (fast to index, any pandas version)."""
    return pd.Series(series.astype(str).to_numpy(dtype=object), index=series.index, dtype=object)


def design_frame(
    sample: Sample,
) -> tuple[pd.DataFrame, list[str], list[str], list[tuple[str, ...]], list[str]]:
    """The input table of the pipelines for one sample.

    Returns
    -------
    X, numeric, categorical, products, notes
        ``X`` holds one column per variable (raw columns, or evaluated
        function terms named by their code); ``products`` lists the numeric
        interactions to form inside the pipeline.
    """
    import patsy

    data = sample.data
    desc = patsy.ModelDesc.from_formula("y ~ " + " + ".join(sample.terms))
    columns: dict[str, pd.Series] = {}
    categorical: dict[str, None] = {}
    products: list[tuple[str, ...]] = []
    notes: list[str] = []

    def factor_column(code: str) -> str | None:
        code = code.strip()
        match = _CATEGORICAL.match(code)
        if match:
            name = match.group(1)
            columns[name] = _as_text(data[name])
            categorical[name] = None
            return name
        if code in data.columns:
            series = data[code]
            if pd.api.types.is_numeric_dtype(series):
                columns[code] = series.astype(float)
            else:
                columns[code] = _as_text(series)
                categorical[code] = None
            return code
        if _STATEFUL.search(code):
            notes.append(f"{code} is a stateful transform and is left out of the prediction")
            return None
        values = patsy.dmatrix(f"0 + {code}", data, return_type="dataframe", NA_action="raise")
        if values.shape[1] != 1:
            notes.append(
                f"{code} gives {values.shape[1]} columns and is left out of the prediction"
            )
            return None
        columns[code] = pd.Series(values.iloc[:, 0].to_numpy(dtype=float), index=data.index)
        return code

    for term in desc.rhs_termlist:
        names = [factor_column(f.code) for f in term.factors]
        if len(names) < 2 or any(n is None for n in names):
            continue
        if any(n in categorical for n in names):
            notes.append(
                f"interaction {term.name()} involves a categorical variable; only its main effects enter"
            )
            continue
        products.append(tuple(names))  # type: ignore[arg-type]
    X = pd.DataFrame(columns, index=data.index)
    numeric = [c for c in X.columns if c not in categorical]
    return X, numeric, list(categorical), products, notes


def _add_products(X: pd.DataFrame, products: Sequence[tuple[str, ...]] = ()) -> pd.DataFrame:
    """Stateless step: append the product column ``a:b`` of each interaction."""
    if not products:
        return X
    extra = {
        ":".join(p): np.prod([X[c].to_numpy(dtype=float) for c in p], axis=0) for p in products
    }
    return X.assign(**extra)


def _estimator(name: str, task: str, seed: int) -> Any:
    from sklearn.dummy import DummyClassifier, DummyRegressor
    from sklearn.ensemble import (
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
        RandomForestClassifier,
        RandomForestRegressor,
    )
    from sklearn.linear_model import LogisticRegression, PoissonRegressor, Ridge

    binary = task == "binary"
    if name == "baseline":
        return DummyClassifier(strategy="prior") if binary else DummyRegressor(strategy="mean")
    if name == "regularized":
        if binary:
            return LogisticRegression(C=1.0, max_iter=5000)
        if task == "count":
            return PoissonRegressor(alpha=1e-3, max_iter=5000)
        return Ridge(alpha=1.0)
    if name == "forest":
        cls = RandomForestClassifier if binary else RandomForestRegressor
        return cls(n_estimators=100, random_state=seed, n_jobs=1)
    if name == "boosting":
        cls = HistGradientBoostingClassifier if binary else HistGradientBoostingRegressor
        return cls(random_state=seed)
    raise ValueError(f"unknown estimator {name!r}")


def build_pipeline(
    estimator: str,
    task: str,
    *,
    numeric: Sequence[str],
    categorical: Sequence[str],
    products: Sequence[tuple[str, ...]] = (),
    seed: int = 0,
):
    """The scikit-learn pipeline of one estimator.

    ``interactions`` (stateless products) → ``prepare`` (a ColumnTransformer:
    ``StandardScaler`` on the numeric and product columns for the
    regularized GLM, passed through for trees; ``OneHotEncoder`` with
    unknown categories ignored) → ``estimator``.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    numeric_all = list(numeric) + [":".join(p) for p in products]
    scale = estimator == "regularized"
    parts = []
    if numeric_all:
        parts.append(("numeric", StandardScaler() if scale else "passthrough", numeric_all))
    if categorical:
        parts.append(
            (
                "categorical",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                list(categorical),
            )
        )
    prepare = ColumnTransformer(parts, remainder="drop", verbose_feature_names_out=False)
    return Pipeline(
        [
            (
                "interactions",
                FunctionTransformer(_add_products, kw_args={"products": list(products)}),
            ),
            ("prepare", prepare),
            ("estimator", _estimator(estimator, task, seed)),
        ]
    )


def grouped_splits(
    y: np.ndarray, groups: np.ndarray, *, task: str, n_splits: int, seed: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Train/test index pairs of one shuffled, grouped K-fold pass.

    ``StratifiedGroupKFold`` for binary outcomes (class balance kept as far
    as the groups allow), ``GroupKFold`` otherwise; the number of folds is
    capped at the number of groups. A group never appears on both sides.
    """
    from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

    n_groups = len(np.unique(groups))
    k = min(n_splits, n_groups)
    if k < 2:
        raise ValueError(f"grouped cross-validation needs at least 2 groups, got {n_groups}")
    if task == "binary":
        splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    else:
        try:
            splitter = GroupKFold(n_splits=k, shuffle=True, random_state=seed)
        except TypeError:  # scikit-learn < 1.6: shuffle the group labels instead
            rng = np.random.default_rng(seed)
            uniq = np.unique(groups)
            relabel = dict(zip(uniq, rng.permutation(len(uniq)), strict=True))
            groups = np.array([relabel[g] for g in groups])
            splitter = GroupKFold(n_splits=k)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The least populated class")
        yield from splitter.split(np.zeros(len(y)), y, groups)


def _scores(task: str, y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import log_loss, mean_squared_error, r2_score, roc_auc_score

    if task == "binary":
        auc = roc_auc_score(y, pred) if len(np.unique(y)) == 2 else np.nan
        return {
            "roc_auc": auc,
            "log_loss": log_loss(y, np.clip(pred, 1e-15, 1 - 1e-15), labels=[0, 1]),
        }
    rmse = float(np.sqrt(mean_squared_error(y, pred)))
    r2 = r2_score(y, pred) if len(y) > 1 and np.ptp(y) > 0 else np.nan
    return {"rmse": rmse, "r2": r2}


def cross_validate_model(
    features: pd.DataFrame,
    spec: ModelSpec | Mapping[str, Any],
    *,
    seed: int,
    waves: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Repeated grouped cross-validation of one configured model.

    Parameters
    ----------
    features
        Output of :func:`~netinnov.models.features.case_features`.
    spec
        The model entry; its ``estimators``, ``cv_folds``, ``cv_repeats`` and
        ``importance_repeats`` keys set the work done.
    seed
        Config seed; each repeat, estimator and permutation draws its own
        seed from it and the model name (:func:`~netinnov.config.derive_seed`).

    Returns
    -------
    cv_scores, importance
        Tables with :data:`CV_COLUMNS` and :data:`IMPORTANCE_COLUMNS`. ``mean``
        and ``std`` (ddof = 1) are taken over every held-out fold of every
        repeat that gave a score (``n_scores``); a sample that cannot be
        cross-validated gives one row with NaN scores and a ``note``.
    """
    with single_blas_thread():
        return _cross_validate(features, spec, seed=seed, waves=waves)


def _cross_validate(
    features: pd.DataFrame,
    spec: ModelSpec | Mapping[str, Any],
    *,
    seed: int,
    waves: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The body of :func:`cross_validate_model`."""
    from sklearn.inspection import permutation_importance

    if not isinstance(spec, ModelSpec):
        spec = ModelSpec.from_config(spec)
    task = task_of(spec.family)
    metrics = ("roc_auc", "log_loss") if task == "binary" else ("rmse", "r2")
    scoring = "roc_auc" if task == "binary" else "neg_root_mean_squared_error"
    cv_rows: list[dict[str, Any]] = []
    imp_rows: list[dict[str, Any]] = []
    for sample in prepare_samples(features, spec, waves=waves, wave_effects=False):
        base = {
            "model": spec.name,
            "outcome": spec.outcome,
            "repeats": spec.cv_repeats,
            "n": len(sample.data) if not sample.error else 0,
            "n_dropped": sample.n_dropped,
            "dropped_reasons": sample.dropped_reasons,
            "task": task,
            "wave": sample.wave,
        }
        notes = []
        if spec.family == "ordered_logit":
            notes.append("ordinal outcome treated as continuous (RMSE, R²)")

        def fail(reason: str, base: dict[str, Any] = base, notes: list[str] = notes) -> None:
            for est in spec.estimators:
                for metric in metrics:
                    cv_rows.append({"n_groups": 0, **base, "estimator": est, "metric": metric, "mean": np.nan,
                                    "std": np.nan, "folds": 0, "n_scores": 0, "note": "; ".join([*notes, reason])})  # fmt: skip

        if sample.error:
            fail(sample.error)
            continue
        try:
            X, numeric, categorical, products, design_notes = design_frame(sample)
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            fail(f"the terms cannot be evaluated: {exc}")
            continue
        notes += design_notes
        y = sample.data[spec.outcome].to_numpy(dtype=float)
        groups = sample.data["case_id"].to_numpy()
        n_groups = len(np.unique(groups))
        base["n_groups"] = n_groups
        if task == "binary" and (not np.isin(y, (0.0, 1.0)).all() or len(np.unique(y)) < 2):
            fail("the binary outcome must be 0/1 with both classes present")
            continue
        if task == "count" and ((y < 0).any() or not np.all(y == np.round(y))):
            fail("the count outcome must be non-negative integers")
            continue
        if n_groups < 2:
            fail(f"grouped cross-validation needs at least 2 cases, got {n_groups}")
            continue
        if X.shape[1] == 0:
            fail("no usable predictors")
            continue
        k = min(spec.cv_folds, n_groups)
        if k < spec.cv_folds:
            notes.append(f"folds reduced to {k} (number of cases)")
        scores: dict[str, dict[str, list[float]]] = {
            e: {m: [] for m in metrics} for e in spec.estimators
        }
        importances: dict[str, list[np.ndarray]] = {
            e: [] for e in spec.estimators if e != "baseline"
        }
        for rep in range(spec.cv_repeats):
            split_seed = derive_seed(seed, spec.name, sample.wave, "split", rep)
            for fold, (train, test) in enumerate(
                grouped_splits(y, groups, task=task, n_splits=k, seed=split_seed)
            ):
                for est in spec.estimators:
                    est_seed = derive_seed(seed, spec.name, sample.wave, est, rep, fold)
                    pipe = build_pipeline(
                        est,
                        task,
                        numeric=numeric,
                        categorical=categorical,
                        products=products,
                        seed=est_seed,
                    )
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        pipe.fit(X.iloc[train], y[train])
                        if task == "binary":
                            pred = pipe.predict_proba(X.iloc[test])[
                                :, list(pipe.classes_).index(1.0)
                            ]
                        else:
                            pred = pipe.predict(X.iloc[test])
                    for metric, value in _scores(task, y[test], pred).items():
                        if np.isfinite(value):
                            scores[est][metric].append(float(value))
                    if est == "baseline" or spec.importance_repeats == 0:
                        continue
                    if task == "binary" and len(np.unique(y[test])) < 2:
                        continue
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        result = permutation_importance(
                            pipe,
                            X.iloc[test],
                            y[test],
                            scoring=scoring,
                            n_repeats=spec.importance_repeats,
                            random_state=derive_seed(
                                seed, spec.name, sample.wave, est, rep, fold, "importance"
                            ),
                        )
                    importances[est].append(result.importances)
        for est in spec.estimators:
            for metric in metrics:
                values = np.asarray(scores[est][metric])
                cv_rows.append(
                    {
                        **base,
                        "estimator": est,
                        "metric": metric,
                        "mean": float(values.mean()) if len(values) else np.nan,
                        "std": float(values.std(ddof=1)) if len(values) > 1 else np.nan,
                        "folds": k,
                        "n_scores": len(values),
                        "note": "; ".join(notes),
                    }
                )
            if importances.get(est):
                stacked = np.concatenate(
                    importances[est], axis=1
                )  # features × (folds·repeats·shuffles)
                for j, feature in enumerate(X.columns):
                    imp_rows.append(
                        {
                            "model": spec.name,
                            "outcome": spec.outcome,
                            "estimator": est,
                            "feature": feature,
                            "importance_mean": float(stacked[j].mean()),
                            "importance_std": float(stacked[j].std(ddof=1))
                            if stacked.shape[1] > 1
                            else np.nan,
                            "scoring": scoring,
                            "n_scores": len(importances[est]),
                            "wave": sample.wave,
                        }
                    )
    return (
        pd.DataFrame(cv_rows).reindex(columns=CV_COLUMNS),
        pd.DataFrame(imp_rows).reindex(columns=IMPORTANCE_COLUMNS),
    )


def cross_validate_models(
    features: pd.DataFrame,
    specs: Sequence[ModelSpec],
    *,
    seed: int,
    waves: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`cross_validate_model` for every spec with ``predict: true``."""
    cv, imp = [], []
    for spec in specs:
        if not spec.predict:
            continue
        c, i = cross_validate_model(features, spec, seed=seed, waves=waves)
        cv.append(c)
        imp.append(i)
    cv_frame = pd.concat(cv, ignore_index=True) if cv else pd.DataFrame(columns=CV_COLUMNS)
    imp_nonempty = [i for i in imp if len(i)]
    imp_frame = (
        pd.concat(imp_nonempty, ignore_index=True)
        if imp_nonempty
        else pd.DataFrame(columns=IMPORTANCE_COLUMNS)
    )
    return cv_frame, imp_frame
