"""The pytest run a warm worker prepares before forking (`quizapp.grading.prepared`): that it is
prepared at all with the pytest installed (else every grade silently pays for a cold pytest.main),
what it compiles, and how the worker empties the one folder it grades in."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.grading import zygote

PREPARE = """
import json, os, sys
from pathlib import Path
os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
from quizapp.grading import child
before = list(sys.meta_path)
ready = child.prepare(Path(sys.argv[1]))
tests = "def test_one():\\n    x = 1\\n    assert x == 2\\n"
code = ready.compile(tests) if ready else None
print(json.dumps({
    "ready": ready is not None,
    "ini": (Path(sys.argv[1]) / "pytest.ini").is_file(),
    "cached": code is not None and ready.compile(tests) is code,
    "rewritten": code is not None and "@pytest_ar" in code.co_names,
    "unparsable": ready.compile("def broken(:\\n") if ready else "n/a",
    "worker_imports_untouched": sys.meta_path == before,
    "session_started": ready is not None and ready.session.exitstatus == 0 and ready.config._configured,
    "holds_only_devnull": ready is not None and len(ready.null_fds) > 0 and all(
        os.readlink(f"/proc/self/fd/{fd}") == os.devnull for fd in ready.null_fds),
    "streams_restored": sys.stdout is sys.__stdout__ and sys.stderr is sys.__stderr__,
}))
"""


def test_the_installed_pytest_is_prepared_ahead_and_the_tests_compiled_once(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-c", PREPARE, str(tmp_path)], capture_output=True, text=True,
                         timeout=300, check=True)
    facts = json.loads(out.stdout.strip().splitlines()[-1])
    assert facts == {"ready": True, "ini": True, "cached": True, "rewritten": True, "unparsable": None,
                     "worker_imports_untouched": True, "session_started": True, "holds_only_devnull": True,
                     "streams_restored": True}


BOTH_WAYS = """
import json, os, re, sys, tempfile
from pathlib import Path
os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
from quizapp import load_bank
from quizapp.grading import child, zygote
question = load_bank(Path(sys.argv[1]))["double"]
zygote.warm_up()
workspace = Path(tempfile.mkdtemp())
ready = child.prepare(workspace)
control = zygote.LineReader(os.pipe()[0])
graded = {}
for way, prepared in (("prepared", ready), ("pytest.main", None)):
    for name, source in (("model", "def double(x):\\n    return 2 * x\\n"),
                         ("wrong", "def double(x):\\n    return 3 * x\\n"),
                         ("starter", question.starter)):
        request = {"op": "grade", "id": 1, "source": source, "tests": question.tests,
                   "entry_points": list(question.entry_points), "timeout_s": 60, "memory_mb": 2048,
                   "devices": "cpu", "seed_offset": 0}
        out = zygote.supervise(request, control, workspace, prepared)
        graded.setdefault(name, {})[way] = [out["status"], out["passed"], out["total"], [  # digits: random data
            (t["name"], t["outcome"], re.sub("[0-9.-]+", "#", t["message"])) for t in out["tests"]]]
print(json.dumps(graded))
"""


def test_the_prepared_run_grades_as_a_cold_pytest_main_does(tmp_path: Path) -> None:
    # The fallback (another pytest) must stay right, and the prepared run must not drift from it.
    bank = Path(__file__).parent / "bank" / "questions"
    out = subprocess.run([sys.executable, "-c", BOTH_WAYS, str(bank)], capture_output=True, text=True,
                         timeout=300, check=True)
    graded = json.loads(out.stdout.strip().splitlines()[-1])
    for name, ways in graded.items():
        assert ways["prepared"] == ways["pytest.main"], name
    assert [graded[n]["prepared"][:3] for n in ("model", "wrong", "starter")] == [
        ["passed", 2, 2], ["failed", 0, 2], ["failed", 0, 2]]


def test_emptying_the_folder_moves_aside_what_cannot_be_removed(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = tmp_path / "grade"
    (workspace / "locked").mkdir(parents=True)
    (workspace / "locked" / "answers.txt").write_text("42")
    zygote.empty_workspace(workspace)
    assert workspace.is_dir() and not any(workspace.iterdir())
    (workspace / "stuck.txt").write_text("x")
    monkeypatch.setattr(zygote.shutil, "rmtree", lambda *a, **k: None)  # as for a folder made unreadable
    zygote.empty_workspace(workspace)
    assert workspace.is_dir() and not any(workspace.iterdir())
    [aside] = tmp_path.glob("quizapp-left-*")
    assert (aside / "stuck.txt").read_text() == "x"
