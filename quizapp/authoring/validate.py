"""`quizapp validate`: prove each question sound, the way `rustlings dev check` does.

Per question: the schema; for code questions, the model solution passes every hidden test (on each
available device) and the visible examples; the starter fails; every mutant fails at least one hidden
test (and which); no generic failure (the starter, returning None, raising) fails like a mutant, so
none is ever given a diagnosis; every alternate passes; the model passes N consecutive runs (no
flakes). Across the bank: ids unique, no orphan solution files.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.bank import BankError, load_question, question_files
from quizapp.grading import Grader
from quizapp.grading.diagnose import Fingerprint, best_matches, diagnose, mutant_fingerprints
from quizapp.models import AnyQuestion, ChoiceQuestion, CodeQuestion, GradeResult, bank_root_of
from quizapp.paths import solutions_dir


@dataclass
class QuestionReport:
    """What validation found for one question file."""

    path: Path
    question_id: str = ""
    problems: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def _failures(result: GradeResult) -> str:
    if result.status in ("error", "timeout", "memory", "crashed") and result.message:
        return f"{result.status}: {result.message.splitlines()[0]}"
    bad = [t for t in result.tests if t.outcome != "passed"]
    shown = "; ".join(f"“{t.name}”: {t.message.splitlines()[0] if t.message else t.outcome}" for t in bad[:3])
    more = f" (+{len(bad) - 3} more)" if len(bad) > 3 else ""
    return f"{result.status} {result.passed}/{result.total}: {shown}{more}"


def _test_docstrings(source: str, label: str) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test") \
                and not ast.get_docstring(node):
            problems.append(f"{label}: {node.name} has no docstring (its first line is the name learners see)")
    return problems


def unfinished(q: AnyQuestion) -> list[str]:
    """Fields that still hold a scaffold's TODO."""
    data = q.model_dump(exclude={"source_path"})
    found = []

    def walk(value: object, where: str) -> None:
        if isinstance(value, str) and "TODO" in value:
            found.append(where)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{where}.{k}" if where else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{where}[{i}]")

    walk(data, "")
    return [f"unfinished: {where} still says TODO" for where in found]


RAW_COMPARISONS = frozenset({"allclose", "equal", "assert_close", "approx"})
"""torch.allclose, torch.equal, torch.testing.assert_close, pytest.approx: quizapp.testing has helpers."""


def raw_assertions(examples: str) -> list[str]:
    """What in the visible examples would fail with pytest's introspection instead of a sentence.

    `assert torch.allclose(a, b)` fails as `+ where False = <built-in method allclose ...>`; an
    assert's own message, or `quizapp.testing.assert_close`, says what was expected.
    """
    out = []
    for node in ast.walk(ast.parse(examples)):
        if isinstance(node, ast.Assert) and node.msg is None:
            out.append(f"examples: line {node.lineno}: give the assert a message saying what was expected")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in RAW_COMPARISONS:
            out.append(f"examples: line {node.lineno}: {ast.unparse(node.func)} fails without a sentence; "
                       "use quizapp.testing's assert_close / assert_equal")
    return out


