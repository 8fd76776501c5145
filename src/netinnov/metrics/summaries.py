"""The summaries shown on the report pages, computed from the result tables (issue 15, item 5).

Written by the steps of :mod:`netinnov.steps.report_summaries` (``netinnov report-summaries``
and ``netinnov wave-summaries``), so that every number these
reports show is a table under ``results/<dataset>/panel/`` and in the manifest
(the notebooks only read, select, format and draw):

``panel/actor_counts.csv``
    per wave and group: the actors (case memberships) of ``actors.csv``.
``panel/metric_summary.csv``
    per actor metric, wave and group: ``n`` (actors with a value), median,
    quartiles and mean (:func:`metric_summary`; betweenness size-normalised
    per case, :func:`normalised_betweenness`).
``panel/turnover.csv``
    per pair of consecutive waves: ``panel/change.csv`` summed over cases,
    median Jaccard and Hamming, cases flagged (:func:`turnover_summary`).
``panel/jaccard_summary.csv``
    one row: the case-wave pairs with a Jaccard index, how many fall below
    0.3, and the median and lowest Jaccard over them (:func:`jaccard_summary`).
``panel/tie_transition_summary.csv``
    per pair of consecutive waves: ``panel/tie_transitions.csv`` summed over
    cases (:func:`transition_summary`).
``panel/stability_summary.csv``
    per actor metric and wave pair: the cases of ``panel/stability.csv`` and
    the median Spearman correlation and actors (:func:`stability_summary`).
``panel/role_scores.csv``
    per role, survey report and wave: actors, median and mean role score
    (:func:`role_score_summary`).
``panel/role_presence.csv``
    per wave and role: the cases with the role reported, inferred and both,
    and their shares (:func:`role_presence`).

And per wave, the numbers of the wave overview (``netinnov wave-summaries``),
under ``results/<dataset>/waves/<wave>/``:

``wave_counts.csv``
    one row: cases, distinct actors, case memberships and ties of the wave.
``quality_checks.csv``
    per data-quality check: count, denominator and share (:func:`quality_checks`).
``case_measures.csv``
    per case-level measure of ``cases.csv``: count, mean, sd, min, quartiles
    and max over the cases (:func:`case_measures`).
``mixing_summary.csv``
    per E-I test: cases tested and significant before and after the
    Benjamini–Hochberg adjustment (:func:`mixing_summary`).
``rejected_counts.csv``
    rejected input rows per file and reason (:func:`rejected_counts`).
``case_counts.csv``
    per case: its actors, ties and local bridges (the first line of the
    case page; :func:`case_counts`).

The functions were in ``netinnov.reports`` (distributions, panel, roles,
overview) and are still importable from there; they read no file.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from netinnov.contract import LEADERSHIP_ROLES, REPORT_SUMMARY_TABLES, WAVE_SUMMARY_TABLES

__all__ = [
    "JACCARD_THRESHOLD",
    "METRIC_GROUPS",
    "OUTPUTS",
    "REPORT_GROUPS",
    "SUMMARY_METRICS",
    "TRANSITION_KINDS",
    "CASE_MEASURES",
    "WAVE_OUTPUTS",
    "actor_counts",
    "case_counts",
    "case_measures",
    "mixing_summary",
    "quality_checks",
    "rejected_counts",
    "wave_counts",
    "metric_summary",
    "jaccard_summary",
    "normalised_betweenness",
    "role_presence",
    "role_score_summary",
    "score_groups",
    "stability_summary",
    "transition_summary",
    "turnover_summary",
    "wave_pairs",
]


#: The actor metrics of the distributions page, in figure groups.
METRIC_GROUPS = {
    "brokerage": ["gf_coordinator", "gf_itinerant", "gf_representative", "gf_gatekeeper", "gf_liaison", "gf_total"],
    "structural_holes": ["betweenness", "constraint", "effective_size"],
    "diversity": ["blau", "iqv", "ei"],
}

#: The metrics of ``metric_summary.csv``, in this order: raw betweenness grows
#: with the size of the case, so the size-normalised one is summarised.
SUMMARY_METRICS = tuple(
    "betweenness_normalised" if m == "betweenness" else m for group in METRIC_GROUPS.values() for m in group
)

#: Below this Jaccard similarity of consecutive waves' ties a case is flagged:
#: most of its ties changed, so wave-to-wave comparisons of its structure say little.
JACCARD_THRESHOLD = 0.3

#: The transition counts of ``panel/tie_transitions.csv`` summed per wave pair.
TRANSITION_KINDS = ("weak_to_strong", "strong_to_weak", "strong_kept", "weak_kept", "formed_strong", "formed_weak",
                    "dissolved_strong", "dissolved_weak")

#: Categories of :func:`score_groups`, in display order.
REPORT_GROUPS = ("reported this role", "reported another role", "no reported role")

#: The tables written, by name, under ``panel/``.
OUTPUTS = {name: f"{name}.csv" for name in REPORT_SUMMARY_TABLES}


def _ordered(values: pd.Series, order: Sequence[str] | None = None) -> list[str]:
    """The distinct non-missing values as text: ``order`` first (those present), then the rest sorted."""
    present = {str(v) for v in values.dropna().astype(str).unique()}
    first = [str(o) for o in (order or []) if str(o) in present]
    return first + sorted(present - set(first))


# ----------------------------------------------------------- actor metrics
def normalised_betweenness(actors: pd.DataFrame, *, directed: bool | None = None) -> pd.Series:
    """Raw betweenness divided by its maximum in the actor's case, so that
    cases of different sizes can share a figure: (n−1)(n−2) for directed
    networks, (n−1)(n−2)/2 for undirected ones, n the actors of the case (rows
    of ``actors`` per wave and case). ``directed`` default: the table has
    ``in_degree`` (written for directed networks only). NaN for n < 3."""
    if "betweenness" not in actors.columns:
        return pd.Series(np.nan, index=actors.index, dtype=float)
    if directed is None:
        directed = "in_degree" in actors.columns
    keys = [c for c in ("wave", "case_id") if c in actors.columns]
    n = actors.groupby(keys)[keys[0]].transform("size").astype(float) if keys \
        else pd.Series(float(len(actors)), index=actors.index)
    pairs = (n - 1) * (n - 2) / (1.0 if directed else 2.0)
    raw = pd.to_numeric(actors["betweenness"], errors="coerce")
    return (raw / pairs.where(pairs > 0)).astype(float)


def metric_summary(
    actors: pd.DataFrame, metrics: Sequence[str], *, group: str = "sector", hue: str = "wave"
) -> pd.DataFrame:
    """Median and interquartile range of each metric per ``hue`` and ``group``.

    Returns one row per (metric, hue, group): ``metric, <hue>, <group>, n``
    (actors with a value), ``median, q1, q3, mean``.
    """
    metrics = [m for m in metrics if m in actors.columns]
    if not metrics or not len(actors) or group not in actors.columns:
        return pd.DataFrame(columns=["metric", hue, group, "n", "median", "q1", "q3", "mean"])
    long = actors[[hue, group, *metrics]].melt(id_vars=[hue, group], var_name="metric", value_name="value")
    long["value"] = pd.to_numeric(long["value"], errors="coerce")
    long[hue] = long[hue].astype(str)
    long[group] = long[group].astype(object).where(long[group].notna(), "unknown").astype(str)
    by = long.dropna(subset=["value"]).groupby(["metric", hue, group], sort=False)["value"]
    out = pd.DataFrame({"n": by.size(), "median": by.median(), "q1": by.quantile(0.25), "q3": by.quantile(0.75),
                        "mean": by.mean()}).reset_index()
    hue_levels = list(dict.fromkeys(long[hue]))  # waves in the order given
    out = out.assign(_m=pd.Categorical(out["metric"], categories=metrics, ordered=True).codes,
                     _h=pd.Categorical(out[hue], categories=hue_levels, ordered=True).codes)
    out = out.sort_values(["_m", "_h", group], kind="stable").drop(columns=["_m", "_h"])
    return out.reset_index(drop=True)


def actor_counts(actors: pd.DataFrame, *, group: str = "sector", waves: Sequence[str] | None = None) -> pd.DataFrame:
    """``wave, <group>, actors``: the rows of the stacked ``actors.csv`` (case
    memberships) per wave and group, waves in the order given, groups sorted."""
    if not len(actors) or group not in actors.columns:
        return pd.DataFrame(columns=["wave", group, "actors"])
    counts = actors.astype({"wave": str}).groupby(["wave", group]).size().rename("actors").reset_index()
    rank = {w: i for i, w in enumerate(_ordered(counts["wave"], waves))}
    counts = counts.assign(_r=counts["wave"].map(rank)).sort_values(["_r", group], kind="stable")
    return counts.drop(columns="_r").astype({"actors": "int64"}).reset_index(drop=True)


# -------------------------------------------------------------- the panel
def wave_pairs(frame: pd.DataFrame) -> pd.Series:
    """``"<wave_from>→<wave_to>"`` labels, one per row."""
    return frame["wave_from"].astype(str) + "→" + frame["wave_to"].astype(str)


def _pair_order(frame: pd.DataFrame, waves: Sequence[str] | None) -> list[str]:
    labels = wave_pairs(frame)
    if waves:
        rank = {w: i for i, w in enumerate(waves)}
        pairs = frame.assign(_p=labels, _r=frame["wave_from"].astype(str).map(rank).fillna(len(rank)))
        return list(dict.fromkeys(pairs.sort_values(["_r", "_p"], kind="stable")["_p"]))
    return _ordered(labels)


def turnover_summary(change: pd.DataFrame, *, waves: Sequence[str] | None = None) -> pd.DataFrame:
    """Per wave pair: cases, ties kept / gained / lost, actors joined / left,
    median Jaccard and Hamming, and the cases flagged (``jaccard < 0.3``)."""
    if not len(change):
        return pd.DataFrame(columns=["waves", "cases", "ties_kept", "ties_gained", "ties_lost", "actors_joined",
                                     "actors_left", "median_jaccard", "median_hamming", "flagged_cases"])
    frame = change.assign(waves=wave_pairs(change))
    num = {c: pd.to_numeric(frame[c], errors="coerce") for c in
           ("n11", "n01", "n10", "actors_joined", "actors_left", "jaccard", "hamming") if c in frame.columns}
    frame = frame.assign(**num)
    g = frame.groupby("waves", sort=False)
    out = pd.DataFrame({"cases": g.size()})
    for name, col in (("ties_kept", "n11"), ("ties_gained", "n01"), ("ties_lost", "n10"),
                      ("actors_joined", "actors_joined"), ("actors_left", "actors_left")):
        if col in frame.columns:
            out[name] = g[col].sum().astype("int64")
    out["median_jaccard"] = g["jaccard"].median()
    if "hamming" in frame.columns:
        out["median_hamming"] = g["hamming"].median()
    out["flagged_cases"] = g["jaccard"].apply(lambda s: int((s < JACCARD_THRESHOLD).sum()))
    out = out.reindex(_pair_order(change, waves))
    return out.rename_axis("waves").reset_index()


def jaccard_summary(change: pd.DataFrame, *, threshold: float = JACCARD_THRESHOLD) -> pd.DataFrame:
    """One row: ``threshold, pairs`` (case-wave pairs of ``panel/change.csv``
    with a Jaccard index), ``below_threshold`` (those with ``jaccard <
    threshold``), ``median_jaccard`` and ``min_jaccard`` over them (NaN
    without a pair)."""
    j = pd.to_numeric(change["jaccard"], errors="coerce").dropna() if "jaccard" in change.columns \
        else pd.Series(dtype=float)
    return pd.DataFrame({"threshold": [float(threshold)], "pairs": [len(j)], "below_threshold": [int((j < threshold).sum())],
                         "median_jaccard": [j.median() if len(j) else np.nan],
                         "min_jaccard": [j.min() if len(j) else np.nan]})


def transition_summary(transitions: pd.DataFrame, *, waves: Sequence[str] | None = None) -> pd.DataFrame:
    """Per wave pair: cases and the ties of each transition kind, summed over cases."""
    kinds = [k for k in TRANSITION_KINDS if k in transitions.columns]
    if not len(transitions):
        return pd.DataFrame(columns=["waves", "cases", *kinds])
    frame = transitions.assign(waves=wave_pairs(transitions),
                               **{k: pd.to_numeric(transitions[k], errors="coerce") for k in kinds})
    g = frame.groupby("waves", sort=False)
    out = pd.DataFrame({"cases": g["case_id"].nunique() if "case_id" in frame.columns else g.size()})
    for k in kinds:
        out[k] = g[k].sum().astype("int64")
    out = out.reindex(_pair_order(transitions, waves))
    return out.rename_axis("waves").reset_index()


def stability_summary(stability: pd.DataFrame) -> pd.DataFrame:
    """``metric, waves, cases, median_spearman, median_actors``: per actor
    metric and wave pair of ``panel/stability.csv`` (in its order), the cases
    and the median Spearman correlation (NaN for a metric constant within
    every case) and median actors in both waves over the cases."""
    columns = ["metric", "waves", "cases", "median_spearman", "median_actors"]
    if not len(stability):
        return pd.DataFrame(columns=columns)
    frame = stability.assign(waves=wave_pairs(stability), metric=stability["metric"].astype(str),
                             spearman=pd.to_numeric(stability["spearman"], errors="coerce"),
                             n_actors=pd.to_numeric(stability["n_actors"], errors="coerce"))
    out = frame.groupby(["metric", "waves"], sort=False).agg(
        cases=("case_id", "nunique"), median_spearman=("spearman", "median"), median_actors=("n_actors", "median"))
    return out.reset_index()[columns]


# ------------------------------------------------------------------ roles
def score_groups(actors: pd.DataFrame, *, by: str = "wave") -> pd.DataFrame:
    """Long table of role scores with the actor's report about that role.

    For each actor and role: ``<by>, role, score`` and ``report``: ``reported
    this role``, ``reported another role`` or ``no reported role`` (from
    ``reported_roles``, roles joined by ``;``).
    """
    reported = actors["reported_roles"].astype(object).where(actors["reported_roles"].notna(), "").astype(str) \
        if "reported_roles" in actors.columns else pd.Series("", index=actors.index)
    any_role = reported.str.len().to_numpy() > 0
    frames = []
    for role in LEADERSHIP_ROLES:
        col = f"{role}_score"
        if col not in actors.columns:
            continue
        this = reported.str.contains(rf"(?:^|;){role}(?:;|$)", regex=True).to_numpy(dtype=bool)
        report = np.where(this, REPORT_GROUPS[0], np.where(any_role, REPORT_GROUPS[1], REPORT_GROUPS[2]))
        frames.append(pd.DataFrame({by: actors[by].astype(str).to_numpy() if by in actors.columns else "",
                                    "role": role, "score": pd.to_numeric(actors[col], errors="coerce").to_numpy(),
                                    "report": report}))
    if not frames:
        return pd.DataFrame(columns=[by, "role", "score", "report"])
    return pd.concat(frames, ignore_index=True)


def role_score_summary(actors: pd.DataFrame) -> pd.DataFrame:
    """``role, report, wave, actors, median, mean``: the role scores of
    :func:`score_groups` per role, survey report and wave (``actors``: rows,
    with or without a score; median and mean over the scores)."""
    scores = score_groups(actors)
    if not len(scores):
        return pd.DataFrame(columns=["role", "report", "wave", "actors", "median", "mean"])
    out = scores.groupby(["role", "report", "wave"], sort=False)["score"].agg(["size", "median", "mean"])
    return out.reset_index().rename(columns={"size": "actors"})


def role_presence(cases: pd.DataFrame, *, by: str = "wave") -> pd.DataFrame:
    """Share of cases in which each role is present, reported and inferred.

    Returns one row per (``by``, role): ``n_cases, reported, inferred, both,
    reported_share, inferred_share, both_share`` from the ``<role>_present``
    and ``<role>_inferred`` columns of ``cases.csv`` (cases with a missing
    flag are left out of that role's counts).
    """
    rows = []
    for level, part in cases.groupby(by, sort=False) if by in cases.columns else ():
        for role in LEADERSHIP_ROLES:
            rep, inf = f"{role}_present", f"{role}_inferred"
            if rep not in part.columns and inf not in part.columns:
                continue
            r = pd.to_numeric(part[rep], errors="coerce") if rep in part.columns else pd.Series(np.nan, index=part.index)
            i = pd.to_numeric(part[inf], errors="coerce") if inf in part.columns else pd.Series(np.nan, index=part.index)
            known = r.notna() | i.notna()
            n = int(known.sum())
            reported, inferred = int((r > 0).sum()), int((i > 0).sum())
            both = int(((r > 0) & (i > 0)).sum())
            rows.append({by: str(level), "role": role, "n_cases": n, "reported": reported, "inferred": inferred,
                         "both": both, "reported_share": reported / n if n else np.nan,
                         "inferred_share": inferred / n if n else np.nan, "both_share": both / n if n else np.nan})
    return pd.DataFrame(rows, columns=[by, "role", "n_cases", "reported", "inferred", "both", "reported_share",
                                       "inferred_share", "both_share"])


# ------------------------------------------------------------------- step


# ------------------------------------------------------- the wave overview
#: The case-level measures of ``case_measures.csv`` (those in ``cases.csv``), in this order.
CASE_MEASURES = ("n_actors", "n_ties", "density", "strong_tie_share", "local_bridge_share", "sector_blau")

#: The tables written, by name, in the wave's folder.
WAVE_OUTPUTS = {name: f"{name}.csv" for name in WAVE_SUMMARY_TABLES}


def wave_counts(cases: pd.DataFrame, actors: pd.DataFrame, ties: pd.DataFrame) -> pd.DataFrame:
    """One row: ``cases, actors`` (distinct ``actor_id``), ``memberships``
    (rows of ``actors.csv``) and ``ties`` of a wave."""
    distinct = actors["actor_id"].nunique() if "actor_id" in actors.columns else 0
    return pd.DataFrame({"cases": [len(cases)], "actors": [int(distinct)], "memberships": [len(actors)],
                         "ties": [len(ties)]})


def quality_checks(
    cases: pd.DataFrame,
    actors: pd.DataFrame,
    ties: pd.DataFrame,
    phases: pd.DataFrame | None = None,
    *,
    group_attribute: str = "sector",
) -> pd.DataFrame:
    """Counts worth a look before reading a wave's metrics.

    Returns one row per check: ``check``, ``count``, ``out_of`` (the
    denominator, missing where there is none) and ``share``.
    """
    rows: list[tuple[str, float, float]] = []
    n_actors = float(len(actors))
    if group_attribute in actors.columns:
        rows.append((f"actors without {group_attribute}", float(actors[group_attribute].isna().sum()), n_actors))
    if "degree" in actors.columns:
        deg = pd.to_numeric(actors["degree"], errors="coerce")
        rows.append(("isolates (actors without a tie in their case)", float((deg == 0).sum()), n_actors))
    if "n_actors" in cases.columns:
        size = pd.to_numeric(cases["n_actors"], errors="coerce").fillna(0)
        rows.append(("cases with outcomes but no network", float((size == 0).sum()), float(len(cases))))
        if "n_ties" in cases.columns:
            empty = (pd.to_numeric(cases["n_ties"], errors="coerce").fillna(0) == 0) & (size > 0)
            rows.append(("cases whose network has no tie", float(empty.sum()), float(len(cases))))
    if "closeness" in ties.columns:
        rows.append(("ties without a closeness rating", float(ties["closeness"].isna().sum()), float(len(ties))))
    if phases is not None and "unphased_records" in phases.columns and len(phases):
        per_case = phases.groupby("case_id", sort=False)["unphased_records"].first()
        rows.append(("records without a valid phase", float(pd.to_numeric(per_case, errors="coerce").sum()), np.nan))
    frame = pd.DataFrame(rows, columns=["check", "count", "out_of"])
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["share"] = frame["count"] / frame["out_of"].where(frame["out_of"] > 0)
    frame["count"] = frame["count"].astype("int64")
    frame["out_of"] = frame["out_of"].astype("Int64")
    return frame


def mixing_summary(mixing: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """Per E-I test of a wave (``mixing_tests.csv``): ``test``, ``cases_tested``
    (p-value not missing), ``p <= <alpha>`` and ``q <= <alpha>`` (cases
    significant before and after the Benjamini–Hochberg adjustment; the
    step's table names them ``p_at_most_alpha`` and ``q_at_most_alpha``, with
    an ``alpha`` column)."""
    rows = []
    for test, part in mixing.groupby("test", sort=False):
        p = pd.to_numeric(part["p_value"], errors="coerce")
        q = pd.to_numeric(part["q_value"], errors="coerce")
        rows.append({"test": test, "cases_tested": int(p.notna().sum()),
                     f"p <= {alpha:g}": int((p <= alpha).sum()), f"q <= {alpha:g}": int((q <= alpha).sum())})
    return pd.DataFrame(rows, columns=["test", "cases_tested", f"p <= {alpha:g}", f"q <= {alpha:g}"])


def case_measures(cases: pd.DataFrame, measures: Sequence[str] = CASE_MEASURES) -> pd.DataFrame:
    """``measure, count, mean, std, min, q1, median, q3, max`` of each case-level
    measure of ``cases`` (those present), over the cases of the wave
    (``DataFrame.describe``: std with ddof = 1, quartiles by linear interpolation)."""
    columns = ["measure", "count", "mean", "std", "min", "q1", "median", "q3", "max"]
    present = [m for m in measures if m in cases.columns]
    if not present:
        return pd.DataFrame(columns=columns)
    numbers = cases[present].apply(pd.to_numeric, errors="coerce").astype(float)
    out = numbers.describe().T.reset_index().rename(columns={"index": "measure", "25%": "q1", "50%": "median",
                                                             "75%": "q3"})
    return out[columns]


def rejected_counts(rejected: pd.DataFrame) -> pd.DataFrame:
    """``file, reason, rows``: the rejected input rows per file and reason (sorted)."""
    if not len(rejected) or not {"file", "reason"} <= set(rejected.columns):
        return pd.DataFrame(columns=["file", "reason", "rows"])
    return rejected.groupby(["file", "reason"]).size().rename("rows").reset_index()




def case_counts(cases: pd.DataFrame, actors: pd.DataFrame, ties: pd.DataFrame) -> pd.DataFrame:
    """Per case of ``cases.csv``, in its order: ``actors`` (its rows of
    ``actors.csv``), ``ties`` (its rows of ``ties.csv``) and ``local_bridges``
    (those with ``local_bridge`` true; 0 without the column)."""
    ids = cases["case_id"].astype(str) if "case_id" in cases.columns else pd.Series(dtype=str)

    def per_case(frame: pd.DataFrame, mask: pd.Series | None = None) -> np.ndarray:
        if "case_id" not in frame.columns:
            return np.zeros(len(ids), dtype=int)
        keys = frame["case_id"].astype(str)
        counts = (keys[mask] if mask is not None else keys).value_counts()
        return ids.map(counts).fillna(0).astype(int).to_numpy()

    bridge = ties["local_bridge"].astype(str).str.lower().isin(["true", "1"]) if "local_bridge" in ties.columns \
        else pd.Series(False, index=ties.index)
    return pd.DataFrame({"case_id": ids.to_numpy(), "actors": per_case(actors), "ties": per_case(ties),
                         "local_bridges": per_case(ties, bridge)})
