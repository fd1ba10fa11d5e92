"""The warm worker: imports torch and pytest once, then forks one fresh child per submission.

Protocol with the parent (`Grader`): one JSON object per line on stdin (requests: `grade`,
`cancel`) and on stdout (replies: `hello`, `result`). The worker supervises each child from
outside — wall clock, resident memory of the whole process tree, exit status — and, as a child
subreaper, kills everything the submission started. CUDA is never initialised here: availability
is checked through NVML only, so forked children can still initialise it themselves.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import gc
import json
import os
import secrets
import selectors
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")

import _pytest.assertion.rewrite
import _pytest.python  # noqa: F401
import pytest
import torch
import torch.distributions
import torch.nn.functional

from quizapp.grading import child, limits
from quizapp.grading.plugin import OUTPUT_LIMIT
from quizapp.grading.prepared import PreparedRun
from quizapp.grading.wire import ChildRequest, GradeRequest, Outcome, TestRecord, WorkerMessage

POLL_S = 0.02
RSS_EVERY_S = 0.05
MAX_CHANNEL_BYTES = 4 * 1024 * 1024
OUTSIDE_LIMIT = 8192


class LineReader:
    """Non-blocking line reader over a raw descriptor."""

    def __init__(self, fd: int, limit: int = MAX_CHANNEL_BYTES) -> None:
        self.fd = fd
        self.buf = b""
        self.eof = False
        self.limit = limit
        self.overflow = False

    def feed(self) -> list[bytes]:
        try:
            chunk = os.read(self.fd, 65536)
        except BlockingIOError:
            return []
        if not chunk:
            self.eof = True
            return []
        self.buf += chunk
        if len(self.buf) > self.limit:
            self.overflow = True
            self.buf = b""
            return []
        *lines, self.buf = self.buf.split(b"\n")
        return lines


@functools.lru_cache(maxsize=32)
def expected_tests(source: str) -> frozenset[str]:
    """Top-level test function names in the hidden tests (classes count by their methods); kept per
    question, since parsing them takes longer (3 ms) than anything else the worker does per grade."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names.update(n.name for n in node.body
                         if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name.startswith("test"))
    return frozenset(names)


class Run:
    """Bookkeeping for one child: what the channel said, and how the child ended."""

    def __init__(self, nonce: str) -> None:
        self.nonce = nonce
        self.tests: dict[str, TestRecord] = {}
        self.order: list[str] = []
        self.functions: set[str] = set()
        self.current: str | None = None
        self.fatal: str | None = None
        self.flag: str | None = None
        self.protocol_error: str | None = None
        self.collect_error: str | None = None
        self.done = False
        self.imported = False
        self.outside = b""
        self.outside_dropped = 0
        self.import_output = ""
        self.flagged_test: TestRecord | None = None

    def handle(self, line: bytes) -> None:
        if self.protocol_error:
            return
        try:
            msg = json.loads(line)
            if not isinstance(msg, dict) or msg.get("nonce") != self.nonce:
                raise ValueError("bad message")
            kind = msg["type"]
            if kind == "collected":
                for t in msg["tests"]:
                    self.tests[t["id"]] = {"name": str(t["name"]), "outcome": "error",
                                           "message": "not run", "output": "", "duration_s": 0.0,
                                           "failure": ""}
                    self.order.append(t["id"])
                    self.functions.add(str(t["function"]))
            elif kind == "start":
                self.current = msg["id"]
            elif kind == "result":
                test = self.tests[msg["id"]]
                test.update({"outcome": str(msg["outcome"]), "message": str(msg["message"])[:20000],
                             "failure": str(msg.get("failure", ""))[:200],
                             "output": str(msg["output"])[: OUTPUT_LIMIT + 100],
                             "duration_s": float(msg["duration_s"])})
                if msg.get("flag"):
                    self.flag = self.flag or str(msg["flag"])
                    if self.flagged_test is None:
                        self.flagged_test = test
                self.current = None
            elif kind == "fatal":
                self.fatal = str(msg["message"])
                self.import_output = str(msg.get("output", ""))[: OUTPUT_LIMIT + 100]
                if msg.get("flag"):
                    self.flag = str(msg["flag"])
            elif kind == "imported":
                self.imported = True
                self.import_output = str(msg.get("output", ""))[: OUTPUT_LIMIT + 100]
            elif kind == "collect_error":
                self.collect_error = str(msg["message"])
            elif kind == "done":
                self.done = True
            else:
                raise ValueError(f"unknown message {kind!r}")
        except (ValueError, KeyError, TypeError):
            self.protocol_error = ("unexpected data on the grader's private result channel; results "
                                   "cannot be trusted (did the submission write to it?)")

    def add_outside(self, chunk: bytes) -> None:
        room = OUTSIDE_LIMIT - len(self.outside)
        if room > 0:
            self.outside += chunk[:room]
        self.outside_dropped += max(0, len(chunk) - max(room, 0))


