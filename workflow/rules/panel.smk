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
        '"$PY" -m netinnov panel --log {log:q} --waves {params.waves:q} --ties {input.ties:q}'
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
        '"$PY" -m netinnov phase-summaries --log {log:q} --phases {input.phases:q} --waves {params.waves:q}'
        " --summary {output.summary:q} --involvement {output.involvement:q}"
        " --group-attribute {params.group_attribute:q} --involvement-group {params.involvement_group:q}"


rule report_summaries:
    # the summaries of the distributions, panel and roles reports: every number they show is a table
    input:
        actors=expand(RESULTS / "waves/{wave}/actors.csv", wave=WAVES),
        cases=expand(RESULTS / "waves/{wave}/cases.csv", wave=WAVES),
        change=RESULTS / "panel/change.csv",
        stability=RESULTS / "panel/stability.csv",
        tie_transitions=RESULTS / "panel/tie_transitions.csv",
    output:
        **{t: RESULTS / f"panel/{t}.csv" for t in REPORT_SUMMARY_TABLES},
    log:
        RESULTS / "logs/report_summaries.log",
    params:
        waves=WAVES,
        group_attribute=config["group_attribute"],
        out=lambda wc, output: out_flags(output, REPORT_SUMMARY_TABLES),
    shell:
        '"$PY" -m netinnov report-summaries --log {log:q} --waves {params.waves:q} --actors {input.actors:q}'
        " --cases {input.cases:q} --change {input.change:q} --stability {input.stability:q}"
        " --tie-transitions {input.tie_transitions:q} {params.out} --group-attribute {params.group_attribute:q}"
