"""Typed value objects for questions and grading results.

The question models are pydantic models because they validate untrusted author input (YAML) and
must say exactly which field is wrong; the result models are frozen dataclasses because they are
produced by our own code and serialised to the contract's JSON shape.
"""

from __future__ import annotations

import textwrap
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PY_IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"


class Kind(StrEnum):
    """What the learner produces: code, a choice among options, or a short written answer."""

    CODE = "code"
    CHOICE = "choice"
    SHORT = "short"


class Difficulty(StrEnum):
    """How hard the question is for a candidate who knows the topic."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class _Strict(BaseModel):
    """Base for author-facing models: unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


NonEmpty = Annotated[str, Field(min_length=1)]


class Replacement(_Strict):
    """One exact text substitution applied to the model solution to build a mutant."""

    old: NonEmpty
    """Text that must occur exactly once in the model solution."""
    new: str
    """What it becomes in the mutant."""


class Mutant(_Strict):
    """A known-wrong variant of the model solution that the hidden tests must reject."""

    name: Annotated[str, Field(pattern=ID_PATTERN)]
    """Short kebab-case id, unique within the question."""
    diagnosis: NonEmpty
    """One line shown to a learner whose code fails the same way: what the mistake is."""
    replace: list[Replacement] | None = None
    """Substitutions applied to the model solution, in order."""
    source: str | None = None
    """The whole wrong module, for mistakes that are not a small edit."""

    @model_validator(mode="after")
    def _one_form(self) -> Mutant:
        if (self.replace is None) == (self.source is None):
            raise ValueError("give exactly one of 'replace' or 'source'")
        return self

    @field_validator("diagnosis")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value.strip():
            raise ValueError("the diagnosis must be one line")
        return value.strip()


class Alternate(_Strict):
    """Another correct solution in a different style; graders must accept it."""

    name: Annotated[str, Field(pattern=ID_PATTERN)]
    """Short kebab-case id, unique within the question."""
    source: NonEmpty
    """The whole module."""


class Choice(_Strict):
    """One option of a choice question."""

    text: NonEmpty
    """The option as shown (Markdown)."""
    correct: bool
    """Whether selecting it is right."""
    why: NonEmpty
    """Why it is right or wrong; shown after answering."""


class _QuestionBase(_Strict):
    format_version: Literal[1]
    """Version of this file format; 1 today."""
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    """Kebab-case id; equals the file name without `.yaml`."""
    title: NonEmpty
    """One-line title shown in lists."""
    topic: Annotated[str, Field(pattern=ID_PATTERN)]
    """Topic; equals the name of the folder that holds the file."""
    tags: list[Annotated[str, Field(pattern=ID_PATTERN)]] = Field(default_factory=list)
    """Free kebab-case tags for filtering."""
    difficulty: Difficulty
    """easy, medium or hard."""
    minutes: Annotated[int, Field(ge=1, le=120)]
    """Estimated minutes for a prepared candidate."""
    prompt: NonEmpty
    """The question (Markdown)."""
    explanation: NonEmpty
    """Shown with the model answer: the why, trade-offs and references (Markdown)."""

    source_path: Path | None = Field(default=None, exclude=True)
    """Where the question was loaded from (set by the loader, never written by authors)."""


class CodeQuestion(_QuestionBase):
    """A question answered by writing Python that hidden pytest tests grade."""

    kind: Literal[Kind.CODE]
    entry_points: list[Annotated[str, Field(pattern=PY_IDENTIFIER)]] = Field(min_length=1)
    """Names the submission module must define."""
    signature: NonEmpty
    """The signature(s) to implement, shown above the prompt."""
    starter: NonEmpty
    """The code the learner starts from; it must fail the hidden tests."""
    hints: list[NonEmpty] = Field(default_factory=list)
    """Ordered hints: concept, then approach, then the tricky detail."""
    examples: NonEmpty
    """Visible pytest tests the learner can run before submitting (`from submission import ...`)."""
    tests: NonEmpty
    """Hidden pytest tests (`from submission import ...`); the first docstring line names each test."""
    forbidden: list[NonEmpty] = Field(default_factory=list)
    """Dotted names the source may not reference at all, e.g. `torch.nn.functional.dropout`."""
    timeout_s: Annotated[float, Field(gt=0, le=120)] = 10.0
    """Wall-clock limit for one grade."""
    memory_mb: Annotated[int, Field(ge=64, le=65536)] = 4096
    """Resident-memory limit for the submission's whole process tree."""
    bug_hunt: bool = False
    """A find-the-bug question: the starter is plausible but wrong, and the task is to fix it."""
    mutants: list[Mutant] = Field(default_factory=list)
    """Known-wrong variants; each must fail at least one hidden test."""
    alternates: list[Alternate] = Field(default_factory=list)
    """Other correct solutions; each must pass every hidden test."""

    @field_validator("mutants", "alternates")
    @classmethod
    def _unique_names(cls, items: list[Mutant] | list[Alternate]) -> list[Mutant] | list[Alternate]:
        names = [item.name for item in items]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate name {dupes[0]!r}")
        return items

    def solution_path(self) -> Path:
        """The model solution: `solutions/<id>.py` beside the bank folder."""
        assert self.source_path is not None, "question was not loaded from a file"
        from quizapp.paths import solutions_dir

        return solutions_dir(bank_root_of(self.source_path)) / f"{self.id}.py"

    def solution_source(self) -> str:
        """The model solution's text."""
        return self.solution_path().read_text(encoding="utf-8")

    def mutant_source(self, mutant: Mutant) -> str:
        """Build a mutant's module from the model solution (or take its whole source)."""
        if mutant.source is not None:
            return mutant.source
        text = self.solution_source()
        for rep in mutant.replace or []:
            text = _replace_once(text, rep, mutant.name)
        return text


