"""Where things live: the bundled bank and its solutions, a bank's solutions, progress and caches.

The one place that knows the layout (`<bank>/<topic>/<id>.yaml`, model answers in `solutions/`
beside the bank folder) and the only reader of `QUIZAPP_HOME`. Light on purpose: the command line
imports it before anything else.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_INSTALLED_BANK = _PACKAGE / "_bundled" / "questions"
"""Where a wheel carries `questions/` (and `solutions/` beside it): see `setup.py`."""
_SOURCE_BANK = _PACKAGE.parent / "questions"
"""The repository's own `questions/`, used by a checkout and an editable install."""

BUNDLED_BANK = _INSTALLED_BANK if _INSTALLED_BANK.is_dir() else _SOURCE_BANK
"""The question bank shipped with quizapp (inside the installed package, or the checkout's)."""


def solutions_dir(bank: Path) -> Path:
    """Where the model solutions of the bank at `bank` live: `solutions/` beside the bank folder."""
    return bank.resolve().parent / "solutions"


def bank_root_for(path: Path) -> Path:
    """The bank folder that holds `path`: a question file (`<bank>/<topic>/<id>.yaml`), a topic
    folder (it holds `*.yaml` itself), or the bank folder."""
    path = path.resolve()
    if path.is_file() or path.suffix in (".yaml", ".yml"):
        return path.parent.parent
    if any(path.glob("*.yaml")):
        return path.parent
    return path


def home_override() -> Path | None:
    """`$QUIZAPP_HOME` when it is set (and not empty), else None."""
    value = os.environ.get("QUIZAPP_HOME")
    return Path(value).expanduser() if value else None


def home_dir() -> Path:
    """Where progress lives: `$QUIZAPP_HOME`, else the platform's user data folder for quizapp."""
    override = home_override()
    if override is not None:
        return override
    from platformdirs import user_data_dir

    return Path(user_data_dir("quizapp", appauthor=False))


def cache_dir() -> Path:
    """`$QUIZAPP_HOME/cache`, else the platform's user cache folder (mutant signatures live here)."""
    override = home_override()
    if override is not None:
        return override / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("quizapp"))
