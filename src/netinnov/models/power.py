"""Power and minimal detectable effects of the case-level models, by simulation.

The question every reviewer asks of a 30-case study: with *these* cases and
waves, how large must an effect be for the model to detect it? This module
answers it for every configured case-level model
(:class:`~netinnov.models.spec.ModelSpec`) and every predictor term, by
simulating datasets of the user's design and fitting each with the pipeline's
own estimator, :func:`netinnov.models.glm.fit_glm`, so the inference that is
evaluated (CR2 with Satterthwaite df up to ``small_cluster_max`` cases, CR1
with t(G−1) above, HC1 for one wave) is exactly what the user gets.

Method (design-based simulation; Arnold et al. 2011; Green & MacLeod 2016)
------------------------------------------------------------------------
For a model, its estimation sample on the features table
(:func:`~netinnov.models.glm.prepare_samples`: the rows it uses, lagged
variables included) is the template. Each simulated dataset

1. draws ``G`` cases with replacement from the sample's cases (``G``: the
   sample's number of cases, or ``n_cases``), each with all its rows (waves),
   so every right-hand-side variable keeps its distribution, its correlation
   with the other predictors and over the waves (a 0/1 role indicator stays
   0/1) — resampling the user's observed predictor values by case;
2. builds the linear predictor :math:`\\eta = b_0 + \\omega_{t} + u_i +
   \\beta\\, (x - \\bar x)/s_x` for the tested design column :math:`x`
   (:math:`s_x` its SD on the observed sample; for a 0/1 column
   :math:`s_x = 1`, so :math:`\\beta` is the effect of 0 → 1); every other term
   has no effect. :math:`b_0` and the wave effects :math:`\\omega_t` come from
   the observed outcome (link of its mean, overall and per wave);
   :math:`u_i \\sim N(0, \\sigma_u^2)` is a case random intercept with
   intra-class correlation ``icc`` on the latent scale:
   :math:`\\sigma_u^2 = \\frac{icc}{1 - icc}\\sigma_e^2` with
   :math:`\\sigma_e^2 = \\pi^2/3` for logit and ordered logit, 1 on the log
   scale for Poisson and negative binomial (as in Snijders & Bosker 2012,
   ch. 17; Snijders 2005 on power in two-level designs), and for OLS
   :math:`\\sigma_u^2 = icc`, :math:`\\sigma_e^2 = 1 - icc` (so :math:`\\beta`
   is in SDs of the outcome);
3. draws the outcome from the family: Bernoulli(expit η); an ordered
   category by cutting :math:`\\eta + \\text{Logistic}` at thresholds that
   reproduce the observed category shares; Poisson(exp η) (intercept lowered
   by :math:`\\sigma_u^2/2` so that the mean count is kept); NB2 with the
   observed dispersion (moment estimate, at least 0.05) as a gamma–Poisson
   mixture; normal for OLS;
4. is fitted with :func:`~netinnov.models.glm.fit_glm` (the model's own
   formula, pooling, lags and controls) and the term counts as detected when
   its ``p_value`` is below ``alpha``. A fit that fails (separation, one
   outcome class, a singular design, an error) counts as not detected and is
   counted in ``n_failed``: the pipeline would have reported no estimate.

The effect is that of the data-generating model, conditional on the case
random intercept. The pooled logit and ordered logit the pipeline fits estimate
the population-averaged effect, smaller by about
:math:`1/\\sqrt{1 + 0.346\\,\\sigma_u^2}` (Zeger, Liang & Albert 1988), which
is part of why the MDE grows with ``icc``.

The random numbers of a dataset (cases drawn, random intercepts, noise) are the
same at every effect size of the grid (common random numbers), so the power
curve is smooth in the effect; they are seeded with
:func:`netinnov.config.derive_seed` from the config ``seed``, the model name,
wave, term and dataset index: the same inputs give identical tables.

Power at each grid point is the share of datasets detected, with Monte Carlo
standard error :math:`\\sqrt{p(1-p)/R}` (R datasets; Morris, White &
Crowther 2019). The minimal detectable effect (MDE) is the smallest effect with
power at least ``target`` (0.80), linearly interpolated between the two grid
points around the first crossing (:func:`minimal_detectable_effect`); "not
reached" when no grid point reaches it. The effect at 0 is the test's size:
it should be close to ``alpha``.

References
----------
- Arnold BF, Hogan DR, Colford JM, Hubbard AE (2011). Simulation methods to
  estimate design power: an overview for applied research. BMC Medical
  Research Methodology 11:94.
- Green P, MacLeod CJ (2016). SIMR: an R package for power analysis of
  generalized linear mixed models by simulation. Methods in Ecology and
  Evolution 7:493–498.
- Snijders TAB (2005). Power and sample size in multilevel linear models. In
  Everitt & Howell (eds.), Encyclopedia of Statistics in Behavioral Science,
  vol. 3, 1570–1573. Wiley.
- Zeger SL, Liang K-Y, Albert PS (1988). Models for longitudinal data: a
  generalized estimating equation approach. Biometrics 44:1049–1060.
- Morris TP, White IR, Crowther MJ (2019). Using simulation studies to
  evaluate statistical methods. Statistics in Medicine 38:2074–2102.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from netinnov.config import derive_seed

from .glm import SMALL_CLUSTER_MAX, Sample, fit_glm, prepare_samples
from .spec import ModelConfigError, ModelSpec, parse_models

__all__ = [
    "POWER_COLUMNS",
    "SUMMARY_COLUMNS",
    "DEFAULT_GRIDS",
    "PowerSettings",
    "power_settings",
    "model_power",
    "power_tables",
    "minimal_detectable_effect",
    "summarize_power",
]

log = logging.getLogger(__name__)

#: Columns of ``models/power.csv`` (one row per model × wave × term × effect).
POWER_COLUMNS = [
    "model", "outcome", "family", "wave", "term", "effect", "effect_scale", "effect_unit", "power",
    "power_mc_se", "n_datasets", "n_failed", "n_cases", "n_waves", "icc", "alpha", "note",
]  # fmt: skip
#: Columns of ``models/power_summary.csv`` (one row per model × wave × term).
SUMMARY_COLUMNS = [
    "model", "outcome", "family", "wave", "term", "mde", "mde_scale", "effect_unit", "reached",
    "target_power", "n_cases", "n_waves", "icc", "alpha", "n_datasets",
]  # fmt: skip

#: Effect grids (link scale) used when the config gives none, per family.
DEFAULT_GRIDS: dict[str, tuple[float, ...]] = {
    "logit": (0.0, 0.25, 0.5, 1.0, 1.5, 2.0),
    "ordered_logit": (0.0, 0.25, 0.5, 1.0, 1.5, 2.0),
    "poisson": (0.0, 0.1, 0.2, 0.3, 0.5, 0.8),
    "negative_binomial": (0.0, 0.1, 0.2, 0.3, 0.5, 0.8),
    "ols": (0.0, 0.1, 0.2, 0.3, 0.5, 0.8),
}
#: What an effect of 1 means, per family.
EFFECT_UNITS = {
    "logit": "log-odds",
    "ordered_logit": "log cumulative odds",
    "poisson": "log rate",
    "negative_binomial": "log rate",
    "ols": "outcome SD",
}
_LEVEL1_VAR = {
    "logit": np.pi**2 / 3,
    "ordered_logit": np.pi**2 / 3,
    "poisson": 1.0,
    "negative_binomial": 1.0,
}
_NB_ALPHA_MIN = 0.05


@dataclasses.dataclass(frozen=True)
class PowerSettings:
    """The settings of a power run (config ``power:``; see :func:`power_settings`)."""

    datasets: int = 200
    grid: tuple[float, ...] | None = None
    icc: float = 0.3
    alpha: float = 0.05
    target: float = 0.80
    n_cases: int | None = None

    def grid_for(self, family: str) -> tuple[float, ...]:
        """The effect grid of a family (the configured one, else :data:`DEFAULT_GRIDS`)."""
        return tuple(self.grid) if self.grid else DEFAULT_GRIDS[family]


def power_settings(options: Mapping[str, Any] | None = None, **overrides: Any) -> PowerSettings:
    """Validate the config ``power:`` mapping (and command-line overrides).

    Keys: ``datasets`` (≥ 2), ``grid`` (non-negative effects, sorted and
    made unique), ``icc`` (0 ≤ icc < 1), ``alpha`` (0 < alpha < 1), ``power``
    (the target, 0 < power < 1), ``n_cases`` (simulate this many cases instead
    of the observed number; ≥ 2). ``enabled`` is the pipeline's switch and
    ignored here. Overrides that are ``None`` are ignored.
    """
    raw = {k: v for k, v in dict(options or {}).items() if k != "enabled"}
    raw.update({k: v for k, v in overrides.items() if v is not None})
    known = {"datasets", "grid", "icc", "alpha", "power", "n_cases"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ModelConfigError(f"power: unknown keys {unknown}; known keys are {sorted(known)}")
    out = PowerSettings()
    datasets = int(raw.get("datasets", out.datasets))
    if datasets < 2:
        raise ModelConfigError(f"power.datasets must be at least 2, got {datasets}")
    grid = raw.get("grid")
    if grid is not None:
        try:
            values = sorted({float(g) for g in grid})
        except (TypeError, ValueError):
            raise ModelConfigError(f"power.grid must be a list of numbers, got {grid!r}") from None
        if not values or any(not np.isfinite(v) or v < 0 for v in values):
            raise ModelConfigError(f"power.grid must hold non-negative numbers, got {grid!r}")
        grid = tuple(values)
    icc = float(raw.get("icc", out.icc))
    if not 0.0 <= icc < 1.0:
        raise ModelConfigError(f"power.icc must be in [0, 1), got {icc}")
    alpha = float(raw.get("alpha", out.alpha))
    if not 0.0 < alpha < 1.0:
        raise ModelConfigError(f"power.alpha must be in (0, 1), got {alpha}")
    target = float(raw.get("power", out.target))
    if not 0.0 < target < 1.0:
        raise ModelConfigError(f"power.power must be in (0, 1), got {target}")
    n_cases = raw.get("n_cases")
    if n_cases is not None:
        n_cases = int(n_cases)
        if n_cases < 2:
            raise ModelConfigError(f"power.n_cases must be at least 2, got {n_cases}")
    return PowerSettings(
        datasets=datasets, grid=grid, icc=icc, alpha=alpha, target=target, n_cases=n_cases
    )


# ------------------------------------------------------------------ the design
def _fit_spec(spec: ModelSpec, sample: Sample) -> ModelSpec:
    """The spec fitted to a simulated sample: its (lag-renamed) terms, no lags."""
    k = len(spec.predictors)
    return dataclasses.replace(
        spec,
        predictors=tuple(sample.terms[:k]),
        controls=tuple(sample.terms[k:]),
        lagged=False,
        lagged_outcome=False,
        standardize=False,
        predict=False,
        # the power of the pooled GLM's test (the sample's terms already hold
        # the wave effects prepare_samples added)
        regression_estimators=("glm",),
    )


def _tested_columns(spec: ModelSpec, data: pd.DataFrame) -> list[str]:
    """The design columns of the predictors (not the controls or the intercept)."""
    import patsy

    design = patsy.dmatrix(" + ".join(spec.predictors), data, return_type="dataframe")
    return [c for c in design.columns if c != "Intercept"]


def _design(spec: ModelSpec, data: pd.DataFrame) -> pd.DataFrame:
    import patsy

    return patsy.dmatrix(" + ".join(spec.terms), data, return_type="dataframe")


def _link_mean(family: str, y: np.ndarray) -> float:
    """The link of a mean (clipped away from the boundaries)."""
    m = float(np.mean(y))
    if family == "logit":
        return float(special.logit(np.clip(m, 0.05, 0.95)))
    if family in ("poisson", "negative_binomial"):
        return float(np.log(max(m, 0.05)))
    return m


@dataclasses.dataclass
class _Outcome:
    """How the outcome of a family is drawn, fitted to the observed sample."""

    family: str
    icc: float
    base: float = 0.0
    wave_shift: dict[str, float] = dataclasses.field(default_factory=dict)
    cuts: np.ndarray | None = None
    levels: np.ndarray | None = None
    nb_alpha: float = _NB_ALPHA_MIN
    scale: tuple[float, float] = (0.0, 1.0)

    @property
    def sd_u(self) -> float:
        if self.family == "ols":
            return float(np.sqrt(self.icc))
        return float(np.sqrt(self.icc / (1.0 - self.icc) * _LEVEL1_VAR[self.family]))

    @classmethod
    def observed(cls, family: str, y: pd.Series, wave: pd.Series, icc: float) -> _Outcome:
        out = cls(family=family, icc=icc)
        values = (
            np.asarray(y.cat.codes, dtype=float)
            if isinstance(y.dtype, pd.CategoricalDtype)
            else pd.to_numeric(y, errors="coerce").to_numpy(dtype=float)
        )
        waves = wave.astype(str).to_numpy()
        if family == "ordered_logit":
            levels = (
                np.asarray(y.cat.categories)
                if isinstance(y.dtype, pd.CategoricalDtype)
                else np.unique(values)
            )
            codes = np.searchsorted(np.unique(values), values)
            share = np.bincount(codes, minlength=len(levels)) / len(codes)
            cum = np.clip(np.cumsum(share)[:-1], 0.02, 0.98)
            out.levels = levels
            out.cuts = np.maximum.accumulate(special.logit(cum))
            # wave shifts: log-odds of being above the lowest category, per wave
            above = codes > 0
            overall = special.logit(np.clip(above.mean(), 0.05, 0.95))
            for w in np.unique(waves):
                out.wave_shift[w] = float(
                    special.logit(np.clip(above[waves == w].mean(), 0.05, 0.95)) - overall
                )
            return out
        if family == "ols":
            out.scale = (float(np.mean(values)), float(np.std(values, ddof=1)) or 1.0)
            centred = (values - out.scale[0]) / out.scale[1]
            for w in np.unique(waves):
                out.wave_shift[w] = float(centred[waves == w].mean())
            return out
        out.base = _link_mean(family, values)
        for w in np.unique(waves):
            out.wave_shift[w] = _link_mean(family, values[waves == w]) - out.base
        if family in ("poisson", "negative_binomial"):
            out.base -= out.sd_u**2 / 2.0  # E exp(u) = exp(sd_u^2 / 2): keep the mean count
        if family == "negative_binomial":
            m, v = float(np.mean(values)), float(np.var(values, ddof=1))
            out.nb_alpha = max((v - m) / max(m, 1e-9) ** 2, _NB_ALPHA_MIN)
        return out

    def noise(self, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
        """The random numbers of one dataset that do not depend on the effect."""
        draws: dict[str, np.ndarray] = {}
        if self.family in ("logit", "poisson", "negative_binomial"):
            draws["u01"] = rng.random(n)
        if self.family == "ordered_logit":
            draws["e"] = rng.logistic(size=n)
        if self.family == "ols":
            draws["e"] = rng.normal(scale=np.sqrt(1.0 - self.icc), size=n)
        if self.family == "negative_binomial":
            draws["gamma"] = rng.gamma(1.0 / self.nb_alpha, self.nb_alpha, size=n)
        return draws

    def draw(self, eta: np.ndarray, draws: Mapping[str, np.ndarray]) -> np.ndarray:
        """The outcome given the linear predictor (without the intercept) and the noise."""
        eta = eta + self.base
        if self.family == "logit":
            return (draws["u01"] < special.expit(eta)).astype(float)
        if self.family == "poisson":
            mu = np.exp(np.clip(eta, -30, 30))
            return stats.poisson.ppf(draws["u01"], mu).astype(float)
        if self.family == "negative_binomial":
            mu = np.exp(np.clip(eta, -30, 30)) * draws["gamma"]
            return stats.poisson.ppf(draws["u01"], mu).astype(float)
        if self.family == "ordered_logit":
            codes = np.searchsorted(self.cuts, eta + draws["e"], side="right")
            return np.asarray(self.levels)[codes]
        return self.scale[0] + self.scale[1] * (eta + draws["e"])


def _resample(data: pd.DataFrame, rng: np.random.Generator, n_cases: int) -> pd.DataFrame:
    """``n_cases`` cases drawn with replacement, each with all its rows, renamed."""
    cases = pd.unique(data["case_id"])
    chosen = rng.integers(0, len(cases), size=n_cases)
    rows = data.groupby("case_id", sort=False).indices
    parts, labels = [], []
    for j, c in enumerate(chosen):
        idx = rows[cases[c]]
        parts.append(idx)
        labels.append(np.full(len(idx), f"sim{j:04d}", dtype=object))
    out = data.iloc[np.concatenate(parts)].reset_index(drop=True)
    out["case_id"] = np.concatenate(labels)
    return out


def _effect_scale(values: np.ndarray) -> tuple[str, float, float]:
    """(scale label, centre, SD) of a design column: 0/1 columns are "0 to 1"."""
    finite = values[np.isfinite(values)]
    if finite.size and np.isin(finite, (0.0, 1.0)).all():
        return "0 to 1", float(finite.mean()), 1.0
    sd = float(np.std(finite, ddof=1)) if finite.size > 1 else 0.0
    return "per SD", float(finite.mean()) if finite.size else 0.0, sd


@contextlib.contextmanager
def _quiet_glm() -> Iterator[None]:
    """Without the per-fit warnings of :mod:`~netinnov.models.glm` (failures are counted)."""
    glm_log = logging.getLogger("netinnov.models.glm")
    level = glm_log.level
    glm_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        glm_log.setLevel(level)


def _detected(coefs: pd.DataFrame, term: str, alpha: float) -> bool | None:
    """True/False: the term's p-value is below/above alpha; None: no estimate."""
    if not len(coefs):
        return None
    row = coefs[coefs["term"].astype(str) == term]
    if len(row) != 1:
        return None
    p = float(pd.to_numeric(row["p_value"], errors="coerce").iloc[0])
    if not np.isfinite(p):
        return None
    return bool(p < alpha)


