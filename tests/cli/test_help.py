"""Every subcommand documents itself: each option has help text, each command
an example, and a wrong path gives one line instead of a traceback."""

from __future__ import annotations

import argparse

import pytest

from netinnov.cli import EXAMPLES, _parser, main


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser, _ = _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_option_has_help_and_the_command_an_example(name):
    command = _subcommands()[name]
    missing = [a.option_strings or [a.dest] for a in command._actions
               if not a.help and not isinstance(a, argparse._HelpAction)]
    assert not missing, f"netinnov {name}: options without help text: {missing}"
    assert name in EXAMPLES and EXAMPLES[name].startswith(f"netinnov {name} ")
    assert "example:" in command.format_help()


def test_every_example_parses():
    parser, _ = _parser()
    for name, example in EXAMPLES.items():
        args = parser.parse_args(example.split()[1:])  # the example's options are the command's own
        assert args.command == name


def test_a_wrong_path_gives_one_line_not_a_traceback(tmp_path, capsys):
    code = main(["panel", "--results", str(tmp_path / "missing"), "--waves", "w1"])
    assert code == 2
    text = capsys.readouterr().err
    assert "Traceback" not in text
    assert "not found" in text and "netinnov panel --help" in text


def test_every_option_of_the_report_commands_has_help():
    from netinnov.reports.__main__ import _parser as reports_parser

    parser = reports_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        missing = [a.dest for a in command._actions if not a.help and not isinstance(a, argparse._HelpAction)]
        assert not missing, f"python -m netinnov.reports {name}: options without help text: {missing}"
