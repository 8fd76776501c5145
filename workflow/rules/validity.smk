# Stage 4b: construct validity (netinnov.validity): how well the role, type, mixing and
# tie-strength measures recover what they measure, on the data at hand (survey reports,
# a planted truth where the dataset has one) and on a generated reference dataset.


#: The planted truth a generated dataset carries beside actors.csv (netinnov simulate).
TRUTH = {"roles": DATASET / "true_roles.csv", "cases": DATASET / "true_cases.csv"}


rule validity:
    input:
        actors=expand(RESULTS / "waves/{wave}/actors.csv", wave=WAVES),
        cases=expand(RESULTS / "waves/{wave}/cases.csv", wave=WAVES),
        diagnostics=expand(RESULTS / "waves/{wave}/tie_strength_diagnostics.csv", wave=WAVES),
        validated=expand(RESULTS / "waves/{wave}/validated", wave=WAVES),
        # a planted truth, where the dataset has one (a generated dataset)
        truth=[p for p in TRUTH.values() if p.is_file()],
    output:
        validity=RESULTS / "validity/validity.csv",
    log:
        RESULTS / "logs/validity.log",
    params:
        options=options(*WAVE_OPTIONS, "validity"),
        waves=WAVES,
        truth=" ".join(f"--true-{k} {shlex.quote(str(p))}" for k, p in TRUTH.items() if p.is_file()),
    shell:
        '"$PY" -m netinnov validity --log {log:q} --waves {params.waves:q} --actors {input.actors:q}'
        " --cases {input.cases:q} --tie-strength-diagnostics {input.diagnostics:q} --validated {input.validated:q}"
        " {params.truth} --out {output.validity:q} --options {params.options:q}"


rule validity_summaries:
    # the count of the validity report: every number it shows is a table
    input:
        validity=RESULTS / "validity/validity.csv",
    output:
        target_counts=RESULTS / "validity/target_counts.csv",
    log:
        RESULTS / "logs/validity_summaries.log",
    shell:
        '"$PY" -m netinnov validity-summaries --log {log:q} --validity {input.validity:q}'
        " --out {output.target_counts:q}"
