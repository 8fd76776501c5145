"""The per-wave result tables: ``ties.csv``, ``actors.csv``, ``cases.csv``.

:func:`wave_tables` builds every case network of a wave and runs the metrics
on each; :func:`run_wave` reads the validated inputs and writes the tables
and the GraphML files. Column names follow SPEC.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from netinnov.build import case_networks, case_rosters, wave_ties
from netinnov.metrics.basic import degrees, density
from netinnov.networks import CaseNetwork

__all__ = ["ID_COLUMNS", "WaveTables", "read_table", "run_wave", "wave_tables", "write_table"]

#: Columns that hold identifiers: always read as text.
ID_COLUMNS = ("case_id", "actor_id", "source", "target", "event_id", "wave", "wave_from", "wave_to", "organization")


def read_table(path: Path | str) -> pd.DataFrame:
    """Read a result table with identifiers as text (``"007"`` stays ``"007"``)."""
    header = pd.read_csv(path, nrows=0).columns
    dtypes = {c: str for c in header if c in ID_COLUMNS}
    return pd.read_csv(path, dtype=dtypes, keep_default_na=True)


def write_table(frame: pd.DataFrame, path: Path | str) -> None:
    """Write a result table the same way every time (byte-identical reruns)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%d")


@dataclass
class WaveTables:
    """All result tables of one wave, plus its case networks."""

    ties: pd.DataFrame
    actors: pd.DataFrame
    cases: pd.DataFrame
    networks: dict[str, CaseNetwork] = field(default_factory=dict)
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)


def wave_networks(data, options: dict) -> dict[str, CaseNetwork]:
    """The case networks of a validated wave (``netinnov.io.WaveData``)."""
    directed = bool(options.get("directed", False))
    group_attribute = options.get("group_attribute", "sector")
    ties = wave_ties(
        data.interactions,
        data.participation,
        directed=directed,
        frequency_scale=options.get("frequency_scale") or None,
        coparticipation_weight=options.get("coparticipation_weight", "events"),
    )
    rosters = case_rosters(data.interactions, data.participation, data.members)
    labels = tuple(sorted(data.actors[group_attribute].dropna().astype(str).unique()))
    return case_networks(
        ties, rosters, data.actors, directed=directed, group_attribute=group_attribute, group_labels=labels
    )


def _actor_table(net: CaseNetwork, options: dict) -> pd.DataFrame:
    actors = pd.DataFrame(index=net.index)
    actors.insert(0, "case_id", net.case_id)
    actors[net.group_attribute] = net.group_names
    actors = actors.join(degrees(net))
    return actors


def _case_row(net: CaseNetwork) -> dict:
    return {"case_id": net.case_id, "n_actors": net.n, "n_ties": net.n_ties, "density": density(net)}


def wave_tables(data, options: dict, previous=None) -> WaveTables:
    """Build the networks of a wave and every per-tie, per-actor and per-case table."""
    networks = wave_networks(data, options)
    tie_frames, actor_frames, case_rows = [], [], []
    for case_id, net in networks.items():
        t = net.ties.drop(columns=["source_index", "target_index"]).copy()
        t.insert(0, "case_id", case_id)
        tie_frames.append(t)
        actor_frames.append(_actor_table(net, options).reset_index())
        case_rows.append(_case_row(net))
    ties = pd.concat(tie_frames, ignore_index=True) if tie_frames else pd.DataFrame(columns=["case_id", "source", "target", "weight"])
    actors = pd.concat(actor_frames, ignore_index=True) if actor_frames else pd.DataFrame(columns=["case_id", "actor_id"])
    cases = pd.DataFrame(case_rows, columns=["case_id", "n_actors", "n_ties", "density"])
    if data.outcomes is not None and len(data.outcomes):
        outcomes = data.outcomes.drop(columns=[c for c in ("line",) if c in data.outcomes.columns])
        cases = cases.merge(outcomes, on="case_id", how="outer")
        cases["n_actors"] = cases["n_actors"].fillna(0).astype(np.int64)
        cases["n_ties"] = cases["n_ties"].fillna(0).astype(np.int64)
    cases = cases.sort_values("case_id", kind="stable").reset_index(drop=True)
    return WaveTables(ties=ties, actors=actors, cases=cases, networks=networks)


def run_wave(
    wave_dir: Path,
    wave: str,
    *,
    previous_dir: Path | None = None,
    previous_wave: str | None = None,
    options: dict,
) -> WaveTables:
    """Read ``<wave_dir>/validated``, write the wave's tables and GraphML files."""
    from netinnov.graphml import write_graphml
    from netinnov.io import read_validated

    data = read_validated(wave_dir, wave)
    previous = read_validated(previous_dir, previous_wave) if previous_dir is not None else None
    tables = wave_tables(data, options, previous=previous)
    write_table(tables.ties, wave_dir / "ties.csv")
    write_table(tables.actors, wave_dir / "actors.csv")
    write_table(tables.cases, wave_dir / "cases.csv")
    for name in ("phases", "roles_validation"):
        write_table(tables.extra.get(name, pd.DataFrame()), wave_dir / f"{name}.csv")
    write_graphml(tables.networks, wave_dir / "networks")
    return tables
