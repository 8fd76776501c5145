"""Model specifications read from the config, validated with clear errors.

Two kinds of models are configured:

``models`` (case-level models, :class:`ModelSpec`)::

    models:
      - name: implemented_logit
        outcome: implemented
        family: logit          # logit | ordered_logit | poisson | negative_binomial | ols
        predictors: ["sector_blau", "convener_present", "density*catalyst_present"]
        controls: ["n_actors"]
        pooled: true           # stack the waves; cluster-robust SEs by case
        lagged: false          # predictors at wave t-1, outcome at wave t
        standardize: false     # also report z-scored coefficients (model name + "_std")
        wave_effects: true     # pooled fits: wave fixed effects (term "wave")
        regression_estimators: [glm, gee, mixed]   # pooled GLM, GEE, case random intercept
        predict: true          # cross-validated prediction with scikit-learn

``dyadic_models`` (MRQAP, :class:`DyadicModelSpec`)::

    dyadic_models:
      - name: same_sector
        relation: tie            # tie | weight | strength | strong_tie
        terms: ["nodematch(sector)", "absdiff(command_rank_score)"]
        estimator: netlm         # netlm (OLS) | netlogit (logistic)
        null_hypothesis: qapspp  # qapspp | qapy
        permutations: 1000
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "FAMILIES",
    "ESTIMATORS",
    "REGRESSION_ESTIMATORS",
    "DYADIC_TERMS",
    "ModelSpec",
    "DyadicModelSpec",
    "DEFAULT_QAP_PERMUTATIONS",
    "ModelConfigError",
    "parse_models",
    "parse_dyadic_models",
    "formula_variables",
    "coerce_bool",
    "parse_dyadic_term",
]

#: Families of case-level models.
FAMILIES = ("logit", "ordered_logit", "poisson", "negative_binomial", "ols")
#: Predictive estimators available to :mod:`netinnov.models.predict`.
ESTIMATORS = ("regularized", "forest", "boosting", "baseline")
#: Regression estimators of a case-level model (``regression_estimators``):
#: the pooled GLM, GEE and the random-intercept model
#: (:mod:`netinnov.models.panel_estimators`).
REGRESSION_ESTIMATORS = ("glm", "gee", "mixed")
#: Dyadic term constructors understood by :mod:`netinnov.models.qap`.
DYADIC_TERMS = ("nodematch", "absdiff", "nodecov", "nodeicov", "nodeocov", "edgecov")
RELATIONS = ("tie", "weight", "strength", "strong_tie")
QAP_ESTIMATORS = ("netlm", "netlogit")
NULL_HYPOTHESES = ("qapspp", "qapy")

_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")
_IDENT = re.compile(r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)(?![\w(.])")
_FORMULA_NAMES = frozenset(
    {"Treatment", "Sum", "Diff", "Poly", "Helmert", "center", "standardize", "scale",
     "True", "False", "None", "C", "I", "Q", "np"}
)  # fmt: skip
_DYADIC_TERM = re.compile(r"^\s*(" + "|".join(DYADIC_TERMS) + r")\(\s*([^()\s]+)\s*\)\s*$")


class ModelConfigError(ValueError):
    """A model entry of the config is invalid; the message names the entry and key."""


def coerce_bool(value: Any, *, where: str) -> bool:
    """Read a config boolean with the config's one parser (:func:`netinnov.config.parse_bool`:
    ``true/false``, ``yes/no``, ``1/0``, any case), as a :class:`ModelConfigError` naming the entry."""
    from netinnov.config import ConfigError, parse_bool

    try:
        return parse_bool(value, where)
    except ConfigError:
        raise ModelConfigError(f"{where}: expected true or false, got {value!r}") from None


def _int(value: Any, *, where: str, minimum: int) -> int:
    try:
        out = int(value)
    except (TypeError, ValueError):
        raise ModelConfigError(f"{where}: expected an integer, got {value!r}") from None
    if out != value and not (isinstance(value, str) and value.strip().lstrip("-").isdigit()):
        raise ModelConfigError(f"{where}: expected an integer, got {value!r}")
    if out < minimum:
        raise ModelConfigError(f"{where}: must be at least {minimum}, got {out}")
    return out


def _str_list(value: Any, *, where: str, allow_empty: bool) -> tuple[str, ...]:
    if value is None:
        value = []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable) or isinstance(value, Mapping):
        raise ModelConfigError(f"{where}: expected a list of strings, got {value!r}")
    out = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ModelConfigError(f"{where}: every entry must be a non-empty string, got {item!r}")
        if "~" in item:
            raise ModelConfigError(
                f"{where}: {item!r} must not contain '~' (give right-hand-side terms only)"
            )
        out.append(item.strip())
    if not out and not allow_empty:
        raise ModelConfigError(f"{where}: needs at least one entry")
    return tuple(out)


def formula_variables(terms: Iterable[str]) -> list[str]:
    """Identifiers that appear in formula terms, in first-seen order.

    Function and module names (``np.log(``, ``C(``) are skipped: an
    identifier directly followed by ``(`` or ``.``, or preceded by ``.``, is
    not a variable. Every other identifier is taken for a data column.
    """
    seen: dict[str, None] = {}
    for term in terms:
        text = re.sub(r"\"[^\"]*\"|'[^']*'", " ", term)
        text = re.sub(r"\b[A-Za-z_]\w*\s*=(?!=)", " ", text)  # keyword arguments
        for match in _IDENT.finditer(text):
            if match.group(1) not in _FORMULA_NAMES:
                seen.setdefault(match.group(1), None)
    return list(seen)


def _check_formula(name: str, terms: tuple[str, ...]) -> None:
    import patsy

    try:
        patsy.ModelDesc.from_formula("y ~ " + " + ".join(terms))
    except patsy.PatsyError as err:
        raise ModelConfigError(
            f"model {name!r}: the terms {list(terms)} do not parse as a formula: {err}"
        ) from None


def _entry_label(entry: Any, section: str, position: int, keys: Sequence[str]) -> str:
    """Check that a config entry is a mapping of known keys; its label for messages."""
    if not isinstance(entry, Mapping):
        raise ModelConfigError(f"{section}[{position}]: expected a mapping, got {entry!r}")
    label = f"{section}[{position}]" + (f" ({entry['name']!r})" if "name" in entry else "")
    unknown = sorted(set(entry) - set(keys))
    if unknown:
        raise ModelConfigError(f"{label}: unknown keys {unknown}; known keys are {list(keys)}")
    return label


@dataclass(frozen=True)
class ModelSpec:
    """One case-level model of the config (see the module docstring)."""

    name: str
    outcome: str
    family: str
    predictors: tuple[str, ...]
    controls: tuple[str, ...] = ()
    pooled: bool = True
    lagged: bool = False
    lagged_outcome: bool = False
    standardize: bool = False
    predict: bool = True
    wave_effects: bool = True
    regression_estimators: tuple[str, ...] = ("glm", "gee", "mixed")
    estimators: tuple[str, ...] = ("baseline", "regularized", "forest")
    cv_folds: int = 5
    cv_repeats: int = 5
    importance_repeats: int = 5
    description: str = ""

    KEYS = (
        "name", "outcome", "family", "predictors", "controls", "pooled", "lagged",
        "lagged_outcome", "standardize", "predict", "wave_effects", "regression_estimators",
        "estimators", "cv_folds",
        "cv_repeats", "importance_repeats", "description",
    )  # fmt: skip

    @property
    def terms(self) -> tuple[str, ...]:
        """Predictors then controls: the right-hand side of the formula."""
        return self.predictors + self.controls

    @property
    def variables(self) -> list[str]:
        """Identifiers used on the right-hand side (candidate data columns)."""
        return formula_variables(self.terms)

    @classmethod
    def from_config(cls, entry: Mapping[str, Any], *, position: int = 0) -> ModelSpec:
        """Validate one ``models:`` entry."""
        label = _entry_label(entry, "models", position, cls.KEYS)
        for key in ("outcome", "family", "predictors"):
            if key not in entry:
                raise ModelConfigError(f"{label}: the key {key!r} is required")
        name = entry.get("name", f"{entry['outcome']}_{entry['family']}")
        if not isinstance(name, str) or not _NAME.match(name):
            raise ModelConfigError(
                f"{label}: name must be letters, digits, '_', '.', '-', got {name!r}"
            )
        outcome = entry["outcome"]
        if not isinstance(outcome, str) or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", outcome):
            raise ModelConfigError(f"{label}: outcome must be a column name, got {outcome!r}")
        family = str(entry["family"]).strip().lower()
        if family not in FAMILIES:
            raise ModelConfigError(
                f"{label}: family must be one of {list(FAMILIES)}, got {entry['family']!r}"
            )
        predictors = _str_list(entry["predictors"], where=f"{label}.predictors", allow_empty=False)
        controls = _str_list(entry.get("controls"), where=f"{label}.controls", allow_empty=True)
        estimators = _str_list(
            entry.get("estimators", cls.estimators), where=f"{label}.estimators", allow_empty=False
        )
        bad = [e for e in estimators if e not in ESTIMATORS]
        if bad:
            raise ModelConfigError(
                f"{label}: estimators must be among {list(ESTIMATORS)}, got {bad}"
            )
        regression = _str_list(
            entry.get("regression_estimators", cls.regression_estimators),
            where=f"{label}.regression_estimators",
            allow_empty=False,
        )
        bad = [e for e in regression if e not in REGRESSION_ESTIMATORS]
        if bad:
            raise ModelConfigError(
                f"{label}: regression_estimators must be among {list(REGRESSION_ESTIMATORS)}, got {bad}"
            )
        if outcome in formula_variables(predictors + controls):
            raise ModelConfigError(
                f"{label}: the outcome {outcome!r} also appears among the predictors"
            )
        spec = cls(
            name=name,
            outcome=outcome,
            family=family,
            predictors=predictors,
            controls=controls,
            pooled=coerce_bool(entry.get("pooled", True), where=f"{label}.pooled"),
            lagged=coerce_bool(entry.get("lagged", False), where=f"{label}.lagged"),
            lagged_outcome=coerce_bool(
                entry.get("lagged_outcome", False), where=f"{label}.lagged_outcome"
            ),
            standardize=coerce_bool(entry.get("standardize", False), where=f"{label}.standardize"),
            predict=coerce_bool(entry.get("predict", True), where=f"{label}.predict"),
            wave_effects=coerce_bool(
                entry.get("wave_effects", True), where=f"{label}.wave_effects"
            ),
            regression_estimators=tuple(dict.fromkeys(regression)),
            estimators=estimators,
            cv_folds=_int(entry.get("cv_folds", 5), where=f"{label}.cv_folds", minimum=2),
            cv_repeats=_int(entry.get("cv_repeats", 5), where=f"{label}.cv_repeats", minimum=1),
            importance_repeats=_int(
                entry.get("importance_repeats", 5), where=f"{label}.importance_repeats", minimum=0
            ),
            description=str(entry.get("description", "")),
        )
        if spec.lagged_outcome and not spec.lagged:
            raise ModelConfigError(f"{label}: lagged_outcome needs lagged: true")
        _check_formula(name, spec.terms)
        return spec


def parse_models(
    config: Iterable[Mapping[str, Any]] | None, *, unavailable: Mapping[str, str] | None = None
) -> list[ModelSpec]:
    """Validate the ``models:`` list; names must be unique.

    ``unavailable`` maps feature names that the configuration makes
    meaningless to the reason (e.g. the strong-tie shares under a within-case
    strong/weak split, :func:`netinnov.models.features.unavailable_tie_features`);
    a model that uses one is refused with that reason.
    """
    specs = [ModelSpec.from_config(e, position=i) for i, e in enumerate(config or [])]
    _unique([s.name for s in specs], "models")
    for spec in specs:
        used = [v for v in spec.variables if v in (unavailable or {})]
        if used:
            raise ModelConfigError(
                f"model {spec.name!r}: {used[0]!r} is not offered as a feature: {unavailable[used[0]]}"
            )
    return specs


def _unique(names: list[str], key: str) -> None:
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise ModelConfigError(f"{key}: the name {n!r} is used twice")
        seen.add(n)


def parse_dyadic_term(term: str) -> tuple[str, str]:
    """Split ``"nodematch(sector)"`` into ``("nodematch", "sector")``."""
    match = _DYADIC_TERM.match(term)
    if not match:
        raise ModelConfigError(
            f"dyadic term {term!r} not understood; write one of "
            + ", ".join(f"{t}(name)" for t in DYADIC_TERMS)
        )
    return match.group(1), match.group(2)


#: Default number of QAP permutations of a dyadic model (config ``dyadic_models[].permutations``).
#: With B permutations the smallest p-value (b + 1)/(B + 1) is about 0.001.
DEFAULT_QAP_PERMUTATIONS = 1000


@dataclass(frozen=True)
class DyadicModelSpec:
    """One MRQAP model of the config (see the module docstring)."""

    name: str
    terms: tuple[str, ...]
    relation: str = "tie"
    estimator: str = "netlm"
    null_hypothesis: str = "qapspp"
    permutations: int = DEFAULT_QAP_PERMUTATIONS
    per_case: bool = True
    pooled: bool = True
    intercept: bool = True
    description: str = ""
    pooled_max_cases: int = 100

    KEYS = (
        "name", "terms", "relation", "estimator", "null_hypothesis", "permutations",
        "per_case", "pooled", "intercept", "description", "pooled_max_cases",
    )  # fmt: skip

    @classmethod
    def from_config(cls, entry: Mapping[str, Any], *, position: int = 0) -> DyadicModelSpec:
        """Validate one ``dyadic_models:`` entry."""
        label = _entry_label(entry, "dyadic_models", position, cls.KEYS)
        for key in ("name", "terms"):
            if key not in entry:
                raise ModelConfigError(f"{label}: the key {key!r} is required")
        name = entry["name"]
        if not isinstance(name, str) or not _NAME.match(name):
            raise ModelConfigError(
                f"{label}: name must be letters, digits, '_', '.', '-', got {name!r}"
            )
        terms = _str_list(entry["terms"], where=f"{label}.terms", allow_empty=True)
        for t in terms:
            try:
                parse_dyadic_term(t)
            except ModelConfigError as err:
                raise ModelConfigError(f"{label}: {err}") from None
        _unique(list(terms), f"{label}.terms")
        relation = str(entry.get("relation", "tie"))
        if relation not in RELATIONS:
            raise ModelConfigError(
                f"{label}: relation must be one of {list(RELATIONS)}, got {relation!r}"
            )
        estimator = str(entry.get("estimator", "netlm"))
        if estimator not in QAP_ESTIMATORS:
            raise ModelConfigError(
                f"{label}: estimator must be one of {list(QAP_ESTIMATORS)}, got {estimator!r}"
            )
        if estimator == "netlogit" and relation not in ("tie", "strong_tie"):
            raise ModelConfigError(
                f"{label}: netlogit needs a binary relation (tie or strong_tie), got {relation!r}"
            )
        null = str(entry.get("null_hypothesis", "qapspp"))
        if null not in NULL_HYPOTHESES:
            raise ModelConfigError(
                f"{label}: null_hypothesis must be one of {list(NULL_HYPOTHESES)}, got {null!r}"
            )
        spec = cls(
            name=name,
            terms=terms,
            relation=relation,
            estimator=estimator,
            null_hypothesis=null,
            permutations=_int(
                entry.get("permutations", DEFAULT_QAP_PERMUTATIONS),
                where=f"{label}.permutations",
                minimum=0,
            ),
            per_case=coerce_bool(entry.get("per_case", True), where=f"{label}.per_case"),
            pooled=coerce_bool(entry.get("pooled", True), where=f"{label}.pooled"),
            intercept=coerce_bool(entry.get("intercept", True), where=f"{label}.intercept"),
            description=str(entry.get("description", "")),
            pooled_max_cases=_int(
                entry.get("pooled_max_cases", 100), where=f"{label}.pooled_max_cases", minimum=2
            ),
        )
        if not spec.terms and not spec.intercept:
            raise ModelConfigError(f"{label}: needs at least one term or the intercept")
        return spec


def parse_dyadic_models(config: Iterable[Mapping[str, Any]] | None) -> list[DyadicModelSpec]:
    """Validate the ``dyadic_models:`` list; names must be unique."""
    specs = [DyadicModelSpec.from_config(e, position=i) for i, e in enumerate(config or [])]
    _unique([s.name for s in specs], "dyadic_models")
    return specs
