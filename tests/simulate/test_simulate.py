"""Tests of the synthetic-data generator (v2) against the input contract and its own design.

Every expectation is computed here from the written files with plain pandas
(the observed data against the planted truth in ``true_*.csv``), never copied
from the generator's output. The generator plants latent behaviour; these
tests check that the behaviour leaves the traces the design describes and
that the survey files report it with the documented noise.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netinnov.simulate import (
    CHANNELS,
    COLLABORATION_TYPES,
    DEFAULT_ACTOR_DROPOUT,
    DEFAULT_CASE_DROPOUT,
    LEADERSHIP_ROLES,
    PHASES,
    SECTORS,
    simulate_dataset,
    true_effects,
)

REQUIRED = {
    "actors.csv": ["actor_id", "sector", "organization"],
    "interactions.csv": ["case_id", "source", "target", "frequency", "duration_min", "closeness", "channel",
                         "phase", "date"],
    "participation.csv": ["case_id", "event_id", "actor_id", "date", "phase", "duration_min"],
    "roles.csv": ["case_id", "actor_id", "role", "score"],
    "outcomes.csv": ["case_id", "implemented", "radicalness", "diffusion"],
    "members.csv": ["case_id", "actor_id"],
}
WAVE_FILES = ["interactions.csv", "participation.csv", "roles.csv", "outcomes.csv", "members.csv"]


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Dataset:
    """The files of a generated dataset, read as text, with the planted bad rows marked."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.waves = sorted(p.name for p in (root / "waves").iterdir())
        self.planted = pd.read_csv(root / "planted_bad_rows.csv")
        self.base_actors = _read(root / "actors.csv")
        self.joiners = {
            w: _read(root / "waves" / w / "actors.csv") if (root / "waves" / w / "actors.csv").exists() else None
            for w in self.waves
        }
        self.raw = {w: {f: _read(root / "waves" / w / f) for f in WAVE_FILES} for w in self.waves}
        self.true_roles = pd.read_csv(root / "true_roles.csv", dtype=str)
        self.true_cases = pd.read_csv(root / "true_cases.csv", dtype={"case_id": str, "wave": str})
        self.true_members = _read(root / "true_members.csv")

    def known_actors(self, wave: str) -> pd.DataFrame:
        """Actors of actors.csv and of the wave folders up to ``wave``."""
        parts = [self.base_actors]
        for w in self.waves[: self.waves.index(wave) + 1]:
            if self.joiners[w] is not None:
                parts.append(self.joiners[w])
        return pd.concat(parts, ignore_index=True)

    def all_actors(self) -> pd.DataFrame:
        return self.known_actors(self.waves[-1])

    def bad_lines(self, wave: str, file: str) -> set[int]:
        rows = self.planted[self.planted["file"] == f"waves/{wave}/{file}"]
        return set(rows["line"].astype(int))

    def accepted(self, wave: str, file: str) -> pd.DataFrame:
        frame = self.raw[wave][file]
        lines = np.arange(len(frame)) + 2
        return frame[~np.isin(lines, sorted(self.bad_lines(wave, file)))]


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Dataset:
    out = tmp_path_factory.mktemp("example")
    summary = simulate_dataset(out, seed=20261127)
    data = Dataset(out)
    data.summary = summary
    return data


# --------------------------------------------------------------- determinism
def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path):
    a = simulate_dataset(tmp_path / "a", seed=7, n_cases=5, n_waves=2)
    b = simulate_dataset(tmp_path / "b", seed=7, n_cases=5, n_waves=2)
    c = simulate_dataset(tmp_path / "c", seed=8, n_cases=5, n_waves=2)
    da, db, dc = _digest(tmp_path / "a"), _digest(tmp_path / "b"), _digest(tmp_path / "c")
    assert da == db
    assert {k: v for k, v in a.items() if k != "out"} == {k: v for k, v in b.items() if k != "out"}
    assert da.keys() == dc.keys()
    assert da["waves/w1/interactions.csv"] != dc["waves/w1/interactions.csv"]
    assert da["actors.csv"] != dc["actors.csv"]
    assert c["n_cases"] == 5


def test_rewriting_with_fewer_waves_removes_stale_wave_folders(tmp_path):
    simulate_dataset(tmp_path, seed=1, n_cases=3, n_waves=3)
    simulate_dataset(tmp_path, seed=1, n_cases=3, n_waves=2)
    assert sorted(p.name for p in (tmp_path / "waves").iterdir()) == ["w1", "w2"]
    other = tmp_path / "foreign"
    (other / "waves" / "w9").mkdir(parents=True)
    with pytest.raises(FileExistsError):
        simulate_dataset(other, seed=1, n_cases=3, n_waves=2)


# ------------------------------------------------------------ input contract
def test_layout_and_required_columns(example):
    assert example.waves == ["w1", "w2", "w3"]
    for col in REQUIRED["actors.csv"] + ["command_rank_score"]:
        assert col in example.base_actors.columns
    for w in example.waves:
        for f in WAVE_FILES:
            missing = set(REQUIRED[f]) - set(example.raw[w][f].columns)
            assert not missing, (w, f, missing)
    assert example.joiners["w1"] is None
    for w in ("w2", "w3"):
        assert list(example.joiners[w].columns) == list(example.base_actors.columns)
    effects = pd.read_csv(example.root / "true_effects.csv")
    assert list(effects.columns) == ["outcome", "term", "true_effect", "family", "note"]
    for w in example.waves:
        assert list(example.raw[w]["members.csv"].columns) == ["case_id", "actor_id", "responded"]
        assert set(example.raw[w]["members.csv"]["responded"]) == {"true", "false"}
        assert "case_type" not in example.raw[w]["outcomes.csv"].columns  # the type is latent truth now
    assert list(example.true_roles.columns) == ["case_id", "wave", "actor_id", "role"]
    assert {"case_id", "wave", "collaboration_type", "convener_present", "facilitator_present", "catalyst_present",
            "governance", "case_effect", "response_rate"} <= set(example.true_cases.columns)
    assert list(example.true_members.columns) == ["case_id", "wave", "actor_id", "driver", "hub", "entry_date",
                                                  "first_contact", "invited_by", "invitation_date", "last_wave",
                                                  "p_dropout"]
    assert not (example.root / "true_case_features.csv").exists()