def _fail_unrun(run: Run, reason: str) -> None:
    for test in run.tests.values():
        if test["message"] == "not run":
            test["message"] = f"not run: {reason}"


def supervise(grade: GradeRequest, control: LineReader, workspace: Path, ready: PreparedRun | None = None) -> Outcome:
    """Fork a child for one submission in `workspace` (empty; emptied again after), watch it, and return
    the outcome. `ready`: the pytest run prepared for this workspace (`child.prepare`)."""
    started = time.monotonic()
    if any(workspace.iterdir()):  # a grade that failed in the worker left its files
        empty_workspace(workspace)
    (workspace / "submission.py").write_text(grade["source"], encoding="utf-8")
    nonce = secrets.token_hex(16)
    request: ChildRequest = {**grade, "nonce": nonce}
    code = ready.compile(grade["tests"]) if ready is not None else None
    result_r, result_w = os.pipe()
    out_r, out_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            child.run(request, workspace, out_w, result_w, ready, code)
        finally:
            os._exit(70)
    os.close(result_w)
    os.close(out_w)
    os.set_blocking(result_r, False)
    os.set_blocking(out_r, False)
    run = Run(nonce)
    results = LineReader(result_r)
    sel = selectors.DefaultSelector()
    sel.register(result_r, selectors.EVENT_READ, "result")
    sel.register(out_r, selectors.EVENT_READ, "output")
    sel.register(control.fd, selectors.EVENT_READ, "control")
    exited = _exit_notice(pid)
    if exited is not None:  # wakes the loop the moment the child exits, not at the next poll
        sel.register(exited, selectors.EVENT_READ, "exited")
    deadline = started + float(request["timeout_s"])
    memory_limit = int(request["memory_mb"]) * 1024 * 1024
    stopped_by: str | None = None
    exit_status: int | None = None
    next_rss = started
    peak_rss = 0

    def drain(key_data: str, fd: int) -> None:
        if key_data == "result":
            for line in results.feed():
                run.handle(line)
            if results.eof:
                sel.unregister(fd)
        elif key_data == "output":
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:
                return
            if chunk:
                run.add_outside(chunk)
            else:
                sel.unregister(fd)
        elif key_data == "exited":
            sel.unregister(fd)  # the loop reaps it
        else:
            for line in control.feed():
                if line.strip() and json.loads(line).get("op") == "cancel":
                    nonlocal stopped_by
                    stopped_by = stopped_by or "cancelled"
            if control.eof:
                stopped_by = stopped_by or "cancelled"

    while stopped_by is None:
        now = time.monotonic()
        for key, _ in sel.select(timeout=max(0.0, min(POLL_S, deadline - now))):
            drain(str(key.data), int(key.fd))
        for reaped, status in limits.reap_children():
            if reaped == pid:
                exit_status = status
        if exit_status is not None:
            break
        now = time.monotonic()
        if now >= deadline:
            stopped_by = "timeout"
        elif now >= next_rss:
            rss = limits.tree_rss()
            peak_rss = max(peak_rss, rss)
            if rss > memory_limit:
                stopped_by = "memory"
            next_rss = now + RSS_EVERY_S
    # Kill whatever is left: the child on a limit, and anything it started in every case.
    limits.kill_descendants()
    if exit_status is None:
        try:
            _, exit_status = os.waitpid(pid, 0)
        except ChildProcessError:
            exit_status = None
    limits.reap_children()
    # Everything that could hold the pipes open is dead: read them to the end.
    sel.unregister(control.fd)
    end = time.monotonic() + 2.0
    while sel.get_map() and time.monotonic() < end:
        for key, _ in sel.select(timeout=0.05):
            drain(str(key.data), int(key.fd))
    sel.close()
    for fd in (result_r, out_r, exited):
        if fd is not None:
            os.close(fd)
    empty_workspace(workspace)
    elapsed = time.monotonic() - started
    return _outcome(run, request, results, stopped_by, exit_status, elapsed, peak_rss)


