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
