r"""Recovery of the planted effects by the pipeline's case-level GLMs, under attrition.

Over :math:`N` seeded datasets of generator v2 (case random effects that
persist over waves, attrition between waves), :func:`run_recovery` fits the
pooled case-level models the pipeline fits — :func:`netinnov.models.glm.fit_glms`,
logit for ``implemented``, ordered logit for ``radicalness``, Poisson for
``diffusion``, cluster-robust by case — and reports how often the 95 %
intervals cover the planted effects and how often a planted zero is rejected
at :math:`\alpha = 0.05`.

**Features.** The right-hand side is the generator's *latent* quantities of
the observed case-waves (``true_cases.csv``: true role presence, roster
evenness, latent cross-sector work, roster size), under the names of the
pipeline proxies they stand for (``convener_present`` … ``sector_blau``,
``cross_sector_tie_share``, ``n_actors``), with ``wave`` as a factor. This is
the truth-consistent shortcut the task allows: the pipeline's own measures
(validation, wave tables, :func:`netinnov.models.features.case_features`) are
proxies measured with error, whose coefficients are attenuated by design
(``tests/models/test_recovery.py`` checks their signs); running them would
take about a minute per dataset. What is tested here is the estimator and its
inference on the data the generator plants, after attrition.

**Which truth.** The pooled GLM has no case effect, so it estimates the
population-averaged effects (Zeger, Liang & Albert 1988): coverage is
reported against :func:`netinnov.simulate.outcomes.marginal_effects`
(``covered``) and, for reference, against the conditional effects of the
latent model (``covered_conditional``; below nominal for the logit and
ordered logit whenever ``case_effect_sd`` > 0).

**Monte Carlo error.** A per-term rate :math:`\hat p` over :math:`N` datasets
has MC standard error :math:`\sqrt{\hat p(1-\hat p)/N}`; an overall rate (many
terms per dataset, correlated within a dataset) the standard deviation over
datasets of the per-dataset rate divided by :math:`\sqrt N` (Morris, White &
Crowther 2019).

**Lagged models.** The same models with ``lagged: true`` (right-hand side at
wave :math:`t-1`) are fitted too, only to count rows: a case-wave enters a
lagged model only when the case is also observed in the wave before, so
attrition removes rows beyond the first wave's. ``lagged_rows_lost`` is
:math:`n_{cases}(W-1) - n_{lagged}`, the rows a complete panel would have
had; ``n_dropped`` what ``fit.csv`` reports (missing values only).

References
----------
Morris, T. P., White, I. R., & Crowther, M. J. (2019). Using simulation
studies to evaluate statistical methods. *Statistics in Medicine*, 38(11),
2074–2102.
Zeger, S. L., Liang, K.-Y., & Albert, P. S. (1988). Models for longitudinal
data: a generalized estimating equation approach. *Biometrics*, 44(4),
1049–1060.
Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to
cluster-robust inference. *Journal of Human Resources*, 50(2), 317–372.
"""

from __future__ import annotations

import multiprocessing
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .attrition import DEFAULT_ACTOR_DROPOUT, DEFAULT_CASE_DROPOUT, DEFAULT_INFORMATIVE_DROPOUT
from .outcomes import CASE_EFFECT_SD, marginal_effects

__all__ = [
    "LATENT_FEATURES",
    "MODELS",
    "RecoverySettings",
    "latent_features",
    "model_specs",
    "recover_one",
    "run_recovery",
    "summarise",
]

#: term of the pipeline proxy -> column of the latent quantity in ``true_cases.csv``
LATENT_FEATURES = {
    "convener_present": "convener_present",
    "facilitator_present": "facilitator_present",
    "catalyst_present": "catalyst_present",
    "sector_blau": "diversity",
    "cross_sector_tie_share": "cross_sector_work",
    "n_actors": "n_actors",
}
#: The pipeline's default case-level models (config/config.yaml): (name, outcome, family).
MODELS = (
    ("implemented_logit", "implemented", "logit"),
    ("radicalness_ordered", "radicalness", "ordered_logit"),
    ("diffusion_poisson", "diffusion", "poisson"),
)
_ALPHA = 0.05


@dataclass(frozen=True)
class RecoverySettings:
    """One recovery scenario: the generator's arguments and the number of datasets."""

    n_datasets: int = 60
    seed: int = 20261202
    n_cases: int = 100
    n_waves: int = 3
    case_effect_sd: float = CASE_EFFECT_SD
    case_dropout: float = DEFAULT_CASE_DROPOUT
    actor_dropout: float = DEFAULT_ACTOR_DROPOUT
    informative_dropout: float = DEFAULT_INFORMATIVE_DROPOUT
    processes: int = 2


