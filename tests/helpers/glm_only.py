"""``fit_glm``/``fit_glms`` restricted to the pooled GLM, for the tests written for it.

These tests check the GLM's own inference (CR2, CR1, HC1, separation, drops)
on hand-made designs: they ask for no GEE/mixed rows and no automatic wave
effects, so their designs are exactly the ones they state. Specs given as
mappings get ``regression_estimators: [glm]`` and ``wave_effects: false``
unless they set them; :class:`~netinnov.models.spec.ModelSpec` objects pass
unchanged.
"""

from __future__ import annotations

from netinnov.models.glm import fit_glm as _fit_glm
from netinnov.models.glm import fit_glms as _fit_glms


def glm_only(spec):
    """A mapping spec with the GLM alone and no automatic wave effects."""
    if isinstance(spec, dict):
        return {"regression_estimators": ["glm"], "wave_effects": False, **spec}
    return spec


def fit_glm(features, spec, **kwargs):
    return _fit_glm(features, glm_only(spec), **kwargs)


def fit_glms(features, specs, **kwargs):
    return _fit_glms(features, [glm_only(s) for s in specs], **kwargs)
