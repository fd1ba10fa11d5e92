"""Golden outcomes of the real grader: each submission gets the status (and message) it deserves,
quickly, with nothing left running."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from quizapp import Grader, load_bank
from quizapp.models import CodeQuestion, GradeResult

BANK = Path(__file__).parent / "bank" / "questions"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def question() -> CodeQuestion:
    q = load_bank(BANK)["double"]
    assert isinstance(q, CodeQuestion)
    return q


@pytest.fixture(scope="module")
def grader() -> Iterator[Grader]:
    with Grader(device="cpu") as g:
        yield g


def grade(grader: Grader, question: CodeQuestion, source: str) -> GradeResult:
    """Grade, and check that nothing is left running. (How fast each outcome comes back is not asserted
    here: a hang is caught by pytest-timeout, and speed lives in benchmarks/.)"""
    result = grader.grade(question, source)
    assert not _grading_children(grader), "the grader left processes running"
    return result


def _printed(output: str, tag: str) -> list[list[str]]:
    """The fields after `tag` on each line a submission printed as `TAG field ...`."""
    return [line.split()[1:] for line in output.splitlines() if line.split()[:1] == [tag]]


def _grading_children(grader: Grader) -> list[psutil.Process]:
    """Descendants of the warm worker (it should have none between grades)."""
    proc = grader._proc
    assert proc is not None
    return psutil.Process(proc.pid).children(recursive=True)


def test_model_answer_passes(grader: Grader, question: CodeQuestion) -> None:
    result = grade(grader, question, "def double(x):\n    print('hello')\n    return 2 * x\n")
    assert result.status == "passed" and result.passed == result.total == 2
    assert [t.name for t in result.tests] == ["doubles every element", "doubles a large tensor"]
    assert all(t.output.strip() == "hello" for t in result.tests), "per-test output is captured"


def test_wrong_answer_fails_with_a_tensor_diff(grader: Grader, question: CodeQuestion) -> None:
    result = grade(grader, question, "def double(x):\n    return 3 * x\n")
    assert result.status == "failed" and result.passed == 0
    assert "worst at index [3]: got 9, expected 6" in result.tests[0].message
    assert "tolerance" in result.tests[0].message


def test_starter_fails_naming_the_line(grader: Grader, question: CodeQuestion) -> None:
    result = grade(grader, question, question.starter)
    assert result.status == "failed"
    assert result.tests[0].message.startswith("NotImplementedError")
    assert "line 2" in result.tests[0].message


def test_syntax_error_has_line_and_caret(grader: Grader, question: CodeQuestion) -> None:
    result = grade(grader, question, "def double(x)\n    return x\n")
    assert result.status == "error" and result.line == 1
    assert result.message.startswith("SyntaxError:") and result.line == 1 and "line" not in result.message
    assert result.message.rstrip().endswith("^")


def test_missing_function_is_named(grader: Grader, question: CodeQuestion) -> None:
    result = grade(grader, question, "def triple(x):\n    return 3 * x\n")
    assert result.status == "error"
    assert "missing function double" in result.message and "triple" in result.message


def test_import_error_is_reported(grader: Grader, question: CodeQuestion) -> None:
    result = grade(grader, question, "import not_a_module_anywhere\ndef double(x):\n    return 2 * x\n")
    assert result.status == "error"
    assert "ModuleNotFoundError" in result.message and "line 1" in result.message


def test_forbidden_api_is_rejected_before_running(grader: Grader, question: CodeQuestion) -> None:
    q = question.model_copy(update={"forbidden": ["torch.mul", "kwarg:alpha"]})
    result = grade(grader, q, "import torch as t\n\ndef double(x):\n    return t.mul(x, 2)\n")
    assert result.status == "error" and result.line == 4
    assert "forbidden API: torch.mul;" in result.message and result.line == 4
    kw = grade(grader, q, "import torch\ndef double(x):\n    return torch.add(x, x, alpha=1)\n")
    assert kw.status == "error" and "alpha=" in kw.message


def test_timeout_is_stopped(grader: Grader, question: CodeQuestion) -> None:
    result = grade(grader, question, "def double(x):\n    while True:\n        pass\n")
    assert result.status == "timeout"
    assert "time limit of 4 s" in result.message and "doubles every element" in result.message
    assert result.tests[1].message.startswith("not run")


def test_memory_limit_is_enforced(grader: Grader, question: CodeQuestion) -> None:
    result = grade(grader, question, "import torch\nkeep = []\ndef double(x):\n    while True:\n"
                                     "        keep.append(torch.ones(25_000_000))\n")
    assert result.status == "memory"
    assert "1024 MiB" in result.message


def test_memory_of_children_counts(grader: Grader, question: CodeQuestion) -> None:
    source = ("import subprocess, sys\ndef double(x):\n"
              "    subprocess.run([sys.executable, '-c', 'b = bytearray(1500 * 2**20); import time; "
              "time.sleep(30)'])\n    return 2 * x\n")
    result = grade(grader, question, source)
    assert result.status == "memory"


def test_a_worker_killed_mid_grade_leaves_no_submission_on_disk(question: CodeQuestion) -> None:
    with Grader(device="cpu") as own:
        own.start()
        workspace = Path(own._hello["workspace"])
        assert workspace.is_dir()
        proc = own._proc
        assert proc is not None
        killer = threading.Timer(1.0, os.kill, (proc.pid, signal.SIGKILL))
        killer.start()
        result = own.grade(question, "import time\ndef double(x):\n    time.sleep(30)\n    return 2 * x\n")
        killer.join()
    assert result.status == "error" and "stopped answering" in result.message
    assert not workspace.exists(), "the submission the dead worker was grading stayed on disk"


def test_segfault_is_a_crash(grader: Grader, question: CodeQuestion) -> None:
    result = grade(grader, question, "import ctypes\ndef double(x):\n    return ctypes.string_at(0)\n")
    assert result.status == "crashed" and "SIGSEGV" in result.message


def test_abort_is_a_crash(grader: Grader, question: CodeQuestion) -> None:
    result = grade(grader, question, "import os\ndef double(x):\n    os.abort()\n")
    assert result.status == "crashed" and "SIGABRT" in result.message


@pytest.mark.parametrize("code, fragment", [
    ("import sys\nsys.exit(3)\n", "sys.exit(3)"),
    ("raise SystemExit\n", "sys.exit(None)"),
    ("raise KeyboardInterrupt\n", "KeyboardInterrupt"),
    ("import os\nos._exit(4)\n", "exit code 4"),
])
def test_exit_at_import_is_an_error(grader: Grader, question: CodeQuestion, code: str, fragment: str) -> None:
    result = grade(grader, question, code)
    assert result.status == "error" and fragment in result.message
    assert "import" in result.message


@pytest.mark.parametrize("body, fragment", [
    ("import sys\n    sys.exit(0)", "sys.exit(0)"),
    ("raise KeyboardInterrupt", "KeyboardInterrupt"),
    ("raise SystemExit(3)", "sys.exit(3)"),
    ("raise GeneratorExit", "GeneratorExit"),
    ("class Stop(BaseException): pass\n    raise Stop", "Stop"),
    ("import pytest\n    pytest.exit('bye')", "pytest.exit('bye')"),
    ("import os\n    os._exit(5)", "exit code 5"),
])
def test_exit_in_a_test_is_an_error(grader: Grader, question: CodeQuestion, body: str, fragment: str) -> None:
    result = grade(grader, question, f"def double(x):\n    {body}\n")
    assert result.status == "error" and result.passed == 0
    assert fragment in result.message and "“doubles every element”" in result.message
    assert all(t.outcome == "error" for t in result.tests)


# The same hidden tests, but the submission is first called by a module-scoped fixture during setup:
# pytest lets a KeyboardInterrupt raised there end the whole session.
FIXTURE_TESTS = """
import pytest
import torch
from submission import double
from quizapp.testing import assert_close


