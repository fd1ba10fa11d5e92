""""Likely mistake" never misleads on the bank: generic failures get no diagnosis, every mutant gets its
own, and the hand-written wrong answers in tests/fixtures/diagnosis/ get no wrong one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.slow


@pytest.mark.timeout(3600)  # every mutant of every code question, graded twice: minutes on a slow machine
def test_the_diagnosis_corpus_has_no_wrong_diagnosis() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "diagnosis_corpus.py"), "--json"],
                          capture_output=True, text=True, timeout=3500)
    assert proc.stdout.strip(), proc.stderr
    report = json.loads(proc.stdout)
    total = report["total"]
    print({k: v for k, v in total.items() if k != "wrong"})
    assert total["wrong"] == [], "\n".join(total["wrong"])
    assert total["generic"] >= 3 * 13 and total["generic_diagnosed"] == 0
    # A mutant whose failures are themselves random (a fresh random u on every call) may fail other
    # tests on another grade: allow 1 in 50 to miss its own diagnosis, and name them.
    assert total["mutants_self"] + total["mutants_self_in_tie"] >= 0.98 * total["mutants"], total["missed"]
    assert total["realistic"] >= 100 and total["realistic_wrong"] == 0
    assert total["realistic_correct"] >= 30, "the corpus's diagnosable mistakes must still be named"
    assert proc.returncode == 0
