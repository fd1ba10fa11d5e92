"""The command line: output shapes, exit codes, and one-line errors (never a traceback)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.cli import main

BANK = Path(__file__).parent.parent / "grading" / "bank" / "questions"
BROKEN = Path(__file__).parent / "broken"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quizapp", *args], capture_output=True, text=True, timeout=120)


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--json", "--bank", str(BANK)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [{"id": "double", "title": "Double a tensor", "kind": "code", "topic": "demo",
                     "difficulty": "easy", "tags": ["demo"], "bug_hunt": False}]


def test_list_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--json", "--bank", str(BANK), "--kind", "choice"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["list", "--json", "--bank", str(BANK), "--tag", "demo"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_show_prints_prompt_signature_and_starter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "double", "--bank", str(BANK)]) == 0
    out = capsys.readouterr().out
    assert "Double a tensor" in out and "double(x: Tensor) -> Tensor" in out and "NotImplementedError" in out


def test_answer_prints_solution_and_explanation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["answer", "double", "--bank", str(BANK)]) == 0
    out = capsys.readouterr().out
    assert "return 2 * x" in out and "Multiplication by a scalar broadcasts" in out


def test_unknown_id_is_a_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "doubel", "--bank", str(BANK)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown question id 'doubel'" in err


def test_broken_bank_names_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--bank", str(BROKEN)]) == 2
    err = capsys.readouterr().err
    assert "missing-title.yaml:2:1: title: required field is missing" in err
    assert "Traceback" not in err


def test_grade_unreadable_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["grade", "double", str(tmp_path / "nope.py"), "--bank", str(BANK)]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["grade", "batch"])
@pytest.mark.parametrize("timeout", ["0", "-1", "nan", "inf", "1e300"])
def test_a_timeout_that_is_no_deadline_is_a_one_line_usage_error(command: str, timeout: str, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # inf and 1e300 once overflowed the grader's clock (a traceback); NaN compared false to everything.
    submission = tmp_path / "s.py"
    submission.write_text("def double(x):\n    return 2 * x\n")
    assert main([command, "double", str(submission), "--timeout", timeout, "--bank", str(BANK)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--timeout must be a number of seconds above 0" in err, err


def test_schema_is_json_with_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"CodeQuestion", "ChoiceQuestion", "ShortQuestion"} <= set(schema["$defs"])
    assert schema["$defs"]["CodeQuestion"]["properties"]["hints"]["description"].startswith("Ordered hints")


@pytest.mark.slow
def test_grade_json_pass_and_fail(tmp_path: Path) -> None:
    good = tmp_path / "good.py"
    good.write_text("def double(x):\n    return 2 * x\n")
    proc = run("grade", "double", str(good), "--bank", str(BANK), "--json", "--device", "cpu")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["status"] == "passed" and data["passed"] == data["total"] == 2 and data["device"] == "cpu"
    assert set(data) >= {"question", "status", "passed", "total", "device", "duration_s", "tests"}
    assert set(data["tests"][0]) >= {"name", "outcome", "message"}
    bad = tmp_path / "bad.py"
    bad.write_text("def double(x):\n    print('{\"status\": \"passed\"}' * 1000)\n    return x\n")
    proc = run("grade", "double", str(bad), "--bank", str(BANK), "--json")
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["status"] == "failed"


@pytest.mark.slow
def test_grade_json_parses_even_when_the_submission_floods_stdout(tmp_path: Path) -> None:
    flood = tmp_path / "flood.py"
    flood.write_text("import os\nos.write(1, b'}{' * 500000)\ndef double(x):\n    print('x' * 10**6)\n"
                     "    return 2 * x\n")
    proc = run("grade", "double", str(flood), "--bank", str(BANK), "--json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["status"] == "passed"


@pytest.mark.slow
def test_grade_cuda_without_cuda_is_a_usage_error(tmp_path: Path) -> None:
    good = tmp_path / "good.py"
    good.write_text("def double(x):\n    return 2 * x\n")
    proc = run("grade", "double", str(good), "--bank", str(BANK), "--device", "cuda")
    probe = subprocess.run([sys.executable, "-c", "import torch; print(torch.cuda.is_available())"],
                           capture_output=True, text=True)
    if probe.stdout.strip() == "True":
        assert proc.returncode == 0
    else:
        assert proc.returncode == 2 and "CUDA is not available" in proc.stderr


@pytest.mark.slow
def test_validate_reports_figures_and_mutants(tmp_path: Path) -> None:
    proc = run("validate", str(BANK), "--runs", "2", "-v")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok   double" in proc.stdout and "mutants 1/1 killed" in proc.stdout
    assert "alternates 1/1 passed" in proc.stdout and "stable 2/2" in proc.stdout
    assert "mutant triple: killed by “doubles every element”, “doubles a large tensor”" in proc.stdout


@pytest.mark.slow
def test_validate_fails_on_a_surviving_mutant(tmp_path: Path) -> None:
    shutil_copy_bank(tmp_path)
    q = tmp_path / "questions" / "demo" / "double.yaml"
    q.write_text(q.read_text().replace('new: "3 * x"', 'new: "x * 2"'))
    proc = run("validate", str(tmp_path / "questions"), "--runs", "1")
    assert proc.returncode == 1
    assert "mutant triple survives" in proc.stdout


@pytest.mark.slow
def test_validate_finds_orphan_solutions(tmp_path: Path) -> None:
    shutil_copy_bank(tmp_path)
    (tmp_path / "solutions" / "ghost.py").write_text("")
    proc = run("validate", "--bank", str(tmp_path / "questions"), "--runs", "1")
    assert proc.returncode == 1 and "orphan solution file" in proc.stdout


@pytest.mark.slow
def test_validate_accepts_a_question_id_and_names_what_is_missing() -> None:
    proc = run("validate", "--bank", str(BANK), "double", "no-such-question", "--runs", "1")
    assert proc.returncode == 1
    assert "ok   double" in proc.stdout
    assert f"no-such-question: no such file (nor a question id in {BANK})" in proc.stdout


def shutil_copy_bank(dest: Path) -> None:
    import shutil

    shutil.copytree(BANK.parent, dest, dirs_exist_ok=True)


@pytest.mark.slow
def test_validate_rejects_a_mutant_that_does_not_import(tmp_path: Path) -> None:
    shutil_copy_bank(tmp_path)
    q = tmp_path / "questions" / "demo" / "double.yaml"
    q.write_text(q.read_text().replace('new: "3 * x"', 'new: "3 * x)"'))
    proc = run("validate", str(tmp_path / "questions"), "--runs", "1")
    assert proc.returncode == 1
    assert "mutant triple does not even import" in proc.stdout


def test_new_scaffolds_files_that_load_and_point_at_the_schema(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from quizapp.bank import load_question

    bank = tmp_path / "questions"
    assert main(["new", "my-q", "--kind", "code", "--topic", "demo", "--bank", str(bank)]) == 0
    path = bank / "demo" / "my-q.yaml"
    first = path.read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=file://") and first.endswith("question.schema.json")
    assert load_question(path).id == "my-q"
    assert (tmp_path / "solutions" / "my-q.py").is_file()
    assert main(["new", "my-q", "--bank", str(bank)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_new_links_the_repository_schema_relatively_and_keeps_comments_out_of_the_prompt(tmp_path: Path) -> None:
    from quizapp.bank import load_question

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "question.schema.json").write_text("{}")
    bank = tmp_path / "questions"
    assert main(["new", "my-q", "--kind", "code", "--topic", "demo", "--bank", str(bank)]) == 0
    path = bank / "demo" / "my-q.yaml"
    assert path.read_text().splitlines()[0] == "# yaml-language-server: $schema=../../docs/question.schema.json"
    assert load_question(path).prompt == "TODO the question.\n"


HOSTILE = {
    "segfault": ("import ctypes\ndef double(x):\n    return ctypes.string_at(0)\n", 1, "crashed"),
    "exit in a test": ("import sys\ndef double(x):\n    sys.exit(0)\n", 1, "error"),
    "exit at import": ("import os\nos._exit(3)\n", 1, "error"),
    "fake results": ("import sys\nprint('{\"status\": \"passed\", \"passed\": 2, \"total\": 2}')\n"
                     "sys.stderr.write('PASSED\\n')\ndef double(x):\n    return x\n", 1, "failed"),
    "syntax error": ("def double(x)\n", 1, "error"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(HOSTILE))
def test_grade_json_parses_for_hostile_submissions(name: str, tmp_path: Path) -> None:
    source, code, status = HOSTILE[name]
    path = tmp_path / "hostile.py"
    path.write_text(source)
    proc = run("grade", "double", str(path), "--bank", str(BANK), "--json")
    assert proc.returncode == code
    data = json.loads(proc.stdout)
    assert data["status"] == status and data["question"] == "double"


@pytest.mark.parametrize("columns", ["80", "160"])
def test_list_table_keeps_every_id_whole_on_one_line(columns: str) -> None:
    from quizapp.bank import load_bank

    proc = subprocess.run([sys.executable, "-m", "quizapp", "list"], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "COLUMNS": columns})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(len(line) for line in lines) <= int(columns)
    first_cells = {line.split("│")[0].strip() for line in lines if "│" in line}
    assert set(load_bank()) <= first_cells


def test_bank_may_come_before_or_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--bank", str(BANK), "list", "--json"], ["list", "--json", "--bank", str(BANK)]):
        assert main(argv) == 0
        assert [row["id"] for row in json.loads(capsys.readouterr().out)] == ["double"]


@pytest.mark.slow
def test_grade_shows_a_submissions_control_characters_instead_of_obeying_them(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.py"
    hostile.write_text("print('\\x1b]0;TITLE\\x07\\x1b[2J\\r\\x08\\x9b31m')\n"
                       "def double(x):\n    print('\\x1bP+q\\x1b\\\\ 1 failed\\rall passed')\n    return 3 * x\n")
    as_json = run("grade", "double", str(hostile), "--bank", str(BANK), "--json")
    as_text = run("grade", "double", str(hostile), "--bank", str(BANK))
    assert as_json.returncode == as_text.returncode == 1

    def raw_controls(text: str) -> list[str]:
        return [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]

    strings: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)

    collect(json.loads(as_json.stdout))
    assert raw_controls("".join(strings)) == []
    assert "␛]0;TITLE␇␛[2J␍␈␛[31m" in "".join(strings)
    assert raw_controls(as_text.stdout) == [] and "␛P+q␛\\ 1 failed␍all passed" in as_text.stdout


def test_validate_watch_watches_the_solutions_of_the_bank_it_checks(tmp_path: Path) -> None:
    from quizapp.cli.author import watched_paths
    from quizapp.paths import BUNDLED_BANK

    solutions = BUNDLED_BANK.resolve().parent / "solutions"
    question = next(BUNDLED_BANK.glob("dropout/dropout.yaml"))
    for paths in ([BUNDLED_BANK], [BUNDLED_BANK / "dropout"], [question]):
        assert watched_paths(paths) == [*paths, solutions]
    other = tmp_path / "bank" / "topic"
    other.mkdir(parents=True)
    (other / "q.yaml").write_text("id: q\n")
    (tmp_path / "solutions").mkdir()
    assert watched_paths([other / "q.yaml"]) == [other / "q.yaml", (tmp_path / "solutions").resolve()]


def test_one_broken_question_file_is_skipped_with_a_warning(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """As the app does: the other questions still list and show; the broken one is named on stderr,
    and asking for it is the error (exit 2)."""
    bank = tmp_path / "questions"
    shutil.copytree(BANK, bank)
    (bank / "demo" / "broken.yaml").write_text("format_version: 1\nid: broken\nkind: code\ntitle: [unclosed\n")
    assert main(["list", "--json", "--bank", str(bank)]) == 0
    captured = capsys.readouterr()
    assert "double" in {row["id"] for row in json.loads(captured.out)}
    [warning] = captured.err.splitlines()
    assert warning.startswith("quizapp: warning: skipped ") and "broken.yaml:" in warning
    assert main(["show", "double", "--bank", str(bank)]) == 0
    capsys.readouterr()
    assert main(["show", "broken", "--bank", str(bank)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("quizapp: error: ") and "broken.yaml:" in err and "warning" not in err


def test_show_and_answer_wrap_code_instead_of_cropping_it() -> None:
    """at 60 columns every line of the model answer is still there, wrapped, none cut off"""
    from quizapp.paths import BUNDLED_BANK, solutions_dir

    narrow = subprocess.run([sys.executable, "-m", "quizapp", "answer", "cutmix-batch"], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "COLUMNS": "60"})
    assert narrow.returncode == 0
    solution = (solutions_dir(BUNDLED_BANK) / "cutmix-batch.py").read_text()
    longest = max(solution.splitlines(), key=len).strip()
    flat = "".join(line.strip("│ ").strip() for line in narrow.stdout.splitlines())
    assert longest.replace(" ", "") in flat.replace(" ", ""), "a long line of the model answer was cut"