def test_actor_table_domains(example):
    actors = example.all_actors()
    assert actors["actor_id"].is_unique
    assert set(actors["sector"]) == set(SECTORS)
    citizens = actors["sector"] == "citizen"
    assert (actors.loc[citizens, "organization"] == "").all()
    assert (actors.loc[~citizens, "organization"] != "").all()
    org_sizes = actors.loc[~citizens].groupby("organization").size()
    assert (org_sizes >= 2).sum() >= 50  # several actors share an organisation
    assert actors.loc[~citizens].groupby("organization")["sector"].nunique().max() == 1
    rank = actors["command_rank_score"].astype(float)
    assert rank.between(1, 10).all() and rank.std() > 1
    assert actors["seniority_years"].astype(int).between(0, 40).all()


def test_record_domains(example):
    for i, w in enumerate(example.waves):
        year = 2023 + i
        inter = example.accepted(w, "interactions.csv")
        assert set(inter["channel"]) == set(CHANNELS)
        assert set(inter["phase"]) == set(PHASES)
        assert (inter["frequency"].astype(int) > 0).all()
        assert (inter["duration_min"].astype(int) >= 0).all()
        assert inter["closeness"].astype(int).between(1, 5).all()
        dates = pd.to_datetime(inter["date"], format="%Y-%m-%d", errors="raise")
        assert (dates.dt.year == year).all()
        # within a case and wave, the phases follow each other in time
        inter = inter.assign(day=dates, p=inter["phase"].map({p: k for k, p in enumerate(PHASES)}))
        spans = inter.groupby(["case_id", "p"])["day"].agg(["min", "max"]).reset_index()
        for _, g in spans.groupby("case_id"):
            g = g.sort_values("p")
            assert (g["min"].to_numpy()[1:] > g["max"].to_numpy()[:-1]).all()
        part = example.accepted(w, "participation.csv")
        assert set(part["phase"]) <= set(PHASES)
        pd.to_datetime(part["date"], format="%Y-%m-%d", errors="raise")
        sizes = part.drop_duplicates(["case_id", "event_id", "actor_id"]).groupby(["case_id", "event_id"]).size()
        assert sizes.between(3, 15).all()
        one_event = part.groupby("event_id")[["date", "phase", "duration_min", "case_id"]].nunique()
        assert (one_event == 1).all().all()
        roles = example.accepted(w, "roles.csv")
        assert set(roles["role"]) <= set(LEADERSHIP_ROLES)
        assert roles["score"].astype(int).between(1, 5).all()
        per_case = roles.groupby("case_id")["actor_id"].nunique()
        assert per_case.max() <= 3


def test_cases_sizes_and_outcomes(example):
    for w in example.waves:
        members = example.accepted(w, "members.csv")
        assert not members.duplicated().any()
        sizes = members.groupby("case_id").size()
        assert len(sizes) >= 30
        assert sizes.between(8, 60).all()
        out = example.accepted(w, "outcomes.csv")
        assert sorted(out["case_id"]) == sorted(sizes.index)
        assert set(out["implemented"].astype(int)) == {0, 1}
        assert out["radicalness"].astype(int).between(1, 5).all()
        assert (out["diffusion"].astype(int) >= 0).all()
        assert set(out["governance"]) <= {"NPM", "hybrid", "NPG"}


def test_referenced_actors_exist_except_planted_rows(example):
    for w in example.waves:
        known = set(example.known_actors(w)["actor_id"])
        members = example.raw[w]["members.csv"]
        roster = set(zip(members["case_id"], members["actor_id"], strict=True))
        assert {a for _, a in roster} <= known
        for f, cols in (("interactions.csv", ["source", "target"]), ("participation.csv", ["actor_id"]),
                        ("roles.csv", ["actor_id"])):
            frame = example.raw[w][f]
            ok = np.ones(len(frame), dtype=bool)
            for col in cols:
                pairs = zip(frame["case_id"], frame[col], strict=True)
                ok &= np.array([(c, a) in roster for c, a in pairs])
            lines = set((np.flatnonzero(~ok) + 2).tolist())
            unknown_lines = set(
                example.planted.loc[
                    (example.planted["file"] == f"waves/{w}/{f}")
                    & example.planted["reason"].isin(["unknown actor", "empty id"]),
                    "line",
                ].astype(int)
            )
            assert lines == unknown_lines, (w, f)


