"""Tests of the synthetic-data generator against the input contract and its own design.

Every expectation is computed here from the written files with plain pandas /
networkx, never copied from the generator's output.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import warnings
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netinnov import simulate
from netinnov.simulate import (
    CHANNELS,
    PHASES,
    PREDICTORS,
    ROLES,
    SECTORS,
    outcome_predictors,
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
        assert set(roles["role"]) <= set(ROLES)
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
        assert 5 <= len(isolates) <= 0.1 * len(members)
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


def test_joiners_attach_first_to_the_previous_catalyst(example):
    checked = 0
    for before, after in zip(example.waves, example.waves[1:], strict=False):
        roles = example.accepted(before, "roles.csv")
        catalysts = roles[roles["role"] == "catalyst"].set_index("case_id")["actor_id"]
        members = example.accepted(after, "members.csv")
        joiners = members[members["actor_id"].isin(set(example.joiners[after]["actor_id"]))]
        inter = example.accepted(after, "interactions.csv")
        for case, actor in zip(joiners["case_id"], joiners["actor_id"], strict=True):
            mine = inter[(inter["case_id"] == case) & ((inter["source"] == actor) | (inter["target"] == actor))]
            assert len(mine), actor  # joiners are never isolates in their first wave
            first = mine[mine["date"] == mine["date"].min()]
            partners = set(first["source"]) | set(first["target"])
            assert len(partners - {actor}) == 1  # one sponsor first
            if case in catalysts.index:
                assert catalysts[case] in partners
                checked += 1
            later = mine[mine["date"] > mine["date"].min()]
            assert len(later) == len(mine) - len(first)
    assert checked >= 10


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
                checks["unknown role"] = ~frame["role"].isin(ROLES)
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


# ------------------------------------------------------------ predictors
def _independent_predictors(data: Dataset, directed: bool) -> pd.DataFrame:
    sector = data.all_actors().set_index("actor_id")["sector"]
    rows = []
    for w in data.waves:
        inter = data.accepted(w, "interactions.csv")
        roles = data.accepted(w, "roles.csv")
        for case, m in data.accepted(w, "members.csv").groupby("case_id"):
            g = nx.DiGraph() if directed else nx.Graph()
            g.add_nodes_from(m["actor_id"])
            r = inter[inter["case_id"] == case]
            # the reported interactions only: co-attendance is a layer of its own (issue 12)
            g.add_edges_from((s, t) for s, t in zip(r["source"], r["target"], strict=True) if s != t)
            shares = sector.reindex(m["actor_id"]).value_counts(normalize=True)
            rr = roles[roles["case_id"] == case]
            rows.append(
                {
                    "wave": w,
                    "case_id": case,
                    "n_actors": g.number_of_nodes(),
                    "density": nx.density(g),
                    "sector_blau": 1.0 - float((shares**2).sum()),
                    **{f"{role}_present": int((rr["role"] == role).any()) for role in ROLES},
                }
            )
    return pd.DataFrame(rows)


def test_predictors_match_an_independent_networkx_computation(example):
    mine = _independent_predictors(example, directed=True)
    used = pd.read_csv(example.root / "true_case_features.csv")
    merged = mine.merge(used, on=["wave", "case_id"], suffixes=("", "_gen"), validate="one_to_one")
    assert len(merged) == len(used) == 36 * 3
    for col in PREDICTORS:
        np.testing.assert_allclose(merged[col], merged[f"{col}_gen"], atol=1e-9, err_msg=col)
    assert merged["density"].std() > 0.05 and merged["sector_blau"].std() > 0.1
    for role in ROLES:
        assert 0.2 < merged[f"{role}_present"].mean() < 0.8


def test_predictors_ignore_planted_bad_rows(example):
    # the same predictors whether a reader rejects the planted rows or keeps them
    actors = example.all_actors()
    used = pd.read_csv(example.root / "true_case_features.csv")
    for w in example.waves:
        strict = outcome_predictors(
            example.accepted(w, "members.csv"), example.accepted(w, "interactions.csv"),
            example.accepted(w, "participation.csv"), example.accepted(w, "roles.csv"), actors=actors,
        )
        lenient = outcome_predictors(
            example.raw[w]["members.csv"], example.raw[w]["interactions.csv"],
            example.raw[w]["participation.csv"], example.raw[w]["roles.csv"], actors=actors,
        )
        pd.testing.assert_frame_equal(strict, lenient)
        mine = used[used["wave"] == w].set_index("case_id").loc[strict.index]
        for col in PREDICTORS:
            np.testing.assert_allclose(strict[col], mine[col], atol=1e-9, err_msg=col)


def test_outcome_predictors_on_a_hand_worked_case():
    members = pd.DataFrame({"case_id": ["c"] * 4 + ["d"] * 2, "actor_id": ["a", "b", "x", "y", "p", "q"]})
    actors = pd.DataFrame(
        {"actor_id": ["a", "b", "x", "y", "p", "q"],
         "sector": ["public", "public", "private", "citizen", "public", "public"]}
    )
    inter = pd.DataFrame(
        {"case_id": ["c", "c", "c", "c", "d"], "source": ["a", "b", "a", "a", "p"],
         "target": ["b", "a", "b", "zz", "p"]}
    )
    part = pd.DataFrame({"case_id": ["c", "c", "c"], "event_id": ["e1", "e1", "e1"], "actor_id": ["x", "y", "x"]})
    roles = pd.DataFrame({"case_id": ["c", "c"], "actor_id": ["a", "b"], "role": ["catalyst", "champion"]})
    d = outcome_predictors(members, inter, part, roles, actors=actors, directed=True)
    # arcs a→b, b→a of 4·3 possible; the record to zz and the self-loop do not count, nor does
    # x and y's co-attendance (a layer of its own since issue 12; it was 4 / 12 when merged)
    assert d.loc["c", "density"] == pytest.approx(2 / 12)
    assert d.loc["c", "sector_blau"] == pytest.approx(1 - (0.5**2 + 0.25**2 + 0.25**2))
    assert d.loc["d", "density"] == 0 and d.loc["d", "sector_blau"] == 0
    assert d.loc["c", "n_actors"] == 4 and d.loc["c", "catalyst_present"] == 1
    assert d.loc["c", "convener_present"] == 0 and d.loc["d", "catalyst_present"] == 0
    u = outcome_predictors(members, inter, part, roles, actors=actors, directed=False)
    assert u.loc["c", "density"] == pytest.approx(1 / 6)


def test_undirected_dataset_uses_pairs(tmp_path):
    simulate_dataset(tmp_path, seed=11, n_cases=4, n_waves=2, directed=False)
    data = Dataset(tmp_path)
    mine = _independent_predictors(data, directed=False)
    used = pd.read_csv(tmp_path / "true_case_features.csv")
    merged = mine.merge(used, on=["wave", "case_id"], suffixes=("", "_gen"))
    np.testing.assert_allclose(merged["density"], merged["density_gen"], atol=1e-9)
    inter = data.accepted("w1", "interactions.csv")
    pairs = pd.DataFrame(np.sort(inter[["source", "target"]].to_numpy(), axis=1))
    reported_both_ways = inter.merge(inter, left_on=["source", "target"], right_on=["target", "source"])
    assert len(reported_both_ways) == 0 and len(pairs)
    assert "--undirected" in (tmp_path / "README.md").read_text()


# ------------------------------------------------------------ true effects
def test_true_effects_table(example):
    table = true_effects()
    written = pd.read_csv(example.root / "true_effects.csv")
    pd.testing.assert_frame_equal(written, table, check_dtype=False)
    for outcome in ("implemented", "diffusion", "radicalness"):
        terms = table.loc[table["outcome"] == outcome]
        slopes = terms[terms["term"].isin(PREDICTORS)]
        assert list(slopes["term"]) == list(PREDICTORS)
        assert (slopes["true_effect"] == 0).any() and (slopes["true_effect"] != 0).any()
        assert terms["family"].nunique() == 1
    assert set(table["term"]) - set(PREDICTORS) == {"Intercept", "1/2", "2/3", "3/4", "4/5"}
    assert "Intercept" not in set(table.loc[table["outcome"] == "radicalness", "term"])
    effect = table.set_index(["outcome", "term"])["true_effect"]
    assert effect["implemented", "density"] == 0 and effect["implemented", "sector_blau"] > 0
    assert effect["implemented", "convener_present"] > 0 and effect["implemented", "facilitator_present"] > 0
    assert effect["diffusion", "catalyst_present"] > 0 and effect["radicalness", "catalyst_present"] > 0
    readme = (example.root / "README.md").read_text()
    for row in table.itertuples(index=False):
        assert f"| {row.outcome} | `{row.term}` | {row.true_effect:g} |" in readme


def test_outcomes_follow_the_linear_predictors(example):
    used = pd.read_csv(example.root / "true_case_features.csv")
    effect = true_effects().set_index(["outcome", "term"])["true_effect"]
    eta = effect["implemented", "Intercept"] + sum(effect["implemented", p] * used[p] for p in PREDICTORS)
    np.testing.assert_allclose(eta, used["eta_implemented"], atol=1e-8)
    for w in example.waves:
        out = example.accepted(w, "outcomes.csv").set_index("case_id")
        mine = used[used["wave"] == w].set_index("case_id")
        for col in ("implemented", "radicalness", "diffusion"):
            assert (out[col].astype(int) == mine.loc[out.index, col]).all()
    high = used["eta_implemented"] > used["eta_implemented"].median()
    assert used.loc[high, "implemented"].mean() > used.loc[~high, "implemented"].mean()


def test_effects_are_recovered_on_a_larger_dataset(tmp_path):
    import statsmodels.formula.api as smf

    simulate_dataset(tmp_path, seed=5, n_cases=150, bad_rows=False)
    data = pd.read_csv(tmp_path / "true_case_features.csv")
    rhs = " + ".join(PREDICTORS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logit = smf.logit(f"implemented ~ {rhs}", data).fit(disp=0)
        poisson = smf.poisson(f"diffusion ~ {rhs}", data).fit(disp=0)
    for term in ("sector_blau", "convener_present", "facilitator_present"):
        assert logit.params[term] > 0 and logit.pvalues[term] < 0.05, term
    assert abs(logit.params["density"]) < 3 * logit.bse["density"]
    for term in ("sector_blau", "catalyst_present", "n_actors"):
        assert poisson.params[term] > 0 and poisson.pvalues[term] < 0.05, term
    assert poisson.params["catalyst_present"] == pytest.approx(0.6, abs=0.2)


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
        for role in ROLES:
            holders = set(zip(roles.loc[roles["role"] == role, "case_id"], roles.loc[roles["role"] == role, "actor"],
                              strict=True))
            per_actor[role] = [(c, a) in holders for c, a in zip(per_actor["case_id"], per_actor["actor"], strict=True)]
        per_actor["sector"] = sector.reindex(per_actor["actor"]).to_numpy()
        frames.append(per_actor.assign(wave=w))
    return pd.concat(frames, ignore_index=True)


def test_role_holders_show_their_behaviour(example):
    b = _actor_behaviour(example)

    def gap(role: str, col: str) -> float:
        return b.loc[b[role], col].mean() - b.loc[~b[role], col].mean()

    assert gap("convener", "early") > 0.2
    assert gap("convener", "cross_alters") > 2
    assert gap("facilitator", "event_share") > 0.4
    assert gap("facilitator", "closeness") > 0.4
    assert gap("facilitator", "records_per_tie") > 0
    assert gap("catalyst", "weak_share") > 0.2
    assert gap("catalyst", "cross_alters") > 1
    assert gap("catalyst", "closeness") < 0


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
    per_sector = _actor_behaviour(example).groupby("sector")["degree"].mean()
    assert per_sector["civil_society"] == per_sector.max()  # civil society is central
    assert per_sector["citizen"] == per_sector.min()  # citizens and end users rarely are


# ------------------------------------------------------------ scale, CLI
def test_single_large_case_has_blocks_and_heavy_tails(tmp_path):
    summary = simulate_dataset(tmp_path, seed=2, single_case_actors=1500, records_per_actor=10, n_waves=2)
    assert summary["n_cases"] == 1
    data = Dataset(tmp_path)
    inter = data.accepted("w1", "interactions.csv")
    assert len(inter) == pytest.approx(15000, rel=0.15)
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
    parser = argparse.ArgumentParser()
    simulate.add_arguments(parser)
    args = parser.parse_args(["--seed", "4", "--out", str(tmp_path / "cli"), "--cases", "3", "--waves", "2",
                              "--min-actors", "10", "--max-actors", "20", "--records-per-actor", "4",
                              "--no-bad-rows"])
    assert simulate.run(args) == 0
    assert '"n_cases": 3' in capsys.readouterr().out
    simulate_dataset(tmp_path / "api", seed=4, n_cases=3, n_waves=2, min_actors=10, max_actors=20,
                     records_per_actor=4, bad_rows=False)
    assert _digest(tmp_path / "cli") == _digest(tmp_path / "api")
    sizes = _read(tmp_path / "cli" / "waves" / "w2" / "members.csv").groupby("case_id").size()
    assert sizes.between(10, 20).all()
    bad = parser.parse_args(["--out", str(tmp_path / "x"), "--min-actors", "9", "--max-actors", "5"])
    assert simulate.run(bad) == 2
    assert "min_actors" in capsys.readouterr().err