def _exit_notice(pid: int) -> int | None:
    """A descriptor that becomes readable when `pid` exits (Linux 5.3+), or None: the result pipes'
    end of file comes just before the child can be reaped, and the loop would otherwise wait a poll."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def empty_workspace(workspace: Path) -> None:
    """Remove everything a grade left in the workspace, keeping the folder (its path is in the prepared
    configuration). What cannot be removed (a folder the submission made unreadable) is moved aside,
    so that the next submission never sees it."""
    shutil.rmtree(workspace, ignore_errors=True)
    if workspace.exists():
        os.rename(workspace, tempfile.mkdtemp(prefix="quizapp-left-", dir=workspace.parent))
    workspace.mkdir()


def _outcome(run: Run, request: GradeRequest, results: LineReader, stopped_by: str | None,
             exit_status: int | None, elapsed: float, peak_rss: int) -> Outcome:
    current = run.tests[run.current]["name"] if run.current in run.tests else None
    during = f" during the test “{current}”" if current else (" while importing your code"
                                                              if not run.imported else "")
    status: str
    message = ""
    if stopped_by == "timeout":
        status = "timeout"
        message = f"stopped after the time limit of {request['timeout_s']:g} s{during}"
        _fail_unrun(run, "the time limit was reached")
        if current:
            run.tests[run.current or ""]["message"] = "stopped: the time limit was reached in this test"
    elif stopped_by == "memory":
        status = "memory"
        message = (f"stopped at the memory limit of {request['memory_mb']} MiB resident for the whole "
                   f"process tree{during}")
        _fail_unrun(run, "the memory limit was reached")
        if current:
            run.tests[run.current or ""]["message"] = "stopped: the memory limit was reached in this test"
    elif stopped_by == "cancelled":
        status = "error"
        message = "cancelled"
        _fail_unrun(run, "the grade was cancelled")
    elif results.overflow or run.protocol_error:
        status = "error"
        message = run.protocol_error or "the grader's private result channel overflowed; results cannot be trusted"
    elif exit_status is not None and os.WIFSIGNALED(exit_status):
        status = "crashed"
        message = f"the process died from {limits.signal_name(os.WTERMSIG(exit_status))}{during}"
        _fail_unrun(run, "the process crashed")
        if current:
            run.tests[run.current or ""]["message"] = (
                f"crashed: {limits.signal_name(os.WTERMSIG(exit_status))} in this test")
    elif run.fatal:
        status = "error"
        message = run.fatal + (during if run.imported else "")
        _fail_unrun(run, "the test run was stopped")
        if current:
            run.tests[run.current or ""]["message"] = run.fatal
    elif not run.done:
        code = os.WEXITSTATUS(exit_status) if exit_status is not None and os.WIFEXITED(exit_status) else "?"
        status = "error"
        message = f"the submission exited (exit code {code}){during}; a function must return its result, " \
                  "never exit the process"
        _fail_unrun(run, "the process exited")
        if current:
            run.tests[run.current or ""]["message"] = f"the submission exited (exit code {code}) in this test"
    elif run.collect_error:
        status = "error"
        message = f"the tests could not be collected:\n{run.collect_error}"
    elif run.flag in ("exited", "tampered") and run.flagged_test is not None:
        status = "error"
        test = run.flagged_test
        message = str(test["message"]).replace("during this test", f"during the test “{test['name']}”", 1)
    elif any(t["message"] == "not run" for t in run.tests.values()):
        status = "error"
        _fail_unrun(run, "the test run stopped early")
        message = "the test run stopped before every hidden test ran; results cannot be trusted"
    elif expected_tests(request["tests"]) - run.functions:
        status = "error"
        missing = sorted(expected_tests(request["tests"]) - run.functions)
        message = f"hidden tests went missing ({', '.join(missing)}); results cannot be trusted"
    elif not run.tests:
        status = "error"
        message = "no tests were run"
    else:
        failed = [t for t in run.tests.values() if t["outcome"] not in ("passed", "skipped")]
        status = "failed" if failed or not any(t["outcome"] == "passed" for t in run.tests.values()) \
            else "passed"
    outside = run.import_output + run.outside.decode("utf-8", "replace")
    if run.outside_dropped:
        outside += f"\n… [{run.outside_dropped} more bytes not shown]"
    tests = [run.tests[i] for i in run.order]
    return {"status": status, "message": message, "tests": tests,
            "passed": sum(t["outcome"] == "passed" for t in tests), "total": len(tests),
            "output": outside, "duration_s": elapsed, "peak_rss": peak_rss}


_WARMED: set[str] = set()


def warm_up_for(tests: str) -> None:
    """First-use costs that only some questions need, paid once in this worker the first time such a
    question is graded (before the fork, so every later child inherits the result): the first
    `torch.optim` step imports `torch._dynamo`, about a second that would otherwise be charged to
    every grade of a question whose tests build an optimiser, and to none of the others; the first
    `torch.testing.assert_close` imports `torch.distributed`, 0.4 s of every worker's start before."""
    if "torch.testing" in tests and "testing" not in _WARMED:  # its first call imports torch.distributed
        _WARMED.add("testing")  # (0.4 s): none of the bank's tests use it, a course's may
        torch.testing.assert_close(torch.ones(2), torch.ones(2))
        gc.freeze()
    if "torch.optim" in tests and "optim" not in _WARMED:
        _WARMED.add("optim")
        param = torch.zeros(2, requires_grad=True)
        param.grad = torch.ones(2)
        for optimizer in (torch.optim.SGD([param], lr=0.1, momentum=0.9), torch.optim.AdamW([param])):
            optimizer.step()
        gc.freeze()


