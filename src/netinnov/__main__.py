"""``python -m netinnov``: the same as the ``netinnov`` command."""

import sys

from netinnov.cli import main

sys.exit(main())
