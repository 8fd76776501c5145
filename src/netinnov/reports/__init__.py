"""The analyst's reports: figures and tables for the notebooks, notebook
execution (papermill → nbconvert HTML), case selection and the index page.

Modules: :mod:`~netinnov.reports.data` (reading a results folder),
:mod:`~netinnov.reports.display` (showing and saving figures and tables),
:mod:`~netinnov.reports.figures` (colours, box plots, wave overview),
:mod:`~netinnov.reports.network` (case network pages),
:mod:`~netinnov.reports.distributions`, :mod:`~netinnov.reports.phases`,
:mod:`~netinnov.reports.roles`, :mod:`~netinnov.reports.panel`,
:mod:`~netinnov.reports.models` (one per report), :mod:`~netinnov.reports.selection`,
:mod:`~netinnov.reports.execute`, :mod:`~netinnov.reports.index`.
The report steps (``netinnov report``, ``netinnov case-reports``, ...) are in
:mod:`netinnov.steps.reports`.
"""
