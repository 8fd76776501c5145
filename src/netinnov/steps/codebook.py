"""The codebook step (rule ``codebook``): every result table as a resource of a
Frictionless Data Package (``datapackage.json``) and the run's methods
paragraph (``methods.md``); :mod:`netinnov.codebook` describes the tables."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["write_codebook"]

log = logging.getLogger("netinnov")


def write_codebook(
    *, results: Path, dataset: Path | None = None, waves: Sequence[str] | None = None,
    options: Mapping[str, Any] | None = None, out: Path | None = None, methods: Path | None = None,
) -> None:  # fmt: skip
    """Write ``out`` (default ``<results>/datapackage.json``) and ``methods``
    (default ``<results>/methods.md``)."""
    from netinnov import __version__
    from netinnov.codebook import write_datapackage, write_methods

    options = dict(options or {})
    results = Path(results)
    out = Path(out) if out else results / "datapackage.json"
    methods = Path(methods) if methods else results / "methods.md"
    package = write_datapackage(results, out, dataset=Path(dataset) if dataset else None,
                                options=options, version=__version__)
    write_methods(results, methods, options, list(waves or []))
    log.info("%s: %d tables; %s written", out, len(package["resources"]), methods)