def test_members_hold_isolates_and_rosters_change(example):
    for w in example.waves:
        members = example.accepted(w, "members.csv")
        inter = example.accepted(w, "interactions.csv")
        part = example.accepted(w, "participation.csv")
        active = set(inter["source"]) | set(inter["target"]) | set(part["actor_id"])
        isolates = set(members["actor_id"]) - active
        # planted isolates plus non-respondents whom nobody named (their own reports are missing)
        assert 5 <= len(isolates) <= 0.12 * len(members)
        assert example.summary["isolates_per_wave"][w] == len(isolates)
    for before, after in zip(example.waves, example.waves[1:], strict=False):
        old = set(example.accepted(before, "members.csv")["actor_id"])
        new = set(example.accepted(after, "members.csv")["actor_id"])
        joiners = set(example.joiners[after]["actor_id"])
        assert joiners, after
        assert not joiners & set(example.known_actors(before)["actor_id"])  # new to the dataset
        assert joiners <= new
        assert new - old == joiners
        assert len(old - new) > 10  # leavers


def _first_partners(inter: pd.DataFrame, case: str, actor: str) -> tuple[set[str], pd.DataFrame]:
    mine = inter[(inter["case_id"] == case) & ((inter["source"] == actor) | (inter["target"] == actor))]
    first = mine[mine["date"] == mine["date"].min()]
    return (set(first["source"]) | set(first["target"])) - {actor}, mine


def test_newcomers_enter_during_the_wave_through_their_first_contact(example):
    catalysts = example.true_roles[example.true_roles["role"] == "catalyst"]
    catalyst_of = dict(zip(zip(catalysts["case_id"], catalysts["wave"], strict=True), catalysts["actor_id"],
                           strict=True))
    checked = {"catalyst": 0, "other": 0}
    seen = 0
    for w in example.waves:
        inter = example.accepted(w, "interactions.csv")
        late = example.true_members[(example.true_members["wave"] == w) & (example.true_members["entry_date"] != "")]
        for row in late.itertuples(index=False):
            partners, mine = _first_partners(inter, row.case_id, row.actor_id)
            assert (mine["date"] >= row.entry_date).all()  # nothing before the entry day
            if row.first_contact in partners:
                seen += 1
            recruited = catalyst_of.get((row.case_id, w)) == row.first_contact
            checked["catalyst" if recruited else "other"] += 1
    # the first contact's record can be missing only through non-response on both sides
    total = sum(checked.values())
    assert seen >= 0.85 * total
    assert checked["catalyst"] >= 20 and checked["other"] >= 5
    # the catalyst recruits in every wave, the first one included
    first_wave = example.true_members[(example.true_members["wave"] == "w1") & (example.true_members["entry_date"] != "")]
    assert len(first_wave) >= 10
    assert first_wave.apply(lambda r: catalyst_of.get((r["case_id"], "w1")) == r["first_contact"], axis=1).all()


# -------------------------------------------------------------- bad rows
def _detect_bad_rows(data: Dataset) -> set[tuple[str, int, str]]:
    """Classify every row by the SPEC's bad-row reasons, independently of the generator."""
    found = set()
    for w in data.waves:
        known = set(data.known_actors(w)["actor_id"])
        for f in ("interactions.csv", "participation.csv", "roles.csv"):
            frame = data.raw[w][f]
            ids = frame[["source", "target"]] if f == "interactions.csv" else frame[["actor_id"]]
            empty = (ids == "").any(axis=1)
            checks = {
                "empty id": empty,
                "unknown actor": ~empty & ~ids.isin(known).all(axis=1),
                "exact duplicate": frame.duplicated(keep="first"),
            }
            if f == "interactions.csv":
                checks["self-interaction"] = (frame["source"] == frame["target"]) & ~empty
                checks["non-positive frequency"] = pd.to_numeric(frame["frequency"]) <= 0
                checks["unknown phase"] = ~frame["phase"].isin(PHASES)
                checks["unparseable date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d", errors="coerce").isna()
            if f == "roles.csv":
                checks["unknown role"] = ~frame["role"].isin(LEADERSHIP_ROLES)
            for reason, flag in checks.items():
                for i in np.flatnonzero(flag.to_numpy()):
                    found.add((f"waves/{w}/{f}", int(i) + 2, reason))
    return found


def test_planted_bad_rows_are_exactly_the_documented_ones(example):
    planted = {(f, int(line), reason) for f, line, reason in
               example.planted[["file", "line", "reason"]].itertuples(index=False)}
    assert len(planted) == example.summary["bad_rows"] >= 10
    assert {r for _, _, r in planted} >= {"unknown actor", "self-interaction", "exact duplicate",
                                           "unparseable date", "non-positive frequency"}
    assert _detect_bad_rows(example) == planted
    readme = (example.root / "README.md").read_text().split("## Planted bad rows")[1]
    documented = {
        (m.group(1), int(m.group(2)), m.group(3))
        for m in re.finditer(r"^\| `(waves/[^`]+)` \| (\d+) \| ([^|]+?) \|", readme, flags=re.M)
    }
    assert documented == planted
    assert (example.planted["row"] == example.planted["line"] - 1).all()


def test_no_bad_rows_option(tmp_path):
    summary = simulate_dataset(tmp_path, seed=3, n_cases=4, bad_rows=False)
    data = Dataset(tmp_path)
    assert summary["bad_rows"] == 0 and len(data.planted) == 0
    assert _detect_bad_rows(data) == set()


def test_undirected_dataset_writes_each_pair_in_one_orientation(tmp_path):
    simulate_dataset(tmp_path, seed=11, n_cases=4, n_waves=2, directed=False)
    data = Dataset(tmp_path)
    for w in data.waves:
        inter = data.accepted(w, "interactions.csv")
        reported_both_ways = inter.merge(inter, left_on=["case_id", "source", "target"],
                                         right_on=["case_id", "target", "source"])
        assert len(inter) and len(reported_both_ways) == 0
        # the logger of a record (source) is a respondent, as in directed data
        members = data.accepted(w, "members.csv")
        silent = set(zip(members.loc[members["responded"] == "false", "case_id"],
                         members.loc[members["responded"] == "false", "actor_id"], strict=True))
        assert not any((c, a) in silent for c, a in zip(inter["case_id"], inter["source"], strict=True))
    assert "--undirected" in (tmp_path / "README.md").read_text()