def validate_code(q: CodeQuestion, grader: Grader, devices: list[str], runs: int) -> QuestionReport:
    """Every grading check for one code question."""
    report = QuestionReport(Path(q.source_path or q.id), q.id)
    if not 2 <= len(q.hints) <= 3:
        report.problems.append(f"hints: {len(q.hints)} given; give 2 or 3, in order "
                               "(the concept, the approach, the tricky detail)")
    for label, src in (("tests", q.tests), ("examples", q.examples)):
        try:
            report.problems += _test_docstrings(src, label)
            if label == "examples":
                report.problems += raw_assertions(src)
        except SyntaxError as exc:
            report.problems.append(f"{label}: syntax error at line {exc.lineno}: {exc.msg}")
    if report.problems:
        return report
    path = q.solution_path()
    if not path.is_file():
        report.problems.append(f"model solution {path} is missing")
        return report
    solution = q.solution_source()
    if "TODO" in solution:
        report.problems.append(f"unfinished: {path.name} still says TODO")
        return report
    for device in devices:
        g = grader if device == grader.device else Grader(device=device)  # type: ignore[arg-type]
        try:
            result = g.grade(q, solution)
            if not result.ok:
                report.problems.append(f"model solution fails the hidden tests on {device}: {_failures(result)}")
            else:
                report.figures.append(f"hidden {result.passed}/{result.total} ({device})")
        finally:
            if g is not grader:
                g.close()
    if report.problems:  # mutants and flakes mean nothing until the model answer passes
        return report
    ex = grader.grade(q, solution, examples=True)
    if not ex.ok:
        report.problems.append(f"model solution fails the visible examples: {_failures(ex)}")
    else:
        report.figures.append(f"examples {ex.passed}/{ex.total}")
    starter = grader.grade(q, q.starter)
    if starter.ok:
        report.problems.append("the starter passes every hidden test; it must fail")
    else:
        report.figures.append(f"starter fails ({starter.passed}/{starter.total})")
    killed = 0
    graded: dict[str, GradeResult] = {}
    for mutant in q.mutants:
        try:
            source = q.mutant_source(mutant)
        except ValueError as exc:
            report.problems.append(str(exc))
            continue
        result = grader.grade(q, source)
        if result.status == "error" and (result.message.startswith(("SyntaxError", "importing your code failed"))):
            report.problems.append(f"mutant {mutant.name} does not even import, so it proves nothing: "
                                   f"{result.message.splitlines()[0]}")
            continue
        if result.ok:
            report.problems.append(f"mutant {mutant.name} survives: every hidden test passes "
                                   f"({mutant.diagnosis})")
            continue
        killed += 1
        graded[mutant.name] = result
        by = [t.name for t in result.tests if t.outcome != "passed"]
        how = f"{result.status}: {result.message.splitlines()[0]}" if not by else ", ".join(f"“{n}”" for n in by)
        report.details.append(f"mutant {mutant.name}: killed by {how}")
    if q.mutants:
        report.figures.append(f"mutants {killed}/{len(q.mutants)} killed")
    signatures = mutant_fingerprints(q, grader, graded)
    report.problems += _misdiagnoses(q, grader, starter, signatures)
    report.details += _ties(signatures)
    accepted = 0
    for alt in q.alternates:
        result = grader.grade(q, alt.source)
        if result.ok:
            accepted += 1
        else:
            report.problems.append(f"alternate {alt.name} is rejected: {_failures(result)}")
    if q.alternates:
        report.figures.append(f"alternates {accepted}/{len(q.alternates)} passed")
    stable = 0
    for run in range(runs):
        # Each run shifts every `seeded(...)` seed: the statistical tests see fresh draws.
        result = grader.grade(q, solution, seed_offset=1000 * (run + 1))
        if not result.ok:
            report.problems.append(f"flaky: the model solution failed run {stable + 1} of {runs} "
                                   f"(seed offset {1000 * (run + 1)}): {_failures(result)}")
            break
        stable += 1
    report.figures.append(f"stable {stable}/{runs}")
    return report


def generic_failures(q: CodeQuestion) -> dict[str, str]:
    """Submissions that are wrong in no particular way, by label: the starter as shipped, and the
    starter returning None or raising RuntimeError where it says `raise NotImplementedError`.
    Find-the-bug questions have none: their starter IS a particular mistake."""
    if q.bug_hunt or "raise NotImplementedError" not in q.starter:
        return {}
    return {"the starter": q.starter,
            "the starter returning None": q.starter.replace("raise NotImplementedError", "return None"),
            "the starter raising RuntimeError": q.starter.replace("raise NotImplementedError",
                                                                  "raise RuntimeError('not done')")}


def _misdiagnoses(q: CodeQuestion, grader: Grader, starter: GradeResult,
                  signatures: dict[str, Fingerprint]) -> list[str]:
    """A generic failure that would be told "likely mistake: ..." is a misleading diagnosis."""
    problems = []
    for label, source in generic_failures(q).items():
        result = starter if label == "the starter" else grader.grade(q, source)
        named = [d.mutant for d in diagnose(q, result, signatures)]
        if named:
            problems.append(f"diagnosis: {label} fails exactly like mutant {', '.join(named)}, so a learner "
                            "who has not started would be told that mistake; make that mutant fail "
                            "differently (a test that checks what it gets wrong)")
    return problems


