"""Seeds for every random step, derived from the config's one ``seed``.

Each step gets its own stream from the config seed and names that say what it
is for (``derive_seed(seed, "ei", wave, case_id)``), so results do not depend
on the order in which cases or jobs run, and changing one step's draws leaves
the others untouched.
"""

from __future__ import annotations

import hashlib

__all__ = ["derive_seed"]


def derive_seed(seed: int, *keys: object) -> int:
    """A 32-bit seed from ``seed`` and ``keys`` (stable across runs and machines)."""
    text = "\x1f".join([str(int(seed)), *(str(k) for k in keys)])
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "little")
