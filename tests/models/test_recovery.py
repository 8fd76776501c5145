"""The case-level models recover the generator's planted effects.

Generator v2 draws the outcomes from *latent* quantities (true role presence,
roster diversity, latent cross-sector work, a case random effect, wave
effects; ``true_cases.csv``), never from a column the pipeline computes, so
recovering them through the pipeline is a test of the measures and not a
circular one. Two checks:

1. **The model code against the generator's model.** ``netinnov.models.glm``
   fitted on the latent quantities themselves (renamed to the terms of their
   proxies, with ``wave`` as a factor) recovers ``true_effects.csv``: over
   several seeded datasets every non-zero effect has the right sign, the 95 %
   intervals cover the truth at close to the nominal rate (the case random
   effect, left out of the fit, attenuates a little) and zero effects are
   rarely significant.
2. **The pipeline's proxies** (``slow``). The pipeline's own steps
   (validation, wave tables, features) on the survey data — noisy role
   reports, non-response, observed rosters and ties — give the proxies
   ``convener_present``, ``sector_blau``, ``cross_sector_tie_share``, …; the
   models of ``config/config.yaml`` (plus ``cross_sector_tie_share``) fitted
   on them recover the *signs* of the planted latent effects. A proxy measures
   its latent quantity with error, so sizes are attenuated and are not
   compared; the sign must hold in the estimate pooled over the seeds and in
   most single seeds.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.paths import REPO
from netinnov.config import load_config
from netinnov.io import validate_wave
from netinnov.metrics.wave import wave_tables
from netinnov.models.features import case_features
from netinnov.models.glm import fit_glms
from netinnov.simulate import simulate_dataset, true_effects
from netinnov.simulate.recovery import LATENT_FEATURES

SEED = 20261127
N_CASES = 150
SEEDS = [SEED + k for k in range(4)]
PROXY_SEEDS = [SEED + k for k in range(3)]
PROXY_CASES = 150
#: term of the proxy -> column of the latent quantity in true_cases.csv
LATENT = LATENT_FEATURES


def _config(data: Path) -> dict:
    return load_config(REPO / "config" / "config.yaml", {"dataset": str(data), "directed": True, "ei_permutations": 0})


def _specs(data: Path, predictors: list[str], controls: list[str]) -> list[dict]:
    return [{**m, "predict": False, "predictors": predictors, "controls": controls} for m in _config(data)["models"]]


def _fit(features: pd.DataFrame, specs: list[dict], data: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        coefficients, fit = fit_glms(features, specs)
    assert fit["error"].fillna("").eq("").all(), fit[["model", "error"]]
    coefficients = coefficients[
        ~coefficients["standardized"].astype(bool) & coefficients["estimator"].eq("glm")
    ]
    truth = pd.read_csv(data / "true_effects.csv")
    return truth.merge(coefficients, on=["outcome", "term"], how="inner", validate="one_to_one")


# ------------------------------------------------------------ 1. latent quantities
def _latent_fit(seed: int, tmp: Path) -> pd.DataFrame:
    data = tmp / f"sim{seed}"
    simulate_dataset(data, seed=seed, n_cases=N_CASES, bad_rows=False)
    cases = pd.read_csv(data / "true_cases.csv", dtype={"case_id": str, "wave": str})
    features = cases[["wave", "case_id", "implemented", "radicalness", "diffusion"]].copy()
    for term, column in LATENT.items():
        features[term] = cases[column].astype(float)
    terms = [t for t in LATENT if t != "n_actors"]
    joined = _fit(features, _specs(data, terms, ["n_actors", "wave"]), data)
    return joined.assign(seed=seed)


@pytest.fixture(scope="module")
def fits(tmp_path_factory) -> pd.DataFrame:
    tmp = tmp_path_factory.mktemp("recovery")
    return pd.concat([_latent_fit(seed, tmp) for seed in SEEDS], ignore_index=True)


@pytest.mark.slow  # the fits of several simulated datasets (module fixture)
def test_every_true_effect_with_a_model_term_has_an_estimate(fits):
    first = fits[fits["seed"] == SEED]
    assert set(first["outcome"]) == {"implemented", "radicalness", "diffusion"}
    # slopes, intercepts, wave effects and cut-points; only case_effect_sd has no fitted counterpart
    truth = true_effects(3)
    expected = truth[~truth["term"].isin(["case_effect_sd", "density"])]  # density is not in this fit
    assert len(first) == len(expected)


@pytest.mark.slow  # the fits of several simulated datasets (module fixture)
def test_nonzero_effects_have_the_right_sign(fits):
    nonzero = fits[(fits["true_effect"] != 0) & ~fits["term"].str.startswith("wave[")]
    wrong = nonzero[np.sign(nonzero["estimate"]) != np.sign(nonzero["true_effect"])]
    assert wrong.empty, wrong[["seed", "outcome", "term", "estimate", "true_effect"]]


@pytest.mark.slow  # the fits of several simulated datasets (module fixture)
def test_intervals_cover_the_true_effects_at_close_to_the_nominal_rate(fits):
    covered = (fits["ci_low"] <= fits["true_effect"]) & (fits["true_effect"] <= fits["ci_high"])
    # nominal 0.95; the omitted case random effect attenuates the logit and
    # ordered-logit slopes a little, so the bar is 0.8 over ~100 (term, dataset) pairs
    assert covered.mean() >= 0.8, fits.loc[~covered, ["seed", "outcome", "term", "estimate", "ci_low", "ci_high",
                                                      "true_effect"]]


@pytest.mark.slow  # the fits of several simulated datasets (module fixture)
def test_zero_effects_are_rarely_significant(fits):
    zero = fits[fits["true_effect"] == 0]
    assert len(zero) >= 4 * len(SEEDS)
    rate = (zero["p_value"] < 0.05).mean()
    assert rate <= 0.15, zero.loc[zero["p_value"] < 0.05, ["seed", "outcome", "term", "estimate", "p_value"]]


# ------------------------------------------------------------ 2. pipeline proxies
def _proxy_fit(seed: int, tmp: Path) -> pd.DataFrame:
    data = tmp / f"sim{seed}"
    simulate_dataset(data, seed=seed, n_cases=PROXY_CASES)
    config = _config(data)
    cases, actors, previous = [], [], None
    for wave in ("w1", "w2", "w3"):
        validated = validate_wave(data, wave, directed=True)
        tables = wave_tables(validated, config, previous=previous)
        cases.append(tables.cases.assign(wave=wave))
        actors.append(tables.actors.assign(wave=wave))
        previous = validated
    features = case_features(pd.concat(cases, ignore_index=True), pd.concat(actors, ignore_index=True))
    predictors = [*config["models"][0]["predictors"], "cross_sector_tie_share"]
    joined = _fit(features, _specs(data, predictors, ["n_actors"]), data)
    return joined.assign(seed=seed)


@pytest.mark.extended
def test_pipeline_proxies_recover_the_signs_of_the_latent_effects(tmp_path):
    fits = pd.concat([_proxy_fit(seed, tmp_path) for seed in PROXY_SEEDS], ignore_index=True)
    slopes = fits[fits["term"].isin(LATENT) & (fits["true_effect"] != 0) & (fits["term"] != "n_actors")]
    assert len(slopes) >= 8 * len(PROXY_SEEDS)
    pooled = slopes.groupby(["outcome", "term"]).agg(estimate=("estimate", "mean"), truth=("true_effect", "first"))
    wrong = pooled[np.sign(pooled["estimate"]) != np.sign(pooled["truth"])]
    assert wrong.empty, wrong
    right = (np.sign(slopes["estimate"]) == np.sign(slopes["true_effect"])).groupby(
        [slopes["outcome"], slopes["term"]]).mean()
    assert (right >= 2 / 3).all(), right[right < 2 / 3]
    # the role effects are the constructs of the issue: each is positive in the pooled estimate
    for outcome, term in (("implemented", "convener_present"), ("implemented", "facilitator_present"),
                          ("diffusion", "catalyst_present"), ("radicalness", "catalyst_present")):
        assert pooled.loc[(outcome, term), "estimate"] > 0


# ------------------------------------------------------------ 3. attrition (generator) and recovery under it
ATT_SEED = 20261202
ATT_WAVE_FILES = ("interactions.csv", "participation.csv", "roles.csv", "members.csv", "outcomes.csv")


def _text(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _observed(frame: pd.DataFrame, cases: set, pairs: set, *actor_cols: str) -> pd.Series:
    """Rows of an observed case whose actors are observed in that case."""
    ok = frame["case_id"].isin(cases)
    for col in actor_cols:
        ok &= pd.Series([(c, a) in pairs for c, a in zip(frame["case_id"], frame[col], strict=True)],
                        index=frame.index, dtype=bool)
    return ok


@pytest.fixture(scope="module")
def attrition_pair(tmp_path_factory) -> tuple[Path, Path]:
    """The same dataset without and with attrition (strong rates, so that every kind of loss occurs)."""
    tmp = tmp_path_factory.mktemp("attrition")
    kwargs = {"seed": ATT_SEED, "n_cases": 24, "n_waves": 3, "max_actors": 30, "bad_rows": False}
    simulate_dataset(tmp / "full", **kwargs)
    simulate_dataset(tmp / "att", case_dropout=0.3, actor_dropout=0.25, **kwargs)
    return tmp / "full", tmp / "att"


def test_attrition_removes_exactly_the_rows_of_lost_cases_and_actors(attrition_pair):
    full, att = attrition_pair
    members = _text(att / "true_members.csv")
    cases = _text(att / "true_cases.csv")
    lost_cases = lost_rows = 0
    for wave in ("w1", "w2", "w3"):
        kept_cases = set(cases.loc[cases["wave"] == wave, "case_id"])
        lost_cases += 24 - len(kept_cases)
        in_study = members.loc[members["wave"] == wave, ["case_id", "actor_id"]]
        pairs = set(map(tuple, in_study.to_numpy()))

        for name, actor_cols in (("interactions.csv", ("source", "target")), ("participation.csv", ("actor_id",)),
                                 ("roles.csv", ("actor_id",)), ("members.csv", ("actor_id",)),
                                 ("outcomes.csv", ())):
            before, after = _text(full / "waves" / wave / name), _text(att / "waves" / wave / name)
            expected = before[_observed(before, kept_cases, pairs, *actor_cols)].reset_index(drop=True)
            lost_rows += len(before) - len(expected)
            if name == "participation.csv":  # events are renumbered when all their attendees are lost
                assert after["event_id"].nunique() == expected["event_id"].nunique()
                assert (expected.groupby("event_id", sort=False).size().to_numpy()
                        == after.groupby("event_id", sort=False).size().to_numpy()).all()
                expected, after = expected.drop(columns="event_id"), after.drop(columns="event_id")
            pd.testing.assert_frame_equal(after, expected, obj=f"{wave}/{name}")
    assert lost_cases > 0 and lost_rows > lost_cases  # the rates are strong enough for the test to bite


def test_attrition_is_monotone_and_the_truth_agrees_with_the_files(attrition_pair):
    full, att = attrition_pair
    cases = pd.read_csv(att / "true_cases.csv", dtype={"case_id": str, "wave": str})
    members = _text(att / "true_members.csv")
    files = pd.concat([_text(att / "waves" / w / "outcomes.csv").assign(wave=w) for w in ("w1", "w2", "w3")])
    # one truth row per observed case-wave, the outcomes those of the files
    joined = cases.merge(files, on=["case_id", "wave"], how="outer", indicator=True, validate="one_to_one")
    assert (joined["_merge"] == "both").all()
    for col in ("implemented", "radicalness", "diffusion"):
        assert (joined[f"{col}_x"].astype(int) == joined[f"{col}_y"].astype(int)).all()
    # monotone: a case is observed from w1 up to its last_wave, never after
    index = cases["wave"].str[1:].astype(int)
    last = cases["last_wave"].str[1:].astype(int)
    assert (index <= last).all()
    seen = index.groupby(cases["case_id"]).agg(["min", "max", "count"])
    assert (seen["min"] == 1).all() and (seen["count"] == seen["max"]).all()
    assert (seen["max"] == last.groupby(cases["case_id"]).first()).all()
    assert seen["max"].lt(3).any()
    # p_dropout: the rate (not informative), empty in the last wave
    assert np.allclose(cases.loc[cases["wave"] != "w3", "p_dropout"], 0.3)
    assert cases.loc[cases["wave"] == "w3", "p_dropout"].isna().all()
    # members truth = members.csv, and a lost member does not come back
    files = pd.concat([_text(att / "waves" / w / "members.csv").assign(wave=w) for w in ("w1", "w2", "w3")])
    key = ["case_id", "wave", "actor_id"]
    assert set(map(tuple, members[key].to_numpy())) == set(map(tuple, files[key].to_numpy()))
    wave_no = members["wave"].str[1:].astype(int)
    assert (wave_no <= members["last_wave"].str[1:].astype(int)).all()
    assert members.groupby(["case_id", "actor_id"])["last_wave"].nunique().eq(1).all()
    # a member is observed in exactly the waves of its full-data roster up to its last_wave
    before = _text(full / "true_members.csv")[key]
    last = members.groupby(["case_id", "actor_id"])["last_wave"].first().str[1:].astype(int).rename("last")
    before = before.join(last, on=["case_id", "actor_id"], how="inner")
    expected = before[before["wave"].str[1:].astype(int) <= before["last"]][key]
    assert set(map(tuple, expected.to_numpy())) == set(map(tuple, members[key].to_numpy()))
    assert len(before) > len(members)  # some members were lost


def test_no_attrition_leaves_the_data_files_unchanged(attrition_pair, tmp_path):
    full, _ = attrition_pair
    simulate_dataset(tmp_path, seed=ATT_SEED, n_cases=24, n_waves=3, max_actors=30, bad_rows=False,
                     case_dropout=0.0, actor_dropout=0.0, informative_dropout=2.0)
    for w in ("w1", "w2", "w3"):
        for name in ATT_WAVE_FILES:
            assert (tmp_path / "waves" / w / name).read_bytes() == (full / "waves" / w / name).read_bytes()


def test_informative_dropout_hits_low_propensity_cases():
    from scipy.special import expit

    from netinnov.simulate.attrition import case_dropout_probabilities, draw_attrition

    rng = np.random.default_rng(3)
    eta = rng.normal(0.0, 2.0, (4000, 3))
    flat = case_dropout_probabilities(eta, 0.2, 0.0)
    assert np.allclose(flat[:, :2], 0.2) and np.isnan(flat[:, 2]).all()
    p = case_dropout_probabilities(eta, 0.2, 1.5)
    z = (eta[:, 0] - eta[:, 0].mean()) / eta[:, 0].std()
    # at the average propensity the rate; one SD lower, the odds times exp(1.5)
    odds = p[:, 0] / (1 - p[:, 0])
    assert np.allclose(np.log(odds) - np.log(0.25), -1.5 * z)
    assert np.corrcoef(p[:, 0], eta[:, 0])[0, 1] < -0.9
    # the drawn dropout follows p (binomial, 4 SE)
    attrition = draw_attrition(11, eta, np.zeros(10, dtype=int), 0.2, 0.0, 1.5)
    dropped = attrition.case_last == 0
    assert abs(dropped.mean() - p[:, 0].mean()) < 4 * np.sqrt(p[:, 0].mean() * (1 - p[:, 0].mean()) / 4000)
    low = z < -1
    assert dropped[low].mean() > expit(np.log(0.25) + 1.5) - 0.05
    # actor dropout: geometric from the entry wave
    entry = np.repeat([0, 1, 2], 20000)
    actors = draw_attrition(12, np.zeros((2, 3)), entry, 0.0, 0.3).actor_last
    assert abs((actors[entry == 0] == 0).mean() - 0.3) < 0.02
    assert abs((actors[entry == 0] == 1).mean() - 0.7 * 0.3) < 0.02
    assert abs((actors[entry == 1] == 1).mean() - 0.3) < 0.02 and (actors[entry == 1] >= 1).all()
    assert (actors[entry == 2] == 2).all()


def test_marginal_effects_match_numerical_integration():
    from netinnov.simulate import marginal_effects

    nodes, weights = np.polynomial.hermite_e.hermegauss(60)
    weights = weights / weights.sum()
    effects = true_effects(3, case_effect_sd=0.9)
    marginal = marginal_effects(effects)
    row = effects.index[(effects["outcome"] == "implemented") & (effects["term"] == "sector_blau")][0]
    beta, sigma = effects.at[row, "true_effect"], 0.9
    # population-averaged P(y = 1 | x) against logistic(marginal slope · x), x on a grid
    x = np.linspace(-1.5, 1.5, 13)
    averaged = (1 / (1 + np.exp(-(beta * x[:, None] + sigma * nodes[None, :])))) @ weights
    approx = 1 / (1 + np.exp(-marginal[row] * x))
    assert np.abs(averaged - approx).max() < 0.01
    assert marginal[row] < beta
    # Poisson: slopes unchanged, intercept + sigma^2/2 (s = 0.5 for diffusion) exactly
    diff = effects["outcome"] == "diffusion"
    slope = diff & (effects["term"] == "sector_blau")
    assert np.allclose(marginal[slope], effects.loc[slope, "true_effect"])
    icpt = diff & (effects["term"] == "Intercept")
    s = 0.5 * sigma
    assert np.allclose(np.exp(marginal[icpt].to_numpy()),
                       np.exp(effects.loc[icpt, "true_effect"].to_numpy()) * (np.exp(s * nodes) @ weights))
    assert marginal[effects["term"] == "case_effect_sd"].isna().all()


def test_recover_one_counts_the_rows_attrition_removes(tmp_path):
    from netinnov.simulate.recovery import RecoverySettings, recover_one

    settings = RecoverySettings(n_datasets=1, n_cases=40, case_dropout=0.2, actor_dropout=0.1, processes=1)
    result = recover_one(ATT_SEED, settings, tmp_path)
    panel = result["panel"].set_index("wave")["cases"]
    fits = result["fits"]
    assert (fits["error"] == "").all(), fits
    pooled, lagged = fits[~fits["lagged"].astype(bool)], fits[fits["lagged"].astype(bool)]
    assert (pooled["n"] == panel.sum()).all()
    # monotone attrition: a case-wave after w1 has its previous wave; the rest of a full panel is lost
    assert (lagged["n"] == panel[["w2", "w3"]].sum()).all()
    assert (lagged["lagged_rows_lost"] == 2 * 40 - panel[["w2", "w3"]].sum()).all()
    assert lagged["lagged_rows_lost"].iloc[0] > 0
    terms = result["terms"]
    assert {"implemented", "radicalness", "diffusion"} == set(terms["outcome"])
    inside = (terms["ci_low"] <= terms["marginal_effect"]) & (terms["marginal_effect"] <= terms["ci_high"])
    assert (inside == terms["covered"]).all()
    assert ((terms["p_value"] < 0.05) == terms["rejected"]).all()


def test_recovery_summary_mc_errors_by_hand():
    from netinnov.simulate.recovery import RecoverySettings, summarise

    terms = pd.DataFrame({
        "seed": [1, 1, 2, 2], "outcome": ["o"] * 4, "term": ["a", "b", "a", "b"],
        "true_effect": [1.0, 0.0, 1.0, 0.0], "marginal_effect": [1.0, 0.0, 1.0, 0.0],
        "estimate": [1.2, 0.1, 0.8, -0.1], "covered": [True, True, False, True],
        "covered_conditional": [True, True, False, True], "rejected": [True, False, True, True],
    })
    fits = pd.DataFrame({"lagged": [False, True], "n": [10, 6], "lagged_rows_lost": [np.nan, 2.0],
                         "error": ["", ""]})
    out = summarise(terms, fits, RecoverySettings(n_datasets=2))
    overall = out["overall"].set_index("measure")
    # per-dataset coverage 1.0 and 0.5: mean 0.75, MC error sd([1, 0.5]) / sqrt(2) = 0.25
    assert overall.at["coverage", "value"] == pytest.approx(0.75)
    assert overall.at["coverage", "mcse"] == pytest.approx(np.std([1.0, 0.5], ddof=1) / np.sqrt(2))
    assert overall.at["null_rejection", "value"] == pytest.approx(0.5)
    a = out["by_term"].set_index("term").loc["a"]
    assert a["coverage"] == 0.5 and a["coverage_mcse"] == pytest.approx(np.sqrt(0.25 / 2))
    assert a["bias"] == pytest.approx(0.0)


@pytest.mark.extended
def test_pooled_glms_keep_nominal_coverage_and_size_under_attrition():
    """Coverage >= 0.90 of the planted (population-averaged) effects, rejection of planted zeros <= 0.10."""
    from netinnov.simulate.recovery import RecoverySettings, run_recovery

    settings = RecoverySettings(n_datasets=16, n_cases=100, seed=ATT_SEED + 1000, processes=2)
    result = run_recovery(settings)
    overall = result["overall"].set_index("measure")
    assert overall.at["fit_failures", "value"] == 0
    assert overall.at["coverage", "value"] >= 0.90, result["by_term"]
    assert overall.at["null_rejection", "value"] <= 0.10, result["by_term"]
    assert overall.at["lagged_rows_lost", "value"] > 0
