"""`quizapp new`: scaffold a question file (every field explained) and its model solution."""

from __future__ import annotations

import re
from pathlib import Path

from quizapp.errors import QuizappError
from quizapp.models import ID_PATTERN
from quizapp.paths import solutions_dir

MODELINE = "# yaml-language-server: $schema={schema}"
SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "question.schema.json"


class ScaffoldError(QuizappError):
    """The question cannot be created (bad id, file exists, ...)."""


_COMMON = """{modeline}
# A quizapp question. Every field is documented in docs/authoring.md; `quizapp schema` prints the
# JSON Schema your editor uses to complete and check this file. Prove it with:
#     quizapp validate {path}

format_version: 1            # the file format's version; 1 today
id: {id}                     # kebab-case; must equal the file name
title: TODO one-line title shown in lists
kind: {kind}                 # code | choice | short
topic: {topic}               # must equal the folder name
tags: []                     # kebab-case tags for filtering, e.g. [dropout, randomness]
difficulty: medium           # easy | medium | hard
minutes: 10                  # minutes a prepared candidate needs
# The prompt is Markdown. State everything needed to answer: nobody may fail for a reason the
# prompt hid (conventions, edge cases, an example). (Comments cannot go inside a `|` block.)
prompt: |
  TODO the question.
explanation: |               # Markdown shown with the answer: why, trade-offs, interactions, papers.
  TODO why the answer is right, when to use it, what it costs.
"""

_CODE = """# The function is named after the id; rename it everywhere below and in the solution if you like.
signature: "{func}(x: Tensor) -> Tensor"   # shown above the prompt
entry_points: [{func}]       # names the submission module must define
starter: |                   # what the learner starts from; it must FAIL the hidden tests
  import torch


  def {func}(x):
      raise NotImplementedError
hints:                       # ordered: the concept, then the approach, then the tricky detail
  - TODO concept
  - TODO approach
examples: |                  # VISIBLE pytest tests the learner can run; failures must read as sentences
  import torch
  from quizapp.testing import assert_like
  from submission import {func}


  def test_shape_is_kept():
      \"\"\"the output has the input's shape\"\"\"
      x = torch.zeros(2, 3)
      assert_like({func}(x), x, name="the output")  # plain asserts need a message: assert ok, "why"
tests: |                     # HIDDEN pytest tests; the first docstring line is the name learners see
  import torch
  from quizapp.testing import assert_close, assert_unchanged, snapshot
  from submission import {func}


  def test_values(device):
      \"\"\"TODO: what this test proves, as a sentence\"\"\"
      x = torch.randn(4, 5, device=device)
      before = snapshot(x)
      assert_close({func}(x), x)  # TODO the real expectation
      assert_unchanged(before, [x], ["x"])
forbidden: []                # dotted names (fnmatch) the source may not reference, or kwarg:NAME
timeout_s: 10                # wall-clock limit for one grade
memory_mb: 4096              # resident memory limit for the whole process tree
bug_hunt: false              # true for "find the bug": the starter is plausible but wrong
mutants:                     # real mistakes; each must fail at least one hidden test
  - name: todo-mistake       # kebab-case, unique
    diagnosis: TODO one line shown to a learner whose code fails the same way.
    replace:                 # exact edits of solutions/{id}.py (each `old` occurs exactly once)
      - old: "TODO text in the solution"
        new: "TODO the wrong version"
alternates: []               # other correct solutions ({{name, source}}); each must pass
"""

_CHOICE = """choices:                     # one or more correct; several correct = select all that apply
  - text: TODO a correct option
    correct: true
    why: TODO why it is right
  - text: TODO a plausible wrong option
    correct: false
    why: TODO why it is wrong
"""

_SHORT = """answer: |                    # the model answer (Markdown)
  TODO the model answer.
rubric:                      # key points the learner ticks off when self-rating
  - TODO first key point
  - TODO second key point
"""

_SOLUTION = '''"""Model answer for `{id}`. TODO: one paragraph on the idea behind it."""

from __future__ import annotations

import torch
from torch import Tensor


def {func}(x: Tensor) -> Tensor:
    """TODO: implement the model answer."""
    raise NotImplementedError
'''


def scaffold(bank_root: Path, qid: str, kind: str, topic: str) -> list[Path]:
    """Create `<bank>/<topic>/<id>.yaml` (and `solutions/<id>.py` for code); return the paths."""
    if not re.match(ID_PATTERN, qid):
        raise ScaffoldError(f"{qid!r} is not a valid id: use lowercase letters, digits and single dashes")
    if not re.match(ID_PATTERN, topic):
        raise ScaffoldError(f"{topic!r} is not a valid topic: use lowercase letters, digits and single dashes")
    if kind not in ("code", "choice", "short"):
        raise ScaffoldError(f"unknown kind {kind!r}: use code, choice or short")
    existing = list(bank_root.glob(f"*/{qid}.yaml"))
    if existing:
        raise ScaffoldError(f"a question with id {qid!r} already exists: {existing[0]}")
    path = bank_root / topic / f"{qid}.yaml"
    solution = solutions_dir(bank_root) / f"{qid}.py"
    if kind == "code" and solution.exists():
        raise ScaffoldError(f"{solution} already exists; remove it or pick another id")
    func = qid.replace("-", "_")
    # Relative where the bank sits beside a docs/ folder with the schema (the repository layout,
    # so the link survives a clone or a move); otherwise the installed package's copy.
    local_schema = bank_root.resolve().parent / "docs" / "question.schema.json"
    schema = "../../docs/question.schema.json" if local_schema.is_file() else SCHEMA.as_uri()
    text = _COMMON.format(modeline=MODELINE.format(schema=schema), path=path, id=qid, kind=kind, topic=topic)
    text += {"code": _CODE, "choice": _CHOICE, "short": _SHORT}[kind].format(func=func, id=qid)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    created = [path]
    if kind == "code":
        solution.parent.mkdir(parents=True, exist_ok=True)
        solution.write_text(_SOLUTION.format(id=qid, func=func), encoding="utf-8")
        created.append(solution)
    return created
