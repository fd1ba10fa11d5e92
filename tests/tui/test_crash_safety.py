"""kill -9 while typing loses at most the last second; restarting the app shows the draft.

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


async def test_sigkill_while_typing_keeps_all_but_the_last_second(tmp_path: Path,
                                                             make_app: Callable[..., QuizApp]) -> None:
    script = tmp_path / "typist.py"
    script.write_text(TYPIST)
    home = tmp_path / "killed-home"
    proc = subprocess.Popen([sys.executable, str(script), str(BANK), str(home)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    first_at = last_at = 0.0
    typed = 0
    try:
        deadline = time.monotonic() + 60
        while typed < 80:  # a few seconds of steady typing, so several saves happened
            line = proc.stdout.readline()
            assert line, f"typist died: {proc.stderr.read() if proc.stderr else ''}"
            typed, last_at = int(line.split()[0]), float(line.split()[1])
            first_at = first_at or last_at
            assert time.monotonic() < deadline
        os.kill(proc.pid, signal.SIGKILL)
        killed_at = time.monotonic()
    finally:
        proc.kill()
        proc.communicate()  # reaps it and closes the pipes
    assert proc.returncode == -signal.SIGKILL
    rate = typed / (last_at - first_at)  # keys per second
    with Store.open(home) as store:
        draft = store.draft(QID)
    assert draft is not None, "nothing was saved before the kill"
    kept = len(draft) - draft.index("raise NotImplementedError\n") - len("raise NotImplementedError\n")
    lost_s = (typed - kept) / rate
    assert "abcdefghij"[:min(kept, 10)] in draft
    assert 0 < kept <= typed
    print(f"typed {typed} keys at {rate:.0f}/s; the draft kept {kept}: lost {lost_s:.2f} s of typing")
    assert lost_s <= 1.0 + (killed_at - last_at), f"lost {typed - kept} keys = {lost_s:.2f} s of typing"

    app = make_app(store=Store.open(home))
    async with app.run_test(size=SIZE) as pilot:
        app.open_question(QID)
        await pilot.pause()
        assert isinstance(app.screen, CodeQuestionScreen)
        assert app.screen.editor.text == draft, "the restarted app shows the draft"
