"""Construct validity: how well the measures recover what they are meant to measure.

:mod:`.figures` computes the figures from result tables, :mod:`.reference`
runs the measures on generated data with a planted truth, :mod:`.run` is the
pipeline step that writes ``validity/validity.csv``.
"""

from netinnov.validity.figures import (
    COLUMNS,
    TARGETS,
    mixing_figures,
    role_figures,
    tie_strength_figures,
    type_figures,
)

__all__ = ["COLUMNS", "TARGETS", "mixing_figures", "role_figures", "tie_strength_figures", "type_figures"]
