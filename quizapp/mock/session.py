"""Mock-interview state: the plan, the clock, the answers and the scoring — no UI, no torch.

The session is a plain state machine so that it can be tested with an injected clock and no
sleeping, and so that the terminal app, the command line and the tests drive the same logic.

Time
    The session keeps **time left** (`remaining_s`), not a wall-clock deadline. Every `tick()` reads
    the injected monotonic clock, subtracts the time elapsed since the previous tick from the time
    left and adds it to the question being shown. The app saves the session on every tick, so after
    a kill or a reboot it resumes with the time left as last saved: the time the machine was off is
    not charged to the learner (at most one tick — one second — is given back). A wall-clock
    deadline would instead expire an interview while the laptop was shut, which the issue rules out
    ("resumes with the remaining time"). `deadline` is only the wall-clock moment the interview would
    end if it ran on without interruption, for display.

Scoring: see `quizapp.mock.scoring`.

Model answers are locked until the session is finished (`model_answer` raises `LockedError`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from quizapp.errors import QuizappError
from quizapp.mock.scoring import Answer, Score, score_answer
from quizapp.models import AnyQuestion, ChoiceQuestion, CodeQuestion, GradeResult, ShortQuestion

if TYPE_CHECKING:
    from quizapp.grading.factory import GraderLike

WARNING_S = 5 * 60
"""The countdown turns to a warning colour when this many seconds or fewer are left."""
SESSION_FORMAT = 1
"""Version of the JSON written by `MockSession.to_json`."""

Section = Literal["coding", "conceptual", "bug-hunt"]
SECTIONS: tuple[Section, ...] = ("coding", "conceptual", "bug-hunt")
SessionStatus = Literal["running", "grading", "finished"]
EndReason = Literal["expired", "finished-early"]

MonotonicClock = Callable[[], float]
"""Monotonic seconds (`time.monotonic` in the app, a fake in tests)."""
WallClock = Callable[[], datetime]
"""Timezone-aware 'now' for timestamps shown to people."""


class SessionError(QuizappError):
    """A request the session cannot honour in its current state (unknown question, finished, ...)."""


class PlanError(SessionError):
    """No question matches the requested filters."""


class LockedError(SessionError):
    """A model answer was requested before the interview ended."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


# ----------------------------------------------------------------------------------------------
# Planning

def section_of(question: AnyQuestion) -> Section:
    """Which part of a balanced interview a question belongs to."""
    if isinstance(question, CodeQuestion):
        return "bug-hunt" if question.bug_hunt else "coding"
    return "conceptual"


@dataclass(frozen=True)
class MockItem:
    """One question of a planned interview."""

    question_id: str
    """The question's id in the bank."""
    section: Section
    """coding, conceptual or bug-hunt."""


@dataclass(frozen=True)
class MockPlan:
    """The questions and time of one interview; the same seed and filters give the same plan."""

    items: tuple[MockItem, ...]
    """The questions, in the order they are presented."""
    minutes: float
    """Time allowed for the whole interview (fractions allowed: `--minutes 0.5`)."""
    seed: int
    """The seed the questions were drawn with (drawn at random when none was given)."""
    topic: str | None = None
    """Topic filter used, if any."""
    difficulty: str | None = None
    """Difficulty filter used, if any."""

    @property
    def question_ids(self) -> list[str]:
        """The question ids in order."""
        return [item.question_id for item in self.items]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"items": [asdict(i) for i in self.items], "minutes": self.minutes, "seed": self.seed,
                "topic": self.topic, "difficulty": self.difficulty}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MockPlan:
        """Inverse of `to_json`."""
        return cls(items=tuple(MockItem(**i) for i in data["items"]), minutes=float(data["minutes"]),
                   seed=int(data["seed"]), topic=data.get("topic"), difficulty=data.get("difficulty"))


