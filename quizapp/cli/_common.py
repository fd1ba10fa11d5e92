"""What every command module shares: the bank it reads, the question it names, and how it fails."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from quizapp.errors import BankError, QuizappError, UsageError, print_error

if TYPE_CHECKING:
    from quizapp.bank import Bank
    from quizapp.models import AnyQuestion
    from quizapp.progress import Store


def fail(message: str) -> NoReturn:
    """Stop the command with a bad-request error (one line on stderr, exit 2)."""
    raise UsageError(message)


def check_timeout(args: argparse.Namespace) -> None:
    """`--timeout S`, when given, is a real deadline: above 0, at most a day (not NaN or infinity)."""
    from quizapp.grading.grader import MAX_TIMEOUT_S

    if args.timeout is not None and not 0 < args.timeout <= MAX_TIMEOUT_S:
        fail(f"--timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT_S:g} (a day), "
             f"not {args.timeout:g}")


def bank_arg(args: argparse.Namespace) -> Path | None:
    """The `--bank` folder given, if any."""
    return Path(args.bank) if getattr(args, "bank", None) else None


def load_bank_arg(args: argparse.Namespace, wanted: str | None = None) -> Bank:
    """The bank `--bank` names (default: the bundled one). A broken question file is skipped with one
    warning line on stderr (as the app does), unless it is the question `wanted`: then its problems
    are the error (exit 2). A folder that is not a bank is an error."""
    return load_bank_or_fail(bank_arg(args), wanted)


def load_bank_or_fail(root: Path | None, wanted: str | None = None) -> Bank:
    """`load_bank_arg` for a folder (None: the bundled bank)."""
    from quizapp.bank import load_bank_lenient
    from quizapp.paths import BUNDLED_BANK

    if not (root or BUNDLED_BANK).is_dir():
        raise UsageError(f"{root or BUNDLED_BANK}: not a folder of questions")
    bank, problems = load_bank_lenient(root)
    if not problems:
        return bank
    if not len(bank):  # nothing usable at all: every problem is the error
        raise BankError(problems)
    by_file: dict[str, list[str]] = {}
    for problem in problems:
        by_file.setdefault(problem.split(":", 1)[0], []).append(problem)
    if wanted is not None:
        mine = [p for f, ps in by_file.items() if Path(f).stem == wanted for p in ps]
        if mine:
            raise BankError(mine)
    for file_problems in by_file.values():
        more = f" (and {len(file_problems) - 1} more problems)" if len(file_problems) > 1 else ""
        print(f"quizapp: warning: skipped {file_problems[0]}{more}", file=sys.stderr)
    return bank


def find_question(bank: Bank, qid: str) -> AnyQuestion:
    """Question `qid`, or a usage error that suggests close ids."""
    if qid not in bank:
        close = [i for i in bank if qid in i or i in qid]
        hint = f" (did you mean {', '.join(close[:3])}?)" if close else " (see `quizapp list`)"
        fail(f"unknown question id {qid!r}{hint}")
    return bank[qid]


def command_error(command: str, message: str) -> int:
    """Print `command: message` as the one error line; returns exit status 2."""
    return print_error(f"{command}: {message}")


def open_bank_and_store(command: str, bank: Path | str | None, home: Path | None,
                        need_bank: bool = True) -> tuple[Bank | None, Store] | int:
    """The bank (unless not `need_bank`) and the progress store a progress command reads, or the
    exit status after printing why one of them cannot be opened."""
    from quizapp.progress import Store, StoreError

    loaded = None
    if need_bank:
        try:
            loaded = load_bank_or_fail(Path(bank) if bank is not None else None)
        except QuizappError as exc:
            return command_error(command, str(exc))
    try:
        store = Store.open(home)
    except StoreError as exc:
        return command_error(command, str(exc))
    return loaded, store


def with_bank_and_store(command: str, bank: Path | str | None, home: Path | None,
                        body: Callable[[Bank, Store], int]) -> int:
    """Open the bank and the store, run `body` with them and close the store, whatever happens;
    when one of them cannot be opened, the exit status after saying why (`open_bank_and_store`)."""
    opened = open_bank_and_store(command, bank, home)
    if isinstance(opened, int):
        return opened
    loaded, store = opened
    assert loaded is not None
    try:
        return body(loaded, store)
    finally:
        store.close()
