"""Shared by the tests of ``netinnov import``: the imported dataset's files read back."""

from __future__ import annotations

import csv
from pathlib import Path


def rows(path: Path) -> list[dict]:
    """The rows of a CSV file, as the csv module reads them."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def edges(out: Path, wave: str = "w1") -> list[tuple]:
    """``(case_id, source, target, frequency)`` of every imported interaction of a wave."""
    return [(r["case_id"], r["source"], r["target"], float(r["frequency"]))
            for r in rows(out / "waves" / wave / "interactions.csv")]


def members(out: Path, wave: str = "w1") -> list[tuple]:
    """``(case_id, actor_id)`` of every roster row of a wave."""
    return [(r["case_id"], r["actor_id"]) for r in rows(out / "waves" / wave / "members.csv")]
