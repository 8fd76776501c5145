# Provenance: input checksums, resolved config, package versions (netinnov.manifest).


rule manifest:
    input:
        inputs=sorted({f for w in WAVES for f in wave_input_files(w)}),
        tables=expand(RESULTS / "waves/{wave}/{table}.csv", wave=WAVES, table=["ties", "actors", "cases"]),
    output:
        RESULTS / "manifest.json",
    log:
        RESULTS / "logs/manifest.log",
    params:
        options=json.dumps(config, sort_keys=True),
        waves=" ".join(WAVES),
    shell:
        "{PY} -m netinnov manifest --log {log} --dataset {DATASET:q} --out {output:q}"
        " --waves {params.waves} --options {params.options:q}"
