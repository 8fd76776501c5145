# Hand-over to R: per case, wave-by-wave adjacency matrices on a common actor
# set, covariates and Pajek files for RSiena and statnet (netinnov.steps.exports).
# One cross-wave job: it depends on every wave's tables.


rule exports:
    input:
        actors=expand(RESULTS / "waves/{wave}/actors.csv", wave=WAVES),
        ties=expand(RESULTS / "waves/{wave}/ties.csv", wave=WAVES),
        coattendance=expand(RESULTS / "waves/{wave}/coattendance.csv", wave=WAVES),
        validated=expand(RESULTS / "waves/{wave}/validated", wave=WAVES),
    output:
        directory(RESULTS / "exports"),
    log:
        RESULTS / "logs/exports.log",
    params:
        options=options("directed", "group_attribute", "nonrespondents"),
        waves=WAVES,
    shell:
        '"$PY" -m netinnov exports --log {log:q} --waves {params.waves:q} --actors {input.actors:q}'
        " --ties {input.ties:q} --coattendance {input.coattendance:q} --validated {input.validated:q}"
        " --out {output:q} --options {params.options:q}"
