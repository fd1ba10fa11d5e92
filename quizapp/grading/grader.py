"""`Grader`: the public grading API (CONTRACT §2). Never imports torch in the calling process.

It keeps one warm worker process (see `zygote.py`) with torch and pytest imported; every
submission still runs in its own freshly forked child. Syntax and forbidden-API checks run here,
before the worker is involved.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, cast

from quizapp.errors import QuizappError
from quizapp.grading import limits
from quizapp.grading.sandbox import NONE, Sandbox, SandboxChoice, choose
from quizapp.grading.sanitize import clean_result
from quizapp.grading.static import check_forbidden, check_syntax
from quizapp.grading.wire import ControlMessage, GradeReply, GradeRequest
from quizapp.models import CodeQuestion, GradeResult, TestResult

DeviceChoice = Literal["auto", "cpu", "cuda"]
START_TIMEOUT_S = 120.0
SLACK_S = 20.0


class _Unlocked:
    """Grades through a `Grader` whose lock the caller already holds."""

    def __init__(self, grader: Grader) -> None:
        self._grader = grader

    def grade(self, question: CodeQuestion, source: str) -> GradeResult:
        return self._grader._grade_locked(question, source, False, None, time.monotonic())


class DeviceUnavailable(QuizappError):
    """`cuda` was requested where CUDA is not available."""


class GraderFailure(QuizappError):
    """The warm worker could not be started or stopped answering."""


MAX_TIMEOUT_S = 24 * 3600.0
"""The longest time limit a grader accepts (a day): a limit must be a real deadline."""


class Grader:
    """Grades submissions against a question's hidden tests in isolated child processes."""

    def __init__(self, device: DeviceChoice = "auto", *, timeout_s: float | None = None,
                 memory_mb: int | None = None, sandbox: SandboxChoice = "off") -> None:
        """`sandbox`: "on" runs the worker inside bubblewrap (raising `SandboxUnavailable` at start
        where it cannot), "auto" where it can, "off" never (the Python API's default; the command
        line defaults to auto). See `quizapp.grading.sandbox`."""
        if device not in ("auto", "cpu", "cuda"):
            raise ValueError(f"device must be auto, cpu or cuda, not {device!r}")
        if sandbox not in ("auto", "on", "off"):
            raise ValueError(f"sandbox must be auto, on or off, not {sandbox!r}")
        if timeout_s is not None and not 0 < timeout_s <= MAX_TIMEOUT_S:  # also NaN and infinity
            raise ValueError(f"timeout_s must be above 0 and at most {MAX_TIMEOUT_S:g} s, not {timeout_s!r}")
        self.requested_sandbox: SandboxChoice = sandbox
        self.sandbox: Sandbox = NONE
        self.requested_device: DeviceChoice = device
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self._proc: subprocess.Popen[bytes] | None = None
        self._hello: dict[str, Any] = {}
        self._buf = b""
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._ids = itertools.count(1)

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> Grader:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def start(self) -> None:
        """Start the warm worker (if not running) and resolve the device.

        Raises `DeviceUnavailable` for `cuda` without CUDA, `GraderFailure` if the worker fails."""
        if self._proc is not None:
            if self._proc.poll() is None:
                return
            _close_pipes(self._proc)  # the worker died (killed, out of memory): free its pipes
        env = {**os.environ, "PYTORCH_NVML_BASED_CUDA_CHECK": "1", "PYTHONUNBUFFERED": "1"}
        self.sandbox = choose(self.requested_sandbox)
        self._proc = subprocess.Popen(
            [*self.sandbox.prefix, sys.executable, "-m", "quizapp.grading.zygote"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, start_new_session=True, env=env, close_fds=True)
        self._buf = b""
        self._hello = {}  # the last worker's, whose workspace is not this one's
        hello = self._read_message(time.monotonic() + START_TIMEOUT_S)
        if hello is None or hello.get("type") != "hello":
            self._kill_worker()
            detail = hello.get("message") if hello else "no answer"
            raise GraderFailure(f"the grading worker did not start ({detail})")
        self._hello = hello
        if self.requested_device == "cuda" and not hello.get("cuda"):
            self.close()
            raise DeviceUnavailable("--device cuda was requested but CUDA is not available on this machine")

    @property
    def device(self) -> str:
        """The device grading runs on: `cuda` or `cpu` (`auto` resolved once the worker started)."""
        if self.requested_device != "auto":
            return self.requested_device
        if not self._hello:
            self.start()
        return "cuda" if self._hello.get("cuda") else "cpu"

    def close(self) -> None:
        """Stop the warm worker and everything below it."""
        proc = self._proc
        self._proc = None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            if proc.stdin:
                proc.stdin.close()
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self._kill_tree(proc)
        _close_pipes(proc)

    def _kill_tree(self, proc: subprocess.Popen[bytes]) -> None:
        limits.kill_descendants(proc.pid)
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
        # A killed worker cannot empty its workspace: the submission it was grading would stay on
        # disk. (In the sandbox the workspace is in the worker's private /tmp, gone with it, and the
        # same path out here is somebody else's.)
        workspace = self._hello.get("workspace") if self._hello else None
        if workspace and self.sandbox is NONE and Path(workspace).name.startswith("quizapp-grade-"):
            shutil.rmtree(workspace, ignore_errors=True)

    def _kill_worker(self) -> None:
        if self._proc is not None:
            self._kill_tree(self._proc)
            _close_pipes(self._proc)
            self._proc = None

    # -- protocol ----------------------------------------------------------------------------

    def _read_message(self, deadline: float) -> dict[str, Any] | None:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        fd = proc.stdout.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buf:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not sel.select(timeout=remaining):
                    return None
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return None
                self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        try:
            data = json.loads(line)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def _send(self, obj: ControlMessage) -> None:
        proc = self._proc
        assert proc is not None and proc.stdin is not None
        with self._write_lock:
            proc.stdin.write((json.dumps(obj) + "\n").encode())
            proc.stdin.flush()

    # -- grading -----------------------------------------------------------------------------

    def cancel(self) -> None:
        """Stop the grade in progress (thread-safe); it returns status `error`, message `cancelled`."""
        if self._proc is not None and self._proc.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                self._send({"op": "cancel"})

    def grade(self, question: CodeQuestion, source: str, *, examples: bool = False,
              timeout_s: float | None = None, diagnose: bool = False, seed_offset: int = 0) -> GradeResult:
        """Run `source` against the question's hidden tests (or its visible `examples`).

        `seed_offset` shifts every `quizapp.testing.seeded` seed (validate's flake check uses it).

        With `diagnose`, a failed grade also names the known mistakes (mutants) that fail the same
        tests; the first time for a question this grades its mutants (then cached on disk)."""
        started = time.monotonic()
        static = self.check_static(question, source)
        if static is not None:
            return static
        with self._lock:
            result = self._grade_locked(question, source, examples, timeout_s, started, seed_offset)
            if diagnose and not examples and result.status == "failed" and question.mutants:
                from quizapp.grading.diagnose import likely_mistakes

                mistakes = likely_mistakes(question, result, _Unlocked(self))
                result = dataclasses.replace(result, likely_mistakes=mistakes)
            return clean_result(result)  # the one place a grade's text is made safe to print

    def check_static(self, question: CodeQuestion, source: str) -> GradeResult | None:
        """The `error` grade of a submission that cannot run (a syntax error, a forbidden API), or
        None. Needs no worker, so a caller can answer at once before starting one."""
        started = time.monotonic()
        problem = check_syntax(source) or check_forbidden(source, question.forbidden)
        if problem is None:
            return None
        return clean_result(GradeResult(
            question=question.id, status="error", passed=0, total=0, device=self._device_or_requested(),
            duration_s=time.monotonic() - started, message=problem.message, line=problem.line))

    def _device_or_requested(self) -> str:
        if self.requested_device != "auto":
            return self.requested_device
        return ("cuda" if self._hello.get("cuda") else "cpu") if self._hello else "cpu"

    def _grade_locked(self, question: CodeQuestion, source: str, examples: bool, timeout_s: float | None,
                      started: float, seed_offset: int = 0) -> GradeResult:
        self.start()
        device = self.device
        timeout = timeout_s or self.timeout_s or question.timeout_s
        request: GradeRequest = {"op": "grade", "id": next(self._ids), "source": source,
                   "tests": question.examples if examples else question.tests,
                   "entry_points": list(question.entry_points), "devices": device,
                   "timeout_s": timeout, "memory_mb": self.memory_mb or question.memory_mb,
                   "seed_offset": seed_offset}
        try:
            self._send(request)
            reply = self._read_message(time.monotonic() + timeout + SLACK_S)
        except (OSError, ValueError):
            reply = None
        if reply is None or reply.get("type") != "result":
            self._kill_worker()
            return GradeResult(question=question.id, status="error", passed=0, total=0, device=device,
                               duration_s=time.monotonic() - started,
                               message="the grading worker stopped answering and was restarted; try again")
        answer = cast("GradeReply", reply)
        tests = [TestResult(name=t["name"], outcome=t["outcome"], message=t["message"],  # type: ignore[arg-type]
                            output=t["output"], duration_s=t["duration_s"], failure=t.get("failure", ""))
                 for t in answer["tests"]]
        return GradeResult(question=question.id, status=answer["status"], passed=answer["passed"],  # type: ignore[arg-type]
                           total=answer["total"], device=device, duration_s=time.monotonic() - started,
                           tests=tests, message=answer["message"], output=answer["output"], sandbox=self.sandbox.name)


def _close_pipes(proc: subprocess.Popen[bytes]) -> None:
    """Close our ends of the worker's pipes (a dead worker's pipes would otherwise leak)."""
    for stream in (proc.stdin, proc.stdout):
        with contextlib.suppress(OSError):
            if stream:
                stream.close()
