"""Provides `MockScreen` (a timed mock interview) and `MockReportScreen` (its report).

The interview logic lives in `quizapp.mock.session.MockSession`; this screen only shows it and feeds it.
A `set_interval` timer calls `tick()`: the widgets' text goes into the session, the session charges
the elapsed time (from an injected clock) and the state is saved, so a kill loses at most one tick.
When the time is up every open answer is graded in a worker thread, then the report replaces the
screen. Tests call `tick()` themselves after moving a fake clock: nothing sleeps.

Mounting: `app.add_mode("mock", lambda: MockScreen(session, session_id))` and start the app with
`initial_mode="mock"` (see `quizapp.cli.mock.mock_main`), or `app.push_screen(MockScreen(...))`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    ContentSwitcher,
    Header,
    Label,
    Markdown,
    OptionList,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from quizapp.mock import store as mock_store
from quizapp.mock.launch import questions_phrase
from quizapp.mock.report import (
    MockReport,
    ReportItem,
    build_report,
    markdown_answer,
    markdown_item_head,
    markdown_model,
    markdown_summary,
    to_markdown,
)
from quizapp.mock.scoring import HINT_PENALTY
from quizapp.mock.session import EndReason, MockSession, safe_grade
from quizapp.models import ChoiceQuestion, CodeQuestion, GradeResult
from quizapp.render import hints_markdown, meta_line
from quizapp.tui.screens.confirm import ConfirmScreen
from quizapp.tui.widgets.choices import WrappingSelectionList
from quizapp.tui.widgets.code_editor import CodeEditor, EditorPanel
from quizapp.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from quizapp.models import AnyQuestion
    from quizapp.tui.app import QuizApp

TICK_S = 1.0
"""How often the countdown updates and the state is saved."""


def question_markdown(question: AnyQuestion, number: int, count: int, section: str) -> str:
    """The prompt pane: title, meta line, signature (code) and prompt."""
    meta = f"*Question {number} of {count} · {section} · {meta_line(question)}*"
    parts = [f"# {question.title}", meta]
    if isinstance(question, CodeQuestion):
        if question.bug_hunt:
            parts.append("**Find the bug:** the code on the right runs but is wrong. Fix it.")
        lines = [line.strip().replace("`", "'") for line in question.signature.splitlines() if line.strip()]
        parts.append("  \n".join(f"`{line}`" for line in lines))  # inline code wraps; a fence would be cut
    parts.append(question.prompt.strip())
    if isinstance(question, ChoiceQuestion):
        parts.append("*Select all that apply (space or enter ticks), then ctrl+s.*" if question.multiple
                     else "*Choose one (space or enter ticks), then ctrl+s.*")
    elif not isinstance(question, CodeQuestion):
        parts.append("*Write your answer on the right. You rate it against the model answer at the end.*")
    return "\n\n".join(parts)


def result_text(result: GradeResult | None, submissions: int) -> str:
    """The line under the editor after a submission."""
    if result is None:
        return "Not submitted yet: ctrl+s grades it against the hidden tests (ctrl+r: visible examples)."
    head = f"Submission {submissions}: {result.passed}/{result.total} hidden tests pass ({result.status})"
    failing = [t.name for t in result.tests if t.outcome != "passed"][:4]
    if result.message and not result.tests:
        failing = [result.message.splitlines()[0]]
    return head + "".join(f"\n  ✗ {name}" for name in failing)


class MockScreen(Screen[None]):
    """A timed mock interview: countdown, free navigation, hints that cost points, auto-submit."""

    HIDES_ANSWERS: ClassVar[bool] = True
    """While this screen is in the stack, whatever could reveal answers is off (`QuizApp.in_mock`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("ctrl+r", "run_examples", "Examples"),
        Binding("ctrl+t", "hint", f"Hint −{HINT_PENALTY:g}"),
        Binding("ctrl+n", "next", "Next"),
        Binding("ctrl+b", "previous", "Prev"),
        Binding("f8", "finish", "Finish"),
        Binding("f7", "toggle_nav", "List", tooltip="Show or hide the list of questions"),
    ]

    NAV_MIN_WIDTH = 100
    """Below this many columns the question list starts hidden (f7 shows it): the prompt needs the room."""

    app: QuizApp  # type: ignore[assignment]

    @dataclass
    class Graded(Message):
        """A submission came back from the grader."""

        question_id: str
        source: str
        result: GradeResult
        examples: bool

    @dataclass
    class EndGraded(Message):
        """Every open answer was graded after the interview ended."""

        results: list[tuple[str, str, GradeResult]]

    def __init__(self, session: MockSession, session_id: int, *, exit_on_close: bool = True,
                 tick_s: float = TICK_S) -> None:
        """
        Args:
            session: a new or resumed interview.
            session_id: its row in the store (`mock_store.create_session`).
            exit_on_close: closing the report exits the app (launched by `quizapp mock`); otherwise
                it returns to practice mode.
            tick_s: timer period; tests pass a large value and call `tick()` themselves.
        """
        super().__init__()
        self.session = session
        self.session_id = session_id
        self.exit_on_close = exit_on_close
        self.tick_s = tick_s
        self.grading = False
        self._loading = False
        self._end_requested = False
        self._nav_prompts: list[str] = []
        self._nav_choice: bool | None = None
        """The learner's f7 choice (shown or hidden); None: by the terminal's width."""

    # -- layout ------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        s = self.session
        yield Header()
        with Horizontal(id="mock-bar"):
            yield Label(s.countdown(), id="mock-countdown")
            yield Label("", id="mock-position")
            yield Label("", id="mock-state")
        with Horizontal(id="mock-body"):
            yield OptionList(*self._nav_options(), id="mock-nav")
            with VerticalScroll(id="mock-prompt-pane"):
                yield Markdown("", id="mock-prompt")
                yield Markdown("", id="mock-hints")
            with Vertical(id="mock-answer-pane"):
                with ContentSwitcher(initial="mock-editor-panel", id="mock-switcher"):
                    yield EditorPanel("", editor_id="mock-editor", theme=self.app.editor_theme,
                                      id="mock-editor-panel")
                    yield WrappingSelectionList[int](id="mock-choices")
                    text = TextArea("", id="mock-text", soft_wrap=True)
                    yield text
                yield Static("", id="mock-result")
        yield Footer()

    def on_resize(self) -> None:
        self._show_nav()

    def _show_nav(self) -> None:
        shown = self._nav_choice if self._nav_choice is not None else self.size.width >= self.NAV_MIN_WIDTH
        nav = self.query_one("#mock-nav", OptionList)
        if nav.display != shown:
            if not shown and nav.has_focus:
                self.focus_next()
            nav.display = shown
            self._update_bar()

    def action_toggle_nav(self) -> None:
        """Show or hide the question list (hidden at first on narrow terminals)."""
        self._nav_choice = not self.query_one("#mock-nav", OptionList).display
        self._show_nav()

    def on_mount(self) -> None:
        self._show_nav()
        self.title = "Mock interview"
        self.sub_title = f"#{self.session_id} · {questions_phrase(len(self.session.question_ids))}"
        self._load(self.session.current)
        self._update_bar()
        if self.session.finished:
            self.call_after_refresh(self._show_report)
        elif self.session.status == "grading":  # killed while grading the end: finish the job
            self._lock()
            self._start_end_grading()
        else:
            self.set_interval(self.tick_s, self.tick, name="mock-countdown")

    # -- the clock ---------------------------------------------------------------------------------
    def tick(self) -> None:
        """Charge the elapsed time, save the state, update the countdown; end the interview at 0."""
        s = self.session
        if not s.running:
            return
        self._pull()
        s.tick()
        mock_store.save_session(self.app.store, self.session_id, s)
        self._update_bar()
        if s.expired:
            self.end("expired")

    def flush_draft(self) -> None:
        """Save the interview now (the app calls this on quit): typed text and time left."""
        if self.session.running:
            self._pull()
            self.session.tick()
        mock_store.save_session(self.app.store, self.session_id, self.session)

    def _update_bar(self) -> None:
        s = self.session
        countdown = self.query_one("#mock-countdown", Label)
        countdown.update(f"⏱ {s.countdown()}")
        countdown.set_class(s.warning, "-warning")
        countdown.set_class(s.expired, "-expired")
        item = s.plan.items[s.current]
        hidden = "" if self.query_one("#mock-nav", OptionList).display else " · f7 question list"
        self.query_one("#mock-position", Label).update(
            f"Question {s.current + 1}/{len(s.question_ids)} · {item.section}{hidden}")
        state = {"running": f"score so far {s.total():.2f}", "grading": "grading open answers…",
                 "finished": "finished"}[s.status]
        self.query_one("#mock-state", Label).update(state if s.status != "running" else "")

    # -- moving between questions ------------------------------------------------------------------
    def _nav_options(self) -> list[Option]:
        s = self.session
        out = []
        for n, qid in enumerate(s.question_ids):
            q, a = s.question(qid), s.answer(qid)
            if isinstance(q, CodeQuestion):
                mark = f"✓{a.grade.passed}/{a.grade.total}" if a.grade and not s.is_open(qid) else \
                    ("✎" if a.source != q.starter else "·")
            elif isinstance(q, ChoiceQuestion):
                mark = "✎" if a.selected else "·"
            else:
                mark = "✎" if a.text.strip() else "·"
            out.append(Option(f"{n + 1}. {q.title} {mark}", id=qid))
        return out

    def _refresh_nav(self) -> None:
        nav = self.query_one("#mock-nav", OptionList)
        prompts = [str(option.prompt) for option in self._nav_options()]
        if prompts != self._nav_prompts:
            for index, prompt in enumerate(prompts):
                nav.replace_option_prompt_at_index(index, prompt)
            self._nav_prompts = prompts
        if nav.highlighted != self.session.current:
            nav.highlighted = self.session.current

    def _pull(self) -> None:
        """Copy what the learner typed or ticked into the session."""
        s = self.session
        if not s.running:
            return
        q = s.question()
        if isinstance(q, CodeQuestion):
            s.set_source(self.query_one("#mock-editor", TextArea).text)
        elif isinstance(q, ChoiceQuestion):
            s.select(list(self.query_one("#mock-choices", SelectionList).selected))
        else:
            s.set_text(self.query_one("#mock-text", TextArea).text)

    def _load(self, index: int) -> None:
        """Show question `index`: prompt, hints, and its answer widget filled from the session."""
        s = self.session
        self._loading = True
        if s.running:
            s.goto(index)
        else:
            s.current = index
        q, a = s.question(), s.answer()
        item = s.plan.items[index]
        self.query_one("#mock-prompt", Markdown).update(
            question_markdown(q, index + 1, len(s.question_ids), item.section))
        total_hints = len(q.hints) if isinstance(q, CodeQuestion) else 0
        self.query_one("#mock-hints", Markdown).update(hints_markdown(s.hints_shown(), total_hints, cost=HINT_PENALTY))
        switcher = self.query_one("#mock-switcher", ContentSwitcher)
        result = self.query_one("#mock-result", Static)
        if isinstance(q, CodeQuestion):
            editor = self.query_one("#mock-editor", CodeEditor)
            editor.load_text(a.source)
            switcher.current = "mock-editor-panel"
            result.update(result_text(a.grade, a.submissions))
            result.display = True
            focus: TextArea | SelectionList[int] = editor
        elif isinstance(q, ChoiceQuestion):
            choices: SelectionList[int] = self.query_one("#mock-choices", SelectionList)
            choices.clear_options()
            choices.add_options([(Content(c.text.strip()), i, i in a.selected) for i, c in enumerate(q.choices)])
            choices.highlighted = 0
            switcher.current = "mock-choices"
            result.display = False
            focus = choices
        else:
            text = self.query_one("#mock-text", TextArea)
            text.load_text(a.text)
            switcher.current = "mock-text"
            result.display = False
            focus = text
        self._refresh_nav()
        self._update_bar()
        self.call_after_refresh(self._done_loading)
        if s.running:
            focus.focus()

    def _done_loading(self) -> None:
        self._loading = False

    def goto(self, index: int) -> None:
        """Move to another question (what was typed is kept)."""
        self._pull()
        self._load(index % len(self.session.question_ids))

    def action_next(self) -> None:
        """Next question."""
        self.goto(self.session.current + 1)

    def action_previous(self) -> None:
        """Previous question."""
        self.goto(self.session.current - 1)

    @on(OptionList.OptionSelected, "#mock-nav")
    def _nav_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index != self.session.current:
            self.goto(event.option_index)

    @on(SelectionList.SelectionToggled, "#mock-choices")
    def _choice_toggled(self, event: SelectionList.SelectionToggled[int]) -> None:
        """Single-answer questions keep one tick: ticking an option clears the others."""
        q = self.session.question()
        if self._loading or not isinstance(q, ChoiceQuestion) or q.multiple:
            return
        choices: SelectionList[int] = self.query_one("#mock-choices", SelectionList)
        value = event.selection.value
        if value in choices.selected:
            for other in list(choices.selected):
                if other != value:
                    choices.deselect(other)

    @on(SelectionList.SelectedChanged, "#mock-choices")
    @on(TextArea.Changed)
    def _answer_changed(self) -> None:
        if not self._loading and self.session.running:
            self._pull()
            self._refresh_nav()

    # -- hints and submissions ---------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        s = self.session
        if action == "submit" and s.running and isinstance(s.question(), ChoiceQuestion):
            return True  # ctrl+s keeps the ticked options and moves on (enter only ticks)
        if action in ("submit", "run_examples", "hint"):
            code = s.running and isinstance(s.question(), CodeQuestion)
            return code and (action == "hint" or not self.grading)
        if action == "finish":
            return s.running
        return True

    def action_hint(self) -> None:
        """Reveal the next hint; it costs HINT_PENALTY points on this question."""
        s = self.session
        hint = s.take_hint()
        q = s.question()
        assert isinstance(q, CodeQuestion)
        if hint is None:
            self.notify("No more hints for this question." if q.hints else "This question has no hints.")
            return
        mock_store.save_session(self.app.store, self.session_id, s)
        self.query_one("#mock-hints", Markdown).update(hints_markdown(s.hints_shown(), len(q.hints), cost=HINT_PENALTY))
        self.query_one("#mock-prompt-pane", VerticalScroll).scroll_end(animate=False)
        self.notify(f"Hint {s.answer().hints_used}: −{HINT_PENALTY:g} point on this question.")

    def action_submit(self) -> None:
        """Code: grade it against the hidden tests (counts as a submission). Choice: keep the ticked
        options (they are scored at the end) and go to the next question."""
        s = self.session
        if isinstance(s.question(), ChoiceQuestion):
            if not s.running:
                return
            self._pull()
            mock_store.save_session(self.app.store, self.session_id, s)
            ticked = len(s.answer().selected)
            self.notify(f"Answer kept: {ticked} option(s) ticked. You can still change it.")
            if len(s.question_ids) > 1:
                self.action_next()
            return
        self._start_grade(examples=False)

    def action_run_examples(self) -> None:
        """Run the visible examples (free: not a submission)."""
        self._start_grade(examples=True)

    def _start_grade(self, *, examples: bool) -> None:
        if self.grading or not self.session.running:
            return
        self._pull()
        q = self.session.question()
        assert isinstance(q, CodeQuestion)
        self.grading = True
        result = self.query_one("#mock-result", Static)
        result.update("Running the visible examples…" if examples else "Running the hidden tests…")
        result.add_class("-running")
        self.refresh_bindings()
        self._grade(q, self.session.answer().source, examples)

    @work(thread=True, exclusive=True, group="mock-grade", exit_on_error=False)
    def _grade(self, question: CodeQuestion, source: str, examples: bool) -> None:
        result = safe_grade(self.app.grader(), question, source, examples=examples)
        self.post_message(self.Graded(question.id, source, result, examples))

    def on_mock_screen_graded(self, message: MockScreen.Graded) -> None:
        self.grading = False
        self.refresh_bindings()
        s = self.session
        result_widget = self.query_one("#mock-result", Static)
        result_widget.remove_class("-running")
        if message.examples:
            r = message.result
            text = f"Visible examples: {r.passed}/{r.total} pass ({r.status})"
            text += "".join(f"\n  ✗ {t.name}: {t.message.splitlines()[0] if t.message else ''}"
                            for t in r.tests if t.outcome != "passed")
            if s.current_id == message.question_id:
                result_widget.update(text)
        elif s.status != "finished":
            s.record_grade(message.question_id, message.source, message.result)
            mock_store.save_session(self.app.store, self.session_id, s)
            if s.current_id == message.question_id:
                result_widget.update(result_text(message.result, s.answer().submissions))
            self._refresh_nav()
        if self._end_requested:  # time ran out while this submission was being graded
            self._start_end_grading()

    # -- ending ------------------------------------------------------------------------------------
    def action_finish(self) -> None:
        """Finish early (after confirming): open answers are submitted as they stand."""
        open_count = len(self.session.pending_grades())
        detail = f"{self.session.countdown()} left. "
        detail += f"{open_count} open code answer(s) will be graded as they stand." if open_count \
            else "Every answer is kept as it stands."
        self.app.push_screen(ConfirmScreen("Finish the interview now?", detail, confirm="Finish",
                                           cancel="Keep going"), self._confirmed_finish)

    def _confirmed_finish(self, confirmed: bool | None) -> None:
        if confirmed:
            self.end("finished-early")

    def end(self, reason: EndReason) -> None:
        """Stop the clock, lock the answers and grade every open answer in a worker."""
        s = self.session
        if not s.running:
            return
        self._pull()
        s.stop(reason)
        mock_store.save_session(self.app.store, self.session_id, s)
        self._lock()
        self.notify("Time is up: open answers are being graded." if reason == "expired"
                    else "Interview finished: open answers are being graded.",
                    severity="warning" if reason == "expired" else "information")
        if self.grading:
            self._end_requested = True  # wait for the submission in flight, then grade the rest
        else:
            self._start_end_grading()

    def _lock(self) -> None:
        for selector in ("#mock-editor", "#mock-text"):
            self.query_one(selector, TextArea).read_only = True
        self.query_one("#mock-choices", SelectionList).disabled = True
        self.query_one("#mock-answer-pane").add_class("-locked")
        self._update_bar()
        self.refresh_bindings()

    def _start_end_grading(self) -> None:
        self._end_requested = False
        self.grading = True
        self._grade_open(self.session.pending_grades())

    @work(thread=True, exclusive=True, group="mock-end", exit_on_error=False)
    def _grade_open(self, pending: list[tuple[str, str]]) -> None:
        grader = self.app.grader()
        results = []
        for qid, src in pending:
            question = self.session.bank[qid]
            assert isinstance(question, CodeQuestion)  # pending_grades lists code answers only
            results.append((qid, src, safe_grade(grader, question, src)))
        self.post_message(self.EndGraded(results))

    def on_mock_screen_end_graded(self, message: MockScreen.EndGraded) -> None:
        s = self.session
        self.grading = False
        for qid, source, result in message.results:
            s.record_grade(qid, source, result, submitted=False)
        s.close()
        mock_store.complete_session(self.app.store, self.session_id, s)
        self._show_report()

    def _show_report(self) -> None:
        # Pushed, not switched: the interview may be a mode's base screen, which cannot be replaced.
        self.app.push_screen(MockReportScreen(self.session, self.session_id,
                                                exit_on_close=self.exit_on_close))