# ------------------------------------------------------------ behaviour
def _actor_behaviour(data: Dataset) -> pd.DataFrame:
    sector = data.all_actors().set_index("actor_id")["sector"]
    frames = []
    for w in data.waves:
        inter = data.accepted(w, "interactions.csv").copy()
        inter["frequency"] = inter["frequency"].astype(int)
        inter["closeness"] = inter["closeness"].astype(int)
        ends = pd.concat(
            [inter.assign(actor=inter["source"], alter=inter["target"]),
             inter.assign(actor=inter["target"], alter=inter["source"])],
            ignore_index=True,
        )
        ends["early"] = ends["phase"].isin(["initiation", "design"])
        ends["cross"] = sector.reindex(ends["actor"]).to_numpy() != sector.reindex(ends["alter"]).to_numpy()
        per_actor = ends.groupby(["case_id", "actor"]).agg(early=("early", "mean"), closeness=("closeness", "mean"))
        alters = ends.drop_duplicates(["case_id", "actor", "alter"])
        per_actor["cross_alters"] = alters.groupby(["case_id", "actor"])["cross"].sum()
        per_actor["degree"] = alters.groupby(["case_id", "actor"]).size()
        single = inter.assign(a=np.minimum(inter["source"], inter["target"]), b=np.maximum(inter["source"], inter["target"]))
        pairs = single.groupby(["case_id", "a", "b"]).agg(n=("frequency", "size"), f=("frequency", "sum"),
                                                          channels=("channel", "nunique")).reset_index()
        pairs["weak"] = (pairs["n"] == 1) & (pairs["f"] == 1)
        both = pd.concat([pairs.rename(columns={"a": "actor", "b": "alter"}),
                          pairs.rename(columns={"b": "actor", "a": "alter"})])
        per_actor["weak_share"] = both.groupby(["case_id", "actor"])["weak"].mean()
        per_actor["records_per_tie"] = both.groupby(["case_id", "actor"])["n"].mean()
        part = data.accepted(w, "participation.csv")
        n_events = part.groupby("case_id")["event_id"].nunique()
        attended = part.drop_duplicates(["case_id", "event_id", "actor_id"]).groupby(["case_id", "actor_id"]).size()
        attended.index.names = ["case_id", "actor"]
        per_actor["event_share"] = (attended / n_events.reindex(attended.index.get_level_values(0)).to_numpy())
        per_actor["event_share"] = per_actor["event_share"].fillna(0.0)
        roles = data.accepted(w, "roles.csv").rename(columns={"actor_id": "actor"})
        per_actor = per_actor.reset_index()
        for role in LEADERSHIP_ROLES:
            holders = set(zip(roles.loc[roles["role"] == role, "case_id"], roles.loc[roles["role"] == role, "actor"],
                              strict=True))
            per_actor[role] = [(c, a) in holders for c, a in zip(per_actor["case_id"], per_actor["actor"], strict=True)]
        per_actor["sector"] = sector.reindex(per_actor["actor"]).to_numpy()
        frames.append(per_actor.assign(wave=w))
    return pd.concat(frames, ignore_index=True)


def _sector_of(data: Dataset) -> pd.Series:
    return data.all_actors().set_index("actor_id")["sector"]


def test_case_types_are_about_drivers_not_rosters(example):
    tc, tm = example.true_cases, example.true_members
    actors = example.all_actors().set_index("actor_id")
    share = tc.drop_duplicates("case_id")["collaboration_type"].value_counts(normalize=True)
    assert set(share.index) == set(COLLABORATION_TYPES) and share.min() > 0.15
    drivers = tm[tm["driver"] == "1"].assign(sector=lambda d: actors["sector"].reindex(d["actor_id"]).to_numpy(),
                                             org=lambda d: actors["organization"].reindex(d["actor_id"]).to_numpy())
    per_case = drivers.groupby(["case_id", "wave"]).agg(n=("actor_id", "size"), sectors=("sector", set),
                                                         orgs=("org", "nunique"))
    kind = tc.set_index(["case_id", "wave"])["collaboration_type"]
    per_case["type"] = kind.reindex(per_case.index)
    assert len(per_case) == len(tc)  # every case-wave has its drivers
    agent = per_case[per_case["type"] == "individual_change_agent"]
    assert (agent["n"] == 1).all()
    agencies = per_case[per_case["type"] == "inter_agency"]
    assert agencies["n"].between(2, 3).all() and (agencies["orgs"] >= 2).all()
    assert agencies["sectors"].map(lambda s: s == {"public"}).all()
    coalition = per_case[per_case["type"] == "public_private"]
    assert coalition["n"].between(2, 3).all()
    assert coalition["sectors"].map(lambda s: bool(s & {"private", "civil_society"})).all()
    # rosters are multi-sector in every type, and public-private ties occur in every type
    sector = _sector_of(example)
    for w in example.waves:
        inter = example.accepted(w, "interactions.csv")
        ends = pd.DataFrame({"case_id": inter["case_id"], "a": sector.reindex(inter["source"]).to_numpy(),
                             "b": sector.reindex(inter["target"]).to_numpy()})
        mixed = ends[((ends["a"] == "public") & ends["b"].isin(["private", "civil_society"]))
                     | ((ends["b"] == "public") & ends["a"].isin(["private", "civil_society"]))]
        members = example.accepted(w, "members.csv")
        n_sectors = sector.reindex(members["actor_id"]).groupby(members["case_id"].to_numpy()).nunique()
        types = tc[tc["wave"] == w].set_index("case_id")["collaboration_type"]
        for t in COLLABORATION_TYPES:
            cases = types.index[types == t]
            assert n_sectors.reindex(cases).mean() >= 2.5, (w, t)
            assert mixed["case_id"].isin(cases).any(), (w, t)


