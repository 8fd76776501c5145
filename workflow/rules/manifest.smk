# Provenance: input checksums, resolved config, package versions, and the
# checksum of every result table (netinnov.steps.manifest). Included last: it
# depends on the outputs of every stage (the codebook's datapackage.json and
# methods.md too) but the reports (renderings of these tables) and the logs.


rule manifest:
    input:
        inputs=sorted({f for w in WAVES for f in wave_input_files(w)}),
        outputs=[*manifest_outputs(), *rules.codebook.output],
    output:
        RESULTS / "manifest.json",
    log:
        RESULTS / "logs/manifest.log",
    params:
        options=json.dumps(config, sort_keys=True),
        waves=WAVES,
    shell:
        "{PY:q} -m netinnov manifest --log {log:q} --dataset {DATASET:q} --out {output:q}"
        " --waves {params.waves:q} --options {params.options:q} --results {RESULTS:q}"
        " --outputs {input.outputs:q}"
