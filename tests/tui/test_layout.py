"""Layout at the terminal sizes people use (80x24, 120x36): long options wrap, the mock gives the
prompt and the answer room, short answers scroll, one Esc goes back, the palette in a mock."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widget import Widget

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "mock"))

from mockkit import BANK_DIR, FakeClock, FakeWall, StubGrader

from quizapp.bank import Bank, load_bank
from quizapp.mock import store as mock_store
from quizapp.mock.session import MockPlan, MockSession
from quizapp.progress import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.mock import MockScreen

SIZES = [(80, 24), (120, 36)]
LONG = ("[Markup] The gradient of the loss with respect to the pre-activation is scaled by the derivative of the "
        "nonlinearity, which vanishes when saturated tanh units sit near plus or minus one")
LONG_CHOICE = f"""\
format_version: 1
id: long-{{kind}}
title: A question with a long option ({{kind}})
kind: choice
topic: fundamentals
tags: [basics]
difficulty: medium
minutes: 2
prompt: |
  Why do deep tanh networks train slowly?
choices:
  - text: "{LONG}"
    correct: true
    why: Saturation.
  - text: Short wrong option
    correct: {{second}}
    why: No.
explanation: |
  Saturated units have tiny derivatives.
"""

PARAGRAPH = " ".join(["Adam divides each gradient by a running RMS of past gradients."] * 6)
LONG_SHORT = "\n".join([
    "format_version: 1", "id: long-short", "title: A short-answer question with a long model answer",
    "kind: short", "topic: fundamentals", "tags: [basics]", "difficulty: medium", "minutes: 3",
    "prompt: |", "  Why is L2 regularisation not the same as weight decay with Adam?",
    "answer: |", *[f"  {PARAGRAPH}\n" for _ in range(4)],
    "rubric:", "  - The L2 gradient gets rescaled by Adam's per-parameter denominator.",
    "  - Decoupled decay shrinks the weights directly.",
    '  - "[b]Uneven[/b] regularisation with plain L2 + Adam."',
    "explanation: |", *[f"  {PARAGRAPH}\n" for _ in range(3)], "",
])


def widget_text(widget: Widget) -> str:
    """What a widget shows on screen now, its lines joined by spaces."""
    strips = widget.render_lines(Region(0, 0, *widget.outer_size))
    return " ".join(strip.text for strip in strips)


def shows_all_words(text: str, words: str) -> bool:
    """Every word of `words` appears, in order, in `text` (line breaks and gutters ignored)."""
    def tokens(s: str) -> str:
        return " ".join(re.findall(r"[\w\[\]-]+", s))

    return tokens(words) in tokens(text)


LONG_CODE = ("def clip_grad_by_global_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, "
             "foreach=None, scale_by_number_of_parameters=False):")
LONG_FENCE = "\n".join([
    "format_version: 1", "id: long-fence", "title: A prompt with a long line of code", "kind: choice",
    "topic: fundamentals", "tags: [basics]", "difficulty: easy", "minutes: 1", "prompt: |",
    "  What does this signature clip?", "", "  ```python", f"  {LONG_CODE}", "      ...", "  ```",
    "choices:", "  - text: The global norm", "    correct: true", "    why: Yes.", "  - text: Each value",
    "    correct: false", "    why: No.", "explanation: |", "  It rescales every gradient together.", "",
])


@pytest.fixture(scope="module")
def long_bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    root = tmp_path_factory.mktemp("bank") / "questions"
    shutil.copytree(BANK_DIR, root)
    for kind, second in (("multi", "true"), ("single", "false")):
        (root / "fundamentals" / f"long-{kind}.yaml").write_text(
            LONG_CHOICE.format(kind=kind, second=second), encoding="utf-8")
    (root / "fundamentals" / "long-short.yaml").write_text(LONG_SHORT, encoding="utf-8")
    (root / "fundamentals" / "long-fence.yaml").write_text(LONG_FENCE, encoding="utf-8")
    return load_bank(root)


def practice_app(home: Path, bank: Bank) -> QuizApp:
    """The app in practice mode over `bank`, with a stub grader (close `app.store` after)."""
    return QuizApp(bank=bank, store=Store.open(home), grader_factory=lambda device: StubGrader())


def mock_app(home: Path, bank: Bank, ids: list[str]) -> tuple[QuizApp, MockSession]:
    store = Store.open(home)
    clock = FakeClock()
    plan = MockPlan.from_json({"items": [{"question_id": q, "section": "conceptual"} for q in ids],
                               "minutes": 10, "seed": 0})
    session = MockSession(plan, bank, clock=clock, wall=FakeWall(clock))
    session_id = mock_store.create_session(store, session)
    grader = StubGrader()
    app = QuizApp(bank=bank, store=store, grader_factory=lambda device: grader, initial_mode="mock")
    app.add_mode("mock", lambda: MockScreen(session, session_id, tick_s=3600))
    return app, session


# -- 1. options wrap ----------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", ["multi", "single"])
async def test_practice_options_wrap(tmp_path: Path, long_bank: Bank, size: tuple[int, int], kind: str) -> None:
    """every word of a 150-character option is on screen, in practice mode"""
    app = practice_app(tmp_path, long_bank)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.open_question(f"long-{kind}")
        await pilot.pause()
        await pilot.pause()
        choices = app.screen.query_one("#choices")
        assert shows_all_words(widget_text(choices), LONG)
        assert shows_all_words(widget_text(choices), "Short wrong option")
    app.store.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", ["multi", "single"])
async def test_mock_options_wrap(tmp_path: Path, long_bank: Bank, size: tuple[int, int], kind: str) -> None:
    """every word of a 150-character option is on screen, in the mock interview"""
    app, _ = mock_app(tmp_path, long_bank, [f"long-{kind}"])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        choices = app.screen.query_one("#mock-choices")
        assert shows_all_words(widget_text(choices), LONG)
        assert shows_all_words(widget_text(choices), "Short wrong option")
    app.store.close()


# -- 2. mock layout -----------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
async def test_mock_gives_prompt_and_answer_room(tmp_path: Path, long_bank: Bank, size: tuple[int, int]) -> None:
    """the prompt gets >= 35% and the answer >= 45% of the width; f7 toggles the question list"""
    app, _ = mock_app(tmp_path, long_bank, ["clip-values", "long-multi"])
    width = size[0]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        nav = screen.query_one("#mock-nav")
        prompt, answer = screen.query_one("#mock-prompt-pane"), screen.query_one("#mock-answer-pane")
        assert prompt.outer_size.width >= 0.35 * width and answer.outer_size.width >= 0.45 * width
        assert nav.display == (width >= 100)
        await pilot.press("f7")
        await pilot.pause()
        assert nav.display == (width < 100)
        await pilot.press("f7")
        await pilot.pause()
        assert nav.display == (width >= 100)
        assert prompt.outer_size.width >= 0.35 * width and answer.outer_size.width >= 0.45 * width
    app.store.close()


# -- 3. short answers scroll, and show the learner's answer --------------------------------------

@pytest.mark.parametrize("size", SIZES)
async def test_short_answer_scrolls_and_shows_your_answer(tmp_path: Path, long_bank: Bank,
                                                          size: tuple[int, int]) -> None:
    """PageDown in the editor moves its cursor; after ctrl+s it scrolls down to the rating buttons, and
    the learner's own answer is shown above the model answer"""
    app = practice_app(tmp_path, long_bank)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.open_question("long-short")
        await pilot.pause()
        body = app.screen.query_one("#short-body")
        await pilot.press(*"my [b]own[/b] answer", "pagedown")
        await pilot.pause()
        assert body.scroll_y == 0  # the editor had it
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert shows_all_words(widget_text(app.screen.query_one("#your-answer")), "my [b]own[/b] answer")
        rubric = app.screen.query_one("#rubric")
        assert rubric.has_focus
        assert shows_all_words(widget_text(rubric), "[b]Uneven[/b] regularisation")
        ratings = app.screen.query_one("#ratings")
        for _ in range(10):
            if body.region.contains_region(ratings.region):
                break
            before = body.scroll_y
            await pilot.press("pagedown")
            await pilot.pause()
            assert body.scroll_y > before
        assert body.region.contains_region(ratings.region)
        await pilot.press("pageup")
        await pilot.pause()
        assert not body.region.contains_region(ratings.region)
    app.store.close()


