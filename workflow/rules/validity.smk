# Stage 4b: construct validity (netinnov.validity): how well the role, type, mixing and
# tie-strength measures recover what they measure, on the data at hand (survey reports,
# a planted truth where the dataset has one) and on a generated reference dataset.


rule validity:
    input:
        tables=expand(RESULTS / "waves/{wave}/{table}.csv", wave=WAVES, table=["actors", "cases", "tie_strength_diagnostics"]),
        validated=expand(RESULTS / "waves/{wave}/validated", wave=WAVES),
    output:
        validity=RESULTS / "validity/validity.csv",
    log:
        RESULTS / "logs/validity.log",
    params:
        options=options(*WAVE_OPTIONS, "validity"),
        waves=WAVES,
    shell:
        "{PY:q} -m netinnov validity --log {log:q} --results {RESULTS:q} --waves {params.waves:q}"
        " --dataset {DATASET:q} --out {output.validity:q} --options {params.options:q}"


rule validity_summaries:
    # the count of the validity report: every number it shows is a table
    input:
        validity=RESULTS / "validity/validity.csv",
    output:
        target_counts=RESULTS / "validity/target_counts.csv",
    log:
        RESULTS / "logs/validity_summaries.log",
    shell:
        "{PY:q} -m netinnov validity-summaries --log {log:q} --validity {input.validity:q}"
        " --out {output.target_counts:q}"
