"""YAML text of the ``netinnov init`` entries, comments included."""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml

from .build import Entry

__all__ = ["render"]

_HEADER = """\
# netinnov configuration written by `netinnov init` for this dataset.
# Run it with:  snakemake --cores 2 --configfile {path}
# Every key not set here keeps its default of config/config.yaml (documented in
# config/README.md); the defaults of models: and dyadic_models: there are written
# for the example data (data/example), which is why this file replaces them.
# Detected from the data: waves, directedness, outcome and actor columns (names
# and counts only; no value of the data is written here). Check them.
"""


def _comment(text: str, indent: str = "") -> str:
    """One or more ``#`` lines; control characters (a newline in a column name) become spaces."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(text))
    return f"{indent}# {text}"


def render(entries: Sequence[Entry], *, path: str) -> str:
    """The config file: a header, then each entry's comments, value and notes."""
    parts = [_HEADER.format(path=path)]
    for entry in entries:
        lines = [_comment(c) for c in entry.comments]
        flow = None if isinstance(entry.value, list | dict) else False  # inline short lists, never {key: v}
        body = yaml.safe_dump({entry.key: entry.value}, sort_keys=False, default_flow_style=flow,
                              allow_unicode=True, width=110)
        lines.append(body.rstrip("\n"))
        lines += [_comment(n, "  ") for n in entry.notes]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)
