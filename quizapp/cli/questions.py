"""`quizapp list`, `show`, `answer`, `grade`, `practice` and the bare `quizapp`: a learner's commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from quizapp.cli._common import check_timeout, fail, find_question, load_bank_arg
from quizapp.errors import print_error
from quizapp.paths import home_override


def cmd_list(args: argparse.Namespace) -> int:
    bank = load_bank_arg(args)
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

    console().print(question_view(find_question(load_bank_arg(args, args.id), args.id)))
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    from quizapp.models import CodeQuestion
    from quizapp.render import answer_view, console

    q = find_question(load_bank_arg(args, args.id), args.id)
    if isinstance(q, CodeQuestion) and not q.solution_path().is_file():
        fail(f"the model answer {q.solution_path()} is missing")
    console().print(answer_view(q))
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from quizapp.grading import DeviceUnavailable, Grader, GraderFailure
    from quizapp.models import CodeQuestion

    q = find_question(load_bank_arg(args, args.id), args.id)
    if not isinstance(q, CodeQuestion):
        fail(f"{q.id} is a {q.kind} question, not a coding question; nothing to grade")
    path = Path(args.file)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {path}: {exc.strerror if isinstance(exc, OSError) else exc}")
    check_timeout(args)
    from quizapp.grading.sandbox import SandboxUnavailable

    fmt = args.format or ("json" if args.json else "text")
    grader = Grader(device=args.device, timeout_s=args.timeout, sandbox=args.sandbox)
    # A submission that cannot run is answered before the worker starts (no cold start for a typo);
    # `--device cuda` still needs the worker first, to say whether CUDA exists (exit 2 if not).
    result = grader.check_static(q, source) if args.device != "cuda" else None
    try:
        if result is None:
            with grader:
                result = grader.grade(q, source, diagnose=True)
    except (DeviceUnavailable, SandboxUnavailable) as exc:
        fail(str(exc))
    except GraderFailure as exc:
        print_error(exc)
        return 1  # the submission was not graded, but the request was fine (CONTRACT §1: not 2)
    if fmt == "json":
        print(json.dumps(result.to_json()))
    elif fmt == "junit":
        from quizapp.formats import to_junit

        sys.stdout.write(to_junit(result))
    elif fmt == "gradescope":
        from quizapp.formats import to_gradescope

        print(json.dumps(to_gradescope(result), indent=1))
    else:
        from quizapp.render import console, render_result

        console().print(render_result(result))
    return 0 if result.ok else 1


def cmd_tui(args: argparse.Namespace) -> int:
    """The bare `quizapp`: the terminal app on the question list."""
    return cmd_practice(argparse.Namespace(**{**vars(args), "id": None}))


def cmd_practice(args: argparse.Namespace) -> int:
    """`quizapp practice [ID]`: the terminal app, opened on question ID when one is given."""
    from quizapp.tui.app import run

    if args.bank and not Path(args.bank).is_dir():
        fail(f"{args.bank}: not a folder of questions")
    if args.id is not None:
        find_question(load_bank_arg(args, args.id), args.id)  # an unknown id is a usage error, before the app starts
    return int(run(Path(args.bank) if args.bank else None, home_override(), args.id) or 0)


