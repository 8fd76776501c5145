"""The config keys ``netinnov init`` writes for a dataset, each with its comments.

From a :class:`~netinnov.config_init.inspect.DatasetProfile`:

- ``dataset``, ``waves`` (the wave folders, natural order), ``directed``
  (records both ways for some pairs and one way for others: directed reports;
  otherwise undirected), ``group_attribute``;
- ``models:`` one case-level model per usable outcome column, its family from
  the column's values (:func:`outcome_family`), predictors among the features
  the data will have (role presence only for roles reported in some but not
  all cases; ``sector_blau`` only with two or more groups), as many as the
  number of case-waves allows;
- ``feature_aggregates:`` the mean of each numeric actor attribute used;
- ``dyadic_models:`` one MRQAP model of the actor attributes that exist.

What cannot be built is left out with a comment saying why. Comments name
columns and give counts; they never quote a value from the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .inspect import ColumnProfile, DatasetProfile

__all__ = ["Entry", "build_entries", "outcome_family"]

#: Candidate predictors of the case-level models, most wanted first.
BASE_PREDICTORS = ("density", "sector_blau", "convener_present", "facilitator_present", "catalyst_present")
CONTROLS = ("n_actors",)
#: Residual degrees of freedom a written model keeps (n >= parameters + this).
SPARE_DF = 3
#: Logit: at most one predictor per this many rows of the rarer outcome value (events per
#: predictor; fewer invite separation, which leaves the model without an estimate); ordered
#: logit: one per twice this many rows.
ROWS_PER_PREDICTOR = 4
#: Largest value of an integer rating scale read as ordered categories.
MAX_SCALE = 10
#: Numeric / categorical actor attributes in the written dyadic model, at most.
MAX_NUMERIC_TERMS = 2
MAX_CATEGORICAL_TERMS = 0  # nodematch of e.g. organization separates in small cases
#: An attribute known for fewer actors than this share is not used.
MIN_KNOWN_SHARE = 0.8
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class Entry:
    """One top-level config key: its value and the comment lines above it;
    ``notes`` are comment lines written after the value (left-out items)."""

    key: str
    value: Any
    comments: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def outcome_family(col: ColumnProfile) -> tuple[str | None, str]:
    """The model family for an outcome column, or None, with the reason.

    0/1 → ``logit``; integers on a scale from 1 (or more) up to
    :data:`MAX_SCALE` with at least three values → ``ordered_logit`` (a
    rating such as 1–5); other non-negative integers → ``poisson`` (a count);
    any other number → ``ols``. Text, an empty or a constant column → None.
    The values the estimators need are those of
    :func:`netinnov.models.glm._check_outcome`.
    """
    if not col.numeric:
        return None, "its values are text; a model needs numbers (recode it, e.g. as 0/1, to model it)"
    if col.n == 0:
        return None, "it has no value"
    if col.n_distinct < 2:
        return None, "it is constant (a single value)"
    if col.integer and col.minimum is not None and col.maximum is not None:
        if col.minimum >= 0 and col.maximum <= 1:
            return "logit", "0/1 values"
        if col.minimum >= 1 and col.maximum <= MAX_SCALE and col.n_distinct >= 3:
            return "ordered_logit", f"integers on a scale of at most {MAX_SCALE} ({col.n_distinct} values)"
        if col.minimum >= 0:
            return "poisson", "non-negative integers (a count)"
    return "ols", "numbers that are neither 0/1, a small integer scale nor a count"


def _usable_attribute(col: ColumnProfile, n_actors: int) -> str | None:
    """None when the attribute can enter a dyadic term, else why not."""
    if not _NAME.match(col.name):
        return "its name is not a plain identifier (letters, digits, '_')"
    if col.n_distinct < 2:
        return "it is constant"
    known = col.n / max(n_actors, 1)
    if known < MIN_KNOWN_SHARE:
        return f"known for {col.n} of {n_actors} actors only (actors without it leave the fits)"
    if not col.numeric and col.n_distinct >= 0.5 * max(col.n, 1):
        return "almost every actor has its own value (an identifier or free text)"
    return None


def _predictors(profile: DatasetProfile) -> tuple[list[str], list[str]]:
    """The base predictors the data will offer, and comment lines on those left out."""
    chosen, notes = [], []
    groups = profile.attributes.get(profile.group_attribute)
    for name in BASE_PREDICTORS:
        if name == "sector_blau" and (groups is None or groups.n_distinct < 2):
            notes.append(f"sector_blau left out: the group attribute '{profile.group_attribute}' has fewer "
                         "than two groups, so the diversity of every case is the same")
            continue
        if name.endswith("_present"):
            role = name[: -len("_present")]
            k = profile.role_case_waves.get(role, 0)
            if k == 0:
                notes.append(f"{name} left out: no roles.csv reports a {role} (the feature would be 0 everywhere)")
                continue
            if k >= profile.case_waves:
                notes.append(f"{name} left out: a {role} is reported in every case (the feature is constant)")
                continue
        chosen.append(name)
    return chosen, notes


def _case_models(profile: DatasetProfile) -> tuple[list[dict], list[str]]:
    base, notes = _predictors(profile)
    features = set(BASE_PREDICTORS) | set(CONTROLS)
    n_waves_params = max(len(profile.waves) - 1, 0)  # wave effects of a pooled fit
    models, left_out = [], []
    for col in profile.outcomes.values():
        if not _NAME.match(col.name):
            left_out.append(f"outcome '{col.name}' left out: its name is not a plain identifier")
            continue
        if col.name in features:
            left_out.append(f"outcome '{col.name}' left out: a feature of the same name would clash with it")
            continue
        family, why = outcome_family(col)
        if family is None:
            left_out.append(f"outcome '{col.name}' left out: {why}")
            continue
        n = profile.outcome_rows.get(col.name, 0)
        room = n - SPARE_DF - 1 - len(CONTROLS) - n_waves_params
        if family == "logit":  # events per predictor
            room = min(room, col.n_rarest // ROWS_PER_PREDICTOR)
        elif family == "ordered_logit":  # rows per predictor (and threshold)
            room = min(room, n // (2 * ROWS_PER_PREDICTOR))
        predictors = base[: max(room, 0)]
        if not predictors:
            left_out.append(f"outcome '{col.name}' left out: {n} case-waves with a value (the rarest value in "
                            f"{col.n_rarest}) are too few for a predictor besides {', '.join(CONTROLS)} and "
                            "the wave effects")
            continue
        entry = {"name": f"{col.name}_{family}", "outcome": col.name, "family": family,
                 "predictors": predictors, "controls": list(CONTROLS), "cv_repeats": 2, "importance_repeats": 2}
        if len(predictors) < len(base):
            notes.append(f"{entry['name']}: {n} case-waves with a value (the rarest value in {col.n_rarest}): "
                         f"only the first {len(predictors)} predictor(s) kept, left out: "
                         f"{', '.join(base[len(predictors):])}")
        notes.append(f"{entry['name']}: family {family} because '{col.name}' holds {why}; {n} case-waves")
        models.append(entry)
    if not profile.outcomes:
        left_out.append("no case-level model: no wave has an outcomes.csv with an outcome column")
    return models, notes + left_out


def _attributes(profile: DatasetProfile) -> tuple[list[str], list[str], list[str]]:
    """Numeric and categorical attributes for the dyadic terms, and comments."""
    numeric, categorical, notes = [], [], []
    for col in profile.attributes.values():
        if col.name == profile.group_attribute:
            continue
        why = _usable_attribute(col, profile.n_actors)
        if why:
            notes.append(f"actor attribute '{col.name}' not used: {why}")
        elif col.numeric:
            numeric.append(col.name)
        else:
            categorical.append(col.name)
    if len(numeric) > MAX_NUMERIC_TERMS:
        notes.append("more numeric actor attributes could enter the dyadic model: "
                     + ", ".join(numeric[MAX_NUMERIC_TERMS:]) + " (add absdiff(...) terms)")
        del numeric[MAX_NUMERIC_TERMS:]
    if len(categorical) > MAX_CATEGORICAL_TERMS:
        notes.append("nodematch(...) not added for " + ", ".join(categorical[MAX_CATEGORICAL_TERMS:])
                     + ": in small cases the few pairs that share such a value are often all tied or all "
                     "untied (separation: that case's fit has no estimate); add it for large cases")
        del categorical[MAX_CATEGORICAL_TERMS:]
    return numeric, categorical, notes


def _dyadic_models(profile: DatasetProfile, numeric: list[str], categorical: list[str]) -> tuple[list, list]:
    notes = []
    terms = []
    groups = profile.attributes.get(profile.group_attribute)
    if groups is not None and groups.n_distinct >= 2:
        terms.append(f"nodematch({profile.group_attribute})")
    else:
        notes.append(f"nodematch({profile.group_attribute}) left out: fewer than two groups")
    terms += [f"nodematch({c})" for c in categorical] + [f"absdiff({c})" for c in numeric]
    if len(profile.waves) > 1:
        notes.append("edgecov(previous_tie) not added: the first wave has no previous wave, so its fits would "
                     "have no estimate; add it in a second model to study tie stability")
    if not terms:
        notes.append("no dyadic model: no actor attribute can enter a term")
        return [], notes
    model = {"name": "homophily", "relation": "tie", "terms": terms, "estimator": "netlogit",
             "null_hypothesis": "qapspp", "permutations": 1000}
    return [model], notes


def build_entries(profile: DatasetProfile, dataset: str) -> list[Entry]:
    """The config keys for the dataset, in the order they are written."""
    p = profile
    numeric, categorical, attr_notes = _attributes(p)
    models, model_notes = _case_models(p)
    dyadic, dyadic_notes = _dyadic_models(p, numeric, categorical)
    if p.directed:
        why = (f"detected: {p.n_reciprocal_pairs} of {p.n_pairs} pairs are recorded in both directions and "
               f"{p.n_one_way_pairs} in one only, as in survey reports (source names target)")
    elif not p.n_pairs:
        why = "no interaction record to tell from: set true if source names target (a survey name generator)"
    elif p.n_reciprocal_pairs == 0:
        why = (f"detected: none of the {p.n_pairs} pairs is recorded in both directions, as in a log that writes "
               "each pair once; set true if source names target (a survey name generator)")
    else:
        why = (f"detected: every one of the {p.n_pairs} pairs is recorded in both directions; the order of "
               "source and target carries no information")
    aggregates = [{"column": c, "agg": "mean", "name": f"mean_{c}"} for c in numeric
                  if f"mean_{c}" not in p.outcomes]
    return [
        Entry("dataset", dataset, ["the dataset directory (docs/SPEC.md input contract), relative to the folder "
                                   "snakemake runs in"]),
        Entry("directed", p.directed, [why]),
        Entry("waves", list(p.waves), [f"detected: {len(p.waves)} wave folder(s) under waves/, natural order"]),
        Entry("group_attribute", p.group_attribute,
              [f"actors.csv column of the groups: {p.attributes[p.group_attribute].n_distinct} groups"
               if p.group_attribute in p.attributes else "actors.csv column of the groups"]),
        Entry("models", models,
              ["case-level models, one per outcome column of outcomes.csv that a model can use",
               f"({p.case_waves} case-waves in {len(p.waves)} wave(s)); keys: config/README.md"], model_notes),
        Entry("feature_aggregates", aggregates,
              ["per-case means of the numeric actor attributes of the dyadic model (features for models:)"]),
        Entry("dyadic_models", dyadic, ["MRQAP models of the actor attributes this dataset has"],
              attr_notes + dyadic_notes),
    ]