# -- 4. one Esc goes back ------------------------------------------------------------------------

@pytest.mark.parametrize("question_id", ["clip-values", "long-multi", "long-single", "long-short"])
async def test_one_escape_goes_back(tmp_path: Path, long_bank: Bank, question_id: str) -> None:
    """one Esc leaves a question screen, even with the editor focused and text typed"""
    from quizapp.tui.screens.browse import BrowseScreen

    app = practice_app(tmp_path, long_bank)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_question(question_id)
        await pilot.pause()
        assert not isinstance(app.screen, BrowseScreen)
        if question_id in ("clip-values", "long-short"):
            assert app.focused is not None and app.focused.id in ("editor", "answer")
            await pilot.press(*"x = 1")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
    app.store.close()


async def test_escape_closes_the_find_bar_first(tmp_path: Path, long_bank: Bank) -> None:
    """with the find bar open, Esc closes it (back in the editor); the next Esc leaves"""
    from quizapp.tui.screens.browse import BrowseScreen
    from quizapp.tui.screens.code import CodeQuestionScreen

    app = practice_app(tmp_path, long_bank)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_question("clip-values")
        await pilot.pause()
        for key in ("ctrl+f", "ctrl+g"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, CodeQuestionScreen)
            assert app.focused is not None and app.focused.id == "editor"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
    app.store.close()


