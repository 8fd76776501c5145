"""Compiled and sparse kernels on the CSR graphs of :class:`~netinnov.networks.CaseNetwork`.

- :mod:`.neighbourhoods` — common neighbours, spans, bridges (numba);
- :mod:`.sparse_paths` — two-path products restricted to given pairs;
- :mod:`.triangles` — per-actor sums over the triangles of a symmetric graph;
- :mod:`.swaps` — the degree-preserving double-edge-swap chain.

The metrics call them; they know nothing of cases, waves or files.
"""
