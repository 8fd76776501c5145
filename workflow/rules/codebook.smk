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
        # the folder whose tables it describes (every one of them is an input) and the dataset
        # whose attribute and outcome columns it names
        results=RESULTS,
        dataset=DATASET,
    shell:
        '"$PY" -m netinnov codebook --log {log:q} --results {params.results:q} --dataset {params.dataset:q}'
        " --waves {params.waves:q} --options {params.options:q} --out {output.datapackage:q}"
        " --methods {output.methods:q}"
