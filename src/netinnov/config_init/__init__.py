"""``netinnov init DATASET``: write a config made for a dataset.

The default ``config/config.yaml`` is written for the example data: its
``models:`` and ``dyadic_models:`` name outcome and attribute columns
(``diffusion``, ``command_rank_score``) that another dataset may not have,
and every such model then ends without an estimate. ``netinnov init``
inspects the dataset (:mod:`~netinnov.config_init.inspect`), builds models
from the columns it has (:mod:`~netinnov.config_init.build`) and writes them
with comments saying what was detected and what was left out and why
(:mod:`~netinnov.config_init.render`). The file is checked against the
config schema before it is written.
"""

from __future__ import annotations

import logging
from pathlib import Path

import yaml

from .build import build_entries, outcome_family
from .inspect import inspect_dataset
from .render import render

__all__ = ["build_entries", "init_command", "init_config", "inspect_dataset", "outcome_family"]

log = logging.getLogger(__name__)


def default_out(dataset: Path | str) -> Path:
    """``config/<dataset folder name>.yaml``."""
    name = Path(str(dataset).rstrip("/\\")).resolve().name
    return Path("config") / f"{name}.yaml"


def init_config(dataset: Path | str, out: Path | str | None = None, *, force: bool = False,
                group_attribute: str = "sector") -> Path:
    """Inspect ``dataset`` and write its config to ``out``; the path written.

    Raises
    ------
    FileExistsError
        ``out`` exists and ``force`` is false.
    netinnov.io.InputError
        The dataset does not follow the input contract.
    netinnov.config.ConfigError
        The written config would not validate (a bug: reported, not written).
    """
    from ..config import resolve
    from ..models.spec import parse_dyadic_models, parse_models

    out = Path(out) if out else default_out(dataset)
    if out.exists() and not force:
        raise FileExistsError(f"{out} exists; pass --force to overwrite it")
    profile = inspect_dataset(dataset, group_attribute=group_attribute)
    text = render(build_entries(profile, str(dataset)), path=str(out))
    config = yaml.safe_load(text)
    resolve(config)  # the schema (raises ConfigError)
    parse_models(config["models"])
    parse_dyadic_models(config["dyadic_models"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    log.info("wrote %s: %d case-level and %d dyadic model(s), %d wave(s), directed: %s",
             out, len(config["models"]), len(config["dyadic_models"]), len(config["waves"]),
             str(config["directed"]).lower())
    log.info("run it with: snakemake --cores 2 --configfile %s", out)
    return out


def init_command(*, dataset: Path | str, out: Path | str | None = None, force: bool = False,
                 group_attribute: str = "sector") -> int:
    """``netinnov init``: 0 written, 2 not written (message logged)."""
    from ..config import ConfigError
    from ..io import InputError

    try:
        init_config(dataset, out, force=force, group_attribute=group_attribute)
    except FileExistsError as err:
        log.error("%s", err)
        return 2
    except InputError as err:
        log.error("the dataset cannot be read: %s (netinnov validate %s says more)",
                  err.redacted(), dataset)
        return 2
    except ConfigError as err:
        log.error("the config built for this dataset does not validate: %s", err)
        return 2
    return 0
