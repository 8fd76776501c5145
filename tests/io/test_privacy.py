"""Pseudonymisation: keyed hashes against the hmac/hashlib reference, key
handling, a wave pseudonymised at ingest, and the whole pipeline with
``pseudonymize: true`` leaving no actor id or organisation name in any output."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.snakemake import run_snakemake
from helpers.tiny_dataset import write_file
from netinnov.cli import main
from netinnov.io import privacy, validate_wave
from netinnov.io.privacy import (
    KEY_CONFIG,
    KEY_ENV,
    PseudonymError,
    Pseudonymizer,
    load_key,
    pseudonym,
    pseudonymize_wave,
    write_pseudonym_map,
)

KEY = b"k" * 8 + b"0123456789abcdef"
OTHER_KEY = b"another key of enough length"


def reference(value: str, key: bytes, prefix: str = "P") -> str:
    """The pseudonym computed with the standard library's generic HMAC object."""
    return prefix + hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


# --------------------------------------------------------------------- hashing
def test_pseudonym_is_a_truncated_hmac_sha256():
    # RFC 4231, test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?")
    assert pseudonym("what do ya want for nothing?", b"Jefe") == "P5bdcc146bf60754e"
    for value in ["A0001", "housing_agency_001", "Ærø kommune", "id with spaces", "0"]:
        assert pseudonym(value, KEY) == reference(value, KEY)
        assert pseudonym(value, KEY, "O") == reference(value, KEY, "O")
        assert re.fullmatch(r"P[0-9a-f]{16}", pseudonym(value, KEY))


def test_pseudonym_is_stable_and_depends_on_the_key():
    ids = [f"A{i:04d}" for i in range(200)]
    first = [pseudonym(v, KEY) for v in ids]
    assert first == [pseudonym(v, KEY) for v in ids]
    other = [pseudonym(v, OTHER_KEY) for v in ids]
    assert all(a != b for a, b in zip(first, other, strict=True))
    assert len(set(first)) == len(ids)


def test_column_replaces_distinct_values_and_keeps_empty_ones():
    values = pd.Series(["A1", "A2", np.nan, "A1", "", " A2 "], index=[5, 6, 7, 8, 9, 10])
    names = Pseudonymizer(KEY)
    out = names.column(values, strip=True)
    assert list(out.index) == list(values.index)
    p1, p2 = reference("A1", KEY), reference("A2", KEY)
    assert pd.isna(out.iloc[2])
    assert out.drop(index=7).tolist() == [p1, p2, p1, "", p2]
    mapping = names.mapping()
    assert list(mapping.columns) == ["kind", "raw", "pseudonym"]
    assert dict(zip(mapping["raw"], mapping["pseudonym"], strict=True)) == {
        "A1": reference("A1", KEY), "A2": reference("A2", KEY)
    }


def test_collision_is_an_error(monkeypatch):
    # with one hex digit, 40 distinct ids cannot get 40 distinct pseudonyms
    monkeypatch.setattr(privacy, "DIGITS", 1)
    names = Pseudonymizer(KEY)
    names.column(pd.Series([f"A{i}" for i in range(40)]))
    with pytest.raises(PseudonymError, match="collision"):
        names.mapping()


# --------------------------------------------------------------------- the key
def test_missing_key_names_the_variable_and_the_config_key():
    with pytest.raises(PseudonymError) as err:
        load_key(None, environ={})
    assert KEY_ENV in str(err.value) and KEY_CONFIG in str(err.value)
    with pytest.raises(PseudonymError, match=KEY_ENV):
        load_key("", environ={KEY_ENV: "   "})


def test_key_from_the_environment_and_from_a_file(tmp_path):
    assert load_key(environ={KEY_ENV: "  " + KEY.decode() + "\n"}) == KEY
    key_file = tmp_path / "secret" / "netinnov.key"
    key_file.parent.mkdir()
    key_file.write_bytes(OTHER_KEY + b"\n")
    # the file named in the config wins over the environment
    assert load_key(key_file, environ={KEY_ENV: KEY.decode()}) == OTHER_KEY
    with pytest.raises(PseudonymError, match="does not exist"):
        load_key(tmp_path / "nope.key", environ={})
    with pytest.raises(PseudonymError, match="at least 16"):
        load_key(environ={KEY_ENV: "short"})


