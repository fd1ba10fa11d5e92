"""The sandbox (CONTRACT §4): a submission cannot see the bank, the model answers, the home folder,
other processes or the network, and what it writes is gone; results are the same with and without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp import Grader, load_bank
from quizapp.grading.sandbox import probe
from quizapp.models import CodeQuestion
from quizapp.paths import BUNDLED_BANK, solutions_dir

# Skipped only where the machine cannot run one (no bwrap, user namespaces refused); any other failure
# to start the sandbox is a bug and fails here.
_NO_SANDBOX = probe()[0].name != "bwrap" and ("not installed" in probe()[1] or "namespaces" in probe()[1])
pytestmark = [pytest.mark.slow, pytest.mark.skipif(_NO_SANDBOX, reason=f"no sandbox here: {probe()[1]}")]


def test_the_sandbox_starts_where_bwrap_and_namespaces_are_available() -> None:
    assert probe()[0].name == "bwrap", probe()[1]

BANK = load_bank()
CHECKOUT = Path(__file__).resolve().parents[2]  # holds .git, tests/, README.md
SPY = '''import glob, os, socket
def double(x):
    raise RuntimeError("SPY " + repr({{
        "solutions": glob.glob({solutions!r} + "/*.py")[:1],
        "bank": glob.glob({bank!r} + "/*"),
        "home": glob.glob({home!r} + "/*")[:1],
        "checkout": sorted(os.listdir({checkout!r})) if os.path.isdir({checkout!r}) else [],
        "pids": len([p for p in os.listdir("/proc") if p.isdigit()]),
        "net": _net(),
    }}))
def _net():
    try:
        socket.create_connection(("10.255.255.1", 9), timeout=0.5)
        return "connected"
    except OSError as exc:
        return exc.errno
'''


@pytest.fixture(scope="module")
def sandboxed() -> Iterator[Grader]:
    with Grader(device="cpu", sandbox="on") as g:
        yield g


def _double() -> CodeQuestion:
    q = load_bank(Path(__file__).parent / "bank" / "questions")["double"]
    assert isinstance(q, CodeQuestion)
    return q


def test_a_sandboxed_submission_sees_nothing_it_should_not(sandboxed: Grader) -> None:
    source = SPY.format(solutions=str(solutions_dir(BUNDLED_BANK)), bank=str(BUNDLED_BANK),
                        home=str(Path.home()), checkout=str(CHECKOUT))
    result = sandboxed.grade(_double(), source)
    assert result.sandbox == "bwrap"
    spied = eval(result.tests[0].message.split("SPY ", 1)[1].rsplit(" (in your code", 1)[0])
    assert spied["solutions"] == [] and spied["bank"] == [] and spied["home"] == []
    # The folder quizapp runs from shows only what was bound in (the package, a virtualenv kept
    # there): not its .git (`git show HEAD:solutions/...` would hand over every answer) nor tests/.
    assert set(spied["checkout"]) <= {"quizapp", ".venv"}, spied["checkout"]
    assert spied["pids"] <= 4, "the worker's own pid namespace: it, the child, nothing of the machine"
    assert spied["net"] != "connected"


def test_what_a_sandboxed_submission_writes_is_gone(sandboxed: Grader, tmp_path: Path) -> None:
    target = tmp_path / "left-behind.txt"
    source = (f"def double(x):\n    open({str(target)!r}, 'w').write('x')\n    return 2 * x\n")
    result = sandboxed.grade(_double(), source)
    assert not target.exists(), "the sandbox's view of the system is read-only"
    assert result.status in ("failed", "passed")


@pytest.mark.parametrize("qid", ["mixup-batch", "dropout", "adamw-update", "early-stopping"])
def test_results_are_the_same_with_and_without_the_sandbox(sandboxed: Grader, qid: str) -> None:
    q = BANK[qid]
    assert isinstance(q, CodeQuestion)
    sources = [q.solution_source(), *(q.mutant_source(m) for m in q.mutants), *(a.source for a in q.alternates)]
    with Grader(device="cpu", sandbox="off") as plain:
        for source in sources:
            inside, outside = sandboxed.grade(q, source), plain.grade(q, source)
            assert (inside.status, inside.passed, inside.total) == (outside.status, outside.passed, outside.total)
            assert inside.sandbox == "bwrap" and outside.sandbox == "none"


def test_grade_json_says_which_sandbox_ran(tmp_path: Path) -> None:
    good = tmp_path / "s.py"
    good.write_text((solutions_dir(BUNDLED_BANK) / "soft-threshold.py").read_text())
    for flag, name in (("on", "bwrap"), ("off", "none"), ("auto", "bwrap")):
        proc = subprocess.run([sys.executable, "-m", "quizapp", "grade", "soft-threshold", str(good), "--json",
                               "--sandbox", flag], capture_output=True, text=True, timeout=300,
                              env={**os.environ, "QUIZAPP_HOME": str(tmp_path / "h")})
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["sandbox"] == name
