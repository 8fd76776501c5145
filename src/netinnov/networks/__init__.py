"""The network layer: one case in one wave as a :class:`CaseNetwork`.

- :mod:`.case_network` — the :class:`CaseNetwork` the metrics share (and its
  networkx adapter);
- :mod:`.build` — building the case networks of a wave from its records;
- :mod:`.nonresponse` — arcs that survey non-respondents did not report;
- :mod:`.graphml` — GraphML files of the case networks.
"""

from netinnov.networks.case_network import CaseNetwork

__all__ = ["CaseNetwork"]
