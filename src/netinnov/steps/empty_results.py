"""The ``empty_results`` step: ``models/empty_results.csv``, logged, and the end-of-run summary.

The table is :func:`netinnov.models.empty_results.empty_results` of the
models' ``coefficients.csv``, ``fit.csv`` and ``qap.csv``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from netinnov.io.result_tables import read_table, write_table
from netinnov.models.empty_results import _MISSING_COLUMN, empty_results, headline

__all__ = ["print_run_summary", "write_empty_results"]

log = logging.getLogger(__name__)


def write_empty_results(
    *, coefficients: Path | str | None, fit: Path | str | None, qap: Path | str | None, out: Path | str,
) -> pd.DataFrame:  # fmt: skip
    """Read the models' ``coefficients.csv``, ``fit.csv`` and ``qap.csv`` (a
    missing one: its models are counted as not run), write ``out``
    (``models/empty_results.csv``) and log every row."""

    def read(path: Path | str | None) -> pd.DataFrame | None:
        if path is None or not Path(path).is_file():
            log.warning("%s is missing; its models are counted as not run", path)
            return None
        return read_table(Path(path))

    table = empty_results(read(coefficients), read(fit), read(qap))
    write_table(table, Path(out))
    if not len(table):
        log.info("empty results: every model fit produced an estimate")
        return table
    log.warning("empty results: %s (models/empty_results.csv)", headline(table))
    for r in table.itertuples(index=False):
        what = f"{r.kind.replace('_', ' ')} {r.model!s}" if r.model else r.kind.replace("_", " ")
        where = f", wave {r.wave}, {r.scope}" if r.wave else ""
        count = f" ({r.n_fits} of {r.n_fits_total} fits)" if r.n_fits_total else ""
        log.warning("no estimate: %s%s%s: %s", what, where, count, r.reason)
    return table

def print_run_summary(path: Path | str, stream=None, *, dataset: Path | str | None = None) -> None:
    """At the end of a run (``Snakefile`` ``onsuccess``): the headline and every model
    without any estimate, on stderr, and with ``dataset`` the ``netinnov init`` hint
    when a model has none. Nothing when the table was not built."""
    import sys

    path = Path(path)
    if not path.is_file():
        return
    table = read_table(path)
    stream = stream or sys.stderr
    if not len(table):
        print(f"netinnov: every model fit produced an estimate ({path})", file=stream)
        return
    print(f"netinnov: {headline(table)} -- see {path}", file=stream)
    empty = table[table["model_empty"].astype(str).str.lower() == "true"]
    for r in empty.drop_duplicates(["kind", "model", "reason"]).itertuples(index=False):
        name = f" {r.model}" if isinstance(r.model, str) and r.model else ""
        print(f"  no estimate: {r.kind.replace('_', ' ')}{name}: {r.reason}", file=stream)
    missing = empty["reason"].astype(str).str.contains(_MISSING_COLUMN, regex=True).any()
    if missing and dataset is not None:  # a model names a column the data do not have
        print("  the default models: and dyadic_models: are written for the example data; "
              f"`netinnov init {dataset}` writes a config of this dataset's own columns", file=stream)
