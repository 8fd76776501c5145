"""Tests of netinnov.io.command: the ``netinnov validate`` command.
"""

from __future__ import annotations

from helpers.tiny_dataset import (
    INTERACTIONS,
    dataset,
)
from netinnov.io.command import add_arguments, run


def test_validate_command(tmp_path, capsys):
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    root = dataset(tmp_path)
    out = tmp_path / "results"
    assert run(parser.parse_args([str(root), "--out", str(out)])) == 0
    assert "waves/w1/interactions.csv" in capsys.readouterr().out
    assert (out / "waves" / "w1" / "validated" / "interactions.parquet").exists()

    bad = dataset(tmp_path / "bad", waves__w1__interactions=INTERACTIONS + "c1,a1,a1,,,,,,\n")
    assert run(parser.parse_args([str(bad)])) == 0
    assert run(parser.parse_args([str(bad), "--on-bad-rows", "fail", "--directed"])) == 1
    assert "self-interaction" in capsys.readouterr().out
    assert run(parser.parse_args([str(bad), "--waves", "w9"])) == 1
    assert "w9" in capsys.readouterr().err