def test_drivers_work_early_and_a_change_agent_carries_the_case(example):
    tc, tm = example.true_cases, example.true_members
    shares = {"individual_change_agent": [], "other": []}
    early = {"driver": [], "other": []}
    for w in example.waves:
        inter = example.accepted(w, "interactions.csv")
        drivers = tm[(tm["wave"] == w) & (tm["driver"] == "1")]
        key = set(zip(drivers["case_id"], drivers["actor_id"], strict=True))
        is_driver = np.array([(c, a) in key for c, a in zip(inter["case_id"], inter["source"], strict=True)])
        is_early = inter["phase"].isin(["initiation", "design"]).to_numpy()
        early["driver"].append(is_early[is_driver].mean())
        early["other"].append(is_early[~is_driver].mean())
        for case, g in inter.groupby("case_id"):
            mine = drivers.loc[drivers["case_id"] == case, "actor_id"]
            kind = tc.loc[(tc["wave"] == w) & (tc["case_id"] == case), "collaboration_type"].iloc[0]
            for actor in mine:
                share = ((g["source"] == actor) | (g["target"] == actor)).mean()
                shares["individual_change_agent" if kind == "individual_change_agent" else "other"].append(share)
    assert np.mean(early["driver"]) > np.mean(early["other"]) + 0.1
    assert np.mean(shares["individual_change_agent"]) > 0.25
    assert np.mean(shares["individual_change_agent"]) > 1.5 * np.mean(shares["other"])


def test_convener_invitees_meet_after_the_invitation(example):
    sector = _sector_of(example)
    conveners = example.true_roles[example.true_roles["role"] == "convener"]
    convener_of = dict(zip(zip(conveners["case_id"], conveners["wave"], strict=True), conveners["actor_id"],
                           strict=True))
    invited = example.true_members[example.true_members["invited_by"] != ""]
    assert invited.groupby(["case_id", "wave"]).ngroups >= 20
    rate_in, rate_out = [], []
    for (case, w), g in invited.groupby(["case_id", "wave"]):
        assert (g["invited_by"] == convener_of[(case, w)]).all()
        assert sector.reindex(g["actor_id"]).nunique() >= 2  # across sectors
        inter = example.accepted(w, "interactions.csv")
        inter = inter[inter["case_id"] == case]
        day = g.set_index("actor_id")["invitation_date"]
        both = inter["source"].isin(day.index) & inter["target"].isin(day.index)
        among = inter[both]
        after = np.maximum(day.reindex(among["source"]).to_numpy(), day.reindex(among["target"]).to_numpy())
        assert (among["date"].to_numpy() > after).all(), (case, w)  # not in contact before being brought together
        # drivers contact most members by design: compare the pairs without a driver only
        tm = example.true_members
        drivers = set(tm.loc[(tm["case_id"] == case) & (tm["wave"] == w) & (tm["driver"] == "1"), "actor_id"])
        plain = ~inter["source"].isin(drivers) & ~inter["target"].isin(drivers)
        pairs = {frozenset(p) for p in zip(among["source"], among["target"], strict=True)} - {
            frozenset(p) for p in zip(inter["source"][~plain], inter["target"][~plain], strict=True)}
        k = len(set(day.index) - drivers)
        if k < 2:
            continue
        rate_in.append(len(pairs) / (k * (k - 1) / 2))
        members = example.accepted(w, "members.csv")
        n = ((members["case_id"] == case) & ~members["actor_id"].isin(drivers)).sum()
        all_pairs = {frozenset(p) for p in zip(inter["source"][plain], inter["target"][plain], strict=True)}
        rate_out.append(len(all_pairs - pairs) / max(n * (n - 1) / 2 - k * (k - 1) / 2, 1))
        # the invitations themselves fall in initiation or design
        calls = inter[(inter["source"] == convener_of[(case, w)]) & inter["target"].isin(day.index)]
        calls = calls[calls["date"].to_numpy() == day.reindex(calls["target"]).to_numpy()]
        assert calls["phase"].isin(["initiation", "design"]).all()
    assert np.mean(rate_in) > 3 * np.mean(rate_out)


def _pairs(inter: pd.DataFrame) -> pd.DataFrame:
    a = np.minimum(inter["source"], inter["target"])
    b = np.maximum(inter["source"], inter["target"])
    return (inter.assign(a=a, b=b, closeness=inter["closeness"].astype(int))
            .groupby(["case_id", "a", "b"]).agg(records=("closeness", "size"), closeness=("closeness", "mean"))
            .reset_index())


