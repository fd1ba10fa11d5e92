"""docs/authoring.md stays true: its worked example, copied out of the Markdown, passes `validate`."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.authoring.validate import validate

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "authoring.md"


def _block(text: str, after: str, lang: str) -> str:
    return text.split(after, 1)[1].split(f"```{lang}\n", 1)[1].split("```", 1)[0]


@pytest.mark.slow
def test_worked_example_validates(tmp_path: Path) -> None:
    text = DOC.read_text()
    question = tmp_path / "questions" / "weight-decay" / "clip-grad-norm.yaml"
    question.parent.mkdir(parents=True)
    question.write_text(_block(text, "**3. Fill in the YAML.**", "yaml"))
    solution = tmp_path / "solutions" / "clip-grad-norm.py"
    solution.parent.mkdir()
    solution.write_text(_block(text, "**2. Write the model solution**", "python"))
    [report] = validate([question], runs=2)
    assert report.ok, report.problems
    assert "mutants 2/2 killed" in report.figures
