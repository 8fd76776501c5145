"""Why a role's presence score misses: its components' case maxima, size trends and identifiability.

A diagnostic companion of ``bench_role_validity.py`` (docs/validity_roles.md).
For each seed it simulates ``netinnov.simulate.simulate_dataset`` (100 cases ×
3 waves, no bad rows), builds each wave's networks with the shipped config and
computes :func:`netinnov.metrics.roles.role_components` per case, then prints
per seed and wave, for the convener and the catalyst:

- ``auc:<component>`` / ``r:<component>``: the case-level AUC of the case
  maximum of each component (and of the score) against planted presence, and
  the Pearson r of that maximum with log ``n_actors`` over the role-free cases;
- ``top_driver``: the share of role-free cases whose top convener score
  belongs to a planted *driver* (``true_members.csv``), an actor the
  generator does not plant as a convener;
- the AUC of the score when the planted holders that left no behavioural
  trace in the wave are set aside (catalysts with ``n_recruits`` 0, conveners
  with ``n_invitees`` 0, from ``true_cases.csv``), with their counts;
- across all seed-waves: mean and SD of each size r (the sampling SD of r over
  about 45 role-free cases is about 0.15).

With ``--intensity`` it also scores the exploratory convener variant that
counts an introduced alter only when the introduced pair's tie is at least as
intense as the actor's weaker contact with them (``q_jl >= min(q_ij, q_il)``);
it was *not* adopted (docs/validity_roles.md). Measurement only.

.. code-block:: bash

    PYTHONPATH=src python benchmarks/diag_role_components.py --seeds 101,20270302 --workdir /tmp/v2
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
KEY = ["seed", "wave", "case_id"]


def _intensity_introductions(net, tie_class) -> np.ndarray:
    """Alters introduced (cross-group closure after both contacts) whose tie to the
    other introduced alter is at least as intense as the actor's weaker contact."""
    import netinnov.metrics.role_evidence as R

    cfg = dict(R.DEFAULT_SCALE)
    groups = np.asarray(net.groups, dtype=np.int64)
    pairs = R._pair_table(net, tie_class, cfg)
    pairs = pairs[pairs["reported"].to_numpy(dtype=bool)].reset_index(drop=True)
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    t, q = pairs["time"].to_numpy(), pairs["q"].to_numpy()
    index = {(int(x), int(y)): e for e, (x, y) in enumerate(zip(a, b, strict=True))}
    nb = [set() for _ in range(net.n)]
    for x, y in zip(a, b, strict=True):
        nb[x].add(int(y))
        nb[y].add(int(x))
    introduced = [set() for _ in range(net.n)]
    for e, (j, m) in enumerate(zip(a, b, strict=True)):
        if groups[j] < 0 or groups[m] < 0 or groups[j] == groups[m]:
            continue
        for i in nb[j] & nb[m]:
            e1, e2 = index[(min(i, j), max(i, j))], index[(min(i, m), max(i, m))]
            if t[e] >= max(t[e1], t[e2]) and q[e] >= min(q[e1], q[e2]):
                introduced[i].update((int(j), int(m)))
    return np.array([len(s) for s in introduced], dtype=float)


def seed_components(seed: int, work: Path, *, config: Path, intensity: bool) -> pd.DataFrame:
    from netinnov.config import load_config
    from netinnov.io import validate_wave
    from netinnov.metrics.roles import COMPONENTS, LEADERSHIP_ROLES, WEIGHTS, role_components
    from netinnov.metrics.wave import _case_groups, wave_networks
    from netinnov.simulate import simulate_dataset

    out = work / f"v2_{seed}"
    if not (out / "true_roles.csv").exists():
        simulate_dataset(out, seed=seed, n_cases=100, n_waves=3, bad_rows=False)
    opts = load_config(str(config), {"dataset": str(out)})
    waves = sorted(p.name for p in (out / "waves").iterdir())
    truth = pd.read_csv(out / "true_roles.csv", dtype=str)
    members = pd.read_csv(out / "true_members.csv", dtype=str)
    rows, previous = [], {}
    for wave in waves:
        data = validate_wave(out, wave, waves=waves, directed=True)
        nets = wave_networks(data, opts)
        inter, part = _case_groups(data.interactions), _case_groups(data.participation)
        for cid, net in nets.items():
            tc = net.ties["tie_class"] if "tie_class" in net.ties else None
            c = role_components(net, inter.get(cid), part.get(cid), previous=previous.get(cid),
                                tie_class=tc, scale=opts.get("role_scale") or None)
            c = c.reset_index(drop=True).assign(actor_id=[str(x) for x in net.actors], case_id=cid,
                                                wave=wave, n=net.n)
            if intensity:  # the share of the actor's alters, as convener_introductions: I / (d + k)
                c["convener_introductions_intensity"] = _intensity_introductions(net, tc) / (
                    _reported_degree(net, tc) + 3.0
                )
            rows.append(c)
        previous = nets
    comp = pd.concat(rows, ignore_index=True).assign(seed=seed)
    for role in LEADERSHIP_ROLES:
        parts = [(WEIGHTS[f"{role}_{x}"], comp[f"{role}_{x}"]) for x in COMPONENTS[role]]
        avail = [(w, v) for w, v in parts if not v.isna().all()]
        comp[f"{role}_score"] = sum(w * v.fillna(0) for w, v in avail) / sum(w for w, _ in avail)
        held = truth[truth["role"] == role]
        key = set(zip(held["wave"], held["case_id"], held["actor_id"], strict=True))
        comp[f"is_{role}"] = [(w, c, a) in key for w, c, a in zip(comp["wave"], comp["case_id"], comp["actor_id"], strict=True)]
    drivers = set(zip(*[members.loc[members["driver"] == "1", c] for c in ("wave", "case_id", "actor_id")], strict=True))
    comp["driver"] = [(w, c, a) in drivers for w, c, a in zip(comp["wave"], comp["case_id"], comp["actor_id"], strict=True)]
    cases = pd.read_csv(out / "true_cases.csv", dtype={"case_id": str, "wave": str})
    return comp, cases.assign(seed=seed)


