"""wave_ties on integer codes agrees with a plain merge on string ids."""

import numpy as np
import pandas as pd
import pytest

from netinnov.networks.build import coparticipation_ties, interaction_ties, wave_ties

KEYS = ["case_id", "source", "target"]


def _records(seed, channels, n=400):
    rng = np.random.default_rng(seed)
    ids = ["a1", "a10", "a2", "B", "b", "é", "Z"]  # string order differs from a naive one
    return pd.DataFrame(
        {
            "case_id": rng.choice(["c1", "c10", "c2"], n),
            "source": rng.choice(ids, n),
            "target": rng.choice(ids, n),
            "frequency": rng.integers(1, 5, n).astype(float),
            "closeness": rng.integers(1, 6, n).astype(float),
            "channel": rng.choice(np.array(channels, dtype=object), n),
        }
    )


def _participation(seed, n=60):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "case_id": rng.choice(["c1", "c2", "c9"], n),  # c9: co-participation only
            "event_id": rng.choice([f"e{i}" for i in range(6)], n),
            "actor_id": rng.choice(["a1", "B", "é", "only_events", "x"], n),
            "duration_min": rng.integers(10, 200, n).astype(float),
        }
    )


def _expected(inter, part, directed, weight, mode):
    """The merge of the public parts on string keys, done the plain way: in ``layer`` mode
    each interaction tie gets its unordered pair's co-attendance; in ``merge`` mode
    (undirected) co-attendance-only pairs are ties too."""
    i = interaction_ties(inter, directed=directed)
    c = coparticipation_ties(part, weight=weight)
    if directed:
        c = pd.concat([c, c.rename(columns={"source": "target", "target": "source"})], ignore_index=True)
    how = "outer" if mode == "merge" else "left"
    t = i.merge(c, on=KEYS, how=how).sort_values(KEYS).reset_index(drop=True)
    for col in ("n_records", "frequency", "coparticipation", "shared_events"):
        t[col] = t[col].fillna(0)
    n_channels = t["channels"].str.split(";").str.len().fillna(0)
    t["multiplexity"] = (n_channels + (t["shared_events"] > 0)).astype(np.int64)
    if directed:
        arcs = set(zip(t.case_id, t.source, t.target, strict=True))
        t["reciprocated"] = [(c, b, a) in arcs for c, a, b in zip(t.case_id, t.source, t.target, strict=True)]
    return t


@pytest.mark.parametrize("directed, mode", [(True, "layer"), (False, "layer"), (False, "merge")])
@pytest.mark.parametrize("weight", ["events", "minutes"])
@pytest.mark.parametrize("n_channels", [3, 70])  # 70: more channels than a 64-bit mask holds
def test_wave_ties_equal_a_string_merge(directed, mode, weight, n_channels):
    channels = [f"ch{k:02d}" for k in range(n_channels)] + [None]
    inter, part = _records(1, channels), _participation(2)
    got = wave_ties(inter, part, directed=directed, coparticipation_weight=weight, coattendance=mode)
    want = _expected(inter, part, directed, weight, mode)
    assert list(got[KEYS].itertuples(index=False)) == list(want[KEYS].itertuples(index=False))
    cols = ["n_records", "frequency", "coparticipation", "shared_events", "closeness", "channels", "multiplexity"]
    if directed:
        cols.append("reciprocated")
    pd.testing.assert_frame_equal(got[cols], want[cols], check_dtype=False)
    if mode == "merge":
        assert (got["weight"] == got["frequency"] + got["coparticipation"]).all()
        assert "only_events" in set(got["source"]) and "c9" in set(got["case_id"])
    else:  # layer: the reported interactions only, weighted by their frequency
        assert (got["weight"] == got["frequency"]).all()
        assert "only_events" not in set(got["source"]) | set(got["target"]) and "c9" not in set(got["case_id"])
