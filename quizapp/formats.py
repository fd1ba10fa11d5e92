"""Grades in the formats other graders read: JUnit XML (CI systems) and Gradescope's results.json.

Both take `GradeResult`s as `Grader` returns them, so their text is already safe to print
(`quizapp.grading.sanitize`); XML escaping is `xml.etree`'s. Shapes are fixed in CONTRACT §4.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

from quizapp.models import GradeResult

STOPPED = ("timeout", "memory", "crashed", "error")
"""Statuses that can end a grade before (or instead of) its tests."""


def _suite(result: GradeResult, name: str) -> ET.Element:
    failures = sum(t.outcome == "failed" for t in result.tests)
    errors = sum(t.outcome == "error" for t in result.tests)
    skipped = sum(t.outcome == "skipped" for t in result.tests)
    stopped = result.status in STOPPED and (not result.tests or result.message)
    suite = ET.Element("testsuite", name=name, tests=str(len(result.tests) + (1 if stopped else 0)),
                       failures=str(failures), errors=str(errors + (1 if stopped else 0)), skipped=str(skipped),
                       time=f"{result.duration_s:.3f}")
    for test in result.tests:
        case = ET.SubElement(suite, "testcase", classname=f"quizapp.{result.question}", name=test.name,
                             time=f"{test.duration_s:.3f}")
        if test.outcome == "failed":
            ET.SubElement(case, "failure", message=test.message.splitlines()[0] if test.message else "failed").text = \
                test.message
        elif test.outcome == "error":
            ET.SubElement(case, "error", message=test.message.splitlines()[0] if test.message else "error").text = \
                test.message
        elif test.outcome == "skipped":
            ET.SubElement(case, "skipped", message=test.message)
        if test.output:
            ET.SubElement(case, "system-out").text = test.output
    if stopped:
        case = ET.SubElement(suite, "testcase", classname=f"quizapp.{result.question}", name="grade", time="0.000")
        ET.SubElement(case, "error", type=result.status, message=result.message.splitlines()[0] if result.message
                      else result.status).text = result.message
    return suite


def to_junit(result: GradeResult) -> str:
    """One `<testsuite>` for one grade (CONTRACT §4)."""
    return ET.tostring(_suite(result, result.question), encoding="unicode", xml_declaration=True) + "\n"


def to_junit_batch(results: Iterable[tuple[str, GradeResult]]) -> str:
    """A `<testsuites>` document with one suite per graded file, named `ID:FILE`."""
    root = ET.Element("testsuites")
    for file, result in results:
        root.append(_suite(result, f"{result.question}:{file}"))
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def to_gradescope(result: GradeResult) -> dict[str, Any]:
    """The `results.json` object Gradescope's autograder reads (CONTRACT §4): one point per test."""
    output = result.message or f"{result.passed}/{result.total} hidden tests passed"
    if result.likely_mistakes:
        output += "\nLikely mistake: " + "; or ".join(result.likely_mistakes)
    return {"score": result.passed, "execution_time": round(result.duration_s, 3), "output": output,
            "tests": [{"name": t.name, "status": "passed" if t.outcome == "passed" else "failed",
                       "score": 1 if t.outcome == "passed" else 0, "max_score": 1, "output": t.message}
                      for t in result.tests]}


def row_note(result: GradeResult) -> str:
    """One line on why a file got its status, for a batch's table and CSV: the likely mistake, else
    the grade's own message, else (a plain failure) the first failing test and what it said."""
    if result.likely_mistakes:
        return "Likely mistake: " + "; or ".join(result.likely_mistakes)
    if result.message:
        return result.message.splitlines()[0]
    failing = next((t for t in result.tests if t.outcome not in ("passed", "skipped")), None)
    if failing is None:
        return ""
    said = failing.message.splitlines()[0] if failing.message else failing.outcome
    return f"“{failing.name}”: {said}"


def to_csv(rows: Iterable[tuple[str, GradeResult]]) -> str:
    """One line per graded file: file, status, passed, total, duration, sandbox, and `row_note`."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["file", "status", "passed", "total", "duration_s", "sandbox", "message"])
    for file, r in rows:
        writer.writerow([file, r.status, r.passed, r.total, f"{r.duration_s:.3f}", r.sandbox, row_note(r)])
    return buf.getvalue()


def to_batch_json(question: str, rows: Iterable[tuple[str, GradeResult]]) -> str:
    """`{"question": ID, "results": [...]}`, each result a `grade --json` object with a `file` (CONTRACT §1)."""
    return json.dumps({"question": question, "results": [{**r.to_json(), "file": f} for f, r in rows]})
