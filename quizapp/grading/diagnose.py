"""Name the likely mistake behind a failed grade by matching it against the question's mutants.

Each mutant is a known mistake with a one-line diagnosis. The set of hidden tests a mutant fails is
its *signature*; a learner whose submission fails the same tests most likely made the same mistake.
Signatures are computed by grading the mutants once per version of the question, and cached on disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from quizapp.models import CodeQuestion, GradeResult


class _Grades(Protocol):
    def grade(self, question: CodeQuestion, source: str) -> GradeResult: ...


@dataclass(frozen=True)
class Diagnosis:
    """A mutant whose failures match the learner's."""

    mutant: str
    diagnosis: str
    exact: bool
    """The same tests fail (not just most of them)."""


def cache_dir() -> Path:
    """`$QUIZAPP_HOME/cache`, else the platform's user cache folder."""
    home = os.environ.get("QUIZAPP_HOME")
    if home:
        return Path(home) / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("quizapp"))


def _key(question: CodeQuestion) -> str:
    digest = hashlib.sha256()
    digest.update(question.tests.encode())
    for mutant in question.mutants:
        with contextlib.suppress(ValueError, OSError):
            digest.update(mutant.name.encode() + b"\0" + question.mutant_source(mutant).encode() + b"\0")
    return digest.hexdigest()[:32]


def signature(result: GradeResult) -> frozenset[str]:
    """The names of the tests that did not pass (or the status, when nothing ran)."""
    failed = frozenset(t.name for t in result.tests if t.outcome != "passed")
    return failed or frozenset({f"<{result.status}>"})


def mutant_signatures(question: CodeQuestion, grader: _Grades) -> dict[str, frozenset[str]]:
    """Each mutant's signature, from the disk cache or by grading the mutants now."""
    path = cache_dir() / "mutant-signatures" / f"{question.id}-{_key(question)}.json"
    with contextlib.suppress(OSError, ValueError, TypeError):
        return {k: frozenset(v) for k, v in json.loads(path.read_text()).items()}
    signatures: dict[str, frozenset[str]] = {}
    for mutant in question.mutants:
        try:
            source = question.mutant_source(mutant)
        except (ValueError, OSError):
            continue
        result = grader.grade(question, source)
        if result.status in ("passed",) or result.message == "cancelled":
            continue
        signatures[mutant.name] = signature(result)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({k: sorted(v) for k, v in signatures.items()}))
        tmp.replace(path)
    return signatures


def diagnose(question: CodeQuestion, result: GradeResult,
             signatures: dict[str, frozenset[str]]) -> list[Diagnosis]:
    """Mutants that fail exactly the learner's tests; else the closest ones (Jaccard >= 0.6)."""
    if result.ok or result.status in ("timeout", "memory", "crashed") or not result.tests:
        return []
    mine = signature(result)
    by_name = {m.name: m for m in question.mutants}
    exact = [Diagnosis(n, by_name[n].diagnosis, True) for n, s in signatures.items() if s == mine]
    if exact:
        return exact
    scored = sorted(((len(s & mine) / len(s | mine), n) for n, s in signatures.items()), reverse=True)
    if not scored or scored[0][0] < 0.6:
        return []
    best = scored[0][0]
    return [Diagnosis(n, by_name[n].diagnosis, False) for score, n in scored if score == best]


def likely_mistakes(question: CodeQuestion, result: GradeResult, grader: _Grades) -> list[str]:
    """The diagnoses of the known mistakes that fail like `result` (grading the mutants the first
    time for this version of the question, so it may take a few seconds; then it is cached)."""
    if result.status != "failed" or not question.mutants:
        return []
    return [d.diagnosis for d in diagnose(question, result, mutant_signatures(question, grader))]
