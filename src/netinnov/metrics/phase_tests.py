"""Tests and summaries across cases of who takes part in which phase.

Sørensen & Torfing (2013) report that private stakeholders in the CLIPS cases
took part more in implementation than in initiation and design, and that end
users seldom played a key role. On the counts of
:func:`~netinnov.metrics.phases.phase_participation`,
:func:`implementation_test` tests the implementation claim across cases, on
shares or on rates, and :func:`phase_tests` writes both as one tidy table
(``phase_tests.csv``); :func:`group_involvement` (and
:func:`citizen_involvement`) describe one group's involvement per phase, and
:func:`phase_share_summary` the mean shares per phase with intervals.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from netinnov.contract import PHASES
from netinnov.metrics.phases import UNKNOWN_GROUP

__all__ = [
    "PHASE_TEST_COLUMNS",
    "TEST_MEASURES",
    "citizen_involvement",
    "group_involvement",
    "implementation_test",
    "phase_share_summary",
    "phase_tests",
]

_MEASURES = ("actor_share", "tie_share", "activity_share", "rate")

#: The measures of ``phase_tests.csv``: its ``measure`` label -> the phases.csv column.
TEST_MEASURES = {"share": "actor_share", "rate": "rate"}

def _group_phase_shares(
    phases: pd.DataFrame, groups: Sequence[str], measure: str, group_column: str
) -> pd.DataFrame:
    r"""Case × phase table of the summed ``measure`` of ``groups``.

    NaN where the case has no record in the phase; 0 where it has records but
    none of ``groups`` took part (also when a group has no row at all).

    ``rate`` is not summed: the groups' active actors are summed and divided
    by their summed roster, :math:`\sum_{s \in G} N_{csp} / \sum_{s \in G}
    R_{cs}` (NaN where the case has no record in the phase or nobody of
    ``groups`` on its roster).
    """
    if len(phases) == 0:
        return pd.DataFrame(columns=list(PHASES), dtype=float)
    member = phases[group_column].astype(str).isin([str(g) for g in groups]).to_numpy()
    numeric = {
        c: pd.to_numeric(phases[c], errors="coerce").to_numpy(dtype=float)
        for c in (("actors", "roster", "actor_share") if measure == "rate" else (measure,))
    }
    if measure == "rate":
        defined, columns = ~np.isnan(numeric["actor_share"]), ("actors", "roster")
    else:
        defined, columns = ~np.isnan(numeric[measure]), (measure,)
    frame = pd.DataFrame(
        {
            "case_id": phases["case_id"].astype(str).to_numpy(dtype=object),
            "phase": phases["phase"].astype(str).to_numpy(dtype=object),
            "defined": defined,
            **{c: np.where(member, numeric[c], 0.0) for c in columns},
        }
    )
    by = frame.groupby(["case_id", "phase"], sort=True)
    observed = by["defined"].any()
    if measure == "rate":
        totals = by[["actors", "roster"]].sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            summed = (totals["actors"] / totals["roster"]).where(observed & (totals["roster"] > 0))
    else:
        summed = by[measure].sum().where(observed)
    return summed.unstack().reindex(columns=list(PHASES))


def implementation_test(
    phases: pd.DataFrame,
    *,
    groups: Sequence[str] = ("private", "civil_society", "citizen"),
    measure: str = "actor_share",
    n_boot: int = 2000,
    seed: int = 0,
    group_column: str = "sector",
) -> pd.DataFrame:
    r"""Do non-public actors take a larger part in implementation than earlier?

    For each case :math:`c` and group set :math:`G`, let :math:`x_{cp}` be the
    summed ``measure`` of the groups in :math:`G` in phase :math:`p`. The
    paired difference is

    .. math:: d_c = x_{c,\mathrm{implementation}} -
              \tfrac12 (x_{c,\mathrm{initiation}} + x_{c,\mathrm{design}}),

    over the cases that have records in all three phases (others are left
    out). Reported: the mean of :math:`d_c`, a paired t-test of
    :math:`E[d] = 0` (:func:`scipy.stats.ttest_1samp`), the Wilcoxon
    signed-rank test (:func:`scipy.stats.wilcoxon`, zero differences
    dropped), Cohen's :math:`d_z = \bar d / s_d` (:math:`s_d` with ddof 1) and a
    percentile bootstrap 95% interval of :math:`\bar d` resampling cases.
    All tests are two-sided.

    On shares (``actor_share``, ``activity_share``, ``tie_share``) the test is
    compositional: shares sum to one over groups, so when fewer public actors
    are active in implementation the private share rises although no private
    actor did more. On ``rate`` (active actors of the group over the group's
    roster in the case) it is not: the private rate moves only when private
    actors become more or less active, so it tests whether private actors
    take part more, not whether they make up more of those who do.

    Parameters
    ----------
    phases
        The table of :func:`phase_participation`.
    groups
        The non-public groups; one row tests them pooled (``non_public``),
        then one row per group.
    measure
        ``actor_share``, ``activity_share``, ``tie_share`` or ``rate``. For
        the pooled row the groups' shares are summed (with ``tie_share`` a
        tie between two listed groups then counts twice); their ``rate`` is
        their active actors over their roster.
    n_boot
        Bootstrap resamples.
    seed
        Seed of the bootstrap.
    group_column
        The group column of ``phases``.

    Returns
    -------
    pandas.DataFrame
        One row per tested group: ``group, measure, n_cases, mean_early,
        mean_implementation, mean_difference, sd_difference, t_statistic,
        t_p_value, wilcoxon_statistic, wilcoxon_p_value, cohens_dz, ci_low,
        ci_high, n_boot``. Statistics that need more cases (or non-zero
        variation) than there are are NaN.

    References
    ----------
    Sørensen, E., & Torfing, J. (2013). *Enhancing Social Innovation by
    Rethinking Collaboration, Leadership and Public Governance*. NESTA Social
    Frontiers.
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate
    cumulative science. *Frontiers in Psychology*, 4, 863.
    """
    if measure not in _MEASURES:
        raise ValueError(f"measure must be one of {_MEASURES}, not {measure!r}")
    if group_column not in phases.columns:
        raise ValueError(f"phases has no column {group_column!r}")
    if measure == "rate" and "roster" not in phases.columns:
        raise ValueError("measure 'rate' needs the phases table's 'roster' column")
    sets: list[tuple[str, list[str]]] = [("non_public", [str(g) for g in groups])]
    sets += [(str(g), [str(g)]) for g in groups]
    rows = []
    for offset, (name, members) in enumerate(sets):
        wide = _group_phase_shares(phases, members, measure, group_column)
        early = wide[["initiation", "design"]].mean(axis=1, skipna=False)
        late = wide["implementation"]
        keep = early.notna() & late.notna()
        rows.append(
            {
                "group": name,
                "measure": measure,
                **_paired_summary(
                    late[keep].to_numpy(dtype=float),
                    early[keep].to_numpy(dtype=float),
                    n_boot=n_boot,
                    seed=seed + offset,
                ),
            }
        )
    return pd.DataFrame(rows)


def _paired_summary(late: np.ndarray, early: np.ndarray, *, n_boot: int, seed: int) -> dict:
    d = late - early
    n = len(d)
    nan = float("nan")
    out = {
        "n_cases": n,
        "mean_early": float(early.mean()) if n else nan,
        "mean_implementation": float(late.mean()) if n else nan,
        "mean_difference": float(d.mean()) if n else nan,
        "sd_difference": float(d.std(ddof=1)) if n >= 2 else nan,
        "t_statistic": nan,
        "t_p_value": nan,
        "wilcoxon_statistic": nan,
        "wilcoxon_p_value": nan,
        "cohens_dz": nan,
        "ci_low": nan,
        "ci_high": nan,
        "n_boot": n_boot,
    }
    from scipy import (
        stats,  # here, not at the top: a module import of 0.8 s the wave-chunk jobs do not need
    )

    if n >= 2 and out["sd_difference"] > 0:
        test = stats.ttest_1samp(d, 0.0)
        out["t_statistic"] = float(test.statistic)
        out["t_p_value"] = float(test.pvalue)
        out["cohens_dz"] = out["mean_difference"] / out["sd_difference"]
    if np.count_nonzero(d) >= 1:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            test = stats.wilcoxon(d, zero_method="wilcox")
        out["wilcoxon_statistic"] = float(test.statistic)
        out["wilcoxon_p_value"] = float(test.pvalue)
    if n >= 2 and n_boot > 0:
        rng = np.random.default_rng(seed)
        means = d[rng.integers(0, n, size=(n_boot, n))].mean(axis=1)
        out["ci_low"], out["ci_high"] = (float(x) for x in np.quantile(means, [0.025, 0.975]))
    return out


def group_involvement(
    phases: pd.DataFrame, group: str, *, group_column: str = "sector"
) -> pd.DataFrame:
    """Involvement of one group in each phase, across cases.

    Parameters
    ----------
    phases
        The table of :func:`phase_participation`.
    group
        The group label, e.g. ``"citizen"``.
    group_column
        The group column of ``phases``.

    Returns
    -------
    pandas.DataFrame
        One row per phase (in :data:`PHASES` order): ``group, phase,
        n_cases`` (cases with records in that phase), ``cases_involved``
        (of which the group had at least one active actor),
        ``involved_share``, ``mean_actor_share``, ``median_actor_share``,
        ``mean_tie_share``, ``mean_activity_share`` (means over the cases
        where the share is defined; a case where the group is absent but the
        phase has records counts as 0) and, when ``phases`` has ``roster``,
        ``mean_rate`` (mean over the cases with records in the phase and the
        group on the roster).
    """
    measures = [m for m in _MEASURES if m != "rate" or "roster" in phases.columns]
    wide = {m: _group_phase_shares(phases, [group], m, group_column) for m in measures}
    rows = []
    for phase in PHASES:
        share = wide["actor_share"][phase].dropna()
        n = len(share)
        involved = int(np.count_nonzero(share.to_numpy() > 0))
        rows.append(
            {
                "group": group,
                "phase": phase,
                "n_cases": n,
                "cases_involved": involved,
                "involved_share": involved / n if n else float("nan"),
                "mean_actor_share": float(share.mean()) if n else float("nan"),
                "median_actor_share": float(share.median()) if n else float("nan"),
                "mean_tie_share": float(wide["tie_share"][phase].mean()),
                "mean_activity_share": float(wide["activity_share"][phase].mean()),
                **({"mean_rate": float(wide["rate"][phase].mean())} if "rate" in wide else {}),
            }
        )
    return pd.DataFrame(rows)


#: Columns of ``phase_tests.csv``, in order.
PHASE_TEST_COLUMNS = (
    "test", "measure", "group", "n_cases", "estimate", "statistic", "p_value", "q_value", "ci_low",
    "ci_high", "mean_early", "mean_implementation", "sd_difference", "cohens_dz", "wilcoxon_statistic",
    "wilcoxon_p_value", "wilcoxon_q_value", "n_boot",
)  # fmt: skip


def phase_tests(
    phases: pd.DataFrame,
    *,
    groups: Sequence[str] | None = None,
    public_label: str = "public",
    n_boot: int = 2000,
    seed: int = 0,
    group_column: str = "sector",
) -> pd.DataFrame:
    """The implementation test on shares and on rates, as one tidy table (``phase_tests.csv``).

    One row per measure and tested group of :func:`implementation_test`:
    ``measure`` is ``share`` (``actor_share``, the share of the phase's active
    actors: compositional) or ``rate`` (the share of the group's roster
    active in the phase: not compositional); both use the same bootstrap
    resamples of cases.

    Parameters
    ----------
    phases
        The table of :func:`phase_participation` (one wave).
    groups
        The tested groups; default every group of ``phases`` but
        ``public_label`` and ``"unknown"``, in table order.
    public_label
        The public group (not tested).
    n_boot, seed, group_column
        As in :func:`implementation_test`.

    Returns
    -------
    pandas.DataFrame
        :data:`PHASE_TEST_COLUMNS`: ``test`` (``implementation``: implementation
        minus the mean of initiation and design, paired by case),
        ``measure``, ``group`` (``non_public`` pools the groups), ``n_cases``,
        ``estimate`` (mean paired difference), ``statistic`` and ``p_value``
        (paired t-test, two-sided), ``q_value`` (its Benjamini–Hochberg 1995
        q-value over every row of the table: the wave's family of t-tests),
        ``ci_low``/``ci_high`` (percentile bootstrap 95% interval of the
        estimate), then ``mean_early``, ``mean_implementation``,
        ``sd_difference``, ``cohens_dz``, ``wilcoxon_statistic``,
        ``wilcoxon_p_value``, ``wilcoxon_q_value`` (the same over the
        Wilcoxon tests), ``n_boot``. No rows when no group is tested.
    """
    if groups is None:
        labels = pd.unique(phases[group_column].astype(str)) if len(phases) else []
        groups = [g for g in labels if g not in (str(public_label), UNKNOWN_GROUP)]
    if not len(groups):
        return pd.DataFrame(columns=list(PHASE_TEST_COLUMNS))
    parts = []
    for label, column in TEST_MEASURES.items():
        res = implementation_test(
            phases, groups=groups, measure=column, n_boot=n_boot, seed=seed, group_column=group_column
        )
        res = res.rename(
            columns={"mean_difference": "estimate", "t_statistic": "statistic", "t_p_value": "p_value"}
        )
        parts.append(res.assign(test="implementation", measure=label))
    from netinnov.metrics.multiple_testing import phase_qvalues

    return phase_qvalues(pd.concat(parts, ignore_index=True))[list(PHASE_TEST_COLUMNS)]


def citizen_involvement(
    phases: pd.DataFrame, *, group: str = "citizen", group_column: str = "sector"
) -> pd.DataFrame:
    """End-user / citizen involvement per phase: :func:`group_involvement` of ``group``."""
    return group_involvement(phases, group, group_column=group_column)


def phase_share_summary(
    phases: pd.DataFrame, *, measure: str = "actor_share", group_column: str = "sector", by: str = "wave"
) -> pd.DataFrame:
    r"""Mean share of each group in each phase across cases, with a 95% interval.

    For each ``by`` level (wave), phase :math:`p` and group :math:`s`, over the
    :math:`n` cases with records in phase :math:`p` (where the share is
    defined; a group without active actors counts as 0):
    mean :math:`\bar x`, standard deviation :math:`s` and the t interval
    :math:`\bar x \pm t_{0.975, n-1}\, s / \sqrt n` (NaN for :math:`n < 2`).

    Returns
    -------
    pandas.DataFrame
        ``<by>, phase, <group_column>, n_cases, mean, sd, ci_low, ci_high``.
    """
    cols = [by, "phase", group_column]
    data = phases[[*cols, measure]].copy()
    data[measure] = pd.to_numeric(data[measure], errors="coerce")
    data = data.dropna(subset=[measure])
    for c in cols:
        data[c] = data[c].astype(str)
    g = data.groupby(cols, sort=False)[measure]
    out = pd.DataFrame({"n_cases": g.size(), "mean": g.mean(), "sd": g.std(ddof=1)}).reset_index()
    n = out["n_cases"].to_numpy(dtype=float)
    from scipy import stats  # here, not at the top (see _paired_summary)

    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * out["sd"].to_numpy(dtype=float) / np.sqrt(n)
    half = np.where(n >= 2, half, np.nan)
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    phase_order = {p: i for i, p in enumerate(PHASES)}
    levels = list(dict.fromkeys(data[by]))
    out = out.assign(_b=out[by].map({w: i for i, w in enumerate(levels)}), _p=out["phase"].map(phase_order))
    return out.sort_values(["_b", "_p", group_column], kind="stable").drop(columns=["_b", "_p"]).reset_index(drop=True)
