"""Role validity on a held-out generator-v2 dataset (slow).

The generator (netinnov.simulate) plants latent role holders by behaviour
(true_roles.csv) and shares no formula with netinnov.metrics.roles; the
default thresholds were calibrated on seeds 101–104, so this uses other
seeds (20270301, 20270302; design seeds of the catalyst change, whose
held-out figures are in docs/validity_catalyst.md). Targets of issue 12 item 4: case-level AUC of ``<role>_max_score``
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
from netinnov.metrics.wave import wave_tables
from netinnov.simulate import simulate_dataset

#: Misses of the targets known before the catalyst change (issue 12 item 4) and
#: outside it: (seed, wave, measure, role). Every other figure must meet its
#: target; a listed miss turns the test into an expected failure, not a pass.
KNOWN_MISSES = {
    # the convener's presence score falls with size in wave 2 of seed 20270302
    # (r = -0.32): sampling scatter, not a trend -- over 27 design seed-waves the
    # convener's size r has mean +0.03, SD 0.16 (docs/validity_roles.md); kept
    # unchanged in the ninth session, no definition change removed it
    (20270302, "w2", "size_correlation", "convener"),
}


@pytest.mark.extended
@pytest.mark.parametrize("seed", [20270301, 20270302])
def test_role_targets_on_held_out_generator_v2(tmp_path, seed):
    out = tmp_path / "v2"
    simulate_dataset(out, seed=seed, n_cases=100, n_waves=3, bad_rows=False)
    opts = load_config("config/config.yaml", {"dataset": str(out)})
    opts["ei_permutations"] = 0
    waves = sorted(p.name for p in (out / "waves").iterdir())
    truth = pd.read_csv(out / "true_roles.csv", dtype=str)
    previous = None
    misses = {}
    for wave in waves:
        data = validate_wave(out, wave, waves=waves, directed=True)
        tables = wave_tables(data, opts, previous=previous)
        previous = data
        v = role_validity(
            tables.actors, truth[truth["wave"] == wave], presence=tables.cases, n_boot=0
        ).set_index(["measure", "role"])
        for role in ("convener", "facilitator", "catalyst"):
            # the catalyst's presence score in every wave, the first included (issue 12 item 4):
            # before the rate-adjusted newcomers it was 0.73 / 0.70 in waves 1-2 of seed 20270302
            auc = v.loc[("case_auc", role), "value"]
            if not auc >= 0.75:
                misses[(seed, wave, "case_auc", role)] = auc
            # presence does not merely track case size (role-free cases; before the size-free
            # catalyst components the catalyst's r was 0.50-0.62 here)
            size = v.loc[("size_correlation", role), "value"]
            if not abs(size) < 0.3:
                misses[(seed, wave, "size_correlation", role)] = size
        for pair, r in v.xs("score_correlation")["value"].items():
            if not abs(r) < 0.5:
                misses[(seed, wave, "score_correlation", pair)] = r
    unexpected = {k: x for k, x in misses.items() if k not in KNOWN_MISSES}
    assert not unexpected, unexpected
    if misses:
        pytest.xfail(f"known misses outside the catalyst: {misses}")
