# Stage 4: models linking structure and leadership to outcomes (netinnov.models).


rule case_models:
    input:
        cases=RESULTS / "panel/cases.csv",
        actors=RESULTS / "panel/actors.csv",
    output:
        features=RESULTS / "models/features.csv",
        coefficients=RESULTS / "models/coefficients.csv",
        fit=RESULTS / "models/fit.csv",
        cv_scores=RESULTS / "models/cv_scores.csv",
        importance=RESULTS / "models/importance.csv",
    priority: 10  # on the critical path: ahead of the reports
    log:
        RESULTS / "logs/case_models.log",
    params:
        options=options("models", "feature_aggregates", "seed", "tie_class", "small_cluster_max"),
        waves=WAVES,
    shell:
        '"$PY" -m netinnov case-models --log {log:q} --cases {input.cases:q} --actors {input.actors:q}'
        " --waves {params.waves:q} --out-features {output.features:q} --out-coefficients {output.coefficients:q}"
        " --out-fit {output.fit:q} --out-cv-scores {output.cv_scores:q} --out-importance {output.importance:q}"
        " --options {params.options:q}"


rule dyadic_chunk:
    # the dyadic models on one chunk of a wave's cases (netinnov.steps.dyadic_chunks)
    input:
        actors=RESULTS / "waves/{wave}/actors.csv",
        ties=RESULTS / "waves/{wave}/ties.csv",
        previous=lambda wc: (
            [RESULTS / f"waves/{previous_wave(wc.wave)}/{t}.csv" for t in ("actors", "ties")]
            if previous_wave(wc.wave) else []
        ),
    output:
        temp(RESULTS / "models/dyadic/{wave}/{scatteritem}.pkl"),
    priority: 10  # on the critical path: ahead of the reports
    log:
        RESULTS / "logs/dyadic_chunk_{wave}_{scatteritem}.log",
    params:
        options=options("dyadic_models", "seed", "directed", "group_attribute"),
        previous=lambda wc, input: (
            ["--previous-wave", previous_wave(wc.wave), "--previous-actors", input.previous[0],
             "--previous-ties", input.previous[1]] if previous_wave(wc.wave) else []
        ),
    shell:
        '"$PY" -m netinnov dyadic-chunk --log {log:q} --wave {wildcards.wave:q} --actors {input.actors:q}'
        " --ties {input.ties:q} {params.previous:q} --chunk {wildcards.scatteritem:q} --out {output:q}"
        " --options {params.options:q}"


rule dyadic_pooled:
    # a wave's chunks joined and its pooled fits
    input:
        parts=gather.wave_chunks(RESULTS / "models/dyadic/{{wave}}/{scatteritem}.pkl"),
    output:
        # kept (not temp): when a wave is added, qap.csv is rebuilt from the earlier waves' rows
        # without refitting them
        RESULTS / "models/dyadic/{wave}.pkl",
    priority: 10
    log:
        RESULTS / "logs/dyadic_pooled_{wave}.log",
    params:
        options=options("dyadic_models", "seed", "directed", "group_attribute"),
    shell:
        '"$PY" -m netinnov dyadic-pooled --log {log:q} --parts {input.parts:q} --wave {wildcards.wave:q}'
        " --out {output:q} --options {params.options:q}"


rule dyadic_models:
    # the waves' rows in wave order, q-values over every row
    input:
        parts=expand(RESULTS / "models/dyadic/{wave}.pkl", wave=WAVES),
    output:
        qap=RESULTS / "models/qap.csv",
    priority: 10
    log:
        RESULTS / "logs/dyadic_models.log",
    params:
        waves=WAVES,
    shell:
        '"$PY" -m netinnov dyadic-models --log {log:q} --parts {input.parts:q} --waves {params.waves:q}'
        " --out {output.qap:q}"


# Opt-in (config `power: {enabled: true}`): power and minimal detectable effect of
# every case-level model term by simulation from this design (netinnov.models.power).
if config["power"]["enabled"]:

    rule power:
        input:
            features=RESULTS / "models/features.csv",
        output:
            power=RESULTS / "models/power.csv",
            summary=RESULTS / "models/power_summary.csv",
        log:
            RESULTS / "logs/power.log",
        params:
            options=options("models", "seed", "small_cluster_max", "power"),
            waves=WAVES,
        shell:
            '"$PY" -m netinnov power --log {log:q} --features {input.features:q} --waves {params.waves:q}'
            " --options {params.options:q} --out {output.power:q} --summary {output.summary:q}"

    rule power_summaries:
        # the numbers of the power report: every number it shows is a table
        input:
            power=RESULTS / "models/power.csv",
            summary=RESULTS / "models/power_summary.csv",
        output:
            **{t: RESULTS / f"models/{t}.csv" for t in POWER_SUMMARY_TABLES},
        log:
            RESULTS / "logs/power_summaries.log",
        params:
            out=lambda wc, output: out_flags(output, POWER_SUMMARY_TABLES),
        shell:
            '"$PY" -m netinnov power-summaries --log {log:q} --power {input.power:q} --summary {input.summary:q}'
            " {params.out}"


# The numbers of the models report (netinnov.steps.model_summaries): every number it shows is a table.
rule model_summaries:
    input:
        coefficients=RESULTS / "models/coefficients.csv",
        fit=RESULTS / "models/fit.csv",
        qap=RESULTS / "models/qap.csv",
        cases=RESULTS / "panel/cases.csv",
    output:
        **{t: RESULTS / f"models/{t}.csv" for t in MODEL_SUMMARY_TABLES},
    log:
        RESULTS / "logs/model_summaries.log",
    params:
        out=lambda wc, output: out_flags(output, MODEL_SUMMARY_TABLES),
    shell:
        '"$PY" -m netinnov model-summaries --log {log:q} --coefficients {input.coefficients:q} --fit {input.fit:q}'
        " --qap {input.qap:q} --cases {input.cases:q} {params.out}"


# Every model fit without an estimate, with its reason (netinnov.steps.empty_results): logged
# here, counted at the end of the run (onsuccess below) and shown first on reports/index.html.
rule empty_results:
    input:
        coefficients=RESULTS / "models/coefficients.csv",
        fit=RESULTS / "models/fit.csv",
        qap=RESULTS / "models/qap.csv",
    output:
        RESULTS / "models/empty_results.csv",
    log:
        RESULTS / "logs/empty_results.log",
    shell:
        '"$PY" -m netinnov empty-results --log {log:q} --coefficients {input.coefficients:q} --fit {input.fit:q}'
        " --qap {input.qap:q} --out {output:q}"


onsuccess:
    from netinnov.steps.empty_results import print_run_summary

    print_run_summary(RESULTS / "models" / "empty_results.csv", dataset=DATASET)
