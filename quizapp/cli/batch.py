"""`quizapp batch ID PATH ...`: grade a class's (or a hiring round's) submissions for one question.

N warm workers (`--jobs`) grade in parallel, each a `Grader` of its own; every file gets the same
hidden tests, limits and sandbox as `quizapp grade`. One row per file in the order given; exit 0 when
every file passed, 1 when any was graded and did not pass, 2 for a bad request (CONTRACT §1).
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from quizapp.cli._common import check_timeout, fail, find_question, load_bank_arg
from quizapp.models import CodeQuestion, GradeResult


def submissions(paths: list[str], recursive: bool = False) -> list[Path]:
    """The files named, and the `.py` files in the folders named (and their subfolders when
    `recursive`), sorted, each once."""
    files: list[Path] = []
    for arg in paths:
        path = Path(arg)
        if path.is_dir():
            files += sorted(p for p in (path.rglob("*.py") if recursive else path.glob("*.py")) if p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            fail(f"{path}: no such file or folder")
    unique = list(dict.fromkeys(files))
    if not unique:
        fail("no .py files to grade")
    return unique


def grade_all(question: CodeQuestion, files: list[Path], *, jobs: int, device: str, timeout: float | None,
              sandbox: str, on_graded: Callable[[], None] | None = None) -> list[tuple[str, GradeResult]]:
    """Grade every file with `jobs` warm workers; results in the order of `files`; `on_graded` is
    called (from a worker thread) after each file."""
    from quizapp.grading import Grader

    todo: queue.Queue[int] = queue.Queue()
    for i in range(len(files)):
        todo.put(i)
    results: list[GradeResult | None] = [None] * len(files)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with Grader(device=device, timeout_s=timeout, sandbox=sandbox) as grader:  # type: ignore[arg-type]
                while True:
                    try:
                        i = todo.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        source = files[i].read_text(encoding="utf-8")
                    except (OSError, UnicodeDecodeError) as exc:
                        results[i] = GradeResult(question=question.id, status="error", passed=0, total=0,
                                                 device=device, duration_s=0.0, message=f"cannot read the file: {exc}")
                        continue
                    results[i] = grader.grade(question, source, diagnose=True)
                    if on_graded is not None:
                        on_graded()
        except BaseException as exc:  # a worker that cannot start (no CUDA, no sandbox): reported once
            errors.append(exc)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(max(1, min(jobs, len(files))))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors and any(r is None for r in results):
        raise errors[0]
    return [(str(f), r) for f, r in zip(files, results, strict=True) if r is not None]


def cmd_batch(args: argparse.Namespace) -> int:
    """`quizapp batch`."""
    from quizapp import formats
    from quizapp.grading import DeviceUnavailable
    from quizapp.grading.sandbox import SandboxUnavailable

    q = find_question(load_bank_arg(args, args.id), args.id)
    if not isinstance(q, CodeQuestion):
        fail(f"{q.id} is a {q.kind} question, not a coding question; nothing to grade")
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        fail("--jobs must be at least 1")
    check_timeout(args)
    files = submissions(args.paths, args.recursive)
    try:
        if sys.stderr.isatty():  # a progress bar for people; nothing for scripts and CI logs
            from rich.console import Console
            from rich.progress import Progress

            with Progress(console=Console(stderr=True), transient=True) as progress:
                task = progress.add_task(f"grading {len(files)} files", total=len(files))
                rows = grade_all(q, files, jobs=jobs, device=args.device, timeout=args.timeout,
                                 sandbox=args.sandbox, on_graded=lambda: progress.advance(task))
        else:
            rows = grade_all(q, files, jobs=jobs, device=args.device, timeout=args.timeout, sandbox=args.sandbox)
    except (DeviceUnavailable, SandboxUnavailable) as exc:
        fail(str(exc))
    if args.format == "json":
        print(formats.to_batch_json(q.id, rows))
    elif args.format == "csv":
        sys.stdout.write(formats.to_csv(rows))
    elif args.format == "junit":
        sys.stdout.write(formats.to_junit_batch(rows))
    else:
        from rich.table import Table

        from quizapp.render import console

        table = Table(title=f"{q.id}: {sum(r.ok for _, r in rows)} of {len(rows)} passed", title_justify="left")
        for col in ("file", "status", "tests", "time", "why"):
            table.add_column(col, overflow="fold")
        for file, r in rows:
            table.add_row(file, r.status, f"{r.passed}/{r.total}", f"{r.duration_s:.2f} s", formats.row_note(r))
        console().print(table)
    return 0 if all(r.ok for _, r in rows) else 1
