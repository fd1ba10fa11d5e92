"""The `quizapp` command line (CONTRACT §1). Launches the terminal app lazily.

Every failure the user can cause ends in one line `quizapp: error: …` and exit 2; `grade` exits 0
when every hidden test passed and 1 otherwise; `validate` exits 1 on any problem.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from quizapp.errors import QuizappError, print_error


def _lazy(module: str, func: str) -> Callable[[argparse.Namespace], int]:
    """A command implemented in another module, imported only when used."""

    def call(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), func)(args) or 0)

    return call


# -- parser --------------------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    top = _Parser(add_help=False)
    top.add_argument("--bank", metavar="DIR", help="question folder (default: the bundled bank)")
    # `--bank` is accepted before or after the command; after it, SUPPRESS keeps a subcommand's
    # missing option from overwriting the value given before it (argparse's default would be None).
    common = _Parser(add_help=False)
    common.add_argument("--bank", metavar="DIR", default=argparse.SUPPRESS,
                        help="question folder (default: the bundled bank)")
    parser = _Parser(prog="quizapp", parents=[top],
                     description="Practise deep-learning interview questions, graded by hidden PyTorch tests. "
                                 "Without a command, opens the terminal app.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("list", parents=[common], help="list the questions")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--tag", help="only questions with this tag")
    p.add_argument("--kind", choices=["code", "choice", "short"], help="only this kind")
    p.add_argument("--topic", help="only this topic")
    p.set_defaults(func=_lazy("quizapp.cli.questions", "cmd_list"))

    p = sub.add_parser("show", parents=[common], help="show a question's prompt and starter code")
    p.add_argument("id")
    p.set_defaults(func=_lazy("quizapp.cli.questions", "cmd_show"))

    # What every grading command takes: the same device, limits and isolation for one file or many.
    grading = _Parser(add_help=False)
    grading.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    grading.add_argument("--timeout", type=float, metavar="S",
                         help="time limit in seconds per submission (default: the question's)")
    grading.add_argument("--sandbox", choices=["auto", "on", "off"], default="auto",
                         help="run the submission in bubblewrap: auto (where it can), on (or exit 2), off")

    p = sub.add_parser("grade", parents=[common, grading],
                       help="grade a Python file against a question's hidden tests")
    p.add_argument("id")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object (--format json)")
    p.add_argument("--format", choices=["text", "json", "junit", "gradescope"], default=None,
                   help="output format (default: text)")
    p.set_defaults(func=_lazy("quizapp.cli.questions", "cmd_grade"))

    p = sub.add_parser("batch", parents=[common, grading],
                       help="grade many submissions (files or folders) for one question")
    p.add_argument("id")
    p.add_argument("paths", nargs="+", metavar="PATH", help="Python files, or folders of .py files")
    p.add_argument("-r", "--recursive", action="store_true", help="also search the folders' subfolders")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="warm workers grading in parallel (default: the number of cores)")
    p.add_argument("--format", choices=["table", "json", "csv", "junit"], default="table")
    p.set_defaults(func=_lazy("quizapp.cli.batch", "cmd_batch"))

    p = sub.add_parser("gradescope", parents=[common], help="write a Gradescope autograder zip for a question")
    p.add_argument("id")
    p.add_argument("-o", "--output", metavar="FILE", help="default: quizapp-ID-autograder.zip")
    p.set_defaults(func=_lazy("quizapp.cli.gradescope", "cmd_gradescope"))

    p = sub.add_parser("answer", parents=[common], help="show the model answer and its explanation")
    p.add_argument("id")
    p.set_defaults(func=_lazy("quizapp.cli.questions", "cmd_answer"))

    p = sub.add_parser("validate", parents=[common], help="prove question files sound (author checks)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="question files, folders or ids (default: the bank)")
    p.add_argument("--runs", type=int, default=3,
                   help="consecutive model-solution runs for the flake check (default: 3)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument("--watch", action="store_true", help="re-validate whenever a file changes")
    p.add_argument("-v", "--verbose", action="store_true", help="show which hidden tests killed each mutant")
    p.set_defaults(func=_lazy("quizapp.cli.author", "cmd_validate"))

    p = sub.add_parser("practice", parents=[common], help="the terminal app, opened on question ID if given")
    p.add_argument("id", nargs="?")
    p.set_defaults(func=_lazy("quizapp.cli.questions", "cmd_practice"))

    p = sub.add_parser("schema", parents=[common], help="print the JSON Schema of the question format")
    p.set_defaults(func=_lazy("quizapp.cli.author", "cmd_schema"))

    p = sub.add_parser("new", parents=[common], help="scaffold a new question and its model solution")
    p.add_argument("id")
    p.add_argument("--kind", choices=["code", "choice", "short"], default="code")
    p.add_argument("--topic", default="fundamentals")
    p.set_defaults(func=_lazy("quizapp.cli.author", "cmd_new"))

    p = sub.add_parser("mock", parents=[common], help="a timed mock interview in the terminal app")
    p.add_argument("--count", type=int, help="number of questions (default: 3)")
    p.add_argument("--minutes", type=float, help="time limit (default: the questions' estimated minutes)")
    p.add_argument("--topic")
    p.add_argument("--difficulty", choices=["easy", "medium", "hard"])
    p.add_argument("--seed", type=int, help="pick the same questions again")
    p.add_argument("--new", action="store_true",
                   help="discard a paused interview (after saying which) and start a new one")
    p.set_defaults(func=_lazy("quizapp.cli.mock", "cmd_mock"))

    p = sub.add_parser("review", parents=[common], help="questions due for spaced review")
    p.set_defaults(func=_lazy("quizapp.cli.progress", "cmd_review"))

    p = sub.add_parser("report", parents=[common], help="a saved mock interview's report")
    p.add_argument("id", nargs="?", type=int, help="interview id (default: list interviews)")
    p.add_argument("--markdown", action="store_true")
    p.set_defaults(func=_lazy("quizapp.cli.mock", "cmd_report"))

    p = sub.add_parser("stats", parents=[common], help="mastery per topic, attempts over time, streak")
    p.set_defaults(func=_lazy("quizapp.cli.progress", "cmd_stats"))

    p = sub.add_parser("watch", parents=[common], help="re-grade FILE on every save")
    p.add_argument("id")
    p.add_argument("file", nargs="?")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.set_defaults(func=_lazy("quizapp.cli.watch", "cmd_watch"))

    p = sub.add_parser("export", parents=[common], help="write progress to a JSON file")
    p.add_argument("file")
    p.set_defaults(func=_lazy("quizapp.cli.progress", "cmd_export"))

    p = sub.add_parser("import", parents=[common], help="merge progress from a JSON file")
    p.add_argument("file")
    p.set_defaults(func=_lazy("quizapp.cli.progress", "cmd_import"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", _lazy("quizapp.cli.questions", "cmd_tui"))
    try:
        return func(args)
    except QuizappError as exc:  # the one handler: every failure the user can cause is one line, exit 2
        return print_error(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
