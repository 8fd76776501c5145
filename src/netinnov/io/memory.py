"""Handing freed memory back to the system between the steps of a stage.

At millions of records a step allocates and frees hundreds of MB of arrays.
Two allocators keep what was freed for reuse instead of returning it: arrow's
(mimalloc or jemalloc; the text of parsed files and parquet reads) and glibc's
``malloc`` (numpy and pandas arrays below its mmap threshold, whose freed heap
pages stay resident when anything is allocated above them). The resident set
then only grows from step to step, although nothing is alive. Calling
:func:`release_memory` where a step's transient arrays are gone returns
those pages, so that the next step starts from what is really in use.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

import pyarrow as pa

__all__ = ["release_memory"]


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None on other C libraries."""
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None
    if trim is not None:
        trim.argtypes = [ctypes.c_size_t]
        trim.restype = ctypes.c_int
    return trim


def release_memory() -> None:
    """Return the memory freed so far by arrow's pool and by ``malloc`` to the system.

    Cheap (milliseconds) next to the steps it follows; a no-op where the
    allocator offers no such call.
    """
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
