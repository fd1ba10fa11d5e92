"""Adapters from parsed command-line arguments to the commands implemented in other modules.

`cli.py` imports this module only when one of these commands runs, so `quizapp list` never loads
the progress store, the review scheduler or the terminal app.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from quizapp.paths import home_override


def _home() -> Path | None:
    return home_override()


def _bank(args: argparse.Namespace) -> Path | None:
    return Path(args.bank) if args.bank else None


def mock(args: argparse.Namespace) -> int:
    from quizapp.mock_cli import mock_main

    return mock_main(_bank(args), count=args.count, minutes=args.minutes, topic=args.topic,
                     difficulty=args.difficulty, seed=args.seed, home=_home(), new=args.new)


def review(args: argparse.Namespace) -> int:
    from quizapp.mock_cli import review_main

    return review_main(_bank(args), _home())


def report(args: argparse.Namespace) -> int:
    from quizapp.mock_cli import report_main

    return report_main(args.id, markdown=args.markdown, home=_home())


def stats(args: argparse.Namespace) -> int:
    from quizapp.mock_cli import stats_main

    return stats_main(_bank(args), _home())


def watch(args: argparse.Namespace) -> int:
    from quizapp.watch import watch as watch_file

    return watch_file(args.id, Path(args.file) if args.file else None, _bank(args), args.device, home=_home())


def export(args: argparse.Namespace) -> int:
    from quizapp.transfer import export_command

    return export_command(Path(args.file), _home())


def import_(args: argparse.Namespace) -> int:
    from quizapp.transfer import import_command

    return import_command(Path(args.file), _home())
