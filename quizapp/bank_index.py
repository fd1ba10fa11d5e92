"""The question list without the questions: what the app's first screen needs, read in milliseconds.

Loading the bank means importing pydantic and validating every YAML file: a few hundred milliseconds
that the question list would otherwise wait for. The list needs only each question's id, title,
topic, tags, difficulty and kind, so after every full load the app writes those to a JSON file in
the cache folder, keyed by the path, size and modification time of every question file. On the
next start, if no file was added, removed or touched, the list shows from the index at once and the
full bank loads behind it; any change to the bank makes the key differ and the index is ignored.

Imports nothing heavier than `json`, so that the app's first frame does not pay for pydantic.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

INDEX_FORMAT = 1
"""Bumped when the stored fields change; an index of another format is ignored."""


def question_files(root: Path) -> list[Path]:
    """Every question file under `root` (`<topic>/<id>.yaml`), sorted."""
    return sorted(p for p in root.glob("*/*.yaml") if not p.name.startswith("."))


@dataclass(frozen=True)
class IndexEntry:
    """One row of the question list, as stored in the index."""

    id: str
    title: str
    topic: str
    tags: list[str]
    difficulty: str
    kind: str

    @classmethod
    def of(cls, question: Any) -> IndexEntry:
        """The row of a loaded question (typed loosely: importing the models would cost pydantic)."""
        return cls(question.id, question.title, question.topic, list(question.tags),
                   str(question.difficulty.value), str(question.kind.value))


FilesKey = dict[str, list[int]]


def files_key(root: Path) -> FilesKey:
    """Size and mtime (ns) of every question file: any edit, addition or removal changes it."""
    out = {}
    for path in question_files(root):
        st = os.stat(path)
        out[path.relative_to(root).as_posix()] = [st.st_size, st.st_mtime_ns]
    return out


def index_path(cache: Path) -> Path:
    """Where the index lives in the cache folder."""
    return cache / "bank-index.json"


def read_index(root: Path, cache: Path, key: FilesKey | None = None) -> list[IndexEntry] | None:
    """The stored list for `root`, or None when there is none or the bank changed since (`key`:
    `files_key(root)` when the caller already has it)."""
    try:
        data = json.loads(index_path(cache).read_text(encoding="utf-8"))
        if data.get("format") != INDEX_FORMAT or data.get("root") != str(root.resolve()):
            return None
        if data.get("files") != (files_key(root) if key is None else key):
            return None
        return [IndexEntry(**e) for e in data["entries"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None  # a missing, unreadable or foreign file is only a slower start


def write_index(root: Path, cache: Path, entries: Iterable[IndexEntry], key: FilesKey) -> None:
    """Store the list for `root` under `key`, taken *before* the bank was read (so an edit made
    while it loaded makes the next start ignore this index). Atomic: a reader sees old or new."""
    data: dict[str, Any] = {"format": INDEX_FORMAT, "root": str(root.resolve()), "files": key,
                            "entries": [asdict(e) for e in entries]}
    path = index_path(cache)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs the next start its head start
