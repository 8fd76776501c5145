"""Pipeline configuration: loading, coercion of command-line text, validation.

Snakemake hands ``--config key=value`` over as text unless the value reads as
a number or ``True``/``False``; :func:`coerce` turns the accepted spellings of
booleans (``true/false``, ``yes/no``, ``1/0``, any case) into booleans before
the configuration is validated against the JSON Schema in
``workflow/schemas/config.schema.yaml``, which also fills in the defaults.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "BOOLEAN_KEYS",
    "ConfigError",
    "coerce",
    "default_schema_path",
    "derive_seed",
    "load_config",
    "step_options",
    "parse_bool",
    "resolve",
    "results_dir",
]

#: Boolean keys, as dotted paths into the configuration.
BOOLEAN_KEYS = ("directed", "pseudonymize", "neutralize_formulas", "betweenness.weighted")

_TRUE = {"true", "yes", "1", "on", "y", "t"}
_FALSE = {"false", "no", "0", "off", "n", "f"}


class ConfigError(ValueError):
    """A configuration value that cannot be used, with the key it belongs to."""


def parse_bool(value: Any, key: str = "value") -> bool:
    """Read a boolean from a bool, number or any accepted spelling of text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ConfigError(f"config key '{key}': expected true/false, yes/no or 1/0, got {value!r}")


def coerce(config: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``config`` with booleans, the wave list and the seed in their types.

    ``waves`` may arrive as a comma- or space-separated string from the
    command line; it becomes a list. A numeric seed given as text becomes an int.
    """
    out = copy.deepcopy(dict(config))
    for dotted in BOOLEAN_KEYS:
        parent: Any = out
        *path, last = dotted.split(".")
        for part in path:
            parent = parent.get(part) if isinstance(parent, Mapping) else None
        if isinstance(parent, dict) and last in parent and parent[last] is not None:
            parent[last] = parse_bool(parent[last], dotted)
    waves = out.get("waves")
    if waves is None:
        out["waves"] = []
    elif isinstance(waves, str):
        out["waves"] = [w for w in waves.replace(",", " ").split() if w]
    elif isinstance(waves, list | tuple):
        out["waves"] = [str(w) for w in waves]
    if isinstance(out.get("seed"), str):
        try:
            out["seed"] = int(out["seed"])
        except ValueError as err:
            raise ConfigError(f"config key 'seed': expected an integer, got {out['seed']!r}") from err
    if out.get("dataset") is not None:
        out["dataset"] = str(out["dataset"])
    return out


def default_schema_path() -> Path:
    """The schema shipped with the workflow (next to the Snakefile of a checkout)."""
    return Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"


def resolve(config: Mapping[str, Any], schema: Path | None = None) -> dict[str, Any]:
    """Coerce and validate ``config``, filling in the schema's defaults.

    Raises
    ------
    ConfigError
        Naming the key whose value is wrong and what was expected.
    """
    import jsonschema

    resolved = coerce(config)
    schema_path = Path(schema) if schema is not None else default_schema_path()
    with open(schema_path, encoding="utf-8") as fh:
        schema_doc = yaml.safe_load(fh)
    _refuse_unknown_keys(resolved, schema_doc)
    _fill_defaults(resolved, schema_doc)
    validator = jsonschema.Draft202012Validator(schema_doc)
    errors = sorted(validator.iter_errors(resolved), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        key = ".".join(str(p) for p in err.absolute_path) or "(top level)"
        raise ConfigError(f"config key '{key}': {err.message}")
    if resolved.get("coattendance") == "merge" and resolved.get("directed"):
        raise ConfigError(
            "config key 'coattendance': merge is for undirected data only (directed: false). In directed "
            "data a reported arc is a choice and a co-attendance is not: merged, co-attendance would count "
            "as reciprocated choices. Use coattendance: layer"
        )
    return resolved


def _refuse_unknown_keys(instance: Any, schema: Mapping[str, Any], prefix: str = "") -> None:
    """Raise ConfigError for a key the schema does not define, at any depth,
    naming the closest valid key (a misspelled key would otherwise be ignored
    and its default used without a word)."""
    if isinstance(instance, list) and isinstance(schema.get("items"), Mapping):
        for item in instance:
            _refuse_unknown_keys(item, schema["items"], prefix)
        return
    if not isinstance(instance, dict):
        return
    properties = schema.get("properties", {})
    closed = schema.get("additionalProperties", True) is False
    for key, value in instance.items():
        if key in properties:
            _refuse_unknown_keys(value, properties[key], f"{prefix}{key}.")
        elif closed:
            close = difflib.get_close_matches(str(key), list(properties), n=1, cutoff=0.6)
            hint = f"; did you mean '{prefix}{close[0]}'?" if close else ""
            valid = ", ".join(sorted(properties))
            raise ConfigError(f"config key '{prefix}{key}' is not a netinnov setting{hint} (valid keys"
                              f"{' of ' + prefix.rstrip('.') if prefix else ''}: {valid})")


def _fill_defaults(instance: Any, schema: Mapping[str, Any]) -> None:
    """Set the schema's ``default`` values for absent keys, recursively."""
    if not isinstance(instance, dict):
        return
    for key, sub in schema.get("properties", {}).items():
        if key not in instance and "default" in sub:
            instance[key] = copy.deepcopy(sub["default"])
        if key in instance:
            if sub.get("type") == "object":
                _fill_defaults(instance[key], sub)
            elif sub.get("type") == "array" and isinstance(instance[key], list):
                for item in instance[key]:
                    _fill_defaults(item, sub.get("items", {}))


def load_config(path: Path | str, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Read a YAML configuration, apply ``overrides`` and resolve it."""
    with open(path, encoding="utf-8") as fh:
        config = yaml.safe_load(fh) or {}
    config.update(overrides or {})
    return resolve(config)


def results_dir(config: Mapping[str, Any], root: Path | str = "results") -> Path:
    """``results/<dataset directory name>/`` for a configuration."""
    name = Path(str(config["dataset"]).rstrip("/\\")).resolve().name
    return Path(root) / name


def step_options(text: str | None) -> dict[str, Any]:
    """The options a rule hands a step (``--options``): a JSON object, or
    ``@file`` naming a file that holds one; ``{}`` when not given."""
    if not text:
        return {}
    if text.startswith("@"):
        return json.loads(Path(text[1:]).read_text(encoding="utf-8"))
    return json.loads(text)


def derive_seed(seed: int, *keys: object) -> int:
    """A 32-bit seed from the config's ``seed`` and ``keys`` (stable across runs and machines).

    Each random step gets its own stream from the one config seed and names
    that say what it is for (``derive_seed(seed, "ei", wave, case_id)``), so
    results do not depend on the order in which cases or jobs run, and
    changing one step's draws leaves the others untouched.
    """
    text = "\x1f".join([str(int(seed)), *(str(k) for k in keys)])
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "little")
