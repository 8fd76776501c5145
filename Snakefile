# netinnov: interaction records -> collaboration networks -> metrics -> models -> reports.
# A table of contents: every stage lives in workflow/rules/, every step's logic in src/netinnov/.
import os

from snakemake.utils import min_version

min_version("8.20")


configfile: os.path.join(workflow.basedir, "config", "config.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/validate.smk"
include: "workflow/rules/networks.smk"
include: "workflow/rules/panel.smk"
include: "workflow/rules/models.smk"
include: "workflow/rules/validity.smk"
include: "workflow/rules/reports.smk"
include: "workflow/rules/exports.smk"
include: "workflow/rules/codebook.smk"
include: "workflow/rules/manifest.smk"


rule all:
    input:
        all_targets(),
    default_target: True
