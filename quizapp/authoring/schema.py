"""The JSON Schema of the question format, for editors (`quizapp schema`, docs/question.schema.json)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from quizapp.models import Question


def question_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) that accepts exactly the question files the loader accepts."""
    schema = TypeAdapter(Question).json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "quizapp question"
    schema["description"] = "One quizapp question (questions/<topic>/<id>.yaml). See docs/authoring.md."
    return schema
