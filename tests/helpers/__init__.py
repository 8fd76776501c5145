"""Helpers the tests share, imported the same way everywhere: ``from helpers.X import …``.

``tests/`` is on ``sys.path`` through ``pythonpath`` in pyproject's
``[tool.pytest.ini_options]``; the test folders themselves are no packages
(pytest imports them with ``--import-mode=importlib``).
"""
