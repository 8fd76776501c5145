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
        # the dataset folder (SPEC 'Input'): the wave's files in it are this rule's input
        dataset=DATASET,
        options=validate_options,
        out=lambda wc: wave_dir(wc.wave),
        # with pseudonymize: the raw -> pseudonym map, next to results/, never in it
        pseudonym_map=lambda wc: RESULTS.parent.parent / "private" / RESULTS.name / f"{wc.wave}.pseudonym-map.csv",
    shell:
        '"$PY" -m netinnov validate-wave --log {log:q} --dataset {params.dataset:q} --wave {wildcards.wave:q}'
        " --out {params.out:q} --options {params.options:q} --pseudonym-map {params.pseudonym_map:q}"
