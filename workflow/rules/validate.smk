# Stage 1: read and validate each wave's input files (netinnov.io).


def validate_options(wildcards):
    """The options of one wave's validation. Of the wave order it passes only
    the waves up to this one (all that validating it needs: the actors known
    at it), so that adding a later wave — a new folder, or one more name in
    the config's `waves:` — leaves the params of earlier waves unchanged and
    does not rerun them."""
    opts = json.loads(
        options("on_bad_rows", "group_attribute", "directed", "pseudonymize", "pseudonym_key_file")
    )
    opts["waves"] = WAVES[: WAVES.index(wildcards.wave) + 1]
    return json.dumps(opts, sort_keys=True)


rule validate_wave:
    input:
        wave_inputs,
    output:
        validated=directory(RESULTS / "waves/{wave}/validated"),
        rejected=RESULTS / "waves/{wave}/rejected.csv",
    log:
        RESULTS / "logs/validate_{wave}.log",
    params:
        options=validate_options,
        out=lambda wc: wave_dir(wc.wave),
        # with pseudonymize: the raw -> pseudonym map, next to results/, never in it
        pseudonym_map=lambda wc: RESULTS.parent.parent / "private" / RESULTS.name / f"{wc.wave}.pseudonym-map.csv",
    shell:
        "{PY} -m netinnov ingest --log {log} --dataset {DATASET:q} --wave {wildcards.wave}"
        " --out {params.out:q} --options {params.options:q} --pseudonym-map {params.pseudonym_map:q}"
