"""Every subcommand documents itself and comes from the one registry of steps:
each option has help text, each command an example, every rule runs a
registered step named like the rule, no other module parses arguments, and a
wrong path gives one line instead of a traceback."""

from __future__ import annotations

import argparse
import importlib
import inspect
import re

import pytest

from helpers.paths import REPO as ROOT
from netinnov.cli import EXAMPLES, REGISTRY, build_parser, main
from netinnov.steps.registry import ALIASES, STEPS

SRC = ROOT / "src" / "netinnov"


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_the_parser_has_exactly_the_registered_steps():
    assert list(_subcommands()) == [s.name for s in STEPS]
    assert len(REGISTRY) == len(STEPS), "a step registered twice"
    assert not set(ALIASES) & set(REGISTRY) and set(ALIASES.values()) <= set(REGISTRY)


@pytest.mark.parametrize("name", [s.name for s in STEPS])
def test_every_option_has_help_and_the_command_an_example(name):
    command = _subcommands()[name]
    missing = [a.option_strings or [a.dest] for a in command._actions
               if not a.help and not isinstance(a, argparse._HelpAction)]
    assert not missing, f"netinnov {name}: options without help text: {missing}"
    assert name in EXAMPLES and EXAMPLES[name].startswith(f"netinnov {name} ")
    assert "example:" in command.format_help()


@pytest.mark.parametrize("name", [s.name for s in STEPS])
def test_every_step_function_takes_its_arguments(name):
    """The registered function exists and accepts one keyword per argument."""
    from netinnov.cli import _dest, _resolve

    step = REGISTRY[name]
    func = _resolve(step.run)
    params = inspect.signature(func).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    for a in step.args:
        assert takes_any or _dest(a) in params, f"netinnov {name}: {step.run} takes no {_dest(a)}="
    required = [p.name for p in params.values() if p.default is inspect.Parameter.empty
                and p.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    assert set(required) <= {_dest(a) for a in step.args}, f"netinnov {name}: {step.run} needs {required}"
    for ref in step.errors:
        _resolve(ref)


def test_every_example_parses():
    parser = build_parser()
    for name, example in EXAMPLES.items():
        args = parser.parse_args(example.split()[1:])  # the example's options are the command's own
        assert args.command == name


def test_a_former_command_name_still_runs(tmp_path, capsys):
    code = main(["models", "--cases", str(tmp_path / "missing" / "cases.csv"), "--actors", str(tmp_path / "a.csv"),
                 "--waves", "w1", *(x for t in ("features", "coefficients", "fit", "cv-scores", "importance")
                                    for x in (f"--out-{t}", str(tmp_path / f"{t}.csv")))])
    assert code == 2 and "netinnov case-models" in capsys.readouterr().err


def test_a_wrong_path_gives_one_line_not_a_traceback(tmp_path, capsys):
    missing = tmp_path / "missing"
    code = main(["panel", "--waves", "w1", "--ties", str(missing / "ties.csv"), "--actors", str(missing / "actors.csv"),
                 "--cases", str(missing / "cases.csv"), *(x for t in ("cases", "actors", "change", "stability",
                 "tie-transitions") for x in (f"--out-{t}", str(tmp_path / "panel" / f"{t}.csv")))])
    assert code == 2
    text = capsys.readouterr().err
    assert "Traceback" not in text
    assert "not found" in text and "netinnov panel --help" in text
    assert re.search(r"netinnov panel: [\d.]+ s wall, [\d.]+ s CPU, peak memory \d+ MB", text)


def test_no_arguments_prints_the_help(capsys):
    assert main([]) == 1
    out = capsys.readouterr().out
    assert "usage: netinnov" in out and all(s.name in out for s in STEPS)


def _rules() -> dict[str, str]:
    """Every rule (and checkpoint) of workflow/rules/*.smk with the step its shell command runs."""
    found = {}
    for smk in sorted((ROOT / "workflow" / "rules").glob("*.smk")):
        text = smk.read_text(encoding="utf-8")
        blocks = re.split(r"^\s*(?:rule|checkpoint) (\w+):", text, flags=re.M)
        for name, body in zip(blocks[1::2], blocks[2::2], strict=True):
            shell = body.split("shell:", 1)[1] if "shell:" in body else ""
            m = re.search(r"-m (netinnov[\w.]*) ([\w-]+)", shell)
            found[name] = f"{m.group(1)} {m.group(2)}" if m else ""
    return found


def test_every_rule_runs_a_registered_step_named_like_the_rule():
    rules = _rules()
    assert len(rules) > 20
    for rule, command in rules.items():
        assert command.startswith("netinnov "), f"rule {rule} runs no `netinnov <step>`: {command!r}"
        name = command.split()[1]
        assert name in REGISTRY, f"rule {rule} runs `{command}`, not a registered step"
        # rule wave_tables runs netinnov wave-tables; the notebook rules <notebook>_report run netinnov report
        snake = name.replace("-", "_")
        assert rule == snake or rule.endswith(f"_{snake}"), f"rule {rule} runs `{command}`: the names differ"


def test_no_module_but_the_cli_parses_arguments():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "cli.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import argparse|from argparse import)", text, flags=re.M) \
                or re.search(r"^def (add_arguments|run)\(\s*args", text, flags=re.M):
            offenders.append(str(path.relative_to(SRC)))
        if re.search(r"^\s*(from netinnov\.cli import|from netinnov import cli|import netinnov\.cli|from \.+cli import)",
                     text, flags=re.M) and path != SRC / "__main__.py":
            offenders.append(f"{path.relative_to(SRC)} imports the CLI")
    assert not offenders, offenders
    assert not (SRC / "reports" / "__main__.py").exists(), "a second command line"


def test_the_registry_imports_nothing_heavy():
    """`netinnov <step>` starts without loading pandas: the step's modules load when it runs."""
    import subprocess
    import sys

    code = "import sys, netinnov.cli; netinnov.cli.build_parser(); print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_registry_defaults_are_the_modules_own():
    from netinnov import simulate
    from netinnov.io.importers import FORMATS
    from netinnov.io.validate import ON_BAD_ROWS
    from netinnov.steps import registry

    assert registry.SIMULATE_DEFAULTS == {
        "seed": simulate.DEFAULT_SEED, "homophily": simulate.DEFAULT_HOMOPHILY,
        "case_effect_sd": simulate.CASE_EFFECT_SD, "case_dropout": simulate.DEFAULT_CASE_DROPOUT,
        "actor_dropout": simulate.DEFAULT_ACTOR_DROPOUT, "informative_dropout": simulate.DEFAULT_INFORMATIVE_DROPOUT,
    }
    assert registry.IMPORT_FORMATS == tuple(sorted(FORMATS))
    assert registry.IMPORT_EXTENSIONS == "; ".join(
        f"{f.name} {' '.join(f.extensions)}" for f in FORMATS.values() if f.extensions)
    assert registry.ON_BAD_ROWS == tuple(ON_BAD_ROWS)
    importlib.import_module("netinnov.steps.registry")