def test_facilitator_strengthens_ties_among_its_alters_and_hosts_events(example):
    facilitators = example.true_roles[example.true_roles["role"] == "facilitator"]
    gaps_close, gaps_rec, event_gap = [], [], []
    for w in example.waves:
        pairs = _pairs(example.accepted(w, "interactions.csv"))
        part = example.accepted(w, "participation.csv").drop_duplicates(["case_id", "event_id", "actor_id"])
        for f in facilitators.loc[facilitators["wave"] == w].itertuples(index=False):
            p = pairs[pairs["case_id"] == f.case_id]
            alters = set(p.loc[p["a"] == f.actor_id, "b"]) | set(p.loc[p["b"] == f.actor_id, "a"])
            mine = p[p["a"].isin(alters) & p["b"].isin(alters)]
            rest = p[~(p["a"].isin(alters) & p["b"].isin(alters)) & (p["a"] != f.actor_id) & (p["b"] != f.actor_id)]
            if len(mine) >= 2 and len(rest) >= 2:
                gaps_close.append(mine["closeness"].mean() - rest["closeness"].mean())
                gaps_rec.append(mine["records"].mean() - rest["records"].mean())
            events = part[part["case_id"] == f.case_id]
            n_events = events["event_id"].nunique()
            if n_events:
                attended = events.groupby("actor_id").size() / n_events
                event_gap.append(attended.get(f.actor_id, 0.0) - attended.drop(f.actor_id, errors="ignore").mean())
    assert len(gaps_close) >= 20
    assert np.mean(gaps_close) > 0.3 and np.mean(gaps_rec) > 0.3
    assert np.mean(event_gap) > 0.3


def test_hubs_are_very_active_but_hold_no_role(example):
    tm = example.true_members
    hubs = tm[tm["hub"] == "1"]
    holders = example.true_roles
    assert not set(zip(hubs["case_id"], hubs["wave"], hubs["actor_id"], strict=True)) & set(
        zip(holders["case_id"], holders["wave"], holders["actor_id"], strict=True))
    assert not (hubs["driver"] == "1").any()
    # activity = records an actor takes part in (drivers, who reach most members, make the
    # holders' alter counts grow too, so distinct alters no longer separate hubs from holders)
    degree = []
    for w in example.waves:
        inter = example.accepted(w, "interactions.csv")
        ends = pd.concat([inter[["case_id", "source", "target"]].set_axis(["case_id", "a", "b"], axis=1),
                          inter[["case_id", "target", "source"]].set_axis(["case_id", "a", "b"], axis=1)])
        d = ends.groupby(["case_id", "a"]).size().rename("degree").reset_index()
        degree.append(d.assign(wave=w))
    degree = pd.concat(degree)
    key = ["case_id", "wave", "a"]
    hub_deg = degree.merge(hubs.rename(columns={"actor_id": "a"}), on=key)["degree"]
    holder_deg = degree.merge(holders.rename(columns={"actor_id": "a"}), on=key)["degree"]
    assert hub_deg.mean() > holder_deg.mean()
    # every member's records now include its ties with the drivers (who reach most members),
    # which raises the median member's count: hubs are still well above it
    assert hub_deg.median() > 1.5 * degree["degree"].median()


def test_roles_csv_is_a_noisy_report_of_the_latent_holders(example):
    tc = example.true_cases
    reported_all, true_all = [], example.true_roles
    for w in example.waves:
        reported_all.append(example.accepted(w, "roles.csv").assign(wave=w)[["case_id", "wave", "actor_id", "role"]])
    reported = pd.concat(reported_all)
    merged = true_all.merge(reported, how="outer", indicator=True)
    surveyed = tc.loc[tc["roles_surveyed"] == 1, ["case_id", "wave"]]
    unsurveyed = tc.loc[tc["roles_surveyed"] == 0, ["case_id", "wave"]]
    assert len(unsurveyed) >= 1
    assert reported.merge(unsurveyed).empty  # an unsurveyed case-wave has no roles.csv rows
    holders_surveyed = true_all.merge(surveyed)
    hit = holders_surveyed.merge(reported, how="left", indicator=True)["_merge"].eq("both").mean()
    assert 0.65 <= hit <= 0.92
    false = (merged["_merge"] == "right_only").sum()
    assert 1 <= false <= 0.15 * len(reported)
    for role in LEADERSHIP_ROLES:
        present = tc[f"{role}_present"]
        assert 0.2 < present.mean() < 0.8
    assert tc.groupby("governance")[[f"{r}_present" for r in LEADERSHIP_ROLES]].mean().mean(axis=1).idxmax() == "NPG"
    holders = true_all.merge(tc[["case_id", "wave", "convener_present"]])
    assert (holders.loc[holders["role"] == "convener", "convener_present"] == 1).all()


def test_nonrespondents_report_no_outgoing_records(example):
    tc = example.true_cases.set_index(["case_id", "wave"])
    assert tc["response_rate"].between(0.6, 0.95).all()
    named = 0
    for w in example.waves:
        members = example.accepted(w, "members.csv")
        silent = members[members["responded"] == "false"]
        key = set(zip(silent["case_id"], silent["actor_id"], strict=True))
        inter = example.accepted(w, "interactions.csv")
        assert not any((c, s) in key for c, s in zip(inter["case_id"], inter["source"], strict=True))
        named += sum((c, t) in key for c, t in zip(inter["case_id"], inter["target"], strict=True))
        share = (members["responded"] == "true").groupby(members["case_id"]).mean()
        np.testing.assert_allclose(share.to_numpy(), tc.xs(w, level="wave").loc[share.index, "responded_share"],
                                   atol=1e-9)
        assert 0.7 < (members["responded"] == "true").mean() < 0.92
    assert named > 100  # their ties are missing, not absent: others still name them


