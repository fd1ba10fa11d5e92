"""`quizapp watch ID [FILE]`: practise in your own editor; every save is graded and printed.

Why watch the folder rather than the file: most editors save by writing a new file and renaming
it over the old one, which a watch on the file itself would lose. Why a stat check beside the
events: on some file systems (network mounts, some containers) file events never arrive; when the
file's mtime/size changes and no event follows within `poll_after_s`, watching switches to
polling (`watchfiles` `force_polling`) and says so.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from quizapp.cli._common import bank_arg, find_question, load_bank_or_fail
from quizapp.errors import QuizappError, print_error
from quizapp.grading.factory import GraderFactory, GraderLike, close_grader, default_grader_factory
from quizapp.paths import home_override
from quizapp.render import render_result

if TYPE_CHECKING:  # the models import pydantic; the terminal app's startup path does not need them
    from quizapp.models import CodeQuestion

def cmd_watch(args: argparse.Namespace) -> int:
    """`quizapp watch ID [FILE]`."""
    return watch(args.id, Path(args.file) if args.file else None, bank_arg(args), args.device, home=home_override())


class WatchError(QuizappError):
    """The watch cannot start (unknown id, not a code question, unwritable file); one line."""


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _events(file: Path, stop: threading.Event | None, polling: bool) -> Iterator[bool]:
    """Yield True after file events for `file`, False on each quiet half-second."""
    import watchfiles

    name = file.name
    for changes in watchfiles.watch(file.parent, watch_filter=lambda _c, p: Path(p).name == name,
                                    debounce=200, step=50, rust_timeout=500, yield_on_timeout=True,
                                    stop_event=stop, force_polling=polling, poll_delay_ms=300,
                                    recursive=False):
        yield bool(changes)


def watch(question_id: str, file: Path | None = None, bank: Path | None = None, device: str = "auto",
          *, home: Path | None = None, console: Console | None = None,
          grader_factory: GraderFactory | None = None, stop: threading.Event | None = None,
          force_polling: bool = False, poll_after_s: float = 2.0, record: bool = True) -> int:
    """Watch FILE (default `./<id>.py`) and grade it against question ID on every save.

    Returns 0 when stopped (Ctrl-C or `stop` set), 2 when the request is bad (unknown id, a
    question that is not a coding question, FILE cannot be written, no grader). Each grade is
    recorded in the progress store (and the file kept as the question's draft) unless `record`
    is False.
    """
    from quizapp.models import CodeQuestion

    console = console or Console(highlight=False)
    try:
        question = find_question(load_bank_or_fail(bank, question_id), question_id)
        if not isinstance(question, CodeQuestion):
            raise WatchError(f"{question_id!r} is a {question.kind} question; watch grades coding questions")
        file = Path(file) if file is not None else Path.cwd() / f"{question_id}.py"
        if not file.exists():
            try:
                file.write_text(question.starter, encoding="utf-8")
            except OSError as exc:
                raise WatchError(f"cannot write the starter to {file}: {exc.strerror or exc}") from None
            console.print(f"Wrote the starter for [bold]{question.title}[/] to [cyan]{file}[/]")
        elif not file.is_file():
            raise WatchError(f"{file} is not a file")
    except QuizappError as exc:  # WatchError, or the bank's own (unknown id, a broken question file)
        return print_error(exc)
    store = None
    if record:
        from quizapp.progress import Store, StoreError

        try:
            store = Store.open(home)
        except StoreError as exc:
            console.print(f"[yellow]Not recording progress:[/] {exc}")
    factory = grader_factory or default_grader_factory
    grader = None
    try:
        console.print(f"Watching [cyan]{file}[/] for [bold]{question_id}[/] on device {device}: "
                      "save to grade, Ctrl-C to stop.")
        try:
            with console.status("Starting the grader…"):
                grader = factory(device)
        except Exception as exc:  # DeviceUnavailable, GraderFailure, a bad device name, a stub's own error
            return print_error(str(exc))
        _loop(question, file, grader, console, store, stop, force_polling, poll_after_s)
    except KeyboardInterrupt:
        console.print("\nStopped watching.")
    finally:
        with contextlib.suppress(KeyboardInterrupt):
            close_grader(grader)
        if store is not None:
            store.close()
    return 0


def _grade_file(question: CodeQuestion, file: Path, grader: GraderLike, console: Console,
                store: Any) -> None:
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        console.print(f"[red]cannot read {file}:[/] {exc}")
        return
    console.rule(f"[dim]{datetime.now().strftime('%H:%M:%S')}  grading {file.name}[/]")
    if store is not None:
        store.save_draft(question.id, source)
    with console.status("Running the hidden tests…"):
        result = grader.grade(question, source)
    if result.status == "failed" and question.mutants:
        from quizapp.grading.diagnose import likely_mistakes

        with console.status("Looking for a known mistake that fails the same way…"):
            result = dataclasses.replace(result, likely_mistakes=likely_mistakes(question, result, grader))
    console.print(render_result(result))
    if store is not None and not (result.status == "error" and result.message == "cancelled"):
        store.record_grade(question.id, source, result)


def _loop(question: CodeQuestion, file: Path, grader: GraderLike, console: Console, store: Any,
          stop: threading.Event | None, polling: bool, poll_after_s: float) -> None:
    last = _signature(file)
    _grade_file(question, file, grader, console, store)
    pending_since: float | None = None
    while stop is None or not stop.is_set():
        restart = False
        for had_event in _events(file, stop, polling):
            sig = _signature(file)
            if sig is None or sig == last:
                pending_since = None
                continue
            if not had_event and not polling:
                # Changed on disk but no event yet: give the watcher a moment before distrusting it.
                now = time.monotonic()
                if pending_since is None:
                    pending_since = now
                    continue
                if now - pending_since < poll_after_s:
                    continue
                console.print("[yellow]File events are not arriving here; switching to polling.[/]")
                polling = restart = True
            pending_since = None
            last = sig
            _grade_file(question, file, grader, console, store)
            if restart:
                break
        if not restart:
            return
