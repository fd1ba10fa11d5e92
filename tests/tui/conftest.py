"""Fixtures for driving the app with Pilot: the tiny fixture bank, a stub grader, a fixed clock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from quizapp.bank import Bank, load_bank
from quizapp.models import CodeQuestion, GradeResult, TestResult
from quizapp.progress import Store
from quizapp.tui.app import QuizApp

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BANK = FIXTURES / "bank"
SOLUTIONS = FIXTURES / "solutions"
SIZE = (100, 30)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots and timings depend on when they are taken: off in tests,
    as harlequin's functional tests do (production code never asks whether it is under test)."""
    from textual.widgets import TextArea

    monkeypatch.setattr(TextArea.__dict__["cursor_blink"], "_default", False)


class Clock:
    """A fixed, settable clock for the store (epoch seconds)."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class FakeGrader:
    """Grades instantly: passes when the source looks like the model answer, fails otherwise.

    `next_result` overrides the next answer; `block` makes `grade` wait until `cancel()` (or
    `release()`), to test the spinner and escape.
    """

    def __init__(self, device: str) -> None:
        self.device = device
        self.calls: list[tuple[str, str, bool]] = []
        self.next_result: GradeResult | None = None
        self.block = threading.Event()
        self.blocking = False
        self.cancelled = False
        self.closed = False
        self.started = threading.Event()

    def grade(self, question: CodeQuestion, source: str, *, examples: bool = False) -> GradeResult:
        self.calls.append((question.id, source, examples))
        self.started.set()
        if self.blocking:
            self.block.wait(10)
            if self.cancelled:
                return GradeResult(question.id, "error", 0, 0, self.device, 0.5, message="cancelled")
        if self.next_result is not None:
            result, self.next_result = self.next_result, None
            return result
        ok = "NotImplementedError" not in source
        if examples:
            return GradeResult(question.id, "passed" if ok else "failed", int(ok), 1, "cpu", 0.12,
                               [TestResult("values inside the threshold become zero",
                                           "passed" if ok else "failed",
                                           "" if ok else "NotImplementedError:  (in your code, line 5)")])
        names = ["large values shrink by the threshold, keeping their sign",
                 "a negative threshold raises ValueError", "the input is not modified"]
        return GradeResult(question.id, "passed" if ok else "failed", 3 if ok else 0, 3, "cpu", 0.34,
                           [TestResult(n, "passed" if ok else "failed",
                                       "" if ok else "NotImplementedError:  (in your code, line 5)",
                                       output="hello from test 1" if (i == 0 and not ok) else "")
                            for i, n in enumerate(names)])

    def cancel(self) -> None:
        self.cancelled = True
        self.block.set()

    def release(self) -> None:
        self.block.set()

    def close(self) -> None:
        self.closed = True


class FakeFactory:
    """Builds `FakeGrader`s and remembers them (and the devices asked for)."""

    def __init__(self) -> None:
        self.graders: list[FakeGrader] = []
        self.setup: Callable[[FakeGrader], None] | None = None

    def __call__(self, device: str) -> FakeGrader:
        grader = FakeGrader(device)
        if self.setup is not None:
            self.setup(grader)
        self.graders.append(grader)
        return grader

    @property
    def last(self) -> FakeGrader:
        return self.graders[-1]


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank(BANK)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def factory() -> FakeFactory:
    return FakeFactory()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def make_app(bank: Bank, home: Path, factory: FakeFactory, clock: Clock) -> Callable[..., QuizApp]:
    """A new app on the fixture bank with the stub grader; closed after the test."""
    apps: list[QuizApp] = []

    def make(**kwargs: object) -> QuizApp:
        options: dict[str, object] = {"bank": bank, "grader_factory": factory}
        options.update(kwargs)
        if "store" not in options:
            options["store"] = Store.open(home, clock=clock)
        app = QuizApp(**options)  # type: ignore[arg-type]
        apps.append(app)
        return app

    yield make  # type: ignore[misc]
    for app in apps:
        app.shutdown()
        app.store.close()