def _ties(signatures: dict[str, Fingerprint]) -> list[str]:
    """Mutants that fail identically: a learner who makes one is told it is one of them."""
    ties = {tuple(sorted(best_matches(fp, signatures))) for fp in signatures.values()}
    return [f"mutants {', '.join(names)} fail alike: their diagnosis reads “one of”" for names in sorted(ties)
            if len(names) > 1]


def _orphans(roots: Iterable[Path], ids: set[str]) -> list[str]:
    problems = []
    for root in roots:
        solutions = solutions_dir(root)
        if solutions.is_dir():
            for p in sorted(solutions.glob("*.py")):
                if p.stem not in ids:
                    problems.append(f"{p}: orphan solution file (no code question has the id {p.stem!r})")
    return problems


def collect_files(paths: list[Path]) -> list[Path]:
    """Question files named directly, or found under folders (a bank or a topic folder)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += question_files(p) or sorted(p.glob("*.yaml"))
        else:
            files.append(p)
    return files


def validate(paths: list[Path], *, device: str = "auto", runs: int = 3,
             on_report: Callable[[QuestionReport], None] | None = None,
             whole_bank: bool = False, bank_root: Path | None = None) -> list[QuestionReport]:
    """Validate question files; `whole_bank` also checks ids across the bank and orphan solutions.

    `bank_root` only names the bank in the message for a path that is neither a file nor an id there.
    """
    reports: list[QuestionReport] = []
    questions: list[AnyQuestion] = []
    seen: dict[str, Path] = {}
    for path in collect_files(paths):
        if not path.exists():
            where = bank_root or "the bank"
            report = QuestionReport(path, problems=[f"{path}: no such file (nor a question id in {where})"])
            reports.append(report)
            if on_report:
                on_report(report)
            continue
        try:
            q = load_question(path)
        except BankError as exc:
            report = QuestionReport(path, path.stem, problems=list(exc.problems))
            reports.append(report)
            if on_report:
                on_report(report)
            continue
        if q.id in seen:
            report = QuestionReport(path, q.id, problems=[f"id {q.id!r} is already used by {seen[q.id]}"])
            reports.append(report)
            if on_report:
                on_report(report)
            continue
        seen[q.id] = path
        questions.append(q)
    grader: Grader | None = None
    devices: list[str] = []
    if any(isinstance(q, CodeQuestion) for q in questions):
        grader = Grader(device="cpu")
        devices = ["cpu"]
        if device in ("auto", "cuda"):
            probe = Grader(device="auto")
            if probe.device == "cuda":
                devices.append("cuda")
            probe.close()
        if device == "cuda" and "cuda" not in devices:
            raise RuntimeError("--device cuda was requested but CUDA is not available")
    try:
        for q in questions:
            started = time.monotonic()
            todo = unfinished(q)
            if todo:
                report = QuestionReport(Path(q.source_path or q.id), q.id, problems=todo)
            elif isinstance(q, CodeQuestion):
                assert grader is not None
                report = validate_code(q, grader, devices, runs)
            elif isinstance(q, ChoiceQuestion):
                report = QuestionReport(Path(q.source_path or q.id), q.id, figures=[f"{len(q.choices)} options"])
            else:
                report = QuestionReport(Path(q.source_path or q.id), q.id, figures=[f"{len(q.rubric)} rubric points"])
            report.path = Path(q.source_path or report.path)
            report.seconds = time.monotonic() - started
            reports.append(report)
            if on_report:
                on_report(report)
    finally:
        if grader is not None:
            grader.close()
    if whole_bank:
        roots = {bank_root_of(Path(q.source_path)) for q in questions if q.source_path}
        # A file that failed to load is reported once, above; its solution is not an orphan too.
        broken = {r.path.stem for r in reports if not r.ok and r.path.suffix in (".yaml", ".yml")}
        code_ids = {q.id for q in questions if isinstance(q, CodeQuestion)} | broken
        orphans = _orphans(roots, code_ids)
        if orphans:
            report = QuestionReport(Path("solutions"), "(bank)", problems=orphans)
            reports.append(report)
            if on_report:
                on_report(report)
    return reports