def plan_mock(bank: Mapping[str, AnyQuestion], count: int = 3, minutes: float | None = None,
              topic: str | None = None, difficulty: str | None = None,
              seed: int | None = None) -> MockPlan:
    """Pick a balanced interview: coding, conceptual and find-the-bug questions in turn.

    Questions are drawn with `random.Random(seed)` from id-sorted pools, so a seed and the same bank
    always give the same plan. Sections take turns (coding, conceptual, bug-hunt, coding, ...);
    a section that runs out is skipped, so `count` is met whenever the bank has enough questions.
    `minutes` defaults to the sum of the chosen questions' estimated minutes.
    """
    if count < 1:
        raise PlanError("count must be at least 1")
    if minutes is not None and not minutes > 0:
        raise PlanError("minutes must be more than 0")
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    pools: dict[Section, list[str]] = {s: [] for s in SECTIONS}
    for qid in sorted(bank):
        q = bank[qid]
        if topic is not None and q.topic != topic:
            continue
        if difficulty is not None and str(q.difficulty) != difficulty:
            continue
        pools[section_of(q)].append(qid)
    if not any(pools.values()):
        wanted = ", ".join(f"{k} {v!r}" for k, v in (("topic", topic), ("difficulty", difficulty)) if v)
        raise PlanError(f"no question matches {wanted or 'the bank'}")
    for section in SECTIONS:
        rng.shuffle(pools[section])
    items: list[MockItem] = []
    while len(items) < count and any(pools.values()):
        for section in SECTIONS:
            if pools[section] and len(items) < count:
                items.append(MockItem(pools[section].pop(), section))
    if minutes is None:
        minutes = float(max(1, sum(bank[i.question_id].minutes for i in items)))
    return MockPlan(tuple(items), minutes, seed, topic, difficulty)


# ----------------------------------------------------------------------------------------------
# The session

