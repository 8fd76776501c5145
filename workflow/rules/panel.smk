# Stage 3: every wave stacked, and change between consecutive waves (netinnov.steps.panel).


rule panel:
    input:
        expand(RESULTS / "waves/{wave}/{table}.csv", wave=WAVES, table=["ties", "actors", "cases"]),
    output:
        cases=RESULTS / "panel/cases.csv",
        actors=RESULTS / "panel/actors.csv",
        change=RESULTS / "panel/change.csv",
        stability=RESULTS / "panel/stability.csv",
        tie_transitions=RESULTS / "panel/tie_transitions.csv",
    priority: 10  # on the critical path: ahead of the reports
    log:
        RESULTS / "logs/panel.log",
    params:
        options=options("directed"),
        waves=WAVES,
    shell:
        "{PY:q} -m netinnov panel --log {log:q} --results {RESULTS:q} --waves {params.waves:q}"
        " --options {params.options:q}"


rule phase_summaries:
    # participation by phase across cases: every number of the phases report is a table
    input:
        phases=expand(RESULTS / "waves/{wave}/phases.csv", wave=WAVES),
    output:
        summary=RESULTS / "panel/phase_summary.csv",
        involvement=RESULTS / "panel/group_involvement.csv",
    log:
        RESULTS / "logs/phase_summaries.log",
    params:
        waves=WAVES,
        group_attribute=config["group_attribute"],
        involvement_group=config["involvement_group"],
    shell:
        "{PY:q} -m netinnov phase-summaries --log {log:q} --phases {input.phases:q} --waves {params.waves:q}"
        " --summary {output.summary:q} --involvement {output.involvement:q}"
        " --group-attribute {params.group_attribute:q} --involvement-group {params.involvement_group:q}"
