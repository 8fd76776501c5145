"""Typed step options: built once from the config, whose schema holds the only defaults."""

from __future__ import annotations

import ast
import dataclasses
import inspect

import pytest
import yaml

from helpers.paths import REPO as ROOT
from netinnov.config import default_schema_path, load_config
from netinnov.options import (
    DyadicOptions,
    ExportOptions,
    IngestOptions,
    ModelOptions,
    PanelOptions,
    PowerOptions,
    ValidityOptions,
    WaveOptions,
    complete,
)

SCHEMA = yaml.safe_load(default_schema_path().read_text(encoding="utf-8"))["properties"]


def _default(key: str, sub: str | None = None):
    entry = SCHEMA[key] if sub is None else SCHEMA[key]["properties"][sub]
    return entry["default"]


def test_an_empty_config_gives_the_schema_defaults():
    opts = WaveOptions.from_config({})
    assert opts.directed is _default("directed")
    assert opts.group_attribute == _default("group_attribute")
    assert opts.seed == _default("seed")
    assert opts.tie_class.method == _default("tie_class", "method")
    assert opts.tie_class.threshold == _default("tie_class", "threshold")
    assert opts.betweenness.exact_max_actors == _default("betweenness", "exact_max_actors")
    assert opts.betweenness.workers is None
    assert opts.phase_tests.n_boot == _default("phase_tests", "n_boot")
    assert opts.role_threshold == _default("role_threshold")
    assert opts.collaboration_type["public_label"] == _default("collaboration_type", "public_label")


def test_given_keys_win_at_every_depth():
    opts = WaveOptions.from_config({"directed": True, "tie_class": {"method": "quantile"}, "seed": 7})
    assert (opts.directed, opts.seed, opts.tie_class.method) == (True, 7, "quantile")
    assert opts.tie_class.quantile == _default("tie_class", "quantile")  # the rest of the object filled in


def test_the_example_config_round_trips_into_every_options_type():
    config = load_config(ROOT / "config" / "config.yaml")
    wave = WaveOptions.from_config(config)
    for field in dataclasses.fields(wave):
        value = getattr(wave, field.name)
        expected = config[field.name]
        if dataclasses.is_dataclass(value):
            assert dataclasses.asdict(value) == expected, field.name
        else:
            assert value == (tuple(expected) if isinstance(expected, list) else expected), field.name
    models = ModelOptions.from_config(config)
    assert list(models.models) == config["models"] and list(models.dyadic_models) == config["dyadic_models"]
    assert DyadicOptions.from_config(config).seed == config["seed"]
    assert ExportOptions.from_config(config).nonrespondents == config["nonrespondents"]
    assert PanelOptions.from_config(config).directed == config["directed"]
    ingest = IngestOptions.from_config(config)
    assert (ingest.on_bad_rows, ingest.pseudonym_key_file) == (config["on_bad_rows"], config["pseudonym_key_file"])
    assert PowerOptions.from_config(config).power == config["power"]
    validity = ValidityOptions.from_config(config)
    assert validity.reference_cases == config["validity"]["reference_cases"]
    assert validity.pseudonymize == config["pseudonymize"]


def test_typed_options_pass_through_unchanged_and_are_frozen():
    opts = WaveOptions.from_config({"seed": 3})
    assert WaveOptions.of(opts) is opts
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.seed = 4  # type: ignore[misc]


def test_complete_copies_and_leaves_its_argument_alone():
    given = {"tie_class": {"method": "quantile"}}
    out = complete(given)
    assert given == {"tie_class": {"method": "quantile"}}
    out["tie_class"]["method"] = "absolute"
    assert given["tie_class"]["method"] == "quantile"


def _keyword_defaults(func) -> dict:
    return {
        name: p.default
        for name, p in inspect.signature(func).parameters.items()
        if p.default is not inspect.Parameter.empty
    }


def test_the_python_api_defaults_agree_with_the_config_defaults():
    """A metric called from Python without options measures what the pipeline measures by default."""
    from netinnov.metrics.brokerage import brokerage_metrics
    from netinnov.metrics.collaboration_type import DEFAULTS, collaboration_evidence
    from netinnov.metrics.diversity import case_diversity
    from netinnov.metrics.phase_tests import phase_tests
    from netinnov.metrics.role_evidence import DEFAULT_SCALE
    from netinnov.metrics.role_survey import DEFAULT_THRESHOLD
    from netinnov.metrics.tie_strength import (
        DEFAULT_TIE_STRENGTH_ANCHORS,
        DEFAULT_TIE_STRENGTH_WEIGHTS,
        classify_ties,
    )

    opts = WaveOptions.from_config({})
    # the config names n_records with weight 0: the same strength as leaving it out
    assert dict(DEFAULT_TIE_STRENGTH_WEIGHTS) == {k: w for k, w in opts.tie_strength.items() if w}
    assert dict(DEFAULT_TIE_STRENGTH_ANCHORS) == dict(opts.tie_strength_scale)
    assert DEFAULT_SCALE == dict(opts.role_scale)
    assert DEFAULT_THRESHOLD == opts.role_threshold
    ties = _keyword_defaults(classify_ties)
    assert (ties["method"], ties["threshold"], ties["quantile"]) == (
        opts.tie_class.method, opts.tie_class.threshold, opts.tie_class.quantile
    )
    brokerage = _keyword_defaults(brokerage_metrics)
    assert (brokerage["exact_max_actors"], brokerage["samples"], brokerage["workers"]) == (
        opts.betweenness.exact_max_actors, opts.betweenness.samples, opts.betweenness.workers
    )
    diversity = _keyword_defaults(case_diversity)
    assert (diversity["permutations"], diversity["swaps_per_tie"]) == (opts.ei_permutations, opts.ei_swaps_per_tie)
    assert _keyword_defaults(phase_tests)["n_boot"] == opts.phase_tests.n_boot
    collaboration = _keyword_defaults(collaboration_evidence)
    for key, value in opts.collaboration_type.items():
        expected = DEFAULTS["weights"] if key == "weights" else collaboration[key]
        assert value == expected, key


def test_no_step_reads_an_option_with_a_default_of_its_own():
    """Below the config layer nobody writes ``options.get(key, default)``: the schema holds the defaults.

    (``config_init`` reads a dataset, not a config; a UCINET DL file's header ``settings`` are not options.)
    """
    offenders = []
    for path in sorted((ROOT / "src" / "netinnov").rglob("*.py")):
        rel = path.relative_to(ROOT / "src" / "netinnov").as_posix()
        if rel in {"config.py", "options.py", "io/importers/ucinet_dl.py"} or rel.startswith("config_init/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"options", "config", "opts", "settings"}
                and len(node.args) == 2
            ):
                offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []
