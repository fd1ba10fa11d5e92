"""Load and validate the YAML question bank; every error names file, line, column and field.

YAML is composed into nodes first so that each value's position is known, then validated with
pydantic; a pydantic error location such as `('hints', 1)` is mapped back to the node it came from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from quizapp.bank_index import question_files
from quizapp.errors import BankError
from quizapp.models import AnyQuestion, Question
from quizapp.paths import BUNDLED_BANK

__all__ = ["BUNDLED_BANK", "Bank", "BankError", "load_bank", "load_bank_lenient", "load_question", "question_files"]
_ADAPTER: TypeAdapter[AnyQuestion] = TypeAdapter(Question)

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class _Pos:
    line: int
    col: int


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# libyaml composes about 20x faster than the pure-Python parser, with the same marks.
_COMPOSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _walk(node: yaml.Node, loc: Loc, positions: dict[Loc, _Pos], constructor: yaml.SafeLoader) -> Any:
    """Turn a composed YAML node into Python data, recording each value's and key's position."""
    positions[loc] = _Pos(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) \
                else str(key_node.value)
            if key in out:
                raise _YamlProblem(key_node.start_mark, f"{_fmt_loc((*loc, key))}: duplicate key")
            positions[(*loc, key, "__key__")] = _Pos(key_node.start_mark.line + 1,
                                                     key_node.start_mark.column + 1)
            out[key] = _walk(value_node, (*loc, key), positions, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, (*loc, i), positions, constructor) for i, item in enumerate(node.value)]
    # A scalar: let the safe loader resolve its type (int, bool, null, str, ...).
    return constructor.construct_object(node, deep=True)


class _YamlProblem(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def _fmt_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(file)"


def _fields_at(kind: object, loc: Loc) -> list[str]:
    """The field names allowed where `loc` points (its last element is the unknown key)."""
    from typing import get_args

    from pydantic import BaseModel

    from quizapp.models import ChoiceQuestion, CodeQuestion, ShortQuestion

    model: Any = {"code": CodeQuestion, "choice": ChoiceQuestion, "short": ShortQuestion}.get(str(kind))
    for part in loc[:-1]:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        candidates = [field.annotation]
        model = None
        while candidates:
            tp = candidates.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                model = tp
                break
            candidates.extend(get_args(tp))
    return list(getattr(model, "model_fields", {})) if model is not None else []


def _message(err: Mapping[str, Any], kind_of_question: object = None) -> str:
    kind = err.get("type", "")
    msg = str(err.get("msg", "invalid"))
    if kind == "string_type":
        return "expected a string"
    if kind == "union_tag_invalid":
        return "expected 'code', 'choice' or 'short'"
    if kind in ("missing", "union_tag_not_found"):
        return "required field is missing"
    if kind == "extra_forbidden":
        import difflib

        loc = tuple(err.get("loc", ()))
        name = str(loc[-1]) if loc else ""
        close = difflib.get_close_matches(name, _fields_at(kind_of_question, loc), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else "check the spelling"
        return f"unknown field ({hint} `quizapp schema` lists every field)"
    if kind == "literal_error" or kind == "enum":
        return msg.replace("Input should be", "expected")
    if kind.startswith("value_error"):
        return msg.removeprefix("Value error, ")
    return msg[0].lower() + msg[1:] if msg else msg


def _error_lines(path: Path, exc: ValidationError, positions: dict[Loc, _Pos], data: Any) -> list[str]:
    kind = data.get("kind") if isinstance(data, dict) else None
    lines = []
    for err in exc.errors():
        loc: Loc = tuple(err["loc"])
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = ("kind",)
        # Drop the discriminator tag pydantic prepends for tagged unions ('code', 'hints', 1).
        if loc and kind is not None and loc[0] == kind:
            loc = loc[1:]
        if err["type"] == "extra_forbidden":
            pos = positions.get((*loc, "__key__")) or positions.get(loc)
        else:
            pos = None
            probe = loc
            while pos is None and probe:
                pos = positions.get(probe)
                probe = probe[:-1]
            pos = pos or positions.get(())
        if err["type"] == "missing" and loc not in positions:
            # Point at the mapping that lacks the key.
            pos = positions.get(loc[:-1]) or positions.get(())
        where = f"{pos.line}:{pos.col}" if pos else "1:1"
        lines.append(f"{_display(path)}:{where}: {_fmt_loc(loc)}: {_message({**err, 'loc': loc}, kind)}")
    return lines


def load_question(path: Path) -> AnyQuestion:
    """Load one question file, raising `BankError` with `file:line:col: field: problem` lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BankError([f"{_display(path)}:1:1: cannot read the file: {exc}"]) from None
    positions: dict[Loc, _Pos] = {}
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
        if node is None:
            raise BankError([f"{_display(path)}:1:1: the file is empty"])
        constructor = yaml.SafeLoader("")
        try:
            data = _walk(node, (), positions, constructor)
        finally:
            constructor.dispose()
    except _YamlProblem as exc:
        raise BankError([f"{_display(path)}:{exc.mark.line + 1}:{exc.mark.column + 1}: {exc.message}"]) \
            from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        problem = exc.problem or exc.context or "invalid YAML"
        raise BankError([f"{_display(path)}:{where}: invalid YAML: {problem}"]) from None
    except yaml.YAMLError as exc:
        raise BankError([f"{_display(path)}:1:1: invalid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise BankError([f"{_display(path)}:1:1: expected a mapping of fields at the top level"])
    try:
        question = _ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise BankError(_error_lines(path, exc, positions, data)) from None
    problems = []
    if question.id != path.stem:
        pos = positions.get(("id",), _Pos(1, 1))
        problems.append(f"{_display(path)}:{pos.line}:{pos.col}: id: {question.id!r} does not match "
                        f"the file name {path.name!r}")
    if question.topic != path.parent.name:
        pos = positions.get(("topic",), _Pos(1, 1))
        problems.append(f"{_display(path)}:{pos.line}:{pos.col}: topic: {question.topic!r} does not match "
                        f"the folder {path.parent.name!r}")
    if problems:
        raise BankError(problems)
    return question.model_copy(update={"source_path": path.resolve()})


class Bank(Mapping[str, AnyQuestion]):
    """The loaded questions by id, in a stable order (topic, then file name)."""

    def __init__(self, root: Path, questions: list[AnyQuestion]) -> None:
        self.root = root
        self._by_id = {q.id: q for q in questions}

    def __getitem__(self, key: str) -> AnyQuestion:
        return self._by_id[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)


def load_bank_lenient(root: Path | str | None = None) -> tuple[Bank, list[str]]:
    """Every question under `root` that loads, and the problems of those that do not.

    The terminal app uses this so that one broken file (an author editing the bank) does not stop a
    learner from practising; `load_bank` and `quizapp validate` are strict."""
    root = Path(root) if root is not None else BUNDLED_BANK
    if not root.is_dir():
        return Bank(root, []), [f"{root}: not a folder of questions"]
    problems: list[str] = []
    questions: list[AnyQuestion] = []
    seen: dict[str, Path] = {}
    for path in question_files(root):
        try:
            q = load_question(path)
        except BankError as exc:
            problems.extend(exc.problems)
            continue
        if q.id in seen:
            problems.append(f"{_display(path)}:1:1: id: {q.id!r} is already used by {_display(seen[q.id])}")
            continue
        seen[q.id] = path
        questions.append(q)
    return Bank(root, questions), problems


def load_bank(root: Path | str | None = None) -> Bank:
    """Load every question under `root` (default: the bundled bank); raise `BankError` on any problem."""
    bank, problems = load_bank_lenient(root)
    if problems:
        raise BankError(problems)
    return bank
