"""Name the likely mistake behind a failed grade by matching it against the question's mutants.

Each mutant is a known mistake with a one-line diagnosis. Its *signature* is how it fails: for
every hidden test, the outcome and the kind of failure (an assertion, with the first line of its
message with the numbers masked, or the type of exception raised, and whether the learner's code
raised it). A mutant is named only when a submission fails in exactly the same way on every test:
a wrong diagnosis is worse than none, so a starter that raises `NotImplementedError`, a function
that returns None, or any failure no mutant produces gets no diagnosis. When several mutants fail
identically, all are returned and the reader is told it is one of them.

Signatures are computed by grading the mutants once per version of the question, and cached on disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass

from quizapp.grading.factory import Grades
from quizapp.models import CodeQuestion, GradeResult, TestResult
from quizapp.paths import cache_dir


@dataclass(frozen=True)
class Diagnosis:
    """A mutant whose failures match the learner's."""

    mutant: str
    diagnosis: str


SIGNATURE_VERSION = 2  # bump when `signature` changes, so old caches are not compared with new ones
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_QUOTED_ADDRESS = re.compile(r" at 0x[0-9a-f]+")

Signature = tuple[tuple[str, str, str], ...]
"""Per hidden test, in order: (name, outcome, how it failed)."""


def _key(question: CodeQuestion) -> str:
    digest = hashlib.sha256(f"v{SIGNATURE_VERSION}\0".encode())
    digest.update(question.tests.encode())
    for mutant in question.mutants:
        with contextlib.suppress(ValueError, OSError):
            digest.update(mutant.name.encode() + b"\0" + question.mutant_source(mutant).encode() + b"\0")
    return digest.hexdigest()[:32]


def _how(test: TestResult) -> str:
    """How one test failed: the failure kind, plus the masked first line of an assertion's message."""
    if test.outcome in ("passed", "skipped"):
        return ""
    lines = test.message.strip().splitlines()
    first = lines[0] if lines else ""
    if test.failure == "AssertionError":
        return "assert: " + _NUMBER.sub("#", _QUOTED_ADDRESS.sub("", first))
    return test.failure or "error: " + _NUMBER.sub("#", first)


def signature(result: GradeResult) -> Signature:
    """How `result` failed, test by test (or only its status, when no test ran)."""
    if not result.tests:
        return (("", result.status, ""),)
    return tuple((t.name, t.outcome, _how(t)) for t in result.tests)


def mutant_signatures(question: CodeQuestion, grader: Grades) -> dict[str, Signature]:
    """Each mutant's signature, from the disk cache or by grading the mutants now."""
    path = cache_dir() / "mutant-signatures" / f"{question.id}-{_key(question)}.json"
    with contextlib.suppress(OSError, ValueError, TypeError):
        cached = json.loads(path.read_text())
        return {k: tuple((str(a), str(b), str(c)) for a, b, c in v) for k, v in cached.items()}
    signatures: dict[str, Signature] = {}
    for mutant in question.mutants:
        try:
            source = question.mutant_source(mutant)
        except (ValueError, OSError):
            continue
        result = grader.grade(question, source)
        if result.status != "failed":  # passed, cancelled, timed out: no signature to match against
            continue
        signatures[mutant.name] = signature(result)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({k: [list(t) for t in v] for k, v in signatures.items()}))
        tmp.replace(path)
    return signatures


def diagnose(question: CodeQuestion, result: GradeResult, signatures: dict[str, Signature]) -> list[Diagnosis]:
    """The mutants that fail exactly as `result` does, test by test (none when nothing matches)."""
    if result.status != "failed" or not result.tests:
        return []
    mine = signature(result)
    by_name = {m.name: m for m in question.mutants}
    return [Diagnosis(n, by_name[n].diagnosis) for n, s in signatures.items() if s == mine and n in by_name]


def likely_mistakes(question: CodeQuestion, result: GradeResult, grader: Grades) -> list[str]:
    """The diagnoses of the known mistakes that fail like `result` (grading the mutants the first
    time for this version of the question, so it may take a few seconds; then it is cached)."""
    if result.status != "failed" or not question.mutants:
        return []
    return [d.diagnosis for d in diagnose(question, result, mutant_signatures(question, grader))]