@pytest.fixture(scope="module")
def doubled():
    return double(torch.arange(4.0))


def test_values(doubled):
    \"\"\"doubles every element\"\"\"
    assert_close(doubled, 2 * torch.arange(4.0))


def test_big():
    \"\"\"doubles a large tensor\"\"\"
    x = torch.randn(64, 64)
    assert_close(double(x), x * 2)
"""


@pytest.mark.parametrize("body, fragment", [
    ("raise KeyboardInterrupt", "KeyboardInterrupt"),
    ("raise SystemExit(2)", "sys.exit(2)"),
    ("raise GeneratorExit", "GeneratorExit"),
])
def test_exit_in_a_fixture_is_an_error(grader: Grader, question: CodeQuestion, body: str, fragment: str) -> None:
    with_fixture = question.model_copy(update={"tests": FIXTURE_TESTS})
    result = grade(grader, with_fixture, f"def double(x):\n    {body}\n")
    assert result.status == "error" and result.passed == 0
    assert fragment in result.message and "“doubles every element”" in result.message
    assert [t.outcome for t in result.tests] == ["error", "error"]
    assert "not run" not in " ".join(t.message for t in result.tests)


def test_exit_in_a_later_test_keeps_the_earlier_results_and_is_an_error(grader: Grader,
                                                                      question: CodeQuestion) -> None:
    source = "def double(x):\n    if x.numel() > 100:\n        raise KeyboardInterrupt\n    return 2 * x\n"
    result = grade(grader, question, source)
    assert result.status == "error" and "KeyboardInterrupt" in result.message
    assert "“doubles a large tensor”" in result.message
    assert [t.outcome for t in result.tests] == ["passed", "error"]


def test_control_characters_reach_no_consumer_raw(grader: Grader, question: CodeQuestion) -> None:
    source = ("import sys\nprint('\\x1b]0;TITLE\\x07\\x9b2J at import')\ndef double(x):\n"
              "    print('\\x1b[2J\\x1bP+q\\x1b\\\\ 1 failed\\rpassed\\x08\\x08')\n"
              "    if x.numel() > 100:\n        raise ValueError('\\x1b]0;T\\x1b\\\\ bad')\n    return 3 * x\n")
    result = grade(grader, question, source)
    assert result.status == "failed"
    text = "".join([result.message, result.output, *(t.message + t.output + t.name for t in result.tests)])
    assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in text), repr(text)
    assert "␛]0;TITLE␇␛[2J at import" in result.output
    assert "␛[2J␛P+q␛\\ 1 failed␍passed␈␈" in result.tests[0].output
    assert "ValueError: ␛]0;T␛\\ bad" in result.tests[1].message


def test_stdout_flood_is_capped(grader: Grader, question: CodeQuestion) -> None:
    source = ("import os, sys\ndef double(x):\n    for _ in range(100_000):\n        print('x' * 100)\n"
              "    os.write(1, b'\\x1b[31my' * 200_000)\n    return 2 * x\n")
    result = grade(grader, question, source)
    assert result.status == "passed"
    assert len(result.tests[0].output) < 5000 and "more characters not shown" in result.tests[0].output
    assert len(result.output) < 10_000 and "more bytes not shown" in result.output


def test_fake_results_printed_do_not_count(grader: Grader, question: CodeQuestion) -> None:
    source = ('import json\ndef double(x):\n    print(json.dumps({"type": "result", "outcome": "passed", '
              '"status": "passed"}))\n    return x\n')
    result = grade(grader, question, source)
    assert result.status == "failed" and result.passed == 0


def test_junk_on_the_private_channel_is_a_protocol_error(grader: Grader, question: CodeQuestion) -> None:
    source = ("import os\nfor fd in range(3, 1024):\n    try:\n        os.write(fd, b'{\"junk\": 1}\\n')\n"
              "    except OSError:\n        pass\ndef double(x):\n    return 2 * x\n")
    result = grade(grader, question, source)
    assert result.status == "error" and "private result channel" in result.message


def test_the_submission_holds_no_descriptor_of_the_workers(grader: Grader, question: CodeQuestion) -> None:
    # Besides its standard streams and the private result channel, a child has only what the prepared
    # pytest run opened, each reopened on /dev/null: never the worker's stderr or control pipes.
    source = ("import os\nfor fd in sorted(map(int, os.listdir('/proc/self/fd'))):\n    try:\n"
              "        print('FD', fd, os.readlink(f'/proc/self/fd/{fd}'))\n    except OSError:\n        pass\n"
              "def double(x):\n    return 2 * x\n")
    result = grade(grader, question, source)
    assert result.status == "passed"
    held = dict(fields[:2] for fields in _printed(result.output, "FD"))
    others = {fd: target for fd, target in held.items() if int(fd) > 2 and target != "/dev/null"}
    assert len(others) == 1 and int(next(iter(others))) >= 600, held  # the result channel alone


def test_every_submission_draws_fresh_random_numbers(grader: Grader, question: CodeQuestion) -> None:
    # Children are forked from one worker: without a fresh seed each, every grade would see the same
    # "random" draws (torch, random and numpy alike).
    source = ("import random, numpy, torch\nprint('DRAW', torch.rand(1).item(), random.random(), "
              "numpy.random.rand())\ndef double(x):\n    return 2 * x\n")
    draws = [_printed(grade(grader, question, source).output, "DRAW")[0] for _ in range(3)]
    for generator in zip(*draws, strict=True):
        assert len(set(generator)) == 3, draws


@pytest.mark.parametrize("patch", [
    "import torch\ntorch.allclose = lambda *a, **k: True",
    "import torch.testing\ntorch.testing.assert_close = lambda *a, **k: None",
    "import quizapp.testing\nquizapp.testing.assert_close = lambda *a, **k: None",
])
def test_patched_comparisons_are_tampering(grader: Grader, question: CodeQuestion, patch: str) -> None:
    result = grade(grader, question, f"{patch}\ndef double(x):\n    return x\n")
    assert result.status == "error" and "replaced" in result.message


def test_patching_during_a_test_is_tampering(grader: Grader, question: CodeQuestion) -> None:
    source = ("import torch\ndef double(x):\n    torch.equal = lambda *a: True\n    return 2 * x\n")
    result = grade(grader, question, source)
    assert result.status == "error" and "torch.equal" in result.tests[0].message


def test_lying_tensor_subclass_is_rejected(grader: Grader, question: CodeQuestion) -> None:
    source = ("import torch\nclass Liar(torch.Tensor):\n    def __eq__(self, other):\n        return True\n"
              "def double(x):\n    return x.as_subclass(Liar)\n")
    result = grade(grader, question, source)
    assert result.status == "failed" and "subclass Liar" in result.tests[0].message


def test_torch_function_object_is_rejected(grader: Grader, question: CodeQuestion) -> None:
    source = ("class Fake:\n    @classmethod\n    def __torch_function__(cls, *a, **k):\n        return True\n"
              "def double(x):\n    return Fake()\n")
    result = grade(grader, question, source)
    assert result.status == "failed" and "__torch_function__" in result.tests[0].message


def test_orphan_in_a_new_session_is_killed(grader: Grader, question: CodeQuestion, tmp_path: Path) -> None:
    pid_file = tmp_path / "orphan.pid"
    source = ("import subprocess\ndef double(x):\n"
              "    p = subprocess.Popen(['sleep', '300'], start_new_session=True)\n"
              f"    open({str(pid_file)!r}, 'w').write(str(p.pid))\n    return 2 * x\n")
    result = grade(grader, question, source)
    assert result.status == "passed"
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 60  # a hang guard, not a speed goal
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, f"orphan {pid} is still running"
        time.sleep(0.05)


def test_double_fork_daemon_is_killed(grader: Grader, question: CodeQuestion, tmp_path: Path) -> None:
    pid_file = tmp_path / "daemon.pid"
    source = ("import os, time\ndef double(x):\n    if os.fork() == 0:\n        os.setsid()\n"
              "        if os.fork() == 0:\n"
              f"            open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
              "            time.sleep(300)\n        os._exit(0)\n    time.sleep(0.3)\n    return 2 * x\n")
    grade(grader, question, source)
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 60  # a hang guard, not a speed goal
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, f"daemon {pid} is still running"
        time.sleep(0.05)


def test_environment_is_scrubbed_and_stdin_closed(grader: Grader, question: CodeQuestion,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    os.environ["QUIZAPP_SECRET_FOR_TEST"] = "leak"  # the worker started earlier; check the child's env
    try:
        source = ("import os, sys\ndef double(x):\n    assert 'QUIZAPP_SECRET_FOR_TEST' not in os.environ\n"
                  "    assert sys.stdin.read() == ''\n    assert os.getcwd() == os.environ['HOME']\n"
                  "    return 2 * x\n")
        assert grade(grader, question, source).status == "passed"
    finally:
        del os.environ["QUIZAPP_SECRET_FOR_TEST"]


def test_cancel_stops_a_running_grade(grader: Grader, question: CodeQuestion) -> None:
    import threading

    timer = threading.Timer(0.5, grader.cancel)
    timer.start()
    result = grade(grader, question, "import time\ndef double(x):\n    time.sleep(60)\n")
    assert result.status == "error" and result.message == "cancelled"


def test_examples_are_graded_separately(grader: Grader, question: CodeQuestion) -> None:
    result = grader.grade(question, "def double(x):\n    return 2 * x\n", examples=True)
    assert result.status == "passed" and [t.name for t in result.tests] == ["doubles a small tensor"]


def test_worker_restarts_after_being_killed(question: CodeQuestion) -> None:
    with Grader(device="cpu") as g:
        proc = g._proc
        assert proc is not None
        proc.kill()
        proc.wait()
        result = g.grade(question, "def double(x):\n    return 2 * x\n")
        assert result.status in ("passed", "error")
        if result.status == "error":  # the first grade notices the dead worker; the next one works
            assert "restarted" in result.message
            assert g.grade(question, "def double(x):\n    return 2 * x\n").status == "passed"


def test_unrun_tests_start_as_not_run(grader: Grader, question: CodeQuestion) -> None:
    result = grade(grader, question, "import os\ndef double(x):\n    os._exit(0)\n")
    assert result.passed == 0 and result.status == "error"
    assert all(t.outcome != "passed" for t in result.tests)


def test_each_child_gets_fresh_randomness(grader: Grader, question: CodeQuestion, tmp_path: Path) -> None:
    out = tmp_path / "draws.txt"
    source = (f"import torch\ndef double(x):\n    open({str(out)!r}, 'a').write(f'{{torch.rand(1).item()}}\\n')\n"
              "    return 2 * x\n")
    grade(grader, question, source)
    grade(grader, question, source)
    draws = out.read_text().split()
    assert len(set(draws)) == len(draws), "children forked from one worker must not share RNG state"


def test_failure_matching_a_mutant_names_the_likely_mistake(grader: Grader, question: CodeQuestion) -> None:
    result = grader.grade(question, "def double(x):\n    return x * 3\n", diagnose=True)
    assert result.status == "failed"
    assert result.likely_mistakes == ["Multiplies by three."]
    other = grader.grade(question, "def double(x):\n    return x + x + x\n", diagnose=True)
    assert other.likely_mistakes == ["Multiplies by three."], "same failures, same numbers: same diagnosis"
    identity = grader.grade(question, "def double(x):\n    return x.clone()\n", diagnose=True)
    assert identity.likely_mistakes == [], "same failing checks, other numbers: not that mistake"
    partial = grader.grade(question, "import torch\ndef double(x):\n    return 2 * x if x.numel() < 10 else x\n",
                           diagnose=True)
    assert partial.likely_mistakes == [], "a different failure pattern is not blamed on the mutant"


@pytest.mark.parametrize("body", ["raise NotImplementedError", "return None", "raise RuntimeError('x')",
                                  "return x.tolist()", "return 3 * x.double()"])
def test_a_failure_no_mutant_produces_gets_no_diagnosis(grader: Grader, question: CodeQuestion, body: str) -> None:
    """Same failing tests as the `triple` mutant, but another kind of failure (an exception, another
    assertion): naming "Multiplies by three" would mislead."""
    result = grader.grade(question, f"def double(x):\n    {body}\n", diagnose=True)
    assert result.status == "failed" and result.passed == 0
    assert result.likely_mistakes == []


def test_seed_offset_shifts_every_seeded_block(grader: Grader, question: CodeQuestion, tmp_path: Path) -> None:
    out = tmp_path / "seeded.txt"
    tests = ("import torch\nfrom quizapp.testing import seeded\n\ndef test_draw():\n    '''draws'''\n"
             f"    with seeded(7):\n        open({str(out)!r}, 'a').write(f'{{torch.rand(1).item()}}\\n')\n")
    q = question.model_copy(update={"tests": tests})
    for offset in (0, 0, 1000):
        assert grader.grade(q, "def double(x):\n    return 2 * x\n", seed_offset=offset).status == "passed"
    first, again, shifted = out.read_text().split()
    assert first == again, "the same offset reproduces the same draws"
    assert shifted != first, "another offset gives other draws"


def test_author_message_is_shown_without_pytest_introspection(grader: Grader, question: CodeQuestion) -> None:
    tests = ("from submission import double\n\ndef test_msg():\n    '''msg'''\n"
             "    assert double(1) == 2, 'double(1) must be 2'\n\ndef test_plain():\n    '''plain'''\n"
             "    assert double(1) == 2\n")
    q = question.model_copy(update={"tests": tests})
    result = grader.grade(q, "def double(x):\n    return 3 * x\n")
    assert result.tests[0].message == "double(1) must be 2"
    assert result.tests[1].message.startswith("assert 3 == 2")


def test_a_bare_assert_reads_as_the_check_not_as_pytest_introspection(grader: Grader, question: CodeQuestion) -> None:
    """visible examples written as plain `assert torch.equal(...)` fail with the check quoted, not with
    `+  where False = <built-in method equal of type object at 0x…>` (the bank's own examples use
    quizapp.testing, and `validate` requires it, but an author's draft or a course's tests may not)"""
    bare = ('import torch\nfrom submission import double\n\n\ndef test_small():\n    """doubles a small tensor"""\n'
            '    assert torch.equal(double(torch.ones(2)), torch.full((2,), 2.0))\n')
    result = grader.grade(question.model_copy(update={"examples": bare}), "def double(x):\n    return x * 3\n",
                          examples=True)
    [test] = result.tests
    assert test.outcome == "failed"
    assert test.message == "this check failed: torch.equal(double(torch.ones(2)), torch.full((2,), 2.0))"


def test_nothing_one_submission_leaves_in_its_folder_reaches_the_next(grader: Grader, question: CodeQuestion) -> None:
    """the worker grades every submission in the same folder (its pytest run is prepared for that
    path): what one writes there is gone before the next is imported, and the tests of another
    question compiled meanwhile do not stand in for these"""
    litter = ("import os\nos.makedirs('cache/deep', exist_ok=True)\nopen('cache/deep/answers.txt', 'w').write('42')\n"
              "open('notes.txt', 'w').write('from the first one')\n\ndef double(x):\n    return 2 * x\n")
    assert grade(grader, question, litter).status == "passed"
    other = question.model_copy(update={"tests": "from submission import double\n\ndef test_other():\n"
                                                 "    '''another question'''\n    assert double(2) == 4\n"})
    assert [t.name for t in grade(grader, other, litter).tests] == ["another question"]
    look = ("import os\nSEEN = sorted(set(os.listdir('.')) - {'submission.py', 'pytest.ini', 'test_hidden.py'})\n\n"
            "def double(x):\n    assert not SEEN, f'left by an earlier submission: {SEEN}'\n    return 2 * x\n")
    result = grade(grader, question, look)
    assert result.status == "passed", result.tests[0].message
    assert [t.name for t in result.tests] == ["doubles every element", "doubles a large tensor"]
