"""Command line: ``python -m analysis SUBCOMMAND ...`` (DESIGN.md, section 4).

Exit status: 0 success; 2 bad input or usage (one message on stderr naming
the file, row and column, or the argument); 1 only for a genuine internal
error. Each group of commands lives in its own module and registers itself
in :data:`COMMANDS`.

Example
-------
``python -m analysis corpus validate data/raw/teaching``
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from collections.abc import Sequence

from analysis.errors import CorpusWarning, ResultWarning, WorkbenchError

#: Modules (in analysis.cli) whose ``register(subparsers)`` adds commands, in help order.
COMMANDS: tuple[str, ...] = ("corpus_cmds", "pipeline_cmds", "text_cmds", "validate_cmds")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (one sub-parser per DESIGN.md command)."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="#MeToo Discourse Workbench: comparative discourse analysis of news coverage.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"analysis.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"analysis.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    # One line per warning, without the source line: users see what happened, not our code.
    kind = "note" if issubclass(category, ResultWarning) else "warning"
    print(f"{kind}: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    warnings.showwarning = _show_warning
    warnings.simplefilter("default", CorpusWarning)
    warnings.simplefilter("default", ResultWarning)
    try:
        return int(args.func(args) or 0)
    except WorkbenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) closed the pipe: stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: exit 1, not a raw traceback
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (re-run with --debug for the traceback, "
              "and please report it)", file=sys.stderr)
        return 1
