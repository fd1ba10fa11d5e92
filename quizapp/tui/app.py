"""Provides `QuizApp`, the terminal app, and `run`, its entry point for the CLI.

The app is a thin shell over the headless core: questions come from `quizapp.bank`, progress from
`quizapp.progress`, grading from `quizapp.grading.Grader` (through a factory, so tests stub it).
It never imports torch: the grader runs submissions in child processes, and is created lazily in a
worker thread the first time a coding question opens, so the first screen appears at once.

Extension point for other modes (a mock interview): top-level modes are Textual `MODES`. Register
one with `QuizApp.MODES["mock"] = MockScreen` (or `app.add_mode("mock", ...)`) and start the app in
it with `QuizApp(..., initial_mode="mock")`; screens reach the store, the bank and the grader
through `self.app` (`app.store`, `app.bank`, `app.grader()`, `app.open_question(id)`).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.screen import Screen

from quizapp.bank_index import FilesKey, IndexEntry, files_key, read_index, write_index
from quizapp.grading.factory import GraderFactory, GraderLike, close_grader, default_grader_factory
from quizapp.paths import BUNDLED_BANK, cache_dir
from quizapp.progress import Clock, Store, StoreError
from quizapp.tui.messages import BankLoaded
from quizapp.tui.palette import QuestionCommands
from quizapp.tui.screens.browse import BrowseScreen

if TYPE_CHECKING:
    from quizapp.bank import Bank
    from quizapp.models import AnyQuestion

DEVICES = ("auto", "cpu", "cuda")
DEFAULT_EDITOR_THEME = "monokai"


def load_bank_lenient(root: Path | None) -> tuple[Bank, list[str]]:
    """The bank, skipping question files that do not load (see `quizapp.bank.load_bank_lenient`).
    Imported here, in the loading thread: pydantic and the models are not needed for the first screen."""
    from quizapp.bank import load_bank_lenient as load

    return load(root)


class QuizApp(App[int]):
    """Practice mode: browse questions, answer them, get graded; progress goes to the store."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses in other modules still find it
    TITLE = "quizapp"
    SUB_TITLE = "practice"
    MODES: ClassVar[dict[str, Any]] = {"practice": BrowseScreen}
    DEFAULT_MODE: ClassVar[str] = "practice"
    COMMANDS = App.COMMANDS | {QuestionCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f2", "settings", "Settings", show=False),
        # Everywhere, but shown in the question list's footer only (BrowseScreen): a question's screen
        # needs its 80 columns for its own keys.
        Binding("f3", "review", "Review", show=False),
        Binding("f4", "stats", "Stats", show=False),
        Binding("f5", "mock", "Mock interview", show=False),
    ]

    bank: var[Bank | None] = var(None, init=False)
    """The loaded questions; None while loading in the background."""
    listing: var[list[IndexEntry] | None] = var(None, init=False, always_update=True)
    """The question list's rows: from the index at start-up when it is current, then from the bank
    (set again when the bank loads even if equal: the review statuses came with it)."""

    def __init__(self, bank_path: Path | None = None, home: Path | None = None, *, bank: Bank | None = None,
                 store: Store | None = None, grader_factory: GraderFactory | None = None,
                 clock: Clock = time.time, initial_mode: str | None = None,
                 initial_question: str | None = None) -> None:
        """
        Args:
            bank_path: the question folder (default: the bundled bank); loaded in the background.
            home: where progress is stored (default: `$QUIZAPP_HOME` or the user data dir).
            bank: an already loaded bank (tests), used instead of `bank_path`.
            store: an open store to use (the caller closes it); otherwise one is opened in `home`.
            grader_factory: builds a grader for a device; tests pass a stub.
            clock: time source for the store, when the app opens it.
            initial_mode: start in this mode instead of practice (e.g. "mock").
            initial_question: open this question as soon as the bank is loaded (`quizapp practice ID`).
        """
        super().__init__()
        self.bank_path = bank_path
        self._owns_store = store is None
        self.store = store if store is not None else Store.open(home, clock=clock)
        self._preloaded = bank
        self._grader_factory = grader_factory or default_grader_factory
        self._grader: GraderLike | None = None
        self._grader_device: str | None = None
        self._grader_lock = threading.Lock()
        self._settings: dict[str, Any] = self.store.settings()
        self._initial_mode = initial_mode
        self._initial_question = initial_question
        self.bank_problems: list[str] = []
        self.first_screen_at: float | None = None
        """`time.perf_counter()` when the first screen mounted (startup measurement)."""
        self.first_screen_cpu: float | None = None
        """`time.process_time()` then: the CPU the process spent to get there, whatever the load."""
        self.bank_loaded_at: float | None = None
        self.list_shown_at: float | None = None
        """`time.perf_counter()` when the question list first showed its rows (startup measurement)."""
        self.list_shown_cpu: float | None = None
        self._bank_load_started = False
        self._files_key: FilesKey = {}
        """Every question file's size and mtime, taken at mount (before the bank is read)."""
        self.due: set[str] = set()
        """Questions due for spaced review now (`refresh_due`); the browse table shows them as due."""

    # -- startup -----------------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.store.recovery:
            self.notify(self.store.recovery, title="Progress restored", severity="warning", timeout=20)
        if self._preloaded is not None:
            self.refresh_due()
            self.bank = self._preloaded
            self.listing = [IndexEntry.of(q) for q in self._preloaded.values()]
            self.bank_loaded_at = time.perf_counter()
        else:  # the list from the index now; the bank in a thread once the list is on screen
            self._files_key = files_key(self._bank_root)  # before the load: an edit during it is not hidden
            self.listing = read_index(self._bank_root, cache_dir(), self._files_key)
            if self.listing is None:  # no head start: load after the first frame
                self.call_after_refresh(self._start_bank_load)
            else:  # the list's screen starts it (mark_list_shown); this only covers another first screen
                self.set_timer(1.0, self._start_bank_load)
        if self._initial_mode and self._initial_mode != self.DEFAULT_MODE:
            self.switch_mode(self._initial_mode)

    @property
    def _bank_root(self) -> Path:
        return self.bank_path if self.bank_path is not None else BUNDLED_BANK

    def mark_first_screen(self) -> None:
        """Called by the first screen when it mounts."""
        if self.first_screen_at is None:
            self.first_screen_at = time.perf_counter()
            self.first_screen_cpu = time.process_time()

    def mark_list_shown(self) -> None:
        """Called by the question list when it first shows its rows; starts loading the bank behind it
        (a loading thread started earlier would hold the interpreter while the list draws)."""
        if self.list_shown_at is None:
            self.list_shown_at = time.perf_counter()
            self.list_shown_cpu = time.process_time()
        self._start_bank_load()

    def _start_bank_load(self) -> None:
        if not self._bank_load_started and self._preloaded is None:
            self._bank_load_started = True
            self._load_bank()

    @work(thread=True, exclusive=True, group="bank", exit_on_error=False)
    def _load_bank(self) -> None:
        bank, problems = load_bank_lenient(self.bank_path)
        entries = [IndexEntry.of(q) for q in bank.values()]
        if entries != self.listing:
            write_index(self._bank_root, cache_dir(), entries, self._files_key)
        self.refresh_due()
        self.post_message(BankLoaded(bank, problems, entries))

    def refresh_due(self) -> None:
        """Recompute `due` from the review cards (one query)."""
        from quizapp.review import due_ids

        self.due = due_ids(self.store)

    def practice_recorded(self, question: AnyQuestion) -> None:
        """Call after a solve, a give-up or a conceptual answer was recorded (screens do): reviews the
        question's card from its attempts, then refreshes `due`."""
        from quizapp.review import review_after_practice

        try:
            review_after_practice(self.store, question)
            self.refresh_due()
        except StoreError as exc:
            self.notify(f"Review scheduling failed: {exc}", severity="error")

    def on_bank_loaded(self, message: BankLoaded) -> None:
        self.bank_problems = message.problems
        self.bank = message.bank
        self.listing = message.entries
        self.bank_loaded_at = time.perf_counter()
        if message.problems:
            first = message.problems[0]
            more = f" (and {len(message.problems) - 1} more)" if len(message.problems) > 1 else ""
            self.notify(f"{first}{more}. `quizapp validate` shows every problem.",
                        title="Some question files were skipped", severity="warning", timeout=12)
        if not len(message.bank):
            self.notify(f"No questions found in {message.bank.root}.", severity="error", timeout=12)
        if self._initial_question is not None:
            self.open_question(self._initial_question)
            self._initial_question = None

    # -- navigation --------------------------------------------------------------------------------

    def open_question(self, question_id: str) -> None:
        """Open a question's screen on top of the question list (once the bank has loaded: the list
        may show from the index before it has)."""
        if self.bank is None:
            self._initial_question = question_id
            return
        if question_id not in self.bank:
            self.notify(f"Unknown question {question_id!r}", severity="error")
            return
        from quizapp.models import ChoiceQuestion, CodeQuestion, ShortQuestion

        question = self.bank[question_id]
        screen: Screen[None]
        if isinstance(question, CodeQuestion):
            from quizapp.tui.screens.code import CodeQuestionScreen

            screen = CodeQuestionScreen(question)
        elif isinstance(question, ChoiceQuestion):
            from quizapp.tui.screens.choice import ChoiceQuestionScreen

            screen = ChoiceQuestionScreen(question)
        elif isinstance(question, ShortQuestion):
            from quizapp.tui.screens.short import ShortQuestionScreen

            screen = ShortQuestionScreen(question)
        else:  # pragma: no cover - the models define three kinds
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def action_settings(self) -> None:
        """Open the settings screen."""
        from quizapp.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """During a mock interview, review, stats and settings are hidden: they could reveal answers."""
        return not (action in ("review", "stats", "mock", "settings") and self.in_mock)

    @property
    def in_mock(self) -> bool:
        """Whether a mock interview is open (its report included): whatever could reveal answers, such
        as question search in the command palette, review and stats, is off.

        Read from a class attribute, not `isinstance(screen, MockScreen)`: Textual checks bindings
        on the very first frame, and importing the mock screen there (the whole mock package and
        pydantic with it) would delay the question list by a quarter of a second."""
        return any(getattr(screen, "HIDES_ANSWERS", False) for screen in self.screen_stack)

    def action_review(self) -> None:
        """Open the questions due for spaced review."""
        from quizapp.tui.screens.review import ReviewScreen

        if not isinstance(self.screen, ReviewScreen):
            self.push_screen(ReviewScreen())

    def action_stats(self) -> None:
        """Open mastery per topic, attempts over time and the streak."""
        from quizapp.tui.screens.stats import StatsScreen

        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen())

    def action_mock(self) -> None:
        """Ask what mock interview to run (the paused one, or a new one), then open it."""
        from quizapp.tui.screens.mock_setup import MockSetupScreen, open_mock_setup

        if not self.in_mock and not isinstance(self.screen, MockSetupScreen):
            open_mock_setup(self)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.in_mock:
            return
        yield SystemCommand("Mock interview", "A timed interview: choose its questions and minutes, or resume one",
                            self.action_mock)
        yield SystemCommand("Review", "Questions due for spaced review", self.action_review)
        yield SystemCommand("Stats", "Mastery per topic, attempts over time, streak", self.action_stats)
        yield SystemCommand("Settings", "Grading device, editor theme, external editor", self.action_settings)

    async def action_quit(self) -> None:
        """Save every open draft, then exit."""
        self.flush_drafts()
        self.exit(0)

    def flush_drafts(self) -> None:
        """Persist the text of every open editor now."""
        for screen in self.screen_stack:
            flush = getattr(screen, "flush_draft", None)
            if callable(flush):
                flush()

    # -- settings ----------------------------------------------------------------------------------

    @property
    def device(self) -> str:
        """The grading device setting: auto, cpu or cuda."""
        value = self._settings.get("device", "auto")
        return value if value in DEVICES else "auto"

    @property
    def editor_theme(self) -> str:
        """The code editor's theme setting (falls back to monokai when unknown)."""
        from textual.widgets.text_area import TextAreaTheme

        value = self._settings.get("editor_theme", DEFAULT_EDITOR_THEME)
        known = {t.name for t in TextAreaTheme.builtin_themes()}
        return value if value in known else DEFAULT_EDITOR_THEME

    def set_setting(self, key: str, value: Any) -> None:
        """Persist a setting and apply it to what is open."""
        if self._settings.get(key) == value:
            return
        self.store.set_setting(key, value)
        self._settings[key] = value
        if key == "editor_theme":
            from quizapp.tui.widgets.code_editor import CodeEditor

            for screen in self.screen_stack:
                for editor in screen.query(CodeEditor):
                    editor.theme = self.editor_theme

    def editor_command(self) -> str:
        """The external editor: the setting, else $VISUAL, else $EDITOR, else vi."""
        return (self._settings.get("editor") or os.environ.get("VISUAL") or os.environ.get("EDITOR")
                or "vi")

    def scratch_file(self, question_id: str) -> Path:
        """Where the code goes while an external editor has it."""
        folder = self.store.path.parent / "edit"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{question_id}.py"

    # -- grading -----------------------------------------------------------------------------------

    def grader(self) -> GraderLike:
        """The grader for the current device setting, created on first use. Call from worker threads:
        creating it starts a warm worker process, which takes a second or more."""
        with self._grader_lock:
            device = self.device
            if self._grader is not None and self._grader_device == device:
                return self._grader
            old, self._grader = self._grader, None
            close_grader(old)
            self._grader = self._grader_factory(device)
            self._grader_device = device
            return self._grader

    @work(thread=True, exclusive=True, group="warm-grader", exit_on_error=False)
    def warm_grader(self) -> None:
        """Start the grader in the background (a coding question just opened)."""
        try:
            self.grader()
        except Exception:  # the first grade reports the problem to the learner
            return

    def cancel_grading(self) -> None:
        """Ask the grader to stop the run in progress (thread-safe)."""
        grader = self._grader
        if grader is not None:
            grader.cancel()

    def shutdown(self) -> None:
        """Stop the grader and close the store (when the app opened it). Call after the app exits."""
        with self._grader_lock:
            grader, self._grader = self._grader, None
        close_grader(grader)
        if self._owns_store:
            self.store.close()


def run(bank_path: Path | None = None, home: Path | None = None, question_id: str | None = None) -> int:
    """Run the terminal app until the learner quits (on `question_id` when given); the exit status
    for the CLI. An unusable store raises `StoreError` (the CLI prints it, exit 2)."""
    store = Store.open(home)
    app = QuizApp(bank_path, store=store, initial_question=question_id)
    try:
        app.run()
    finally:
        app.shutdown()
        store.close()
    return app.return_code or 0