def model_power(
    features: pd.DataFrame,
    spec: ModelSpec | Mapping[str, Any],
    settings: PowerSettings,
    *,
    seed: int,
    waves: Sequence[str] | None = None,
    small_cluster_max: int = SMALL_CLUSTER_MAX,
    fitter: Any = None,
) -> pd.DataFrame:
    """The power table (:data:`POWER_COLUMNS`) of one model.

    ``fitter`` (tests only) replaces :func:`~netinnov.models.glm.fit_glm`;
    it takes ``(data, spec)`` and returns the coefficients table.
    """
    if not isinstance(spec, ModelSpec):
        spec = ModelSpec.from_config(spec)
    grid = settings.grid_for(spec.family)
    unit = EFFECT_UNITS[spec.family]

    def fit(data: pd.DataFrame, fspec: ModelSpec) -> pd.DataFrame:
        if fitter is not None:
            return fitter(data, fspec)
        with warnings.catch_warnings(), _quiet_glm():
            warnings.simplefilter("ignore")
            return fit_glm(data, fspec, small_cluster_max=small_cluster_max)[0]

    rows: list[dict[str, Any]] = []
    base_row = {
        "model": spec.name, "outcome": spec.outcome, "family": spec.family,
        "effect_unit": unit, "icc": settings.icc, "alpha": settings.alpha,
    }  # fmt: skip
    for sample in prepare_samples(features, spec, waves=waves):
        head = {**base_row, "wave": sample.wave}
        observed = sample.data
        if sample.error or observed.empty:
            rows.append({**head, "term": "", "n_datasets": 0, "n_failed": 0,
                         "note": f"not simulated: {sample.error or 'no rows'}"})  # fmt: skip
            continue
        fspec = _fit_spec(spec, sample)
        n_cases = settings.n_cases or int(observed["case_id"].nunique())
        n_waves = int(observed["wave"].nunique())
        head.update(n_cases=n_cases, n_waves=n_waves)
        try:
            terms = _tested_columns(fspec, observed)
            obs_design = _design(fspec, observed)
        except Exception as exc:  # noqa: BLE001 - reported as a row
            rows.append({**head, "term": "", "n_datasets": 0, "n_failed": 0,
                         "note": f"not simulated: the terms cannot be evaluated: {exc}"})  # fmt: skip
            continue
        outcome = _Outcome.observed(
            spec.family, observed[spec.outcome], observed["wave"], settings.icc
        )
        for term in terms:
            scale, centre, sd = _effect_scale(obs_design[term].to_numpy(dtype=float))
            if not sd > 0:
                rows.append({**head, "term": term, "effect_scale": scale, "n_datasets": 0,
                             "n_failed": 0, "note": "not simulated: the term is constant"})  # fmt: skip
                continue
            hits = np.zeros(len(grid), dtype=np.int64)
            failed = np.zeros(len(grid), dtype=np.int64)
            for r in range(settings.datasets):
                rng = np.random.default_rng(
                    derive_seed(seed, "power", spec.name, sample.wave, term, r)
                )
                data = _resample(observed, rng, n_cases)
                u = rng.normal(scale=outcome.sd_u, size=n_cases)
                codes = pd.factorize(data["case_id"])[0]
                draws = outcome.noise(rng, len(data))
                try:
                    x = _design(fspec, data)[term].to_numpy(dtype=float)
                except Exception:  # noqa: BLE001 - counted as failed at every effect
                    failed += 1
                    continue
                shift = data["wave"].astype(str).map(outcome.wave_shift).fillna(0.0).to_numpy(float)
                z = (x - centre) / sd
                for i, effect in enumerate(grid):
                    y = outcome.draw(shift + u[codes] + effect * z, draws)
                    result = _detected(
                        fit(data.assign(**{spec.outcome: y}), fspec), term, settings.alpha
                    )
                    if result is None:
                        failed[i] += 1
                    elif result:
                        hits[i] += 1
            for i, effect in enumerate(grid):
                p = hits[i] / settings.datasets
                rows.append({
                    **head, "term": term, "effect": float(effect), "effect_scale": scale,
                    "power": float(p),
                    "power_mc_se": float(np.sqrt(p * (1.0 - p) / settings.datasets)),
                    "n_datasets": settings.datasets, "n_failed": int(failed[i]),
                    "note": f"{int(failed[i])} fits failed (counted as not detected)" if failed[i] else "",
                })  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=POWER_COLUMNS)


