# Stage 4: models linking structure and leadership to outcomes (netinnov.models).


rule models:
    input:
        cases=RESULTS / "panel/cases.csv",
        actors=RESULTS / "panel/actors.csv",
        ties=expand(RESULTS / "waves/{wave}/ties.csv", wave=WAVES),
    output:
        features=RESULTS / "models/features.csv",
        coefficients=RESULTS / "models/coefficients.csv",
        cv_scores=RESULTS / "models/cv_scores.csv",
        qap=RESULTS / "models/qap.csv",
    log:
        RESULTS / "logs/models.log",
    params:
        options=options("models", "dyadic_models", "seed", "directed", "group_attribute"),
        waves=" ".join(WAVES),
    shell:
        "{PY} -m netinnov models --log {log} --results {RESULTS:q} --waves {params.waves}"
        " --options {params.options:q}"
