"""Resume or start: a request that disagrees with a paused interview is spotted, phrase by phrase,
and starting afresh sets the paused one aside (kept, with a new id for the new one)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "mock"))

from mockkit import bank

from quizapp.mock import store as mock_store
from quizapp.mock.launch import MockRequest, paused_interview, start_interview
from quizapp.mock.session import PlanError
from quizapp.progress import Store

BANK = bank()


def test_a_request_that_says_nothing_agrees_with_any_plan() -> None:
    """no flags: resume whatever is paused"""
    plan = MockRequest(count=4, minutes=9, seed=2).plan(BANK)
    assert MockRequest().differences(plan) == []
    assert MockRequest(count=4, minutes=9.0, seed=2).differences(plan) == []


def test_each_disagreement_is_named_with_what_the_paused_one_has() -> None:
    """count, minutes, topic, difficulty and seed are each compared"""
    plan = MockRequest(count=3, minutes=28, seed=5).plan(BANK)
    asked = MockRequest(count=2, minutes=3, topic="fundamentals", difficulty="easy", seed=1)
    assert asked.differences(plan) == [
        "2 questions (it has 3)", "3 minutes (it has 28)", "topic fundamentals (it has every topic)",
        "difficulty easy (it has every difficulty)", "seed 1 (it has 5)"]


def test_starting_sets_the_paused_one_aside(tmp_path: Path) -> None:
    """the paused interview is kept as discarded; the new one has a new id and becomes the paused one"""
    with Store.open(tmp_path) as store:
        first_id, _ = start_interview(store, BANK, MockRequest(count=2, seed=1))
        paused = paused_interview(store, BANK)
        assert paused is not None and paused.session_id == first_id
        assert paused.describe().startswith(f"interview #{first_id}: 2 questions, ")
        assert paused.describe().endswith(" left, 0 answered")
        second_id, session = start_interview(store, BANK, MockRequest(count=3, seed=2), discard=paused)
        assert second_id != first_id and len(session.question_ids) == 3
        assert paused_interview(store, BANK).session_id == second_id  # type: ignore[union-attr]
        assert mock_store.get_session(store, first_id).status == "discarded"  # type: ignore[union-attr]


def test_an_impossible_request_discards_nothing(tmp_path: Path) -> None:
    """the plan is made before the paused interview is set aside"""
    with Store.open(tmp_path) as store:
        first_id, _ = start_interview(store, BANK, MockRequest(seed=1))
        paused = paused_interview(store, BANK)
        with pytest.raises(PlanError):
            start_interview(store, BANK, MockRequest(topic="no-such-topic"), discard=paused)
        assert paused_interview(store, BANK).session_id == first_id  # type: ignore[union-attr]
