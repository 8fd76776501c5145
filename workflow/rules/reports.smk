# Stage 5: the analyst's reports (netinnov.reports). Each notebook in workflow/notebooks/
# runs with papermill into results/<dataset>/reports/: the executed .ipynb, a
# self-contained .html (figures embedded, opens offline) and, under reports/figures/,
# the key figures and tables (HTML) that `snakemake --report report.html` shows. Every
# figure is saved three times, same name: PNG (200 dpi), SVG and PDF (vector, for print).
# Case network pages: the cases chosen by `case_reports`, `report_cases_per_job` pages
# per job (one kernel per job), in reports/cases/<wave>/<part>/<case>.html; their figures
# (network, brokerage roles) in reports/figures/cases/<wave>/<part>/<case>/.
# Interactive network views of the same cases, one job per wave, in
# reports/interactive/<wave>/<case>.html (self-contained: they open offline).


report: "../report/workflow.rst"


rule wave_report:
    input:
        notebook=NOTEBOOKS / "wave_overview.ipynb",
        validated=RESULTS / "waves/{wave}/validated",
        tables=expand(RESULTS / "waves/{{wave}}/{table}.csv", table=["ties", "actors", "cases", "rejected", "phases", "mixing_tests"]),
        summaries=expand(RESULTS / "waves/{{wave}}/{table}.csv", table=WAVE_SUMMARY_TABLES),
    output:
        ipynb=REPORTS / "wave_{wave}.ipynb",
        html=report(
            REPORTS / "wave_{wave}.html",
            caption=CAPTIONS / "notebook.rst",
            category="Notebooks",
            labels={"report": "wave {wave} overview"},
        ),
        figures=report_figures(FIGURES / "wave_{wave}", "wave_overview.rst", "1. Waves", "wave {wave}"),
    log:
        RESULTS / "logs/report_wave_{wave}.log",
    params:
        p=lambda wc, output: notebook_params(
            wave=wc.wave, wave_dir=wave_dir(wc.wave), group_attribute=config["group_attribute"],
            figures_dir=output.figures,
        ),
    shell:
        '"$PY" -m netinnov report --log {log:q} --notebook {input.notebook:q} --out {output.ipynb:q}'
        " --html {output.html:q} {params.p}"


checkpoint case_selection:
    input:
        cases=expand(RESULTS / "waves/{wave}/cases.csv", wave=WAVES),
    output:
        REPORTS / "cases/selection.csv",
    log:
        RESULTS / "logs/report_case_selection.log",
    params:
        case_reports=config["case_reports"],
        per_job=config["report_cases_per_job"],
        waves=WAVES,
    shell:
        '"$PY" -m netinnov case-selection --log {log:q} --cases {input.cases:q} --waves {params.waves:q}'
        " --case-reports {params.case_reports:q} --per-job {params.per_job:q} --out {output:q}"


rule case_reports:
    input:
        notebook=NOTEBOOKS / "case_network.ipynb",
        selection=REPORTS / "cases/selection.csv",
        tables=expand(RESULTS / "waves/{{wave}}/{table}.csv", table=["ties", "actors", "cases", "case_counts"]),
    output:
        pages=directory(REPORTS / "cases/{wave}/{part}"),
        figures=directory(FIGURES / "cases/{wave}/{part}"),
    wildcard_constraints:
        part="part[0-9]+",
    log:
        RESULTS / "logs/report_cases_{wave}_{part}.log",
    params:
        wave_dir=lambda wc: wave_dir(wc.wave),
        interactive_dir=REPORTS / "interactive",
        p=notebook_params(
            group_attribute=config["group_attribute"], role_threshold=config["role_threshold"], seed=config["seed"],
        ),
    shell:
        '"$PY" -m netinnov case-reports --log {log:q} --notebook {input.notebook:q} --selection {input.selection:q}'
        " --wave {wildcards.wave:q} --part {wildcards.part:q} --wave-dir {params.wave_dir:q} --out {output.pages:q}"
        " --figures {output.figures:q} --interactive-dir {params.interactive_dir:q} {params.p}"


rule interactive_views:
    input:
        selection=REPORTS / "cases/selection.csv",
        tables=expand(RESULTS / "waves/{{wave}}/{table}.csv", table=["ties", "actors", "cases"]),
    output:
        directory(REPORTS / "interactive/{wave}"),
    log:
        RESULTS / "logs/report_interactive_{wave}.log",
    params:
        wave_dir=lambda wc: wave_dir(wc.wave),
        cases_dir=REPORTS / "cases",
        group_attribute=config["group_attribute"],
        seed=config["seed"],
        directed=str(bool(config["directed"])).lower(),
    shell:
        '"$PY" -m netinnov interactive-views --log {log:q} --selection {input.selection:q}'
        " --wave {wildcards.wave:q} --wave-dir {params.wave_dir:q} --out {output:q}"
        " --group-attribute {params.group_attribute:q} --seed {params.seed:q} --directed {params.directed:q}"
        " --cases-dir {params.cases_dir:q}"


