"""The ``netinnov`` command line: one subcommand per step of :mod:`netinnov.steps.registry`.

The Snakemake rules call these subcommands and nothing else (rule
``wave_tables`` runs ``netinnov wave-tables``), so every step can also be run
by hand. Options that come from the pipeline configuration are passed as one
JSON object (``--options``). This is the only module that parses arguments;
nothing imports it but ``python -m netinnov``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from netinnov.steps.registry import ALIASES, OPTIONS, STEPS, Arg, Step

__all__ = ["EXAMPLES", "build_parser", "main"]

log = logging.getLogger("netinnov")

#: The registry by command name.
REGISTRY: dict[str, Step] = {s.name: s for s in STEPS}
#: An example command line of every subcommand (shown at the end of its --help).
EXAMPLES: dict[str, str] = {s.name: s.example for s in STEPS}
#: argparse actions named by text in the registry (which does not import argparse).
_ACTIONS = {"BooleanOptionalAction": argparse.BooleanOptionalAction}


def _setup_logging(path: str | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(path, mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", handlers=handlers, force=True)


def _add_argument(parser: argparse.ArgumentParser | argparse._ArgumentGroup, a: Arg) -> None:
    kwargs = dict(a.kwargs)
    if kwargs.get("type") is OPTIONS:
        kwargs["type"] = str  # read into a dict when the step runs (an @file may be missing)
    if isinstance(kwargs.get("action"), str) and kwargs["action"] in _ACTIONS:
        kwargs["action"] = _ACTIONS[kwargs["action"]]
    if "dest" in kwargs and a.flags[0].startswith("-") and "metavar" not in kwargs and "choices" not in kwargs \
            and kwargs.get("action") is None:
        kwargs["metavar"] = a.flags[-1].lstrip("-").replace("-", "_").upper()  # the flag's name, not the keyword's
    parser.add_argument(*a.flags, help=a.help, **kwargs)


def _add_step(sub: argparse._SubParsersAction, s: Step) -> argparse.ArgumentParser:
    p = sub.add_parser(s.name, help=s.help, description=s.help, epilog=f"example:\n  {s.example}",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--log", help="also write the log to this file")
    groups: dict[str, argparse._ArgumentGroup] = {}
    for a in s.args:
        target = p if a.group is None else groups.setdefault(a.group, p.add_argument_group(a.group))
        _add_argument(target, a)
    p.set_defaults(_step=s.name)
    return p


def build_parser() -> argparse.ArgumentParser:
    """The ``netinnov`` parser: one subparser per registered step."""
    parser = argparse.ArgumentParser(
        prog="netinnov", description="netinnov: one subcommand per pipeline step (netinnov <step> --help)"
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="<step>")
    for s in STEPS:
        _add_step(sub, s)
    return parser


def _resolve(ref: str) -> Any:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def _dest(a: Arg) -> str:
    """The keyword an argument reaches the step function as (argparse's ``dest``)."""
    if "dest" in a.kwargs:
        return a.kwargs["dest"]
    flag = next((f for f in a.flags if f.startswith("--")), a.flags[0])
    return flag.lstrip("-").replace("-", "_")


def _keywords(s: Step, args: argparse.Namespace) -> dict[str, Any]:
    """The step function's keyword arguments: one per registered argument (its dest);
    ``--options`` read into a dict."""
    from netinnov.config import step_options

    out: dict[str, Any] = {}
    for a in s.args:
        value = getattr(args, _dest(a))
        out[_dest(a)] = step_options(value) if a.kwargs.get("type") is OPTIONS else value
    return out


def _run(s: Step, args: argparse.Namespace) -> int:
    errors = tuple(_resolve(e) for e in s.errors)
    try:
        result = _resolve(s.run)(**_keywords(s, args))
    except errors as err:  # bad input the step recognises: one line
        log.error("%s", err)
        return 2
    return result if isinstance(result, int) and not isinstance(result, bool) else 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ALIASES:  # a former name of a step
        argv[0] = ALIASES[argv[0]]
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from netinnov import __version__

        print(__version__)
        return 0
    if not args.command:
        parser.print_help()
        return 1
    _setup_logging(getattr(args, "log", None))
    start = _usage()
    try:
        return _run(REGISTRY[args.command], args)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError) as err:
        # a wrong path given by hand: one line saying which, not a traceback
        log.error("netinnov %s: %s (check the paths given; `netinnov %s --help` lists them)",
                  args.command, _path_error(err), args.command)  # fmt: skip
        return 2
    except Exception:
        log.exception("netinnov %s failed", args.command)
        return 1
    finally:
        end = _usage()
        log.info(
            "netinnov %s: %.2f s wall, %.2f s CPU, peak memory %.0f MB",
            args.command, end[0] - start[0], end[1] - start[1], end[2],
        )


def _path_error(err: OSError) -> str:
    """What is wrong with which path, in one line."""
    what = {
        FileNotFoundError: "not found", NotADirectoryError: "not a folder", IsADirectoryError: "a folder, not a file",
        PermissionError: "not readable or writable",
    }.get(type(err), "cannot be used")  # fmt: skip
    if err.filename is not None:
        return f"{err.filename}: {what}"
    return str(err) or what


def _usage() -> tuple[float, float, float]:
    """Wall clock (s), CPU time of this process and its finished children (s),
    and the peak resident memory of this process (MB; ``ru_maxrss``, kB on Linux)."""
    import time

    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return time.perf_counter(), time.process_time(), float("nan")
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS
    return time.perf_counter(), cpu, own.ru_maxrss / scale


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
