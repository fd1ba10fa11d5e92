"""The bank loader: valid files load; every broken file gets one precise `file:line:col: field: problem`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quizapp.bank import BankError, load_bank, load_question
from quizapp.models import ChoiceQuestion, CodeQuestion

BROKEN = sorted((Path(__file__).parent / "broken" / "broken").glob("*.yaml"))
GRADING_BANK = Path(__file__).parent.parent / "grading" / "bank" / "questions"


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_file_gets_its_expected_message(path: Path) -> None:
    expected = path.read_text().splitlines()[0].removeprefix("# expect: ")
    with pytest.raises(BankError) as info:
        load_question(path)
    first = info.value.problems[0]
    location, _, rest = first.partition(".yaml:")
    assert location.endswith(path.stem), f"the message must name the file: {first}"
    # A prefix: libyaml and the pure-Python parser word a few YAML errors differently at the end.
    assert rest.startswith(expected) and rest.count(":") >= expected.count(":")


def test_the_corpus_covers_many_kinds_of_mistake() -> None:
    assert len(BROKEN) >= 12


def test_a_valid_code_question_loads_with_its_solution() -> None:
    bank = load_bank(GRADING_BANK)
    q = bank["double"]
    assert isinstance(q, CodeQuestion)
    assert q.entry_points == ["double"] and q.timeout_s == 4 and q.memory_mb == 1024
    assert q.solution_source().strip() == "def double(x):\n    return 2 * x"
    assert "3 * x" in q.mutant_source(q.mutants[0])


def test_duplicate_ids_across_the_bank_are_reported(tmp_path: Path) -> None:
    for topic in ("a", "b"):
        (tmp_path / topic).mkdir()
        text = (GRADING_BANK / "demo" / "double.yaml").read_text().replace("topic: demo", f"topic: {topic}")
        (tmp_path / topic / "double.yaml").write_text(text)
    with pytest.raises(BankError) as info:
        load_bank(tmp_path)
    assert any("is already used by" in p for p in info.value.problems)


def test_every_problem_in_a_bank_is_reported_not_just_the_first(tmp_path: Path) -> None:
    (tmp_path / "broken").mkdir()
    for name in ("missing-title", "bad-kind"):
        shutil.copy(Path(__file__).parent / "broken" / "broken" / f"{name}.yaml", tmp_path / "broken")
    with pytest.raises(BankError) as info:
        load_bank(tmp_path)
    assert len(info.value.problems) == 2


def test_mutant_replacement_must_match_exactly_once() -> None:
    q = load_bank(GRADING_BANK)["double"]
    assert isinstance(q, CodeQuestion)
    bad = q.mutants[0].model_copy(update={"replace": [q.mutants[0].replace[0].model_copy(  # type: ignore[index]
        update={"old": "not in the solution"})]})
    with pytest.raises(ValueError, match="occurs 0 times"):
        q.mutant_source(bad)


def test_choice_question_knows_when_several_options_are_correct(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "q.yaml").write_text(
        "format_version: 1\nid: q\ntitle: T\nkind: choice\ntopic: t\ndifficulty: easy\nminutes: 1\n"
        "prompt: P\nexplanation: E\nchoices:\n  - {text: a, correct: true, why: r}\n"
        "  - {text: b, correct: true, why: r}\n  - {text: c, correct: false, why: w}\n")
    q = load_question(tmp_path / "t" / "q.yaml")
    assert isinstance(q, ChoiceQuestion) and q.multiple


def test_an_unknown_field_suggests_the_field_meant(tmp_path: Path) -> None:
    """a misspelt key, at the top or inside a mutant, names the field it most likely meant"""
    text = (GRADING_BANK / "demo" / "double.yaml").read_text()
    bad = tmp_path / "demo" / "double.yaml"
    bad.parent.mkdir()
    bad.write_text(text.replace("\nhints:", "\nhnts:")
                   .replace("    diagnosis: Multiplies", "    diagnosys: Multiplies"))
    with pytest.raises(BankError) as caught:
        load_question(bad)
    problems = "\n".join(caught.value.problems)
    assert "hnts: unknown field (did you mean 'hints'?" in problems
    assert "mutants[0].diagnosys: unknown field (did you mean 'diagnosis'?" in problems
