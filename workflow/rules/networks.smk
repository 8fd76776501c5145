# Stage 2: per wave, the case networks and the ties / actors / cases tables
# (netinnov.build, netinnov.metrics, netinnov.tables).


rule wave_tables:
    input:
        validated=RESULTS / "waves/{wave}/validated",
        previous=previous_validated,
    output:
        ties=RESULTS / "waves/{wave}/ties.csv",
        actors=RESULTS / "waves/{wave}/actors.csv",
        cases=RESULTS / "waves/{wave}/cases.csv",
        phases=RESULTS / "waves/{wave}/phases.csv",
        roles_validation=RESULTS / "waves/{wave}/roles_validation.csv",
        networks=directory(RESULTS / "waves/{wave}/networks"),
    priority: 10  # on the critical path: ahead of the reports
    log:
        RESULTS / "logs/wave_tables_{wave}.log",
    params:
        options=options(
            "directed", "group_attribute", "frequency_scale", "coparticipation_weight", "tie_weight",
            "tie_strength", "tie_class", "betweenness", "ei_permutations", "ei_swaps_per_tie", "collaboration_type",
            "role_threshold", "seed", "pseudonymize",
        ),
        wave_dir=lambda wc: wave_dir(wc.wave),
        previous=lambda wc: (
            f"--previous {wave_dir(previous_wave(wc.wave))} --previous-wave {previous_wave(wc.wave)}"
            if previous_wave(wc.wave) else ""
        ),
    shell:
        "{PY} -m netinnov wave --log {log} --wave-dir {params.wave_dir:q} --wave {wildcards.wave}"
        " {params.previous} --options {params.options:q}"
