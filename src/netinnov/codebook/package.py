"""``results/<dataset>/datapackage.json``: the result tables as a Frictionless Data Package.

One resource per CSV table under ``results/<dataset>/`` (but ``logs/`` and
``reports/``), with a Table Schema: every field with its type (read from the
file's values, so the package always validates), its description from the
codebook (:mod:`netinnov.codebook.columns`: definition, unit, range,
reference), the missing value (an empty cell) and the primary key where the
table has one. Written as plain JSON: the runtime does not need the
``frictionless`` library (the tests validate the package with it).

The package holds no time stamp: the same results give a byte-identical file.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from pathlib import Path

import pandas as pd

from netinnov.codebook.columns import Column, Table, lookup, table_for

__all__ = [
    "MISSING_VALUES", "SKIPPED_FOLDERS", "datapackage", "describe", "input_columns", "result_tables", "table_schema",
    "write_datapackage",
]  # fmt: skip

log = logging.getLogger(__name__)

#: How a missing value is written in every result table.
MISSING_VALUES = [""]
#: Folders of the results folder that hold no result tables.
SKIPPED_FOLDERS = ("logs", "reports")

_INT = r"[+-]?\d+"
_NUM = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?inf|nan|NaN|[+-]?INF"
_DATE = r"\d{4}-\d{2}-\d{2}"


def _natural(text: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def result_tables(results: Path) -> list[Path]:
    """Every CSV table under ``results`` but ``logs/`` and ``reports/``, in natural order."""
    results = Path(results)
    found = [p for p in results.rglob("*.csv") if p.is_file()
             and p.relative_to(results).parts[0] not in SKIPPED_FOLDERS]
    return sorted(found, key=lambda p: _natural(p.relative_to(results).as_posix()))


def _header(path: Path) -> list[str]:
    """The column names of an input file (comma or semicolon, with or without BOM)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            line = fh.readline()
    except (OSError, UnicodeDecodeError):
        return []
    delimiter = ";" if line.count(";") > line.count(",") else ","
    return [c.strip() for c in next(csv.reader([line], delimiter=delimiter), [])]


def input_columns(dataset: Path | None, options: dict) -> dict[str, tuple[str, str]]:
    """The dataset-specific columns the result tables carry over: column -> (kind, definition).

    ``actors.csv`` (the dataset's and each wave's): the actor attributes;
    ``outcomes.csv`` (each wave's): outcomes and case covariates; the config's
    ``feature_aggregates``: the actor-attribute summaries of ``models/features.csv``.
    """
    found: dict[str, tuple[str, str]] = {}
    if dataset is not None:
        dataset = Path(dataset)
        files = [dataset / "actors.csv", *sorted(dataset.glob("waves/*/actors.csv"))]
        for path in files:
            for col in _header(path):
                found.setdefault(col, ("actors.csv", "Dataset-specific actor attribute, carried over from the "
                                       f"input file {path.relative_to(dataset).as_posix()}"))
        for path in sorted(dataset.glob("waves/*/outcomes.csv")):
            for col in _header(path):
                found.setdefault(col, ("outcomes.csv", "Dataset-specific outcome or case covariate, carried over "
                                       "from the input file waves/<wave>/outcomes.csv"))
    for rule in options["feature_aggregates"]:
        name = rule.get("name") or f"{rule.get('agg')}_{rule.get('column')}"
        found.setdefault(name, ("feature_aggregates", f"Per-case {rule.get('agg')} of the actor attribute "
                                f"{rule.get('column')} (config feature_aggregates; input actors.csv)"))
    return found


def _infer_type(values: pd.Series, declared: str) -> str:
    """The Table Schema type that every non-missing value of a column parses as."""
    present = values[values != ""]
    if present.empty:
        return declared
    if declared == "date" and present.str.fullmatch(_DATE).all():
        return "date"
    if present.isin(["True", "False"]).all():
        return "boolean"
    if present.str.fullmatch(_INT).all():
        return "integer"
    if present.str.fullmatch(_NUM).all():
        return "number"
    return "string"


