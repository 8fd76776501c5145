"""``results/<dataset>/methods.md``: a methods paragraph for the run, in prose a paper can quote.

Generated from the resolved config and the result tables: the data (waves,
cases, actors), the measures computed, the settings in effect (directed or
not, tie strength and tie class, thresholds, permutations, seeds, the
estimators), the software versions and the references. Every number in it is
read from the config or the tables, never typed in: rerun the step when they
change. No time stamp: the same run gives a byte-identical file.
"""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

__all__ = ["METHODS_PACKAGES", "REFERENCES", "methods_text", "software_versions", "write_methods"]

#: Packages whose versions the paragraph names.
METHODS_PACKAGES = ("netinnov", "networkx", "igraph", "statsmodels", "pandas", "numpy", "scipy", "scikit-learn")

#: The works the paragraph cites, by key.
REFERENCES = {
    "ansell_gash": "Ansell, C., & Gash, A. (2012). Stewards, mediators, and catalysts: toward a model of "
                   "collaborative leadership. The Innovation Journal, 17(1), article 7.",
    "bh": "Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and powerful "
          "approach to multiple testing. Journal of the Royal Statistical Society B, 57(1), 289–300.",
    "blau": "Blau, P. M. (1977). Inequality and Heterogeneity. Free Press.",
    "brandes": "Brandes, U. (2001). A faster algorithm for betweenness centrality. Journal of Mathematical "
               "Sociology, 25(2), 163–177.",
    "burt": "Burt, R. S. (1992). Structural Holes. Harvard University Press.",
    "dekker": "Dekker, D., Krackhardt, D., & Snijders, T. A. B. (2007). Sensitivity of MRQAP tests to "
              "collinearity and autocorrelation conditions. Psychometrika, 72(4), 563–581.",
    "gould": "Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: a formal approach to brokerage "
             "in transaction networks. Sociological Methodology, 19, 89–126.",
    "granovetter": "Granovetter, M. S. (1973). The strength of weak ties. American Journal of Sociology, 78(6), "
                   "1360–1380.",
    "krackhardt_stern": "Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises: an "
                        "experimental simulation. Social Psychology Quarterly, 51(2), 123–140.",
    "liang_zeger": "Liang, K.-Y., & Zeger, S. L. (1986). Longitudinal data analysis using generalized linear "
                   "models. Biometrika, 73(1), 13–22.",
    "obstfeld": "Obstfeld, D. (2005). Social networks, the tertius iungens orientation, and involvement in "
                "innovation. Administrative Science Quarterly, 50(1), 100–130.",
    "onnela": "Onnela, J.-P., et al. (2007). Structure and tie strengths in mobile communication networks. PNAS, "
              "104(18), 7332–7336.",
    "phipson": "Phipson, B., & Smyth, G. K. (2010). Permutation p-values should never be zero. Statistical "
               "Applications in Genetics and Molecular Biology, 9(1), article 39.",
    "pustejovsky": "Pustejovsky, J. E., & Tipton, E. (2018). Small-sample methods for cluster-robust variance "
                   "estimation and hypothesis testing in fixed effects models. Journal of Business & Economic "
                   "Statistics, 36(4), 672–683.",
    "sorensen_torfing": "Sørensen, E., & Torfing, J. (2011). Enhancing collaborative innovation in the public "
                        "sector. Administration & Society, 43(8), 842–868.",
}


def software_versions() -> dict[str, str]:
    """Python and the versions of :data:`METHODS_PACKAGES` (``not installed`` when absent)."""
    found = {"python": platform.python_version()}
    for name in METHODS_PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def _read(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError):
        return None