rule distributions_report:
    input:
        notebook=NOTEBOOKS / "distributions.ipynb",
        actors=expand(RESULTS / "waves/{wave}/actors.csv", wave=WAVES),
        counts=RESULTS / "panel/actor_counts.csv",
        summary=RESULTS / "panel/metric_summary.csv",
    output:
        ipynb=REPORTS / "distributions.ipynb",
        html=report(REPORTS / "distributions.html", caption=CAPTIONS / "notebook.rst", category="Notebooks",
                    labels={"report": "actor metrics by sector"}),
        figures=report_figures(FIGURES / "distributions", "distributions.rst", "2. Actor metrics by sector"),
    log:
        RESULTS / "logs/report_distributions.log",
    params:
        p=lambda wc, output: notebook_params(
            results_dir=RESULTS, waves=",".join(WAVES), group_attribute=config["group_attribute"],
            citizen_label=config["involvement_group"], figures_dir=output.figures,
        ),
    shell:
        '"$PY" -m netinnov report --log {log:q} --notebook {input.notebook:q} --out {output.ipynb:q}'
        " --html {output.html:q} {params.p}"


rule phases_report:
    input:
        notebook=NOTEBOOKS / "phases.ipynb",
        phases=expand(RESULTS / "waves/{wave}/{table}.csv", wave=WAVES, table=["phases", "phase_tests"]),
        summary=RESULTS / "panel/phase_summary.csv",
        involvement=RESULTS / "panel/group_involvement.csv",
    output:
        ipynb=REPORTS / "phases.ipynb",
        html=report(REPORTS / "phases.html", caption=CAPTIONS / "notebook.rst", category="Notebooks",
                    labels={"report": "participation by phase and sector"}),
        figures=report_figures(FIGURES / "phases", "phases.rst", "3. Phases"),
    log:
        RESULTS / "logs/report_phases.log",
    params:
        p=lambda wc, output: notebook_params(
            results_dir=RESULTS, waves=",".join(WAVES), group_attribute=config["group_attribute"],
            citizen_label=config["involvement_group"], figures_dir=output.figures,
        ),
    shell:
        '"$PY" -m netinnov report --log {log:q} --notebook {input.notebook:q} --out {output.ipynb:q}'
        " --html {output.html:q} {params.p}"


rule roles_report:
    input:
        notebook=NOTEBOOKS / "roles.ipynb",
        tables=expand(RESULTS / "waves/{wave}/{table}.csv", wave=WAVES, table=["actors", "cases", "roles_validation"]),
        scores=RESULTS / "panel/role_scores.csv",
        presence=RESULTS / "panel/role_presence.csv",
    output:
        ipynb=REPORTS / "roles.ipynb",
        html=report(REPORTS / "roles.html", caption=CAPTIONS / "notebook.rst", category="Notebooks",
                    labels={"report": "leadership roles"}),
        figures=report_figures(FIGURES / "roles", "roles.rst", "4. Leadership roles"),
    log:
        RESULTS / "logs/report_roles.log",
    params:
        p=lambda wc, output: notebook_params(
            results_dir=RESULTS, waves=",".join(WAVES), role_threshold=config["role_threshold"],
            figures_dir=output.figures,
        ),
    shell:
        '"$PY" -m netinnov report --log {log:q} --notebook {input.notebook:q} --out {output.ipynb:q}'
        " --html {output.html:q} {params.p}"


rule panel_report:
    input:
        notebook=NOTEBOOKS / "panel.ipynb",
        panel=stage_tables("panel"),
    output:
        ipynb=REPORTS / "panel.ipynb",
        html=report(REPORTS / "panel.html", caption=CAPTIONS / "notebook.rst", category="Notebooks",
                    labels={"report": "change across waves"}),
        figures=report_figures(FIGURES / "panel", "panel.rst", "5. Change across waves"),
    log:
        RESULTS / "logs/report_panel.log",
    params:
        p=lambda wc, output: notebook_params(results_dir=RESULTS, waves=",".join(WAVES), figures_dir=output.figures),
    shell:
        '"$PY" -m netinnov report --log {log:q} --notebook {input.notebook:q} --out {output.ipynb:q}'
        " --html {output.html:q} {params.p}"