def _replace_once(text: str, rep: Replacement, mutant: str) -> str:
    """Apply one replacement; a multi-line `old` may be written at any indentation.

    YAML block scalars strip their common indentation, so an author who pastes an indented block
    from inside a function gets it dedented. Such a block matches where the solution has it
    re-indented by one consistent prefix, and `new` is re-indented the same way.
    """
    count = text.count(rep.old)
    if count == 1:
        return text.replace(rep.old, rep.new)
    if count == 0 and "\n" in rep.old.rstrip("\n"):
        old, new = textwrap.dedent(rep.old), textwrap.dedent(rep.new)
        prefixes = {line[: len(line) - len(line.lstrip())] for line in text.splitlines()}
        counts = {p: text.count(textwrap.indent(old, p)) for p in prefixes}
        count = sum(counts.values())
        if count == 1:
            (prefix,) = (p for p, n in counts.items() if n)
            return text.replace(textwrap.indent(old, prefix), textwrap.indent(new, prefix))
        where = " (at any indentation)"
    else:
        where = ""
    raise ValueError(f"mutant {mutant!r}: {rep.old!r} occurs {count} times in the solution{where}; "
                     "each `old` must occur exactly once")


class ChoiceQuestion(_QuestionBase):
    """A multiple-choice question graded automatically."""

    kind: Literal[Kind.CHOICE]
    choices: list[Choice] = Field(min_length=2)
    """The options; one or more are correct."""

    @field_validator("choices")
    @classmethod
    def _has_correct(cls, choices: list[Choice]) -> list[Choice]:
        if not any(c.correct for c in choices):
            raise ValueError("at least one choice must be correct")
        return choices

    @property
    def multiple(self) -> bool:
        """Whether more than one option is correct (the learner selects all that apply)."""
        return sum(c.correct for c in self.choices) > 1


class ShortQuestion(_QuestionBase):
    """A short written answer the learner checks against a model answer and a rubric."""

    kind: Literal[Kind.SHORT]
    answer: NonEmpty
    """The model answer (Markdown)."""
    rubric: list[NonEmpty] = Field(min_length=1)
    """Key points the learner ticks off when self-rating."""


Question = Annotated[CodeQuestion | ChoiceQuestion | ShortQuestion, Field(discriminator="kind")]
AnyQuestion = CodeQuestion | ChoiceQuestion | ShortQuestion


def bank_root_of(path: Path) -> Path:
    """The bank folder for a question file at `<bank>/<topic>/<id>.yaml`."""
    return path.resolve().parent.parent


# ----------------------------------------------------------------------------------------------
# Grading results (the contract's JSON shape)

Status = Literal["passed", "failed", "error", "timeout", "memory", "crashed"]
TestOutcome = Literal["passed", "failed", "error", "skipped"]


@dataclass(frozen=True)
class TestResult:
    """One hidden test as the learner sees it."""

    __test__ = False  # not a pytest test class

    name: str
    """Readable sentence: the test's first docstring line."""
    outcome: TestOutcome
    """passed, failed, error or skipped."""
    message: str = ""
    """Why it failed: the assertion message, tensor-aware where tensors are compared."""
    output: str = ""
    """What the submission printed during this test (capped, control sequences stripped)."""
    duration_s: float = 0.0
    """How long the test took."""
    failure: str = ""
    """The kind of failure: `AssertionError`, or the exception's type (`TypeError@submission` when the
    learner's code raised it); empty when the test passed. Diagnosis compares these."""


@dataclass(frozen=True)
class GradeResult:
    """The outcome of grading one submission against one question."""

    question: str
    status: Status
    passed: int
    total: int
    device: str
    duration_s: float
    tests: list[TestResult] = field(default_factory=list)
    message: str = ""
    """For error/timeout/memory/crashed: what happened, precisely (line numbers, signal names)."""
    output: str = ""
    """What the submission printed outside any test (capped)."""
    line: int | None = None
    """Source line the message refers to (syntax errors, forbidden APIs), for jumping in an editor."""
    likely_mistakes: list[str] = field(default_factory=list)
    """Diagnoses of the known mistakes (mutants) that fail the same tests as this submission."""
    sandbox: str = "none"
    """The isolation the submission ran in: `bwrap`, or `none` (CONTRACT §1, §4)."""

    @property
    def ok(self) -> bool:
        """Every hidden test passed."""
        return self.status == "passed"

    def to_json(self) -> dict[str, Any]:
        """The contract's `grade --json` object (plus extra keys, which the contract allows)."""
        data = asdict(self)
        data["duration_s"] = round(self.duration_s, 3)
        for t in data["tests"]:
            t["duration_s"] = round(t["duration_s"], 3)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GradeResult:
        """Inverse of `to_json` (used by progress storage)."""
        tests = [TestResult(**t) for t in data.get("tests", [])]
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "tests"}
        return cls(tests=tests, **fields)
