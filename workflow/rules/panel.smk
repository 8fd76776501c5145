# Stage 3: every wave stacked, and change between consecutive waves (netinnov.panel).


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