def test_key_file_inside_the_results_folder_is_refused(tmp_path):
    results = tmp_path / "results" / "mydata"
    key_file = results / "waves" / "key.txt"
    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(KEY)
    with pytest.raises(PseudonymError, match="inside"):
        load_key(key_file, forbidden=[results], environ={})
    # a relative path that resolves into the folder is refused as well
    relative = os.path.relpath(key_file, Path.cwd())
    with pytest.raises(PseudonymError, match="inside"):
        load_key(relative, forbidden=[results], environ={})
    assert privacy.results_folders(results / "waves" / "w1") == [results.resolve(), (tmp_path / "results").resolve()]


def test_map_inside_the_results_folder_is_refused(tmp_path):
    mapping = Pseudonymizer(KEY).mapping()
    with pytest.raises(PseudonymError, match="outside"):
        write_pseudonym_map(mapping, tmp_path / "results" / "d" / "map.csv", forbidden=[tmp_path / "results"])
    path = write_pseudonym_map(mapping, tmp_path / "private" / "d" / "w1.pseudonym-map.csv")
    assert path.read_text().splitlines() == ["kind,raw,pseudonym"]


# --------------------------------------------------------------------- a wave
@pytest.fixture()
def dataset(tmp_path) -> Path:
    """Two waves; wave w1 has unknown actors, records with too many and too few
    fields (holding organisation names and actor ids), padded ids and rosters."""
    root = tmp_path / "data" / "mydata"
    write_file(root / "actors.csv", "actor_id,sector,organization,age\n"
           "ann,public,city_hall,40\nbob,private,acme_ltd,50\ncid,civil_society,,33\n"
           "dee,public,city_hall,29\n")
    write_file(root / "waves/w1/interactions.csv", "case_id,source,target,frequency,channel\n"
           "c1,ann,bob,2,meeting\nc1, bob ,cid,1,email\nc1,ann,zed_unknown,1,email\n"
           "c1,dee,ann,1,meeting,acme_ltd,bob\nc2,cid,dee,3,phone\nc2, cid ,cid,1,phone\n"
           "c2,dee,cid,city_hall\n")
    write_file(root / "waves/w1/participation.csv", "case_id,event_id,actor_id\n"
           "c1,e1,ann\nc1,e1,dee\nc2,e2,cid\nc2,e2,yul_unknown\n")
    write_file(root / "waves/w1/members.csv", "case_id,actor_id\nc1,ann\nc1,bob\nc1,cid\nc1,dee\n"
           "c2,cid\nc2,dee\nc2,xan_unknown\n")
    write_file(root / "waves/w1/roles.csv", "case_id,actor_id,role\nc1,ann,convener\nc1,vic_unknown,catalyst\n")
    write_file(root / "waves/w1/outcomes.csv", "case_id,implemented\nc1,1\nc2,0\n")
    write_file(root / "waves/w2/actors.csv", "actor_id,sector,organization,age\neve,citizen,,61\n")
    write_file(root / "waves/w2/interactions.csv", "case_id,source,target\nc1,eve,ann\nc1,bob,dee\n")
    return root


RAW_IDS = {"ann", "bob", "cid", "dee", "eve", "zed_unknown", "yul_unknown", "xan_unknown", "vic_unknown"}
RAW_ORGS = {"city_hall", "acme_ltd"}


def _tokens(frame: pd.DataFrame) -> set[str]:
    text = frame.astype(str).to_csv(index=False)
    return set(re.findall(r"[A-Za-z0-9_]+", text))