def _same_sector_excess(root: Path) -> float:
    """Observed minus degree-expected same-sector share of tied pairs, averaged over cases."""
    data = Dataset(root)
    sector = _sector_of(data)
    out = []
    # drivers contact most members whatever their sector (by design): ordinary tie choice only
    tm = data.true_members
    drivers = set(zip(tm.loc[tm["driver"] == "1", "case_id"], tm.loc[tm["driver"] == "1", "actor_id"], strict=True))
    pairs = _pairs(data.accepted("w1", "interactions.csv"))
    with_driver = [(c, a) in drivers or (c, b) in drivers
                   for c, a, b in zip(pairs["case_id"], pairs["a"], pairs["b"], strict=True)]
    for _, p in pairs[~np.array(with_driver, dtype=bool)].groupby("case_id"):
        sa, sb = sector.reindex(p["a"]).to_numpy(), sector.reindex(p["b"]).to_numpy()
        ends = pd.Series(np.concatenate([sa, sb])).value_counts(normalize=True)
        out.append((sa == sb).mean() - float((ends**2).sum()))
    return float(np.mean(out))


def test_homophily_parameter_controls_same_sector_preference(tmp_path):
    args = {"n_cases": 30, "n_waves": 1, "bad_rows": False, "response_rate": 1.0, "min_actors": 20}
    simulate_dataset(tmp_path / "h0", seed=3, homophily=0.0, **args)
    simulate_dataset(tmp_path / "h3", seed=3, homophily=3.0, **args)
    # with homophily 0 the ties mix as the sectors' activity predicts (the convener's and
    # catalyst's cross-sector contacts push below: since drivers initiate a large share of the
    # contacts, those role ties are a larger part of the remaining ones); with homophily 3 far above
    assert -0.1 < _same_sector_excess(tmp_path / "h0") < 0.03
    assert _same_sector_excess(tmp_path / "h3") > 0.1


def test_sectors_take_part_as_the_theory_says(example):
    rows = []
    for w in example.waves:
        inter = example.accepted(w, "interactions.csv")
        sector = example.all_actors().set_index("actor_id")["sector"]
        for end in ("source", "target"):
            rows.append(pd.DataFrame({"sector": sector.reindex(inter[end]).to_numpy(), "phase": inter["phase"]}))
    ends = pd.concat(rows)
    private_share = ends.assign(private=ends["sector"] == "private").groupby("phase")["private"].mean()
    assert private_share["implementation"] > 1.5 * max(private_share["initiation"], private_share["design"])
    # sector activity differences among ordinary members (drivers reach most members by design)
    tm = example.true_members
    drivers = set(zip(tm.loc[tm["driver"] == "1", "case_id"], tm.loc[tm["driver"] == "1", "actor_id"], strict=True))
    behaviour = _actor_behaviour(example)
    is_driver = [k in drivers for k in zip(behaviour["case_id"], behaviour["actor"], strict=True)]
    per_sector = behaviour[~np.array(is_driver, dtype=bool)].groupby("sector")["degree"].mean()
    assert per_sector["civil_society"] == per_sector.max()  # civil society is central
    assert per_sector["citizen"] == per_sector.min()  # citizens and end users rarely are


# ------------------------------------------------------------ scale, CLI
def test_single_large_case_has_blocks_and_heavy_tails(tmp_path):
    summary = simulate_dataset(tmp_path, seed=2, single_case_actors=1500, records_per_actor=10, n_waves=2)
    assert summary["n_cases"] == 1
    data = Dataset(tmp_path)
    inter = data.accepted("w1", "interactions.csv")
    # 15 000 latent records; a non-respondent's outgoing records are missing (v2)
    responded = data.true_cases.loc[data.true_cases["wave"] == "w1", "responded_share"].iloc[0]
    assert 0.5 * 15000 < len(inter) <= 15000 * 1.1
    assert len(inter) == pytest.approx(15000 * responded, rel=0.25)
    actors = data.all_actors().set_index("actor_id")
    same_org = (actors["organization"].reindex(inter["source"]).to_numpy()
                == actors["organization"].reindex(inter["target"]).to_numpy())
    same_org &= actors["organization"].reindex(inter["source"]).to_numpy() != ""
    org_sizes = actors.loc[actors["organization"] != "", "organization"].value_counts()
    # far more ties inside organisations than random mixing would give
    random_share = float((org_sizes**2).sum()) / len(actors) ** 2
    assert same_org.mean() > 10 * random_share
    degree = pd.concat([inter["source"], inter["target"]]).value_counts()
    assert degree.max() > 5 * degree.median()
    assert summary["records_per_wave"]["w2"] > 0 and summary["joiners_per_wave"]["w2"] > 0


def test_cli_arguments_and_run(tmp_path, capsys):
    from netinnov.cli import main

    assert main(["simulate", "--seed", "4", "--out", str(tmp_path / "cli"), "--cases", "3", "--waves", "2",
                 "--min-actors", "10", "--max-actors", "20", "--records-per-actor", "4",
                 "--homophily", "0.5", "--response-rate", "0.8", "--no-bad-rows"]) == 0
    assert '"n_cases": 3' in capsys.readouterr().out
    # the CLI defaults to attrition (the Python API to none)
    simulate_dataset(tmp_path / "api", seed=4, n_cases=3, n_waves=2, min_actors=10, max_actors=20,
                     records_per_actor=4, bad_rows=False, homophily=0.5, response_rate=0.8,
                     case_dropout=DEFAULT_CASE_DROPOUT, actor_dropout=DEFAULT_ACTOR_DROPOUT)
    assert _digest(tmp_path / "cli") == _digest(tmp_path / "api")
    assert "--case-dropout 0.1 --actor-dropout 0.15" in (tmp_path / "cli" / "README.md").read_text()
    sizes = _read(tmp_path / "cli" / "waves" / "w2" / "members.csv").groupby("case_id").size()
    assert sizes.between(10, 20).all()
    assert "--homophily 0.5 --response-rate 0.8" in (tmp_path / "cli" / "README.md").read_text()
    assert (pd.read_csv(tmp_path / "cli" / "true_cases.csv")["response_rate"] == 0.8).all()
    assert main(["simulate", "--out", str(tmp_path / "x"), "--min-actors", "9", "--max-actors", "5"]) == 2
    assert "min_actors" in capsys.readouterr().err
    for option, value, name in (("--homophily", "-1", "homophily"), ("--response-rate", "0", "response_rate"),
                                ("--case-dropout", "1", "case_dropout"), ("--actor-dropout", "-0.1", "actor_dropout"),
                                ("--case-effect-sd", "-1", "case_effect_sd")):
        assert main(["simulate", "--out", str(tmp_path / "x"), option, value]) == 2
        assert name in capsys.readouterr().err


