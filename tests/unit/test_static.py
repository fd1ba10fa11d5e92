"""Checks made before running: syntax errors with a caret, forbidden APIs through any alias."""

from __future__ import annotations

import pytest

from quizapp.grading.static import check_forbidden, check_syntax

DROPOUT = ["torch.nn.functional.dropout*", "torch.dropout", "torch.nn.Dropout*"]


def test_syntax_error_points_at_the_column() -> None:
    problem = check_syntax("x = 1\ny = (2 +\n")
    assert problem is not None and problem.line == 2
    assert problem.message.startswith("SyntaxError:")


def test_valid_source_has_no_syntax_problem() -> None:
    assert check_syntax("def f():\n    return 1\n") is None


@pytest.mark.parametrize("source", [
    "import torch.nn.functional as F\ndef f(x):\n    return F.dropout(x)\n",
    "from torch.nn.functional import dropout\n",
    "from torch.nn import functional\ny = functional.dropout2d\n",
    "import torch\ny = torch.nn.functional.dropout(1)\n",
    "import torch\nlayer = torch.nn.Dropout(0.5)\n",
    "from torch import nn\nlayer = nn.Dropout1d()\n",
    "import torch\nf = getattr(torch, 'dropout')\n",
    "import importlib\nm = importlib.import_module('torch.nn.functional.dropout')\n",
    # Plain assignments are aliases too (the static check once missed these).
    "import torch\nF = torch.nn.functional\ndef f(x):\n    return F.dropout3d(x)\n",
    "import torch\ndef f(x):\n    return F.dropout(x)\nF = torch.nn.functional\n",  # bound after the use
    "import torch\nnn_ = torch.nn\nF = nn_.functional\ny = F.dropout\n",                # a chain
    "import torch\nF = getattr(torch.nn, 'functional')\ny = F.dropout(1)\n",
    "import torch\nA, F = 1, torch.nn.functional\ny = F.dropout(1)\n",
    "import torch\nif (F := torch.nn.functional):\n    y = F.dropout(1)\n",
    "import torch.nn.functional\nF: object = torch.nn.functional\ny = F.dropout1d(1)\n",
])
def test_forbidden_names_are_found_through_aliases(source: str) -> None:
    problem = check_forbidden(source, DROPOUT)
    assert problem is not None and "forbidden API" in problem.message


@pytest.mark.parametrize("source", [
    "import torch\ndef f(x, p):\n    mask = torch.rand_like(x) > p\n    return x * mask / (1 - p)\n",
    "dropout = 3\n",  # a local name that merely looks like the API
    "import torch\ny = torch.nn.functional.relu(1)\n",
])
def test_allowed_code_passes(source: str) -> None:
    assert check_forbidden(source, DROPOUT) is None


def test_keyword_argument_can_be_forbidden() -> None:
    rule = ["kwarg:label_smoothing"]
    hit = check_forbidden("import torch.nn.functional as F\nF.cross_entropy(a, b, label_smoothing=0.1)\n", rule)
    assert hit is not None and hit.line == 2 and "label_smoothing=" in hit.message
    spread = check_forbidden("import torch.nn.functional as F\nF.cross_entropy(a, b, **{'label_smoothing': 1})\n",
                             rule)
    assert spread is not None


def test_first_hit_is_reported_with_its_line() -> None:
    problem = check_forbidden("import torch\n\n\nx = torch.optim.AdamW\ny = torch.optim.SGD\n", ["torch.optim*"])
    assert problem is not None and problem.line == 4
    assert "line" not in problem.message, "the line is a field of its own; renderers add it once"


def test_the_dropout_questions_own_rules_see_through_a_variable_alias() -> None:
    from quizapp.bank import load_bank

    rules = load_bank()["dropout"].forbidden  # type: ignore[union-attr]
    source = "import torch\nF = torch.nn.functional\ndef dropout(x, p=0.5, training=True):\n" \
             "    return F.alpha_dropout(x, p, training)\n"
    problem = check_forbidden(source, rules)
    assert problem is not None and problem.line == 4 and "torch.nn.functional.alpha_dropout" in problem.message