def test_wave_is_pseudonymised_everywhere(dataset):
    raw = validate_wave(dataset, "w1")
    data, mapping = pseudonymize_wave(raw, KEY)
    # every frame keeps its shape; nothing raw is left in any of them
    for name in ("actors", "interactions", "participation", "roles", "members", "outcomes", "rejected"):
        before, after = getattr(raw, name), getattr(data, name)
        assert after.shape == before.shape and list(after.columns) == list(before.columns), name
        assert not (_tokens(after) & (RAW_IDS | RAW_ORGS)), name
    pd.testing.assert_frame_equal(data.summary, raw.summary)
    # ids map one to one, with the reference function; case and event ids are kept
    to_p = {v: reference(v, KEY) for v in RAW_IDS}
    assert data.interactions["source"].tolist() == [to_p[v] for v in raw.interactions["source"]]
    assert data.interactions["target"].tolist() == [to_p[v] for v in raw.interactions["target"]]
    assert data.members["actor_id"].tolist() == [to_p[v] for v in raw.members["actor_id"]]
    assert data.participation["event_id"].tolist() == raw.participation["event_id"].tolist()
    assert data.interactions["case_id"].tolist() == raw.interactions["case_id"].tolist()
    orgs = data.actors["organization"]
    assert orgs.isna().tolist() == raw.actors["organization"].isna().tolist()
    assert orgs.dropna().tolist() == [reference(v, KEY, "O") for v in raw.actors["organization"].dropna()]
    # rejected rows: unknown actors hashed like known ones; the padded id like its stripped form
    rejected = data.rejected.set_index(["file", "line"])
    assert rejected.loc[("waves/w1/interactions.csv", 4), "target"] == to_p["zed_unknown"]
    assert rejected.loc[("waves/w1/participation.csv", 5), "actor_id"] == to_p["yul_unknown"]
    assert rejected.loc[("waves/w1/members.csv", 8), "actor_id"] == to_p["xan_unknown"]
    assert rejected.loc[("waves/w1/roles.csv", 3), "actor_id"] == to_p["vic_unknown"]
    assert rejected.loc[("waves/w1/interactions.csv", 7), "source"] == to_p["cid"]
    # records with the wrong number of fields: every field replaced, organisations as such
    long = rejected.loc[("waves/w1/interactions.csv", 5)]
    assert long["reason"] == "wrong number of fields"
    assert long["case_id"] == reference("c1", KEY) and long["source"] == to_p["dee"]
    assert long["channel"] == reference("meeting", KEY)
    assert long["_extra_fields"] == reference("acme_ltd,bob", KEY)
    short = rejected.loc[("waves/w1/interactions.csv", 8)]
    assert short["reason"] == "wrong number of fields"
    assert short["frequency"] == reference("city_hall", KEY, "O") and short["channel"] == ""
    # the map undoes the replacement
    back = dict(zip(mapping["pseudonym"], mapping["raw"], strict=True))
    assert [back[p] for p in data.interactions["source"]] == raw.interactions["source"].tolist()
    assert set(mapping.loc[mapping["kind"] == "organization", "raw"]) == RAW_ORGS
    assert {"zed_unknown", "yul_unknown", "xan_unknown", "vic_unknown"} <= set(mapping["raw"])


def test_same_actor_gets_the_same_pseudonym_in_every_wave(dataset):
    w1, _ = pseudonymize_wave(validate_wave(dataset, "w1"), KEY)
    w2, _ = pseudonymize_wave(validate_wave(dataset, "w2"), KEY)
    common = w1.actors.merge(w2.actors, on="actor_id", suffixes=("_1", "_2"))
    assert len(common) == 4
    assert (common["organization_1"].fillna("") == common["organization_2"].fillna("")).all()
    w2_other, _ = pseudonymize_wave(validate_wave(dataset, "w2"), OTHER_KEY)
    assert not set(w2.actors["actor_id"]) & set(w2_other.actors["actor_id"])


def _ingest(dataset: Path, out: Path, mapfile: Path | None, **options) -> int:
    argv = ["validate-wave", "--dataset", str(dataset), "--wave", "w1", "--out", str(out),
            "--options", json.dumps({"pseudonymize": True, **options})]
    if mapfile is not None:
        argv += ["--pseudonym-map", str(mapfile)]
    return main(argv)


def test_ingest_step(dataset, tmp_path, monkeypatch, capsys):
    out = tmp_path / "results" / "mydata" / "waves" / "w1"
    mapfile = tmp_path / "private" / "mydata" / "w1.pseudonym-map.csv"
    monkeypatch.delenv(KEY_ENV, raising=False)
    assert _ingest(dataset, out, mapfile) == 2
    assert KEY_ENV in capsys.readouterr().err and not out.exists()
    # a key file in the results folder, a map in the results folder: refused
    inside = tmp_path / "results" / "key.txt"
    inside.parent.mkdir(parents=True)
    inside.write_bytes(KEY)
    assert _ingest(dataset, out, mapfile, pseudonym_key_file=str(inside)) == 2
    assert "inside" in capsys.readouterr().err
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    assert _ingest(dataset, out, out.parents[1] / "map.csv") == 2
    assert "outside the results folder" in capsys.readouterr().err and not out.exists()
    # with the key: pseudonyms only, the map outside results/, no id in the log
    log = tmp_path / "ingest.log"
    assert main(["validate-wave", "--log", str(log), "--dataset", str(dataset), "--wave", "w1", "--out", str(out),
                 "--options", json.dumps({"pseudonymize": True}), "--pseudonym-map", str(mapfile)]) == 0
    tables = [pd.read_parquet(p) for p in sorted((out / "validated").glob("*.parquet"))]
    tables.append(pd.read_csv(out / "rejected.csv", dtype=str))
    for frame in tables:
        assert not (_tokens(frame) & (RAW_IDS | RAW_ORGS))
    assert not set(re.findall(r"[A-Za-z0-9_]+", log.read_text())) & (RAW_IDS | RAW_ORGS)
    assert RAW_IDS - {"eve"} <= set(pd.read_csv(mapfile, dtype=str)["raw"])  # eve joins in w2
    # a rerun with the same key writes the same bytes
    first = {p.name: p.read_bytes() for p in [*out.rglob("*.parquet"), out / "rejected.csv", mapfile]}
    assert _ingest(dataset, out, mapfile) == 0
    assert first == {p.name: p.read_bytes() for p in [*out.rglob("*.parquet"), out / "rejected.csv", mapfile]}


