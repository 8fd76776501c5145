# Stage 5: executed notebooks rendered to HTML (papermill + nbconvert).


rule wave_report:
    input:
        notebook=NOTEBOOKS / "wave_overview.ipynb",
        tables=expand(RESULTS / "waves/{{wave}}/{table}.csv", table=["ties", "actors", "cases", "rejected"]),
    output:
        ipynb=RESULTS / "reports/wave_{wave}.ipynb",
        html=RESULTS / "reports/wave_{wave}.html",
    log:
        RESULTS / "logs/report_wave_{wave}.log",
    params:
        wave_dir=lambda wc: wave_dir(wc.wave),
    shell:
        "{PY} -m netinnov report --log {log} --notebook {input.notebook:q} --out {output.ipynb:q}"
        " --html {output.html:q} -p wave={wildcards.wave} -p wave_dir={params.wave_dir:q}"


rule report_index:
    input:
        expand(RESULTS / "reports/wave_{wave}.html", wave=WAVES),
    output:
        RESULTS / "reports/index.html",
    log:
        RESULTS / "logs/report_index.log",
    params:
        title=lambda wc: f"netinnov reports: {RESULTS.name}",
    shell:
        "{PY} -m netinnov index --log {log} --out {output:q} --title {params.title:q} {input:q}"
