"""The ``mixing_tests`` step: a wave's ``mixing_tests.csv`` from its ``cases.csv``."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from netinnov.io.result_tables import read_table, write_table
from netinnov.metrics.multiple_testing import mixing_tests

__all__ = ["write_mixing_tests"]

log = logging.getLogger(__name__)


def write_mixing_tests(cases_csv: Path | str, out: Path | str, *, wave: str | None = None) -> pd.DataFrame:
    """Read a wave's ``cases.csv``, write its ``mixing_tests.csv`` (:func:`mixing_tests`).

    A wave-level table: ``cases.csv`` stays a function of each case's own
    records, the q-values (which depend on every case of the wave) live here.
    """

    table = mixing_tests(read_table(Path(cases_csv)), wave=wave or None)
    write_table(table, Path(out))
    n = table.groupby("test")["q_value"].apply(lambda q: int((q <= 0.05).sum())) if len(table) else {}
    for test, k in dict(n).items():
        m = int(table.loc[table["test"] == test, "p_value"].notna().sum())
        log.info("wave %s, %s: %d of %d cases with q <= 0.05", wave or "", test, k, m)
    return table
