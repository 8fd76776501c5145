"""The figures and tables the reports save under ``reports/figures/`` (issue 16, item 4).

Every figure is saved as ``<name>.png`` (200 dpi), ``<name>.svg`` and
``<name>.pdf``; every table as ``<name>.html``. :data:`FIGURES` lists each
file name (a regular expression where the name is built from the data: a
wave, a source, a measure) with what it shows, so the codebook page can list
them and ``tests/codebook/test_codebook.py`` can check that no saved file is missing
from the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FIGURES", "FigureEntry", "figure_entry"]

#: The formats of a saved figure and of a saved table.
FIGURE_FORMATS = ("png", "svg", "pdf")
TABLE_FORMATS = ("html",)


@dataclass(frozen=True)
class FigureEntry:
    """One saved figure or table: its folder under ``reports/figures/`` and
    its file name without extension (regular expressions), what it is and
    what it shows."""

    folder: str
    name: str
    kind: str  # figure | table
    description: str

    @property
    def formats(self) -> tuple[str, ...]:
        return FIGURE_FORMATS if self.kind == "figure" else TABLE_FORMATS


def _f(folder: str, name: str, description: str) -> FigureEntry:
    return FigureEntry(folder, name, "figure", description)


def _t(folder: str, name: str, description: str) -> FigureEntry:
    return FigureEntry(folder, name, "table", description)


_WAVE = r"wave_[A-Za-z0-9_-]+"
_CASE = r"cases/[A-Za-z0-9_-]+/part[0-9]+/[^/]+"

FIGURES: tuple[FigureEntry, ...] = (
    _f(_WAVE, "rejected", "Rejected input rows of the wave by file and reason"),
    _f(_WAVE, "case_sizes", "Actors and ties per case of the wave"),
    _f(_WAVE, "actors_per_case", "Distribution of the number of actors per case"),
    _f(_WAVE, "collaboration_types", "Cases per collaboration type (who drives the case)"),
    _t(_WAVE, "records", "Records read, accepted and rejected per input file"),
    _t(_WAVE, "quality", "Data quality of the wave: response, missing values, rejected rows "
       "(waves/<wave>/quality_checks.csv)"),
    _t(_WAVE, "mixing_tests", "The E-I tests of the wave's cases counted before and after the q-values "
       "(waves/<wave>/mixing_summary.csv)"),
    _f(_CASE, "network", "The case network: sectors by colour, betweenness by node area, strong and weak ties, "
       "arrowheads for directed data, the five leading brokers labelled, isolates in a band below"),
    _f(_CASE, "brokerage_roles", "Gould-Fernandez brokerage roles of the case's actors"),
    _f("distributions", "brokerage", "Distributions of the brokerage measures across actors"),
    _f("distributions", "structural_holes", "Constraint and size-normalised betweenness of the actors"),
    _f("distributions", "diversity", "Diversity of the actors' alters (Blau, IQV, E-I)"),
    _t("distributions", "summary", "Median [q1, q3] of the actor measures per sector and wave "
       "(panel/metric_summary.csv)"),
    _f("phases", "phase_shares", "Mean share of each sector in each innovation phase, 95 % intervals "
       "(panel/phase_summary.csv)"),
    _f("phases", "phase_rates", "Mean share of each sector's roster active in each phase (panel/phase_summary.csv)"),
    _f("phases", r"implementation_test_(share|rate)", "The implementation test: implementation minus the earlier "
       "phases, on shares or on rates (phase_tests.csv)"),
    _f("phases", "citizen_involvement", "Cases involving the involvement group in each phase "
       "(panel/group_involvement.csv)"),
    _t("phases", "phase_shares", "Mean actor share by phase and sector with intervals"),
    _t("phases", "phase_rates", "Mean roster rate by phase and sector with intervals"),
    _t("phases", "implementation_test", "The implementation test with p- and q-values"),
    _t("phases", "citizen_involvement", "Involvement of the involvement group by phase"),
    _f("roles", "role_scores", "Role scores of actors by what they reported"),
    _f("roles", "role_auc", "AUC of each role score against the reported holders and cases, 95 % intervals"),
    _f("roles", "role_presence", "Share of cases with each role inferred and reported (panel/role_presence.csv)"),
    _t("roles", "role_validation", "roles_validation.csv"),
    _t("roles", "role_presence", "Role presence per wave: inferred and reported (panel/role_presence.csv)"),
    _f("panel", "jaccard", "Tie change between consecutive waves (Jaccard index per case)"),
    _f("panel", "actor_turnover", "Actors who joined and left between waves (panel/turnover.csv)"),
    _f("panel", "tie_transitions", "Weak to strong and strong to weak tie transitions between waves"),
    _f("panel", "stability", "Rank stability (Spearman) of the actor measures between waves"),
    _t("panel", "turnover", "Tie and actor turnover per wave pair, summed over cases (panel/turnover.csv)"),
    _t("panel", "tie_transitions", "Tie transitions summed per wave pair (panel/tie_transition_summary.csv)"),
    _t("panel", "flagged", "Cases with Jaccard below the threshold of panel/jaccard_summary.csv (0.3)"),
    _t("panel", "stability", "Median Spearman stability per metric (panel/stability_summary.csv)"),
    _f("models", "coefficients", "Coefficients of the case-level models with intervals, per estimator"),
    _f("models", "cv_scores", "Cross-validated scores of the prediction models"),
    _f("models", "importance", "Permutation importance of the features"),
    _f("models", "qap_pooled", "Pooled MRQAP estimates per term, model and wave"),
    _t("models", "coefficients", "models/coefficients.csv"),
    _t("models", "fit", "models/fit.csv"),
    _t("models", "cv_scores", "models/cv_scores.csv"),
    _t("models", "qap_pooled", "The pooled rows of models/qap.csv"),
    _t("models", "qap_not_estimated", "MRQAP cases that could not be estimated, counted by reason "
       "(models/qap_not_estimated.csv)"),
    _t("models", "qap", "The per-case rows of models/qap.csv with estimates"),
    _t("models", "not_estimated", "Every model fit without an estimate, and why (models/not_estimated.csv)"),
    _f("validity", r"validity_[A-Za-z0-9_-]+", "Validity figures of the measures, per source (data, generator)"),
    _t("validity", "validity_size", "Correlation of the role presence scores with case size"),
    _t("validity", "validity_targets", "Each validity figure against its target"),
    _t("validity", "validity_all", "validity/validity.csv"),
    _f("power", "power_curves", "Power of each model term against the effect size"),
    _t("power", "power", "models/power.csv"),
    _t("power", "mde", "Minimal detectable effects (models/mde.csv)"),
)


def figure_entry(relative: str) -> FigureEntry | None:
    """The entry of a file under ``reports/figures/`` (path relative to that
    folder, POSIX, with its extension), or None."""
    folder, _, file = relative.rpartition("/")
    stem, _, ext = file.rpartition(".")
    for entry in FIGURES:
        if ext in entry.formats and re.fullmatch(entry.folder, folder) and re.fullmatch(entry.name, stem):
            return entry
    return None
