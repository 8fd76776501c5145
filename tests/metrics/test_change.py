"""Tie change between waves against a brute-force count over all dyads."""

import itertools

import numpy as np
import pandas as pd
import pytest

from netinnov.metrics.change import tie_change


def _wave(rng, actors, p):
    ties = [(a, b) for a, b in itertools.permutations(actors, 2) if rng.random() < p]
    return pd.DataFrame([("c", a, b) for a, b in ties], columns=["case_id", "source", "target"])


def _brute(t1, t2, common, directed):
    def arcs(t):
        s = set(zip(t.source, t.target, strict=True))
        return s if directed else {tuple(sorted(x)) for x in s}
    a, b = arcs(t1), arcs(t2)
    pairs = itertools.permutations(sorted(common), 2) if directed else itertools.combinations(sorted(common), 2)
    n = {"n00": 0, "n01": 0, "n10": 0, "n11": 0}
    for p in pairs:
        n[f"n{int(p in a)}{int(p in b)}"] += 1
    return n


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("directed", [False, True])
def test_transition_counts_match_brute_force(seed, directed):
    rng = np.random.default_rng(seed)
    first = [f"a{i}" for i in range(12)]
    second = [f"a{i}" for i in range(3, 16)]  # 3 left, 4 joined
    t1, t2 = _wave(rng, first, 0.2), _wave(rng, second, 0.25)
    r1 = pd.DataFrame({"case_id": "c", "actor_id": first})
    r2 = pd.DataFrame({"case_id": "c", "actor_id": second})
    out = tie_change(t1, t2, r1, r2, directed=directed, wave_from="w1", wave_to="w2").iloc[0]
    want = _brute(t1, t2, set(first) & set(second), directed)
    for k, v in want.items():
        assert out[k] == v
    assert out["hamming"] == want["n01"] + want["n10"]
    union = want["n01"] + want["n10"] + want["n11"]
    assert out["jaccard"] == pytest.approx(want["n11"] / union)
    assert out["jaccard_low"] == (want["n11"] / union < 0.3)
    assert (out["actors_joined"], out["actors_left"]) == (4, 3)
    m = 9
    assert out[["n00", "n01", "n10", "n11"]].sum() == (m * (m - 1) if directed else m * (m - 1) // 2)


def test_cases_in_one_wave_only_are_left_out_and_no_ties_gives_nan():
    r1 = pd.DataFrame({"case_id": ["c", "c", "d"], "actor_id": ["a", "b", "x"]})
    r2 = pd.DataFrame({"case_id": ["c", "c"], "actor_id": ["a", "b"]})
    empty = pd.DataFrame(columns=["case_id", "source", "target"])
    out = tie_change(empty, empty, r1, r2, directed=False, wave_from="1", wave_to="2")
    assert list(out.case_id) == ["c"]
    assert out.loc[0, "n00"] == 1 and np.isnan(out.loc[0, "jaccard"])
