"""kill -9 while typing keeps every save; saves come while typing goes on; restarting shows the draft.

The typing app runs in a child process (driven by Pilot, through the real debounced saver); the
test SIGKILLs it mid-keystroke, then opens the store and a fresh app on the same QUIZAPP_HOME.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from quizapp.progress import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.code import CodeQuestionScreen

from .conftest import BANK, SIZE

QID = "soft-threshold"
TYPIST = textwrap.dedent("""
    import asyncio, sys, time
    from pathlib import Path
    from quizapp.bank import load_bank
    from quizapp.tui.app import QuizApp

    class NoGrader:
        def grade(self, *a, **k): raise AssertionError("not used")
        def cancel(self): pass
        def close(self): pass

    async def main():
        app = QuizApp(bank=load_bank(Path(sys.argv[1])), home=Path(sys.argv[2]),
                      grader_factory=lambda device: NoGrader())
        async with app.run_test(size=(100, 30)) as pilot:
            app.open_question("soft-threshold")
            await pilot.pause()
            editor = app.screen.query_one("#editor")
            editor.move_cursor(editor.document.end)
            typed = 0
            while True:
                await pilot.press("abcdefghij"[typed % 10])
                typed += 1
                print(typed, time.monotonic(), flush=True)
                await asyncio.sleep(0.02)

    asyncio.run(main())
""")


def _saved_length(home: Path) -> int:
    """How many characters of typing the store holds now (read while the typist is still running)."""
    db = home / "progress.db"
    if not db.exists():
        return 0
    try:
        with Store.open(home) as store:
            draft = store.draft(QID) or ""
    except Exception:  # the store is being created by the typist
        return 0
    marker = "raise NotImplementedError\n"
    return len(draft) - draft.index(marker) - len(marker) if marker in draft else 0


async def test_sigkill_while_typing_keeps_what_was_saved(tmp_path: Path,
                                                        make_app: Callable[..., QuizApp]) -> None:
    """Typing steadily is saved again and again (a throttle, not a debounce), and a save survives
    kill -9. No stopwatch: the test watches the store until it has seen the draft grow twice while
    the keys keep coming, then kills the typist mid-stream. (That a save follows a change within
    `DELAY_S` is checked with a fake timer in `test_draft_saver_throttles`.)"""
    script = tmp_path / "typist.py"
    script.write_text(TYPIST)
    home = tmp_path / "killed-home"
    proc = subprocess.Popen([sys.executable, str(script), str(BANK), str(home)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    seen: list[int] = []
    typed = 0
    try:
        deadline = time.monotonic() + 240  # a hang guard, not a speed goal
        # two different saves seen, and a key typed after the last one (a save can land right after
        # the key that was just read, so the count read then may equal the saved length)
        while len(set(seen) - {0}) < 2 or typed <= max(seen):
            line = proc.stdout.readline()
            assert line, f"typist died: {proc.stderr.read() if proc.stderr else ''}"
            typed = int(line.split()[0])
            if typed % 5 == 0:
                seen.append(_saved_length(home))
            assert time.monotonic() < deadline, f"saw saves {sorted(set(seen))} after {typed} keys"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate()  # reaps it and closes the pipes
    assert proc.returncode == -signal.SIGKILL
    assert typed > max(seen), "the saves came while typing went on"
    with Store.open(home) as store:
        draft = store.draft(QID)
    assert draft is not None, "nothing was saved before the kill"
    kept = _saved_length(home)
    assert max(seen) <= kept, "a save seen before the kill was lost"
    assert draft.endswith(("abcdefghij" * 100)[:kept]), "the draft holds exactly the keys typed, in order"
    print(f"typed {typed} keys; saves seen at {sorted(set(seen))}; the draft kept {kept}")

    app = make_app(store=Store.open(home))
    async with app.run_test(size=SIZE) as pilot:
        app.open_question(QID)
        await pilot.pause()
        assert isinstance(app.screen, CodeQuestionScreen)
        assert app.screen.editor.text == draft, "the restarted app shows the draft"


class _FakeTimer:
    def __init__(self) -> None:
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class _FakeOwner:
    """Stands in for the screen: records the timers the saver asks for instead of running them."""

    def __init__(self) -> None:
        self.timers: list[tuple[float, Callable[[], None], _FakeTimer]] = []

    def set_timer(self, delay: float, callback: Callable[[], None]) -> _FakeTimer:
        timer = _FakeTimer()
        self.timers.append((delay, callback, timer))
        return timer


def test_draft_saver_throttles(tmp_path: Path) -> None:
    """The first unsaved change starts one DELAY_S timer that later keystrokes do not restart, and
    its save takes the text as it is then: steady typing loses at most DELAY_S of keys."""
    from quizapp.tui.screens._drafting import DELAY_S, DraftSaver

    text = ["start"]
    owner = _FakeOwner()
    with Store.open(tmp_path / "h") as store:
        saver = DraftSaver(owner, store, QID, lambda: text[0], "start")  # type: ignore[arg-type]
        saver.changed()
        assert owner.timers == [], "no timer without a change"
        for key in "abcdef":
            text[0] += key
            saver.changed()
        assert [delay for delay, _, _ in owner.timers] == [DELAY_S] and DELAY_S <= 1.0
        owner.timers[0][1]()  # the timer fires
        assert store.draft(QID) == "startabcdef"
        text[0] += "g"
        saver.changed()
        assert len(owner.timers) == 2, "the next change starts the next timer"
        saver.flush()
        assert owner.timers[1][2].stopped and store.draft(QID) == "startabcdefg"
