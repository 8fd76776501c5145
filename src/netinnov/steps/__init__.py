"""Pipeline steps: the only code that reads or writes result files.

One module per stage of the pipeline; each step takes explicit input and
output paths and calls the pure layers below it (:mod:`netinnov.io`,
:mod:`netinnov.networks`, :mod:`netinnov.metrics`, :mod:`netinnov.models`).
"""
