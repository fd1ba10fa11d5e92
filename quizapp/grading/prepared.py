"""A pytest run prepared in the warm worker, before the fork, so that each child only runs it.

`pytest.main` spends about as long getting ready as a fast question's tests take to run: it builds
its configuration (plugins registered, the command line and the ini file parsed), then rewrites the
asserts of the test module and compiles it. None of that depends on the submission. The worker does
it once, for its one workspace (grades in a worker run one at a time, so the workspace's path can be
fixed); every child forked afterwards inherits a fresh copy of the configuration, uses it once, and
imports the hidden tests from a code object compiled once per question.

The configuration is built with `_pytest.config._prepareconfig`, and the session is started in the
worker too: the plugins' `pytest_configure` and `pytest_sessionstart` (the fixture manager reads every
plugin's fixtures) cost about 8 ms, as much again as the rest of pytest's own work. A child then only
collects, runs the tests and finishes the session, exactly as `_pytest.main.wrap_session` does after
`pytest_sessionstart` (`_finish`). What configuring opened (pytest's copy of stderr for
faulthandler, the log file handler, the terminal report) was opened on /dev/null, and each child
reopens /dev/null at the same descriptors (`null_fds`), so it inherits no descriptor of the worker's.
All of this uses pytest internals: if any step fails (another pytest), `prepare` returns None and
children call `pytest.main` as before.

What the child still does itself, in order: import the submission, write the tests to the workspace
(tracebacks and pytest's reports read the source from there), and only then import them, so code run
at import time never finds them on disk (as before, they are in the child's memory: see the README on
what tamper detection protects against). The rewritten code is exactly what pytest's import hook would
compile for the same source (`rewrite_asserts` with the same configuration).
"""

from __future__ import annotations

import ast
import contextlib
import importlib.abc
import importlib.util
import os
import sys
from collections import OrderedDict
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

import pytest

try:  # pytest internals (8.x): without them, `prepare` returns None and children call pytest.main
    from _pytest._code import ExceptionInfo
    from _pytest.config import _prepareconfig
    from _pytest.main import Failed, Session, _main
    from _pytest.outcomes import Exit

    INTERNALS = True
except ImportError:  # pragma: no cover - another pytest
    INTERNALS = False

TEST_MODULE = "test_hidden"
CACHED_QUESTIONS = 32
"""Compiled test modules kept per worker (a batch grades one question; the app, a few)."""


class PreparedRun:
    """One pytest configuration for a fixed workspace, and the hidden tests compiled for it."""

    def __init__(self, workspace: Path, config: pytest.Config, hooks: list[Any], plugin: Any,
                 session: pytest.Session, null_fds: tuple[int, ...]) -> None:
        self.workspace = workspace
        self.test_file = workspace / f"{TEST_MODULE}.py"
        self.config = config
        self.plugin = plugin
        """The object registered as a plugin whose `channel` the child sets (`child.Reporter`)."""
        self._hooks = hooks
        """Import hooks the configuration installed (pytest's assert rewriter): taken out of the
        worker's own imports, put back in each child."""
        self.session = session
        """Configured and started in the worker; each child collects and runs it once."""
        self.null_fds = null_fds
        """Descriptors the configuration opened on /dev/null (the child reopens them so)."""
        self._compiled: OrderedDict[str, CodeType | None] = OrderedDict()

    def compile(self, tests: str) -> CodeType | None:
        """The hidden tests with pytest's asserts rewritten, compiled (None if they do not parse: the
        child then imports the file, and pytest reports the error as it would)."""
        if tests in self._compiled:
            self._compiled.move_to_end(tests)
            return self._compiled[tests]
        from _pytest.assertion.rewrite import rewrite_asserts

        code: CodeType | None
        try:
            tree = ast.parse(tests, filename=str(self.test_file))
            rewrite_asserts(tree, tests.encode("utf-8"), str(self.test_file), self.config)
            code = compile(tree, str(self.test_file), "exec", dont_inherit=True)
        except (SyntaxError, ValueError):
            code = None
        self._compiled[tests] = code
        if len(self._compiled) > CACHED_QUESTIONS:
            self._compiled.popitem(last=False)
        return code

    def run(self, code: CodeType | None) -> int:
        """In the child, once: run the prepared session; `code` is what `compile` returned."""
        sys.meta_path[0:0] = self._hooks
        if code is not None:
            sys.meta_path.insert(0, _CompiledTests(self.test_file, code))
        os.environ["PYTEST_VERSION"] = pytest.__version__  # as pytest.main sets it
        return int(_finish(self.config, self.session))


