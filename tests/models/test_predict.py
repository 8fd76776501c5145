"""Grouped, repeated cross-validation: no case on both sides of a split,
preprocessing learnt inside the training folds, reproducible with a seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from netinnov.models import predict
from netinnov.models.predict import (
    CV_COLUMNS,
    IMPORTANCE_COLUMNS,
    build_pipeline,
    cross_validate_model,
    grouped_splits,
)


def _panel(seed: int = 2, n_cases: int = 90, waves: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for w in range(waves):
        f = pd.DataFrame(
            {
                "wave": f"w{w + 1}",
                "case_id": [f"c{i:03d}" for i in range(n_cases)],
                "signal": rng.normal(size=n_cases),
                "noise": rng.normal(size=n_cases),
                "kind": rng.choice(["public", "mixed", "private"], n_cases),
            }
        )
        f["implemented"] = (rng.random(n_cases) < 1 / (1 + np.exp(-2.5 * f.signal))).astype(int)
        f["score"] = 2 * f.signal + rng.normal(scale=0.5, size=n_cases)
        f["count"] = rng.poisson(np.exp(0.5 + 0.6 * f.signal))
        f["rating"] = np.digitize(f.signal + rng.logistic(scale=0.3, size=n_cases), [-0.5, 0.5]) + 1
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return _panel()


def _spec(family: str, outcome: str, **extra) -> dict:
    return {
        "name": f"{outcome}_{family}",
        "outcome": outcome,
        "family": family,
        "predictors": ["signal", "noise", "C(kind)"],
        "cv_folds": 3,
        "cv_repeats": 2,
        "importance_repeats": 2,
        "estimators": ["baseline", "regularized"],
        **extra,
    }


@pytest.mark.parametrize("task", ["binary", "continuous"])
def test_a_case_is_never_in_both_train_and_test(panel, task):
    y = panel["implemented"].to_numpy() if task == "binary" else panel["score"].to_numpy()
    groups = panel["case_id"].to_numpy()
    for seed in range(4):
        held_out = np.zeros(len(y), dtype=int)
        for train, test in grouped_splits(y, groups, task=task, n_splits=5, seed=seed):
            assert not set(groups[train]) & set(groups[test])
            held_out[test] += 1
        assert (held_out == 1).all()  # every row is tested exactly once per repeat


def test_splits_change_with_the_seed_and_repeat_with_it(panel):
    y, groups = panel["score"].to_numpy(), panel["case_id"].to_numpy()
    first = [t.tolist() for _, t in grouped_splits(y, groups, task="continuous", n_splits=4, seed=1)]
    again = [t.tolist() for _, t in grouped_splits(y, groups, task="continuous", n_splits=4, seed=1)]
    other = [t.tolist() for _, t in grouped_splits(y, groups, task="continuous", n_splits=4, seed=2)]
    assert first == again and first != other


def test_scaling_and_encoding_are_steps_of_the_pipeline():
    pipe = build_pipeline("regularized", "binary", numeric=["a"], categorical=["k"], products=[("a", "b")])
    assert list(pipe.named_steps) == ["interactions", "prepare", "estimator"]
    transformers = {name: t for name, t, _ in pipe.named_steps["prepare"].transformers}
    assert isinstance(transformers["numeric"], StandardScaler)
    assert "a:b" in pipe.named_steps["prepare"].transformers[0][2]
    assert build_pipeline("forest", "binary", numeric=["a"], categorical=[]).named_steps["prepare"].transformers[0][1] == "passthrough"


def test_the_scaler_only_sees_training_rows(panel, monkeypatch):
    made = []

    def spy(*args, **kwargs):
        pipe = build_pipeline(*args, **kwargs)
        made.append(pipe)
        return pipe

    monkeypatch.setattr(predict, "build_pipeline", spy)
    spec = _spec("logit", "implemented", cv_repeats=1, cv_folds=3, importance_repeats=0)
    cross_validate_model(panel, spec, seed=1)
    fitted = [p for p in made if isinstance(p.named_steps["estimator"], LogisticRegression)]
    assert len(fitted) == 3
    n = len(panel)
    seen = [p.named_steps["prepare"].named_transformers_["numeric"].n_samples_seen_ for p in fitted]
    assert all(s < n for s in seen)
    assert sum(n - s for s in seen) == n  # the held-out rows of the folds make up the data once
    means = [p.named_steps["prepare"].named_transformers_["numeric"].mean_[0] for p in fitted]
    assert not np.isclose(means, panel["signal"].mean()).any()


def test_scores_are_reproducible_and_beat_the_baseline(panel):
    spec = _spec("logit", "implemented")
    cv1, imp1 = cross_validate_model(panel, spec, seed=7)
    cv2, imp2 = cross_validate_model(panel, spec, seed=7)
    pd.testing.assert_frame_equal(cv1, cv2)
    pd.testing.assert_frame_equal(imp1, imp2)
    assert list(cv1.columns) == CV_COLUMNS and list(cv1.columns[:6]) == ["model", "outcome", "metric", "mean", "std", "folds"]
    assert list(imp1.columns) == IMPORTANCE_COLUMNS
    scores = cv1.set_index(["estimator", "metric"])["mean"]
    assert scores[("baseline", "roc_auc")] == pytest.approx(0.5)
    assert scores[("regularized", "roc_auc")] > 0.8
    assert scores[("regularized", "log_loss")] < scores[("baseline", "log_loss")]
    assert (cv1["n_scores"] == 6).all() and (cv1["folds"] == 3).all() and (cv1["n_groups"] == 90).all()
    top = imp1.sort_values("importance_mean", ascending=False).iloc[0]
    assert top["feature"] == "signal"
    cv3, _ = cross_validate_model(panel, {**spec, "importance_repeats": 0}, seed=8)
    assert not np.allclose(cv1["mean"], cv3["mean"])


def test_counts_ordinal_and_trees(panel):
    spec = _spec("poisson", "count", estimators=["baseline", "regularized", "forest"], cv_repeats=1, importance_repeats=1)
    cv, imp = cross_validate_model(panel, spec, seed=1)
    s = cv.set_index(["estimator", "metric"])["mean"]
    assert set(cv["metric"]) == {"rmse", "r2"}
    assert s[("regularized", "rmse")] < s[("baseline", "rmse")]
    assert set(imp["estimator"]) == {"regularized", "forest"}
    cv, _ = cross_validate_model(panel, _spec("ordered_logit", "rating", cv_repeats=1, importance_repeats=0), seed=1)
    assert cv["note"].str.contains("ordinal outcome treated as continuous").all()


def test_interactions_and_functions_enter_the_design(panel):
    spec = _spec("ols", "score", predictors=["signal*noise", "np.exp(noise)"])
    sample = predict.prepare_samples(panel, predict.ModelSpec.from_config(spec), wave_effects=False)[0]
    X, numeric, categorical, products, notes = predict.design_frame(sample)
    assert list(X.columns) == ["signal", "noise", "np.exp(noise)"]
    assert products == [("signal", "noise")] and categorical == [] and notes == []
    np.testing.assert_allclose(X["np.exp(noise)"], np.exp(panel["noise"]))


def test_samples_that_cannot_be_cross_validated_give_notes(panel):
    one_case = panel[panel.case_id == "c000"]
    cv, imp = cross_validate_model(one_case, _spec("ols", "score"), seed=1)
    assert cv["mean"].isna().all() and cv["note"].str.contains("at least 2 cases").all()
    assert imp.empty
    cv, _ = cross_validate_model(panel, _spec("ols", "score", predictors=["missing_column"]), seed=1)
    assert cv["note"].str.contains("missing_column").all()
    flat = panel.assign(implemented=0)
    cv, _ = cross_validate_model(flat, _spec("logit", "implemented"), seed=1)
    assert cv["note"].str.contains("both classes").all()
