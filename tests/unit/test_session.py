"""Mock-interview state machine driven by an injected clock: planning, time, expiry, resume, scoring."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "mock"))

from mockkit import FakeClock, FakeWall, StubGrader, bank, end_interview, submit

from quizapp.mock.scoring import HINT_PENALTY, score_choice
from quizapp.mock.session import LockedError, MockPlan, MockSession, PlanError, SessionError, plan_mock
from quizapp.models import GradeResult

BANK = bank()
FULL = MockPlan.from_json({"items": [
    {"question_id": "clip-values", "section": "coding"},
    {"question_id": "dropout-eval", "section": "conceptual"},
    {"question_id": "mean-bug", "section": "bug-hunt"},
    {"question_id": "regularisers", "section": "conceptual"},
    {"question_id": "why-decay", "section": "conceptual"},
], "minutes": 10, "seed": 0})


def new_session(plan: MockPlan = FULL) -> tuple[MockSession, FakeClock]:
    clock = FakeClock()
    return MockSession(plan, BANK, clock=clock, wall=FakeWall(clock)), clock


def solution(qid: str) -> str:
    return BANK[qid].solution_source()  # type: ignore[union-attr]


# -- planning ------------------------------------------------------------------------------------

def test_plan_is_balanced_across_sections() -> None:
    """three questions are one coding, one conceptual and one find-the-bug"""
    for seed in range(20):
        plan = plan_mock(BANK, count=3, seed=seed)
        assert sorted(i.section for i in plan.items) == ["bug-hunt", "coding", "conceptual"]
        assert len(set(plan.question_ids)) == 3


def test_plan_is_reproducible_for_a_seed() -> None:
    """the same seed gives the same plan; the bank's iteration order does not matter"""
    shuffled = dict(reversed(list(BANK.items())))
    plans = {tuple(plan_mock(b, count=4, seed=7).question_ids) for b in (BANK, shuffled, BANK)}
    assert len(plans) == 1
    assert len({tuple(plan_mock(BANK, count=3, seed=s).question_ids) for s in range(30)}) > 1


def test_plan_filters_and_limits() -> None:
    """topic/difficulty filter; count beyond the pool takes all; no match is an error"""
    plan = plan_mock(BANK, count=10, topic="dropout", seed=1)
    assert sorted(plan.question_ids) == ["dropout-eval", "scale-survivors"]
    assert plan.minutes == 8 + 2
    assert plan_mock(BANK, count=3, difficulty="hard", seed=1).question_ids == ["why-decay"]
    with pytest.raises(PlanError, match="no question matches topic 'nope'"):
        plan_mock(BANK, topic="nope")
    assert plan_mock(BANK, count=2, minutes=2, seed=3).minutes == 2
    assert isinstance(plan_mock(BANK, count=1).seed, int)


def test_plan_round_trips_json() -> None:
    """a plan survives JSON"""
    plan = plan_mock(BANK, count=3, minutes=2, seed=5)
    assert MockPlan.from_json(json.loads(json.dumps(plan.to_json()))) == plan


# -- time ----------------------------------------------------------------------------------------

def test_time_is_charged_to_the_question_on_screen() -> None:
    """ticks take time off the countdown and add it to the current question; moving is free"""
    s, clock = new_session()
    clock.advance(30)
    assert s.tick() == pytest.approx(570)
    s.goto(2)
    clock.advance(45)
    s.next()
    clock.advance(5)
    s.previous()
    s.previous()
    clock.advance(10)
    s.tick()
    assert s.answer("clip-values").time_spent_s == pytest.approx(30)
    assert s.answer("mean-bug").time_spent_s == pytest.approx(45)
    assert s.answer("regularisers").time_spent_s == pytest.approx(5)
    assert s.answer("dropout-eval").time_spent_s == pytest.approx(10)
    assert s.remaining_s == pytest.approx(600 - 90)
    assert s.countdown() == "08:30"
    with pytest.raises(SessionError):
        s.goto(5)