class MockReportScreen(Screen[None]):
    """The report: per question score, time, hints, tests, your answer beside the model answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "export", "Export .md"),
        Binding("escape,q", "close", "Close"),
    ]

    app: QuizApp  # type: ignore[assignment]

    def __init__(self, session: MockSession, session_id: int, *, exit_on_close: bool = True) -> None:
        super().__init__()
        self.session = session
        self.session_id = session_id
        self.exit_on_close = exit_on_close
        self.report: MockReport = build_report(session, session_id)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="report-body"):
            yield Markdown(markdown_summary(self.report), id="report-summary")
            for item in self.report.items:
                yield from self._item(item)
        yield Footer()

    def _item(self, item: ReportItem) -> ComposeResult:
        yield Markdown(markdown_item_head(item), id=f"report-head-{item.number}")
        with Horizontal(classes="report-pair"):
            with Vertical(classes="report-side"):
                yield Label("Your answer", classes="report-side-title")
                yield Markdown(markdown_answer(item), id=f"report-answer-{item.number}")
            with Vertical(classes="report-side"):
                yield Label("Model answer", classes="report-side-title")
                yield Markdown(markdown_model(item), id=f"report-model-{item.number}")
        if item.pending:
            yield Label("Rate your answer: tick the rubric points it covers, then save.",
                        id=f"report-rate-help-{item.number}")
            yield WrappingSelectionList[int](*[(Content(p), n) for n, p in enumerate(item.rubric)],
                                              id=f"report-rubric-{item.number}", classes="report-rubric")
            yield Button("Save rating", id=f"report-rate-{item.number}", classes="report-rate")
        yield Markdown(f"**Explanation.** {item.explanation}", id=f"report-explanation-{item.number}")

    def on_mount(self) -> None:
        self.title = f"Mock interview #{self.session_id} — report"
        self.sub_title = f"{self.report.total:.2f} / {self.report.max_total:.0f}"
        self.query_one("#report-body").focus()

    @on(Button.Pressed, ".report-rate")
    def _rate(self, event: Button.Pressed) -> None:
        event.stop()
        number = int((event.button.id or "0").rsplit("-", 1)[1])
        item = self.report.items[number - 1]
        ticked = list(self.query_one(f"#report-rubric-{number}", SelectionList).selected)
        self.report = mock_store.rate_short_answer(self.app.store, self.session_id, self.session,
                                                   item.question_id, ticked)
        rated = self.report.items[number - 1]
        for prefix in ("report-rate-help", "report-rubric", "report-rate"):
            self.query_one(f"#{prefix}-{number}").remove()
        self.query_one(f"#report-head-{number}", Markdown).update(markdown_item_head(rated))
        self.query_one(f"#report-model-{number}", Markdown).update(markdown_model(rated))
        self.query_one("#report-summary", Markdown).update(markdown_summary(self.report))
        self.sub_title = f"{self.report.total:.2f} / {self.report.max_total:.0f}"
        self.notify(f"Rated: {rated.points:.2f} point(s).")

    def export_path(self) -> Path:
        """Where ctrl+e writes the Markdown: `<progress folder>/reports/mock-<id>.md`."""
        return self.app.store.path.parent / "reports" / f"mock-{self.session_id}.md"

    def action_export(self) -> None:
        """Write the report as Markdown for an interviewer."""
        path = self.export_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(to_markdown(self.report), encoding="utf-8")
        self.notify(f"Saved {path}", title="Report exported", timeout=8)

    def action_close(self) -> None:
        """Leave the report (exit when started by `quizapp mock`, else back to where the mock began)."""
        if self.exit_on_close:
            self.app.exit(0)
            return
        self.app.pop_screen()  # this report
        if isinstance(self.app.screen, MockScreen):
            if len(self.app.screen_stack) > 1:
                self.app.pop_screen()
            else:  # the interview is the base screen of a mode
                self.app.switch_mode("practice")

