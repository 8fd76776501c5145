"""The ``netinnov validate`` command (netinnov.io.command)."""

from __future__ import annotations

from helpers.tiny_dataset import (
    INTERACTIONS,
    dataset,
)
from netinnov.cli import main as netinnov


def test_validate_command(tmp_path, capsys):
    root = dataset(tmp_path)
    out = tmp_path / "results"
    assert netinnov(["validate", str(root), "--out", str(out)]) == 0
    assert "waves/w1/interactions.csv" in capsys.readouterr().out
    assert (out / "waves" / "w1" / "validated" / "interactions.parquet").exists()

    bad = dataset(tmp_path / "bad", waves__w1__interactions=INTERACTIONS + "c1,a1,a1,,,,,,\n")
    assert netinnov(["validate", str(bad)]) == 0
    assert netinnov(["validate", str(bad), "--on-bad-rows", "fail", "--directed"]) == 1
    assert "self-interaction" in capsys.readouterr().out
    assert netinnov(["validate", str(bad), "--waves", "w9"]) == 1
    assert "w9" in capsys.readouterr().err