# ------------------------------------------------------------ outcomes and true effects
SLOPES = ("convener_present", "facilitator_present", "catalyst_present", "sector_blau", "cross_sector_tie_share",
          "n_actors", "density")
LATENT_OF = {"sector_blau": "diversity", "cross_sector_tie_share": "cross_sector_work"}


def test_true_effects_table(example):
    table = true_effects()
    written = pd.read_csv(example.root / "true_effects.csv")
    pd.testing.assert_frame_equal(written, table, check_dtype=False)
    for outcome in ("implemented", "diffusion", "radicalness"):
        terms = table.loc[table["outcome"] == outcome]
        slopes = terms[terms["term"].isin(SLOPES)]
        assert set(slopes["term"]) == set(SLOPES)
        assert (slopes["true_effect"] == 0).any() and (slopes["true_effect"] != 0).any()
        assert {"wave[T.w2]", "wave[T.w3]", "case_effect_sd"} <= set(terms["term"])
        assert terms["family"].nunique() == 1
    assert "Intercept" not in set(table.loc[table["outcome"] == "radicalness", "term"])
    effect = table.set_index(["outcome", "term"])["true_effect"]
    assert effect["implemented", "density"] == 0 and effect["implemented", "sector_blau"] > 0
    assert effect["implemented", "convener_present"] > 0 and effect["implemented", "facilitator_present"] > 0
    assert effect["diffusion", "catalyst_present"] > 0 and effect["radicalness", "catalyst_present"] > 0
    notes = table.set_index(["outcome", "term"])["note"]
    assert "observable proxy" in notes["implemented", "sector_blau"]
    readme = (example.root / "README.md").read_text()
    for row in table.itertuples(index=False):
        assert f"| {row.outcome} | `{row.term}` | {row.true_effect:g} |" in readme


def _eta(cases: pd.DataFrame, effects: pd.DataFrame, outcome: str, case_scale: float) -> np.ndarray:
    effect = effects[effects["outcome"] == outcome].set_index("term")["true_effect"]
    wave = cases["wave"].str[1:].astype(int) - 1
    eta = effect.get("Intercept", 0.0) + case_scale * cases["case_effect"] + 0.25 * wave
    for term in SLOPES:
        column = LATENT_OF.get(term, term)
        if term != "density":
            eta = eta + effect[term] * cases[column]
    return eta.to_numpy()


def test_outcomes_follow_the_latent_model(example):
    cases, effects = example.true_cases, pd.read_csv(example.root / "true_effects.csv")
    np.testing.assert_allclose(_eta(cases, effects, "implemented", 1.0), cases["eta_implemented"], atol=1e-7)
    np.testing.assert_allclose(_eta(cases, effects, "radicalness", 1.0), cases["eta_radicalness"], atol=1e-7)
    np.testing.assert_allclose(np.minimum(_eta(cases, effects, "diffusion", 0.5), 7), cases["eta_diffusion"],
                               atol=1e-7)
    assert (effects.loc[effects["term"] == "wave[T.w3]", "true_effect"] == 0.5).all()
    for w in example.waves:
        out = example.accepted(w, "outcomes.csv").set_index("case_id")
        mine = cases[cases["wave"] == w].set_index("case_id")
        for col in ("implemented", "radicalness", "diffusion"):
            assert (out[col].astype(int) == mine.loc[out.index, col]).all()
    # the case effect is one draw per case, the same in every wave
    assert (cases.groupby("case_id")["case_effect"].nunique() == 1).all()
    high = cases["eta_implemented"] > cases["eta_implemented"].median()
    assert cases.loc[high, "implemented"].mean() > cases.loc[~high, "implemented"].mean()


def test_latent_effects_are_recovered_from_the_latent_quantities(tmp_path):
    import statsmodels.formula.api as smf

    simulate_dataset(tmp_path, seed=5, n_cases=150, bad_rows=False)
    data = pd.read_csv(tmp_path / "true_cases.csv")
    rhs = ("convener_present + facilitator_present + catalyst_present + diversity + cross_sector_work + n_actors"
           " + C(wave)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logit = smf.logit(f"implemented ~ {rhs}", data).fit(disp=0)
        poisson = smf.poisson(f"diffusion ~ {rhs}", data).fit(disp=0)
    for term in ("diversity", "convener_present", "facilitator_present"):
        assert logit.params[term] > 0 and logit.pvalues[term] < 0.05, term
    assert abs(logit.params["catalyst_present"]) < 3 * logit.bse["catalyst_present"]
    for term in ("diversity", "catalyst_present", "n_actors"):
        assert poisson.params[term] > 0 and poisson.pvalues[term] < 0.05, term
    # the case random effect is left out of this fit, so estimates are a little attenuated
    assert poisson.params["catalyst_present"] == pytest.approx(0.6, abs=0.25)
