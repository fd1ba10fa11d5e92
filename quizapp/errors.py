"""Light definitions the command line needs before (or without) loading the bank machinery."""

from __future__ import annotations


class BankError(Exception):
    """One or more problems in question files; each message is `file:line:col: field: problem`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
