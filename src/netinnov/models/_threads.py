"""One BLAS thread for the many small products of the models.

Case-level fits and permutation batches multiply thin matrices; spreading
them over BLAS threads only adds contention (badly so on a busy machine).
threadpoolctl ships with scikit-learn. The library scan is done once per
process (it reads the process's memory map, which is slow to repeat).
"""

from __future__ import annotations

import contextlib
from functools import lru_cache
from typing import Any

__all__ = ["single_blas_thread"]


@lru_cache(maxsize=1)
def _controller() -> Any:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover
        return None
    return ThreadpoolController()


def single_blas_thread() -> Any:
    """A context manager that limits BLAS to one thread (a no-op without threadpoolctl)."""
    controller = _controller()
    if controller is None:  # pragma: no cover
        return contextlib.nullcontext()
    return controller.limit(limits=1, user_api="blas")
