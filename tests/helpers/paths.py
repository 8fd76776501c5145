"""Where the repository, its bundled data and the bad-input corpus are."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "data" / "example"
CONFIG = REPO / "config" / "config.yaml"
TEST_DATA = REPO / "tests" / "data"
BAD_CORPUS = TEST_DATA / "bad"
BAD_BASE = BAD_CORPUS / "base"
#: The tiny config of the pipeline tests (few permutations, resamples and case
#: pages), laid over config/config.yaml with ``--configfile``.
TINY_CONFIG = REPO / "tests" / "pipeline" / ".test" / "config" / "config.yaml"


def panel_paths(results: Path, waves: list[str]) -> dict:
    """The path arguments of ``netinnov.steps.panel.run_panel`` for a results folder laid out as the pipeline lays it."""
    waves_dir, panel = Path(results) / "waves", Path(results) / "panel"
    out = {t: [waves_dir / w / f"{t}.csv" for w in waves] for t in ("ties", "actors", "cases")}
    out.update({f"out_{t}": panel / f"{t}.csv" for t in ("cases", "actors", "change", "stability", "tie_transitions")})
    return {"waves": list(waves), **out}
