"""io.result_tables.write_tables: a step's tables to the paths its rule names."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netinnov.io.result_tables import read_table, wave_paths, write_tables


def test_each_table_goes_to_the_path_of_its_name(tmp_path: Path):
    tables = {"a": pd.DataFrame({"x": [1, 2]}), "b": pd.DataFrame({"y": ["p"]})}
    paths = {"a": tmp_path / "one" / "first.csv", "b": tmp_path / "two" / "second.csv"}
    write_tables(tables, paths)
    for name, path in paths.items():
        pd.testing.assert_frame_equal(read_table(path), tables[name])


@pytest.mark.parametrize("paths", [{"a": "a.csv"}, {"a": "a.csv", "b": "b.csv", "c": "c.csv"}])
def test_a_table_without_a_path_or_a_path_without_a_table_writes_nothing(tmp_path: Path, paths):
    tables = {"a": pd.DataFrame({"x": [1]}), "b": pd.DataFrame({"y": [2]})}
    with pytest.raises(ValueError, match="do not match"):
        write_tables(tables, {k: tmp_path / v for k, v in paths.items()})
    assert not list(tmp_path.iterdir())


def test_wave_paths_hold_one_path_per_wave():
    assert wave_paths("actors", ["w1/actors.csv", "w2/actors.csv"], ["w1", "w2"]) == [
        Path("w1/actors.csv"), Path("w2/actors.csv")]
    with pytest.raises(ValueError, match="1 actors paths for 2 waves"):
        wave_paths("actors", ["w1/actors.csv"], ["w1", "w2"])
