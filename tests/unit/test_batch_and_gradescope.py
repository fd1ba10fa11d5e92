"""`quizapp batch` grades folders of submissions; `quizapp gradescope` builds an autograder that runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from quizapp.paths import BUNDLED_BANK, solutions_dir

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
GOOD = (solutions_dir(BUNDLED_BANK) / "soft-threshold.py").read_text()
WRONG = "import torch\ndef soft_threshold(w, threshold):\n    return w * (w.abs() > threshold)\n"  # hard thresholding


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quizapp", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "QUIZAPP_HOME": str(cwd / "home"), **(env or {})})


def test_batch_grades_a_folder_in_order_with_the_documented_exit_codes(tmp_path: Path) -> None:
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "ada.py").write_text(GOOD)
    (tmp_path / "class" / "bob.py").write_text(WRONG)
    (tmp_path / "class" / "notes.txt").write_text("not a submission")
    (tmp_path / "class" / "late").mkdir()
    (tmp_path / "class" / "late" / "cy.py").write_text(GOOD)  # only with -r
    proc = _run("batch", "soft-threshold", "class", "--jobs", "2", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["question"] == "soft-threshold"
    assert [(Path(r["file"]).name, r["status"]) for r in doc["results"]] == [("ada.py", "passed"), ("bob.py", "failed")]
    assert all("sandbox" in r and "tests" in r for r in doc["results"])
    deep = _run("batch", "soft-threshold", "class", "-r", "--format", "json", cwd=tmp_path)
    assert [Path(r["file"]).name for r in json.loads(deep.stdout)["results"]] == ["ada.py", "bob.py", "cy.py"]
    only_good = _run("batch", "soft-threshold", "class/ada.py", "--format", "csv", cwd=tmp_path)
    assert only_good.returncode == 0 and only_good.stdout.splitlines()[1].startswith("class/ada.py,passed,")
    assert _run("batch", "soft-threshold", "missing", cwd=tmp_path).returncode == 2
    assert _run("batch", "no-such-question", "class", cwd=tmp_path).returncode == 2


def test_the_gradescope_zip_grades_a_submission_into_results_json(tmp_path: Path) -> None:
    proc = _run("gradescope", "soft-threshold", "-o", str(tmp_path / "ag.zip"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    root = tmp_path / "autograder"
    with zipfile.ZipFile(tmp_path / "ag.zip") as zf:
        names = zf.namelist()
        zf.extractall(root / "source")
    assert {"setup.sh", "run_autograder", "questions/sparsity/soft-threshold.yaml"} <= set(names)
    assert not any("_bundled" in n or n.startswith("solutions") for n in names), "no model answers shipped"
    (root / "submission").mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python3 = bin_dir / "python3"  # Gradescope's python3 is the one setup.sh installed into
    python3.write_text(f"#!/bin/sh\nexec {sys.executable} \"$@\"\n")
    python3.chmod(0o755)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "PATH": f"{bin_dir}:{os.environ['PATH']}",
           "QUIZAPP_HOME": str(tmp_path / "home")}
    from quizapp import load_bank

    question = load_bank()["soft-threshold"]
    mutant = question.mutant_source(question.mutants[0])  # type: ignore[union-attr]
    scores = {}
    for label, source in (("model", GOOD), ("mutant", mutant)):
        (root / "submission" / "answer.py").write_text(source)
        run = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True,
                             text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        results = json.loads((root / "results" / "results.json").read_text())
        assert {t["max_score"] for t in results["tests"]} == {1}
        assert all(t["status"] in ("passed", "failed") for t in results["tests"])
        scores[label] = (results["score"], len(results["tests"]))
    assert scores["model"][0] == scores["model"][1] > 0, "the model answer gets every point"
    assert scores["mutant"][0] < scores["mutant"][1], "the mutant does not"
    (root / "submission" / "answer.py").write_bytes(b"\xff\xfe")  # the student is told why it got 0
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, timeout=600, check=True)
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and "exit 2" in results["output"] and "utf-8" in results["output"], results
    assert sorted(p.name for p in (root / "results").iterdir()) == ["results.json"]


def test_setup_sh_passes_every_requirement_whole_to_pip(tmp_path: Path) -> None:
    # Unquoted, `numpy>=1.24` is `numpy` with its output redirected to a file named `=1.24`.
    from quizapp.cli.gradescope import DEPENDENCIES

    assert _run("gradescope", "soft-threshold", "-o", str(tmp_path / "ag.zip"), cwd=tmp_path).returncode == 0
    with zipfile.ZipFile(tmp_path / "ag.zip") as zf:
        setup = zf.read("setup.sh").decode()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("python3", "apt-get"):  # stand-ins that record their arguments, one per line
        (bin_dir / name).write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" >> {tmp_path / 'args'}\necho ---"
                                    f" >> {tmp_path / 'args'}\n")
        (bin_dir / name).chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    subprocess.run(["bash", "-c", setup], cwd=work, env={**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"},
                   check=True, timeout=60)
    calls = [c.strip().splitlines() for c in (tmp_path / "args").read_text().split("---") if c.strip()]
    assert ["-m", "pip", "install", *DEPENDENCIES] in calls, calls
    assert not any(work.iterdir()), "nothing redirected into stray files"
    with open(ROOT / "pyproject.toml", "rb") as f:
        declared = tomllib.load(f)["project"]["dependencies"]
    assert sorted(DEPENDENCIES) == sorted(d.split(";")[0].strip() for d in declared if not d.startswith("torch"))
