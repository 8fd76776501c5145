# Stage 1: read and validate each wave's input files (netinnov.io).


rule validate_wave:
    input:
        wave_inputs,
    output:
        validated=directory(RESULTS / "waves/{wave}/validated"),
        rejected=RESULTS / "waves/{wave}/rejected.csv",
    log:
        RESULTS / "logs/validate_{wave}.log",
    params:
        options=options("waves", "on_bad_rows", "group_attribute", "directed"),
        out=lambda wc: wave_dir(wc.wave),
    shell:
        "{PY} -m netinnov ingest --log {log} --dataset {DATASET:q} --wave {wildcards.wave}"
        " --out {params.out:q} --options {params.options:q}"
