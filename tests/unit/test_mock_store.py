"""Mock sessions and review cards in the progress store: save every tick, resume after a kill, finish."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Rating

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "mock"))

from mockkit import FakeClock, FakeWall, StubGrader, bank, end_interview, submit

from quizapp import review
from quizapp.mock import store as mock_store
from quizapp.mock.session import MockPlan, MockSession, plan_mock
from quizapp.progress import Store
from quizapp.review import Outcome, default_scheduler
from quizapp.transfer import export, import_

BANK = bank()
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC).timestamp()


class EpochClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path, clock=EpochClock())


def test_save_every_tick_and_resume_after_kill(tmp_path: Path) -> None:
    """the state saved on the last tick is what a restarted app resumes, with its time left"""
    store = Store.open(tmp_path, clock=EpochClock())
    clock = FakeClock()
    s = MockSession(plan_mock(BANK, count=3, minutes=2, seed=4), BANK, clock=clock, wall=FakeWall(clock))
    sid = mock_store.create_session(store, s)
    s.set_source("def x():\n    pass\n", s.question_ids[0])
    for _ in range(50):
        clock.advance(1)
        s.tick()
        mock_store.save_session(store, sid, s)
    store.close()  # the process dies here (the store commits every write before returning)

    store = Store.open(tmp_path, clock=EpochClock())
    row = mock_store.unfinished_session(store)
    assert row is not None and row.id == sid and not row.finished
    r = mock_store.resume_session(store, sid, BANK, clock=FakeClock(0.0))
    assert r.remaining_s == pytest.approx(70) and r.answer(r.question_ids[0]).source == "def x():\n    pass\n"


def test_complete_saves_report_records_attempts_and_reviews(store: Store) -> None:
    """finishing stores the report, one attempt per answered question, and a review card each"""
    clock = FakeClock()
    plan = plan_mock(BANK, count=6, minutes=30, seed=1)
    s = MockSession(plan, BANK, clock=clock, wall=FakeWall(clock))
    sid = mock_store.create_session(store, s)
    g = StubGrader()
    s.set_source(BANK["clip-values"].solution_source(), "clip-values")  # type: ignore[union-attr]
    submit(s, g, "clip-values")
    s.select([1], "dropout-eval")
    s.set_text("decoupled decay", "why-decay")
    end_interview(s, "finished-early", g)
    sched = default_scheduler(enable_fuzzing=False)
    report = mock_store.complete_session(store, sid, s, sched)
    again = mock_store.complete_session(store, sid, s, sched)  # idempotent after a crash mid-save
    assert again == report
    row = mock_store.get_session(store, sid)
    assert row is not None and row.finished and row.report == report
    assert mock_store.unfinished_session(store) is None
    kinds = sorted((a.question_id, a.kind, a.status) for a in store.attempts())
    assert kinds == [("clip-values", "submit", "passed"), ("dropout-eval", "choice", "failed")]
    deck = review.load_deck(store)
    assert set(deck.cards) == {"clip-values", "dropout-eval"}  # never-opened questions get no card
    now = datetime.fromtimestamp(T0, UTC)
    due_soon = [d.question_id for d in deck.due(now, tz=UTC, until=now + timedelta(days=1, hours=1))]
    assert "clip-values" not in due_soon and "dropout-eval" in due_soon  # Good: days away; Again: tomorrow

    report = mock_store.rate_short_answer(store, sid, s, "why-decay", [0, 1], sched)
    assert report.items[plan.question_ids.index("why-decay")].points == 1
    assert "why-decay" in review.load_deck(store).cards
    assert [a.rating for a in store.attempts("why-decay")] == ["good"]
    assert mock_store.get_session(store, sid).report == report  # type: ignore[union-attr]


@pytest.mark.parametrize("ticked, solved", [([0, 1], True), ([0], False), ([], False)])
def test_practice_and_mock_agree_on_what_solved_means(store: Store, ticked: list[int], solved: bool) -> None:
    """a short answer with every rubric point ticked is solved in a mock interview exactly as a
    good/easy self-rating is in practice; fewer points are not, in both; both record the same shape"""
    clock = FakeClock()
    s = MockSession(MockPlan.from_json({"items": [{"question_id": "why-decay", "section": "conceptual"}],
                                        "minutes": 5, "seed": 1}), BANK, clock, FakeWall(clock))
    sid = mock_store.create_session(store, s)
    s.set_text("decoupled decay", "why-decay")
    end_interview(s, "finished-early", StubGrader())
    mock_store.complete_session(store, sid, s)
    mock_store.rate_short_answer(store, sid, s, "why-decay", ticked)
    [mock] = store.attempts("why-decay")
    practice = store.record_short("why-decay", "decoupled decay", mock.rating or "again",
                                  [i in ticked for i in range(2)])
    assert (mock.status == "passed") == (practice.status == "passed") == solved
    assert set(mock.result) == set(practice.result) == {"rating", "rubric", "mock"}
    assert mock.result["mock"] is True and practice.result["mock"] is False


def test_history_and_discard(store: Store) -> None:
    """history lists newest first; a discarded interview stays listed, is never resumed, and its
    id is not reused by the next one"""
    ids = []
    for seed in range(3):
        clock = FakeClock()
        wall = FakeWall(clock, start=datetime(2025, 3, 1 + seed, tzinfo=UTC))
        session = MockSession(plan_mock(BANK, seed=seed), BANK, clock, wall)
        ids.append(mock_store.create_session(store, session))
    assert [r.id for r in mock_store.history(store)] == ids[::-1]
    assert mock_store.unfinished_session(store).id == ids[2]  # type: ignore[union-attr]
    mock_store.discard_session(store, ids[2])
    rows = mock_store.history(store)
    assert [r.id for r in rows] == ids[::-1] and [r.status for r in rows] == ["discarded", "unfinished", "unfinished"]
    assert mock_store.unfinished_session(store).id == ids[1]  # type: ignore[union-attr]
    assert mock_store.create_session(store, MockSession(plan_mock(BANK, seed=7), BANK)) == ids[2] + 1


def test_practice_outcomes_from_attempts(store: Store) -> None:
    """practice attempts since the last review give the outcome: first-try Good, hinted Hard, give-up Again"""
    clock: EpochClock = store.clock  # type: ignore[assignment]
    q = BANK["clip-values"]
    assert review.practice_outcome(store, q) is None
    store.record_attempt("clip-values", "submit", status="failed", passed=1, total=4, hints_used=0)
    store.record_attempt("clip-values", "submit", status="passed", passed=4, total=4, hints_used=1)
    assert review.practice_outcome(store, q) == Outcome(solved=True, submits=2, hints=1)
    sched = default_scheduler(enable_fuzzing=False)
    card = review.review_after_practice(store, q, sched)
    assert card is not None and card.last_review is not None
    clock.now += 3600
    assert review.practice_outcome(store, q) is None  # nothing new since that review
    store.give_up("mean-bug")
    assert review.practice_outcome(store, BANK["mean-bug"]) == Outcome(solved=False, gave_up=True)
    store.record_attempt("why-decay", "short", status="failed", rating="hard")
    assert review.practice_outcome(store, BANK["why-decay"]) == Outcome(score=0.5)


def test_due_ids_mark_due_questions(store: Store) -> None:
    """the store's browse statuses say 'due' for questions whose card is due today"""
    review.record_review(store, "clip-values", Rating.Again, default_scheduler(enable_fuzzing=False))
    review.record_review(store, "mean-bug", Rating.Easy, default_scheduler(enable_fuzzing=False))
    assert "clip-values" in review.due_ids(store, UTC)  # Again: due again the same day, as in Anki
    assert "mean-bug" not in review.due_ids(store, UTC)  # Easy: days away
    store.clock.now += 86400  # type: ignore[attr-defined]
    assert store.statuses(["clip-values", "mean-bug", "why-decay"], review.due_ids(store, UTC)) == {
        "clip-values": "due", "mean-bug": "new", "why-decay": "new"}
    store.clock.now += 60 * 86400  # type: ignore[attr-defined]
    assert "mean-bug" in review.due_ids(store, UTC)


def test_mock_sessions_and_cards_travel_with_export(store: Store, tmp_path: Path) -> None:
    """export/import carries interviews and review cards to another machine"""
    clock = FakeClock()
    s = MockSession(plan_mock(BANK, seed=2), BANK, clock, FakeWall(clock))
    sid = mock_store.create_session(store, s)
    clock.advance(30)
    end_interview(s, "finished-early", StubGrader())
    mock_store.complete_session(store, sid, s)
    path = tmp_path / "progress.json"
    export(store, path)
    doc = json.loads(path.read_text())
    assert len(doc["tables"]["mock_sessions"]) == 1 and doc["tables"]["review_cards"]
    other = Store.open(tmp_path / "other", clock=EpochClock())
    summary = import_(other, path)
    assert summary.added["mock_sessions"] == 1
    row = mock_store.history(other)[0]
    assert row.report is not None and row.report.total == mock_store.get_session(store, sid).report.total  # type: ignore[union-attr]
