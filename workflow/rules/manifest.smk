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
        # the dataset whose input files it checksums, the results folder whose files it checksums
        dataset=DATASET,
        results=RESULTS,
    shell:
        '"$PY" -m netinnov manifest --log {log:q} --dataset {params.dataset:q} --out {output:q}'
        " --waves {params.waves:q} --options {params.options:q} --results {params.results:q}"
        " --outputs {input.outputs:q}"
