"""The question list's index: used only while every question file is exactly as it was indexed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from quizapp.bank import load_bank
from quizapp.bank_index import IndexEntry, files_key, read_index, write_index

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "bank"


def _indexed(tmp_path: Path) -> tuple[Path, Path, list[IndexEntry]]:
    root, cache = tmp_path / "bank", tmp_path / "cache"
    shutil.copytree(FIXTURE, root)
    entries = [IndexEntry.of(q) for q in load_bank(root).values()]
    write_index(root, cache, entries, files_key(root))
    return root, cache, entries


def test_an_unchanged_bank_reads_back_its_rows(tmp_path: Path) -> None:
    """ids, titles, topics, tags, difficulty and kind as plain strings"""
    root, cache, entries = _indexed(tmp_path)
    assert read_index(root, cache) == entries
    assert {e.kind for e in entries} == {"code", "choice", "short"} and all(isinstance(e.difficulty, str)
                                                                            for e in entries)


def test_any_edit_addition_or_removal_makes_it_stale(tmp_path: Path) -> None:
    """a touched file (same size), a new file and a removed file each invalidate the index"""
    root, cache, _ = _indexed(tmp_path)
    first = sorted(root.glob("*/*.yaml"))[0]
    st = first.stat()
    os.utime(first, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert read_index(root, cache) is None
    root, cache, _ = _indexed(tmp_path / "2")
    shutil.copy(first, root / first.parent.name / "copy.yaml")
    assert read_index(root, cache) is None
    root, cache, _ = _indexed(tmp_path / "3")
    next(root.glob("*/*.yaml")).unlink()
    assert read_index(root, cache) is None


def test_an_edit_made_while_loading_is_not_hidden(tmp_path: Path) -> None:
    """the key is taken before the load: a file changed in between leaves the index stale"""
    root, cache = tmp_path / "bank", tmp_path / "cache"
    shutil.copytree(FIXTURE, root)
    key = files_key(root)
    first = sorted(root.glob("*/*.yaml"))[0]
    first.write_text(first.read_text() + "\n", encoding="utf-8")  # edited while "loading"
    write_index(root, cache, [], key)
    assert read_index(root, cache) is None


def test_a_missing_or_foreign_index_is_only_a_slower_start(tmp_path: Path) -> None:
    """no file, garbage, another bank's index: None, never an error"""
    root, cache, _ = _indexed(tmp_path)
    assert read_index(root, tmp_path / "elsewhere") is None
    (cache / "bank-index.json").write_text("{not json", encoding="utf-8")
    assert read_index(root, cache) is None
    other = tmp_path / "other"
    shutil.copytree(root, other)
    write_index(other, cache, [], files_key(other))
    assert read_index(root, cache) is None
