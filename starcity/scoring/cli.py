"""Command line: `python -m starcity.scoring check|score …` (section 5 of the format).

Exit status: 0 done; 2 the standard or the values were refused (every error on standard error,
nothing on standard output); 1 anything else (bad arguments, unreadable files, faults).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from .engine import score
from .load import load_standard_file
from .problems import ScoringInputError
from .report import render_report, standard_summary
from .result import result_to_json
from .values import load_values_file

__all__ = ["main"]

EXIT_DONE, EXIT_FAULT, EXIT_REFUSED = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on bad arguments; here 2 means a refused input, so usage errors exit 1."""

    def error(self, message: str) -> NoReturn:
        """Print the usage and exit 1."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_FAULT, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m starcity.scoring", description="Check standards and score values.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("check", help="validate a standard file")
    check.add_argument("standard")
    check.add_argument("--lang", choices=("zh", "en"), default="zh")
    run = sub.add_parser("score", help="score a values file against a standard")
    run.add_argument("standard")
    run.add_argument("values")
    run.add_argument("--json", action="store_true", help="print the JSON result of section 4")
    run.add_argument("--strict", action="store_true", help="a missing indicator value is an error")
    run.add_argument("--lang", choices=("zh", "en"), default="zh")
    return parser


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; returns the exit status."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            standard = load_standard_file(args.standard)
            print(standard_summary(standard, args.lang), file=out)
            return EXIT_DONE
        standard = load_standard_file(args.standard)
        values = load_values_file(args.values, standard, strict=args.strict)
        result = score(standard, values)
        text = result_to_json(result, args.lang) if args.json else render_report(standard, result, args.lang)
        print(text, file=out)
        return EXIT_DONE
    except ScoringInputError as exc:
        print(exc.render(args.lang), file=err)
        return EXIT_REFUSED
    except BrokenPipeError:  # the reader (e.g. `| head`) closed the pipe: nothing left to say
        return EXIT_FAULT
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_FAULT
