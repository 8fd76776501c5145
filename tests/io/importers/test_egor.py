"""``netinnov import --format egor``: egor's egos, alters and alter–alter ties
tables, each ego network a case (default) or all one case, compared with a
hand-built edge set, and ``netinnov validate`` on the result."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.import_rows import rows as _rows
from netinnov.cli import main
from netinnov.io import validate_dataset
from netinnov.io.importers import ImportFileError, ReadOptions, import_files


def _validated(out: Path, directed: bool):
    results, text = validate_dataset(out, directed=directed)
    for data in results.values():
        assert not isinstance(data, Exception), text
        assert len(data.rejected) == 0, data.rejected
    return results


# as R's write.csv(as_tibble(x$ego)) etc. write them: row names first, egor's id names
EGOS = '"",".egoID","sector","age"\n"1","A","public",40\n"2","B","private",NA\n"3","C","civil_society",33\n' \
       '"4","A","public",41\n"5","","public",1\n'
ALTERS = ('"",".egoID",".altID","sector","closeness","weight"\n'
          '"1","A","1","private",4,2\n"2","A","2","public",NA,NA\n"3","A","3","civil_society",5,1\n'
          '"4","B","1","public",3,"lots"\n"5","B","2","public",2,1\n"6","B","2","public",2,1\n'
          '"7","Z","1","public",NA,NA\n"8","B","3","private",1,0\n')
AATIES = ('"",".egoID",".srcID",".tgtID","weight","note"\n'
          '"1","A","1","2",1,"x"\n"2","A","2","3",NA,NA\n"3","A","3","3",NA,NA\n"4","A","1","9",NA,NA\n'
          '"5","B","1","2",2,NA\n"6","C","1","2",NA,NA\n')


def _tables(tmp_path: Path, egos=EGOS, alters=ALTERS, aaties=AATIES) -> list[Path]:
    paths = []
    for name, text in (("egos.csv", egos), ("alters.csv", alters), ("aaties.csv", aaties)):
        if text is not None:
            (tmp_path / name).write_text(text, encoding="utf-8")
            paths.append(tmp_path / name)
    return paths


def _edge_set(out: Path) -> set[tuple]:
    return {(r["case_id"], frozenset((r["source"], r["target"])), float(r["frequency"]))
            for r in _rows(out / "waves" / "w1" / "interactions.csv")}


def test_each_ego_network_a_case_matches_the_hand_built_edges(tmp_path):
    out = tmp_path / "out"
    accounts, summary = import_files(_tables(tmp_path), out, fmt="egor")
    egos, alters, aaties = accounts
    assert [a.file for a in accounts] == [str(tmp_path / n) for n in ("egos.csv", "alters.csv", "aaties.csv")]
    assert [(r.line, r.column, r.reason) for r in egos.rejected] == [
        (5, 2, "duplicate ego id"), (6, 2, "ego empty id")]
    assert [(r.line, r.column, r.reason) for r in alters.rejected] == [
        (5, 6, "frequency not a number"), (7, 3, "duplicate alter of the ego"),
        (8, 2, "ego not in the egos table"), (9, 6, "non-positive frequency")]
    assert [(r.line, r.column, r.reason) for r in aaties.rejected] == [
        (4, 4, "self-loop"), (5, 4, "alter not among the ego's alters"), (6, 3, "alter whose row was rejected"),
        (7, 3, "alter not among the ego's alters")]  # ego C has no alters
    for a, n in zip(accounts, (5, 8, 6), strict=True):
        assert a.read == n == a.accepted + len(a.rejected)
    assert any("R row names" in n for n in egos.notes) and any("dropped" in n for n in aaties.notes)
    # hand-built: ego-alter ties (weight -> frequency, 1 where NA) and alter-alter ties
    expected = {
        ("A", frozenset({"A", "A:1"}), 2.0), ("A", frozenset({"A", "A:2"}), 1.0), ("A", frozenset({"A", "A:3"}), 1.0),
        ("A", frozenset({"A:1", "A:2"}), 1.0), ("A", frozenset({"A:2", "A:3"}), 1.0),
        ("B", frozenset({"B", "B:2"}), 1.0),
    }
    assert _edge_set(out) == expected
    assert not summary.directed and len(_rows(out / "waves" / "w1" / "interactions.csv")) == len(expected)
    assert [r["closeness"] for r in _rows(out / "waves" / "w1" / "interactions.csv")] == ["4", "", "5", "", "", "2"]
    members = [(r["case_id"], r["actor_id"]) for r in _rows(out / "waves" / "w1" / "members.csv")]
    assert members == [("A", "A"), ("A", "A:1"), ("A", "A:2"), ("A", "A:3"), ("B", "B"), ("B", "B:2"), ("C", "C")]
    actors = {r["actor_id"]: r for r in _rows(out / "actors.csv")}
    assert actors["A"] == {"actor_id": "A", "sector": "public", "age": "40"}
    assert actors["A:3"]["sector"] == "civil_society" and actors["B"]["age"] == ""
    text = (out / "import_rejected.csv").read_text(encoding="utf-8")
    assert len(text.splitlines()) == 1 + 10
    _validated(out, directed=False)


def test_one_case_shares_alter_ids_between_egos(tmp_path):
    alters = "egoID,alterID,closeness\nA,x,3\nA,B,4\nB,x,2\nB,y,\nA,A,1\n"
    aaties = "egoID,Source,Target\nA,x,B\nB,x,y\n"
    out = tmp_path / "out"
    accounts, summary = import_files(_tables(tmp_path, "egoID,sector\nA,public\nB,private\n", alters, aaties),
                                     out, fmt="egor", cases=["study"],
                                     options=ReadOptions(spec={"ego_cases": False}))
    assert [(r.line, r.reason) for r in accounts[1].rejected] == [(6, "self-loop (the alter is the ego)")]
    # x is one person named by A and B; B is an ego and A's alter
    assert _edge_set(out) == {
        ("study", frozenset({"A", "x"}), 1.0), ("study", frozenset({"A", "B"}), 1.0),
        ("study", frozenset({"B", "x"}), 1.0), ("study", frozenset({"B", "y"}), 1.0),
        ("study", frozenset({"x", "B"}), 1.0), ("study", frozenset({"x", "y"}), 1.0),
    }
    assert len(_rows(out / "waves" / "w1" / "interactions.csv")) == 6  # B-x twice: B names x, and A reports x-B
    assert [r["actor_id"] for r in _rows(out / "waves" / "w1" / "members.csv")] == ["A", "B", "x", "y"]
    assert not summary.directed
    _validated(out, directed=False)


def test_direction_column_and_forced_direction(tmp_path):
    alters = "ego,alter,directed\nA,1,true\nA,2,no\nA,3,maybe\n"
    aaties = "ego,alter1,alter2,directed\nA,1,2,1\nA,2,1,\n"
    out = tmp_path / "out"
    accounts, summary = import_files(_tables(tmp_path, None, alters, aaties), out, fmt="egor")
    assert [(r.line, r.column, r.reason) for r in accounts[0].rejected] == [(4, 3, "directed not true/false")]
    assert summary.directed
    rows = _rows(out / "waves" / "w1" / "interactions.csv")
    assert [(r["source"], r["target"], r["import_undirected"]) for r in rows] == [
        ("A", "A:1", "false"), ("A", "A:2", "true"), ("A:2", "A", "true"),
        ("A:1", "A:2", "false"), ("A:2", "A:1", "true"), ("A:1", "A:2", "true")]
    _validated(out, directed=True)
    forced = tmp_path / "forced"
    import_files([tmp_path / "alters.csv", tmp_path / "aaties.csv"], forced, fmt="egor",
                 options=ReadOptions(directed=False))
    assert "directed: false" in (forced / "import_config.yaml").read_text()


def test_cli_tables_by_option_or_by_name(tmp_path, capsys):
    egos, alters, aaties = _tables(tmp_path)
    assert main(["import", "--format", "egor", "--egos", str(egos), "--alters", str(alters),
                 "--aaties", str(aaties), "--out", str(tmp_path / "a")]) == 0
    printed = capsys.readouterr().out
    assert "alters.csv: read 8 = accepted 4 + rejected 4" in printed and "aaties.csv: read 6" in printed
    assert main(["import", str(aaties), str(egos), str(alters), "--format", "egor", "--out", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    for name in ("actors.csv", "waves/w1/interactions.csv", "waves/w1/members.csv"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text()
    assert main(["validate", str(tmp_path / "a")]) == 0
    capsys.readouterr()
    # a mapping file: relative paths, one case, an id column under another name
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "alt.csv").write_text("person,who\nA,1\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text("format: egor\nalters: sub/alt.csv\nego_id: person\nalter_id: who\n"
                                       "ego_cases: false\n", encoding="utf-8")
    assert main(["import", "--mapping", str(tmp_path / "map.yaml"), "--case", "k", "--out", str(tmp_path / "c")]) == 0
    assert _edge_set(tmp_path / "c") == {("k", frozenset({"A", "1"}), 1.0)}
    capsys.readouterr()
    assert main(["import", "--format", "egor", str(tmp_path / "other.csv"), "--out", str(tmp_path / "d")]) == 1
    assert "named for what it holds" in capsys.readouterr().err
    assert main(["import", "--format", "egor", "--egos", str(egos), "--out", str(tmp_path / "d")]) == 1
    assert "needs the alters table" in capsys.readouterr().err
    # several ego cases and one --case: refused
    assert main(["import", "--format", "egor", "--alters", str(alters), "--case", "x",
                 "--out", str(tmp_path / "e")]) == 1
    assert "--case is for a file of one case" in capsys.readouterr().err


def test_missing_id_column_and_colliding_ids_stop(tmp_path):
    (tmp_path / "alters.csv").write_text("ego,name\nA,1\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="no alter_id column") as err:
        import_files([tmp_path / "alters.csv"], tmp_path / "out", fmt="egor")
    assert err.value.line == 1
    (tmp_path / "alters.csv").write_text("ego,alter\nA,1\nA:1,2\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="equal an ego id"):
        import_files([tmp_path / "alters.csv"], tmp_path / "out", fmt="egor")
    assert not (tmp_path / "out").exists()


def test_an_ego_alter_tie_and_an_aatie_on_the_same_line_are_not_duplicates(tmp_path):
    """--one-case: A names B on line 3 of the alters table, and C reports A-B
    on line 3 of the aaties table: two records (import_file tells them apart),
    which ingest sums, not an exact duplicate it would reject."""
    alters = "ego,alter\nC,A\nA,B\nC,B\n"
    aaties = "ego,alter1,alter2\nC,B,A\nC,A,B\n"
    out = tmp_path / "out"
    import_files(_tables(tmp_path, None, alters, aaties), out, fmt="egor", cases=["k"],
                 options=ReadOptions(spec={"ego_cases": False}))
    rows = _rows(out / "waves" / "w1" / "interactions.csv")
    assert [(r["source"], r["target"], r["import_line"], r["import_file"]) for r in rows] == [
        ("C", "A", "2", "alters.csv"), ("A", "B", "3", "alters.csv"), ("C", "B", "4", "alters.csv"),
        ("B", "A", "2", "aaties.csv"), ("A", "B", "3", "aaties.csv")]
    results = _validated(out, directed=False)
    assert len(results["w1"].interactions) == 5
