"""The bad-input corpus (tests/data/bad): its cases and a dataset built from one.

Each case is a folder of files laid over ``base/`` and an ``expected.yaml``
stating the outcome (see docs/bad_input.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from helpers.paths import BAD_CORPUS as CORPUS
from netinnov.config import resolve

BASE = CORPUS / "base"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.yaml").is_file())


def load(name: str) -> dict:
    with open(CORPUS / name / "expected.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def build(name: str, tmp_path: Path) -> Path:
    """A copy of base/ with the case's files laid over it and its ``remove`` paths deleted."""
    root = tmp_path / name
    shutil.copytree(BASE, root)
    folder = CORPUS / name
    for path in folder.rglob("*"):
        if path.is_file() and path.name != "expected.yaml":
            target = root / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    for rel in load(name).get("remove", []):
        target = root / rel
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    return root


def options_for(root: Path, expected: dict) -> dict:
    return resolve({"dataset": str(root), **expected.get("options", {})})
