r"""Innovation outcomes from latent mechanisms, and the table of their true effects.

The outcomes of a case-wave are drawn from the *latent* state of the case —
never from a column the pipeline computes:

* the true presence of each leadership role (a latent holder acts in the
  wave, whether or not ``roles.csv`` reports it);
* the **diversity** of the case-wave's roster, as Pielou's evenness
  :math:`-\sum_k p_k \ln p_k / \ln 4` of its sector shares :math:`p` (Shannon
  1948; Pielou 1966 — deliberately not the Blau index the pipeline reports;
  difference is the fuel of collaborative innovation, Sørensen & Torfing 2013);
* the latent **cross-sector work** of the wave: the share of the case's latent
  tied pairs (reported or not) that join two sectors and are working ties
  (latent strength > 0; see :mod:`netinnov.simulate.fieldwork`);
* the roster size (more participants, more ambassadors for diffusion);
* a **case random effect** :math:`u_c \sim N(0, \sigma_u^2)`, drawn once per
  case and the same in every wave (so outcomes of a case are correlated over
  waves; :math:`\sigma_u` = ``case_effect_sd``, CLI ``--case-effect-sd``,
  default :data:`CASE_EFFECT_SD` = 0.6, i.e. a latent-scale intraclass
  correlation :math:`\sigma_u^2/(\sigma_u^2 + \pi^2/3) \approx 0.10` for
  ``implemented``), and a **wave effect** (+0.25 per wave after the first:
  learning).

A model without the case effect (the pooled GLM) estimates population-averaged
effects: for the logit and ordered logit these are attenuated towards 0 by
about :math:`1/\sqrt{1 + c^2\sigma^2}`, :math:`c = 16\sqrt3/(15\pi)`
(Zeger, Liang & Albert 1988); for the Poisson log link only the intercept
moves (by :math:`\sigma^2/2`). :func:`marginal_effects` gives these values.

With linear predictor
:math:`\eta = \beta_0 + \sum_r \beta_r\,\mathrm{role}_r + \beta_d\,\mathrm{diversity}
+ \beta_x\,\mathrm{cross} + \beta_n\,n + u_c + \tau_w`:

* ``implemented`` :math:`\sim \mathrm{Bernoulli}(\mathrm{logistic}(\eta))`;
* ``diffusion`` :math:`\sim \mathrm{Poisson}(\exp(\min(\eta, 7)))` (the case
  effect enters at half its size);
* ``radicalness`` :math:`= 1 + \#\{k : c_k < \eta + \varepsilon\}`,
  :math:`\varepsilon` standard logistic, cut-points :data:`RADICALNESS_CUTPOINTS`
  (no intercept).

``true_effects.csv`` spells each latent quantity by the term of its
observable proxy in ``models/coefficients.csv`` (``convener_present`` is the
*reported* presence, ``sector_blau`` the Blau index of the roster,
``cross_sector_tie_share`` the share of observed cross-sector ties). A proxy
measures its latent quantity with error, so estimates are attenuated and only
their signs (and the zeros) are expected to be recovered.

References
----------
Blau, P. M. (1977). *Inequality and Heterogeneity*. Free Press.
Pielou, E. C. (1966). The measurement of diversity in different types of
biological collections. *Journal of Theoretical Biology*, 13, 131–144.
Shannon, C. E. (1948). A mathematical theory of communication. *Bell System
Technical Journal*, 27(3), 379–423.
Sørensen, E., & Torfing, J. (2013). *Enhancing social innovation by rethinking
collaboration, leadership and public governance*. NESTA Social Frontiers.
Zeger, S. L., Liang, K.-Y., & Albert, P. S. (1988). Models for longitudinal
data: a generalized estimating equation approach. *Biometrics*, 44(4),
1049–1060.
McCullagh, P. (1980). Regression models for ordinal data. *Journal of the
Royal Statistical Society B*, 42(2), 109–142.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

__all__ = [
    "CASE_EFFECT_SD",
    "DIFFUSION_ETA_CAP",
    "LATENT",
    "RADICALNESS_CUTPOINTS",
    "TRUE_EFFECTS",
    "WAVE_EFFECT",
    "draw_outcomes",
    "marginal_effects",
    "true_effects",
]

#: Thresholds of the latent logistic scale of ``radicalness`` (categories 1..5).
RADICALNESS_CUTPOINTS = (2.0, 3.0, 4.0, 5.0)
#: The linear predictor of ``diffusion`` is capped here (exp(7) ≈ 1097).
DIFFUSION_ETA_CAP = 7.0
#: Added to every linear predictor per wave after the first.
WAVE_EFFECT = 0.25
#: Default standard deviation of the case random intercept (``case_effect_sd``; drawn in
#: :func:`netinnov.simulate.design.design_cases`).
CASE_EFFECT_SD = 0.6
#: Zeger, Liang & Albert (1988): logistic ≈ probit scaled by 1/c.
_ZLA_C = 16 * np.sqrt(3) / (15 * np.pi)

#: Latent quantity behind each term: (term, latent column of true_cases.csv, what it is).
LATENT = {
    "convener_present": ("convener_present", "true presence of a convener (latent holder acts in the wave)"),
    "facilitator_present": ("facilitator_present", "true presence of a facilitator"),
    "catalyst_present": ("catalyst_present", "true presence of a catalyst"),
    "sector_blau": ("diversity", "roster diversity (Pielou evenness of the sector shares)"),
    "cross_sector_tie_share": ("cross_sector_work", "latent share of tied pairs that are cross-sector working ties"),
    "n_actors": ("n_actors", "roster size"),
    "density": (None, "no mechanism: density has no effect of its own"),
}

_FAMILY = {"implemented": "logit", "diffusion": "poisson", "radicalness": "ordered_logit"}
_CASE_SCALE = {"implemented": 1.0, "diffusion": 0.5, "radicalness": 1.0}

#: ``(outcome, term, true_effect)`` of the latent model.
TRUE_EFFECTS: tuple[tuple[str, str, float], ...] = (
    ("implemented", "Intercept", -4.7),
    ("implemented", "convener_present", 1.2),
    ("implemented", "facilitator_present", 1.3),
    ("implemented", "catalyst_present", 0.0),
    ("implemented", "sector_blau", 3.0),
    ("implemented", "cross_sector_tie_share", 2.5),
    ("implemented", "n_actors", 0.0),
    ("implemented", "density", 0.0),
    ("diffusion", "Intercept", -0.9),
    ("diffusion", "convener_present", 0.0),
    ("diffusion", "facilitator_present", 0.0),
    ("diffusion", "catalyst_present", 0.6),
    ("diffusion", "sector_blau", 1.2),
    ("diffusion", "cross_sector_tie_share", 1.0),
    ("diffusion", "n_actors", 0.015),
    ("diffusion", "density", 0.0),
    ("radicalness", "convener_present", 0.0),
    ("radicalness", "facilitator_present", 0.0),
    ("radicalness", "catalyst_present", 1.2),
    ("radicalness", "sector_blau", 3.0),
    ("radicalness", "cross_sector_tie_share", 1.5),
    ("radicalness", "n_actors", 0.0),
    ("radicalness", "density", 0.0),
)
_SLOPES = ("convener_present", "facilitator_present", "catalyst_present", "sector_blau",
           "cross_sector_tie_share", "n_actors")


def _note(outcome: str, term: str, value: float) -> str:
    if term == "Intercept":
        return "log-odds with every latent quantity at 0" if outcome == "implemented" else \
            "log of the expected count with every latent quantity at 0"
    column, what = LATENT[term]
    head = "true zero" if value == 0 else "latent effect"
    if column is None:
        return f"{head}: {what}"
    return f"{head}; latent quantity: {what} (true_cases.csv `{column}`); `{term}` is its observable proxy"


def true_effects(n_waves: int = 3, case_effect_sd: float = CASE_EFFECT_SD) -> pd.DataFrame:
    """The latent outcome model's true effects, spelled as ``models/coefficients.csv`` terms.

    Parameters
    ----------
    n_waves
        Number of waves (one wave effect per wave after the first).
    case_effect_sd
        Standard deviation of the case random intercept of the dataset.

    Returns
    -------
    pandas.DataFrame
        Columns ``outcome, term, true_effect, family, note``. Slope terms
        name the pipeline proxy of each latent quantity (see :data:`LATENT`);
        ``Intercept``; the cut-points ``k/k+1`` of the ordered logit;
        ``wave[T.wk]`` (statsmodels' spelling of a ``wave`` factor) for the
        wave effects; ``case_effect_sd``, the standard deviation of the case
        random intercept (no pipeline counterpart).
    """
    rows = [(o, t, v, _note(o, t, v)) for o, t, v in TRUE_EFFECTS]
    for outcome in _FAMILY:
        for w in range(1, n_waves):
            rows.append((outcome, f"wave[T.w{w + 1}]", WAVE_EFFECT * w,
                         f"wave effect of w{w + 1} against w1 (+{WAVE_EFFECT:g} per wave)"))
        rows.append((outcome, "case_effect_sd", case_effect_sd * _CASE_SCALE[outcome],
                     "sd of the case random intercept (true_cases.csv `case_effect` × "
                     f"{_CASE_SCALE[outcome]:g}); no pipeline counterpart"))
    for k, c in enumerate(RADICALNESS_CUTPOINTS, start=1):
        rows.append(("radicalness", f"{k}/{k + 1}", c,
                     f"cut-point between categories {k} and {k + 1}: P(y <= {k}) = F(c_{k} - eta) on the "
                     "latent logistic scale"))
    frame = pd.DataFrame(rows, columns=["outcome", "term", "true_effect", "note"])
    frame.insert(3, "family", frame["outcome"].map(_FAMILY))
    order = {o: i for i, o in enumerate(_FAMILY)}
    return frame.sort_values("outcome", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def marginal_effects(effects: pd.DataFrame) -> pd.Series:
    r"""Population-averaged counterparts of ``true_effects`` rows (what a model without the case effect estimates).

    With a case random intercept :math:`s\,u_c`, :math:`u_c \sim N(0, \sigma_u^2)`
    (:math:`\sigma = s\sigma_u` is the ``case_effect_sd`` row of the outcome):

    * logit and ordered logit: every coefficient and cut-point times
      :math:`(1 + c^2\sigma^2)^{-1/2}`, :math:`c = 16\sqrt{3}/(15\pi)` (Zeger,
      Liang & Albert 1988, eq. 2.4; an approximation, exact for the probit);
    * Poisson (log link): slopes unchanged, the intercept plus
      :math:`\sigma^2/2` (:math:`E\,e^{\sigma u} = e^{\sigma^2/2}`; the
      ``min(η, 7)`` cap is ignored).

    Parameters
    ----------
    effects
        A :func:`true_effects` table.

    Returns
    -------
    pandas.Series
        Aligned with ``effects``; NaN for ``case_effect_sd`` rows.
    """
    sd = effects.loc[effects["term"] == "case_effect_sd"].set_index("outcome")["true_effect"]
    sigma = effects["outcome"].map(sd).fillna(0.0).to_numpy(dtype=float)
    value = effects["true_effect"].to_numpy(dtype=float).copy()
    family = effects["family"].to_numpy()
    scaled = np.isin(family, ["logit", "ordered_logit"])
    value[scaled] /= np.sqrt(1.0 + _ZLA_C**2 * sigma[scaled] ** 2)
    shift = (family == "poisson") & (effects["term"].to_numpy() == "Intercept")
    value[shift] += sigma[shift] ** 2 / 2
    value[effects["term"].to_numpy() == "case_effect_sd"] = np.nan
    return pd.Series(value, index=effects.index, name="marginal_effect")


def draw_outcomes(rng: np.random.Generator, latent: pd.DataFrame, wave: int) -> pd.DataFrame:
    """Outcomes of one wave from the latent case table (columns of :data:`LATENT` and ``case_effect``).

    Returns the outcomes and their linear predictors ``eta_<outcome>``.
    """
    coef = {(o, t): v for o, t, v in TRUE_EFFECTS}
    x = {term: latent[LATENT[term][0]].to_numpy(dtype=float) for term in _SLOPES}

    def eta(outcome: str) -> np.ndarray:
        value = coef.get((outcome, "Intercept"), 0.0) + WAVE_EFFECT * wave
        value = value + _CASE_SCALE[outcome] * latent["case_effect"].to_numpy(dtype=float)
        return value + sum(coef[(outcome, term)] * x[term] for term in _SLOPES)

    u = rng.random(len(latent))
    eta_impl = eta("implemented")
    eta_diff = np.minimum(eta("diffusion"), DIFFUSION_ETA_CAP)
    diffusion = rng.poisson(np.exp(eta_diff))
    eta_rad = eta("radicalness")
    noise = rng.logistic(0.0, 1.0, len(latent))
    return pd.DataFrame(
        {
            "implemented": (u < expit(eta_impl)).astype(np.int64),
            "radicalness": 1 + np.searchsorted(np.asarray(RADICALNESS_CUTPOINTS), eta_rad + noise, "left"),
            "diffusion": diffusion.astype(np.int64),
            "eta_implemented": eta_impl,
            "eta_diffusion": eta_diff,
            "eta_radicalness": eta_rad,
        },
        index=latent.index,
    )
