"""What every command module shares: the bank it reads, the question it names, and how it fails."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from quizapp.errors import UsageError

if TYPE_CHECKING:
    from quizapp.bank import Bank
    from quizapp.models import AnyQuestion


def fail(message: str) -> NoReturn:
    """Stop the command with a bad-request error (one line on stderr, exit 2)."""
    raise UsageError(message)


def bank_arg(args: argparse.Namespace) -> Path | None:
    """The `--bank` folder given, if any."""
    return Path(args.bank) if getattr(args, "bank", None) else None


def load_bank_arg(args: argparse.Namespace) -> Bank:
    """The bank `--bank` names (default: the bundled one), loaded strictly."""
    from quizapp.bank import load_bank

    return load_bank(bank_arg(args))


def find_question(bank: Bank, qid: str) -> AnyQuestion:
    """Question `qid`, or a usage error that suggests close ids."""
    if qid not in bank:
        close = [i for i in bank if qid in i or i in qid]
        hint = f" (did you mean {', '.join(close[:3])}?)" if close else " (see `quizapp list`)"
        fail(f"unknown question id {qid!r}{hint}")
    return bank[qid]
