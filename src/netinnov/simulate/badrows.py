"""Planted bad rows: a handful of realistic broken rows so that the quarantine path runs.

Each bad row copies a valid row (so its tie is still present through the
original) and breaks one thing — an unknown actor, a self-interaction, an
exact duplicate, an unparseable date, a non-positive frequency, an unknown
phase or role, an empty id — as listed in ``docs/SPEC.md`` (bad input).
The positions are drawn from their own random stream.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import files

__all__ = ["plant_bad_rows"]

_BAD_PLAN = (
    (0, "interactions", "unknown actor"),
    (0, "interactions", "self-interaction"),
    (0, "interactions", "exact duplicate"),
    (0, "interactions", "unparseable date"),
    (0, "interactions", "non-positive frequency"),
    (0, "participation", "unknown actor"),
    (1, "interactions", "unparseable date"),
    (1, "interactions", "unknown phase"),
    (1, "interactions", "empty id"),
    (1, "interactions", "non-positive frequency"),
    (1, "interactions", "exact duplicate"),
    (1, "interactions", "unknown actor"),
    (1, "participation", "exact duplicate"),
    (1, "roles", "unknown role"),
)
_FILE_PREFIX = {"interactions": "rec_", "participation": "att_", "roles": "role_"}


def _bad_row(t: dict[str, Any], row: dict[str, int], w: int, file: str, reason: str, unknown: int, width: int) -> str:
    """Break one copied row for ``reason`` (in place); return the detail text."""
    if reason == "unknown actor":
        col = "att_actor" if file == "participation" else ("rec_tgt" if w == 0 else "rec_src")
        row[col] = unknown
        column = {"att_actor": "actor_id", "rec_tgt": "target", "rec_src": "source"}[col]
        return f"{column} 'A{unknown:0{width}d}' is not in any actors.csv"
    if reason == "self-interaction":
        row["rec_tgt"] = row["rec_src"]
        return "source equals target"
    if reason == "unparseable date":
        row["rec_day"] = files.BAD_DATE_MONTH13 if w == 0 else files.BAD_DATE_FEB30
        return f"date '{t['year']}-{'13-45' if w == 0 else '02-30'}' is not a calendar date"
    if reason == "non-positive frequency":
        row["rec_frequency"] = 0 if w == 0 else -1
        return f"frequency {row['rec_frequency']}"
    if reason == "unknown phase":
        row["rec_phase"] = files.BAD_PHASE
        return "phase 'pilot' is not one of the four phases"
    if reason == "empty id":
        row["rec_src"] = -1
        return "source is empty"
    if reason == "unknown role":
        row["role_code"] = files.BAD_ROLE
        return "role 'champion' is not convener, facilitator or catalyst"
    return ""  # exact duplicate: the copy itself


def plant_bad_rows(
    rng: np.random.Generator, tables: list[dict[str, Any]], n_actors: int, width: int
) -> list[dict[str, Any]]:
    """Insert the bad rows of ``_BAD_PLAN`` after randomly chosen valid rows; return where they went.

    Each bad row copies a valid row (so its pair stays tied through the
    original) and breaks one thing.
    """
    by_file: dict[tuple[int, str], list[tuple[int, dict[str, int], str, str]]] = {}
    for i, (wave_index, file, reason) in enumerate(_BAD_PLAN):
        w = min(wave_index, len(tables) - 1)
        t = tables[w]
        prefix = _FILE_PREFIX[file]
        n_rows = len(t[f"{prefix}case"])
        if n_rows == 0:
            continue
        base = int(rng.integers(n_rows))
        row = {k: int(v[base]) for k, v in t.items() if k.startswith(prefix) and isinstance(v, np.ndarray)}
        detail = _bad_row(t, row, w, file, reason, n_actors + 7 * (i + 1), width)
        by_file.setdefault((w, file), []).append((base, row, reason, detail))
    planted = []
    for (w, file), rows in sorted(by_file.items()):
        t = tables[w]
        prefix = _FILE_PREFIX[file]
        cols = [k for k, v in t.items() if k.startswith(prefix) and isinstance(v, np.ndarray)]
        n_rows = len(t[f"{prefix}case"])
        position = np.concatenate([2 * np.arange(n_rows), [2 * base + 1 for base, _, _, _ in rows]])
        tie = np.concatenate([np.zeros(n_rows, dtype=np.int64), np.arange(1, len(rows) + 1)])
        order = np.lexsort((tie, position))
        for k in cols:
            t[k] = np.concatenate([t[k], np.array([r[k] for _, r, _, _ in rows], dtype=np.int64)])[order]
        where = np.empty(len(order), dtype=np.int64)
        where[order] = np.arange(len(order))
        for i, (base, _, reason, detail) in enumerate(rows):
            line = int(where[n_rows + i]) + 2
            if reason == "exact duplicate":
                detail = f"repeats line {int(where[base]) + 2}"
            planted.append(
                {"file": f"waves/w{w + 1}/{file}.csv", "line": line, "row": line - 1, "reason": reason,
                 "detail": detail}
            )
    planted.sort(key=lambda p: (p["file"], p["line"]))
    return planted
