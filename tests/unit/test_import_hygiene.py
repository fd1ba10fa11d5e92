"""The headless core imports without Textual, and the public API without torch."""

from __future__ import annotations

import subprocess
import sys

CORE = ["quizapp", "quizapp.paths", "quizapp.errors", "quizapp.models", "quizapp.bank", "quizapp.grading",
        "quizapp.grading.grader", "quizapp.grading.factory", "quizapp.grading.diagnose", "quizapp.grading.sanitize",
        "quizapp.cli", "quizapp.cli.questions", "quizapp.cli.author", "quizapp.cli.mock", "quizapp.cli.progress",
        "quizapp.cli.watch", "quizapp.authoring.validate", "quizapp.authoring.schema", "quizapp.authoring.scaffold",
        "quizapp.render", "quizapp.mock.session", "quizapp.mock.report", "quizapp.mock.store", "quizapp.review",
        "quizapp.stats", "quizapp.progress", "quizapp.transfer"]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_core_imports_without_textual_or_torch() -> None:
    loaded = _modules_after("\n".join(f"import {m}" for m in CORE) +
                            "\nfrom quizapp import Grader, load_bank\nload_bank()")
    assert not any(m == "textual" or m.startswith("textual.") for m in loaded)
    assert "torch" not in loaded, "the parent process must never import torch (CUDA must not be initialised)"


def test_core_imports_when_textual_is_missing() -> None:
    code = ("import sys\nclass Block:\n    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'textual' or name.startswith('textual.'):\n"
            "            raise ImportError('textual blocked')\n"
            "sys.meta_path.insert(0, Block())\n" + "\n".join(f"import {m}" for m in CORE))
    subprocess.run([sys.executable, "-c", code], check=True)
