"""Every message between the grader, its warm worker and the child that runs a submission, typed once.

Three channels, each one JSON object per line:

    Grader ──GradeRequest / CancelRequest──▶ worker (its stdin)
    Grader ◀──Hello / WorkerFatal / GradeReply── worker (its stdout)
    worker ◀──ChildMessage── child (a private pipe on a random descriptor; every message carries the
                              grade's nonce, and anything else on it voids the grade)

The child is where untrusted code runs, so the worker parses the third channel defensively
(`zygote.Run.handle` converts every field and treats a malformed line as tampering): these types say
what a well-behaved child sends, not what the worker may assume. Only `typing` is imported here, so the
child and the worker's start-up pay nothing for it.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict


class GradeRequest(TypedDict):
    """Grade `source` against `tests` (the grader assigns `id`; the worker echoes it)."""

    op: Literal["grade"]
    id: int
    source: str
    tests: str
    entry_points: list[str]
    devices: str
    """The `QUIZAPP_DEVICES` the tests see: "cpu" or "cuda"."""
    timeout_s: float
    memory_mb: int
    seed_offset: int


class ChildRequest(GradeRequest):
    """What the child is handed (in memory, across the fork): the request and this grade's nonce."""

    nonce: str


class CancelRequest(TypedDict):
    """Stop the grade in progress; it returns status `error`, message `cancelled`."""

    op: Literal["cancel"]


class Hello(TypedDict):
    """The worker is warm and ready."""

    type: Literal["hello"]
    cuda: bool
    torch: str
    pid: int
    workspace: str
    """The folder the worker grades in (as the worker sees it: inside the sandbox, its private /tmp)."""


class WorkerFatal(TypedDict):
    """The worker cannot serve (e.g. CUDA initialised before the first fork)."""

    type: Literal["fatal"]
    message: str


class TestRecord(TypedDict):
    """One hidden test as the worker reports it."""

    name: str
    outcome: str
    message: str
    output: str
    duration_s: float
    failure: str


class Outcome(TypedDict):
    """How one grade ended, as the worker's supervisor decides it."""

    status: str
    message: str
    tests: list[TestRecord]
    passed: int
    total: int
    output: str
    duration_s: float
    peak_rss: int


class GradeReply(Outcome):
    """The worker's answer to a `GradeRequest`."""

    type: Literal["result"]
    id: int


class CollectedTest(TypedDict):
    id: str
    name: str
    function: str


class ChildMessage(TypedDict):
    """Any message from the child; `type` says which fields it carries:

    - `collected`: `tests` (list of CollectedTest)      - `start`: `id`
    - `result`: `id`, `outcome`, `message`, `failure`, `output`, `duration_s`, optional `flag`
    - `imported`: `output`                              - `collect_error`: `message`
    - `fatal`: `message`, optional `output`, `flag`     - `done`: `exit_code`
    """

    nonce: str
    type: Literal["collected", "start", "result", "imported", "collect_error", "fatal", "done"]
    tests: NotRequired[list[CollectedTest]]
    id: NotRequired[str]
    outcome: NotRequired[str]
    message: NotRequired[str]
    failure: NotRequired[str]
    output: NotRequired[str]
    duration_s: NotRequired[float]
    flag: NotRequired[str]
    exit_code: NotRequired[int]


WorkerMessage = Hello | WorkerFatal | GradeReply
ControlMessage = GradeRequest | CancelRequest
