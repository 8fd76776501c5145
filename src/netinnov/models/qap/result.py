"""The result of one QAP fit, and the batching of permutations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.linalg

from netinnov.models.qap.design import DyadicDesign

_BATCH_ELEMENTS = 2_000_000  # permutations × dyads held in memory at once


# ================================================================== results
@dataclass
class QAPResult:
    """Estimates and QAP p-values of one dyadic model."""

    names: list[str]
    estimate: np.ndarray
    std_error: np.ndarray
    statistic: np.ndarray
    p_value: np.ndarray
    p_greater: np.ndarray
    p_less: np.ndarray
    n_permutations: np.ndarray
    n_dyads: int
    n_dropped: int
    null_hypothesis: str
    estimator: str
    distribution: np.ndarray | None = None
    notes: dict[str, str] = field(default_factory=dict)
    p_value_plus1: np.ndarray | None = None
    dropped_reasons: str = ""

    def to_frame(self) -> pd.DataFrame:
        """One row per term."""
        return pd.DataFrame(
            {
                "term": self.names,
                "estimate": self.estimate,
                "std_error": self.std_error,
                "statistic": self.statistic,
                "p_value": self.p_value,
                "p_greater": self.p_greater,
                "p_less": self.p_less,
                "n_permutations": self.n_permutations,
                "n_dyads": self.n_dyads,
                "n_dropped": self.n_dropped,
                "null_hypothesis": self.null_hypothesis,
                "estimator": self.estimator,
                "note": [self.notes.get(n, "") for n in self.names],
                "p_value_plus1": (
                    self.p_value_plus1
                    if self.p_value_plus1 is not None
                    else np.full(len(self.names), np.nan)
                ),
                "dropped_reasons": self.dropped_reasons,
            }
        )


def _estimable(X: np.ndarray, tol: float = 1e-7) -> np.ndarray:
    """Columns kept by a pivoted QR (R's ``qr`` tolerance): False where aliased."""
    if X.shape[1] == 0:
        return np.zeros(0, dtype=bool)
    _, r, piv = scipy.linalg.qr(X, mode="economic", pivoting=True)
    d = np.abs(np.diag(r))
    rank = int((d > tol * d.max()).sum()) if d.size and d.max() > 0 else 0
    keep = np.zeros(X.shape[1], dtype=bool)
    keep[piv[:rank]] = True
    return keep


def _batches(total: int, per_item: int) -> Iterator[tuple[int, int]]:
    size = max(1, min(total, _BATCH_ELEMENTS // max(per_item, 1)))
    for start in range(0, total, size):
        yield start, min(total, start + size)


def _gather(design: DyadicDesign, full: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """Permuted dyad values: row b holds ``full[perm_b(i_d), perm_b(j_d)]`` over dyads d."""
    rowbase, colbase = design._bases()
    idx = rowbase[perms][:, design.i]
    idx += colbase[perms][:, design.j]
    return full[idx]
