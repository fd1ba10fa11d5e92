"""The report formats other graders read (CONTRACT §4): JUnit XML, Gradescope's results.json, CSV."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import xml.etree.ElementTree as ET

from quizapp.formats import row_note, to_batch_json, to_csv, to_gradescope, to_junit, to_junit_batch
from quizapp.models import GradeResult, TestResult

FAILED = GradeResult(question="mixup-batch", status="failed", passed=1, total=3, device="cpu", duration_s=0.5,
                     tests=[TestResult("lam is a float", "passed", duration_s=0.1),
                            TestResult("lam follows Beta <a&b>", "failed", "got 0.5\nexpected 0.2", duration_s=0.2),
                            TestResult("alpha <= 0 raises", "error", "TypeError: x", duration_s=0.0)],
                     likely_mistakes=["lam is fixed at 0.5"], sandbox="bwrap")
TIMEOUT = GradeResult(question="mixup-batch", status="timeout", passed=0, total=0, device="cpu", duration_s=10.0,
                      message="stopped after the time limit of 10 s while importing your code")


def test_junit_has_one_case_per_test_with_failures_and_errors() -> None:
    suite = ET.fromstring(to_junit(FAILED))
    assert suite.tag == "testsuite" and suite.get("name") == "mixup-batch"
    counts = (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped"))
    assert counts == ("3", "1", "1", "0")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["lam is a float", "lam follows Beta <a&b>", "alpha <= 0 raises"]
    assert all(c.get("classname") == "quizapp.mixup-batch" for c in cases)
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("message") == "got 0.5" and failure.text == "got 0.5\nexpected 0.2"
    assert cases[2].find("error") is not None and cases[0].find("failure") is None


def test_junit_names_a_grade_that_stopped_before_its_tests() -> None:
    suite = ET.fromstring(to_junit(TIMEOUT))
    [case] = suite.findall("testcase")
    error = case.find("error")
    assert case.get("name") == "grade" and error is not None and error.get("type") == "timeout"
    assert suite.get("errors") == "1" and "time limit" in (error.get("message") or "")


def test_gradescope_results_score_one_point_per_test() -> None:
    data = to_gradescope(FAILED)
    assert data["score"] == 1 and data["execution_time"] == 0.5
    assert "Likely mistake: lam is fixed at 0.5" in data["output"]
    assert [(t["status"], t["score"], t["max_score"]) for t in data["tests"]] == [
        ("passed", 1, 1), ("failed", 0, 1), ("failed", 0, 1)]
    assert data["tests"][1]["output"] == "got 0.5\nexpected 0.2"
    json.dumps(data)


def test_batch_formats_carry_the_file() -> None:
    rows = [("a.py", FAILED), ("b.py", TIMEOUT)]
    doc = json.loads(to_batch_json("mixup-batch", rows))
    assert doc["question"] == "mixup-batch" and [r["file"] for r in doc["results"]] == ["a.py", "b.py"]
    assert doc["results"][0]["sandbox"] == "bwrap"
    table = list(csv.reader(io.StringIO(to_csv(rows))))
    assert table[0][:4] == ["file", "status", "passed", "total"] and table[2][:2] == ["b.py", "timeout"]
    root = ET.fromstring(to_junit_batch(rows))
    assert [s.get("name") for s in root.findall("testsuite")] == ["mixup-batch:a.py", "mixup-batch:b.py"]


def test_every_row_that_did_not_pass_says_why() -> None:
    # A plain failure (no known mistake, no message of its own) once had an empty CSV message.
    plain = dataclasses.replace(FAILED, likely_mistakes=[])
    rows = [("known.py", FAILED), ("plain.py", plain), ("late.py", TIMEOUT)]
    notes = [row[6] for row in list(csv.reader(io.StringIO(to_csv(rows))))[1:]]
    assert notes == ["Likely mistake: lam is fixed at 0.5", "“lam follows Beta <a&b>”: got 0.5",
                     "stopped after the time limit of 10 s while importing your code"]
    assert row_note(dataclasses.replace(plain, status="passed", passed=3, tests=plain.tests[:1])) == ""
