"""The pytest plugin that runs inside the grading child and reports over the private channel.

It never writes to stdout. Per test it sends a `start` message (so a crash can be pinned on the test
that was running) and a `result` with a readable name, an outcome, a learner-facing message and the
test's captured output. It also turns `sys.exit`/`KeyboardInterrupt` raised by the submission into
errors and checks, after every test, that the functions the tests rely on were not replaced.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback
from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest
import torch
import torch.testing
from _pytest.outcomes import Exit, OutcomeException

import quizapp.testing as qt

OUTPUT_LIMIT = 4096


def _protected() -> dict[str, Callable[..., Any]]:
    """The objects tests rely on, by name. Captured when this module is imported (in the warm
    worker, before any submission exists), and compared after every test."""
    out: dict[str, Callable[..., Any]] = {
        "torch.allclose": torch.allclose,
        "torch.equal": torch.equal,
        "torch.isclose": torch.isclose,
        "torch.testing.assert_close": torch.testing.assert_close,
    }
    for name in qt.PROTECTED_HELPERS:
        out[f"quizapp.testing.{name}"] = getattr(qt, name)
    return out


ORIGINALS = _protected()


def tampered() -> list[str]:
    """Names of protected functions that no longer are the originals."""
    return [name for name, original in ORIGINALS.items() if _protected().get(name) is not original]


class CappedStream(io.TextIOBase):
    """A text stream that keeps the first `limit` characters and counts (but drops) the rest, so a
    submission that floods its output costs neither memory nor disk."""

    def __init__(self, limit: int = OUTPUT_LIMIT) -> None:
        super().__init__()
        self._parts: list[str] = []
        self._size = 0
        self._limit = limit
        self.dropped = 0

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = self._limit - self._size
        if room > 0:
            kept = text[:room]
            self._parts.append(kept)
            self._size += len(kept)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self) -> str:
        text = "".join(self._parts)
        if self.dropped:
            text += f"\n… [{self.dropped} more characters not shown]"
        return text


class Channel:
    """Writes JSON lines, each tagged with a per-run nonce, to the private result pipe."""

    def __init__(self, fd: int, nonce: str) -> None:
        self._fd = fd
        self._nonce = nonce

    def send(self, kind: str, **payload: Any) -> None:
        data = (json.dumps({"nonce": self._nonce, "type": kind, **payload}) + "\n").encode()
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]


class SubmissionExited(Exception):
    """The submission raised SystemExit, KeyboardInterrupt or another non-`Exception` inside a test."""


def raised_name(exc: BaseException) -> str:
    """What the submission raised, as a learner would write it: `sys.exit(3)`, `KeyboardInterrupt`."""
    if isinstance(exc, SystemExit):
        return f"sys.exit({exc.code!r})"
    return type(exc).__name__


@contextlib.contextmanager
def _exit_is_an_error() -> Iterator[None]:
    """Re-raise a `BaseException` that is not an `Exception` (nor pytest's own skip/fail/exit
    outcomes) as `SubmissionExited`, so pytest records it against this test and carries on."""
    try:
        yield
    except Exit as exc:  # pytest.exit() from the submission would end the whole session
        raise SubmissionExited(f"the submission called pytest.exit({exc.msg!r}) during this test; a function "
                               "must return its result, never stop the test run") from None
    except (Exception, OutcomeException):
        raise
    except BaseException as exc:
        raise SubmissionExited(f"the submission raised {raised_name(exc)} during this test; a function "
                               "must return its result, never exit or interrupt the process") from None


def readable_name(item: pytest.Item) -> str:
    """The first line of the test's docstring (else its name with spaces), plus parameters."""
    func = getattr(item, "obj", None)
    doc = (getattr(func, "__doc__", None) or "").strip()
    base = doc.splitlines()[0].strip() if doc else getattr(item, "originalname", item.name).removeprefix(
        "test_").replace("_", " ")
    callspec = getattr(item, "callspec", None)
    if callspec is not None:
        params = {k: v for k, v in callspec.params.items() if k != "device"}
        devices = qt.available_devices()
        parts = [p for p in callspec.id.split("-") if not (len(devices) == 1 and p in devices)]
        if params and parts:
            base += f" [{'-'.join(parts)}]"
        elif "device" in callspec.params and len(devices) > 1:
            base += f" [{callspec.params['device']}]"
    return base


def failure_kind(exc: BaseException, tb: Any) -> str:
    """What kind of failure this is, for matching a learner's failure against known mistakes:
    `AssertionError` for a failed check, else the exception's type, marked `@submission` when the
    learner's code raised it (a `TypeError` in their code is another failure than one in the test)."""
    name = type(exc).__name__
    if isinstance(exc, AssertionError):
        return name
    raised_in_submission = any(os.path.basename(frame.f_code.co_filename) == "submission.py"
                               for frame, _ in traceback.walk_tb(tb))
    return f"{name}@submission" if raised_in_submission else name


