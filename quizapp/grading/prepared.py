"""A pytest run prepared in the warm worker, before the fork, so that each child only runs it.

`pytest.main` spends about as long getting ready as a fast question's tests take to run: it builds
its configuration (plugins registered, the command line and the ini file parsed), then rewrites the
asserts of the test module and compiles it. None of that depends on the submission. The worker does
it once, for its one workspace (grades in a worker run one at a time, so the workspace's path can be
fixed); every child forked afterwards inherits a fresh copy of the configuration, uses it once, and
imports the hidden tests from a code object compiled once per question.

The configuration is built with `_pytest.config._prepareconfig` and run as `pytest.main` runs it:
`pytest_cmdline_main`, then `_ensure_unconfigure`. Both are pytest internals; if building fails
(another pytest), `prepare` returns None and children call `pytest.main` as before.

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

TEST_MODULE = "test_hidden"
CACHED_QUESTIONS = 32
"""Compiled test modules kept per worker (a batch grades one question; the app, a few)."""


class PreparedRun:
    """One pytest configuration for a fixed workspace, and the hidden tests compiled for it."""

    def __init__(self, workspace: Path, config: pytest.Config, hooks: list[Any], plugin: Any) -> None:
        self.workspace = workspace
        self.test_file = workspace / f"{TEST_MODULE}.py"
        self.config = config
        self.plugin = plugin
        """The object registered as a plugin whose `channel` the child sets (`child.Reporter`)."""
        self._hooks = hooks
        """Import hooks the configuration installed (pytest's assert rewriter): taken out of the
        worker's own imports, put back in each child."""
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
        config = self.config
        try:
            return int(config.hook.pytest_cmdline_main(config=config))
        except pytest.UsageError:
            return int(pytest.ExitCode.USAGE_ERROR)
        finally:
            config._ensure_unconfigure()


def prepare(workspace: Path, args: Sequence[str], plugins: Sequence[Any], plugin: Any) -> PreparedRun | None:
    """Build the configuration for running `workspace/test_hidden.py` with `args` (as `pytest.main`
    would, from inside the workspace); None when this pytest cannot be prepared ahead."""
    try:
        from _pytest.config import _prepareconfig
    except ImportError:  # pragma: no cover - another pytest
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
    return PreparedRun(workspace, config, hooks, plugin)


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