rule models_report:
    input:
        notebook=NOTEBOOKS / "models.ipynb",
        models=[f for f in stage_tables("models") if Path(f).stem not in POWER_TABLES],
    output:
        ipynb=REPORTS / "models.ipynb",
        html=report(REPORTS / "models.html", caption=CAPTIONS / "notebook.rst", category="Notebooks",
                    labels={"report": "models"}),
        figures=report_figures(FIGURES / "models", "models.rst", "6. Models"),
    log:
        RESULTS / "logs/report_models.log",
    params:
        p=lambda wc, output: notebook_params(results_dir=RESULTS, dataset_dir=DATASET, figures_dir=output.figures),
    shell:
        '"$PY" -m netinnov report --log {log:q} --notebook {input.notebook:q} --out {output.ipynb:q}'
        " --html {output.html:q} {params.p}"


rule validity_report:
    input:
        notebook=NOTEBOOKS / "validity.ipynb",
        validity=RESULTS / "validity/validity.csv",
        target_counts=RESULTS / "validity/target_counts.csv",
    output:
        ipynb=REPORTS / "validity.ipynb",
        html=report(REPORTS / "validity.html", caption=CAPTIONS / "notebook.rst", category="Notebooks",
                    labels={"report": "construct validity"}),
        figures=report_figures(FIGURES / "validity", "validity.rst", "7. Construct validity"),
    log:
        RESULTS / "logs/report_validity.log",
    params:
        p=lambda wc, output: notebook_params(
            validity_csv=RESULTS / "validity" / "validity.csv", figures_dir=output.figures
        ),
    shell:
        '"$PY" -m netinnov report --log {log:q} --notebook {input.notebook:q} --out {output.ipynb:q}'
        " --html {output.html:q} {params.p}"


if config["power"]["enabled"]:

    rule power_report:
        input:
            notebook=NOTEBOOKS / "power.ipynb",
            power=RESULTS / "models/power.csv",
            summary=RESULTS / "models/power_summary.csv",
            mde=RESULTS / "models/mde.csv",
            reach=RESULTS / "models/power_reach.csv",
        output:
            ipynb=REPORTS / "power.ipynb",
            html=report(REPORTS / "power.html", caption=CAPTIONS / "notebook.rst", category="Notebooks",
                        labels={"report": "power and sensitivity"}),
            figures=report_figures(FIGURES / "power", "power.rst", "8. Power and sensitivity"),
        log:
            RESULTS / "logs/report_power.log",
        params:
            p=lambda wc, output: notebook_params(results_dir=RESULTS, figures_dir=output.figures),
        shell:
            '"$PY" -m netinnov report --log {log:q} --notebook {input.notebook:q} --out {output.ipynb:q}'
            " --html {output.html:q} {params.p}"


rule codebook_report:
    input:
        datapackage=RESULTS / "datapackage.json",
        methods=RESULTS / "methods.md",
    output:
        REPORTS / "codebook.html",
    log:
        RESULTS / "logs/report_codebook.log",
    params:
        title=lambda wc: f"Codebook and methods: {RESULTS.name}",
    shell:
        '"$PY" -m netinnov codebook-report --log {log:q} --datapackage {input.datapackage:q}'
        " --methods {input.methods:q} --out {output:q} --title {params.title:q}"


#: The report pages of the index (besides the case pages).
REPORT_PAGES = [REPORTS / f"wave_{w}.html" for w in WAVES] + [
    REPORTS / f"{name}.html" for name in ("distributions", "phases", "roles", "panel", "models", "validity")
] + ([REPORTS / "power.html"] if config["power"]["enabled"] else []) + [REPORTS / "codebook.html"]


rule report_index:
    input:
        pages=REPORT_PAGES,
        selection=REPORTS / "cases/selection.csv",
        cases=case_page_parts,
        interactive=expand(REPORTS / "interactive/{wave}", wave=WAVES),
        empty=RESULTS / "models/empty_results.csv",
    output:
        REPORTS / "index.html",
    log:
        RESULTS / "logs/report_index.log",
    params:
        title=lambda wc: f"netinnov reports: {RESULTS.name}",
        waves=",".join(WAVES),
        interactive=REPORTS / "interactive",
    shell:
        '"$PY" -m netinnov report-index --log {log:q} --out {output:q} --title {params.title:q} --waves {params.waves:q}'
        " --selection {input.selection:q} --empty-results {input.empty:q}"
        " --interactive {params.interactive:q} {input.pages:q}"