# -- 5. select-all questions in the mock: enter ticks, ctrl+s submits ----------------------------

async def test_mock_select_all_enter_ticks_and_ctrl_s_submits(tmp_path: Path, long_bank: Bank) -> None:
    """enter toggles the highlighted option; ctrl+s (shown in the footer) keeps the answer and moves on"""
    app, session = mock_app(tmp_path, long_bank, ["long-multi", "clip-values"])
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "down", "enter", "enter")
        await pilot.pause()
        assert session.current == 0 and session.answer("long-multi").selected == [0]
        shown = {key for key, active in app.screen.active_bindings.items()
                 if active.enabled and active.binding.show}
        assert "ctrl+s" in shown
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert session.current == 1 and session.answer("long-multi").selected == [0]
        saved = mock_store.unfinished_session(app.store)
        assert saved is not None and saved.state["answers"][0]["selected"] == [0]
    app.store.close()


# -- 6. the command palette in a mock does not search questions ----------------------------------

async def _palette_hits(pilot, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    for _ in range(20):
        await pilot.pause(0.05)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    results = palette.query_one(CommandList)
    hits = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return hits


async def test_palette_searches_questions_in_practice_but_not_in_a_mock(tmp_path: Path, long_bank: Bank) -> None:
    """question search (and review, stats) is off while a mock interview is open"""
    app = practice_app(tmp_path / "practice", long_bank)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert any("Clip a list" in hit for hit in await _palette_hits(pilot, "clip"))
    app.store.close()

    app, _ = mock_app(tmp_path / "mock", long_bank, ["long-multi", "clip-values"])
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for query in ("clip", "stats", "review"):
            hits = await _palette_hits(pilot, query)
            assert not any("Clip a list" in hit or "Stats" in hit or "Review" in hit for hit in hits), hits
        assert isinstance(app.screen, MockScreen)
    app.store.close()


# -- code blocks in prompts ---------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
async def test_a_long_line_of_code_in_a_prompt_wraps(tmp_path: Path, long_bank: Bank, size: tuple[int, int]) -> None:
    """a fenced block wider than the prompt column shows to its last character (Textual scrolls it
    sideways without a scrollbar, so the end of the line was simply not on screen)"""
    from textual.widgets import Label
    from textual.widgets._markdown import MarkdownFence

    app = practice_app(tmp_path, long_bank)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.open_question("long-fence")
        await pilot.pause()
        [fence] = app.screen.query(MarkdownFence)
        assert fence.size.width < len(LONG_CODE), "the test needs a line wider than the column"
        code = fence.query_one(Label)
        assert code.outer_size.width <= fence.size.width, "the line runs past the column (cut, not wrapped)"
        assert shows_all_words(widget_text(code), LONG_CODE)
    app.store.close()
