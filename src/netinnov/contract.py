"""The shared vocabulary of the results contract, in SPEC.md's words.

One definition of each: the innovation phases, the leadership roles, the
Gould–Fernandez brokerage roles, the wave tables, and the file names made
from case ids (GraphML files, exports, report pages). The validation rules,
the metrics, the models, the generator and the reports import them from
here, so a name cannot mean two things.
"""

from __future__ import annotations

import hashlib
import re

__all__ = [
    "BROKERAGE_ROLES",
    "LEADERSHIP_ROLES",
    "MAX_NAME",
    "MODEL_SUMMARY_TABLES",
    "PHASES",
    "POWER_SUMMARY_TABLES",
    "REPORT_SUMMARY_TABLES",
    "VALIDITY_SUMMARY_TABLES",
    "WAVE_SUMMARY_TABLES",
    "WAVE_TABLES",
    "case_file_name",
]

#: The phases of an innovation process, in order (SPEC ``phase``; Sørensen &
#: Torfing 2011): the values of ``interactions.csv``'s ``phase`` column.
PHASES = ("initiation", "design", "implementation", "diffusion")

#: The three leadership roles of collaborative innovation (THEORY.md; Ansell &
#: Gash 2012), in the order of ``actors.csv``'s score columns and the values of
#: ``roles.csv``'s ``role`` column.
LEADERSHIP_ROLES = ("convener", "facilitator", "catalyst")

#: The five Gould–Fernandez (1989) brokerage roles, in the order of R sna's
#: ``brokerage()`` columns ``w_I, w_O, b_IO, b_OI, b_O`` (``actors.csv``'s
#: ``gf_<role>`` columns).
BROKERAGE_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")

#: The tables of the wave step, ``waves/<wave>/<name>.csv`` (SPEC), in this order.
WAVE_TABLES = (
    "ties", "actors", "cases", "phases", "phase_tests", "roles_validation", "coattendance",
    "tie_strength_diagnostics",
)  # fmt: skip

#: The tables of the wave-summaries step, ``waves/<wave>/<name>.csv``: the numbers of the wave overview.
WAVE_SUMMARY_TABLES = (
    "wave_counts", "quality_checks", "case_measures", "mixing_summary", "rejected_counts", "case_counts",
)  # fmt: skip

#: The tables of the report-summaries step, ``panel/<name>.csv``: the numbers of the
#: distributions, panel and roles reports.
REPORT_SUMMARY_TABLES = (
    "actor_counts", "metric_summary", "turnover", "jaccard_summary", "tie_transition_summary",
    "stability_summary", "role_scores", "role_presence",
)  # fmt: skip

#: The tables of the model-summaries step, ``models/<name>.csv``: the numbers of the models report.
MODEL_SUMMARY_TABLES = ("small_sample", "qap_not_estimated", "not_estimated", "model_summary")

#: The tables of the (opt-in) power-summaries step, ``models/<name>.csv``.
POWER_SUMMARY_TABLES = ("mde", "power_reach")

#: The tables of the validity-summaries step, ``validity/<name>.csv``.
VALIDITY_SUMMARY_TABLES = ("target_counts",)

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")

#: Longest id kept whole in a file name: longer ids are cut and get the hash, so
#: that a name with its suffix (``.graphml``, ``.html``) stays well under the
#: 255 bytes file systems allow.
MAX_NAME = 100


def case_file_name(case_id: str) -> str:
    """A file name for a case id: the id itself where it is file-safe (letters,
    digits, ``_.-``), else the id with unsafe runs replaced by ``_`` plus a short
    hash of the id, so that two ids never share a name (``"a b"`` and ``"a_b"``).
    An id longer than :data:`MAX_NAME` characters is cut to that length and
    gets the hash too."""
    text = str(case_id)
    clean = _UNSAFE.sub("_", text).strip(".")
    if clean == text and clean and len(clean) <= MAX_NAME:
        return clean
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{(clean or 'case')[:MAX_NAME]}-{digest}"
