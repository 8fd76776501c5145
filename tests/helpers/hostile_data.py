"""Ids and labels an attacker (or a careless survey export) could put in a
dataset, and a tiny dataset made of them: shared by the report, GraphML and
pipeline tests of hostile input (issue 14)."""

from __future__ import annotations

import csv
from pathlib import Path

#: Values that would run script or make a ``javascript:`` link if a page showed them as markup.
SCRIPTS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[click](javascript:alert(5))"]

CASES = SCRIPTS
ACTORS = {
    '"><script>alert(2)</script>': "<b onmouseover=alert(6)>public</b>",
    "<img src=y onerror=alert(3)>": "[s](javascript:alert(7))",
    "javascript:alert(4)": "private",
    "**bold** $x^2$ | a": "<b onmouseover=alert(6)>public</b>",
    "a&amp;b 'q' \\": "[s](javascript:alert(7))",
    "plain": "private",
}


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def write_hostile_dataset(folder: Path) -> Path:
    """One wave ``w1`` with three cases whose ids, actor ids, sectors and
    organisations are the hostile values above."""
    actors = list(ACTORS)
    write_csv(folder / "actors.csv", ["actor_id", "sector", "organization"],
              [[a, s, f"<script>alert('{i}')</script> org"] for i, (a, s) in enumerate(ACTORS.items())])
    rows = []
    for k, case in enumerate(CASES):
        members = actors[k : k + 4]
        for i, (s, t) in enumerate(zip(members, members[1:] + members[:1], strict=True)):
            rows.append([case, s, t, str(1 + i % 3), "30", str(2 + i % 3), "meeting", "design",
                         f"2024-0{1 + i % 9}-1{k}"])
    write_csv(folder / "waves" / "w1" / "interactions.csv",
              ["case_id", "source", "target", "frequency", "duration_min", "closeness", "channel", "phase", "date"],
              rows)
    return folder


#: The wave step's options of the hostile runs (few E-I draws: the tests check escaping, not the tests' power).
HOSTILE_WAVE_OPTIONS = {"ei_permutations": 20, "seed": 7}


def hostile_wave(root: Path, folder: Path) -> Path:
    """The hostile dataset written under ``root`` and its wave ``w1`` validated and
    measured in ``folder`` (``netinnov validate-wave`` then ``netinnov wave``); the dataset's path."""
    import json

    from netinnov.cli import main as netinnov

    dataset = write_hostile_dataset(root / "hostile")
    assert netinnov(["validate-wave", "--dataset", str(dataset), "--wave", "w1", "--out", str(folder)]) == 0
    assert netinnov(["wave", "--wave-dir", str(folder), "--wave", "w1",
                     "--options", json.dumps(HOSTILE_WAVE_OPTIONS)]) == 0
    return dataset
