# Stage 6: the codebook (netinnov.codebook): every result table as a resource of a
# Frictionless Data Package (datapackage.json: field types, definitions, missing values,
# primary keys) and the run's methods paragraph (methods.md). Waits for every table.


rule codebook:
    input:
        tables=manifest_outputs(),
    output:
        datapackage=RESULTS / "datapackage.json",
        methods=RESULTS / "methods.md",
    log:
        RESULTS / "logs/codebook.log",
    params:
        options=json.dumps(config, sort_keys=True),
        waves=WAVES,
    shell:
        "{PY:q} -m netinnov codebook --log {log:q} --results {RESULTS:q} --dataset {DATASET:q}"
        " --waves {params.waves:q} --options {params.options:q} --out {output.datapackage:q}"
        " --methods {output.methods:q}"
