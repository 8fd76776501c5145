"""Figures for the notebooks, notebook execution, and the report index."""
