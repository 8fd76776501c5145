"""Models linking network structure and leadership roles to innovation outcomes.

- :mod:`~netinnov.models.features` — case-level features (one row per wave and case);
- :mod:`~netinnov.models.glm` — regressions with robust inference (statsmodels);
- :mod:`~netinnov.models.predict` — grouped cross-validated prediction (scikit-learn);
- :mod:`~netinnov.models.qap` — dyadic regression with QAP tests (MRQAP);
- :mod:`~netinnov.models.spec` — the config entries and their validation.

``run_models`` and ``run_qap`` are the entry points of the pipeline; they are
imported lazily so that ``import netinnov.models`` stays light.
"""

from __future__ import annotations

from typing import Any

__all__ = ["run_models", "run_qap", "case_features", "lagged_features"]


def __getattr__(name: str) -> Any:
    if name in ("run_models", "run_qap"):
        from . import run

        return getattr(run, name)
    if name in ("case_features", "lagged_features"):
        from . import features

        return getattr(features, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
