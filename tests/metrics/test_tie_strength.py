"""Tie strength on fixed scales, the strong/weak class and the indicator-agreement table.

Expectations are worked by hand from the documented rescaling rules (no z-scores:
since issue 12 a tie's strength depends on its own records and the config only),
and the agreement statistics are checked against independent formulas.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netinnov.metrics.tie_agreement import cronbach_alpha, indicator_agreement
from netinnov.metrics.ties import (
    DEFAULT_TIE_STRENGTH_ANCHORS,
    DEFAULT_TIE_STRENGTH_WEIGHTS,
    classify_ties,
    rescaled_indicators,
    tie_strength,
)
from netinnov.metrics.wave import wave_networks

HYPOTHESIS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _log(x: float, anchor: float) -> float:
    return min(1.0, math.log(1 + x) / math.log(1 + anchor))


# ----------------------------------------------------------------------- strength
def test_tie_strength_fixed_scale_hand_worked():
    ties = pd.DataFrame(
        {
            "frequency": [1.0, 52.0, 200.0, 6.0],
            "duration_min": [0.0, 2400.0, None, 90.0],
            "closeness": [1.0, None, 4.0, 5.0],
            "multiplexity": [1, 3, 5, 2],
            "coparticipation": [0.0, 10.0, 2.0, 0.0],
            "reciprocated": [True, False, True, True],
        }
    )
    # by hand: log(1+x)/log(1+anchor) capped at 1, (c-1)/4, min(m,3)/3, 0/1
    y = [
        {"frequency": _log(1, 52), "duration_min": 0.0, "closeness": 0.0, "multiplexity": 1 / 3,
         "coparticipation": 0.0, "reciprocated": 1.0},
        {"frequency": 1.0, "duration_min": 1.0, "multiplexity": 1.0, "coparticipation": 1.0,
         "reciprocated": 0.0},  # closeness not reported: left out of this tie's mean
        {"frequency": 1.0, "closeness": 0.75, "multiplexity": 1.0, "coparticipation": _log(2, 10),
         "reciprocated": 1.0},  # above the anchors: capped at 1
        {"frequency": _log(6, 52), "duration_min": _log(90, 2400), "closeness": 1.0,
         "multiplexity": 2 / 3, "coparticipation": 0.0, "reciprocated": 1.0},
    ]
    w = dict(DEFAULT_TIE_STRENGTH_WEIGHTS)

    def mean(row, directed):
        used = {k: v for k, v in row.items() if directed or k != "reciprocated"}
        return sum(w[k] * v for k, v in used.items()) / sum(w[k] for k in used)

    got = tie_strength(ties, directed=True)
    assert got.name == "strength"
    assert got.tolist() == pytest.approx([mean(r, True) for r in y])
    assert tie_strength(ties, directed=False).tolist() == pytest.approx([mean(r, False) for r in y])
    assert got.attrs["weights"] == w


def test_tie_strength_docstring_example():
    t = pd.DataFrame({"frequency": [2.0], "closeness": [5.0], "duration_min": [np.nan]})
    assert tie_strength(t, directed=False).iloc[0] == pytest.approx((math.log(3) / math.log(53) + 1) / 2)


def test_missing_indicators_are_left_out_not_imputed():
    ties = pd.DataFrame({"frequency": [4.0, 4.0], "closeness": [np.nan, 5.0]})
    got = tie_strength(ties, directed=False)
    assert got.iloc[0] == pytest.approx(_log(4, 52))  # frequency alone
    assert got.iloc[1] == pytest.approx((_log(4, 52) + 1.0) / 2)
    # the first tie's value is the same whatever the other ties hold (no sample mean)
    other = pd.DataFrame({"frequency": [4.0, 50.0, 1.0], "closeness": [np.nan, 1.0, 2.0]})
    assert tie_strength(other, directed=False).iloc[0] == got.iloc[0]


def test_coparticipation_unobserved_where_the_case_has_no_events():
    ties = pd.DataFrame({"frequency": [3.0, 3.0], "coparticipation": [0.0, 0.0]})
    observed = tie_strength(ties, directed=False)
    masked = tie_strength(ties, directed=False, coparticipation_observed=np.array([True, False]))
    assert observed.iloc[0] == masked.iloc[0] == pytest.approx(_log(3, 52) / 1.5)
    assert masked.iloc[1] == pytest.approx(_log(3, 52))  # co-attendance not recorded: left out


def test_custom_anchors_and_weights():
    ties = pd.DataFrame({"frequency": [26.0, 3.0], "closeness": [3.0, 2.0]})
    got = tie_strength(ties, weights={"frequency": 2.0, "closeness": 1.0}, anchors={"frequency": 26},
                       directed=False)
    assert got.tolist() == pytest.approx([(2 * 1.0 + 0.5) / 3, (2 * _log(3, 26) + 0.25) / 3])
    scaled = tie_strength(ties, weights={"frequency": 20.0, "closeness": 10.0}, anchors={"frequency": 26},
                          directed=False)
    assert scaled.tolist() == pytest.approx(got.tolist())


def test_reciprocity_only_when_directed_and_read_from_text():
    ties = pd.DataFrame({"frequency": [1.0, 1.0, 1.0], "reciprocated": ["True", "false", None]})
    f = _log(1, 52)
    assert tie_strength(ties, directed=False).tolist() == pytest.approx([f, f, f])
    assert tie_strength(ties, directed=True).tolist() == pytest.approx([(f + 1) / 2, f / 2, f])


def test_strength_is_positive_or_refused():
    ties = pd.DataFrame({"frequency": [1.0], "closeness": [1.0]})
    assert tie_strength(ties, directed=False).iloc[0] > 0
    with pytest.raises(ValueError, match="frequency or multiplexity"):
        tie_strength(ties, weights={"closeness": 1.0}, directed=False)  # closeness 1 is the bottom
    with pytest.raises(ValueError, match="frequency or multiplexity"):
        tie_strength(pd.DataFrame({"closeness": [np.nan]}), weights={"closeness": 1.0}, directed=False)


def test_strength_in_unit_interval_and_row_equivariant():
    rng = np.random.default_rng(7)
    ties = pd.DataFrame(
        {
            "frequency": rng.integers(1, 200, 50).astype(float),
            "duration_min": np.where(rng.random(50) < 0.2, np.nan, rng.integers(0, 6000, 50)),
            "closeness": rng.integers(1, 6, 50).astype(float),
            "multiplexity": rng.integers(1, 6, 50),
            "coparticipation": rng.integers(0, 30, 50),
            "reciprocated": rng.random(50) < 0.5,
        },
        index=pd.RangeIndex(100, 150),
    )
    first = tie_strength(ties, directed=True)
    assert first.index.equals(ties.index)
    assert ((first > 0) & (first <= 1)).all()
    shuffled = ties.sample(frac=1.0, random_state=1)
    assert tie_strength(shuffled, directed=True).reindex(ties.index).to_numpy() == pytest.approx(first.to_numpy())
    # each tie alone gets its value within the table: no tie depends on another
    half = tie_strength(ties.iloc[::2], directed=True)
    assert half.to_numpy() == pytest.approx(first.iloc[::2].to_numpy())


def test_defaults_documented():
    assert dict(DEFAULT_TIE_STRENGTH_WEIGHTS) == {
        "frequency": 1.0, "duration_min": 1.0, "closeness": 1.0, "multiplexity": 1.0,
        "coparticipation": 0.5, "reciprocated": 1.0,
    }
    assert dict(DEFAULT_TIE_STRENGTH_ANCHORS) == {
        "frequency": 52.0, "duration_min": 2400.0, "n_records": 12.0, "multiplexity": 3.0, "coparticipation": 10.0,
    }


@pytest.mark.parametrize(
    "kwargs",
    [{"weights": {"friendship": 1.0}}, {"weights": {"frequency": -1.0}}, {"weights": {"frequency": float("nan")}},
     {"anchors": {"frequency": 0}}, {"anchors": {"closeness": 5}}],
)
def test_rejects_bad_weights_and_anchors(kwargs):
    with pytest.raises(ValueError):
        tie_strength(pd.DataFrame({"frequency": [1, 2]}), directed=False, **kwargs)


def test_rejects_negative_counts():
    with pytest.raises(ValueError, match="negative"):
        rescaled_indicators(pd.DataFrame({"duration_min": [-5.0, 2.0]}), directed=False)


# ---------------------------------------------------------------------- classify ties
def test_classify_absolute_on_the_fixed_scale():
    strength = pd.Series([0.2, 0.5, 0.8, np.nan], index=list("abcd"))
    got = classify_ties(strength)
    assert got.tolist() == ["weak", "strong", "strong", None]  # >= 0.5 is strong
    assert got.name == "tie_class" and got.index.equals(strength.index)
    assert classify_ties(strength, threshold=0.9).tolist()[:3] == ["weak"] * 3  # a case may have none


def test_classify_by_a_majority_of_indicators():
    ties = pd.DataFrame(
        {
            "frequency": [200.0, 10.0, 2.0, 10.0],
            "closeness": [1.0, 4.0, 5.0, np.nan],
            "multiplexity": [1, 2, 1, 1],
        }
    )
    weights = {"frequency": 1.0, "closeness": 1.0, "multiplexity": 1.0}
    y = rescaled_indicators(ties, weights=weights, directed=False)
    strength = tie_strength(ties, weights=weights, directed=False, indicators=y)
    got = classify_ties(strength, method="indicators", indicators=y, weights=weights)
    # by hand (>= 0.5 on its own scale): tie 0 only frequency (1 of 3); tie 1 frequency
    # log 11/log 53 = 0.60, closeness 0.75, multiplexity 2/3 (3 of 3); tie 2 closeness only
    # (1 of 3); tie 3 frequency of {frequency, multiplexity} (1 of 2: no majority)
    assert got.tolist() == ["weak", "strong", "weak", "weak"]
    heavy = classify_ties(strength, method="indicators", indicators=y, weights={**weights, "frequency": 3.0})
    assert heavy.tolist()[0] == "strong" and heavy.tolist()[3] == "strong"  # 3 of 5, 3 of 4 by weight
    with pytest.raises(ValueError, match="indicators"):
        classify_ties(strength, method="indicators")


def test_classify_accepts_nullable_integers():
    strength = pd.Series([1, None, 3, 4], dtype="Int64")
    assert classify_ties(strength, threshold=3).tolist() == ["weak", None, "strong", "strong"]
    assert classify_ties(strength, method="quantile").tolist() == ["weak", None, "weak", "strong"]


def test_classify_quantile_within_case():
    strength = pd.Series([1.0, 9.0, 2.0, 3.0, 5.0, 4.0, 2.0, 2.0, 7.0, np.nan, 2.0])
    cases = pd.Series(["A", "B", "A", "A", "C", "A", "D", "D", "E", "E", "D"])
    got = classify_ties(strength, cases, method="quantile")
    # A: 1,2,3,4 -> median 2.5; B: one tie; C: one tie; D: all equal; E: one known tie
    assert got.tolist() == ["weak", "weak", "weak", "strong", "weak", "strong", "weak", "weak", "weak",
                            None, "weak"]
    pooled = classify_ties(strength, method="quantile")
    assert pooled.tolist() == [
        "strong" if (not math.isnan(s) and s > 2.5) else ("weak" if not math.isnan(s) else None)
        for s in strength
    ]


def test_classify_quantile_level_uses_linear_interpolation():
    strength = pd.Series([5.0, 1.0, 4.0, 2.0, 3.0])
    assert classify_ties(strength, method="quantile", quantile=0.75).tolist() == [
        "strong", "weak", "weak", "weak", "weak"]
    assert classify_ties(strength, method="quantile", quantile=0.3).tolist() == [
        "strong", "weak", "strong", "weak", "strong"]


def test_classify_empty_and_invalid():
    assert len(classify_ties(pd.Series([], dtype=float), pd.Series([], dtype=object))) == 0
    for method in ("absolute", "quantile"):
        assert len(classify_ties(pd.Series([], dtype=float), method=method)) == 0
    empty = pd.DataFrame({"frequency": pd.Series([], dtype=float)})
    assert len(classify_ties(pd.Series([], dtype=float), method="indicators", indicators=empty)) == 0
    for method in ("kmeans", "mixture", "threshold"):  # mixture removed: it pooled the wave's cases
        with pytest.raises(ValueError):
            classify_ties(pd.Series([1.0]), method=method)
    with pytest.raises(ValueError):
        classify_ties(pd.Series([1.0]), quantile=1.5)
    with pytest.raises(ValueError):
        classify_ties(pd.Series([1.0, 2.0]), pd.Series(["A"]))


@HYPOTHESIS
@given(
    st.lists(
        st.tuples(st.sampled_from("ABC"), st.one_of(st.none(), st.floats(-5, 5, allow_nan=False))),
        max_size=30,
    ),
    st.sampled_from([0.0, 0.25, 0.5, 0.9, 1.0]),
)
def test_classify_quantile_matches_loop(rows, q):
    cases = pd.Series([c for c, _ in rows], dtype=object)
    strength = pd.Series([np.nan if s is None else s for _, s in rows], dtype=float)
    got = classify_ties(strength, cases, method="quantile", quantile=q).tolist()
    for i, (case, s) in enumerate(rows):
        if s is None:
            assert got[i] is None
            continue
        values = sorted(v for c, v in rows if c == case and v is not None)
        position = q * (len(values) - 1)
        lo, hi = math.floor(position), math.ceil(position)
        cut = values[lo] + (values[hi] - values[lo]) * (position - lo)
        assert got[i] == ("strong" if s > cut else "weak")


# ------------------------------------------------------------ case independence
def _wave(seed: int, cases=("c1", "c2", "c3")):
    rng = np.random.default_rng(seed)
    ids = [f"a{i:02d}" for i in range(15)]
    n = 300
    src, tgt = rng.choice(ids, n), rng.choice(ids, n)
    keep = src != tgt
    inter = pd.DataFrame(
        {
            "case_id": rng.choice(list(cases), n)[keep],
            "source": src[keep],
            "target": tgt[keep],
            "frequency": rng.integers(1, 9, n)[keep].astype(float),
            "duration_min": np.where(rng.random(n) < 0.3, np.nan, rng.integers(5, 300, n))[keep],
            "closeness": np.where(rng.random(n) < 0.2, np.nan, rng.integers(1, 6, n))[keep],
            "channel": rng.choice(["meeting", "email", "phone"], n)[keep],
        }
    )
    part = pd.DataFrame(  # events in c1 and c2 only: c3 has no co-attendance records
        {"case_id": rng.choice(["c1", "c2"], 90), "event_id": rng.choice([f"e{i}" for i in range(6)], 90),
         "actor_id": rng.choice(ids, 90)}
    )
    actors = pd.DataFrame({"actor_id": ids, "sector": rng.choice(["public", "private"], len(ids))})
    return SimpleNamespace(wave="w1", actors=actors, interactions=inter, participation=part, members=None)


def _tie_rows(networks) -> pd.DataFrame:
    frames = [net.ties.drop(columns=["source_index", "target_index"]).assign(case_id=cid)
              for cid, net in networks.items()]
    return pd.concat(frames, ignore_index=True).set_index(["case_id", "source", "target"]).sort_index()


@pytest.mark.parametrize("method", ["absolute", "indicators", "quantile"])
@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("dropped", ["c1", "c3"])
def test_dropping_a_case_leaves_the_other_cases_ties_identical(method, directed, dropped):
    data = _wave(4)
    options = {"directed": directed, "tie_class": {"method": method}}
    full = _tie_rows(wave_networks(data, options))
    less = SimpleNamespace(**vars(data))
    less.interactions = data.interactions[data.interactions.case_id != dropped]
    less.participation = data.participation[data.participation.case_id != dropped]
    part = _tie_rows(wave_networks(less, options))
    others = full[full.index.get_level_values("case_id") != dropped]
    assert len(part) and (others["tie_class"] == "strong").any()
    pd.testing.assert_frame_equal(part, others, check_categorical=False)


def test_strength_comes_from_the_tie_alone_in_the_pipeline():
    data = _wave(2)
    ties = _tie_rows(wave_networks(data, {"directed": True}))
    row = ties.iloc[0]
    assert ((ties["strength"] > 0) & (ties["strength"] <= 1)).all()
    assert (ties["strength_weight"] == ties["strength"]).all()
    alone = tie_strength(ties.iloc[[0]], directed=True,
                         coparticipation_observed=np.array([ties.index[0][0] in {"c1", "c2"}]))
    assert alone.iloc[0] == row["strength"]


# ------------------------------------------------------------------- diagnostics
def _alpha_by_covariances(y: np.ndarray) -> float:
    """Alpha from the mean item variance and mean inter-item covariance (an independent form)."""
    c = np.cov(y, rowvar=False)
    k = c.shape[0]
    v = np.mean(np.diag(c))
    cbar = (c.sum() - np.trace(c)) / (k * (k - 1))
    return k * cbar / (v + (k - 1) * cbar)


def test_alpha_hand_computed():
    y = np.array([[1.0, 2.0], [2.0, 2.0], [3.0, 5.0]])
    # item variances 1 and 3; the sums 3, 4, 8 have mean 5 and variance (4 + 1 + 9) / 2 = 7
    assert cronbach_alpha(y) == pytest.approx(6 / 7)  # 2 * (1 - 4 / 7)
    assert np.isnan(cronbach_alpha(y[:, :1])) and np.isnan(cronbach_alpha(y[:1]))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_diagnostics_against_independent_computations(seed):
    rng = np.random.default_rng(seed)
    n = 80
    latent = rng.normal(size=n)
    y = pd.DataFrame(
        {
            "frequency": np.clip(0.5 + 0.2 * latent + rng.normal(0, 0.1, n), 0, 1),
            "closeness": np.clip(0.5 + 0.15 * latent + rng.normal(0, 0.15, n), 0, 1),
            "multiplexity": rng.choice([1 / 3, 2 / 3, 1.0], n),
        }
    )
    y.loc[rng.random(n) < 0.2, "closeness"] = np.nan
    got = indicator_agreement(y).set_index(["indicator", "statistic"])
    complete = y.dropna().to_numpy()
    assert got.loc[("all", "cronbach_alpha"), "value"] == pytest.approx(_alpha_by_covariances(complete))
    assert got.loc[("all", "cronbach_alpha"), "n_ties"] == len(complete)
    z = (complete - complete.mean(axis=0)) / complete.std(axis=0)
    s = np.linalg.svd(z, compute_uv=False)
    assert got.loc[("all", "pc1_share"), "value"] == pytest.approx(s[0] ** 2 / (s**2).sum())
    for i, name in enumerate(y.columns):
        col = y[name].dropna()
        assert got.loc[(name, "n_observed"), "value"] == len(col)
        assert got.loc[(name, "mean"), "value"] == pytest.approx(col.mean())
        assert got.loc[(name, "sd"), "value"] == pytest.approx(col.std())
        rest = np.delete(complete, i, axis=1).sum(axis=1)
        r = pd.Series(complete[:, i]).corr(pd.Series(rest))
        assert got.loc[(name, "item_total_r"), "value"] == pytest.approx(r)
    assert list(indicator_agreement(y).columns) == ["indicator", "statistic", "value", "n_ties"]


def test_diagnostics_degenerate():
    one = indicator_agreement(pd.DataFrame({"frequency": [0.1, 0.4]}))
    assert np.isnan(one.set_index(["indicator", "statistic"]).loc[("all", "cronbach_alpha"), "value"])
    empty = indicator_agreement(pd.DataFrame(index=range(3)))
    assert set(empty["indicator"]) == {"all"}
