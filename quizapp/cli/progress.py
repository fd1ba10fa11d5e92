"""`quizapp review`, `stats`, `export` and `import`: the learner's progress from the command line."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from quizapp.cli._common import bank_arg, with_bank_and_store
from quizapp.paths import home_override
from quizapp.review import due_label, load_deck
from quizapp.stats import attempts_per_day, bar, longest_streak, sparkline, streak, topic_mastery

if TYPE_CHECKING:
    from quizapp.bank import Bank
    from quizapp.progress import Store


def cmd_review(args: argparse.Namespace) -> int:
    """`quizapp review`."""
    return review_main(bank_arg(args), home_override())


def cmd_stats(args: argparse.Namespace) -> int:
    """`quizapp stats`."""
    return stats_main(bank_arg(args), home_override())


def cmd_export(args: argparse.Namespace) -> int:
    """`quizapp export FILE`."""
    from quizapp.transfer import export_command

    return export_command(Path(args.file), home_override())


def cmd_import(args: argparse.Namespace) -> int:
    """`quizapp import FILE`."""
    from quizapp.transfer import import_command

    return import_command(Path(args.file), home_override())


def review_main(bank: Path | str | None = None, home: Path | None = None, *, days: int = 7,
                console: Console | None = None) -> int:
    """`quizapp review`: questions due today (oldest first) and how many fall due on the next days."""
    return with_bank_and_store("review", bank, home,
                               lambda loaded, store: _print_review(loaded, store, console or Console(), days))


def _print_review(loaded: Bank, store: Store, console: Console, days: int) -> int:
    deck = load_deck(store)
    now = datetime.fromtimestamp(store.clock(), UTC)
    due = [d for d in deck.due(now) if d.question_id in loaded]
    if not deck.cards:
        console.print("No review schedule yet: questions are scheduled once you answer them.")
        return 0
    if due:
        table = Table(title=f"Due for review today ({len(due)})", title_justify="left")
        for col in ("id", "title", "topic", "due"):
            table.add_column(col)
        for d in due:
            q = loaded[d.question_id]
            table.add_row(q.id, q.title, q.topic, due_label(d.due, now))
        console.print(table)
    else:
        console.print("[green]Nothing due today.[/]")
    counts = deck.upcoming(now, days)
    top = max(counts, default=0) or 1
    console.print(f"\nDue in the next {days} days:")
    for n, count in enumerate(counts, start=1):
        day = (now.astimezone() + timedelta(days=n)).strftime("%a %d %b")
        console.print(f"  {day}  [cyan]{bar(count / top, 20)}[/] {count}")
    return 0


def stats_main(bank: Path | str | None = None, home: Path | None = None, *, days: int = 30,
               console: Console | None = None) -> int:
    """`quizapp stats`: per-topic mastery bars, attempts per day, streaks."""
    return with_bank_and_store("stats", bank, home,
                               lambda loaded, store: _print_stats(loaded, store, console or Console(), days))


def _print_stats(loaded: Bank, store: Store, console: Console, days: int) -> int:
    attempts = store.attempts()
    today = datetime.fromtimestamp(store.clock()).date()
    table = Table(title="Mastery by topic", title_justify="left")
    for col in ("topic", "mastery", "", "solved"):
        table.add_column(col)
    for m in topic_mastery(loaded, attempts):
        table.add_row(m.topic, f"[cyan]{bar(m.mastery, 20)}[/]", f"{m.mastery:.0%}",
                      f"{m.solved}/{m.questions}")
    console.print(table)
    per_day = attempts_per_day(attempts, today, days)
    console.print(f"\nAttempts, last {days} days (today on the right), {sum(per_day)} in all:")
    console.print(f"  [cyan]{sparkline(per_day)}[/]")
    console.print(f"\nStreak: [bold]{streak(attempts, today)}[/] day(s); "
                  f"longest {longest_streak(attempts)}.")
    return 0
