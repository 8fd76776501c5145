"""Integer codes of text columns, without spelling out their rows.

The validated record tables keep their text columns as categoricals (codes
into the distinct values, see :mod:`netinnov.io.dtypes`). The helpers here
give every consumer integer codes and the text they stand for: from a
categorical's own codes and categories, or by factorising any other column as
``str`` (as ``Series.astype(str)`` spells it: missing stays missing).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netinnov.io.dtypes import used_codes

__all__ = ["case_rows", "shared_codes", "text_codes", "text_equals"]


def text_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes (-1: missing) of a column and the text each code stands for.

    A categorical gives its own codes and its categories (as ``str``; some
    may be unused), in O(1): text categories are returned as they are, so
    that the look-up table pandas keeps on them serves every caller; any
    other column is factorised as ``str``.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories
        if not pd.api.types.is_string_dtype(categories.dtype):
            categories = categories.astype(str)
        return values.cat.codes.to_numpy(), categories
    codes, uniques = pd.factorize(values.astype(str))
    return codes, pd.Index(uniques)


def text_equals(values: pd.Series, text: str) -> np.ndarray:
    """True where a column's value is ``text`` (False where missing).

    Compared in the column's own type: no Python object per row, as
    ``values.astype(object) == text`` would make for arrow-backed text.
    """
    return np.asarray((values == text).to_numpy(dtype=bool, na_value=False), dtype=bool)


def shared_codes(*columns: pd.Series) -> tuple[list[np.ndarray], pd.Index]:
    """Codes of several text columns in one code space, ordered like the text.

    Returns each column's int64 codes and the sorted distinct values of all
    columns (an Index made from an object array of str, so pandas infers its
    text dtype as for any such Index): ``labels.take(codes)`` spells the values,
    and comparing codes compares the text as ``sort_values`` would. Missing
    values get code -1. Only values that some row holds are labels.
    """
    parts = [_used(*text_codes(column)) for column in columns]
    labels = pd.Index(
        np.unique(np.concatenate([np.asarray(u, dtype=object) for _, u in parts] or [np.empty(0, object)]))
    )
    out = []
    for codes, uniques in parts:
        where = np.append(labels.get_indexer(np.asarray(uniques, dtype=object)), -1).astype(np.int64)
        out.append(where[codes])  # code -1 picks the appended -1
    return out, labels


def _used(codes: np.ndarray, uniques: pd.Index) -> tuple[np.ndarray, pd.Index]:
    """The codes renumbered over the values that some row holds."""
    used = used_codes(codes, len(uniques))
    if used.all():
        return codes, uniques
    renumber = np.append(np.cumsum(used) - 1, -1)
    return renumber[codes], uniques[used]


def case_rows(frame: pd.DataFrame | None, case_id: str) -> pd.DataFrame | None:
    """The rows of ``frame`` whose ``case_id`` is ``case_id`` (None when none).

    The frame itself is returned, not a copy, when every row belongs to the
    case (a wave of one case).
    """
    if frame is None or len(frame) == 0 or "case_id" not in frame.columns:
        return None
    codes, labels = text_codes(frame["case_id"])
    hit = labels.get_indexer([str(case_id)])[0]
    if hit < 0:
        return None
    mask = codes == hit
    if mask.all():
        return frame
    return frame[mask] if mask.any() else None
