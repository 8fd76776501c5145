"""Which cases get a network page, and which job renders each page.

The config key ``case_reports`` chooses the cases of each wave (``all``,
``none``, or an integer N: the N largest by actors, then ties, then id);
``report_cases_per_job`` splits each wave's chosen cases into parts of that
many pages, one pipeline job per part (``part001``, ``part002``, …).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from netinnov.contract import case_file_name
from netinnov.io.result_tables import read_table, wave_paths, write_table

__all__ = ["SELECTION_COLUMNS", "case_page_name", "parse_case_reports", "part_name", "select_cases", "wave_selection"]

#: Columns of ``reports/cases/selection.csv``.
SELECTION_COLUMNS = ["wave", "case_id", "n_actors", "n_ties", "rank", "part", "page"]


def parse_case_reports(value: str | int | None) -> int | None:
    """``all`` → None (every case); ``none`` → 0; an integer N ≥ 0 → N.

    Raises
    ------
    ValueError
        Anything else.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"case_reports must be 'all', 'none' or an integer >= 0, not {value!r}")
    if isinstance(value, int | np.integer):
        if value < 0:
            raise ValueError(f"case_reports must be >= 0, not {value}")
        return int(value)
    text = str(value).strip().lower()
    if text == "all":
        return None
    if text == "none":
        return 0
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise ValueError(f"case_reports must be 'all', 'none' or an integer >= 0, not {value!r}")


def part_name(k: int) -> str:
    """The folder of the k-th part (0-based): ``part001``, ``part002``, …"""
    return f"part{k + 1:03d}"


def case_page_name(case_id: str) -> str:
    """A file name for a case's page (see :func:`netinnov.contract.case_file_name`)."""
    return case_file_name(case_id)


def select_cases(cases: pd.DataFrame, case_reports: str | int | None, *, per_job: int = 25) -> pd.DataFrame:
    """The cases of one wave that get a page, largest first, with their part.

    Cases without actors get no page. Returns ``case_id, n_actors, n_ties,
    rank`` (1 = largest), ``part`` and ``page`` (file name without folder).
    """
    if per_job < 1:
        raise ValueError(f"report_cases_per_job must be >= 1, not {per_job}")
    n = parse_case_reports(case_reports)
    def count(column: str) -> np.ndarray:
        if column not in cases.columns:
            return np.zeros(len(cases), dtype=np.int64)
        return pd.to_numeric(cases[column], errors="coerce").fillna(0).to_numpy(dtype=np.int64)

    frame = pd.DataFrame(
        {
            "case_id": cases["case_id"].astype(str).to_numpy(dtype=object),
            "n_actors": count("n_actors"),
            "n_ties": count("n_ties"),
        }
    )
    frame = frame[frame["n_actors"] > 0]
    frame = frame.sort_values(["n_actors", "n_ties", "case_id"], ascending=[False, False, True], kind="stable")
    if n is not None:
        frame = frame.head(n)
    frame = frame.reset_index(drop=True)
    frame["rank"] = np.arange(1, len(frame) + 1, dtype=np.int64)
    frame["part"] = [part_name(k) for k in (np.arange(len(frame)) // per_job)]
    frame["page"] = [case_page_name(c) + ".html" for c in frame["case_id"]]
    if frame["page"].duplicated().any():  # ids that differ only in case on a case-insensitive disk
        dup = frame["page"].duplicated(keep=False)
        frame.loc[dup, "page"] = [
            f"{Path(p).stem}-{r}.html" for p, r in zip(frame.loc[dup, "page"], frame.loc[dup, "rank"], strict=True)
        ]
    return frame


def wave_selection(
    cases: Sequence[str | Path], waves: Sequence[str], case_reports: str | int | None, *, per_job: int = 25,
    out: str | Path | None = None,
) -> pd.DataFrame:
    """The selection of every wave (``SELECTION_COLUMNS``) from each wave's
    ``cases.csv`` (``cases``, in the order of ``waves``), written to ``out`` when given."""
    frames = []
    for w, path in zip(waves, wave_paths("cases.csv", cases, waves), strict=True):
        cases = read_table(path)
        chosen = select_cases(cases, case_reports, per_job=per_job)
        chosen.insert(0, "wave", str(w))
        frames.append(chosen)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SELECTION_COLUMNS)
    table = table[SELECTION_COLUMNS]
    if out is not None:
        write_table(table, out)
    return table
