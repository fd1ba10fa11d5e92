"""`quizapp validate`, `new` and `schema`: the author's commands."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from quizapp.cli._common import fail
from quizapp.paths import BUNDLED_BANK, bank_root_for, solutions_dir


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
    from quizapp.authoring.validate import QuestionReport, validate

    bank_root = Path(args.bank) if args.bank else BUNDLED_BANK
    paths = [_question_path(p, bank_root) for p in args.paths] or [bank_root]
    if args.runs < 1:
        fail("--runs must be at least 1")

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
            fail(str(exc))
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
    from quizapp.authoring.schema import question_schema

    print(json.dumps(question_schema(), indent=2))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from quizapp.authoring.scaffold import ScaffoldError, scaffold

    bank_root = Path(args.bank) if args.bank else BUNDLED_BANK
    try:
        created = scaffold(bank_root, args.id, args.kind, args.topic)
    except ScaffoldError as exc:
        fail(str(exc))
    for path in created:
        print(f"created {path}")
    print(f"next: fill in the TODOs, then run `quizapp validate {created[0]}`")
    return 0


