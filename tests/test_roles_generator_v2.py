"""Role validity on a held-out generator-v2 dataset (slow).

The generator (netinnov.simulate) plants latent role holders by behaviour
(true_roles.csv) and shares no formula with netinnov.metrics.roles; the
default thresholds were calibrated on seeds 101–104, so this uses another
seed. Targets of issue 12 item 4: case-level AUC of ``<role>_max_score``
against planted presence ≥ 0.75 for every role in every wave, Pearson
correlation of any two role scores across actors < 0.5; and the presence
score does not track case size in the cases without the role (|r| with
log n_actors < 0.3; no issue target, the review's complaint was r = 0.25–0.56).
"""

from __future__ import annotations

import pandas as pd
import pytest

from netinnov.config import load_config
from netinnov.io import validate_wave
from netinnov.metrics.role_validity import role_validity
from netinnov.simulate import simulate_dataset
from netinnov.tables import wave_tables


@pytest.mark.slow
def test_role_targets_on_held_out_generator_v2(tmp_path):
    out = tmp_path / "v2"
    simulate_dataset(out, seed=20270301, n_cases=100, n_waves=3, bad_rows=False)
    opts = load_config("config/config.yaml", {"dataset": str(out)})
    opts["ei_permutations"] = 0
    waves = sorted(p.name for p in (out / "waves").iterdir())
    truth = pd.read_csv(out / "true_roles.csv", dtype=str)
    previous = None
    for wave in waves:
        data = validate_wave(out, wave, waves=waves, directed=True)
        tables = wave_tables(data, opts, previous=previous)
        previous = data
        v = role_validity(tables.actors, truth[truth["wave"] == wave], presence=tables.cases,
                          n_boot=0).set_index(["measure", "role"])
        for role in ("convener", "facilitator", "catalyst"):
            auc = v.loc[("case_auc", role), "value"]
            assert auc >= 0.75, (wave, role, auc)
            # presence does not merely track case size (role-free cases; before the size-free
            # catalyst components the catalyst's r was 0.50-0.62 here, now 0.05-0.24)
            size = v.loc[("size_correlation", role), "value"]
            assert abs(size) < 0.3, (wave, role, size)
        r = v.xs("score_correlation")["value"]
        assert (r.abs() < 0.5).all(), (wave, r.to_dict())
