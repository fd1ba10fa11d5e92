"""The bundled bank is a product: complete, and proven sound by `quizapp validate`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.authoring.schema import question_schema
from quizapp.authoring.validate import validate
from quizapp.bank import load_bank
from quizapp.models import ChoiceQuestion, CodeQuestion, ShortQuestion

ROOT = Path(__file__).resolve().parent.parent.parent
CONTRACT_IDS = {"dropout", "l2-penalty", "adamw-update", "mixup-batch", "mixup-loss", "cutmix-batch",
                "label-smoothing", "early-stopping", "drop-path", "random-crop-flip", "soft-threshold",
                "max-norm"}
BANK = load_bank()
CODE = [q for q in BANK.values() if isinstance(q, CodeQuestion)]


def test_every_contract_question_is_in_the_bank() -> None:
    assert set(BANK) >= CONTRACT_IDS


def test_the_bank_has_the_promised_breadth() -> None:
    coding = [q for q in CODE if not q.bug_hunt]
    bug_hunts = [q for q in CODE if q.bug_hunt]
    conceptual = [q for q in BANK.values() if isinstance(q, (ChoiceQuestion, ShortQuestion))]
    assert len(coding) >= 12 and len(bug_hunts) >= 3 and len(conceptual) >= 14
    assert {"choice", "short"} <= {q.kind for q in conceptual}


@pytest.mark.parametrize("q", CODE, ids=[q.id for q in CODE])
def test_code_question_is_complete(q: CodeQuestion) -> None:
    assert 2 <= len(q.hints) <= 3, "2-3 hints: concept, approach, tricky detail"
    assert len(q.mutants) >= 5, "at least five real mistakes"
    assert len(q.alternates) >= 2, "at least two alternate correct solutions"
    assert q.solution_path().is_file()


def test_seed_mistakes_are_covered() -> None:
    early = BANK["early-stopping"]
    assert isinstance(early, CodeQuestion)
    assert any("state_dict" in m.diagnosis and ("reference" in m.diagnosis or "copy" in m.diagnosis)
               for m in early.mutants), "keeping a reference to state_dict() must be a mutant"
    smoothing = BANK["label-smoothing"]
    assert isinstance(smoothing, CodeQuestion)
    assert any("K-1" in m.diagnosis or "k-1" in m.diagnosis or "(K - 1)" in m.diagnosis
               for m in smoothing.mutants), "the seed's other smoothing convention must be a mutant"


def test_published_schema_is_up_to_date() -> None:
    published = json.loads((ROOT / "docs" / "question.schema.json").read_text())
    assert published == question_schema(), "run `quizapp schema > docs/question.schema.json`"


@pytest.mark.slow
@pytest.mark.timeout(3600)  # the whole bank, every mutant and alternate: minutes, more on a slow machine
def test_validate_passes_on_the_whole_bank() -> None:
    reports = validate([ROOT / "questions"], device="auto", runs=3, whole_bank=True)
    problems = [f"{r.question_id}: {p}" for r in reports for p in r.problems]
    assert not problems, "\n".join(problems)
    assert len(reports) == len(BANK)
