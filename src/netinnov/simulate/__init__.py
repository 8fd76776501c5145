"""Synthetic collaborative-innovation datasets with a planted truth (generator v2).

:func:`simulate_dataset` (CLI ``netinnov simulate``) writes a dataset that
follows the input contract — ``actors.csv``; per wave ``interactions.csv``,
``participation.csv``, ``roles.csv``, ``outcomes.csv``, ``members.csv`` (with
``responded``) and the joiners' ``actors.csv`` — and looks like fieldwork on
collaborative innovation in the public sector (Sørensen & Torfing 2013).

Generator v2 does not share the pipeline's formulas. It draws a *latent*
state — case types by who drives the case, leadership roles that act
(convener, facilitator, catalyst; Ansell & Gash 2012), heavy-tailed activity
with hubs, sector activity differences and a ``homophily`` parameter, case
openness to cross-sector work — then writes a noisy record of it: survey
non-response, a noisy role survey, records whose number and ratings follow
latent tie strength. Outcomes come from latent mechanisms (true role
presence, roster diversity, latent cross-sector work, a case random effect,
wave effects), never from a pipeline column. Between waves cases and actors
are lost to follow-up (attrition; ``netinnov simulate`` defaults to 10 % of
the cases and 15 % of the actors per transition, optionally informative). The
truth is written beside the
data: ``true_roles.csv``, ``true_cases.csv``, ``true_members.csv`` and
``true_effects.csv`` (terms spelled as ``models/coefficients.csv`` spells the
latent quantity's observable proxy). A handful of realistic bad rows is
planted so that the quarantine path runs (``planted_bad_rows.csv``).

Modules: :mod:`.design` (cases, actors, drivers, hubs, rosters),
:mod:`.roles` (latent holders and the survey report), :mod:`.fieldwork`
(one case-wave: latent ties, behaviour, records, events, non-response),
:mod:`.outcomes` (latent outcome model, true effects), :mod:`.attrition`
(cases and actors lost between waves), :mod:`.badrows`,
:mod:`.files` (writers and the dataset README), :mod:`.dataset` (the whole
dataset), :mod:`.command` (what ``netinnov simulate`` runs), :mod:`.recovery` (coverage and size of
the pipeline's case-level GLMs over many generated datasets). Everything is vectorised with numpy
(loops run over cases and waves only), so the same code writes the small
bundled example and benchmark datasets of 100 000 actors and millions of
records. Every random step draws from
``np.random.default_rng([seed, stream, case, wave])``: the same arguments
give byte-identical files.

References
----------
Sørensen, E., & Torfing, J. (2013). *Enhancing social innovation by rethinking
collaboration, leadership and public governance*. NESTA Social Frontiers.
Ansell, C., & Gash, A. (2012). Stewards, mediators, and catalysts: toward a
model of collaborative leadership. *The Innovation Journal*, 17(1), article 7.
Obstfeld, D. (2005). Social networks, the tertius iungens orientation, and
involvement in innovation. *Administrative Science Quarterly*, 50(1), 100–130.
Blau, P. M. (1977). *Inequality and Heterogeneity*. Free Press.
"""

from .attrition import DEFAULT_ACTOR_DROPOUT, DEFAULT_CASE_DROPOUT, DEFAULT_INFORMATIVE_DROPOUT
from .command import simulate_command
from .dataset import DEFAULT_HOMOPHILY, DEFAULT_SEED, simulate_dataset
from .design import (
    CHANNELS,
    COLLABORATION_TYPES,
    FIRST_YEAR,
    GOVERNANCE,
    LEADERSHIP_ROLES,
    PHASES,
    SECTORS,
)
from .outcomes import (
    CASE_EFFECT_SD,
    DIFFUSION_ETA_CAP,
    RADICALNESS_CUTPOINTS,
    TRUE_EFFECTS,
    marginal_effects,
    true_effects,
)

__all__ = [
    "CASE_EFFECT_SD",
    "CHANNELS",
    "COLLABORATION_TYPES",
    "DEFAULT_ACTOR_DROPOUT",
    "DEFAULT_CASE_DROPOUT",
    "DEFAULT_HOMOPHILY",
    "DEFAULT_INFORMATIVE_DROPOUT",
    "DEFAULT_SEED",
    "DIFFUSION_ETA_CAP",
    "FIRST_YEAR",
    "GOVERNANCE",
    "PHASES",
    "RADICALNESS_CUTPOINTS",
    "LEADERSHIP_ROLES",
    "SECTORS",
    "TRUE_EFFECTS",
    "marginal_effects",
    "simulate_command",
    "simulate_dataset",
    "true_effects",
]