def describe(col: Column) -> str:
    """A field description: the definition, then unit, range and reference."""
    parts = [col.definition.rstrip(".") + "."]
    if col.unit:
        parts.append(f"Unit: {col.unit}.")
    if col.range:
        parts.append(f"Range: {col.range}.")
    if col.reference:
        parts.append(f"Reference: {col.reference}.")
    return " ".join(parts)


def table_schema(
    path: Path, table: Table | None, *, group: str = "sector", inputs: dict[str, tuple[str, str]] | None = None
) -> tuple[dict, list[str]]:
    """The Table Schema of one CSV file and the columns the codebook lacks."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    fields, missing = [], []
    for name in frame.columns:
        col = lookup(table, name, group=group, inputs=inputs) if table is not None else None
        if col is None:
            missing.append(name)
        declared = col.type if col is not None else "string"
        field = {"name": name, "type": _infer_type(frame[name], declared)}
        if col is not None:
            field["description"] = describe(col)
        else:
            field["description"] = "Not in the codebook."
        fields.append(field)
    schema: dict = {"fields": fields, "missingValues": list(MISSING_VALUES)}
    if table is not None and table.primary_key:
        key = [k.replace("{group}", group) for k in table.primary_key]
        if all(k in frame.columns for k in key) and len(frame) and not (frame[key] == "").any().any() \
                and not frame.duplicated(key).any():
            schema["primaryKey"] = key
    return schema, missing


def _resource_name(relative: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9._-]+", "-", relative.lower().removesuffix(".csv")).strip("-") or "table"
    name, i = base, 2
    while name in taken:
        name, i = f"{base}-{i}", i + 1
    taken.add(name)
    return name


def datapackage(results: Path, *, dataset: Path | None = None, options: dict | None = None,
                version: str | None = None) -> tuple[dict, dict[str, list[str]]]:
    """The data package of a results folder and, per table, the columns the codebook lacks."""
    results = Path(results)
    from netinnov.options import complete

    options = complete(options)  # the schema's defaults: the only ones
    group = str(options["group_attribute"])
    inputs = input_columns(dataset, options)
    resources, taken, undocumented = [], set(), {}
    for path in result_tables(results):
        relative = path.relative_to(results).as_posix()
        table = table_for(relative)
        schema, missing = table_schema(path, table, group=group, inputs=inputs)
        if missing:
            undocumented[relative] = missing
        resource = {
            "name": _resource_name(relative, taken),
            "path": relative,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "doubleQuote": True, "header": True},
            "schema": schema,
        }
        if table is not None:
            resource["title"] = table.name
            resource["description"] = table.description
        resources.append(resource)
    name = re.sub(r"[^a-z0-9._-]+", "-", results.name.lower()).strip("-") or "results"
    package = {
        "profile": "tabular-data-package",
        "name": f"netinnov-{name}",
        "title": f"netinnov results: {results.name}",
        "description": "Collaboration networks, actor and case metrics, panel change, models and validity "
                       "figures written by netinnov (docs/SPEC.md). Column definitions: the codebook "
                       "(netinnov.codebook.columns); the run's methods: methods.md.",
        "version": version or "",
        "sources": [{"title": f"netinnov {version or ''}".strip() + f", dataset {Path(dataset).name if dataset else name}"}],
        "resources": resources,
    }
    return package, undocumented


def write_datapackage(results: Path, out: Path, *, dataset: Path | None = None, options: dict | None = None,
                      version: str | None = None) -> dict:
    """Write ``datapackage.json`` (``out``) for ``results`` and return it; columns the
    codebook lacks are logged as warnings (and described as such)."""
    package, undocumented = datapackage(results, dataset=dataset, options=options, version=version)
    for relative, cols in undocumented.items():
        log.warning("%s: column(s) not in the codebook: %s", relative, ", ".join(cols))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return package

