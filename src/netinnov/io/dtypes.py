"""The dtype of text columns in every validated table."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["STRING", "string_dtype"]


def string_dtype() -> pd.StringDtype:
    """The string dtype of every text column: pyarrow storage, NaN for missing.

    This is pandas 3's default ``str`` dtype; on pandas 2.x the equivalent
    ``string[pyarrow_numpy]``.
    """
    try:
        return pd.StringDtype("pyarrow", na_value=np.nan)
    except TypeError:  # pragma: no cover - pandas < 2.3
        return pd.StringDtype("pyarrow_numpy")


STRING = string_dtype()
