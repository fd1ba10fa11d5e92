"""An installed quizapp (a wheel, not the checkout) carries the whole bank and grades from any folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.bank import load_bank

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the checkout, installed without dependencies into a fresh folder."""
    wheels = tmp_path_factory.mktemp("wheels")
    target = tmp_path_factory.mktemp("target")
    # From a clean copy: setuptools reuses build/, where a module moved or deleted since would linger.
    source = tmp_path_factory.mktemp("source") / "quizapp"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "tests"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels), str(source)], check=True, timeout=600)
    [wheel] = wheels.glob("quizapp-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True, timeout=600)
    return target


def _quizapp(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(installed), "QUIZAPP_HOME": str(cwd / "home")}
    return subprocess.run([sys.executable, "-m", "quizapp", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_installed_package_is_the_one_that_runs(installed: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    out = subprocess.run([sys.executable, "-c", "import quizapp.paths as p; print(p.__file__); print(p.BUNDLED_BANK)"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    module, bank = out.stdout.split()
    assert Path(module).is_relative_to(installed) and Path(bank).is_relative_to(installed)


def test_an_installed_quizapp_lists_grades_and_answers_from_another_folder(installed: Path, tmp_path: Path) -> None:
    listed = _quizapp(installed, tmp_path, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert {row["id"] for row in json.loads(listed.stdout)} == set(load_bank(ROOT / "questions"))
    answer = _quizapp(installed, tmp_path, "answer", "dropout")
    assert answer.returncode == 0 and "def dropout" in answer.stdout, answer.stderr
    mine = tmp_path / "mine.py"
    mine.write_text((ROOT / "solutions" / "soft-threshold.py").read_text())
    graded = _quizapp(installed, tmp_path, "grade", "soft-threshold", str(mine), "--json")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert json.loads(graded.stdout)["status"] == "passed"
    checked = _quizapp(installed, tmp_path, "validate", "soft-threshold", "--runs", "1")
    assert checked.returncode == 0, checked.stdout + checked.stderr