def test_warning_in_the_last_five_minutes() -> None:
    """the countdown warns at 5:00 left, not before"""
    s, clock = new_session()
    clock.advance(299)
    s.tick()
    assert not s.warning
    clock.advance(1)
    s.tick()
    assert s.warning and s.countdown() == "05:00"


def test_countdown_rounds_up_and_stops_at_zero() -> None:
    """00:00 is shown only when no time is left; the clock never goes negative"""
    s, clock = new_session()
    clock.advance(599.5)
    s.tick()
    assert s.countdown() == "00:01" and not s.expired
    clock.advance(100)
    s.tick()
    assert s.remaining_s == 0 and s.expired and s.countdown() == "00:00"
    assert s.answer().time_spent_s == pytest.approx(600)


# -- expiry and auto-submit ------------------------------------------------------------------------

def test_expiry_auto_submits_every_open_answer_as_it_stands() -> None:
    """at expiry, open code answers are graded as they stand; untouched starters are not graded"""
    s, clock = new_session()
    grade = StubGrader()
    s.set_source("def clip(xs, lo, hi):\n    return [max(x, lo) for x in xs]\n", "clip-values")
    s.select([0], "dropout-eval")
    clock.advance(600)
    assert s.tick() == 0 and s.expired
    end_interview(s, "expired", grade)
    assert s.finished and s.reason == "expired"
    assert [qid for qid, _ in grade.calls] == ["clip-values"]  # mean-bug still holds its starter
    clip = s.answer("clip-values")
    assert clip.auto_submitted and clip.submissions == 0
    assert (clip.grade.passed, clip.grade.total) == (3, 4)  # type: ignore[union-attr]
    assert s.score("clip-values").points == pytest.approx(0.75)
    assert s.score("mean-bug").points == 0 and s.score("mean-bug").note == "not attempted"
    assert s.score("dropout-eval").points == 1
    assert s.finished_at is not None and (s.finished_at - s.started_at).total_seconds() == 600


def test_answers_are_frozen_after_the_end() -> None:
    """nothing can be edited, hinted or submitted once the interview is over"""
    s, _ = new_session()
    end_interview(s, "finished-early", StubGrader())
    for action in (lambda: s.set_source("x", "clip-values"), lambda: s.select([1], "dropout-eval"),
                   lambda: s.set_text("t", "why-decay"), lambda: s.take_hint("clip-values"),
                   lambda: submit(s, StubGrader(), "clip-values")):
        with pytest.raises(SessionError):
            action()


def test_submitted_answer_is_not_regraded_unless_changed() -> None:
    """a submission closes the answer; editing it afterwards opens it again"""
    s, _ = new_session()
    grade = StubGrader()
    s.set_source(solution("clip-values"), "clip-values")
    assert submit(s, grade, "clip-values").ok
    s.set_source(solution("mean-bug"), "mean-bug")
    submit(s, grade, "mean-bug")
    s.set_source(solution("mean-bug") + "\n# tidy\n", "mean-bug")
    assert s.pending_grades() == [("mean-bug", solution("mean-bug") + "\n# tidy\n")]
    end_interview(s, "finished-early", grade)
    assert [q for q, _ in grade.calls] == ["clip-values", "mean-bug", "mean-bug"]
    assert s.reason == "finished-early"
    assert s.answer("mean-bug").submissions == 1 and s.answer("mean-bug").auto_submitted


def test_finish_early_keeps_the_time_left() -> None:
    """finishing early records the time left and stops the clock"""
    s, clock = new_session()
    clock.advance(100)
    end_interview(s, "finished-early", StubGrader())
    clock.advance(100)
    s.tick()
    assert s.remaining_s == pytest.approx(500)


