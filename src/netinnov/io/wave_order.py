"""Finding the waves of a dataset and putting them in order."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError

__all__ = ["discover_waves", "natural_key"]

_WAVE_NAME = re.compile(r"[\w-]+")
_IGNORED = {"__MACOSX"}


def natural_key(name: str) -> tuple:
    """Sort key that orders digit runs by value: ``w2`` before ``w10``.

    Text parts compare case-insensitively; the name itself breaks ties.
    """
    parts = re.split(r"(\d+)", name)
    key = tuple(int(p) if i % 2 else p.casefold() for i, p in enumerate(parts))
    return (key, name)


def discover_waves(dataset: Path | str, order: list[str] | None = None) -> list[str]:
    """The waves of a dataset, in order.

    Parameters
    ----------
    dataset
        The dataset directory; waves are the folders under ``<dataset>/waves``.
    order
        The wave order from the configuration (``waves:``). When given and
        not empty, exactly these waves in this order; every one must have a
        folder. When None or empty, every wave folder in natural order
        (``w2`` before ``w10``).

    Raises
    ------
    InputError
        No ``waves`` folder, no wave in it, a listed wave without a folder, a
        wave listed twice, or a wave name (listed or folder) with characters
        other than letters, digits, ``-`` and ``_``.
    """
    dataset = Path(dataset)
    root = dataset / "waves"
    if not root.is_dir():
        raise InputError("the dataset has no 'waves' folder", "waves", path=str(root))
    try:
        folders = {
            p.name
            for p in root.iterdir()
            if p.is_dir() and not p.name.startswith(".") and p.name not in _IGNORED
        }
    except OSError as err:  # no permission to list it, or it vanished
        raise InputError(
            f"cannot read the 'waves' folder ({err.strerror or type(err).__name__})", "waves", path=str(root)
        ) from err
    if order:
        order = [str(w) for w in order]
        seen: set[str] = set()
        for wave in order:
            if wave in seen:
                raise InputError(
                    f"wave '{wave}' is listed twice in the wave order",
                    f"waves/{wave}",
                    path=str(root / wave),
                )
            seen.add(wave)
            if not _WAVE_NAME.fullmatch(wave):  # a wave name goes into file names and commands
                raise InputError(
                    f"wave name '{wave}' in the wave order has characters other than letters, digits, - and _",
                    f"waves/{wave}",
                    path=str(root / wave),
                )
            if wave not in folders:
                raise InputError(
                    f"the configuration lists wave '{wave}' but the dataset has no folder for it "
                    f"(wave folders: {', '.join(sorted(folders, key=natural_key)) or 'none'})",
                    f"waves/{wave}",
                    path=str(root / wave),
                )
        return order
    bad = sorted(name for name in folders if not _WAVE_NAME.fullmatch(name))
    if bad:
        raise InputError(
            f"wave folder name '{bad[0]}' has characters other than letters, digits, - and _",
            f"waves/{bad[0]}",
            path=str(root / bad[0]),
        )
    if not folders:
        raise InputError("the 'waves' folder holds no wave folder", "waves", path=str(root))
    return sorted(folders, key=natural_key)