# --------------------------------------------------------------------- the pipeline
def _raw_names(dataset: Path) -> tuple[set[str], set[str]]:
    """Every actor id (also unknown ones) and organisation name of the input files."""
    ids, orgs = set(), set()
    for path in dataset.rglob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in ("actor_id", "source", "target"):
            if col in frame.columns:
                ids |= {v.strip() for v in frame[col] if v.strip()}
        if "organization" in frame.columns and path.name == "actors.csv":
            orgs |= {v.strip() for v in frame["organization"] if v.strip()}
    return ids, orgs


def _text(path: Path) -> str:
    if path.suffix == ".parquet":
        return pd.read_parquet(path).astype(str).to_csv(index=False)
    return path.read_bytes().decode("utf-8", errors="replace")


@pytest.mark.pipeline
@pytest.mark.slow  # a whole pipeline run
def test_pipeline_outputs_hold_no_raw_identifier(tmp_path):
    from netinnov.simulate import simulate_dataset

    data = tmp_path / "study"
    simulate_dataset(data, n_cases=5, n_waves=2, min_actors=8, max_actors=14, seed=11)
    ids, orgs = _raw_names(data)
    known = set(pd.read_csv(data / "actors.csv", dtype=str)["actor_id"])
    known |= set(pd.read_csv(data / "waves" / "w2" / "actors.csv", dtype=str)["actor_id"])
    assert len(ids) > 40 and len(orgs) > 5 and ids - known  # planted unknown actors too
    env = {**os.environ, KEY_ENV: KEY.decode()}
    work = tmp_path / "work"
    run_snakemake(work, "--cores", "2", "--config", f"dataset={data}", "pseudonymize=true",
                  "ei_permutations=20", "case_reports=2", env=env)
    results = work / "results" / "study"
    made = [p for p in results.rglob("*") if p.is_file() and p.name != ".snakemake_timestamp"]
    suffixes = {p.suffix for p in made}
    assert {".csv", ".parquet", ".graphml", ".ipynb", ".html", ".log", ".json", ".txt"} <= suffixes
    for wave in ("w1", "w2"):
        for name in ("ties.csv", "actors.csv", "cases.csv", "rejected.csv"):
            assert (results / "waves" / wave / name).is_file()
        assert (results / "reports" / f"wave_{wave}.html").is_file()
    assert (results / "manifest.json").is_file() and (results / "models" / "coefficients.csv").is_file()
    token = re.compile(r"[A-Za-z0-9_]+")
    leaks = {}
    for path in made:
        found = set(token.findall(_text(path))) & (ids | orgs)
        if found:
            leaks[str(path.relative_to(results))] = sorted(found)[:5]
    assert not leaks
    # the map lies next to results/, not in it, and lists every id of the inputs
    maps = sorted((work / "private" / "study").glob("*.pseudonym-map.csv"))
    assert [p.name for p in maps] == ["w1.pseudonym-map.csv", "w2.pseudonym-map.csv"]
    mapped = set().union(*(set(pd.read_csv(p, dtype=str)["raw"]) for p in maps))
    assert ids | orgs <= mapped
    # the same actor ids came through as pseudonyms
    actors = pd.read_csv(results / "waves" / "w1" / "actors.csv", dtype=str)
    assert actors["actor_id"].str.fullmatch(r"P[0-9a-f]{16}").all()