def latent_features(true_cases: pd.DataFrame) -> pd.DataFrame:
    """Case features from ``true_cases.csv``: outcomes and the latent quantities under their proxies' names."""
    out = true_cases[["wave", "case_id", "implemented", "radicalness", "diffusion"]].copy()
    out["wave"] = out["wave"].astype(str)
    out["case_id"] = out["case_id"].astype(str)
    for term, column in LATENT_FEATURES.items():
        out[term] = true_cases[column].astype(float)
    return out


def model_specs(*, lagged: bool = False) -> list[Any]:
    """The pooled models of :data:`MODELS` on the latent features (wave factor unless lagged)."""
    from netinnov.models.spec import ModelSpec

    predictors = [t for t in LATENT_FEATURES if t != "n_actors"]
    specs = []
    for name, outcome, family in MODELS:
        entry: dict[str, Any] = {
            "name": name + ("_lagged" if lagged else ""), "outcome": outcome, "family": family,
            "predictors": predictors, "controls": ["n_actors"], "pooled": True, "lagged": lagged,
            "predict": False,
        }
        if "wave_effects" in ModelSpec.KEYS:  # the pipeline adds wave dummies itself
            entry["wave_effects"] = not lagged
        elif not lagged:
            entry["controls"] = ["n_actors", "wave"]
        if "regression_estimators" in ModelSpec.KEYS:
            entry["regression_estimators"] = ["glm"]
        specs.append(ModelSpec.from_config(entry))
    return specs


def _glm_rows(coefficients: pd.DataFrame) -> pd.DataFrame:
    rows = coefficients[~coefficients["standardized"].astype(bool)]
    if "estimator" in rows.columns:
        rows = rows[rows["estimator"].fillna("glm") == "glm"]
    return rows


