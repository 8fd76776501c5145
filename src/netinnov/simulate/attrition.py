r"""Attrition between waves: cases and actors lost to follow-up.

A panel of collaborative-innovation cases loses cases between survey waves
(the project ends, the contact person leaves, the case stops answering) and
loses actors within the cases that stay (people change jobs or stop
responding). :func:`draw_attrition` plants both, monotone (once lost, never
observed again), after the latent process has run: the latent state and the
outcomes of the observed case-waves are the same as without attrition, only
the *record* is censored (:func:`censor_wave`).

**Case dropout.** At every wave transition :math:`w \to w+1` a case still in
the study drops out with probability

.. math::

    p_{cw} = \operatorname{logistic}\bigl(\operatorname{logit}(\pi_c) - \gamma\, z_{cw}\bigr),
    \qquad z_{cw} = \frac{\eta_{cw} - \bar\eta_w}{\operatorname{sd}_w(\eta)},

where :math:`\pi_c` is ``case_dropout`` (CLI ``--case-dropout``),
:math:`\eta_{cw}` the case's latent linear predictor of ``implemented`` in wave
:math:`w` (its latent outcome propensity, case random effect included; see
:mod:`netinnov.simulate.outcomes`), standardised over the cases of the wave,
and :math:`\gamma` is ``informative_dropout`` (``--informative-dropout``).
:math:`\gamma = 0` (the default) is dropout completely at random (MCAR);
:math:`\gamma > 0` makes cases with a low propensity drop out more often —
struggling projects end or stop answering — a dropout that depends on the
case random effect, i.e. missing not at random for a model without it (Little
& Rubin 2019, ch. 1; Diggle & Kenward 1994). A dropped case writes no rows in
any later wave (no records, events, roles, members, outcomes).

**Actor dropout.** Every actor, from the wave it enters the dataset, is lost
before each following wave with probability ``actor_dropout``
(``--actor-dropout``), independently of everything else (MCAR). A lost actor
writes no rows in later waves: it is not in ``members.csv``, and the records,
attendances and role reports naming it are missing (also those reported by
others about it). Drivers, hubs and role holders can be lost as well; the
latent role still acts (``true_roles.csv`` keeps its row).

The truth tables (``true_cases.csv``, ``true_members.csv``) keep one row per
*observed* case-wave (member-wave) and add ``last_wave`` (the last wave in
which the case — for a member: the member in that case — can be observed) and
``p_dropout`` (the probability of dropping out before the next wave; empty in
the last wave).

Random draws come from ``np.random.default_rng([seed, 6])`` (cases) and
``[seed, 7]`` (actors): the other streams of the generator are untouched, so
with both rates 0 the data files are the same as without attrition.

References
----------
Diggle, P., & Kenward, M. G. (1994). Informative drop-out in longitudinal data
analysis. *Journal of the Royal Statistical Society C*, 43(1), 49–93.
Little, R. J. A., & Rubin, D. B. (2019). *Statistical Analysis with Missing
Data* (3rd ed.). Wiley.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from .arrays import isin_sorted

__all__ = [
    "DEFAULT_ACTOR_DROPOUT",
    "DEFAULT_CASE_DROPOUT",
    "DEFAULT_INFORMATIVE_DROPOUT",
    "Attrition",
    "case_dropout_probabilities",
    "censor_wave",
    "check_rates",
    "draw_attrition",
]

#: Defaults of ``netinnov simulate`` (the Python API defaults to no attrition).
DEFAULT_CASE_DROPOUT = 0.10
DEFAULT_ACTOR_DROPOUT = 0.15
DEFAULT_INFORMATIVE_DROPOUT = 0.0

STREAM_CASES, STREAM_ACTORS = 6, 7


@dataclass(frozen=True)
class Attrition:
    """Planted attrition: last observed wave (0-based) per case and per actor code."""

    case_last: np.ndarray
    case_p: np.ndarray  #: (n_cases, n_waves): dropout probability after each wave (NaN in the last)
    actor_last: np.ndarray
    actor_p: float

    def case_observed(self, w: int) -> np.ndarray:
        """Mask over case indices: observed in wave ``w``."""
        return self.case_last >= w


def check_rates(case_dropout: float, actor_dropout: float, informative_dropout: float) -> None:
    """Raise ValueError unless both rates are in [0, 1) and the informative weight is finite."""
    for name, value in (("case_dropout", case_dropout), ("actor_dropout", actor_dropout)):
        if not 0 <= value < 1:
            raise ValueError(f"{name} must be in [0, 1), got {value}")
    if not np.isfinite(informative_dropout):
        raise ValueError(f"informative_dropout must be finite, got {informative_dropout}")


def case_dropout_probabilities(eta: np.ndarray, case_dropout: float, informative_dropout: float) -> np.ndarray:
    r"""Dropout probability of each case after each wave (formula in the module docstring).

    Parameters
    ----------
    eta
        ``(n_cases, n_waves)`` latent linear predictors of ``implemented``.
    case_dropout
        :math:`\pi`, the probability at an average propensity (and for every
        case when ``informative_dropout`` is 0).
    informative_dropout
        :math:`\gamma`, the log-odds change per SD of propensity (positive:
        low-propensity cases drop out more).

    Returns
    -------
    numpy.ndarray
        ``(n_cases, n_waves)``; the last column is NaN (no later wave).
    """
    eta = np.asarray(eta, dtype=float)
    p = np.full(eta.shape, float(case_dropout))
    if informative_dropout != 0 and 0 < case_dropout and eta.shape[0] > 1:
        sd = eta.std(axis=0, ddof=0)
        z = np.divide(eta - eta.mean(axis=0), sd, out=np.zeros_like(eta), where=sd > 0)
        p = expit(logit(case_dropout) - informative_dropout * z)
    if p.shape[1]:
        p[:, -1] = np.nan
    return p


def _first_drop(u: np.ndarray, p: np.ndarray | float, eligible: np.ndarray | None = None) -> np.ndarray:
    """Last observed wave: the first transition with a drop (``u < p``), else the last wave."""
    n_waves = u.shape[1] + 1
    if n_waves == 1:
        return np.zeros(u.shape[0], dtype=np.int64)
    drop = u < p
    if eligible is not None:
        drop &= eligible
    return np.where(drop.any(axis=1), drop.argmax(axis=1), n_waves - 1).astype(np.int64)


def draw_attrition(
    seed: int,
    eta: np.ndarray,
    actor_entry: np.ndarray,
    case_dropout: float,
    actor_dropout: float,
    informative_dropout: float = 0.0,
) -> Attrition:
    """Draw which cases and actors are lost after which wave.

    Parameters
    ----------
    seed
        The dataset's seed (streams ``[seed, 6]`` and ``[seed, 7]``).
    eta
        ``(n_cases, n_waves)`` latent linear predictors of ``implemented``.
    actor_entry
        Wave index (0-based) in which each actor code enters the dataset.
    case_dropout, actor_dropout, informative_dropout
        See the module docstring.
    """
    check_rates(case_dropout, actor_dropout, informative_dropout)
    eta = np.asarray(eta, dtype=float)
    n_cases, n_waves = eta.shape
    p = case_dropout_probabilities(eta, case_dropout, informative_dropout)
    u_case = np.random.default_rng([seed, STREAM_CASES]).random((n_cases, n_waves - 1))
    case_last = _first_drop(u_case, p[:, :-1])
    entry = np.asarray(actor_entry, dtype=np.int64)
    u_actor = np.random.default_rng([seed, STREAM_ACTORS]).random((len(entry), n_waves - 1))
    eligible = np.arange(n_waves - 1)[None, :] >= entry[:, None]
    actor_last = _first_drop(u_actor, actor_dropout, eligible)
    return Attrition(case_last=case_last, case_p=p, actor_last=actor_last, actor_p=float(actor_dropout))


def _keep(t: dict[str, Any], prefix: str, mask: np.ndarray) -> int:
    """Keep the rows ``mask`` of every ``prefix`` array of ``t``; return the number removed."""
    for key in [k for k in t if k.startswith(prefix)]:
        t[key] = t[key][mask]
    return int((~mask).sum())


def censor_wave(t: dict[str, Any], attrition: Attrition, w: int, waves: list[str]) -> None:
    """Remove from wave ``w``'s tables (in place) every row of a lost case or a lost actor.

    Observed arrays (``rec_, att_, mem_, role_``) and the member truth
    (``tm_``) lose the rows of lost cases and lost actors, the role truth
    (``tr_``) those of lost cases; events are renumbered; ``t["cases"]`` keeps
    the observed cases with ``last_wave`` and ``p_dropout``;
    ``t["case_observed"]`` marks the observed cases (in case order) for
    ``outcomes.csv``. ``t["stats"]`` gets the counts of lost cases and actors.
    """
    case_ok = attrition.case_observed(w)
    actor_ok = attrition.actor_last >= w

    def ok(case: np.ndarray, *actors: np.ndarray) -> np.ndarray:
        mask = case_ok[case]
        for a in actors:
            mask &= actor_ok[a]
        return mask

    _keep(t, "rec_", ok(t["rec_case"], t["rec_src"], t["rec_tgt"]))
    _keep(t, "att_", ok(t["att_case"], t["att_actor"]))
    if len(t["att_event"]):
        t["att_event"] = np.unique(t["att_event"], return_inverse=True)[1].astype(t["att_event"].dtype)
    lost_members = _keep(t, "mem_", ok(t["mem_case"], t["mem_actor"]))
    _keep(t, "role_", ok(t["role_case"], t["role_actor"]))
    _keep(t, "tr_", ok(t["tr_case"]))
    tm_last = np.minimum(attrition.actor_last[t["tm_actor"]], attrition.case_last[t["tm_case"]])
    t["tm_last"] = tm_last
    _keep(t, "tm_", ok(t["tm_case"], t["tm_actor"]))
    last = w == len(waves) - 1
    t["tm_p_dropout"] = np.full(len(t["tm_case"]), np.nan if last else attrition.actor_p)
    cases: pd.DataFrame = t["cases"]
    cases = cases.assign(
        last_wave=[waves[k] for k in attrition.case_last], p_dropout=attrition.case_p[:, w]
    )
    t["cases"] = cases.loc[case_ok].reset_index(drop=True)
    t["case_observed"] = case_ok
    seen = np.concatenate([t["rec_src"], t["rec_tgt"], t["att_actor"]])
    stats = t["stats"]
    stats["isolates"] = int((~isin_sorted(t["mem_actor"], seen)).sum())
    stats["nonrespondents"] = int((t["mem_responded"] == 0).sum())
    stats["cases_lost"] = int((~case_ok).sum())
    stats["members_lost"] = lost_members