def prepare(workspace: Path, args: Sequence[str], plugins: Sequence[Any], plugin: Any) -> PreparedRun | None:
    """Build the configuration for running `workspace/test_hidden.py` with `args` (as `pytest.main`
    would, from inside the workspace); None when this pytest cannot be prepared ahead."""
    if not INTERNALS:  # pragma: no cover - another pytest
        return None
    (workspace / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    before = list(sys.meta_path)
    try:
        with contextlib.chdir(workspace):
            config = _prepareconfig([str(workspace / f"{TEST_MODULE}.py"), *args], list(plugins))
    except Exception:  # pragma: no cover - another pytest
        sys.meta_path[:] = before
        return None
    hooks = [hook for hook in sys.meta_path if hook not in before]
    sys.meta_path[:] = before
    started = _start(config, workspace)
    if started is None:  # pragma: no cover - another pytest
        return None
    return PreparedRun(workspace, config, hooks, plugin, *started)


def _start(config: pytest.Config, workspace: Path) -> tuple[pytest.Session, tuple[int, ...]] | None:
    """`wrap_session` up to and including `pytest_sessionstart`, with the standard streams on
    /dev/null; the session and the descriptors that opened."""
    before = _open_fds()
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the terminal report's, for good
    try:
        with contextlib.chdir(workspace):
            session = Session.from_config(config)
            session.exitstatus = pytest.ExitCode.OK
            config._do_configure()
            config.hook.pytest_sessionstart(session=session)
    except Exception:  # pragma: no cover - another pytest
        return None
    finally:
        sys.stdout, sys.stderr = saved
    opened = tuple(sorted(_open_fds() - before))
    if not all(_is_devnull(fd) for fd in opened):  # pragma: no cover - a plugin opened something real
        return None
    return session, opened


def _finish(config: pytest.Config, session: pytest.Session) -> int:
    """The rest of `_pytest.main.wrap_session` (pytest 8), after `pytest_sessionstart`: collect, run,
    map how it ended to pytest's exit code, `pytest_sessionfinish`, unconfigure."""
    try:
        try:
            session.exitstatus = _main(config, session) or 0
        except pytest.UsageError:
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
        except Failed:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        except (KeyboardInterrupt, Exit):  # session.Interrupted: errors in collection, a stop
            excinfo = ExceptionInfo.from_current()
            exitstatus: int | pytest.ExitCode = pytest.ExitCode.INTERRUPTED
            if isinstance(excinfo.value, Exit) and excinfo.value.returncode is not None:
                exitstatus = excinfo.value.returncode
            config.hook.pytest_keyboard_interrupt(excinfo=excinfo)
            session.exitstatus = exitstatus
        except BaseException:
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR
            with contextlib.suppress(Exit):
                config.notify_exception(ExceptionInfo.from_current(), config.option)
    finally:
        os.chdir(session.startpath)
        with contextlib.suppress(Exit):
            config.hook.pytest_sessionfinish(session=session, exitstatus=session.exitstatus)
        config._ensure_unconfigure()
    return int(session.exitstatus)


def _open_fds() -> set[int]:
    """This process's descriptors above 2 (not counting the one `listdir` used to list them)."""
    names = os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else range(3, 1024)
    return {int(name) for name in names if int(name) > 2 and _is_open(int(name))}


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _is_devnull(fd: int) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(os.devnull))
    except OSError:
        return False


class _CompiledTests(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds the hidden test module at its file and executes the precompiled code for it."""

    def __init__(self, path: Path, code: CodeType) -> None:
        self._path = path
        self._code = code

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname != TEST_MODULE:
            return None
        return importlib.util.spec_from_file_location(fullname, self._path, loader=self)

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        exec(self._code, module.__dict__)  # the hidden tests, compiled by the worker