def recover_one(seed: int, settings: RecoverySettings, workdir: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Generate one dataset, fit the pooled and the lagged models, compare with the truth.

    Returns
    -------
    dict
        ``terms``: one row per (outcome, term) with ``estimate, ci_low,
        ci_high, p_value, true_effect, marginal_effect, covered,
        covered_conditional, rejected``; ``fits``: one row per model with
        ``n, n_dropped, n_clusters, error`` and, for the lagged models,
        ``lagged_rows_lost``; ``panel``: observed case-waves per wave.
    """
    from netinnov.models.features import lagged_features
    from netinnov.models.glm import fit_glms

    from .dataset import simulate_dataset

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        data = Path(tmp) / "data"
        simulate_dataset(
            data, seed=seed, n_cases=settings.n_cases, n_waves=settings.n_waves, bad_rows=False,
            case_effect_sd=settings.case_effect_sd, case_dropout=settings.case_dropout,
            actor_dropout=settings.actor_dropout, informative_dropout=settings.informative_dropout,
        )
        true_cases = pd.read_csv(data / "true_cases.csv", dtype={"case_id": str, "wave": str})
        truth = pd.read_csv(data / "true_effects.csv")
    features = latent_features(true_cases)
    waves = [f"w{k + 1}" for k in range(settings.n_waves)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        coefficients, fit = fit_glms(features, model_specs(), waves=waves)
        lag_coefs, lag_fit = fit_glms(features, model_specs(lagged=True), waves=waves)
    truth = truth.assign(marginal_effect=marginal_effects(truth))
    terms = truth.merge(_glm_rows(coefficients), on=["outcome", "term"], how="inner", validate="one_to_one")
    terms = terms.assign(
        covered=(terms["ci_low"] <= terms["marginal_effect"]) & (terms["marginal_effect"] <= terms["ci_high"]),
        covered_conditional=(terms["ci_low"] <= terms["true_effect"]) & (terms["true_effect"] <= terms["ci_high"]),
        rejected=terms["p_value"] < _ALPHA,
        seed=seed,
    )[["seed", "outcome", "term", "family_x", "true_effect", "marginal_effect", "estimate", "std_error", "ci_low",
       "ci_high", "p_value", "covered", "covered_conditional", "rejected"]].rename(columns={"family_x": "family"})
    n_pairs = len(lagged_features(features, waves, []))
    full = settings.n_cases * (settings.n_waves - 1)
    fits = pd.concat([fit.assign(lagged_rows_lost=np.nan), lag_fit.assign(lagged_rows_lost=full - n_pairs)],
                     ignore_index=True)
    fits = fits[["model", "outcome", "lagged", "n", "n_dropped", "n_clusters", "lagged_rows_lost", "error"]]
    fits = fits.assign(seed=seed, error=fits["error"].fillna(""))
    panel = true_cases.groupby("wave").size().reindex(waves, fill_value=0).rename("cases").reset_index()
    return {"terms": terms, "fits": fits, "panel": panel.assign(seed=seed)}


def _one(args: tuple[int, dict[str, Any], str | None]) -> dict[str, pd.DataFrame]:
    seed, settings, workdir = args
    return recover_one(seed, RecoverySettings(**settings), workdir)


def run_recovery(settings: RecoverySettings | None = None, workdir: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """:func:`recover_one` over ``settings.n_datasets`` seeds ``seed, seed + 1, …`` (in ``processes`` processes).

    Returns the stacked ``terms``, ``fits`` and ``panel`` tables of every
    dataset (in seed order, whatever the number of processes) and their
    :func:`summarise` tables ``by_term`` and ``overall``.
    """
    settings = settings or RecoverySettings()
    if settings.n_datasets < 1:
        raise ValueError(f"n_datasets must be at least 1, got {settings.n_datasets}")
    jobs = [(settings.seed + k, asdict(settings), None if workdir is None else str(workdir))
            for k in range(settings.n_datasets)]
    if settings.processes > 1 and len(jobs) > 1:
        context = multiprocessing.get_context("spawn")  # no fork of a process holding BLAS threads
        with ProcessPoolExecutor(max_workers=settings.processes, mp_context=context) as pool:
            results = list(pool.map(_one, jobs))
    else:
        results = [_one(job) for job in jobs]
    out = {key: pd.concat([r[key] for r in results], ignore_index=True) for key in ("terms", "fits", "panel")}
    out.update(summarise(out["terms"], out["fits"], settings))
    return out


def _rate(flags: pd.Series) -> tuple[float, float]:
    n = int(flags.notna().sum())
    p = float(flags.mean()) if n else np.nan
    return p, float(np.sqrt(p * (1 - p) / n)) if n else np.nan


def _clustered_rate(flags: pd.Series, seeds: pd.Series) -> tuple[float, float, int]:
    """Overall rate and its MC error from the spread of the per-dataset rates."""
    per = flags.astype(float).groupby(seeds).mean()
    if per.empty:
        return np.nan, np.nan, 0
    se = float(per.std(ddof=1) / np.sqrt(len(per))) if len(per) > 1 else np.nan
    return float(flags.mean()), se, int(len(flags))


def summarise(terms: pd.DataFrame, fits: pd.DataFrame, settings: RecoverySettings) -> dict[str, pd.DataFrame]:
    """Per-term and overall coverage, rejection of planted zeros and lagged-model row counts, with MC errors.

    ``by_term``: per (outcome, term) the number of datasets, mean estimate,
    marginal truth, bias, coverage (``coverage``, ``coverage_mcse``), the
    conditional-truth coverage and the rejection rate (``rejection``,
    ``rejection_mcse``; the size of the test when the true effect is 0, its
    power otherwise). ``overall``: rows ``coverage`` (every term with a
    truth), ``coverage_conditional``, ``null_rejection`` (terms with a true
    zero), ``fit_failures``, ``lagged_rows_lost`` (mean per dataset and
    model), ``lagged_n`` and ``pooled_n`` (mean rows per model).
    """
    rows = []
    for (outcome, term), g in terms.groupby(["outcome", "term"], sort=False):
        cov, cov_se = _rate(g["covered"])
        rej, rej_se = _rate(g["rejected"])
        rows.append({
            "outcome": outcome, "term": term, "n_datasets": len(g), "true_effect": g["true_effect"].iloc[0],
            "marginal_effect": g["marginal_effect"].iloc[0], "mean_estimate": g["estimate"].mean(),
            "bias": g["estimate"].mean() - g["marginal_effect"].iloc[0],
            "coverage": cov, "coverage_mcse": cov_se,
            "coverage_conditional": g["covered_conditional"].mean(),
            "rejection": rej, "rejection_mcse": rej_se,
        })
    by_term = pd.DataFrame(rows)
    zero = terms[terms["true_effect"] == 0]
    overall = []
    for name, flags, seeds in (
        ("coverage", terms["covered"], terms["seed"]),
        ("coverage_conditional", terms["covered_conditional"], terms["seed"]),
        ("null_rejection", zero["rejected"], zero["seed"]),
    ):
        value, se, n = _clustered_rate(flags, seeds)
        overall.append({"measure": name, "value": value, "mcse": se, "n": n})
    failed = fits["error"] != ""
    overall.append({"measure": "fit_failures", "value": float(failed.mean()), "mcse": np.nan, "n": len(fits)})
    lagged = fits[fits["lagged"].astype(bool)]
    pooled = fits[~fits["lagged"].astype(bool)]
    for name, values in (("lagged_rows_lost", lagged["lagged_rows_lost"]), ("lagged_n", lagged["n"]),
                         ("pooled_n", pooled["n"])):
        values = values.astype(float)
        se = float(values.std(ddof=1) / np.sqrt(len(values))) if len(values) > 1 else np.nan
        overall.append({"measure": name, "value": float(values.mean()), "mcse": se, "n": len(values)})
    overall_frame = pd.DataFrame(overall)
    for key, value in asdict(settings).items():
        overall_frame[key] = value
    return {"by_term": by_term, "overall": overall_frame}
