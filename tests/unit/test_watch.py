"""`quizapp watch`: starter written, every save graded, polling fallback, Ctrl-C exits 0."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from quizapp.cli import watch as watch_module
from quizapp.cli.watch import watch
from quizapp.models import CodeQuestion, GradeResult, TestResult
from quizapp.progress import Store
from quizapp.render import render_result

BANK = Path(__file__).resolve().parent.parent / "fixtures" / "bank"


class FakeGrader:
    """Records what it graded; passes when the code no longer raises NotImplementedError."""

    def __init__(self, device: str) -> None:
        self.device = device
        self.sources: list[str] = []
        self.closed = False
        self.interrupt = False

    def grade(self, question: CodeQuestion, source: str, *, examples: bool = False) -> GradeResult:
        if self.interrupt:
            raise KeyboardInterrupt
        self.sources.append(source)
        ok = "NotImplementedError" not in source
        return GradeResult(question.id, "passed" if ok else "failed", int(ok) * 3, 3, self.device, 0.1,
                           [TestResult("large values shrink by the threshold", "passed" if ok else "failed",
                                       "" if ok else "NotImplementedError")])

    def cancel(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def _console() -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    return Console(file=buf, width=100, force_terminal=False, color_system=None), buf


def _wait(predicate: object, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def _start(tmp_path: Path, file: Path, **kwargs: object) -> tuple[threading.Thread, threading.Event,
                                                                    list[FakeGrader], io.StringIO, list[int]]:
    graders: list[FakeGrader] = []

    def factory(device: str) -> FakeGrader:
        graders.append(FakeGrader(device))
        return graders[-1]

    console, buf = _console()
    stop = threading.Event()
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(watch(
        "soft-threshold", file, BANK, "cpu", home=tmp_path / "home", console=console, grader_factory=factory,
        stop=stop, **kwargs)))  # type: ignore[arg-type]
    thread.start()
    return thread, stop, graders, buf, codes


def _save(file: Path, text: str) -> None:
    """Save like an editor does: a new file renamed over the old one."""
    tmp = file.with_name(file.name + ".tmp~")
    tmp.write_text(text)
    tmp.replace(file)


def test_writes_the_starter_and_regrades_on_every_save(tmp_path: Path) -> None:
    file = tmp_path / "soft.py"
    thread, stop, graders, buf, codes = _start(tmp_path, file)
    try:
        _wait(lambda: graders and len(graders[0].sources) == 1)
        assert "raise NotImplementedError" in file.read_text()  # the starter
        time.sleep(0.3)
        _save(file, "def soft_threshold(w, threshold):\n    return w\n")
        _wait(lambda: len(graders[0].sources) == 2)
        _save(file, "def soft_threshold(w, threshold):\n    return w * 1\n")
        _wait(lambda: len(graders[0].sources) == 3)
    finally:
        stop.set()
        thread.join(10)
    assert codes == [0] and graders[0].closed
    out = buf.getvalue()
    assert "Wrote the starter" in out and "PASSED" in out and "FAILED" in out
    with Store.open(tmp_path / "home") as store:  # each grade is recorded, the file kept as the draft
        assert [a.status for a in store.attempts("soft-threshold")] == ["failed", "passed", "passed"]
        assert store.draft("soft-threshold") == "def soft_threshold(w, threshold):\n    return w * 1\n"


def test_switches_to_polling_when_file_events_do_not_arrive(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bool] = []

    def silent_events(file: Path, stop: threading.Event | None, polling: bool) -> Iterator[bool]:
        calls.append(polling)
        while stop is None or not stop.is_set():
            time.sleep(0.05)
            yield polling and file.stat().st_size > 0  # only "polling" ever reports the change

    monkeypatch.setattr(watch_module, "_events", silent_events)
    file = tmp_path / "soft.py"
    file.write_text("x = 1\n")
    thread, stop, graders, buf, _codes = _start(tmp_path, file, poll_after_s=0.3)
    try:
        _wait(lambda: graders and len(graders[0].sources) == 1)
        _save(file, "def soft_threshold(w, threshold):\n    return w\n")
        _wait(lambda: len(graders[0].sources) == 2)
    finally:
        stop.set()
        thread.join(10)
    assert calls[:2] == [False, True]
    assert "switching to polling" in buf.getvalue()


def test_ctrl_c_exits_zero(tmp_path: Path) -> None:
    def factory(device: str) -> FakeGrader:
        grader = FakeGrader(device)
        grader.interrupt = True
        return grader

    console, buf = _console()
    code = watch("soft-threshold", tmp_path / "s.py", BANK, "cpu", console=console, grader_factory=factory)
    assert code == 0
    assert "Stopped watching" in buf.getvalue()


@pytest.mark.parametrize(("qid", "message"), [("nope", "unknown question id"),
                                              ("dropout-at-test-time", "choice question")])
def test_bad_requests_exit_2_with_one_line(tmp_path: Path, qid: str, message: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    console, buf = _console()
    code = watch(qid, tmp_path / "s.py", BANK, "cpu", console=console, grader_factory=FakeGrader)
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("quizapp: error: ") and message in err and err.count("\n") == 1 and not buf.getvalue()


def test_unwritable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    console, _buf = _console()
    code = watch("soft-threshold", tmp_path / "missing-dir" / "s.py", BANK, "cpu", console=console,
                 grader_factory=FakeGrader)
    assert code == 2 and "cannot write the starter" in capsys.readouterr().err


def test_render_result_shows_status_tests_messages_and_output() -> None:
    result = GradeResult("q", "failed", 1, 2, "cpu", 0.3, [
        TestResult("keeps shape", "passed"),
        TestResult("scales survivors", "failed", "expected 2.0, got 1.0", output="debug print")],
        message="", output="module-level print")
    console, buf = _console()
    console.print(render_result(result))
    out = buf.getvalue()
    assert "FAILED" in out and "1/2 hidden tests passed" in out
    assert "✓ keeps shape" in out and "✗ scales survivors" in out
    assert "expected 2.0, got 1.0" in out and "│ debug print" in out and "module-level print" in out
    console, buf = _console()
    console.print(render_result(GradeResult("q", "error", 0, 0, "cpu", 0.0, message="SyntaxError", line=3)))
    assert "ERROR" in buf.getvalue() and "(line 3)" in buf.getvalue()


def test_a_grader_that_cannot_start_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    class DeviceUnavailable(Exception):
        pass

    def factory(device: str) -> FakeGrader:
        raise DeviceUnavailable("--device cuda was requested but CUDA is not available on this machine")

    console, _buf = _console()
    code = watch("soft-threshold", tmp_path / "s.py", BANK, "cuda", console=console, grader_factory=factory)
    assert code == 2 and "CUDA is not available" in capsys.readouterr().err


def test_a_failure_like_a_known_mistake_is_named(tmp_path: Path) -> None:
    from quizapp.bank import load_bank
    from quizapp.models import Mutant

    question = load_bank(BANK)["soft-threshold"]
    assert isinstance(question, CodeQuestion)
    question = question.model_copy(update={"mutants": [
        Mutant(name="gives-up", diagnosis="Raises instead of shrinking.", source=question.starter)]})
    file = tmp_path / "mine.py"
    console, buf = _console()
    for text, shown in ((question.starter, True), ("def soft_threshold(w, t):\n    return w\n", False)):
        file.write_text(text)
        buf.truncate(0)
        watch_module._grade_file(question, file, FakeGrader("cpu"), console, None)
        assert ("Likely mistake: Raises instead of shrinking." in buf.getvalue()) is shown, buf.getvalue()
