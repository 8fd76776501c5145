# Stage 2: per wave, the case networks and the ties / actors / cases tables
# (netinnov.networks.build, netinnov.metrics, netinnov.steps.wave_tables), as per-case-chunk jobs joined
# per wave (netinnov.steps.wave_chunks).


scattergather:
    # jobs per wave of the wave stage: config wave_chunks, else the run's cores
    wave_chunks=WAVE_CHUNKS,


rule wave_chunk:
    # one chunk of the wave's cases (netinnov.steps.wave_chunks): their networks, measures and GraphML;
    # a case's measures depend on its own records only, so any split gives the same tables
    input:
        validated=RESULTS / "waves/{wave}/validated",
        previous=previous_validated,
    output:
        parts=temp(RESULTS / "waves/{wave}/chunks/{scatteritem}.pkl"),
        networks=temp(directory(RESULTS / "waves/{wave}/chunks/{scatteritem}_networks")),
    priority: 10  # on the critical path: ahead of the reports
    log:
        RESULTS / "logs/wave_chunk_{wave}_{scatteritem}.log",
    params:
        options=options(*WAVE_OPTIONS),
        wave_dir=lambda wc: wave_dir(wc.wave),
        previous=lambda wc: (
            ["--previous", str(wave_dir(previous_wave(wc.wave))), "--previous-wave", previous_wave(wc.wave)]
            if previous_wave(wc.wave) else []
        ),
    shell:
        '"$PY" -m netinnov wave-chunk --log {log:q} --validated {params.wave_dir:q} --wave {wildcards.wave:q}'
        " --chunk {wildcards.scatteritem:q} --out {output.parts:q} --networks {output.networks:q}"
        " {params.previous:q} --options {params.options:q}"


rule wave_tables:
    # the chunks joined into the wave's tables; the wave-level tables (phase tests, roles
    # validation, tie-strength diagnostics) and the outcomes join here
    input:
        validated=RESULTS / "waves/{wave}/validated",
        parts=gather.wave_chunks(RESULTS / "waves/{{wave}}/chunks/{scatteritem}.pkl"),
        networks=gather.wave_chunks(RESULTS / "waves/{{wave}}/chunks/{scatteritem}_networks"),
    output:
        ties=RESULTS / "waves/{wave}/ties.csv",
        actors=RESULTS / "waves/{wave}/actors.csv",
        cases=RESULTS / "waves/{wave}/cases.csv",
        phases=RESULTS / "waves/{wave}/phases.csv",
        phase_tests=RESULTS / "waves/{wave}/phase_tests.csv",
        roles_validation=RESULTS / "waves/{wave}/roles_validation.csv",
        coattendance=RESULTS / "waves/{wave}/coattendance.csv",
        tie_strength_diagnostics=RESULTS / "waves/{wave}/tie_strength_diagnostics.csv",
        networks=directory(RESULTS / "waves/{wave}/networks"),
    priority: 10
    log:
        RESULTS / "logs/wave_tables_{wave}.log",
    params:
        options=options(*WAVE_OPTIONS),
        wave_dir=lambda wc: wave_dir(wc.wave),
    shell:
        '"$PY" -m netinnov wave-tables --log {log:q} --validated {params.wave_dir:q} --wave {wildcards.wave:q}'
        " --parts {input.parts:q} --networks-from {input.networks:q} --ties {output.ties:q}"
        " --actors {output.actors:q} --cases {output.cases:q} --phases {output.phases:q}"
        " --phase-tests {output.phase_tests:q} --roles-validation {output.roles_validation:q}"
        " --coattendance {output.coattendance:q} --tie-strength-diagnostics {output.tie_strength_diagnostics:q}"
        " --networks {output.networks:q} --options {params.options:q}"


rule mixing_tests:
    # after the wave tables: the q-values of a wave's E-I tests depend on every case of the
    # wave, so they are a table of their own (cases.csv depends on each case's records only)
    input:
        cases=RESULTS / "waves/{wave}/cases.csv",
    output:
        RESULTS / "waves/{wave}/mixing_tests.csv",
    log:
        RESULTS / "logs/mixing_tests_{wave}.log",
    shell:
        '"$PY" -m netinnov mixing-tests --log {log:q} --cases {input.cases:q} --out {output:q}'
        " --wave {wildcards.wave:q}"


rule wave_summaries:
    # the numbers of a wave's overview page: every number it shows is a table
    input:
        **{t: RESULTS / f"waves/{{wave}}/{t}.csv" for t in ("cases", "actors", "ties", "phases", "rejected", "mixing_tests")},
    output:
        **{t: RESULTS / f"waves/{{wave}}/{t}.csv" for t in WAVE_SUMMARY_TABLES},
    log:
        RESULTS / "logs/wave_summaries_{wave}.log",
    params:
        out=lambda wc, output: out_flags(output, WAVE_SUMMARY_TABLES),
        group_attribute=config["group_attribute"],
    shell:
        '"$PY" -m netinnov wave-summaries --log {log:q} --cases {input.cases:q} --actors {input.actors:q}'
        " --ties {input.ties:q} --phases {input.phases:q} --rejected {input.rejected:q}"
        " --mixing-tests {input.mixing_tests:q} {params.out} --group-attribute {params.group_attribute:q}"
