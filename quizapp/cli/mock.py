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
from quizapp.cli._common import bank_arg, command_error, open_bank_and_store
from quizapp.mock import store as mock_store
from quizapp.mock.report import format_duration, to_markdown
from quizapp.mock.session import MockSession, SessionError, plan_mock
from quizapp.paths import home_override
from quizapp.progress import Store


def cmd_mock(args: argparse.Namespace) -> int:
    """`quizapp mock`."""
    return mock_main(bank_arg(args), count=args.count, minutes=args.minutes, topic=args.topic,
                     difficulty=args.difficulty, seed=args.seed, home=home_override(), new=args.new)


def cmd_report(args: argparse.Namespace) -> int:
    """`quizapp report`."""
    return report_main(args.id, markdown=args.markdown, home=home_override())


def mock_main(bank: Path | str | None = None, count: int = 3, minutes: float | None = None,
              topic: str | None = None, difficulty: str | None = None, seed: int | None = None,
              home: Path | None = None, *, new: bool = False,
              grader_factory: Callable[[str], Any] | None = None) -> int:
    """`quizapp mock`: resume the unfinished interview (unless `new`), else plan one; run it in the app.

    `minutes=None` gives the sum of the chosen questions' estimated minutes.
    """
    opened = open_bank_and_store("mock", bank, home)
    if isinstance(opened, int):
        return opened
    loaded, store = opened
    assert loaded is not None
    try:
        row = mock_store.unfinished_session(store)
        if row is not None and not new:
            try:
                session = mock_store.resume_session(store, row.id, loaded)
            except SessionError as exc:
                return command_error("mock", f"cannot resume interview #{row.id}: {exc}; `quizapp mock --new` "
                                    "starts a fresh one")
            session_id = row.id
            print(f"Resuming mock interview #{session_id} with {session.countdown()} left "
                  "(`quizapp mock --new` starts a fresh one).")
        else:
            if row is not None:
                mock_store.abandon_session(store, row.id)
                print(f"Discarded unfinished interview #{row.id}.")
            try:
                plan = plan_mock(loaded, count, minutes, topic, difficulty, seed)
            except SessionError as exc:
                return command_error("mock", str(exc))
            session = MockSession(plan, loaded)
            session_id = mock_store.create_session(store, session)
        code = _run_app(loaded, store, session, session_id, grader_factory)
        if session.finished:
            report = mock_store.get_session(store, session_id)
            total = report.report.total if report and report.report else session.total()
            print(f"Mock interview #{session_id}: {total:.2f} / {len(session.question_ids)}. "
                  f"`quizapp report {session_id} --markdown` exports it.")
        else:
            print(f"Mock interview #{session_id} paused with {session.countdown()} left; "
                  "`quizapp mock` resumes it.")
        return code
    finally:
        store.close()


def _run_app(bank: Bank, store: Store, session: MockSession, session_id: int,
             grader_factory: Callable[[str], Any] | None) -> int:
    from quizapp.tui.app import QuizApp
    from quizapp.tui.screens.mock import MockScreen

    app = QuizApp(bank=bank, store=store, grader_factory=grader_factory, initial_mode="mock")
    app.add_mode("mock", lambda: MockScreen(session, session_id, exit_on_close=True))
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
                    status, used = r.report.reason or "finished", format_duration(r.report.time_used_s)
                else:
                    score, status, used = "-", "unfinished", "-"
                table.add_row(str(r.id), started, str(len(r.plan.items)), score, used, status)
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