def warm_up() -> None:
    """Pay, once, the first-use costs every child would otherwise pay: pytest's lazily imported
    plugins and caches, and torch's lazily initialised kernels. Intra-op parallelism is set to one
    thread first, so no thread pool exists when we fork (OpenMP pools do not survive `fork`)."""
    import importlib
    import readline  # noqa: F401  (pytest's capture plugin imports it on every run)

    from _pytest.config import default_plugins

    torch.set_num_threads(1)
    for name in default_plugins:
        with contextlib.suppress(ImportError):
            importlib.import_module(f"_pytest.{name}")
    x = torch.randn(8, 4, requires_grad=True)
    lin = torch.nn.Linear(4, 3)
    loss = torch.nn.functional.cross_entropy(lin(x), torch.randint(0, 3, (8,)), label_smoothing=0.1)
    loss.backward()  # type: ignore[no-untyped-call]
    torch.log_softmax(x, 1).exp().sum().item()
    torch.distributions.Beta(0.4, 0.4).sample((4,))
    torch.randperm(8)[torch.rand(8).argsort()]
    torch.bernoulli(torch.full((8,), 0.5))
    torch.searchsorted(torch.sort(torch.rand(16)).values, torch.rand(4))
    torch.nn.functional.pad(torch.rand(1, 1, 4, 4), (1, 1, 1, 1)).flip(-1)
    with contextlib.suppress(ImportError):  # numpy imports `random` lazily: 11 ms in every child's reseed
        import numpy.random  # noqa: F401
    workspace = Path(tempfile.mkdtemp(prefix="quizapp-warm-"))
    try:
        (workspace / "test_warm.py").write_text("def test_warm():\n    assert [1] == [1]\n")
        (workspace / "pytest.ini").write_text("[pytest]\n")
        saved = os.dup(1), os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            import quizapp.testing

            pytest.main([str(workspace / "test_warm.py"), *child.pytest_args(workspace)],
                         plugins=[quizapp.testing])
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in (*saved, devnull):
                os.close(fd)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def send(obj: WorkerMessage) -> None:
    data = (json.dumps(obj) + "\n").encode()
    view = memoryview(data)
    while view:
        view = view[os.write(1, view):]


def main() -> None:
    """Serve grade requests until stdin closes."""
    limits.become_subreaper()
    limits.die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Keep the control channel off the standard descriptors children might inherit by accident.
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    warm_up()
    workspace = Path(tempfile.mkdtemp(prefix="quizapp-grade-"))
    ready = child.prepare(workspace)
    cuda = bool(torch.cuda.is_available())
    if torch.cuda.is_initialized():  # type: ignore[no-untyped-call]  # pragma: no cover
        send({"type": "fatal", "message": "CUDA was initialised in the warm worker"})
        return
    # Move everything imported so far out of the collector's reach: children forked from here
    # neither scan nor touch (and so copy) those pages.
    gc.freeze()
    send({"type": "hello", "cuda": cuda, "torch": torch.__version__, "pid": os.getpid(),
          "workspace": str(workspace)})
    control = LineReader(0)
    os.set_blocking(0, False)
    sel = selectors.DefaultSelector()
    sel.register(0, selectors.EVENT_READ)
    while True:
        sel.select()
        for line in control.feed():
            if not line.strip():
                continue
            req = json.loads(line)
            if req.get("op") != "grade":
                continue
            try:
                warm_up_for(str(req.get("tests", "")))
                outcome = supervise(req, control, workspace, ready)
            except Exception as exc:  # report, never die silently
                outcome = {"status": "error", "message": f"grader failure: {type(exc).__name__}: {exc}",
                           "tests": [], "passed": 0, "total": 0, "output": "", "duration_s": 0.0, "peak_rss": 0}
            send({"type": "result", "id": req.get("id"), **outcome})
        if control.eof:
            limits.kill_descendants()
            shutil.rmtree(workspace, ignore_errors=True)
            return


if __name__ == "__main__":
    main()
