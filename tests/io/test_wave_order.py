"""Tests of netinnov.io.wave_order: the order of the waves and what it decides.
"""

from __future__ import annotations

import pytest

from helpers.tiny_dataset import (
    INTERACTIONS_HEADER,
    dataset,
)
from netinnov.io import (
    InputError,
    discover_waves,
    validate_wave,
)


# --------------------------------------------------------------------------- waves
def test_discover_waves_natural_and_configured_order(tmp_path):
    for wave in ("w10", "w2", "w1", "2024", ".hidden"):
        (tmp_path / "waves" / wave).mkdir(parents=True)
    (tmp_path / "waves" / "notes.txt").write_text("x")
    assert discover_waves(tmp_path) == ["2024", "w1", "w2", "w10"]
    assert discover_waves(tmp_path, []) == ["2024", "w1", "w2", "w10"]
    assert discover_waves(tmp_path, ["w10", "w1"]) == ["w10", "w1"]
    with pytest.raises(InputError) as err:
        discover_waves(tmp_path, ["w1", "w3"])
    assert "w3" in str(err.value) and err.value.file == "waves/w3"
    with pytest.raises(InputError):
        discover_waves(tmp_path / "nowhere")


def test_wave_order_decides_which_wave_actors_are_known(tmp_path):
    root = dataset(
        tmp_path,
        waves__fall__actors="actor_id,sector\na5,public\n",
        waves__fall__interactions=INTERACTIONS_HEADER + "c1,a5,a1,,,,,,\n",
        waves__spring__interactions=INTERACTIONS_HEADER + "c1,a5,a1,,,,,,\n",
        waves__w1__interactions=None,
    )
    spring_last = validate_wave(root, "spring", waves=["fall", "spring"])
    assert spring_last.rejected.empty
    spring_first = validate_wave(root, "spring", waves=["spring", "fall"])
    assert spring_first.rejected["reason"].tolist() == ["unknown actor: source"]