def power_tables(
    features: pd.DataFrame,
    models_config: Sequence[Mapping[str, Any]] | None,
    settings: PowerSettings,
    *,
    seed: int,
    waves: Sequence[str] | None = None,
    small_cluster_max: int = SMALL_CLUSTER_MAX,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(power, summary)`` over every configured case-level model."""
    specs = parse_models(models_config)
    parts = [
        model_power(
            features, spec, settings, seed=seed, waves=waves, small_cluster_max=small_cluster_max
        )
        for spec in specs
    ]
    parts = [p for p in parts if len(p)]
    power = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=POWER_COLUMNS)
    power = power.reindex(columns=POWER_COLUMNS)
    return power, summarize_power(power, target=settings.target)


# ------------------------------------------------------------------ the MDE
def minimal_detectable_effect(
    effects: Sequence[float], power: Sequence[float], target: float = 0.80
) -> float:
    """The smallest effect with power ≥ ``target``, interpolated; NaN if none.

    The grid is sorted by effect; at the first point whose power reaches the
    target, the MDE is interpolated linearly between it and the point before
    (the first point itself when it already reaches the target).
    """
    e = np.asarray(effects, dtype=float)
    p = np.asarray(power, dtype=float)
    keep = np.isfinite(e) & np.isfinite(p)
    e, p = e[keep], p[keep]
    order = np.argsort(e, kind="stable")
    e, p = e[order], p[order]
    hit = np.flatnonzero(p >= target)
    if not hit.size:
        return float("nan")
    i = int(hit[0])
    if i == 0:
        return float(e[0])
    e0, e1, p0, p1 = e[i - 1], e[i], p[i - 1], p[i]
    return float(e0 + (target - p0) * (e1 - e0) / (p1 - p0))


def summarize_power(power: pd.DataFrame, *, target: float = 0.80) -> pd.DataFrame:
    """One row per (model, wave, term): the MDE (:data:`SUMMARY_COLUMNS`)."""
    rows = []
    usable = power[pd.to_numeric(power["power"], errors="coerce").notna()] if len(power) else power
    keys = ["model", "outcome", "family", "wave", "term"]
    for key, part in usable.groupby(keys, sort=False):
        mde = minimal_detectable_effect(part["effect"], part["power"], target)
        first = part.iloc[0]
        rows.append({
            **dict(zip(keys, key, strict=True)), "mde": mde, "mde_scale": first["effect_scale"],
            "effect_unit": first["effect_unit"], "reached": bool(np.isfinite(mde)),
            "target_power": target, "n_cases": first["n_cases"], "n_waves": first["n_waves"],
            "icc": first["icc"], "alpha": first["alpha"], "n_datasets": first["n_datasets"],
        })  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=SUMMARY_COLUMNS)


# ------------------------------------------------------------------ entry point
