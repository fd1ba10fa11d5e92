"""Ships the question bank inside the wheel (everything else is in pyproject.toml).

`questions/` and `solutions/` stay at the top of the repository, where authors and rustlings-style
tools expect them; a wheel (`pip install .`, `pipx install .`, `uv tool install .`) carries a copy
of both as `quizapp/_bundled/`, which `quizapp.paths.BUNDLED_BANK` prefers when it exists. An
editable install builds no copy and reads the checkout's folders directly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = ("questions", "solutions")


class BuildPyWithBank(build_py):
    """`build_py` that also copies the bank and its model solutions into the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's own folders
            return
        for name in BUNDLED:
            source = HERE / name
            if not source.is_dir():  # building from an sdist that lacks them would ship an empty app
                raise SystemExit(f"setup.py: {source} is missing; the wheel must carry the question bank")
            target = Path(self.build_lib) / "quizapp" / "_bundled" / name
            shutil.rmtree(target, ignore_errors=True)  # build/ persists: a deleted question must not
            shutil.copytree(source, target, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildPyWithBank})