def _num(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _mapping(values: dict) -> str:
    return ", ".join(f"{k} {_num(v)}" for k, v in values.items())


def _thresholds(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {_num(v)}" for k, v in value.items())
    return f"{_num(value)} for every role"


def methods_text(results: Path, config: dict, waves: list[str], versions: dict[str, str] | None = None) -> str:
    """The methods paragraph (Markdown) of the run whose results are in ``results``."""
    from netinnov.models.spec import parse_dyadic_models, parse_models
    from netinnov.options import complete

    results = Path(results)
    versions = versions or software_versions()
    config = complete(config)  # the schema's defaults: the only ones
    group = config["group_attribute"]
    directed = bool(config["directed"])
    cases = _read(results / "panel" / "cases.csv")
    actors = _read(results / "panel" / "actors.csv")
    n_cases = cases["case_id"].nunique() if cases is not None and "case_id" in cases else None
    n_actors = actors["actor_id"].nunique() if actors is not None and "actor_id" in actors else None
    n_case_waves = len(cases) if cases is not None else None

    data = (f"Collaboration networks were built with netinnov {versions.get('netinnov')} from "
            f"{len(waves)} wave{'s' if len(waves) != 1 else ''} ({', '.join(waves)})")
    if n_cases is not None:
        data += f" of {n_cases} innovation cases ({n_case_waves} case-waves"
        data += f", {n_actors} distinct actors)" if n_actors is not None else ")"
    data += (". The records were treated as directed reports (source names target); a tie is an arc, and it is "
             "reciprocated when both arcs were reported." if directed else
             ". The records were treated as undirected co-presence; a tie is an unordered pair.")
    if config["nonrespondents"]:
        data += f" Non-respondents' missing reports: {config['nonrespondents']}."
    data += f" Co-attendance at shared events was handled as a {config['coattendance']}."

    strength = config["tie_strength"]
    scale = config["tie_strength_scale"]
    tie_class = config["tie_class"]
    if not directed:
        strength = {k: v for k, v in strength.items() if k != "reciprocated"}
    ties = ("Tie strength is the weighted mean of the tie's indicators, each rescaled to a fixed 0–1 scale "
            "that depends on the tie's own records and the config only (summed counts as log(1 + x)/log(1 + "
            "anchor), capped at 1; multiplexity as min(channels, anchor)/anchor; closeness as (c − 1)/4"
            + ("; reciprocation 0/1" if directed else "")
            + f"; anchors: {_mapping(scale)}; weights: {_mapping(strength)}). Ties were classified strong or weak "
            f"by the {tie_class['method']} rule with threshold {_num(tie_class['threshold'])}"
            " (Granovetter 1973); local bridges are ties whose ends share no neighbour, and neighbourhood overlap "
            "follows Onnela et al. (2007). Weighted metrics used the "
            f"{config['tie_weight']} of each tie as its weight.")

    btw = config["betweenness"]
    measures = ("Per actor and case we computed degree, weighted degree and raw betweenness (Brandes 2001; "
                f"{'weighted, distance 1/weight' if btw['weighted'] else 'unweighted'}; exact up to "
                f"{btw['exact_max_actors']} actors, otherwise a seeded sample of "
                f"{btw['samples']} sources), Burt's (1992) constraint, effective size, efficiency and "
                "hierarchy, the Gould–Fernandez (1989) brokerage counts (as R sna::brokerage) and their z-scores "
                f"over the groups of `{group}`, and the diversity of each actor's alters (Blau 1977 heterogeneity, "
                "IQV, Shannon entropy, the individual E-I index of Krackhardt & Stern 1988). "
                "Per case: density, shares of strong, weak and bridging ties, group diversity, the E-I index "
                f"with two-sided tests against {config['ei_permutations']} group-label permutations and "
                f"as many degree-preserving rewirings (attempted double edge swaps per tie between draws: "
                f"{_num(config['ei_swaps_per_tie'])}), with Benjamini–Hochberg (1995) q-values over the "
                "cases of a wave. Participation by phase was compared between implementation and the mean of "
                "initiation and design, paired by case (t and Wilcoxon tests, "
                f"{config['phase_tests']['n_boot']} bootstrap resamples per interval).")
    roles = ("Leadership roles (Ansell & Gash 2012; Sørensen & Torfing 2011) were scored per actor on fixed 0–1 "
             "scales as weighted means of behavioural components (convener: brokered closure, introductions and "
             "early activity, after Obstfeld's 2005 tertius iungens; facilitator: repetition among alters, share "
             "of events, reciprocity; catalyst: newcomers brought in, weak cross-group bridges, local bridges; "
             "every component is exported in actors.csv). A role was inferred present in a case when the case's "
             f"largest score reached its threshold ({_thresholds(config['role_threshold'])}); "
             "survey-reported roles were compared with the scores by AUC with case-bootstrap intervals.")

    model_specs = parse_models(config["models"])
    models = ""
    if model_specs:
        listed = "; ".join(
            f"{m.outcome} ({m.family}) on {', '.join(m.predictors)}"
            + (f", controlling for {', '.join(m.controls)}" if m.controls else "")
            for m in model_specs
        )
        estimators = sorted({e for m in model_specs for e in m.regression_estimators})
        wave_effects = any(m.wave_effects for m in model_specs) and len(waves) > 1
        models = (f"Case-level models: {listed}. Estimators: {', '.join(estimators)} (pooled GLMs"
                  + (" with wave fixed effects" if wave_effects else "") + "; GEE with an exchangeable working correlation within case, Liang & Zeger 1986; a case "
                  "random intercept). Standard errors are cluster-robust by case, CR2 with Satterthwaite degrees "
                  f"of freedom for at most {config['small_cluster_max']} cases (Pustejovsky & Tipton 2018), "
                  "otherwise CR1 with t(G − 1); p-values of a model carry Benjamini–Hochberg q-values. Predictive "
                  "performance was cross-validated with folds grouped by case.")
    dyadic = parse_dyadic_models(config["dyadic_models"])
    qap = ""
    if dyadic:
        qap = "Dyadic MRQAP models: " + "; ".join(
            f"{d.name} ({d.estimator}, relation {d.relation}, terms "
            f"{', '.join(d.terms)}, {d.null_hypothesis} null, "
            f"{d.permutations} permutations)" for d in dyadic
        ) + (", with p-values (b + 1)/(B + 1) (Phipson & Smyth 2010; Dekker, Krackhardt & Snijders 2007).")
    validity = config["validity"]
    checks = (f"Construct validity was assessed on the data and on a generated reference dataset of "
              f"{validity['reference_cases']} cases and {validity['reference_waves']} waves with a "
              f"known truth ({validity['bootstrap']} case-bootstrap resamples per interval). Every random "
              f"step derives its seed from the run's seed {config['seed']}, so the same inputs and config give "
              "identical results.")
    software = ("Software: " + ", ".join(f"{name} {v}" for name, v in versions.items() if name != "python")
                + f"; Python {versions.get('python')}.")

    paragraphs = [data, ties, measures, roles, models, qap, checks, software]
    refs = "\n".join(f"- {REFERENCES[k]}" for k in sorted(REFERENCES))
    title = f"# Methods: netinnov run on {results.name}\n"
    return (title + "\n" + "\n\n".join(p for p in paragraphs if p) + "\n\n## References\n\n" + refs + "\n"
            + "\nColumn definitions: datapackage.json and the codebook page (reports/codebook.html).\n")


def write_methods(results: Path, out: Path, config: dict, waves: list[str]) -> str:
    """Write ``methods.md`` and return its text."""
    text = methods_text(results, config, waves)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return text
