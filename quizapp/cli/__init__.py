"""The `quizapp` command line (CONTRACT §1). Launches the terminal app lazily.

Every failure the user can cause ends in one line `quizapp: error: …` and exit 2; `grade` exits 0
when every hidden test passed and 1 otherwise; `validate` exits 1 on any problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from quizapp.errors import BankError
from quizapp.paths import BUNDLED_BANK, bank_root_for, home_override, solutions_dir

if TYPE_CHECKING:
    from quizapp.bank import Bank
    from quizapp.models import AnyQuestion


class UsageError(Exception):
    """A bad request: printed as one line, exit 2."""


def _fail(message: str) -> NoReturn:
    raise UsageError(message)


def _bank(args: argparse.Namespace) -> Bank:
    from quizapp.bank import load_bank

    return load_bank(Path(args.bank) if args.bank else None)


def _question(bank: Bank, qid: str) -> AnyQuestion:
    if qid not in bank:
        close = [i for i in bank if qid in i or i in qid]
        hint = f" (did you mean {', '.join(close[:3])}?)" if close else " (see `quizapp list`)"
        _fail(f"unknown question id {qid!r}{hint}")
    return bank[qid]


# -- commands ------------------------------------------------------------------------------------

def cmd_list(args: argparse.Namespace) -> int:
    bank = _bank(args)
    rows = [q for q in bank.values()
            if (not args.tag or args.tag in q.tags)
            and (not args.kind or q.kind == args.kind)
            and (not args.topic or q.topic == args.topic)]
    if args.json:
        print(json.dumps([{"id": q.id, "title": q.title, "kind": str(q.kind), "topic": q.topic,
                           "difficulty": str(q.difficulty), "tags": list(q.tags),
                           "bug_hunt": bool(getattr(q, "bug_hunt", False))} for q in rows], indent=2))
        return 0
    from rich.table import Table

    from quizapp.render import console

    out = console()
    # One line per question and ids never wrap, so they can be copied; narrow terminals get the
    # topic as a heading row instead of a column, and tags only where they fit.
    wide = out.width >= 120
    table = Table(title=f"{len(rows)} questions", title_justify="left", show_edge=False)
    id_width = max((len(q.id) for q in rows), default=2)
    # Fixed widths: rich would otherwise squeeze the short columns away on narrow terminals.
    fixed = 10 + 10 + (16 + 40 if wide else 0)  # kind, difficulty (topic, tags)
    columns = 6 if wide else 4
    title_width = max(12, out.width - id_width - fixed - 2 * columns - (columns - 1))
    table.add_column("id", no_wrap=True, width=id_width)
    table.add_column("title", no_wrap=not wide, overflow="ellipsis", width=title_width)
    table.add_column("kind", no_wrap=True, width=10)
    if wide:
        table.add_column("topic", no_wrap=True, width=16, overflow="ellipsis")
    table.add_column("difficulty", no_wrap=True, width=10)
    if wide:
        table.add_column("tags", no_wrap=True, overflow="ellipsis", width=40)
    topic = None
    for q in rows:
        kind = "code (bug)" if getattr(q, "bug_hunt", False) else str(q.kind)
        if wide:
            table.add_row(q.id, q.title, kind, q.topic, str(q.difficulty), ", ".join(q.tags))
            continue
        if q.topic != topic:
            topic = q.topic
            table.add_row(f"[bold]{topic}[/]")
        table.add_row(q.id, q.title, kind, str(q.difficulty))
    out.print(table)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from quizapp.render import console, question_view

    console().print(question_view(_question(_bank(args), args.id)))
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    from quizapp.models import CodeQuestion
    from quizapp.render import answer_view, console

    q = _question(_bank(args), args.id)
    if isinstance(q, CodeQuestion) and not q.solution_path().is_file():
        _fail(f"the model answer {q.solution_path()} is missing")
    console().print(answer_view(q))
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from quizapp.grading import DeviceUnavailable, Grader, GraderFailure
    from quizapp.models import CodeQuestion

    q = _question(_bank(args), args.id)
    if not isinstance(q, CodeQuestion):
        _fail(f"{q.id} is a {q.kind} question, not a coding question; nothing to grade")
    path = Path(args.file)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {path}: {exc.strerror if isinstance(exc, OSError) else exc}")
    if args.timeout is not None and args.timeout <= 0:
        _fail("--timeout must be a positive number of seconds")
    try:
        with Grader(device=args.device, timeout_s=args.timeout) as grader:
            result = grader.grade(q, source, diagnose=True)
    except DeviceUnavailable as exc:
        _fail(str(exc))
    except GraderFailure as exc:
        print(f"quizapp: error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result.to_json()))
    else:
        from quizapp.render import console
        from quizapp.result_view import render_result

        console().print(render_result(result))
    return 0 if result.ok else 1


def _question_path(arg: str, bank_root: Path) -> Path:
    """A path as given, or, when nothing exists there, the bank file of the question id `arg`."""
    path = Path(arg)
    if path.exists() or "/" in arg or arg.endswith(".yaml"):
        return path
    return next(iter(sorted(bank_root.glob(f"*/{arg}.yaml"))), path)


def watched_paths(paths: list[Path]) -> list[Path]:
    """What `validate --watch` watches: the question files or folders, and their banks' solutions."""
    solution_dirs = {solutions_dir(bank_root_for(p)) for p in paths}
    return [*paths, *sorted(d for d in solution_dirs if d.is_dir())]


