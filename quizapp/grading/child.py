"""What runs in the forked grading child: isolate, import the submission, run pytest.

Runs after `fork()` from the warm worker, so torch and pytest are already imported. The child owns
no terminal, no stdin, and no file descriptor of the worker's: stdout/stderr go to a pipe the worker
drains (capped), results go to a private pipe at a random high descriptor.
"""

from __future__ import annotations

import importlib
import os
import random
import sys
from pathlib import Path
from types import CodeType

from quizapp.grading import limits, prepared
from quizapp.grading.plugin import CappedStream, Channel, Reporter, describe_exception, raised_name, tampered
from quizapp.grading.prepared import PreparedRun
from quizapp.grading.wire import ChildRequest

SAFE_ENV_KEYS = ("PATH", "LANG", "LC_ALL", "CUDA_VISIBLE_DEVICES", "CUDA_HOME", "LD_LIBRARY_PATH")


def pytest_args(workspace: Path) -> list[str]:
    """pytest's command line for a run in `workspace` (the warm worker's warm-up uses it too)."""
    return ["-c", str(workspace / "pytest.ini"), "--rootdir", str(workspace),
            # The terminal plugin stays (without it, rewritten asserts lose their messages); its
            # report goes to /dev/null, see `run`.
            "-p", "no:cacheprovider", "-p", "no:stepwise", "-q", "--tb=no", "--no-header", "-rN",
            # These two run gc.collect() five times at exit: 0.3 s over torch's heap.
            "-p", "no:unraisableexception", "-p", "no:threadexception",
            "--capture=no", "-W", "ignore::DeprecationWarning"]


def _isolate_fds(output_fd: int, result_fd: int, null_fds: tuple[int, ...] = ()) -> int:
    """stdin from /dev/null, stdout/stderr to the output pipe, the result pipe moved to a random high
    descriptor, every other descriptor (the worker's control pipes included) closed, and `null_fds`
    (what the prepared pytest configuration holds) reopened on /dev/null."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    high = 600 + random.SystemRandom().randrange(300)
    os.dup2(result_fd, high)
    os.closerange(3, high)
    os.closerange(high + 1, 1024)
    if null_fds:
        sink = os.open(os.devnull, os.O_WRONLY)
        for fd in null_fds:
            if fd != sink:
                os.dup2(sink, fd)
        if sink not in null_fds:
            os.close(sink)
    return high


def _scrub_env(workspace: Path, devices: str, seed_offset: int) -> None:
    keep = {k: os.environ[k] for k in SAFE_ENV_KEYS if k in os.environ}
    os.environ.clear()
    os.environ.update(keep)
    os.environ.update({"HOME": str(workspace), "TMPDIR": str(workspace), "QUIZAPP_DEVICES": devices,
                       "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1",
                       "QUIZAPP_SEED_OFFSET": str(seed_offset)})


def _reseed(devices: str) -> None:
    """Children are forked from one worker and would share its RNG state: give each a fresh seed.
    CPU's generator directly: `torch.manual_seed` also queues seeds for CUDA, XPU and MTIA, each with
    a formatted stack (2 ms of every grade); CUDA's only when the tests may use it."""
    import torch

    seed = int.from_bytes(os.urandom(8), "little") % (2**63)
    torch.default_generator.manual_seed(seed)
    if "cuda" in devices:
        torch.cuda.manual_seed_all(seed)
    random.seed(seed)
    try:
        import numpy as np

        np.random.seed(seed % (2**32))
    except ImportError:  # pragma: no cover
        pass


def _import_submission(channel: Channel, entry_points: list[str]) -> bool:
    capture = CappedStream()
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = capture
    try:
        module = importlib.import_module("submission")
    except Exception as exc:
        message = describe_exception(exc, exc.__traceback__)
        channel.send("fatal", message=f"importing your code failed: {message}", output=capture.getvalue())
        return False
    except BaseException as exc:  # SystemExit, KeyboardInterrupt, GeneratorExit, ... (CONTRACT §1: error)
        channel.send("fatal", message=f"the submission raised {raised_name(exc)} while being imported; a "
                                      "module must only define functions, never exit the process",
                     output=capture.getvalue())
        return False
    finally:
        sys.stdout, sys.stderr = saved
    missing = [name for name in entry_points if not callable(getattr(module, name, None))]
    if missing:
        defined = sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_")
                         and getattr(v, "__module__", None) == "submission")
        hint = f" (it defines: {', '.join(defined)})" if defined else ""
        channel.send("fatal", message=f"missing {'function' if len(missing) == 1 else 'functions'} "
                                      f"{', '.join(missing)}: define {'it' if len(missing) == 1 else 'them'} "
                                      f"at module level{hint}", output=capture.getvalue())
        return False
    replaced = tampered()
    if replaced:
        channel.send("fatal", message=f"{', '.join(replaced)} was replaced while importing the submission; "
                                      "it must not patch the functions the tests use", flag="tampered")
        return False
    channel.send("imported", output=capture.getvalue())
    return True


def prepare(workspace: Path) -> PreparedRun | None:
    """In the worker: the pytest run every child of it will make, built once (`quizapp.grading.prepared`)."""
    import quizapp.testing

    reporter = Reporter(Channel(-1, ""))  # each child gives it its own channel
    return prepared.prepare(workspace, pytest_args(workspace), [reporter, quizapp.testing], reporter)


def run(request: ChildRequest, workspace: Path, output_fd: int, result_fd: int,
        ready: PreparedRun | None = None, code: CodeType | None = None) -> None:
    """The child's whole life; it always ends in `os._exit`. `ready` is the worker's prepared run for
    this workspace and `code` the tests compiled by it; without them, pytest starts from scratch."""
    limits.die_with_parent()
    fd = _isolate_fds(output_fd, result_fd, ready.null_fds if ready is not None else ())
    channel = Channel(fd, request["nonce"])
    os.chdir(workspace)
    _scrub_env(workspace, request["devices"], int(request.get("seed_offset", 0)))
    sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
    sys.path.insert(0, str(workspace))
    sys.dont_write_bytecode = True
    _reseed(request["devices"])
    import torch

    torch.set_num_threads(1)
    if not _import_submission(channel, request["entry_points"]):
        os._exit(0)
    # The tests are written only now, from memory, so import-time code cannot have rewritten them.
    test_file = workspace / "test_hidden.py"
    test_file.write_text(request["tests"], encoding="utf-8")
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - pytest's own report goes nowhere
    try:
        exit_code = _run_tests(channel, test_file, workspace, ready, code)
    except BaseException as exc:  # raised outside any test phase (a signal, a finaliser): the run is over
        channel.send("fatal", message=f"the submission raised {raised_name(exc)} and stopped the test run",
                     flag="exited")
        os._exit(0)
    channel.send("done", exit_code=exit_code)
    os._exit(0)


def _run_tests(channel: Channel, test_file: Path, workspace: Path, ready: PreparedRun | None,
               code: CodeType | None) -> int:
    if ready is not None and ready.test_file == test_file:
        ready.plugin.channel = channel
        return ready.run(code)
    import pytest

    import quizapp.testing

    (workspace / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # read now; the prepared run read it once
    return int(pytest.main([str(test_file), *pytest_args(workspace)], plugins=[Reporter(channel), quizapp.testing]))
