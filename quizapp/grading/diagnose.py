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
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.grading.factory import Grades
from quizapp.models import CodeQuestion, GradeResult, TestResult
from quizapp.paths import cache_dir


@dataclass(frozen=True)
class Diagnosis:
    """A mutant whose failures match the learner's."""

    mutant: str
    diagnosis: str


SIGNATURE_VERSION = 3  # bump when `fingerprint` changes, so old caches are not compared with new ones
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_QUOTED_ADDRESS = re.compile(r" at 0x[0-9a-f]+")
_MAX_NUMBERS = 64
RELATIVE_TOLERANCE = 0.25
"""Two numbers in the same place of the same failure message agree within this relative difference:
wide enough for the sampling noise of a statistical test (another random stream, the same mistake),
narrow enough to tell a scale of std**2 (0.25) from sqrt(std) (0.71)."""
TINY = 1e-3
"""Numbers both below this in magnitude agree (p-values of a failed test, residues of zero)."""
AGREEING_TESTS = 0.75
"""A mutant is consistent with a submission when the numbers of at least this share of the failing
tests agree."""

Signature = tuple[tuple[str, str, str], ...]
"""Per hidden test, in order: (name, outcome, how it failed)."""


@dataclass(frozen=True)
class Fingerprint:
    """How a grade failed: its signature, and the numbers each failing test's message reported."""

    signature: Signature
    numbers: tuple[tuple[float, ...], ...]
    """Per failing test, in order: the numbers of its message (the first few dozen)."""
    stable: tuple[bool, ...] | None = None
    """Per failing test: whether its numbers agreed (`_close`) in two grades of the same source. A
    test that shows unseeded random data (the worst element of a random tensor) reports other numbers
    every time: they are no evidence; a statistic over many draws varies only by its noise. None when
    graded once: every test counts."""

    def to_json(self) -> dict[str, Any]:
        return {"signature": [list(t) for t in self.signature], "numbers": [list(n) for n in self.numbers],
                "stable": None if self.stable is None else list(self.stable)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fingerprint:
        stable = data.get("stable")
        return cls(tuple((str(a), str(b), str(c)) for a, b, c in data["signature"]),
                   tuple(tuple(float(x) for x in n) for n in data["numbers"]),
                   None if stable is None else tuple(bool(x) for x in stable))

    def repeated(self, again: Fingerprint) -> Fingerprint:
        """This fingerprint, knowing which tests reported the same numbers in a second grade `again`."""
        if again.signature != self.signature:  # the failures themselves vary: the numbers are no evidence
            return Fingerprint(self.signature, self.numbers, tuple(False for _ in self.numbers))
        return Fingerprint(self.signature, self.numbers, tuple(
            len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
            for a, b in zip(self.numbers, again.numbers, strict=True)))


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


def _numbers(text: str) -> tuple[float, ...]:
    out = []
    for match in _NUMBER.finditer(_QUOTED_ADDRESS.sub("", text)):
        with contextlib.suppress(ValueError, OverflowError):
            out.append(float(match.group()))
        if len(out) >= _MAX_NUMBERS:
            break
    return tuple(out)


def fingerprint(result: GradeResult) -> Fingerprint:
    """`result`'s signature and the numbers its failing tests reported."""
    return Fingerprint(signature(result), tuple(_numbers(t.message) for t in result.tests
                                                if t.outcome not in ("passed", "skipped")))


def _close(a: float, b: float) -> bool:
    big = max(abs(a), abs(b))
    return a == b or big < TINY or abs(a - b) <= RELATIVE_TOLERANCE * big


def agreement(mine: Fingerprint, known: Fingerprint) -> float:
    """The share of the failing tests whose numbers agree between a submission and a known mistake,
    over the tests whose numbers the known mistake reproduces (1.0 when there are none: no evidence)."""
    pairs = [(x, y) for i, (x, y) in enumerate(zip(mine.numbers, known.numbers, strict=False))
             if known.stable is None or known.stable[i]]
    if not pairs:
        return 1.0
    agreeing = sum(len(x) == len(y) and all(_close(p, q) for p, q in zip(x, y, strict=True)) for x, y in pairs)
    return agreeing / len(pairs)


def mutant_fingerprints(question: CodeQuestion, grader: Grades,
                        graded: dict[str, GradeResult] | None = None) -> dict[str, Fingerprint]:
    """Each mutant's fingerprint, from the disk cache or by grading each mutant twice now (the second
    grade tells which tests' numbers are reproducible). `graded` holds first grades already made
    (validate has them), so only the second is needed."""
    path = cache_dir() / "mutant-signatures" / f"{question.id}-{_key(question)}.json"
    with _lock_for(path):  # `quizapp batch` workers failing at once grade the mutants once, not per worker
        return _load_or_grade(path, question, grader, graded or {})


_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(path: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path, threading.Lock())


def _load_or_grade(path: Path, question: CodeQuestion, grader: Grades,
                   graded: dict[str, GradeResult]) -> dict[str, Fingerprint]:
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        return {k: Fingerprint.from_json(v) for k, v in json.loads(path.read_text()).items()}
    prints: dict[str, Fingerprint] = {}
    for mutant in question.mutants:
        try:
            source = question.mutant_source(mutant)
        except (ValueError, OSError):
            continue
        result = graded.get(mutant.name) or grader.grade(question, source)
        if result.status != "failed":  # passed, cancelled, timed out: nothing to match against
            continue
        prints[mutant.name] = fingerprint(result).repeated(fingerprint(grader.grade(question, source)))
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({k: v.to_json() for k, v in prints.items()}))
        tmp.replace(path)
    return prints


def diagnose(question: CodeQuestion, result: GradeResult, prints: dict[str, Fingerprint]) -> list[Diagnosis]:
    """The known mistakes `result` is evidence of, best first; none when the evidence is not clear.

    A mutant is a candidate only when it fails exactly as `result` does, test by test (the
    signature). Among candidates, the numbers the failing tests reported decide: a candidate whose
    numbers disagree on more than a quarter of those tests made another mistake that happens to fail
    the same checks (scaling by sqrt(std) and by std**2 both fail "the noise has std `std`"). Of the
    consistent candidates, the one that agrees best is named alone when no other agrees as well;
    otherwise all of them are ("one of")."""
    if result.status != "failed" or not result.tests:
        return []
    by_name = {m.name: m for m in question.mutants}
    return [Diagnosis(n, by_name[n].diagnosis) for n in best_matches(fingerprint(result), prints) if n in by_name]


def best_matches(mine: Fingerprint, prints: dict[str, Fingerprint]) -> list[str]:
    """The names in `prints` that `diagnose` would give for a failure with fingerprint `mine`."""
    scored = [(agreement(mine, p), n) for n, p in prints.items() if p.signature == mine.signature]
    consistent = [(score, n) for score, n in scored if score >= AGREEING_TESTS]
    if not consistent:
        return []
    best = max(score for score, _ in consistent)
    return [n for score, n in consistent if score == best]


def likely_mistakes(question: CodeQuestion, result: GradeResult, grader: Grades) -> list[str]:
    """The diagnoses of the known mistakes that fail like `result` (grading the mutants the first
    time for this version of the question, so it may take a few seconds; then it is cached)."""
    if result.status != "failed" or not question.mutants:
        return []
    return [d.diagnosis for d in diagnose(question, result, mutant_fingerprints(question, grader))]