def _without_introspection(text: str, tb: Any) -> str:
    """A bare `assert` as a sentence: pytest's `+  where False = <built-in method allclose of type
    object at 0x7f…>(…)` lines say nothing to a learner, so they go; `assert False` becomes the
    check that failed, quoted from the test."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(("+", "-", "?"))
             and " at 0x" not in line]
    first = lines[0].strip() if lines else "assert False"
    if first in ("assert False", "assert None", "assert not True", "assert 0"):
        source = ""
        for frame, lineno in traceback.walk_tb(tb):
            if os.path.basename(frame.f_code.co_filename).startswith("test_"):
                import linecache

                source = linecache.getline(frame.f_code.co_filename, lineno).strip()
        check = source.removeprefix("assert ").strip() if source.startswith("assert ") else source
        return f"this check failed: {check}" if check else "an assertion failed"
    return "\n".join(lines)


def describe_exception(exc: BaseException, tb: Any) -> str:
    """A learner-facing one-paragraph account of an exception, pointing at the submission's line."""
    if isinstance(exc, AssertionError):
        text = str(exc).strip() or "assertion failed"
        # pytest appends its introspection ("assert x == y\n +  where ...") to the author's message;
        # when the author wrote a message, that is the explanation the learner needs.
        head, sep, _ = text.partition("\nassert ")
        if sep and head.strip():
            return head.strip()
        return _without_introspection(text, tb)
    where = ""
    for frame, lineno in traceback.walk_tb(tb):
        if os.path.basename(frame.f_code.co_filename) == "submission.py":
            where = f" (in your code, line {lineno}, in {frame.f_code.co_name})"
    return f"{type(exc).__name__}: {exc}{where}"


class Reporter:
    """pytest hooks that stream results to the grader."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.names: dict[str, str] = {}
        self.outcomes: dict[str, tuple[str, str, str]] = {}
        self.flags: dict[str, str] = {}

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.names = {item.nodeid: readable_name(item) for item in items}
        self.channel.send("collected", tests=[
            {"id": item.nodeid, "name": self.names[item.nodeid],
             "function": getattr(item, "originalname", item.name)} for item in items])

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.channel.send("collect_error", message=str(report.longrepr)[-4000:])

    # The submission runs in setup (fixtures that call it), in the call and in teardown. pytest lets a
    # KeyboardInterrupt or SystemExit raised there end the whole session (every later test "not run"),
    # and grades any other BaseException as an ordinary failure; both are the submission leaving the
    # test, graded `error` (CONTRACT §1), so they are turned into `SubmissionExited` in all three.
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        with _exit_is_an_error():
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        with _exit_is_an_error():
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None) -> Generator[
            None, None, None]:
        with _exit_is_an_error():
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Generator[
            None, object, object]:
        self.channel.send("start", id=item.nodeid)
        capture = CappedStream()
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = capture
        started = _now()
        try:
            return (yield)
        finally:
            sys.stdout, sys.stderr = saved
            outcome, message, failure = self.outcomes.get(item.nodeid, ("error", "the test did not run", ""))
            self.channel.send("result", id=item.nodeid, outcome=outcome, message=message, failure=failure,
                              output=capture.getvalue(), duration_s=_now() - started,
                              flag=self.flags.get(item.nodeid, ""))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[
            None, pytest.TestReport, pytest.TestReport]:
        report = yield
        nodeid = item.nodeid
        if call.excinfo is not None and not report.skipped:
            exc = call.excinfo.value
            kind = failure_kind(exc, call.excinfo.tb)
            if isinstance(exc, SubmissionExited):
                self.flags[nodeid] = "exited"
                self._set(nodeid, "error", str(exc), kind)
            elif call.when == "call":
                self._set(nodeid, "failed", describe_exception(exc, call.excinfo.tb), kind)
            else:
                self._set(nodeid, "error", f"error in test {call.when}: "
                                           f"{describe_exception(exc, call.excinfo.tb)}", kind)
        elif report.skipped and call.when in ("setup", "call"):
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
            self._set(nodeid, "skipped", str(reason))
        elif call.when == "call" and report.passed:
            self._set(nodeid, "passed", "")
        if call.when == "call":
            replaced = tampered()
            if replaced:
                self.flags[nodeid] = "tampered"
                self._set(nodeid, "error", f"{', '.join(replaced)} was replaced during this test; the "
                                           "submission must not patch the functions the tests use",
                          "tampered", force=True)
                report.outcome = "failed"
        return report

    def _set(self, nodeid: str, outcome: str, message: str, failure: str = "", force: bool = False) -> None:
        previous = self.outcomes.get(nodeid)
        # Keep the first failure (a teardown error must not hide the call's failure).
        if force or previous is None or previous[0] in ("passed", "skipped"):
            self.outcomes[nodeid] = (outcome, message, failure)


def _now() -> float:
    import time

    return time.perf_counter()
