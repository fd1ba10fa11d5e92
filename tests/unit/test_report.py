"""Mock-interview report: per-question score, time, hints, tests, both answers, the total; Markdown."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "mock"))

from mockkit import FakeClock, FakeWall, StubGrader, bank, end_interview, submit

from quizapp.mock.report import MockReport, build_report, format_duration, to_markdown
from quizapp.mock.session import LockedError, MockPlan, MockSession

BANK = bank()
PLAN = MockPlan.from_json({"items": [
    {"question_id": "clip-values", "section": "coding"},
    {"question_id": "regularisers", "section": "conceptual"},
    {"question_id": "mean-bug", "section": "bug-hunt"},
    {"question_id": "why-decay", "section": "conceptual"},
], "minutes": 20, "seed": 42})
PARTIAL_CLIP = "def clip(xs, lo, hi):\n    return [max(x, lo) for x in xs]\n"


@pytest.fixture
def finished() -> MockSession:
    clock = FakeClock()
    s = MockSession(PLAN, BANK, clock=clock, wall=FakeWall(clock))
    g = StubGrader()
    s.take_hint("clip-values")
    s.set_source(PARTIAL_CLIP, "clip-values")
    submit(s, g, "clip-values")
    clock.advance(300)
    s.goto(1)
    s.select([0], "regularisers")
    clock.advance(60)
    s.goto(2)
    s.set_source("def mean(xs):\n    return sum(xs) / len(xs)\n", "mean-bug")
    clock.advance(90)
    s.goto(3)
    s.set_text("Adam rescales the L2 gradient per parameter.", "why-decay")
    clock.advance(20 * 60)
    s.tick()
    end_interview(s, "expired", g)
    return s


def test_report_is_locked_while_running() -> None:
    """no report (and so no model answer) before the end"""
    s = MockSession(PLAN, BANK, clock=FakeClock())
    with pytest.raises(LockedError):
        build_report(s)


def test_report_contents(finished: MockSession) -> None:
    """per question: score, time spent, hints, tests passed, candidate and model answers; the total"""
    r = build_report(finished, session_id=7)
    clip, regs, mean, short = r.items
    assert (clip.tests_passed, clip.tests_total, clip.hints_used, clip.submissions) == (3, 4, 1, 1)
    assert clip.points == pytest.approx(0.75 - 0.1) and clip.penalty == pytest.approx(0.1)
    assert clip.time_spent_s == 300 and clip.answer == PARTIAL_CLIP
    assert "min(max(x, lo), hi)" in clip.model_answer
    assert len(clip.failed_tests) == 1 and clip.failed_tests[0].startswith("values above hi become hi")
    assert regs.points == 0.5 and regs.answer == "- Weight decay" and "Dropout" in regs.model_answer
    assert mean.auto_submitted and (mean.tests_passed, mean.tests_total) == (2, 2) and mean.points == 1
    assert short.pending and short.rubric and short.self_rating is None
    assert r.total == pytest.approx(0.65 + 0.5 + 1.0) and r.max_total == 4 and r.pending == 1
    assert r.reason == "expired" and r.time_used_s == 20 * 60 and r.seed == 42 and r.session_id == 7
    assert MockReport.from_json(json.loads(json.dumps(r.to_json()))) == r


def test_markdown_export(finished: MockSession) -> None:
    """the Markdown has the summary table, each answer beside the model answer, and the total"""
    finished.rate_short([0], "why-decay")
    md = to_markdown(build_report(finished, session_id=7))
    assert md.startswith("# Mock interview #7\n")
    assert "- **Score:** 2.65 / 4 (66%)" in md
    assert "| 1 | Clip a list of numbers | coding | 0.65 | 5m 00s | 1 | 3/4 |" in md
    assert "| 3 | Find the bug in mean | bug-hunt | 1.00 | 1m 30s | 0 | 2/2 |" in md
    assert "| | **Total** | | **2.65 / 4** |" in md
    assert "time ran out" in md and "**Seed:** 42" in md
    assert "auto-submitted at the end" in md
    assert md.count("### Candidate's answer") == 4 and md.count("### Model answer") == 4
    assert "```python\ndef clip(xs, lo, hi):\n    return [max(x, lo) for x in xs]\n```" in md
    assert "- [x] Adam rescales the L2 gradient per parameter" in md
    assert "- [ ] Decoupled decay shrinks every weight by the same factor" in md
    assert "−0.10 for hints" in md


def test_markdown_survives_backticks_and_pipes() -> None:
    """answers containing ``` fences and titles with | do not break the document"""
    clock = FakeClock()
    s = MockSession(PLAN, BANK, clock=clock, wall=FakeWall(clock))
    s.set_source('def clip(xs, lo, hi):\n    """```"""\n    return xs\n', "clip-values")
    end_interview(s, "finished-early", StubGrader())
    md = to_markdown(build_report(s))
    assert "````python\n" in md and md.startswith("# Mock interview\n")
    assert "finished early" in md


@pytest.mark.parametrize(("seconds", "text"), [(0, "0s"), (45.4, "45s"), (65, "1m 05s"), (3720, "1h 02m")])
def test_format_duration(seconds: float, text: str) -> None:
    """durations read naturally"""
    assert format_duration(seconds) == text