class MockSession:
    """A running (or finished) mock interview.

    Args:
        plan: the questions and time allowed.
        bank: the questions by id (needed for starters, hints and scoring; never serialised).
        clock: monotonic seconds; injected so tests control time.
        wall: timezone-aware now, for `started_at` / `finished_at` / `deadline`.
    """

    def __init__(self, plan: MockPlan, bank: Mapping[str, AnyQuestion], clock: MonotonicClock = time.monotonic,
                 wall: WallClock = _utcnow) -> None:
        missing = [i for i in plan.question_ids if i not in bank]
        if missing:
            raise SessionError(f"the bank has no question {missing[0]!r}")
        self.plan = plan
        self.bank = bank
        self.clock = clock
        self.wall = wall
        self.remaining_s: float = plan.minutes * 60.0
        self.current = 0
        self.status: SessionStatus = "running"
        self.reason: EndReason | None = None
        self.started_at: datetime = wall()
        self.finished_at: datetime | None = None
        self.answers: dict[str, Answer] = {}
        for qid in plan.question_ids:
            q = bank[qid]
            starter = q.starter if isinstance(q, CodeQuestion) else ""
            self.answers[qid] = Answer(qid, str(q.kind), source=starter)
        self._last_tick = clock()

    # -- reading ---------------------------------------------------------------------------------
    @property
    def question_ids(self) -> list[str]:
        """The questions in order."""
        return self.plan.question_ids

    @property
    def current_id(self) -> str:
        """The question on screen."""
        return self.question_ids[self.current]

    def question(self, qid: str | None = None) -> AnyQuestion:
        """A question of this interview (default: the current one)."""
        return self.bank[self._check(qid)]

    def answer(self, qid: str | None = None) -> Answer:
        """The answer to a question (default: the current one)."""
        return self.answers[self._check(qid)]

    @property
    def running(self) -> bool:
        """Answers can still be changed."""
        return self.status == "running"

    @property
    def finished(self) -> bool:
        """The interview is over and every answer is graded."""
        return self.status == "finished"

    @property
    def warning(self) -> bool:
        """Five minutes or less are left (the countdown changes colour)."""
        return self.running and self.remaining_s <= WARNING_S

    @property
    def deadline(self) -> datetime:
        """When the interview ends if it runs on without interruption (wall clock, for display)."""
        return self.wall() + timedelta(seconds=max(0.0, self.remaining_s))

    def countdown(self) -> str:
        """Time left as `MM:SS` (`H:MM:SS` beyond an hour), rounded up so 00:00 means over."""
        left = max(0, int(-(-self.remaining_s // 1)))
        hours, rest = divmod(left, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"

    def is_open(self, qid: str) -> bool:
        """A code answer changed since its last grade (it will be graded when the interview ends)."""
        a = self.answers[qid]
        return a.kind == "code" and a.source != a.graded_source

    def hints_shown(self, qid: str | None = None) -> list[str]:
        """The hints already revealed for a code question."""
        q = self.question(qid)
        if not isinstance(q, CodeQuestion):
            return []
        return q.hints[: self.answer(qid).hints_used]

    def model_answer(self, qid: str | None = None) -> str:
        """The model answer; raises `LockedError` until the interview is finished."""
        if not self.finished:
            raise LockedError("model answers are locked until the interview ends")
        return model_answer_text(self.question(qid))

    def score(self, qid: str) -> Score:
        """The current score of one answer."""
        return score_answer(self.question(qid), self.answers[qid])

    def total(self) -> float:
        """Sum of the scores (pending short answers count 0)."""
        return round(sum(self.score(q).points for q in self.question_ids), 4)

    # -- time ------------------------------------------------------------------------------------
    def tick(self) -> float:
        """Charge the time since the last tick to the clock and the current question; return time left.

        Does not expire the session by itself (expiry grades code, which the caller may want to do
        in a worker thread): check `remaining_s <= 0` and call `expire`.
        """
        now = self.clock()
        elapsed = max(0.0, now - self._last_tick)
        self._last_tick = now
        if self.running:
            elapsed = min(elapsed, max(0.0, self.remaining_s))
            self.remaining_s -= elapsed
            self.answers[self.current_id].time_spent_s += elapsed
        return self.remaining_s

    @property
    def expired(self) -> bool:
        """No time is left."""
        return self.remaining_s <= 0

    # -- editing ---------------------------------------------------------------------------------
    def goto(self, index: int) -> None:
        """Show another question (time so far is charged to the one being left)."""
        if not 0 <= index < len(self.question_ids):
            raise SessionError(f"no question number {index + 1}")
        self.tick()
        self.current = index

    def next(self) -> None:
        """Show the next question (wraps around)."""
        self.goto((self.current + 1) % len(self.question_ids))

    def previous(self) -> None:
        """Show the previous question (wraps around)."""
        self.goto((self.current - 1) % len(self.question_ids))

    def set_source(self, source: str, qid: str | None = None) -> None:
        """Record the code in the editor."""
        self._editable(qid, "code").source = source

    def select(self, indices: list[int], qid: str | None = None) -> None:
        """Record the selected options of a choice question."""
        a = self._editable(qid, "choice")
        n = len(self.question(qid).choices)  # type: ignore[union-attr]
        if any(not 0 <= i < n for i in indices):
            raise SessionError(f"options are numbered 0..{n - 1}")
        a.selected = sorted(set(indices))

    def set_text(self, text: str, qid: str | None = None) -> None:
        """Record a short written answer."""
        self._editable(qid, "short").text = text

    def take_hint(self, qid: str | None = None) -> str | None:
        """Reveal the next hint of a code question (costs `HINT_PENALTY`); None when none is left."""
        a = self._editable(qid, "code")
        q = self.question(qid)
        assert isinstance(q, CodeQuestion)
        if a.hints_used >= len(q.hints):
            return None
        a.hints_used += 1
        return q.hints[a.hints_used - 1]

    def record_grade(self, qid: str, source: str, result: GradeResult, *, submitted: bool = True) -> None:
        """Store the grade of `source`; `submitted` counts it as the candidate's own submission.

        Splitting grading (slow: a worker thread in the app) from recording (fast, on the UI
        thread) keeps the session free of threads.
        """
        a = self.answers[self._check(qid)]
        if a.kind != "code":
            raise SessionError(f"{qid!r} is not a code question")
        if self.status == "finished":
            raise SessionError("the interview is over")
        if submitted:  # also while "grading": it was submitted before the time ran out
            a.submissions += 1
            if result.ok and a.solved_at is None:
                a.solved_at = a.submissions
        else:
            a.auto_submitted = True
        a.source = source
        a.graded_source = source
        a.result = result.to_json()

    # -- ending ----------------------------------------------------------------------------------
    def stop(self, reason: EndReason) -> None:
        """Freeze the clock and the answers; the open code answers still need grading."""
        if self.status != "running":
            return
        self.tick()
        if reason == "expired":
            self.remaining_s = 0.0
        self.status = "grading"
        self.reason = reason

    def pending_grades(self) -> list[tuple[str, str]]:
        """(question id, source) of every code answer still to grade when the interview ends.

        Answers left exactly as the starter are not graded: they score 0 as "not attempted".
        """
        out = []
        for qid in self.question_ids:
            q, a = self.bank[qid], self.answers[qid]
            if isinstance(q, CodeQuestion) and self.is_open(qid) and a.source != q.starter:
                out.append((qid, a.source))
        return out

    def close(self) -> None:
        """Mark the interview finished (after the pending grades are recorded); unlocks model answers."""
        if self.status == "running":
            raise SessionError("stop() the interview first")
        if self.status == "finished":
            return
        for qid in self.question_ids:
            if self.is_open(qid):  # reverted to the starter after a grade: it stands as not attempted
                self.answers[qid].result = None
                self.answers[qid].graded_source = None
        self.status = "finished"
        self.finished_at = self.wall()

    def rate_short(self, ticked: list[int], qid: str | None = None) -> None:
        """Self-rate a short answer against its rubric (only once the model answer is unlocked)."""
        q = self.question(qid)
        if not isinstance(q, ShortQuestion):
            raise SessionError(f"{q.id!r} is not a short-answer question")
        if not self.finished:
            raise LockedError("short answers are self-rated after the interview")
        if any(not 0 <= i < len(q.rubric) for i in ticked):
            raise SessionError(f"rubric points are numbered 0..{len(q.rubric) - 1}")
        self.answer(qid).self_rating = sorted(set(ticked))

    # -- persistence -----------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Everything needed to resume: plan, answers, time left (after a final tick by the caller)."""
        return {
            "format": SESSION_FORMAT,
            "plan": self.plan.to_json(),
            "remaining_s": round(self.remaining_s, 3),
            "current": self.current,
            "status": self.status,
            "reason": self.reason,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "answers": [asdict(self.answers[q]) for q in self.question_ids],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], bank: Mapping[str, AnyQuestion],
                  clock: MonotonicClock = time.monotonic, wall: WallClock = _utcnow) -> MockSession:
        """Resume a saved session with the time left it was saved with (see the module docstring)."""
        if data.get("format") != SESSION_FORMAT:
            raise SessionError(f"unknown session format {data.get('format')!r}")
        session = cls(MockPlan.from_json(data["plan"]), bank, clock, wall)
        session.remaining_s = float(data["remaining_s"])
        session.current = int(data["current"])
        session.status = data["status"]
        session.reason = data.get("reason")
        session.started_at = datetime.fromisoformat(data["started_at"])
        session.finished_at = datetime.fromisoformat(data["finished_at"]) if data.get("finished_at") else None
        for raw in data["answers"]:
            session.answers[raw["question_id"]] = Answer(**raw)
        return session

    # -- helpers ---------------------------------------------------------------------------------
    def _check(self, qid: str | None) -> str:
        if qid is None:
            return self.current_id
        if qid not in self.answers:
            raise SessionError(f"{qid!r} is not part of this interview")
        return qid

    def _editable(self, qid: str | None, kind: str) -> Answer:
        a = self.answers[self._check(qid)]
        if not self.running:
            raise SessionError("the interview is over: answers can no longer change")
        if a.kind != kind:
            raise SessionError(f"{a.question_id!r} is a {a.kind} question, not {kind}")
        return a


def safe_grade(grader: GraderLike, question: CodeQuestion, source: str, *, examples: bool = False) -> GradeResult:
    """Grade, turning an unexpected grader failure into an `error` result so an interview always ends.

    Safe to call from a worker thread: it touches no session state. An interview ends in three
    steps that the app spreads over two threads: `stop()`, then `safe_grade` on each of
    `pending_grades()` (a worker), then `record_grade(..., submitted=False)` for each and `close()`.
    """
    try:
        return grader.grade(question, source, examples=examples)
    except Exception as exc:  # the grader is outside our control; the interview must still end
        return GradeResult(question=question.id, status="error", passed=0, total=0, device="",
                           duration_s=0.0, message=f"the grader failed: {exc}")


def model_answer_text(question: AnyQuestion) -> str:
    """The model answer as Markdown-ready text: the solution code, the correct options or the answer."""
    if isinstance(question, CodeQuestion):
        try:
            return question.solution_source()
        except (OSError, AssertionError):
            return "(the model solution file is missing)"
    if isinstance(question, ChoiceQuestion):
        return "\n".join(f"- {c.text}" for c in question.choices if c.correct)
    return question.answer