def cmd_validate(args: argparse.Namespace) -> int:
    from quizapp.validate import QuestionReport, validate

    bank_root = Path(args.bank) if args.bank else BUNDLED_BANK
    paths = [_question_path(p, bank_root) for p in args.paths] or [bank_root]
    if args.runs < 1:
        _fail("--runs must be at least 1")

    def show(report: QuestionReport) -> None:
        mark = "ok  " if report.ok else "FAIL"
        figures = "  ".join(report.figures)
        print(f"{mark} {report.question_id or report.path}  {figures}  {report.seconds:.1f}s".rstrip(), flush=True)
        for line in report.details if args.verbose else []:
            print(f"       {line}")
        for problem in report.problems:
            print(f"       {problem}", flush=True)

    def once() -> int:
        try:
            reports = validate(paths, device=args.device, runs=args.runs, on_report=show,
                               whole_bank=not args.paths, bank_root=bank_root)
        except RuntimeError as exc:
            _fail(str(exc))
        bad = [r for r in reports if not r.ok]
        print(f"{len(reports) - len(bad)} of {len(reports)} question files valid"
              + (f"; {len(bad)} with problems" if bad else ""), flush=True)
        return 1 if bad else 0

    if not args.watch:
        return once()
    from watchfiles import watch

    code = once()
    watched = [str(p) for p in watched_paths(paths)]
    print(f"watching {', '.join(watched)} (Ctrl-C to stop)", flush=True)
    try:
        for _changes in watch(*watched, force_polling=None):
            code = once()
    except KeyboardInterrupt:
        pass
    return code


def cmd_schema(args: argparse.Namespace) -> int:
    from quizapp.schema import question_schema

    print(json.dumps(question_schema(), indent=2))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from quizapp.scaffold import ScaffoldError, scaffold

    bank_root = Path(args.bank) if args.bank else BUNDLED_BANK
    try:
        created = scaffold(bank_root, args.id, args.kind, args.topic)
    except ScaffoldError as exc:
        _fail(str(exc))
    for path in created:
        print(f"created {path}")
    print(f"next: fill in the TODOs, then run `quizapp validate {created[0]}`")
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    try:
        from quizapp.tui.app import run
    except ImportError:
        print("The terminal app is not installed in this build. Questions:")
        return cmd_list(argparse.Namespace(**{**vars(args), "json": False, "tag": None, "kind": None,
                                              "topic": None}))
    if args.bank and not Path(args.bank).is_dir():
        _fail(f"{args.bank}: not a folder of questions")
    return int(run(Path(args.bank) if args.bank else None, home_override()) or 0)


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
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", parents=[common], help="show a question's prompt and starter code")
    p.add_argument("id")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("grade", parents=[common], help="grade a Python file against a question's hidden tests")
    p.add_argument("id")
    p.add_argument("file")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument("--timeout", type=float, metavar="S", help="time limit in seconds (default: the question's)")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("answer", parents=[common], help="show the model answer and its explanation")
    p.add_argument("id")
    p.set_defaults(func=cmd_answer)

    p = sub.add_parser("validate", parents=[common], help="prove question files sound (author checks)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="question files, folders or ids (default: the bank)")
    p.add_argument("--runs", type=int, default=3,
                   help="consecutive model-solution runs for the flake check (default: 3)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument("--watch", action="store_true", help="re-validate whenever a file changes")
    p.add_argument("-v", "--verbose", action="store_true", help="show which hidden tests killed each mutant")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", parents=[common], help="print the JSON Schema of the question format")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("new", parents=[common], help="scaffold a new question and its model solution")
    p.add_argument("id")
    p.add_argument("--kind", choices=["code", "choice", "short"], default="code")
    p.add_argument("--topic", default="fundamentals")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("mock", parents=[common], help="a timed mock interview in the terminal app")
    p.add_argument("--count", type=int, default=3)
    p.add_argument("--minutes", type=float, help="time limit (default: the questions' estimated minutes)")
    p.add_argument("--topic")
    p.add_argument("--difficulty", choices=["easy", "medium", "hard"])
    p.add_argument("--seed", type=int, help="pick the same questions again")
    p.add_argument("--new", action="store_true", help="start a new interview instead of resuming one")
    p.set_defaults(func=_lazy("quizapp.commands", "mock"))

    p = sub.add_parser("review", parents=[common], help="questions due for spaced review")
    p.set_defaults(func=_lazy("quizapp.commands", "review"))

    p = sub.add_parser("report", parents=[common], help="a saved mock interview's report")
    p.add_argument("id", nargs="?", type=int, help="interview id (default: list interviews)")
    p.add_argument("--markdown", action="store_true")
    p.set_defaults(func=_lazy("quizapp.commands", "report"))

    p = sub.add_parser("stats", parents=[common], help="mastery per topic, attempts over time, streak")
    p.set_defaults(func=_lazy("quizapp.commands", "stats"))

    p = sub.add_parser("watch", parents=[common], help="re-grade FILE on every save")
    p.add_argument("id")
    p.add_argument("file", nargs="?")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.set_defaults(func=_lazy("quizapp.commands", "watch"))

    p = sub.add_parser("export", parents=[common], help="write progress to a JSON file")
    p.add_argument("file")
    p.set_defaults(func=_lazy("quizapp.commands", "export"))

    p = sub.add_parser("import", parents=[common], help="merge progress from a JSON file")
    p.add_argument("file")
    p.set_defaults(func=_lazy("quizapp.commands", "import_"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", cmd_tui)
    try:
        return func(args)
    except UsageError as exc:
        print(f"quizapp: error: {exc}", file=sys.stderr)
        return 2
    except BankError as exc:
        for problem in exc.problems:
            print(f"quizapp: error: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
