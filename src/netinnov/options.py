"""Typed options of the pipeline steps, built once from the validated config.

The config schema (``workflow/schemas/config.schema.yaml``) is the one place
that holds defaults. :func:`complete` fills them into a (partial) mapping —
the JSON object a rule hands a step, or a dict a Python caller writes — and
each step turns the result into one frozen dataclass (:class:`WaveOptions`,
:class:`ModelOptions`, …) with :meth:`Options.of`. Below this layer, code
reads attributes (``options.tie_class.method``), never ``.get(key, default)``.

A mapping given here has already passed :func:`netinnov.config.resolve` in the
pipeline; a Python caller's dict is completed but not validated again.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import yaml

__all__ = [
    "BetweennessOptions",
    "DyadicOptions",
    "ExportOptions",
    "IngestOptions",
    "ModelOptions",
    "Options",
    "PanelOptions",
    "PhaseTestOptions",
    "PowerOptions",
    "TieClassOptions",
    "ValidityOptions",
    "WaveOptions",
    "complete",
]

T = TypeVar("T", bound="Options")


@functools.cache
def _schema() -> dict[str, Any]:
    from netinnov.config import default_schema_path

    with open(default_schema_path(), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def complete(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """``config`` with the schema's default of every absent key, at any depth (a copy)."""
    from netinnov.config import _fill_defaults

    out = copy.deepcopy(dict(config or {}))
    _fill_defaults(out, _schema())
    return out


def _is_options(kind: Any) -> bool:
    try:
        return isinstance(kind, type) and issubclass(kind, Options)
    except TypeError:  # a generic alias such as tuple[...]
        return False


class Options:
    """Base of the typed options: built from a config mapping by field name."""

    #: Fields read from a key of another name (field -> config key).
    KEYS: ClassVar[dict[str, str]] = {}

    @classmethod
    def from_config(cls: type[T], config: Mapping[str, Any] | None) -> T:
        """The options of ``config`` (completed with the schema defaults)."""
        return cls._build(complete(config))

    @classmethod
    def _build(cls: type[T], values: Mapping[str, Any]) -> T:
        hints = typing.get_type_hints(cls)
        kwargs = {}
        for f in dataclasses.fields(cls):
            value = values[cls.KEYS.get(f.name, f.name)]
            kind = hints[f.name]
            if _is_options(kind):
                value = kind._build(value)
            elif isinstance(value, list):
                value = tuple(value)
            kwargs[f.name] = value
        return cls(**kwargs)

    @classmethod
    def of(cls: type[T], options: T | Mapping[str, Any] | None) -> T:
        """``options`` as given when already typed, else :meth:`from_config`."""
        return options if isinstance(options, cls) else cls.from_config(options)


@dataclass(frozen=True)
class TieClassOptions(Options):
    """Config ``tie_class``: strong or weak (:func:`netinnov.metrics.tie_strength.classify_ties`)."""

    method: str
    quantile: float
    threshold: float


@dataclass(frozen=True)
class BetweennessOptions(Options):
    """Config ``betweenness`` (:func:`netinnov.metrics.brokerage.brokerage_metrics`)."""

    weighted: bool
    exact_max_actors: int
    samples: int
    workers: int | None


@dataclass(frozen=True)
class PhaseTestOptions(Options):
    """Config ``phase_tests`` (:func:`netinnov.metrics.phase_tests.phase_tests`)."""

    n_boot: int


@dataclass(frozen=True)
class WaveOptions(Options):
    """What the wave stage reads of the config: networks, ties, metrics, roles, tests.

    Mappings are passed on as the config gives them (``{}``: the metric's
    fixed scales); see SPEC.md and the config's comments for each key.
    """

    directed: bool
    group_attribute: str
    frequency_scale: Mapping[str, float]
    coparticipation_weight: str
    coattendance: str
    nonrespondents: str
    tie_weight: str
    tie_strength: Mapping[str, float]
    tie_strength_scale: Mapping[str, float]
    tie_class: TieClassOptions
    betweenness: BetweennessOptions
    ei_permutations: int
    ei_swaps_per_tie: float
    collaboration_type: Mapping[str, Any]
    role_threshold: float | Mapping[str, float]
    role_scale: Mapping[str, float]
    phase_tests: PhaseTestOptions
    seed: int


@dataclass(frozen=True)
class IngestOptions(Options):
    """What validation and quarantine of a wave read of the config."""

    waves: tuple[str, ...]
    on_bad_rows: str
    group_attribute: str
    directed: bool
    pseudonymize: bool
    pseudonym_key_file: str | None


@dataclass(frozen=True)
class ExportOptions(Options):
    """What the exports read of the config."""

    directed: bool
    group_attribute: str
    nonrespondents: str


@dataclass(frozen=True)
class PanelOptions(Options):
    """What the panel step reads of the config."""

    directed: bool


@dataclass(frozen=True)
class DyadicOptions(Options):
    """What the dyadic models (MRQAP) read of the config."""

    dyadic_models: tuple[Mapping[str, Any], ...]
    seed: int
    directed: bool
    group_attribute: str


@dataclass(frozen=True)
class ModelOptions(Options):
    """What the case-level and dyadic models read of the config."""

    models: tuple[Mapping[str, Any], ...]
    feature_aggregates: tuple[Mapping[str, Any], ...]
    seed: int
    tie_class: TieClassOptions
    small_cluster_max: int
    dyadic_models: tuple[Mapping[str, Any], ...]
    directed: bool
    group_attribute: str


@dataclass(frozen=True)
class PowerOptions(Options):
    """What the power step reads of the config (``power`` as
    :func:`netinnov.models.power.power_settings` reads it)."""

    models: tuple[Mapping[str, Any], ...]
    seed: int
    small_cluster_max: int
    power: Mapping[str, Any]


@dataclass(frozen=True)
class ValidityOptions(Options):
    """What the validity step reads of the config: the wave stage's options
    (for the generated reference data) and ``validity``."""

    reference_cases: int
    reference_waves: int
    bootstrap: int
    pseudonymize: bool
    seed: int

    @classmethod
    def _build(cls, values: Mapping[str, Any]) -> ValidityOptions:
        v = values["validity"]
        return cls(
            reference_cases=int(v["reference_cases"]),
            reference_waves=int(v["reference_waves"]),
            bootstrap=int(v["bootstrap"]),
            pseudonymize=bool(values["pseudonymize"]),
            seed=int(values["seed"]),
        )
