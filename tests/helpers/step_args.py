"""Command lines of the steps that take explicit paths, for a results folder
laid out as SPEC.md and the rules lay it out (``results/<dataset>/waves/<wave>/``,
``panel/``, ``models/``, ``validity/``): the tests run the steps by hand the
way the rules do, written once here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from netinnov.contract import (
    MODEL_SUMMARY_TABLES,
    POWER_SUMMARY_TABLES,
    REPORT_SUMMARY_TABLES,
    WAVE_SUMMARY_TABLES,
)


def _out(folder: Path, names: Sequence[str]) -> list[str]:
    return [a for n in names for a in (f"--out-{n.replace('_', '-')}", str(folder / f"{n}.csv"))]


def _each(results: Path, waves: Sequence[str], name: str) -> list[str]:
    return [str(results / "waves" / w / name) for w in waves]


def wave_summaries(wave_dir: Path, *extra: str) -> list[str]:
    """``netinnov wave-summaries`` of one wave's folder, tables written into it."""
    wave_dir = Path(wave_dir)
    inputs = [a for t in ("cases", "actors", "ties", "phases", "rejected", "mixing_tests")
              for a in (f"--{t.replace('_', '-')}", str(wave_dir / f"{t}.csv"))]
    return ["wave-summaries", *inputs, *_out(wave_dir, WAVE_SUMMARY_TABLES), *extra]


def report_summaries(results: Path, waves: Sequence[str], *extra: str) -> list[str]:
    """``netinnov report-summaries`` of a results folder, tables written under ``panel/``."""
    panel = Path(results) / "panel"
    return [
        "report-summaries", "--waves", *waves, "--actors", *_each(results, waves, "actors.csv"),
        "--cases", *_each(results, waves, "cases.csv"), "--change", str(panel / "change.csv"),
        "--stability", str(panel / "stability.csv"), "--tie-transitions", str(panel / "tie_transitions.csv"),
        *_out(panel, REPORT_SUMMARY_TABLES), *extra,
    ]


def model_summaries(results: Path) -> list[str]:
    """``netinnov model-summaries`` of a results folder, tables written under ``models/``."""
    models = Path(results) / "models"
    return [
        "model-summaries", "--coefficients", str(models / "coefficients.csv"), "--fit", str(models / "fit.csv"),
        "--qap", str(models / "qap.csv"), "--cases", str(Path(results) / "panel" / "cases.csv"),
        *_out(models, MODEL_SUMMARY_TABLES),
    ]


def empty_results(models: Path, out: Path | None = None) -> list[str]:
    """``netinnov empty-results`` of a models folder (default: written into it)."""
    models = Path(models)
    return [
        "empty-results", "--coefficients", str(models / "coefficients.csv"), "--fit", str(models / "fit.csv"),
        "--qap", str(models / "qap.csv"), "--out", str(out or models / "empty_results.csv"),
    ]


def validity(results: Path, waves: Sequence[str], dataset: Path, out: Path, options: str) -> list[str]:
    """``netinnov validity`` of a results folder and its dataset's planted truth, if any."""
    truth = [a for k in ("roles", "cases") if (Path(dataset) / f"true_{k}.csv").is_file()
             for a in (f"--true-{k}", str(Path(dataset) / f"true_{k}.csv"))]
    return [
        "validity", "--waves", *waves, "--actors", *_each(results, waves, "actors.csv"),
        "--cases", *_each(results, waves, "cases.csv"),
        "--tie-strength-diagnostics", *_each(results, waves, "tie_strength_diagnostics.csv"),
        "--validated", *_each(results, waves, "validated"), *truth, "--out", str(out), "--options", options,
    ]


def export_paths(results: Path, waves: Sequence[str]) -> dict[str, list[Path]]:
    """The keyword paths of :func:`netinnov.steps.exports.run_exports` for a results folder."""
    each = {"actors": "actors.csv", "ties": "ties.csv", "coattendance": "coattendance.csv", "validated": "validated"}
    return {k: [Path(results) / "waves" / w / name for w in waves] for k, name in each.items()}


def power_summaries(models: Path) -> list[str]:
    """``netinnov power-summaries`` of a models folder holding power.csv and power_summary.csv."""
    models = Path(models)
    return ["power-summaries", "--power", str(models / "power.csv"), "--summary", str(models / "power_summary.csv"),
            *_out(models, POWER_SUMMARY_TABLES)]