def test_grader_failure_still_ends_the_interview() -> None:
    """an exception from the grader becomes an error result with 0 points"""
    s, _ = new_session()

    class Broken(StubGrader):
        def grade(self, question: object, source: str, *, examples: bool = False) -> GradeResult:
            raise RuntimeError("worker died")

    broken = Broken()

    s.set_source("def clip(xs, lo, hi):\n    return xs\n", "clip-values")
    end_interview(s, "expired", broken)
    assert s.finished
    assert s.answer("clip-values").grade.status == "error"  # type: ignore[union-attr]
    assert "worker died" in s.answer("clip-values").grade.message  # type: ignore[union-attr]
    assert s.score("clip-values").points == 0


# -- resume after a kill ---------------------------------------------------------------------------

def test_resume_after_a_kill_keeps_time_left_and_answers() -> None:
    """a session saved mid-interview resumes with its time left; downtime is not charged"""
    s, clock = new_session()
    s.goto(2)
    s.set_source("def mean(xs):\n    return 0\n")
    s.take_hint()
    s.goto(4)
    s.set_text("Adam rescales the decay term")
    clock.advance(125)
    s.tick()
    saved = json.dumps(s.to_json())  # what the app writes on every tick
    del s  # the app is killed; the machine reboots; a new monotonic clock starts from 0

    clock2 = FakeClock(start=0.0)
    r = MockSession.from_json(json.loads(saved), BANK, clock=clock2, wall=FakeWall(clock2))
    assert r.remaining_s == pytest.approx(475) and r.current == 4 and r.running
    assert r.answer("mean-bug").source == "def mean(xs):\n    return 0\n"
    assert r.answer("mean-bug").hints_used == 1 and r.hints_shown("mean-bug") == ["Count the items."]
    assert r.answer("why-decay").text == "Adam rescales the decay term"
    assert r.answer("why-decay").time_spent_s == pytest.approx(125)
    clock2.advance(475)
    r.tick()
    assert r.expired
    end_interview(r, "expired", StubGrader())
    assert r.finished and r.answer("mean-bug").grade is not None


def test_resume_a_finished_session_round_trips() -> None:
    """a finished session's JSON restores the same scores and timestamps"""
    s, _ = new_session()
    s.set_source(solution("clip-values"), "clip-values")
    s.set_text("decoupled", "why-decay")
    end_interview(s, "finished-early", StubGrader())
    s.rate_short([0], "why-decay")
    r = MockSession.from_json(json.loads(json.dumps(s.to_json())), BANK)
    assert r.finished and r.finished_at == s.finished_at and r.total() == s.total()
    assert r.model_answer("clip-values") == solution("clip-values")


def test_resume_rejects_unknown_format_and_missing_questions() -> None:
    """a future format or a question removed from the bank is reported, not guessed"""
    s, _ = new_session()
    data = s.to_json()
    with pytest.raises(SessionError, match="format"):
        MockSession.from_json({**data, "format": 99}, BANK)
    small = {k: v for k, v in BANK.items() if k != "mean-bug"}
    with pytest.raises(SessionError, match="mean-bug"):
        MockSession.from_json(data, small)


# -- scoring ---------------------------------------------------------------------------------------

def test_hints_cost_points() -> None:
    """each hint costs HINT_PENALTY off the fraction of tests passed, never below zero"""
    s, _ = new_session()
    assert s.take_hint("clip-values") == "Each value is handled on its own."
    assert s.take_hint("clip-values") == "`min(max(x, lo), hi)`"
    assert s.take_hint("clip-values") is None  # no third hint, no extra cost
    s.set_source(solution("clip-values"), "clip-values")
    submit(s, StubGrader(), "clip-values")
    score = s.score("clip-values")
    assert score.points == pytest.approx(1 - 2 * HINT_PENALTY) and score.penalty == pytest.approx(0.2)
    s.take_hint("mean-bug")
    s.set_source("def mean(xs):\n    return 0\n", "mean-bug")
    end_interview(s, "finished-early", StubGrader())
    assert s.score("mean-bug").points == 0  # 0/2 tests minus a hint stays at 0
    with pytest.raises(SessionError):
        s.take_hint("dropout-eval")


