# Hand-over to R: per case, wave-by-wave adjacency matrices on a common actor
# set, covariates and Pajek files for RSiena and statnet (netinnov.steps.exports).
# One cross-wave job: it depends on every wave's tables.


rule exports:
    input:
        tables=expand(RESULTS / "waves/{wave}/{table}.csv", wave=WAVES, table=["ties", "actors", "coattendance"]),
        validated=expand(RESULTS / "waves/{wave}/validated", wave=WAVES),
    output:
        directory(RESULTS / "exports"),
    log:
        RESULTS / "logs/exports.log",
    params:
        options=options("directed", "group_attribute", "nonrespondents"),
        waves=WAVES,
    shell:
        "{PY:q} -m netinnov exports --log {log:q} --results {RESULTS:q} --out {output:q}"
        " --waves {params.waves:q} --options {params.options:q}"
