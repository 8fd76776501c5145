"""The codebook: every column of every table netinnov writes under ``results/<dataset>/``.

The one place where the columns are defined (type, unit, range, definition,
reference), in the words of ``docs/SPEC.md``. ``datapackage.json``, the
codebook page of the reports and ``tests/codebook/test_codebook.py`` (every column the
pipeline writes has an entry) read it from here.

A column name is exact, or a regular expression (``pattern=True``) for the
families of columns named after a group, role or outcome. ``{group}`` in a name
stands for the config key ``group_attribute`` (default ``sector``).
Dataset-specific columns (actor attributes of ``actors.csv``, outcomes of
``outcomes.csv``, the raw fields of a rejected row) are not listed: they get an
entry naming the input file they come from (:func:`lookup`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netinnov.contract import LEADERSHIP_ROLES, PHASES

__all__ = ["Column", "Table", "TABLES", "lookup", "table_for"]

#: Field types (Frictionless Table Schema names).
TYPES = ("string", "integer", "number", "boolean", "date")


@dataclass(frozen=True)
class Column:
    """One column: ``name`` (exact, or a regex with ``pattern``), Table Schema ``type``,
    ``unit`` and ``range`` (free text, empty when not applicable), ``definition`` and
    ``reference`` (literature or the module that computes it)."""

    name: str
    type: str
    definition: str
    unit: str = ""
    range: str = ""
    reference: str = ""
    pattern: bool = False

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type}")


@dataclass(frozen=True)
class Table:
    """One kind of result table: ``path`` is a glob relative to ``results/<dataset>/``;
    ``inputs`` names the input files whose own columns the table carries over."""

    name: str
    path: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    optional: bool = False


def C(name, type, definition, unit="", range="", reference="", pattern=False) -> Column:  # noqa: A002
    return Column(name, type, definition, unit, range, reference, pattern)


_P01 = "[0, 1]"
_ROLE_REF = "netinnov.metrics.roles; Ansell & Gash (2012); Sørensen & Torfing (2011)"
_COMPONENT_DEFS = {
    "convener_brokered_closure": (
        "Among the pairs of the actor's alters from different known groups, the weighted share that are tied "
        "to each other, the tie coming no earlier than the actor's contact with both (tertius iungens), "
        "(A + w_u U + w_p B) / (P + prior)", "Obstfeld (2005)"),
    "convener_introductions": (
        "Share of the actor's alters it brought together with another of its alters from a different known "
        "group, I / (degree + prior)", "Obstfeld (2005)"),
    "convener_early_activity": (
        "Share of the actor's phased records in initiation or design (without phases: how early its first "
        "dated record is in the case's date span)", "Crosby & Bryson (2010)"),
    "facilitator_alter_repetition": (
        "Repetition and trust of the ties among the actor's alters beyond the case's typical tie: "
        "max(0, sum over those ties of (2 p - 1)) / (ties + prior), p the tie's mid-rank percentile of "
        "intensity in the case", "Straus (2002); Ansell & Gash (2012)"),
    "facilitator_events_share": (
        "Distinct events of the case the actor attended (participation.csv), over the case's events plus "
        "prior; NaN without participation records", "Ansell & Gash (2012)"),
    "facilitator_reciprocity": (
        "Reciprocated reported pairs of the actor as a share of the case's other actors, "
        "R / max(n - 1, prior); NaN for undirected data", "Ansell & Gash (2012)"),
    "catalyst_newcomers": (
        "Newcomers the actor brought into the case beyond the case's own rate per tie, as a share of the "
        "case's other actors, max(0, M - nu d) / max(n - 1, prior); NaN without dates and previous wave",
        "Sørensen & Torfing (2011)"),
    "catalyst_weak_cross_ties": (
        "Weak ties to alters of another known group that are local bridges, beyond the case's own rate, "
        "as a share of the case's other actors", "Granovetter (1973); Burt (1992)"),
    "catalyst_bridges": (
        "Local bridges of the actor beyond the case's own rate, as a share of the case's other actors",
        "Granovetter (1973)"),
}

# ------------------------------------------------------------------ ties.csv
TIE_COLUMNS = (
    C("case_id", "string", "The innovation case / project / network the tie belongs to (interactions.csv)"),
    C("source", "string", "actor_id of the reporting or initiating actor (undirected data: the smaller id)"),
    C("target", "string", "actor_id of the other actor"),
    C("weight", "number", "Summed frequency of the tie's records (plus coparticipation under coattendance: merge)",
      "frequency units (count or config frequency_scale)", ">= 0"),
    C("n_records", "integer", "Number of interaction records of the tie (0 for a reconstructed or "
      "co-attendance-only tie)", "records", ">= 0"),
    C("frequency", "number", "Summed frequency of the tie's records", "frequency units", ">= 0"),
    C("coparticipation", "number", "Shared events (or shared hours with coparticipation_weight: minutes) of the pair",
      "events or hours", ">= 0"),
    C("shared_events", "number", "Number of events both actors attended (participation.csv)", "events", ">= 0"),
    C("duration_min", "number", "Summed duration of the tie's records", "minutes", ">= 0"),
    C("closeness", "number", "Mean closeness / trust rating of the tie's records", "rating", "1-5"),
    C("multiplexity", "integer", "Number of distinct channels of the tie (lower case)", "channels", ">= 0"),
    C("channels", "string", "The tie's distinct channels in lower case, ';'-joined"),
    C("first_date", "date", "Date of the tie's first dated record", "ISO date"),
    C("last_date", "date", "Date of the tie's last dated record", "ISO date"),
    C("layer", "string", "interaction; interaction+coattendance (the pair also shared an event); coattendance "
      "(co-attendance only, under coattendance: merge)", range="interaction | interaction+coattendance | coattendance"),
    C("reciprocated", "boolean", "Directed data: both arcs were reported in interactions.csv"),
    C("reconstructed", "boolean", "Only when members.csv has responded: an arc added from the partner's report, "
      "with n_records 0 and never reciprocated", reference="netinnov.networks.nonresponse"),
    C("strength", "number", "Tie strength: weighted mean of the tie's indicators, each on a fixed 0-1 scale "
      "(config tie_strength, tie_strength_scale)", "fixed scale", "(0, 1]",
      "Granovetter (1973); Marsden & Campbell (1984); netinnov.metrics.tie_strength"),
    C("strength_weight", "number", "= strength: the value weighted metrics use when tie_weight: strength",
      "fixed scale", "(0, 1]"),
    C("tie_class", "string", "strong or weak (config tie_class: absolute threshold on strength by default)",
      range="strong | weak", reference="Granovetter (1973)"),
    C("overlap", "number", "Neighbourhood overlap of the tie's ends: shared neighbours / (union of neighbours "
      "but the two)", "share", _P01, "Onnela et al. (2007)"),
    C("local_bridge", "boolean", "The tie's ends share no neighbour", reference="Granovetter (1973)"),
    C("span", "number", "Distance between the ends without the tie: 2 for ties that are not local bridges, "
      ">= 3 for local bridges, inf for bridges", "steps", "2 .. inf", "Granovetter (1973)"),
)

# ----------------------------------------------------------------- actors.csv
_GF = {
    "coordinator": "brokerage within one group (A->B->C, all in the broker's group)",
    "itinerant": "brokerage between two actors of one group by a broker of another group",
    "representative": "brokerage from the broker's group to another group (A in the broker's group)",
    "gatekeeper": "brokerage into the broker's group (C in the broker's group)",
    "liaison": "brokerage between two groups, neither of them the broker's",
}
ACTOR_COLUMNS = (
    C("case_id", "string", "The case the actor is in"),
    C("actor_id", "string", "Unique id of a person or organisation (actors.csv; pseudonym when pseudonymised)"),
    C("{group}", "string", "The group used by brokerage and diversity metrics (config group_attribute; actors.csv)"),
    C("degree", "integer", "Number of alters (undirected skeleton)", "actors", ">= 0"),
    C("in_degree", "integer", "Directed data: number of actors naming the actor", "actors", ">= 0"),
    C("out_degree", "integer", "Directed data: number of actors the actor names", "actors", ">= 0"),
    C("weighted_degree", "number", "Sum of the weights (config tie_weight) of the actor's ties", "weight units", ">= 0"),
    C("betweenness", "number", "Betweenness centrality, raw (not normalised)", "shortest paths", ">= 0",
      "Freeman (1977); Brandes (2001)"),
    C("betweenness_method", "string", "exact or sampled(k=...) (cases above betweenness.exact_max_actors)"),
    C("constraint", "number", "Burt's constraint (NaN for isolates)", "", ">= 0", "Burt (1992)"),
    C("effective_size", "number", "Burt's effective size of the ego network", "actors", ">= 0", "Burt (1992)"),
    C("efficiency", "number", "Effective size / degree", "share", _P01, "Burt (1992)"),
    C("hierarchy", "number", "Burt's hierarchy: concentration of constraint on one alter", "", _P01, "Burt (1992)"),
    *(C(f"gf_{r}", "number", f"Gould–Fernandez {r} count: {d}; as R sna::brokerage on the case's adjacency "
        "matrix", "brokered pairs", ">= 0", "Gould & Fernandez (1989)") for r, d in _GF.items()),
    C("gf_total", "number", "Sum of the five Gould–Fernandez counts", "brokered pairs", ">= 0",
      "Gould & Fernandez (1989)"),
    C(r"gf_(coordinator|itinerant|representative|gatekeeper|liaison|total)_z", "number",
      "Gould–Fernandez z-score of the count under random group assignment (sna::brokerage z.nli)", "SD", "",
      "Gould & Fernandez (1989)", pattern=True),
    C("blau", "number", "Blau's heterogeneity of the actor's alters' groups, 1 - sum p_g^2", "index", "[0, 1)",
      "Blau (1977)"),
    C("iqv", "number", "Index of qualitative variation: blau normalised by its maximum (K-1)/K", "index", _P01,
      "Agresti & Agresti (1978)"),
    C("shannon", "number", "Shannon entropy of the alters' groups (natural log)", "nats", ">= 0", "Shannon (1948)"),
    C("ei", "number", "Individual E-I index: (external - internal) / (external + internal) ties", "index",
      "[-1, 1]", "Krackhardt & Stern (1988)"),
    *(C(f"{r}_score", "number", f"{r.capitalize()} score: fixed-scale behavioural score, the weighted mean of the "
        f"role's available components ({r}_*); not standardised, comparable across cases and waves",
        "fixed scale", _P01, _ROLE_REF) for r in LEADERSHIP_ROLES),
    *(C(name, "number", f"Component of {name.split('_')[0]}_score: {d}", "share", _P01,
        f"netinnov.metrics.roles.role_components; {ref}") for name, (d, ref) in _COMPONENT_DEFS.items()),
    C("first_wave", "string", "The first wave in which the actor appears in the dataset"),
    C("reported_roles", "string", "The roles the actor reported in roles.csv for the case, ';'-joined "
      "(empty: none)", range="convener | facilitator | catalyst"),
    C("responded", "boolean", "Only when members.csv has responded: whether the member answered the survey"),
)

# ------------------------------------------------------------------ cases.csv
CASE_COLUMNS = (
    C("case_id", "string", "The innovation case / project / network"),
    C("n_actors", "integer", "Actors of the case's network (its roster when members.csv is given, isolates "
      "included)", "actors", ">= 0"),
    C("n_ties", "integer", "Ties of the case (directed arcs, or undirected pairs)", "ties", ">= 0"),
    C("density", "number", "Ties / possible ties", "share", _P01, "Wasserman & Faust (1994)"),
    C("strong_tie_share", "number", "Share of the case's ties with tie_class strong", "share", _P01),
    C("weak_tie_share", "number", "Share of the case's ties with tie_class weak", "share", _P01),
    C("local_bridge_share", "number", "Share of the case's ties that are local bridges", "share", _P01,
      "Granovetter (1973)"),
    C("mean_overlap", "number", "Mean neighbourhood overlap of the case's ties", "share", _P01, "Onnela et al. (2007)"),
    C("{group}_blau", "number", "Blau heterogeneity of the case roster's groups", "index", "[0, 1)", "Blau (1977)"),
    C("{group}_iqv", "number", "Index of qualitative variation of the roster's groups", "index", _P01,
      "Agresti & Agresti (1978)"),
    C("n_groups", "number", "Number of distinct known groups in the case (written as a decimal, e.g. 3.0)",
      "groups", ">= 0"),
    C("ei", "number", "Case E-I index of the ties between and within groups", "index", "[-1, 1]",
      "Krackhardt & Stern (1988)"),
    C("ei_expected", "number", "E-I index expected under random mixing (label permutation)", "index", "[-1, 1]"),
    C("ei_p_value", "number", "Two-sided permutation p-value of ei (ei_permutations group-label permutations)",
      "probability", _P01, "Krackhardt & Stern (1988)"),
    C("ei_expected_conditional", "number", "E-I index expected under degree-preserving rewiring (keeps every "
      "actor's degree and the group sizes)", "index", "[-1, 1]", "netinnov.metrics.mixing"),
    C("ei_p_value_conditional", "number", "Two-sided p-value of ei under degree-preserving rewiring",
      "probability", _P01, "netinnov.metrics.mixing"),
    C(r"ei_(?!expected|p_value).+", "number", "Group-level E-I index of the group named after ei_", "index",
      "[-1, 1]", "Krackhardt & Stern (1988)", pattern=True),
    C("cross_{group}_tie_share", "number", "Share of the case's ties between actors of different groups", "share",
      _P01),
    C("{group}_assortativity", "number", "Attribute assortativity of the groups", "coefficient", "[-1, 1]",
      "Newman (2003)"),
    C("weak_cross_{group}_tie_share", "number", "Share of the cross-group ties that are weak", "share", _P01),
    C("collaboration_type", "string", "Who drives the case", range="no_collaboration | individual_change_agent | "
      "public_private | inter_agency", reference="netinnov.metrics.collaboration_type; Sørensen & Torfing (2011)"),
    C("n_drivers", "integer", "Number of the case's drivers", "actors", ">= 0"),
    C("drivers", "string", "Driver ids, ';'-joined (pseudonyms when pseudonymised)"),
    C("top_driver_share", "number", "The top driver's share of the drivers' record involvement, "
      "r_top / sum of r over the drivers", "share", _P01),
    C("top_driver_record_share", "number", "Share of the case's records the top driver takes part in", "share", _P01),
    C("driver_{group}s", "string", "The drivers' distinct groups, sorted, ';'-joined (unknown for a missing group)"),
    C("n_driver_public_organizations", "integer", "Distinct known organisations of the public drivers",
      "organisations", ">= 0"),
    C("driver_nonpublic_share", "number", "Share of the drivers of known group that are not public", "share", _P01),
    C("nonpublic_driver_work_share", "number", "Share of the drivers' record involvement carried by the non-public "
      "drivers (public_private needs >= collaboration_type.min_nonpublic_share)", "share", _P01),
    C("n_driver_reported_roles", "integer", "Drivers with a reported role", "actors", ">= 0"),
    *(C(f"{r}_present", "integer", f"1 when some actor of the case reported the {r} role in roles.csv, else 0; "
        "empty when the case's roles were not surveyed", "", "0 | 1") for r in LEADERSHIP_ROLES),
    *(C(f"{r}_inferred", "integer", f"1 when {r}_max_score >= the role's role_threshold, else 0", "", "0 | 1",
        _ROLE_REF) for r in LEADERSHIP_ROLES),
    *(C(f"{r}_max_score", "number", f"The case's presence score: its largest actor {r}_score", "fixed scale",
        _P01, _ROLE_REF) for r in LEADERSHIP_ROLES),
    C("n_respondents", "integer", "Members who answered the survey (empty without a responded column)", "actors",
      ">= 0"),
    C("response_rate", "number", "n_respondents / members (empty without a responded column)", "share", _P01),
)


# ------------------------------------------------------------ other wave files
PHASE_COLUMNS = (
    C("case_id", "string", "The case"),
    C("{group}", "string", "The group (config group_attribute)"),
    C("phase", "string", "The innovation phase", range=" | ".join(PHASES)),
    C("actors", "integer", "Distinct active actors of the group in the phase", "actors", ">= 0"),
    C("actor_share", "number", "The group's share of the phase's active actors", "share", _P01),
    C("ties", "integer", "Distinct unordered pairs tied in the phase (an interaction record, or two attendees of "
      "one event) with at least one end in the group", "pairs", ">= 0"),
    C("tie_share", "number", "ties / the case's tied pairs in the phase (a tie between two groups counts for "
      "both)", "share", _P01),
    C("activity", "number", "Weighted activity: each interaction record adds its frequency to each end's group, "
      "each participation record 1 to its attendee's group", "frequency units", ">= 0"),
    C("activity_share", "number", "The group's share of the phase's activity", "share", _P01),
    C("roster", "integer", "The group's roster in the case", "actors", ">= 0"),
    C("rate", "number", "Active actors of the group in the phase / the group's roster in the case", "share", _P01),
    C("unphased_records", "integer", "Records of the case without a phase", "records", ">= 0"),
)
_Q_REF = "Benjamini & Hochberg (1995)"
PHASE_TEST_COLUMNS = (
    C("test", "string", "The test: implementation minus the mean of initiation and design, paired by case"),
    C("measure", "string", "share or rate (phases.csv)", range="share | rate"),
    C("group", "string", "non_public pooled, then each group"),
    C("n_cases", "integer", "Cases in the test", "cases", ">= 0"),
    C("estimate", "number", "Mean paired difference", "share", "[-1, 1]"),
    C("statistic", "number", "Paired t statistic", "t"),
    C("p_value", "number", "Two-sided p-value of the paired t test", "probability", _P01),
    C("q_value", "number", "Benjamini–Hochberg q-value of p_value over every row of the wave's table",
      "probability", _P01, _Q_REF),
    C("ci_low", "number", "Lower bound of the 95% bootstrap interval of estimate", "share"),
    C("ci_high", "number", "Upper bound of the 95% bootstrap interval of estimate", "share"),
    C("mean_early", "number", "Mean over cases of the initiation/design mean", "share", _P01),
    C("mean_implementation", "number", "Mean over cases in implementation", "share", _P01),
    C("sd_difference", "number", "SD of the paired differences", "share", ">= 0"),
    C("cohens_dz", "number", "Cohen's d_z: mean difference / its SD", "SD", "", "Cohen (1988)"),
    C("wilcoxon_statistic", "number", "Wilcoxon signed-rank statistic", "", ">= 0", "Wilcoxon (1945)"),
    C("wilcoxon_p_value", "number", "Two-sided p-value of the Wilcoxon signed-rank test", "probability", _P01),
    C("wilcoxon_q_value", "number", "Benjamini–Hochberg q-value of wilcoxon_p_value", "probability", _P01, _Q_REF),
    C("n_boot", "integer", "Bootstrap resamples (config phase_tests.n_boot)", "resamples", ">= 0"),
)
MIXING_TEST_COLUMNS = (
    C("case_id", "string", "The case"),
    C("test", "string", "ei_permutation (ei_p_value of cases.csv) or ei_conditional (ei_p_value_conditional)",
      range="ei_permutation | ei_conditional"),
    C("p_value", "number", "The test's p-value", "probability", _P01),
    C("q_value", "number", "Benjamini–Hochberg q-value over the cases of the wave with a p-value", "probability",
      _P01, _Q_REF),
    C("family", "string", "The q-value family, <wave>/<test>"),
)
ROLES_VALIDATION_COLUMNS = (
    C("level", "string", "actor (reported holders among the actors of surveyed cases) or case (AUC of "
      "<role>_max_score for the surveyed cases)", range="actor | case"),
    C("role", "string", "The role", range="convener | facilitator | catalyst"),
    C("auc", "number", "Area under the ROC curve of the score against the survey report", "", _P01,
      "Hanley & McNeil (1982)"),
    C("ci_low", "number", "Lower bound of the case-bootstrap 95% interval of auc", "", _P01),
    C("ci_high", "number", "Upper bound of the case-bootstrap 95% interval of auc", "", _P01),
    C("n_holders", "integer", "Reported holders (actors or cases)", "", ">= 0"),
    C("n_actors", "integer", "Actors evaluated", "actors", ">= 0"),
    C("n_cases", "integer", "Cases evaluated", "cases", ">= 0"),
    C("n_boot", "integer", "Bootstrap resamples", "resamples", ">= 0"),
    C("bootstrap", "string", "The unit the interval's bootstrap resamples (cases)"),
)
COATTENDANCE_COLUMNS = (
    C("case_id", "string", "The case"),
    C("source", "string", "One actor of the pair (source < target)"),
    C("target", "string", "The other actor"),
    C("shared_events", "integer", "Events both attended", "events", ">= 1"),
    C("coparticipation", "number", "Shared events (or shared hours with coparticipation_weight: minutes)",
      "events or hours", "> 0"),
)
DIAGNOSTIC_COLUMNS = (
    C("indicator", "string", "A tie-strength indicator, or all"),
    C("statistic", "string", "Per indicator n_observed, mean, sd, item_total_r (corrected item-total "
      "correlation); for all: n_indicators, cronbach_alpha, pc1_share (first principal component's variance "
      "share)"),
    C("value", "number", "The statistic's value (of the rescaled 0-1 indicator)", "", "",
      "Cronbach (1951)"),
    C("n_ties", "integer", "Ties the statistic is computed on", "ties", ">= 0"),
)
REJECTED_COLUMNS = (
    C("file", "string", "The input file of the rejected row"),
    C("line", "integer", "Line number of the row in that file (header = 1)", "line", ">= 2"),
    C("reason", "string", "Why the row was rejected (docs/bad_input.md)"),
)
SUMMARY_COLUMNS = (
    C("wave", "string", "The wave"),
    C("file", "string", "The input file"),
    C("rows_read", "integer", "Data rows read from the file", "rows", ">= 0"),
    C("accepted", "integer", "Rows accepted", "rows", ">= 0"),
    C("rejected", "integer", "Rows rejected (accepted + rejected == rows_read)", "rows", ">= 0"),
    C("reason", "string", "The reason of the rejected rows counted in n (empty: the file's total)"),
    C("n", "integer", "Rows rejected for reason", "rows", ">= 0"),
)

# ------------------------------------------------------------------- panel/
_WAVE = C("wave", "string", "The wave")
CHANGE_COLUMNS = (
    C("case_id", "string", "The case"),
    C("wave_from", "string", "The earlier wave"),
    C("wave_to", "string", "The next wave"),
    C("n_common_actors", "integer", "Actors in the case in both waves", "actors", ">= 0"),
    C("n00", "integer", "Dyads of the common actors tied in neither wave", "dyads", ">= 0", "Snijders et al. (2010)"),
    C("n01", "integer", "Dyads tied in wave_to only (formed)", "dyads", ">= 0"),
    C("n10", "integer", "Dyads tied in wave_from only (dissolved)", "dyads", ">= 0"),
    C("n11", "integer", "Dyads tied in both waves", "dyads", ">= 0"),
    C("hamming", "integer", "Hamming distance, n01 + n10", "dyads", ">= 0"),
    C("jaccard", "number", "Jaccard index n11 / (n01 + n10 + n11)", "share", _P01, "Snijders et al. (2010)"),
    C("jaccard_low", "boolean", "jaccard < 0.3 (too much change for a stochastic actor-oriented model)",
      reference="Snijders et al. (2010)"),
    C("actors_joined", "integer", "Actors in wave_to but not wave_from", "actors", ">= 0"),
    C("actors_left", "integer", "Actors in wave_from but not wave_to", "actors", ">= 0"),
    C("density_from", "number", "Density in wave_from", "share", _P01),
    C("density_to", "number", "Density in wave_to", "share", _P01),
    C("density_change", "number", "density_to - density_from", "share", "[-1, 1]"),
)
STABILITY_COLUMNS = (
    C("case_id", "string", "The case"),
    C("wave_from", "string", "The earlier wave"),
    C("wave_to", "string", "The next wave"),
    C("metric", "string", "The actor metric"),
    C("spearman", "number", "Spearman rank correlation of the metric over the actors in both waves", "", "[-1, 1]",
      "Spearman (1904)"),
    C("n_actors", "integer", "Actors in both waves", "actors", ">= 0"),
)
PHASE_SUMMARY_COLUMNS = (
    _WAVE,
    C("measure", "string", "The share column of phases.csv summarised: actor_share, tie_share, activity_share or "
      "rate"),
    C("phase", "string", "The innovation phase (initiation, design, implementation, diffusion)"),
    C("{group}", "string", "The group (value of group_attribute)"),
    C("n_cases", "integer", "Cases with records in the phase (where the share is defined)", "cases", ">= 0"),
    C("mean", "number", "Mean of the measure over those cases (a group without active actors counts as 0)",
      "share", "[0, 1]"),
    C("sd", "number", "Standard deviation of the measure over those cases (ddof = 1)", "share", ">= 0"),
    C("ci_low", "number", "Lower end of the 95 % t interval of the mean (NaN with fewer than 2 cases)", "share"),
    C("ci_high", "number", "Upper end of the 95 % t interval of the mean (NaN with fewer than 2 cases)", "share"),
)
INVOLVEMENT_COLUMNS = (
    _WAVE,
    C("group", "string", "The group whose involvement is counted (config involvement_group)"),
    C("phase", "string", "The innovation phase"),
    C("n_cases", "integer", "Cases with records in the phase", "cases", ">= 0"),
    C("cases_involved", "integer", "Of those, the cases where the group had at least one active actor", "cases",
      ">= 0"),
    C("involved_share", "number", "cases_involved / n_cases", "share", "[0, 1]"),
    C("mean_actor_share", "number", "Mean actor_share of the group over the cases with records in the phase",
      "share", "[0, 1]"),
    C("median_actor_share", "number", "Median actor_share of the group over those cases", "share", "[0, 1]"),
    C("mean_tie_share", "number", "Mean tie_share of the group over those cases", "share", "[0, 1]"),
    C("mean_activity_share", "number", "Mean activity_share of the group over those cases", "share", "[0, 1]"),
    C("mean_rate", "number", "Mean rate (share of the group's roster active) over the cases with the group on the "
      "roster", "share", "[0, 1]"),
)
_WAVES = C("waves", "string", "The pair of consecutive waves, \"<wave_from>→<wave_to>\"")
_REPORT_SUMMARIES = "netinnov.metrics.summaries"
ACTOR_COUNT_COLUMNS = (
    _WAVE,
    C("{group}", "string", "The group (value of group_attribute)"),
    C("actors", "integer", "Rows of waves/<wave>/actors.csv with that group (case memberships: an actor in two "
      "cases counts twice)", "actors", ">= 0", _REPORT_SUMMARIES),
)
METRIC_SUMMARY_COLUMNS = (
    C("metric", "string", "The actor metric of actors.csv: gf_coordinator, gf_itinerant, gf_representative, "
      "gf_gatekeeper, gf_liaison, gf_total, betweenness_normalised (betweenness / (n-1)(n-2), halved for "
      "undirected networks, n the actors of the case; NaN for n < 3), constraint, effective_size, blau, iqv, ei"),
    _WAVE,
    C("{group}", "string", "The group (value of group_attribute; unknown where missing)"),
    C("n", "integer", "Actors (case memberships) with a value of the metric", "actors", ">= 0"),
    C("median", "number", "Median of the metric over those actors", "the metric's"),
    C("q1", "number", "First quartile (linear interpolation)", "the metric's"),
    C("q3", "number", "Third quartile (linear interpolation)", "the metric's"),
    C("mean", "number", "Mean of the metric over those actors", "the metric's", "", _REPORT_SUMMARIES),
)
TURNOVER_COLUMNS = (
    _WAVES,
    C("cases", "integer", "Cases of panel/change.csv in both waves", "cases", ">= 0"),
    C("ties_kept", "integer", "n11 summed over the cases", "dyads", ">= 0"),
    C("ties_gained", "integer", "n01 summed over the cases (ties formed)", "dyads", ">= 0"),
    C("ties_lost", "integer", "n10 summed over the cases (ties dissolved)", "dyads", ">= 0"),
    C("actors_joined", "integer", "actors_joined summed over the cases", "actors", ">= 0"),
    C("actors_left", "integer", "actors_left summed over the cases", "actors", ">= 0"),
    C("median_jaccard", "number", "Median Jaccard index over the cases (NaN where no case has one)", "share", _P01,
      "Snijders et al. (2010)"),
    C("median_hamming", "number", "Median Hamming distance over the cases", "dyads", ">= 0"),
    C("flagged_cases", "integer", "Cases with jaccard < 0.3", "cases", ">= 0", "Snijders et al. (2010)"),
)
JACCARD_SUMMARY_COLUMNS = (
    C("threshold", "number", "The Jaccard index below which a case-wave pair is counted (0.3)", "share", _P01,
      "Snijders et al. (2010)"),
    C("pairs", "integer", "Case-wave pairs of panel/change.csv with a Jaccard index", "pairs", ">= 0"),
    C("below_threshold", "integer", "Of those, the pairs with jaccard < threshold", "pairs", ">= 0"),
    C("median_jaccard", "number", "Median Jaccard index over the pairs (NaN without a pair)", "share", _P01),
    C("min_jaccard", "number", "Lowest Jaccard index over the pairs (NaN without a pair)", "share", _P01),
)
TRANSITION_SUMMARY_COLUMNS = (
    _WAVES,
    C("cases", "integer", "Cases of panel/tie_transitions.csv in both waves", "cases", ">= 0"),
    *(C(name, "integer", f"{name} of panel/tie_transitions.csv summed over the cases", "ties", ">= 0")
      for name in ("weak_to_strong", "strong_to_weak", "strong_kept", "weak_kept", "formed_strong", "formed_weak",
                   "dissolved_strong", "dissolved_weak")),
)
STABILITY_SUMMARY_COLUMNS = (
    C("metric", "string", "The actor metric"),
    _WAVES,
    C("cases", "integer", "Cases of panel/stability.csv for the metric and wave pair", "cases", ">= 0"),
    C("median_spearman", "number", "Median Spearman rank correlation over those cases (NaN for a metric constant "
      "within every case)", "", "[-1, 1]", "Spearman (1904)"),
    C("median_actors", "number", "Median number of actors in both waves over those cases", "actors", ">= 0"),
)
ROLE_SCORE_COLUMNS = (
    C("role", "string", "The role: convener, facilitator or catalyst"),
    C("report", "string", "What the actor reported (reported_roles): reported this role, reported another role "
      "or no reported role"),
    _WAVE,
    C("actors", "integer", "Actors (case memberships) in the group, with or without a score", "actors", ">= 0"),
    C("median", "number", "Median <role>_score over them", "score", _P01, _ROLE_REF),
    C("mean", "number", "Mean <role>_score over them", "score", _P01, _ROLE_REF),
)
ROLE_PRESENCE_COLUMNS = (
    _WAVE,
    C("role", "string", "The role: convener, facilitator or catalyst"),
    C("n_cases", "integer", "Cases with <role>_present or <role>_inferred known", "cases", ">= 0"),
    C("reported", "integer", "Cases with <role>_present (a survey-reported holder)", "cases", ">= 0"),
    C("inferred", "integer", "Cases with <role>_inferred (a score at or above the threshold)", "cases", ">= 0"),
    C("both", "integer", "Cases with the role both reported and inferred", "cases", ">= 0"),
    C("reported_share", "number", "reported / n_cases (NaN for no case)", "share", _P01),
    C("inferred_share", "number", "inferred / n_cases (NaN for no case)", "share", _P01),
    C("both_share", "number", "both / n_cases (NaN for no case)", "share", _P01),
)
WAVE_COUNT_COLUMNS = (
    C("cases", "integer", "Rows of cases.csv (every case of the wave)", "cases", ">= 0", _REPORT_SUMMARIES),
    C("actors", "integer", "Distinct actor_id of actors.csv", "actors", ">= 0"),
    C("memberships", "integer", "Rows of actors.csv (an actor in two cases counts twice)", "actors", ">= 0"),
    C("ties", "integer", "Rows of ties.csv", "ties", ">= 0"),
)
QUALITY_CHECK_COLUMNS = (
    C("check", "string", "The check: actors without <group_attribute>, isolates (actors without a tie in their "
      "case), cases with outcomes but no network, cases whose network has no tie, ties without a closeness "
      "rating, records without a valid phase (those present)"),
    C("count", "integer", "Rows that fail the check", "rows", ">= 0", _REPORT_SUMMARIES),
    C("out_of", "integer", "The denominator: the actors, cases or ties checked (empty for the phase records)",
      "rows", ">= 0"),
    C("share", "number", "count / out_of (empty without a denominator)", "share", _P01),
)
CASE_MEASURE_COLUMNS = (
    C("measure", "string", "The case-level measure of cases.csv: n_actors, n_ties, density, strong_tie_share, "
      "local_bridge_share, sector_blau (those present)"),
    C("count", "number", "Cases with a value", "cases", ">= 0", "pandas DataFrame.describe"),
    C("mean", "number", "Mean over those cases", "the measure's"),
    C("std", "number", "Standard deviation over those cases (ddof = 1)", "the measure's", ">= 0"),
    C("min", "number", "Minimum", "the measure's"),
    C("q1", "number", "First quartile (linear interpolation)", "the measure's"),
    C("median", "number", "Median", "the measure's"),
    C("q3", "number", "Third quartile (linear interpolation)", "the measure's"),
    C("max", "number", "Maximum", "the measure's"),
)
MIXING_SUMMARY_COLUMNS = (
    C("test", "string", "The E-I test of mixing_tests.csv (ei_permutation, ei_conditional)"),
    C("cases_tested", "integer", "Cases with a p-value", "cases", ">= 0"),
    C("alpha", "number", "The significance level counted", "probability", "(0, 1)"),
    C("p_at_most_alpha", "integer", "Cases with p_value <= alpha", "cases", ">= 0"),
    C("q_at_most_alpha", "integer", "Cases with q_value <= alpha (Benjamini-Hochberg over the wave's cases)",
      "cases", ">= 0", "Benjamini & Hochberg (1995)"),
)
REJECTED_COUNT_COLUMNS = (
    C("file", "string", "The input file of the rejected rows"),
    C("reason", "string", "Why the rows were rejected"),
    C("rows", "integer", "Rejected rows of that file for that reason", "rows", ">= 0"),
)
CASE_COUNT_COLUMNS = (
    C("case_id", "string", "The case (every row of cases.csv, in its order)", reference=_REPORT_SUMMARIES),
    C("actors", "integer", "Rows of actors.csv of the case (isolates included)", "actors", ">= 0"),
    C("ties", "integer", "Rows of ties.csv of the case", "ties", ">= 0"),
    C("local_bridges", "integer", "Ties of the case with local_bridge true", "ties", ">= 0"),
)
EMPTY_RESULT_COLUMNS = (
    C("kind", "string", "case_model (models:, fit.csv) or dyadic_model (dyadic_models:, qap.csv)"),
    C("model", "string", "The model's name (empty for the row saying that no model is configured)"),
    C("wave", "string", "pooled, or the wave of a per-wave fit"),
    C("scope", "string", "Case models: pooled or per wave (with lagged or standardized); dyadic models: pooled or "
      "per case"),
    C("estimators", "string", "The estimators without an estimate, ';'-joined"),
    C("n_fits", "integer", "Fits of that model, wave and scope without an estimate", "fits", ">= 0"),
    C("n_fits_total", "integer", "All fits of that model, wave and scope", "fits", ">= 0"),
    C("model_empty", "boolean", "True when the model has no estimate anywhere in the run"),
    C("reason", "string", "The error or note the fit left"),
)
TRANSITION_COLUMNS = (
    C("case_id", "string", "The case"),
    C("wave_from", "string", "The earlier wave"),
    C("wave_to", "string", "The next wave"),
    *(C(name, "integer", text, "ties", ">= 0") for name, text in (
        ("weak_to_strong", "Ties weak in wave_from and strong in wave_to"),
        ("strong_to_weak", "Ties strong in wave_from and weak in wave_to"),
        ("strong_kept", "Ties strong in both waves"),
        ("weak_kept", "Ties weak in both waves"),
        ("formed", "Ties in wave_to only"),
        ("dissolved", "Ties in wave_from only"),
        ("formed_strong", "Ties formed strong"),
        ("formed_weak", "Ties formed weak"),
        ("dissolved_strong", "Dissolved ties that were strong"),
        ("dissolved_weak", "Dissolved ties that were weak"),
    )),
)

# ------------------------------------------------------------------- models/
_MODEL = C("model", "string", "The model's name (config models / dyadic_models)")
_OUTCOME = C("outcome", "string", "The outcome column")
_FAMILY = C("family", "string", "The model family", range="logit | ordered_logit | poisson | negative_binomial | ols")
_ESTIMATOR = C("estimator", "string", "The regression estimator (config regression_estimators)",
               range="glm | gee | mixed", reference="netinnov.models.panel_estimators; Liang & Zeger (1986)")
_DROPPED_REASONS = C("dropped_reasons", "string", "Why rows (dyads) were left out, with counts")
COEFFICIENT_COLUMNS = (
    _MODEL, _OUTCOME,
    C("term", "string", "The model term (patsy name; Intercept, wave[T.<w>], thresholds k/k+1, alpha)"),
    C("estimate", "number", "Coefficient on the link scale (log-odds, log rate, outcome units)"),
    C("std_error", "number", "Standard error (CR2 for clustered pooled models with few cases; see inference)", "", ">= 0",
      "Bell & McCaffrey (2002); Pustejovsky & Tipton (2018)"),
    C("ci_low", "number", "Lower bound of the 95% interval"),
    C("ci_high", "number", "Upper bound of the 95% interval"),
    C("p_value", "number", "Two-sided p-value (see inference)", "probability", _P01),
    C("n", "integer", "Observations (case-waves) used", "rows", ">= 0"),
    C("q_value", "number", "Benjamini–Hochberg q-value of p_value within one fitted model; NaN for the intercept, "
      "wave effects, thresholds and alpha", "probability", _P01, _Q_REF),
    C("statistic", "number", "Test statistic (z or t)"),
    C("term_type", "string", "Kind of term", range="coefficient | wave_effect | threshold | working_correlation | "
      "random_effect_sd"),
    _FAMILY,
    C("wave", "string", "pooled, or the wave of a per-wave model"),
    C("lagged", "boolean", "Predictors from the previous wave"),
    C("standardized", "boolean", "Predictors standardised (per SD)"),
    C("cov_type", "string", "Covariance estimator (statsmodels cov_type)"),
    C("n_clusters", "integer", "Cases (clusters)", "cases", ">= 0"),
    C("n_dropped", "integer", "Rows of the features the model does not use", "rows", ">= 0"),
    C("std_error_cr1", "number", "Uncorrected cluster-robust CR1 error (empty for fits that are not clustered)",
      "", ">= 0", "Cameron & Miller (2015)"),
    C("p_value_cr1", "number", "p-value of the CR1 error against t(G-1)", "probability", _P01),
    C("df", "number", "Degrees of freedom of the t test (Satterthwaite, G-1 or n-k)", "", "> 0",
      "Pustejovsky & Tipton (2018)"),
    C("inference", "string", "The inference label, e.g. CR2-Satterthwaite, CR1-t(G-1), HC1-normal"),
    _ESTIMATOR,
)
FIT_COLUMNS = (
    _MODEL, _OUTCOME, _FAMILY,
    C("wave", "string", "pooled, or the wave of a per-wave model"),
    C("lagged", "boolean", "Predictors from the previous wave"),
    C("standardized", "boolean", "Predictors standardised"),
    C("n", "integer", "Observations used", "rows", ">= 0"),
    C("n_dropped", "integer", "Rows of the features the model does not use", "rows", ">= 0"),
    _DROPPED_REASONS,
    C("n_clusters", "integer", "Cases (clusters)", "cases", ">= 0"),
    C("cov_type", "string", "Covariance estimator"),
    C("loglik", "number", "Log-likelihood"),
    C("aic", "number", "Akaike information criterion", reference="Akaike (1974)"),
    C("bic", "number", "Bayesian information criterion", reference="Schwarz (1978)"),
    C("pseudo_r2", "number", "McFadden pseudo R²", "", "[0, 1]", "McFadden (1974)"),
    C("r2", "number", "R² (ols)", "", "[0, 1]"),
    C("adj_r2", "number", "Adjusted R² (ols)", "", "<= 1"),
    C("converged", "boolean", "The fit converged"),
    C("warning", "string", "Warnings of the fit"),
    C("error", "string", "Why the model could not be estimated (separation, constant outcome, ...)"),
    C("inference", "string", "The label of the model's coefficients' inference"),
    _ESTIMATOR,
)
CV_COLUMNS = (
    _MODEL, _OUTCOME,
    C("metric", "string", "Held-out score", range="roc_auc | log_loss | rmse | r2"),
    C("mean", "number", "Mean of the score over folds and repeats"),
    C("std", "number", "SD of the score over folds and repeats", "", ">= 0"),
    C("folds", "integer", "Folds (grouped by case)", "folds", ">= 2"),
    C("estimator", "string", "The prediction estimator (scikit-learn)"),
    C("repeats", "integer", "Repeats of the cross-validation (config cv_repeats)", "", ">= 1"),
    C("n_scores", "integer", "Scores averaged", "", ">= 0"),
    C("n", "integer", "Observations", "rows", ">= 0"),
    C("n_dropped", "integer", "Rows not used", "rows", ">= 0"),
    C("n_groups", "integer", "Cases (groups of the folds)", "cases", ">= 0"),
    C("task", "string", "The prediction task of the outcome", range="binary | count | continuous"),
    C("wave", "string", "pooled, or the wave"),
    C("note", "string", "Notes (e.g. ordinal outcome treated as continuous)"),
    _DROPPED_REASONS,
)
IMPORTANCE_COLUMNS = (
    _MODEL, _OUTCOME,
    C("estimator", "string", "The prediction estimator"),
    C("feature", "string", "The feature (column of features.csv)"),
    C("importance_mean", "number", "Mean permutation importance: loss of held-out score when the feature is shuffled",
      reference="Breiman (2001)"),
    C("importance_std", "number", "SD of the permutation importance", "", ">= 0"),
    C("scoring", "string", "The score (AUC for binary outcomes, RMSE otherwise)"),
    C("n_scores", "integer", "Importances averaged", "", ">= 0"),
    C("wave", "string", "pooled, or the wave"),
)
QAP_COLUMNS = (
    _MODEL,
    C("case_id", "string", "The case, or pooled for a pooled fit"),
    C("term", "string", "The dyadic term (e.g. nodematch(sector), edgecov(previous_tie))"),
    C("estimate", "number", "Coefficient (netlm: OLS; netlogit: log-odds)"),
    C("p_value", "number", "b/B, as R sna::netlm/netlogit (can be 0)", "probability", _P01,
      "Dekker, Krackhardt & Snijders (2007)"),
    C("n_dyads", "integer", "Dyads used", "dyads", ">= 0"),
    C("n_permutations", "integer", "QAP permutations (dyadic_models[].permutations)", "", ">= 0"),
    C("null_hypothesis", "string", "qapspp (double semi-partialling) or qapy", range="qapspp | qapy",
      reference="Dekker, Krackhardt & Snijders (2007)"),
    C("q_value", "number", "Benjamini–Hochberg q-value of p_value_plus1 within one dyadic model on one case of one "
      "wave; NaN for the intercept and case effects", "probability", _P01, _Q_REF),
    C("estimator", "string", "netlm (OLS) or netlogit (logistic)", range="netlm | netlogit",
      reference="Krackhardt (1988)"),
    C("relation", "string", "The dyadic relation modelled", range="tie | weight | strength | strong_tie"),
    C("wave", "string", "The wave"),
    C("std_error", "number", "Standard error of the estimate", "", ">= 0"),
    C("statistic", "number", "Test statistic (t or z)"),
    C("p_greater", "number", "One-sided permutation p-value, T* >= T", "probability", _P01),
    C("p_less", "number", "One-sided permutation p-value, T* <= T", "probability", _P01),
    C("n_actors", "integer", "Actors", "actors", ">= 0"),
    C("n_dropped", "integer", "Dyads left out", "dyads", ">= 0"),
    C("note", "string", "Why a fit gives NaN (separation, failure)"),
    C("p_value_plus1", "number", "(b + 1)/(B + 1): never 0, the p-value to report", "probability", "(0, 1]",
      "Phipson & Smyth (2010)"),
    _DROPPED_REASONS,
)
FEATURE_COLUMNS = (
    C("log_n_actors", "number", "ln n_actors (NaN for n <= 0)", "log actors"),
    C("mean_betweenness", "number", "Mean raw betweenness of the case's actors", "shortest paths", ">= 0"),
    C("max_betweenness", "number", "Maximum raw betweenness of the case's actors", "shortest paths", ">= 0"),
    C("mean_constraint", "number", "Mean Burt constraint over actors with a defined value", "", ">= 0", "Burt (1992)"),
    *(C(f"max_{r}_score", "number", f"Largest {r}_score of the case's actors", "fixed scale", _P01, _ROLE_REF)
      for r in LEADERSHIP_ROLES),
)
_MODEL_SUMMARIES = "netinnov.steps.model_summaries (netinnov model-summaries)"
SMALL_SAMPLE_COLUMNS = (
    C("model", "string", "The model of fit.csv; empty for the panel as a whole (no model fitted)",
      reference=_MODEL_SUMMARIES),
    C("size", "number", "Cases (n_clusters) or observations (n) of the fit where fewer than min_size; else empty",
      "", ">= 0"),
    C("size_unit", "string", "What size counts", range="cases | observations"),
    C("min_size", "integer", "Fewer than this many cases or observations earn a warning", "", "> 0"),
    C("events", "number", "Events of the fit where fewer than min_events_per_predictor per predictor; else empty",
      "", ">= 0"),
    C("predictors", "number", "Predictors of the model (coefficients.csv without intercepts, thresholds and wave "
      "effects) where events is given", "", "> 0"),
    C("min_events_per_predictor", "integer", "Fewer events per predictor than this earn a warning", "", "> 0"),
    C("warning", "string", "The fit's warning where it is about the sample size; else empty"),
)
QAP_NOT_ESTIMATED_COLUMNS = (
    _MODEL,
    C("wave", "string", "The wave"),
    C("reason", "string", "The note of qap.csv (no reason recorded where it has none)"),
    C("cases", "integer", "Per-case fits of that model and wave without any estimate for that reason", "cases",
      ">= 0"),
)
NOT_ESTIMATED_COLUMNS = (
    C("table", "string", "The models table of the row", range="fit.csv | qap.csv"),
    C("model", "string", "The model (with the estimator in brackets for gee and mixed)"),
    C("wave", "string", "pooled, or the wave"),
    C("case_id", "string", "The MRQAP case where only one case has that reason; else empty"),
    C("reason", "string", "Why it was not estimated, or estimated (rows or dyads left out)"),
    C("n_dropped", "integer", "Rows or dyads left out, summed over the cases", "", ">= 0"),
    _DROPPED_REASONS,
    C("cases", "integer", "MRQAP cases with that reason (0 for rows of fit.csv)", "cases", ">= 0"),
)
MODEL_SUMMARY_COLUMNS = (
    C("cases", "integer", "Distinct case_id of panel/cases.csv (empty without it)", "cases", ">= 0",
      _MODEL_SUMMARIES),
    C("qap_cases_not_estimated", "integer", "Per-case MRQAP fits without any estimate (the cases of "
      "qap_not_estimated.csv summed)", "cases", ">= 0"),
)
MDE_COLUMNS = (
    _MODEL,
    C("wave", "string", "pooled, or the wave"),
    C("term", "string", "The tested design column"),
    C("mde", "number", "As in power_summary.csv", reference="netinnov power-summaries"),
    C("reached", "boolean", "The target power was reached on the grid"),
    C("effect_unit", "string", "As in power.csv"),
    C("mde_scale", "string", "As effect_scale"),
    C("n_cases", "integer", "Cases of the simulated design", "cases", ">= 0"),
    C("n_waves", "integer", "Waves of the simulated design", "waves", ">= 0"),
    C("power_at_zero", "number", "Power at effect 0: the test's size, close to alpha when it holds its level",
      "share", _P01),
    C("n_failed", "integer", "Fits without a p-value, summed over the effect grid", "", ">= 0"),
    C("grid_max", "number", "The largest effect of the grid simulated for the term"),
)
POWER_REACH_COLUMNS = (
    C("terms", "integer", "Terms of power_summary.csv", "", ">= 0", "netinnov power-summaries"),
    C("not_reached", "integer", "Terms whose power reached target_power at no effect of the grid", "", ">= 0"),
    C("target_power", "number", "Target power", "share", "(0, 1)"),
    C("alpha", "number", "Significance level", "probability", "(0, 1)"),
)
TARGET_COUNT_COLUMNS = (
    C("figures", "integer", "Figures of validity.csv with a target (meets_target given)", "", ">= 0",
      "netinnov validity-summaries"),
    C("meet_target", "integer", "Those meeting their target", "", ">= 0"),
)
POWER_COLUMNS = (
    _MODEL, _OUTCOME, _FAMILY,
    C("wave", "string", "pooled, or the wave"),
    C("term", "string", "The tested design column"),
    C("effect", "number", "The simulated effect (link scale, see effect_scale and effect_unit)"),
    C("effect_scale", "string", "per SD, or 0 to 1 for a 0/1 term"),
    C("effect_unit", "string", "log-odds, log cumulative odds, log rate or outcome SD"),
    C("power", "number", "Share of the simulated datasets in which the term was detected (p < alpha)", "share", _P01),
    C("power_mc_se", "number", "Monte Carlo standard error sqrt(p(1-p)/R)", "share", ">= 0"),
    C("n_datasets", "integer", "Simulated datasets", "", ">= 0"),
    C("n_failed", "integer", "Fits that gave no p-value (counted as not detected)", "", ">= 0"),
    C("n_cases", "integer", "Cases of the simulated design", "cases", ">= 0"),
    C("n_waves", "integer", "Waves of the simulated design", "waves", ">= 0"),
    C("icc", "number", "Intra-class correlation of the case random intercept (latent scale)", "", "[0, 1)"),
    C("alpha", "number", "Significance level", "probability", "(0, 1)"),
    C("note", "string", "Why a term was not simulated, or the failed fits"),
)
POWER_SUMMARY_COLUMNS = (
    _MODEL, _OUTCOME, _FAMILY,
    C("wave", "string", "pooled, or the wave"),
    C("term", "string", "The tested design column"),
    C("mde", "number", "Minimal detectable effect: the smallest effect with power >= target_power, interpolated; "
      "empty when not reached"),
    C("mde_scale", "string", "As effect_scale"),
    C("effect_unit", "string", "As in power.csv"),
    C("reached", "boolean", "The target power was reached on the grid"),
    C("target_power", "number", "Target power", "share", "(0, 1)"),
    C("n_cases", "integer", "Cases of the simulated design", "cases", ">= 0"),
    C("n_waves", "integer", "Waves of the simulated design", "waves", ">= 0"),
    C("icc", "number", "Intra-class correlation", "", "[0, 1)"),
    C("alpha", "number", "Significance level", "probability", "(0, 1)"),
    C("n_datasets", "integer", "Simulated datasets per effect", "", ">= 0"),
)
VALIDITY_COLUMNS = (
    C("source", "string", "data (the results at hand) or generator (a generated reference dataset)",
      range="data | generator"),
    C("wave", "string", "The wave"),
    C("construct", "string", "The measure validated", range="role_presence | role_scores | collaboration_type | "
      "mixing_test | tie_strength"),
    C("measure", "string", "The validity figure", range="auc | flag_rate | correlation | agreement | share | "
      "rejection_rate | cronbach_alpha | first_component_share | item_rest_correlation | size_correlation"),
    C("criterion", "string", "What the measure is compared with", range="reported | planted | planted_null | none"),
    C("subject", "string", "Role, pair of roles, type, p-value column or indicator"),
    C("value", "number", "The figure's value"),
    C("ci_low", "number", "Lower bound of its 95% interval"),
    C("ci_high", "number", "Upper bound of its 95% interval"),
    C("n", "integer", "Units evaluated", "", ">= 0"),
    C("target", "number", "The target the value should meet: at least it (AUC, agreement) or at most it "
      "(correlation between role scores, rejection rate under the null); empty when the figure has none"),
    C("meets_target", "boolean", "The value meets the target"),
)
EXPORT_CASE_COLUMNS = (
    C("case_id", "string", "The case"),
    C("folder", "string", "The case's folder under exports/"),
    C("n_actors", "integer", "Actors of the case over all waves", "actors", ">= 0"),
    C("n_waves", "integer", "Waves the case is observed in", "waves", ">= 0"),
    C("waves", "string", "The waves, ';'-joined"),
    C("directed", "boolean", "The network is directed"),
    C("dense", "boolean", "n×n matrices written (at most max_dense_actors actors)"),
)
EXPORT_CODE_COLUMNS = (
    C("covariate", "string", "The actor attribute of constant_covariates.txt"),
    C("code", "integer", "The integer code 1..K", "", ">= 1"),
    C("label", "string", "The attribute value the code stands for"),
)


def _panel(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    return (_WAVE, *columns)


#: Every result table, by name.
TABLES: dict[str, Table] = {t.name: t for t in (
    Table("ties", "waves/*/ties.csv", "One row per tie (undirected pair, or directed arc) of a wave",
          TIE_COLUMNS, ("case_id", "source", "target")),
    Table("actors", "waves/*/actors.csv", "One row per (case, actor) of a wave", ACTOR_COLUMNS,
          ("case_id", "actor_id"), inputs=("actors.csv",)),
    Table("cases", "waves/*/cases.csv", "One row per case of a wave, with every outcome column of that wave",
          CASE_COLUMNS, ("case_id",), inputs=("outcomes.csv",)),
    Table("phases", "waves/*/phases.csv", "Participation per case, group and phase", PHASE_COLUMNS,
          ("case_id", "{group}", "phase")),
    Table("phase_tests", "waves/*/phase_tests.csv", "The implementation test per measure and group",
          PHASE_TEST_COLUMNS),
    Table("mixing_tests", "waves/*/mixing_tests.csv", "The E-I tests of the wave with q-values",
          MIXING_TEST_COLUMNS, ("case_id", "test")),
    Table("roles_validation", "waves/*/roles_validation.csv", "Role scores against the survey reports (AUC)",
          ROLES_VALIDATION_COLUMNS),
    Table("coattendance", "waves/*/coattendance.csv", "Every pair of a case that attended an event together",
          COATTENDANCE_COLUMNS, ("case_id", "source", "target")),
    Table("tie_strength_diagnostics", "waves/*/tie_strength_diagnostics.csv",
          "Agreement of the tie-strength indicators", DIAGNOSTIC_COLUMNS),
    Table("rejected", "waves/*/rejected.csv", "Rejected input rows: file, line, reason, then the raw row's fields",
          REJECTED_COLUMNS, inputs=("*",)),
    Table("summary", "waves/*/validated/summary.csv", "Rows read, accepted and rejected per input file and reason",
          SUMMARY_COLUMNS),
    Table("wave_counts", "waves/*/wave_counts.csv", "Cases, actors and ties of the wave", WAVE_COUNT_COLUMNS),
    Table("quality_checks", "waves/*/quality_checks.csv", "Data-quality checks of the wave", QUALITY_CHECK_COLUMNS,
          ("check",)),
    Table("case_measures", "waves/*/case_measures.csv", "Case-level measures summarised over the cases of the wave",
          CASE_MEASURE_COLUMNS, ("measure",)),
    Table("mixing_summary", "waves/*/mixing_summary.csv", "The wave's E-I tests counted: cases significant before "
          "and after the Benjamini-Hochberg adjustment", MIXING_SUMMARY_COLUMNS, ("test",)),
    Table("rejected_counts", "waves/*/rejected_counts.csv", "Rejected input rows per file and reason",
          REJECTED_COUNT_COLUMNS, ("file", "reason")),
    Table("case_counts", "waves/*/case_counts.csv", "Actors, ties and local bridges of each case of the wave",
          CASE_COUNT_COLUMNS, ("case_id",)),
    Table("panel_actors", "panel/actors.csv", "waves/<wave>/actors.csv of all waves stacked",
          _panel(ACTOR_COLUMNS), ("wave", "case_id", "actor_id"), inputs=("actors.csv",)),
    Table("panel_cases", "panel/cases.csv", "waves/<wave>/cases.csv of all waves stacked", _panel(CASE_COLUMNS),
          ("wave", "case_id"), inputs=("outcomes.csv",)),
    Table("change", "panel/change.csv", "Tie change between consecutive waves, per case", CHANGE_COLUMNS,
          ("case_id", "wave_from", "wave_to")),
    Table("stability", "panel/stability.csv", "Rank stability of actor metrics between consecutive waves",
          STABILITY_COLUMNS, ("case_id", "wave_from", "wave_to", "metric")),
    Table("phase_summary", "panel/phase_summary.csv", "Mean share of each group in each phase across cases, per "
          "wave and measure", PHASE_SUMMARY_COLUMNS, ("wave", "measure", "phase", "{group}")),
    Table("group_involvement", "panel/group_involvement.csv", "Involvement of one group (config "
          "involvement_group) in each phase, per wave", INVOLVEMENT_COLUMNS, ("wave", "group", "phase")),
    Table("actor_counts", "panel/actor_counts.csv", "Actors (case memberships) per wave and group",
          ACTOR_COUNT_COLUMNS, ("wave", "{group}")),
    Table("metric_summary", "panel/metric_summary.csv", "Median, quartiles and mean of the actor metrics per wave "
          "and group", METRIC_SUMMARY_COLUMNS, ("metric", "wave", "{group}")),
    Table("turnover", "panel/turnover.csv", "Tie and actor turnover per pair of consecutive waves, summed over cases",
          TURNOVER_COLUMNS, ("waves",)),
    Table("jaccard_summary", "panel/jaccard_summary.csv", "Jaccard indices of every case-wave pair summarised",
          JACCARD_SUMMARY_COLUMNS),
    Table("tie_transition_summary", "panel/tie_transition_summary.csv", "Strong/weak tie transitions per pair of "
          "consecutive waves, summed over cases", TRANSITION_SUMMARY_COLUMNS, ("waves",)),
    Table("stability_summary", "panel/stability_summary.csv", "Median rank stability of each actor metric per pair "
          "of consecutive waves", STABILITY_SUMMARY_COLUMNS, ("metric", "waves")),
    Table("role_scores", "panel/role_scores.csv", "Role scores per role, survey report and wave",
          ROLE_SCORE_COLUMNS, ("role", "report", "wave")),
    Table("role_presence", "panel/role_presence.csv", "Cases with each role reported and inferred, per wave",
          ROLE_PRESENCE_COLUMNS, ("wave", "role")),
    Table("empty_results", "models/empty_results.csv", "Every model fit without an estimate, and why",
          EMPTY_RESULT_COLUMNS),
    Table("tie_transitions", "panel/tie_transitions.csv", "Strong/weak tie transitions between consecutive waves",
          TRANSITION_COLUMNS, ("case_id", "wave_from", "wave_to")),
    Table("features", "models/features.csv", "Case-level features of the models: panel/cases.csv plus actor "
          "summaries", (*_panel(CASE_COLUMNS), *FEATURE_COLUMNS), ("wave", "case_id"),
          inputs=("outcomes.csv", "feature_aggregates")),
    Table("coefficients", "models/coefficients.csv", "Coefficients of the case-level models",
          COEFFICIENT_COLUMNS),
    Table("fit", "models/fit.csv", "Fit statistics of the case-level models", FIT_COLUMNS),
    Table("cv_scores", "models/cv_scores.csv", "Cross-validated scores of the prediction models", CV_COLUMNS),
    Table("importance", "models/importance.csv", "Permutation importance of the features", IMPORTANCE_COLUMNS),
    Table("qap", "models/qap.csv", "MRQAP dyadic models", QAP_COLUMNS),
    Table("small_sample", "models/small_sample.csv", "Small-sample warnings of the models: sizes, events per "
          "predictor and warnings below the thresholds", SMALL_SAMPLE_COLUMNS),
    Table("qap_not_estimated", "models/qap_not_estimated.csv", "Per-case MRQAP fits without an estimate, counted "
          "per model, wave and reason", QAP_NOT_ESTIMATED_COLUMNS, ("model", "wave", "reason")),
    Table("not_estimated", "models/not_estimated.csv", "Every fit not estimated or with rows left out, MRQAP cases "
          "counted per reason", NOT_ESTIMATED_COLUMNS),
    Table("model_summary", "models/model_summary.csv", "Cases of the panel and per-case MRQAP fits without an "
          "estimate", MODEL_SUMMARY_COLUMNS),
    Table("power", "models/power.csv", "Power per model, term and effect (opt-in)", POWER_COLUMNS, optional=True),
    Table("power_summary", "models/power_summary.csv", "Minimal detectable effects (opt-in)",
          POWER_SUMMARY_COLUMNS, optional=True),
    Table("mde", "models/mde.csv", "Minimal detectable effects with the size and failed fits over the grid "
          "(opt-in)", MDE_COLUMNS, ("model", "wave", "term"), optional=True),
    Table("power_reach", "models/power_reach.csv", "Terms whose power reached the target (opt-in)",
          POWER_REACH_COLUMNS, optional=True),
    Table("validity", "validity/validity.csv", "Validity figures of the measures (aggregates only)",
          VALIDITY_COLUMNS),
    Table("target_counts", "validity/target_counts.csv", "Validity figures with a target, and those meeting it",
          TARGET_COUNT_COLUMNS),
    Table("export_cases", "exports/cases.csv", "Index of the RSiena / statnet / Pajek exports", EXPORT_CASE_COLUMNS,
          ("case_id",)),
    Table("export_codes", "exports/*/codes.csv", "Legend of the integer codes of constant_covariates.txt",
          EXPORT_CODE_COLUMNS, ("covariate", "code")),
)}


def table_for(relative_path: str) -> Table | None:
    """The table kind of a path relative to ``results/<dataset>/`` (POSIX), or None."""
    for table in TABLES.values():
        if re.fullmatch(re.escape(table.path).replace(r"\*", "[^/]+"), relative_path):
            return table
    return None


def _resolve(name: str, group: str) -> str:
    return name.replace("{group}", group)


def lookup(
    table: Table, column: str, *, group: str = "sector", inputs: dict[str, tuple[str, str]] | None = None
) -> Column | None:
    """The codebook entry of ``column`` in ``table``.

    Exact names first, then patterns; then, for a table that carries input
    columns, the dataset-specific ``inputs`` (column -> (kind, definition),
    kind one of the table's ``inputs``: ``actors.csv``, ``outcomes.csv``,
    ``feature_aggregates``), as an entry that says where the column comes
    from (:func:`netinnov.codebook.package.input_columns`). None when the
    column is not in the codebook.
    """
    for col in table.columns:
        if not col.pattern and _resolve(col.name, group) == column:
            return col
    for col in table.columns:
        if col.pattern and re.fullmatch(_resolve(col.name, group), column):
            return col
    if "*" in table.inputs:
        return C(column, "string", "A field of the rejected row, as written in the input file named in file",
                 reference="input: the file named in file")
    kind, definition = (inputs or {}).get(column, (None, None))
    if kind is not None and kind in table.inputs:
        return C(column, "string", definition, reference=f"input: {kind}" if kind.endswith(".csv") else f"config: {kind}")
    return None
