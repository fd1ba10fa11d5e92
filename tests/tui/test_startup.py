"""The app starts without ever importing torch (so it can never initialise CUDA) in its own process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from quizapp.progress import Store
from quizapp.tui.app import QuizApp

from .conftest import BANK, SIZE

STARTUP = textwrap.dedent("""
    import time
    t0 = time.perf_counter()
    import asyncio, json, sys
    from pathlib import Path
    from quizapp.tui.app import QuizApp
    imported = time.perf_counter() - t0

    async def main():
        app = QuizApp(Path(sys.argv[1]), Path(sys.argv[2]))  # the real grader factory, bank loaded in the background
        async with app.run_test(size=(100, 30)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            report = {"import_s": imported, "first_screen_s": app.first_screen_at - t0,
                      "first_screen_cpu_s": app.first_screen_cpu, "bank_loaded_s": app.bank_loaded_at - t0}
            if sys.argv[3] == "open-all":
                for qid in list(app.bank):
                    app.open_question(qid)  # the coding question starts the real grader in a thread
                    await pilot.pause()
                await app.workers.wait_for_complete()
                import quizapp.grading  # noqa: F401
                report["grader_started"] = app._grader is not None
            report["torch"] = sorted(m for m in sys.modules if m == "torch" or m.startswith("torch."))[:3]
        app.shutdown()
        print(json.dumps(report))

    asyncio.run(main())
""")


def _run(tmp_path: Path, mode: str) -> dict[str, object]:
    script = tmp_path / "startup.py"
    script.write_text(STARTUP)
    out = subprocess.run([sys.executable, str(script), str(BANK), str(tmp_path / "home"), mode],
                         capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_the_first_screen_comes_up_without_torch(tmp_path: Path) -> None:
    """The first screen mounts and the bank loads in a fresh process that never imports torch.

    How fast is measured by `benchmarks/startup_speed.py`, as a ratio to a bare Textual app in the
    same run: an absolute budget here failed on a machine three times slower than ours."""
    report = _run(tmp_path, "browse")
    assert report["torch"] == []
    assert float(report["first_screen_s"]) > 0 and float(report["bank_loaded_s"]) > 0  # type: ignore[arg-type]


def test_no_torch_in_the_app_process_even_with_the_real_grader(tmp_path: Path) -> None:
    pytest.importorskip("quizapp.grading", reason="the grader package is not available yet")
    report = _run(tmp_path, "open-all")
    assert report["torch"] == [], "the app process imported torch"
    assert report["grader_started"] is True


async def test_recovered_store_is_reported_to_the_user(tmp_path: Path, make_app: Callable[..., QuizApp]) -> None:
    home = tmp_path / "h"
    with Store.open(home) as store:
        store.save_draft("soft-threshold", "safe")
        store.backup()
    db = home / "progress.db"
    db.write_bytes(b"definitely not sqlite" * 100)
    app = make_app(store=Store.open(home))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        [note] = [n for n in app._notifications if n.title == "Progress restored"]
        assert "restored the backup" in note.message and note.severity == "warning"
        assert app.store.draft("soft-threshold") == "safe"
