# Stage 3: every wave stacked, and change between consecutive waves (netinnov.steps.panel).


rule panel:
    input:
        ties=expand(RESULTS / "waves/{wave}/ties.csv", wave=WAVES),
        actors=expand(RESULTS / "waves/{wave}/actors.csv", wave=WAVES),
        cases=expand(RESULTS / "waves/{wave}/cases.csv", wave=WAVES),
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
        "{PY:q} -m netinnov panel --log {log:q} --waves {params.waves:q} --ties {input.ties:q}"
        " --actors {input.actors:q} --cases {input.cases:q} --out-cases {output.cases:q}"
        " --out-actors {output.actors:q} --out-change {output.change:q} --out-stability {output.stability:q}"
        " --out-tie-transitions {output.tie_transitions:q} --options {params.options:q}"


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


rule report_summaries:
    # the summaries of the distributions, panel and roles reports: every number they show is a table
    input:
        waves=expand(RESULTS / "waves/{wave}/{table}.csv", wave=WAVES, table=["actors", "cases"]),
        change=RESULTS / "panel/change.csv",
        stability=RESULTS / "panel/stability.csv",
        tie_transitions=RESULTS / "panel/tie_transitions.csv",
    output:
        actor_counts=RESULTS / "panel/actor_counts.csv",
        metric_summary=RESULTS / "panel/metric_summary.csv",
        turnover=RESULTS / "panel/turnover.csv",
        jaccard_summary=RESULTS / "panel/jaccard_summary.csv",
        tie_transition_summary=RESULTS / "panel/tie_transition_summary.csv",
        stability_summary=RESULTS / "panel/stability_summary.csv",
        role_scores=RESULTS / "panel/role_scores.csv",
        role_presence=RESULTS / "panel/role_presence.csv",
    log:
        RESULTS / "logs/report_summaries.log",
    params:
        waves=WAVES,
        group_attribute=config["group_attribute"],
        results=RESULTS,
        out=RESULTS / "panel",
    shell:
        "{PY:q} -m netinnov report-summaries --log {log:q} --results {params.results:q} --waves {params.waves:q}"
        " --out {params.out:q} --group-attribute {params.group_attribute:q}"