def test_first_solve_is_recorded() -> None:
    """solved_at counts the submission at which every test first passed"""
    s, _ = new_session()
    grade = StubGrader()
    s.set_source("def clip(xs, lo, hi):\n    return xs\n", "clip-values")
    submit(s, grade, "clip-values")
    s.set_source(solution("clip-values"), "clip-values")
    submit(s, grade, "clip-values")
    submit(s, grade, "clip-values")
    a = s.answer("clip-values")
    assert (a.submissions, a.solved_at) == (3, 2)


@pytest.mark.parametrize(("qid", "selected", "expected"), [
    ("dropout-eval", [0], 1.0), ("dropout-eval", [1], 0.0), ("dropout-eval", [0, 1], 0.0),
    ("regularisers", [0, 1], 1.0), ("regularisers", [0], 0.5), ("regularisers", [0, 2], 0.0),
    ("regularisers", [0, 1, 2], 0.5), ("regularisers", [2], 0.0),
])
def test_choice_scoring(qid: str, selected: list[int], expected: float) -> None:
    """single answer is 1/0; select-all gives (hits - wrong picks) / correct options"""
    assert score_choice(BANK[qid], selected) == pytest.approx(expected)  # type: ignore[arg-type]


def test_short_answer_is_self_rated_after_the_end() -> None:
    """short answers are pending until self-rated, and can only be rated once unlocked"""
    s, _ = new_session()
    s.set_text("Adam divides the L2 term by its denominator", "why-decay")
    with pytest.raises(LockedError):
        s.rate_short([0, 1], "why-decay")
    end_interview(s, "finished-early", StubGrader())
    assert s.score("why-decay").pending and s.score("why-decay").points == 0
    s.rate_short([1], "why-decay")
    assert s.score("why-decay").points == pytest.approx(0.5) and not s.score("why-decay").pending
    with pytest.raises(SessionError):
        s.rate_short([5], "why-decay")


def test_empty_short_answer_scores_zero_without_rating() -> None:
    """an unanswered short question is 0, not pending"""
    s, _ = new_session()
    end_interview(s, "finished-early", StubGrader())
    assert not s.score("why-decay").pending and s.score("why-decay").note == "not answered"


def test_model_answers_locked_until_the_end() -> None:
    """model answers raise LockedError while the interview runs"""
    s, _ = new_session()
    with pytest.raises(LockedError):
        s.model_answer("clip-values")
    end_interview(s, "finished-early", StubGrader())
    assert "min(max(x, lo), hi)" in s.model_answer("clip-values")
    assert s.model_answer("dropout-eval") == "- Nothing; it is the identity."
    assert "adaptive denominator" in s.model_answer("why-decay")


def test_total_sums_scores() -> None:
    """the total is the sum of per-question points"""
    s, _ = new_session()
    g = StubGrader()
    s.set_source(solution("clip-values"), "clip-values")
    s.set_source(solution("mean-bug"), "mean-bug")
    s.select([0], "dropout-eval")
    s.select([0], "regularisers")
    s.set_text("x", "why-decay")
    end_interview(s, "finished-early", g)
    s.rate_short([0, 1], "why-decay")
    assert s.total() == pytest.approx(1 + 1 + 1 + 0.5 + 1)


def test_bug_hunt_is_all_or_nothing() -> None:
    """a find-the-bug answer that still fails a test scores 0, however many tests pass"""
    s, _ = new_session()
    s.set_source("# I looked at it\n" + BANK["mean-bug"].starter, "mean-bug")  # type: ignore[union-attr]
    s.set_source("def clip(xs, lo, hi):\n    return [max(x, lo) for x in xs]\n", "clip-values")
    end_interview(s, "finished-early", StubGrader())
    bug = s.score("mean-bug")
    assert bug.points == 0 and bug.note == "bug not fixed: 1/2 tests, failed"
    assert s.score("clip-values").points == pytest.approx(0.75)  # ordinary code keeps partial credit
