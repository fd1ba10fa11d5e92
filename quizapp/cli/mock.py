"""Command-line entry points for mock interviews, reviews, reports and stats (wired by `quizapp.cli`).

Each returns the exit status: 0 on success, 2 for a bad request (unknown interview, broken bank,
unusable store, no question matching the filters), with one line on stderr saying why.
The terminal app is imported only by `mock_main`, so `review`, `report` and `stats` start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from quizapp.bank import Bank
from quizapp.cli._common import bank_arg, command_error, open_bank_and_store, with_bank_and_store
from quizapp.mock import store as mock_store
from quizapp.mock.launch import MockRequest, Paused, paused_interview, start_interview
from quizapp.mock.report import format_duration, to_markdown
from quizapp.mock.session import MockSession, SessionError
from quizapp.paths import home_override
from quizapp.progress import Store


def cmd_mock(args: argparse.Namespace) -> int:
    """`quizapp mock`."""
    return mock_main(bank_arg(args), count=args.count, minutes=args.minutes, topic=args.topic,
                     difficulty=args.difficulty, seed=args.seed, home=home_override(), new=args.new)


def cmd_report(args: argparse.Namespace) -> int:
    """`quizapp report`."""
    return report_main(args.id, markdown=args.markdown, home=home_override())


def mock_main(bank: Path | str | None = None, count: int | None = None, minutes: float | None = None,
              topic: str | None = None, difficulty: str | None = None, seed: int | None = None,
              home: Path | None = None, *, new: bool = False,
              grader_factory: Callable[[str], Any] | None = None) -> int:
    """`quizapp mock`: resume the paused interview, or plan one; run it in the app.

    Flags that disagree with a paused interview open the app on a dialog that shows the
    differences (resume / discard and start / cancel); `new` discards it after saying what it
    discards. `minutes=None` gives the sum of the chosen questions' estimated minutes.
    """
    request = MockRequest(count=count, minutes=minutes, topic=topic, difficulty=difficulty, seed=seed)
    return with_bank_and_store("mock", bank, home,
                               lambda loaded, store: _mock(loaded, store, request, new, grader_factory))


def _mock(loaded: Bank, store: Store, request: MockRequest, new: bool,
          grader_factory: Callable[[str], Any] | None) -> int:
    paused = _paused(store, loaded, new)
    if isinstance(paused, int):
        return paused
    launched: list[tuple[int, MockSession]] = []
    if paused is not None and not new and request.differences(paused.session.plan):
        from quizapp.tui.screens.mock_setup import MockLauncher

        code = _run_app(loaded, store, MockLauncher(request, lambda i, s: launched.append((i, s))),
                        grader_factory)
        if not launched:
            print(f"Nothing started; {paused.describe()} is still paused (`quizapp mock` resumes it).")
            return code
    else:
        picked = _resume_or_start(store, loaded, request, paused, new)
        if isinstance(picked, int):
            return picked
        launched.append(picked)
        from quizapp.tui.screens.mock import MockScreen

        code = _run_app(loaded, store, MockScreen(picked[1], picked[0], exit_on_close=True), grader_factory)
    _print_outcome(store, *launched[0])
    return code


def _paused(store: Store, bank: Bank, new: bool) -> Paused | int | None:
    """The paused interview; one that cannot be rebuilt is an error, or set aside with `--new`."""
    try:
        return paused_interview(store, bank)
    except SessionError as exc:
        row = mock_store.unfinished_session(store)
        assert row is not None
        if not new:
            return command_error("mock", f"cannot resume interview #{row.id}: {exc}; `quizapp mock --new` "
                                 "sets it aside and starts a fresh one")
        mock_store.discard_session(store, row.id)
        print(f"Set aside interview #{row.id}, which cannot be resumed (`quizapp report` still lists it).")
        return None


def _resume_or_start(store: Store, bank: Bank, request: MockRequest, paused: Paused | None,
                     new: bool) -> tuple[int, MockSession] | int:
    """Resume `paused` (flags agree with it), or start afresh, first saying what is discarded."""
    if paused is not None and not new:
        print(f"Resuming mock interview #{paused.session_id} with {paused.session.countdown()} left "
              "(`quizapp mock --new` starts a fresh one).")
        return paused.session_id, paused.session
    try:
        return start_interview(store, bank, request, discard=paused,
                               on_discard=lambda p: print(f"Discarding {p.describe()} "
                                                          "(`quizapp report` still lists it)."))
    except SessionError as exc:
        return command_error("mock", str(exc))


def _print_outcome(store: Store, session_id: int, session: MockSession) -> None:
    if session.finished:
        row = mock_store.get_session(store, session_id)
        total = row.report.total if row and row.report else session.total()
        print(f"Mock interview #{session_id}: {total:.2f} / {len(session.question_ids)}. "
              f"`quizapp report {session_id} --markdown` exports it.")
    else:
        print(f"Mock interview #{session_id} paused with {session.countdown()} left; `quizapp mock` resumes it.")


def _run_app(bank: Bank, store: Store, first: Any, grader_factory: Callable[[str], Any] | None) -> int:
    """Run the app on `first` (a Textual screen: typed loosely so the CLI never imports textual)."""
    from quizapp.tui.app import QuizApp

    app = QuizApp(bank=bank, store=store, grader_factory=grader_factory, initial_mode="mock")
    app.add_mode("mock", lambda: first)
    try:
        app.run()
    finally:
        app.shutdown()
    return int(app.return_code or 0)


def report_main(session_id: int | None = None, markdown: bool = False, home: Path | None = None,
                console: Console | None = None) -> int:
    """`quizapp report [ID] [--markdown]`: one interview's report, or the list of interviews."""
    opened = open_bank_and_store("report", None, home, need_bank=False)
    if isinstance(opened, int):
        return opened
    _, store = opened
    console = console or Console()
    try:
        if session_id is None:
            rows = mock_store.history(store)
            if not rows:
                console.print("No mock interviews yet: `quizapp mock` starts one.")
                return 0
            table = Table(title="Mock interviews", title_justify="left")
            for col in ("id", "started", "questions", "score", "time", "status"):
                table.add_column(col)
            for r in rows:
                started = datetime.fromtimestamp(r.started_at).strftime("%Y-%m-%d %H:%M")
                if r.report is not None:
                    score = f"{r.report.total:.2f} / {r.report.max_total:.0f}"
                    used = format_duration(r.report.time_used_s)
                else:
                    score, used = "-", "-"
                table.add_row(str(r.id), started, str(len(r.plan.items)), score, used, r.status)
            console.print(table)
            return 0
        row = mock_store.get_session(store, session_id)
        if row is None:
            return command_error("report", f"no mock interview #{session_id} (`quizapp report` lists them)")
        if row.report is None:
            return command_error("report", f"mock interview #{session_id} has not ended; `quizapp mock` resumes it")
        text = to_markdown(row.report)
        if markdown:
            sys.stdout.write(text)
        else:
            console.print(Markdown(text))
        return 0
    finally:
        store.close()
