"""The validation step of one wave (rule ``validate_wave``): read and validate
the wave's input files, pseudonymise them when the config asks, and write
``validated/`` and ``rejected.csv`` (:mod:`netinnov.io`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["validate_wave"]

log = logging.getLogger("netinnov")


def validate_wave(
    *, dataset: Path, wave: str, out: Path, options: Mapping[str, Any] | None = None,
    pseudonym_map: Path | None = None,
) -> int:  # fmt: skip
    """Validate ``wave`` of ``dataset`` into ``out`` (``results/<dataset>/waves/<wave>``):
    0 written, 2 when the wave cannot be validated or pseudonymised (logged in one line)."""
    from netinnov.io import InputError, write_validated
    from netinnov.io import validate_wave as read_and_validate
    from netinnov.options import IngestOptions

    opts = IngestOptions.of(dict(options or {}))
    out = Path(out)
    key = None
    if opts.pseudonymize:
        from netinnov.io import privacy

        shared = privacy.results_folders(out)
        try:
            if not pseudonym_map:
                raise privacy.PseudonymError("pseudonymize is true but no --pseudonym-map path is given")
            key = privacy.load_key(opts.pseudonym_key_file, forbidden=[*shared, Path(dataset)])
        except privacy.PseudonymError as err:
            log.error("wave %s: %s", wave, err)
            return 2
    try:
        data = read_and_validate(
            Path(dataset),
            wave,
            waves=list(opts.waves) or None,
            on_bad_rows=opts.on_bad_rows,
            group_attribute=opts.group_attribute,
            directed=opts.directed,
        )
    except InputError as err:
        # pseudonymised: nothing quoted from the files (header cells may be ids)
        log.error("wave %s: %s", wave, err.redacted() if key is not None else err)
        return 2
    if key is not None:
        # once, before anything is written: every later step sees pseudonyms only
        try:
            data, mapping = privacy.pseudonymize_wave(data, key)
            privacy.write_pseudonym_map(mapping, Path(pseudonym_map), forbidden=shared)
        except privacy.PseudonymError as err:
            log.error("wave %s: %s", wave, err)
            return 2
        log.info("wave %s: actor ids and organisation names pseudonymised (%d values)", wave, len(mapping))
    write_validated(data, out)
    summary = data.summary
    log.info("wave %s validated:\n%s", wave, summary.to_string(index=False))
    return 0
