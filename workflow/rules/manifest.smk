# Provenance: input checksums, resolved config, package versions, and the
# checksum of every result table (netinnov.manifest). Included last: it
# depends on the outputs of every stage but the reports (renderings of these
# tables) and the logs.


def manifest_outputs():
    """Every result the manifest checksums: the outputs of validation, the wave
    tables, the panel, the models and the exports."""
    per_wave = [str(f) for f in (*rules.validate_wave.output, *rules.wave_tables.output)]
    files = expand(per_wave, wave=WAVES)
    for stage in (rules.panel, rules.case_models, rules.dyadic_models, rules.exports):
        files += [str(f) for f in stage.output]
    return sorted(set(files))


rule manifest:
    input:
        inputs=sorted({f for w in WAVES for f in wave_input_files(w)}),
        outputs=manifest_outputs(),
    output:
        RESULTS / "manifest.json",
    log:
        RESULTS / "logs/manifest.log",
    params:
        options=json.dumps(config, sort_keys=True),
        waves=" ".join(WAVES),
    shell:
        "{PY} -m netinnov manifest --log {log} --dataset {DATASET:q} --out {output:q}"
        " --waves {params.waves} --options {params.options:q} --results {RESULTS:q}"
        " --outputs {input.outputs:q}"