def _reported_degree(net, tie_class) -> np.ndarray:
    import netinnov.metrics.role_evidence as R

    pairs = R._pair_table(net, tie_class, dict(R.DEFAULT_SCALE))
    pairs = pairs[pairs["reported"].to_numpy(dtype=bool)]
    return (np.bincount(pairs["a"], minlength=net.n) + np.bincount(pairs["b"], minlength=net.n)).astype(float)


def diagnose(comp: pd.DataFrame, cases: pd.DataFrame, role: str, columns: list[str]) -> pd.DataFrame:
    from netinnov.metrics.role_survey import _auc

    g = comp.groupby(KEY)
    table = g[columns].max()
    table["n"] = g["n"].first()
    table["has"] = g[f"is_{role}"].any()
    top = comp.loc[g[f"{role}_score"].idxmax(), KEY + ["driver"]].set_index(KEY)["driver"]
    table["top_driver"] = top
    table = table.reset_index().merge(cases[KEY + ["n_recruits", "n_invitees"]], on=KEY, how="left")
    trace = "n_recruits" if role == "catalyst" else "n_invitees"
    out = []
    for (seed, wave), t in table.groupby(["seed", "wave"]):
        y = t["has"].to_numpy()
        free = t[~y]
        row = {"seed": seed, "wave": wave, "n_with": int(y.sum())}
        for c in columns:
            name = c.replace(f"{role}_", "")
            row[f"auc:{name}"] = _auc(y.astype(int), t[c].to_numpy())
            row[f"r:{name}"] = float(np.corrcoef(free[c], np.log(free["n"]))[0, 1])
        traced = ~y | (t[trace] > 0).to_numpy()
        row[f"no_{trace}"] = int((y & (t[trace] == 0).to_numpy()).sum())
        row["auc:score_traced"] = _auc(y[traced].astype(int), t[f"{role}_score"].to_numpy()[traced])
        row["top_driver"] = float(free["top_driver"].mean())
        out.append(row)
    return pd.DataFrame(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", default="101,20270302")
    p.add_argument("--config", type=Path, default=REPO / "config" / "config.yaml")
    p.add_argument("--workdir", type=Path, default=None)
    p.add_argument("--intensity", action="store_true")
    args = p.parse_args(argv)
    from netinnov.metrics.roles import COMPONENTS

    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        parts = [seed_components(int(s), work, config=args.config, intensity=args.intensity)
                 for s in args.seeds.split(",") if s.strip()]
    comp = pd.concat([c for c, _ in parts], ignore_index=True)
    cases = pd.concat([c for _, c in parts], ignore_index=True)
    cases["case_id"] = cases["case_id"].astype(str)
    if args.intensity:
        x = comp["convener_introductions_intensity"]
        comp["convener_intensity_score"] = (
            comp["convener_brokered_closure"] + 2 * x + comp["convener_early_activity"].fillna(0)
        ) / 4
    with pd.option_context("display.width", 250, "display.max_columns", 40, "display.float_format", "{:.3f}".format):
        for role in ("convener", "catalyst"):
            cols = [f"{role}_{c}" for c in COMPONENTS[role]] + [f"{role}_score"]
            if role == "convener" and args.intensity:
                cols += ["convener_introductions_intensity", "convener_intensity_score"]
            d = diagnose(comp, cases, role, cols)
            print(f"--- {role}")
            print(d.to_string(index=False))
            rs = d[[c for c in d.columns if c.startswith("r:")]]
            print("size r over seed-waves: mean", rs.mean().round(3).to_dict(), "sd", rs.std().round(3).to_dict())
    return 0


if __name__ == "__main__":
    sys.exit(main())
