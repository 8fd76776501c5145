"""Non-respondents (members.csv ``responded``): validation, reconstruction of
their arcs, response rates, ``NA`` cells in the R exports, and no change at all
without the column."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from netinnov.config import resolve
from netinnov.io import validate_wave
from netinnov.metrics.wave import wave_tables
from netinnov.networks.nonresponse import (
    reconstruct_arcs,
    respondent_flags,
    response_rates,
    unobserved_dyads,
)
from netinnov.steps.exports import ABSENT, export_case


def flags(rows):
    return pd.DataFrame(rows, columns=["case_id", "actor_id", "responded"])


def ties(rows):
    t = pd.DataFrame(rows, columns=["case_id", "source", "target", "frequency", "n_records", "reciprocated"])
    return t.sort_values(["case_id", "source", "target"]).reset_index(drop=True)


# ----------------------------------------------------------------- reconstruction by hand
TIES = ties([
    ("c1", "a", "b", 3.0, 2, False),  # b is silent: b -> a is reconstructed from a's report
    ("c1", "c", "b", 1.0, 1, True),  # b reported b -> c itself: nothing added
    ("c1", "b", "c", 2.0, 1, True),
    ("c1", "c", "d", 4.0, 1, False),  # d silent, c -> d: d -> c reconstructed
    ("c1", "e", "a", 5.0, 1, False),  # a responded: nothing
    ("c2", "a", "b", 6.0, 1, False),  # in c2 b responded: nothing
])  # fmt: skip
FLAGS = flags([("c1", "a", True), ("c1", "b", False), ("c1", "c", True), ("c1", "d", False),
               ("c1", "e", True), ("c2", "a", True), ("c2", "b", True)])  # fmt: skip


def test_reconstruct_adds_the_reverse_of_reports_about_non_respondents():
    out = reconstruct_arcs(TIES, FLAGS, directed=True)
    added = out[out["reconstructed"]]
    assert list(zip(added["case_id"], added["source"], added["target"], strict=True)) == [
        ("c1", "b", "a"), ("c1", "d", "c")]  # fmt: skip
    assert list(added["frequency"]) == [3.0, 4.0]  # the partner's values
    assert (added["n_records"] == 0).all() and not added["reciprocated"].any()
    # reported arcs are kept as they are, in order
    reported = out[~out["reconstructed"]].drop(columns="reconstructed").reset_index(drop=True)
    pd.testing.assert_frame_equal(reported, TIES)
    keys = list(zip(out["case_id"], out["source"], out["target"], strict=True))
    assert keys == sorted(keys)


def test_observed_only_and_undirected_add_nothing():
    for kwargs in ({"directed": True, "mode": "observed_only"}, {"directed": False}):
        out = reconstruct_arcs(TIES, FLAGS, **kwargs)
        assert not out["reconstructed"].any()
        pd.testing.assert_frame_equal(out.drop(columns="reconstructed"), TIES)
    with pytest.raises(ValueError, match="nonrespondents"):
        reconstruct_arcs(TIES, FLAGS, directed=True, mode="impute")


def test_without_the_column_nothing_changes():
    members = pd.DataFrame({"case_id": ["c1"], "actor_id": ["a"]})
    assert respondent_flags(members) is None and respondent_flags(None) is None
    assert reconstruct_arcs(TIES, None, directed=True) is TIES
    rates = response_rates(None, pd.Series(["c1", "c2"]))
    assert rates["n_respondents"].isna().all() and rates["response_rate"].isna().all()


def test_response_rates_by_hand():
    rates = response_rates(FLAGS, pd.Series(["c1", "c2", "c3"])).set_index("case_id")
    assert rates.loc["c1", "n_respondents"] == 3 and rates.loc["c1", "response_rate"] == pytest.approx(3 / 5)
    assert rates.loc["c2", "response_rate"] == 1.0
    assert pd.isna(rates.loc["c3", "n_respondents"]) and np.isnan(rates.loc["c3", "response_rate"])


def test_unobserved_dyads():
    responded = np.array([True, False, False, True])
    both = unobserved_dyads(responded, directed=True)
    want = np.zeros((4, 4), bool)
    want[1, 2] = want[2, 1] = True
    np.testing.assert_array_equal(both, want)
    np.testing.assert_array_equal(unobserved_dyads(responded, directed=False, mode="observed_only"), want)
    rows = unobserved_dyads(responded, directed=True, mode="observed_only")
    want = np.zeros((4, 4), bool)
    want[1, [0, 2, 3]] = want[2, [0, 1, 3]] = True
    np.testing.assert_array_equal(rows, want)


# ----------------------------------------------------------------- validation
def _dataset(root, members: str, interactions: str | None = None):
    (root / "waves" / "w1").mkdir(parents=True)
    (root / "actors.csv").write_text(
        "actor_id,sector\n" + "".join(f"a{i},{s}\n" for i, s in enumerate(["public", "private"] * 4)),
        encoding="utf-8")
    (root / "waves/w1/interactions.csv").write_text(interactions or (
        "case_id,source,target,frequency,phase\n"
        "c1,a0,a1,2,initiation\nc1,a2,a1,1,design\nc1,a1,a3,1,implementation\nc1,a3,a0,1,design\n"
        "c1,a0,a2,1,implementation\nc2,a4,a5,3,initiation\nc2,a5,a6,1,design\nc2,a7,a4,1,implementation\n"
    ), encoding="utf-8")
    (root / "waves/w1/members.csv").write_text(members, encoding="utf-8")
    return root


GOOD = ["true", "TRUE", "yes", "Yes", "1", " false ", "No", "0"]
BAD = [("maybe", "responded not true/false"), ("2", "responded not true/false"),
       ("1.0", "responded not true/false"), ("", "empty value: responded"), ("NA", "empty value: responded")]


def test_responded_values_are_validated(tmp_path):
    lines = [f"c9,a{i % 8},{v}" for i, v in enumerate(GOOD)]  # c9: a case of members only
    lines += [f"c8,a{i},{v}" for i, (v, _) in enumerate(BAD)]
    lines += ["c9,a0,false"]  # a0 again in c9 with another value
    root = _dataset(tmp_path / "d", "case_id,actor_id,responded\n" + "\n".join(lines) + "\n")
    data = validate_wave(root, "w1")
    members = data.members.set_index("line")
    assert members["responded"].dtype == bool
    assert list(members["responded"]) == [True] * 5 + [False] * 3
    rejected = data.rejected[data.rejected["file"] == "waves/w1/members.csv"]
    assert list(zip(rejected["line"], rejected["reason"], strict=True)) == [
        (len(GOOD) + 2 + i, reason) for i, (_, reason) in enumerate(BAD)] + [
        (len(GOOD) + len(BAD) + 2, "duplicate member")]  # fmt: skip
    assert list(rejected["responded"]) == [v for v, _ in BAD] + ["false"]  # as written
    row = data.summary[data.summary["file"] == "waves/w1/members.csv"].iloc[0]
    assert row["rows_read"] == len(lines) == row["accepted"] + row["rejected"]
    assert row["rejected"] == len(BAD) + 1


def test_fail_mode_names_file_line_and_column(tmp_path):
    from netinnov.io import InputError

    root = _dataset(tmp_path / "d", "case_id,actor_id,responded\nc1,a0,true\nc1,a1,perhaps\n")
    with pytest.raises(InputError) as err:
        validate_wave(root, "w1", on_bad_rows="fail")
    assert (err.value.file, err.value.line, err.value.column) == ("waves/w1/members.csv", 3, "responded")
    assert "responded not true/false" in str(err.value)


# ----------------------------------------------------------------- the wave step
MEMBERS = "case_id,actor_id{}\n" + "".join(f"c1,a{i}{{}}\n" for i in range(4)) + "".join(
    f"c2,a{i}{{}}\n" for i in range(4, 8))


def _tables(tmp_path, name, responded, directed=True):
    if responded is None:
        text = MEMBERS.format("", *[""] * 8)
    else:
        text = MEMBERS.format(",responded", *[f",{v}" for v in responded])
    root = _dataset(tmp_path / name, text)
    options = resolve({"dataset": str(root), "directed": directed})
    return wave_tables(validate_wave(root, "w1", directed=directed), options)


def test_wave_step_without_the_column_is_unchanged(tmp_path):
    plain = _tables(tmp_path, "plain", None)
    everyone = _tables(tmp_path, "everyone", ["true"] * 8)
    assert "reconstructed" not in plain.ties.columns and "responded" not in plain.actors.columns
    assert plain.cases["n_respondents"].isna().all() and plain.cases["response_rate"].isna().all()
    # everyone responded: the same tables, plus the flags
    pd.testing.assert_frame_equal(plain.ties, everyone.ties.drop(columns="reconstructed"))
    assert not everyone.ties["reconstructed"].any()
    pd.testing.assert_frame_equal(plain.actors, everyone.actors.drop(columns="responded"))
    pd.testing.assert_frame_equal(plain.cases.drop(columns=["n_respondents", "response_rate"]),
                                  everyone.cases.drop(columns=["n_respondents", "response_rate"]))
    assert list(everyone.cases["response_rate"]) == [1.0, 1.0]
    for name in ("phases", "phase_tests"):
        pd.testing.assert_frame_equal(plain.extra[name], everyone.extra[name])


def test_wave_step_reconstructs_and_counts_respondents(tmp_path):
    # a1 and a5 did not respond
    got = _tables(tmp_path, "some", ["true", "false", "true", "true", "true", "false", "true", "true"])
    t = got.ties
    added = t[t["reconstructed"]]
    # a0 -> a1 and a2 -> a1 give a1 -> a0 and a1 -> a2 (a1 -> a3 was reported); a4 -> a5 gives a5 -> a4
    assert sorted(zip(added["source"], added["target"], strict=True)) == [("a1", "a0"), ("a1", "a2"), ("a5", "a4")]
    assert (added["n_records"] == 0).all() and not added["reciprocated"].any()
    cases = got.cases.set_index("case_id")
    assert cases.loc["c1", "n_respondents"] == 3 and cases.loc["c1", "response_rate"] == 0.75
    actors = got.actors.set_index("actor_id")
    assert not actors.loc["a1", "responded"] and actors.loc["a0", "responded"]
    # observed_only keeps the reported arcs only
    root = tmp_path / "some"
    options = resolve({"dataset": str(root), "directed": True, "nonrespondents": "observed_only"})
    observed = wave_tables(validate_wave(root, "w1", directed=True), options)
    assert not observed.ties["reconstructed"].any() and len(observed.ties) == len(t) - 3


# ----------------------------------------------------------------- exports
def _export(tmp_path, name, *, directed, mode, responded):
    ids = ["a", "b", "c", "d", "e"]
    actors = {
        "w1": pd.DataFrame({"case_id": "k", "actor_id": ids}),
        "w2": pd.DataFrame({"case_id": "k", "actor_id": ids[:4]}),  # e absent in w2
    }
    if responded is not None:
        for frame in actors.values():
            frame["responded"] = [responded[a] for a in frame["actor_id"]]
    arcs = [("a", "b"), ("b", "a"), ("c", "a"), ("b", "e")]
    ties = {w: pd.DataFrame([(s, t) for s, t in arcs if {s, t} <= set(actors[w]["actor_id"])],
                            columns=["source", "target"]).assign(case_id="k") for w in actors}
    folder = tmp_path / name
    export_case(folder, "k", ["w1", "w2"], actors, ties, pd.DataFrame(index=pd.Index(ids)), directed=directed,
                changing=(), nonrespondents=mode)
    return folder, ids, arcs, actors


@pytest.mark.parametrize(("directed", "mode"), [(True, "reconstruct"), (True, "observed_only"),
                                                (False, "reconstruct")])
def test_exports_write_na_for_unobserved_dyads(tmp_path, directed, mode):
    responded = {"a": True, "b": False, "c": True, "d": False, "e": False}
    folder, ids, arcs, actors = _export(tmp_path, "x", directed=directed, mode=mode, responded=responded)
    for w, frame in actors.items():
        present = set(frame["actor_id"])
        tied = {(s, t) for s, t in arcs if {s, t} <= present}
        if not directed:
            tied |= {(t, s) for s, t in tied}
        want = np.zeros((5, 5))
        for (i, a), (j, b) in itertools.product(enumerate(ids), enumerate(ids)):
            if i == j:
                continue
            if a not in present or b not in present:
                want[i, j] = ABSENT
            elif (a, b) in tied:
                want[i, j] = 1
            elif not responded[a] and (not responded[b] or (directed and mode == "observed_only")):
                want[i, j] = np.nan
        got = pd.read_csv(folder / f"network_{w}.txt", sep=" ", header=None, na_values="NA").to_numpy(dtype=float)
        np.testing.assert_array_equal(got, want)
    assert "NA" in (folder / "network_w1.txt").read_text()


def test_exports_without_the_column_or_without_non_respondents_are_the_same_bytes(tmp_path):
    plain, *_ = _export(tmp_path, "plain", directed=True, mode="reconstruct", responded=None)
    everyone, *_ = _export(tmp_path, "all", directed=True, mode="observed_only", responded=dict.fromkeys("abcde", True))
    for w in ("w1", "w2"):
        assert (plain / f"network_{w}.txt").read_bytes() == (everyone / f"network_{w}.txt").read_bytes()
        assert "NA" not in (plain / f"network_{w}.txt").read_text()
