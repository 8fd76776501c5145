"""``netinnov import --format survey``: wide name-generator exports (Qualtrics,
LimeSurvey, hand-made), the name map and its edit-and-rerun workflow, and
``netinnov validate`` on the result (docs/import.md, "Survey exports")."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.import_rows import edges as _edges
from helpers.import_rows import members as _members
from helpers.import_rows import rows as _rows
from netinnov.cli import main
from netinnov.io import validate_dataset
from netinnov.io.importers import ImportFileError, ReadOptions, import_files
from netinnov.io.importers.survey import SlotPattern, normalise_name
from netinnov.io.values import MISSING_TOKENS


def _validated(out: Path, directed: bool = True):
    results, text = validate_dataset(out, directed=directed)
    for data in results.values():
        assert not isinstance(data, Exception), text
        assert len(data.rejected) == 0, data.rejected
    return results


SPEC = {
    "respondent": "ResponseId",
    "respondent_name": "Q1",
    "alters": "Q5_{k}",
    "interpreters": {"frequency": "Q6_{k}", "closeness": "Q7_{k}", "sector": "Q8_{k}"},
    "attributes": {"sector": "Q2", "organization": "Q3"},
}

# Qualtrics: row 2 the question text (one cell over two lines), row 3 ImportIds
QUALTRICS = '''StartDate,ResponseId,Q1,Q2,Q3,Q5_1,Q5_2,Q5_3,Q6_1,Q6_2,Q6_3,Q7_1,Q7_2,Q7_3,Q8_1,Q8_2,Q8_3
Start Date,Response ID,Your name,Your sector,Your organisation,"Who do you work with? - Person 1","Who do
you work with? - Person 2",Person 3,How often 1,How often 2,How often 3,Close 1,Close 2,Close 3,Sector 1,Sector 2,Sector 3
"{""ImportId"":""startDate""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1_TEXT""}",{"ImportId":"QID2"},x,x,x,x,x,x,x,x,x,x,x,x,x
2024-01-01,R_a,Anna Berg,public,"City, Dept ""A""",  bo   o'neil ,"Smith, ""Jo"" Ltd",,3,2,,4,5,,public,private,
2024-01-02,R_b,Bo O'Neil,private,Firm,anna berg,Zoe\u0308 Ünal,zoë ünal,1,2,2,3,x,1,,public,public
2024-01-03,R_c,Cy,civil_society,,,,,,,,,,,,,
2024-01-04,R_d,Dee,public,,Dee,Anna Berg,NA,1,0,,,,,,,
2024-01-05,,Ghost,public,,Anna Berg,,,1,,,,,,,,
2024-01-06,R_a,Anna again,public,,Cy,,,1,,,,,,,,
'''.replace("\\u0308", "\u0308")


def _write(tmp_path: Path, text: str, name: str = "survey.csv") -> Path:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    return src


def _survey(tmp_path: Path, text: str = QUALTRICS, spec: dict | None = None, out: str = "out", **kw):
    src = _write(tmp_path, text)
    accounts, summary = import_files([src], tmp_path / out, fmt="survey",
                                     options=ReadOptions(spec=dict(spec or SPEC)), **kw)
    return tmp_path / out, accounts[0], summary


def test_qualtrics_export_headers_names_interpreters_and_rejections(tmp_path):
    out, account, summary = _survey(tmp_path)
    assert any("Qualtrics header rows skipped: 2" in n and "line(s) 2, 4" in n for n in account.notes)
    # records: 6 respondent rows + 9 non-empty alter cells ("NA" is an empty slot)
    assert sorted((r.line, r.column, r.reason) for r in account.rejected) == [
        (6, 13, "closeness not a number"),  # R_b's second alter: Q7_2 = x
        (8, 6, "self-loop (the respondent named themselves)"),  # Dee names Dee
        (8, 10, "non-positive frequency"),  # Q6_2 = 0
        (9, 2, "respondent empty id"),
        (9, 6, "respondent row rejected"),
        (10, 2, "duplicate respondent id"),
        (10, 6, "respondent row rejected"),
    ]
    assert account.read == 6 + 9 == account.accepted + len(account.rejected)
    assert [(r["line"], r["column"]) for r in _rows(out / "import_rejected.csv")][:2] == [("6", "13"), ("8", "6")]
    assert any("missing-value token" in n for n in account.notes)
    # names matched to respondents (case, spaces, NFC); the others get name_ ids
    assert _edges(out) == [
        ("survey", "R_a", "R_b", 3.0),
        ("survey", "R_a", "name_0001", 2.0),
        ("survey", "R_b", "R_a", 1.0),
        ("survey", "R_b", "name_0002", 2.0),  # "zoë ünal", the decomposed spelling was rejected (closeness)
    ]
    rows = _rows(out / "waves" / "w1" / "interactions.csv")
    assert [r["closeness"] for r in rows] == ["4", "5", "3", "1"]
    # R_c named nobody and Dee's only accepted answer was none: isolates stay
    assert _members(out) == [("survey", a) for a in ["R_a", "R_b", "R_c", "R_d", "name_0001", "name_0002"]]
    actors = {r["actor_id"]: r for r in _rows(out / "actors.csv")}
    assert actors["R_a"]["organization"] == 'City, Dept "A"'
    assert actors["R_b"]["sector"] == "private"  # own answer wins over Anna's report
    assert actors["name_0001"]["sector"] == "private" and actors["name_0002"]["sector"] == "public"
    assert any("differ from an earlier answer" in n for n in account.notes)
    # the name map: names as typed, keys, ids, how matched, counts and rows
    table = _rows(out / "name_map.csv")
    by_name = {r["name"]: r for r in table}
    assert by_name['Smith, "Jo" Ltd'] == {"name": 'Smith, "Jo" Ltd', "key": 'smith, "jo" ltd', "actor_id": "name_0001",
                                          "matched_by": "new", "times_named": "1", "rows": "survey.csv:5"}
    assert by_name["bo o'neil"]["actor_id"] == "R_b" and by_name["bo o'neil"]["matched_by"] == "respondent"
    assert by_name["Zoë Ünal"]["times_named"] == "1" and by_name["zoë ünal"]["actor_id"] == "name_0002"
    assert by_name["Anna Berg"]["rows"] == "survey.csv:8"  # Dee's row (the ghost's row was rejected)
    assert by_name["Cy"] == {"name": "Cy", "key": "cy", "actor_id": "R_c", "matched_by": "respondent",
                             "times_named": "0", "rows": ""}
    assert [r["key"] for r in table] == sorted(r["key"] for r in table)
    # no name in the rejections file, nor in the account's messages
    text = (out / "import_rejected.csv").read_text(encoding="utf-8")
    assert "Anna" not in text and "R_a" not in text
    assert not any("Anna" in n or "Zo" in n for n in account.notes)
    _validated(out)


def test_edited_name_map_merges_two_spellings(tmp_path):
    text = ("id,name,a1,a2\n1,Ann,Jon Smith,Kim\n2,Bob,John  Smith,\n3,Cat,jon smith,Lee\n")
    spec = {"respondent": "id", "respondent_name": "name", "alters": "a{k}"}
    out, account, _ = _survey(tmp_path, text, spec)
    table = _rows(out / "name_map.csv")
    ids = {r["key"]: r["actor_id"] for r in table}
    assert ids == {"ann": "1", "bob": "2", "cat": "3", "jon smith": "name_0001", "kim": "name_0002",
                   "john smith": "name_0003", "lee": "name_0004"}
    assert {r["name"]: r["times_named"] for r in table}["Jon Smith"] == "1"
    assert len({t for _, _, t, _ in _edges(out)}) == 4  # "Jon Smith" and "jon smith" are one key already
    # the user merges "jon smith" into "john smith" and renames Kim's id
    edited = tmp_path / "edited.csv"
    for r in table:
        if r["key"] == "jon smith":
            r["actor_id"] = "name_0003"
        if r["key"] == "kim":
            r["actor_id"] = "kim_k"
    with open(edited, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(table[0]))
        w.writeheader()
        w.writerows(table)
    out2, account2, _ = _survey(tmp_path, text, {**spec, "name_map": edited}, out="out2")
    assert _edges(out2) == [("survey", "1", "name_0003", 1.0), ("survey", "1", "kim_k", 1.0),
                            ("survey", "2", "name_0003", 1.0), ("survey", "3", "name_0003", 1.0),
                            ("survey", "3", "name_0004", 1.0)]
    again = _rows(out2 / "name_map.csv")
    assert {(r["name"], r["actor_id"], r["matched_by"]) for r in again if r["key"] in ("jon smith", "john smith")} == {
        ("Jon Smith", "name_0003", "name_map"), ("jon smith", "name_0003", "name_map"),
        ("John Smith", "name_0003", "name_map")}
    assert any("3 from --name-map" in n or "from --name-map" in n for n in account2.notes)
    _validated(out2)
    # a new name on the rerun gets a fresh id, never one the map holds
    text3 = text + "4,Dan,Nora,\n"
    out3, _, _ = _survey(tmp_path, text3, {**spec, "name_map": edited}, out="out3")
    assert ("survey", "4", "name_0005") in {e[:3] for e in _edges(out3)}


def test_name_map_two_ids_for_one_key_is_refused(tmp_path):
    bad = tmp_path / "map.csv"
    bad.write_text("name,key,actor_id\nJo,jo,a\nJO,jo,b\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="two different actor ids") as err:
        _survey(tmp_path, "id,a1\n1,Jo\n", {"respondent": "id", "alters": "a{k}", "name_map": bad})
    assert err.value.line == 3 and "Jo" not in str(err.value).replace(str(tmp_path), "")


def test_limesurvey_semicolons_regex_slots_and_case_column(tmp_path):
    text = ("id;project;Q5[SQ001];Q5[SQ002];Q6[SQ001];Q6[SQ002]\n"
            "7;p1;Ann;Bo;1,5;2\n8;p1;;;;\n9;p2;Ann;;3;\n10;;Bo;;1;\n")
    spec = {"respondent": "id", "case_column": "project", "alters": r"re:^Q5\[SQ(\d+)\]$",
            "interpreters": {"frequency": "Q6[SQ{k}]"}}
    out, account, _ = _survey(tmp_path, text, spec)
    assert _edges(out) == [("p1", "7", "name_0001", 1.5), ("p1", "7", "name_0002", 2.0),
                           ("p2", "9", "name_0001", 3.0)]
    assert _members(out) == [("p1", "7"), ("p1", "8"), ("p1", "name_0001"), ("p1", "name_0002"),
                             ("p2", "9"), ("p2", "name_0001")]
    assert [(r.line, r.column, r.reason) for r in account.rejected] == [
        (5, 2, "empty case id"), (5, 3, "respondent row rejected")]
    _validated(out)
    with pytest.raises(ImportFileError, match="--case is for a file of one case"):
        _survey(tmp_path, text, spec, out="o2", cases=["x"])


def test_mapping_file_equals_command_line_options(tmp_path, capsys):
    src = _write(tmp_path, QUALTRICS, "wave1.csv")
    args = ["import", str(src), "--format", "survey", "--respondent", "ResponseId", "--respondent-name", "Q1",
            "--alters", "Q5_{k}", "--interpreter", "frequency=Q6_{k}", "--interpreter", "closeness=Q7_{k}",
            "--interpreter", "sector=Q8_{k}", "--attribute", "sector=Q2", "--attribute", "organization=Q3"]
    assert main([*args, "--out", str(tmp_path / "cli"), "--wave", "2024"]) == 0
    printed = capsys.readouterr().out
    assert "read 15 = accepted 8 + rejected 7" in printed and "Qualtrics header rows skipped" in printed
    assert "Anna" not in printed and "R_a" not in printed
    (tmp_path / "map.yaml").write_text(
        "format: survey\nrespondent: ResponseId\nrespondent_name: Q1\nalters: Q5_{k}\n"
        "interpreters:\n  frequency: Q6_{k}\n  closeness: Q7_{k}\n  sector: Q8_{k}\n"
        "attributes:\n  sector: Q2\n  organization: Q3\n", encoding="utf-8")
    assert main(["import", str(src), "--mapping", str(tmp_path / "map.yaml"), "--out", str(tmp_path / "yaml"),
                 "--wave", "2024"]) == 0
    for name in ("actors.csv", "name_map.csv", "waves/2024/interactions.csv", "waves/2024/members.csv"):
        assert (tmp_path / "cli" / name).read_text() == (tmp_path / "yaml" / name).read_text()
    assert main(["validate", str(tmp_path / "yaml"), "--directed"]) == 0
    capsys.readouterr()
    # the command line wins over the mapping file
    assert main(["import", str(src), "--mapping", str(tmp_path / "map.yaml"), "--out", str(tmp_path / "n"),
                 "--respondent-name", "StartDate"]) == 0
    assert "0 respondents' own names" not in capsys.readouterr().out
    # survey options with another format, unknown mapping keys
    assert main(["import", str(src), "--respondent", "x", "--out", str(tmp_path / "e")]) == 1
    assert "options of --format survey" in capsys.readouterr().err
    (tmp_path / "bad.yaml").write_text("format: survey\nalter: Q5_{k}\n", encoding="utf-8")
    assert main(["import", str(src), "--mapping", str(tmp_path / "bad.yaml"), "--out", str(tmp_path / "e")]) == 1
    assert "unknown key(s) alter" in capsys.readouterr().err


def test_two_waves_share_one_name_registry(tmp_path):
    a = _write(tmp_path, "id,a1\n1,Kim\n2,Lee\n", "w1.csv")
    b = _write(tmp_path, "id,a1\n1,kim\n3,Mo\n", "w2.csv")
    out = tmp_path / "out"
    accounts, _ = import_files([a, b], out, fmt="survey", cases=["c"], waves=["w1", "w2"],
                               options=ReadOptions(spec={"respondent": "id", "alters": "a{k}"}))
    assert _edges(out, "w1") == [("c", "1", "name_0001", 1.0), ("c", "2", "name_0002", 1.0)]
    assert _edges(out, "w2") == [("c", "1", "name_0001", 1.0), ("c", "3", "name_0003", 1.0)]
    rows = {r["name"]: r["rows"] for r in _rows(out / "name_map.csv")}
    assert rows == {"Kim": "w1.csv:2", "kim": "w2.csv:2", "Lee": "w1.csv:3", "Mo": "w2.csv:3"}
    _validated(out)


@pytest.mark.parametrize("spec, message", [
    ({"alters": "x{k}"}, "no column matches --alters"),
    ({"alters": "alter"}, "needs one {k}"),
    ({"alters": "re:a[0-9]"}, "no group"),
    ({"alters": "a{k}", "respondent": "nope"}, "no column 'nope'"),
    ({"alters": "a{k}", "interpreters": {"frequency": "a{k}"}}, "matches alter name columns"),
    ({}, "needs --alters"),
])
def test_bad_specs_stop_with_one_message(tmp_path, spec, message):
    with pytest.raises(ImportFileError, match=message):
        _survey(tmp_path, "id,a1,a2\n1,x,y\n", {"respondent": "id", **spec})
    assert not (tmp_path / "out").exists()


def test_normalise_and_patterns():
    assert normalise_name("  Zoe\u0308   ÜNAL\t") == ("Zoë ÜNAL", "zoë ünal")
    assert normalise_name("Straße")[1] == "strasse"
    p = SlotPattern.parse("alter{k}", "t")
    assert (p.slot("alter12"), p.slot("alter1_freq"), p.slot("xalter1")) == ("12", None, None)
    q = SlotPattern.parse(r"re:^Q5_(?P<k>\d+)_TEXT$", "t")
    assert q.slot("Q5_3_TEXT") == "3" and q.slot("Q5_3") is None


def test_new_ids_never_take_a_respondents_id(tmp_path):
    out, _, _ = _survey(tmp_path, "id,a1\nname_0001,Kim\n", {"respondent": "id", "alters": "a{k}"})
    assert _edges(out) == [("survey", "name_0001", "name_0002", 1.0)]


_NAME = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
                min_size=1, max_size=10)


def _usable(name: str) -> bool:
    key = normalise_name(name)[1]
    return bool(key) and key not in MISSING_TOKENS


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pool=st.lists(_NAME.filter(_usable), min_size=1, max_size=6),
       picks=st.lists(st.lists(st.integers(0, 5), max_size=3), min_size=1, max_size=5))
def test_any_names_one_id_per_key(tmp_path_factory, pool, picks):
    """Any printable names, with quotes, commas and odd spaces, written by a
    CSV writer: each key is one actor, each row's ties are its distinct keys,
    and the name map says so."""
    tmp = tmp_path_factory.mktemp("names")
    with open(tmp / "s.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "a1", "a2", "a3"])
        for i, row in enumerate(picks):
            w.writerow([f"r{i}", *[pool[j % len(pool)] for j in row]])
    accounts, _ = import_files([tmp / "s.csv"], tmp / "out", fmt="survey",
                               options=ReadOptions(spec={"respondent": "id", "alters": "a{k}"}))
    account = accounts[0]
    keys = {normalise_name(n)[1] for row in picks for n in (pool[j % len(pool)] for j in row)}
    table = _rows(tmp / "out" / "name_map.csv")
    ids = {r["key"]: r["actor_id"] for r in table}
    assert set(ids) == keys and len(set(ids.values())) == len(keys)
    edges = _rows(tmp / "out" / "waves" / "w1" / "interactions.csv")
    for i, row in enumerate(picks):
        named = [normalise_name(pool[j % len(pool)])[1] for j in row]
        assert [e["target"] for e in edges if e["source"] == f"r{i}"] == [ids[k] for k in dict.fromkeys(named)]
    repeats = sum(len(row) - len(set(normalise_name(pool[j % len(pool)])[1] for j in row)) for row in picks)
    assert [r.reason for r in account.rejected] == ["alter repeated by the respondent"] * repeats
    assert account.read == len(picks) + sum(len(r) for r in picks) == account.accepted + repeats


def test_a_name_matches_a_respondent_of_a_later_file(tmp_path):
    a = _write(tmp_path, "id,me,a1\n1,Kim,Lee Park\n", "w1.csv")
    b = _write(tmp_path, "id,me,a1\n2,lee  park,kim\n", "w2.csv")
    out = tmp_path / "out"
    import_files([a, b], out, fmt="survey", cases=["c"], waves=["w1", "w2"],
                 options=ReadOptions(spec={"respondent": "id", "respondent_name": "me", "alters": "a{k}"}))
    assert _edges(out, "w1") == [("c", "1", "2", 1.0)]  # Lee Park answers only in wave 2
    assert _edges(out, "w2") == [("c", "2", "1", 1.0)]
    assert not any(r["matched_by"] == "new" for r in _rows(out / "name_map.csv"))
