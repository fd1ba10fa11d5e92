"""Export/import of progress: a faithful round trip, merges without duplicates, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.models import GradeResult
from quizapp.progress import SYNCED_TABLES, Store
from quizapp.transfer import TransferError, export, export_command, import_, import_command


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _fill(store: Store) -> None:
    store.record_grade("q1", "code", GradeResult("q1", "passed", 3, 3, "cpu", 0.5))
    store.record_attempt("c1", "choice", status="failed", code="[1]", result={"selected": [1]})
    store.save_draft("q1", "draft one")
    store.set_setting("editor_theme", "monokai")
    store.reveal_hint("q1", 0)
    store.give_up("q2")


def _rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    out = {}
    for spec in SYNCED_TABLES:
        cols = [r["name"] for r in store.query(f"PRAGMA table_info({spec.name})") if r["name"] not in spec.local]
        out[spec.name] = sorted(tuple(r) for r in store.query(f"SELECT {', '.join(cols)} FROM {spec.name}"))
    return out


def test_export_then_import_reproduces_every_table(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a", clock=Clock()) as a:
        _fill(a)
        counts = export(a, tmp_path / "p.json")
        expected = _rows(a)
    assert counts["attempts"] == 2 and counts["drafts"] == 1
    doc = json.loads((tmp_path / "p.json").read_text())
    assert doc["format"] == "quizapp-progress" and doc["version"] == 1
    with Store.open(tmp_path / "b") as b:
        summary = import_(b, tmp_path / "p.json")
        assert _rows(b) == expected
        assert summary.added["attempts"] == 2
        assert b.status_for("q1") == "solved"


def test_machine_settings_stay_on_their_machine(tmp_path: Path) -> None:
    """the external editor's path and the grading device are not exported, and an older file that
    carries them does not overwrite this machine's; portable settings (the theme) travel"""
    with Store.open(tmp_path / "a", clock=Clock()) as a:
        a.set_setting("editor", "/opt/homebrew/bin/nvim")
        a.set_setting("device", "cuda")
        a.set_setting("editor_theme", "dracula")
        export(a, tmp_path / "p.json")
    keys = {row["key"] for row in json.loads((tmp_path / "p.json").read_text())["tables"]["settings"]}
    assert keys == {"editor_theme"}
    doc = json.loads((tmp_path / "p.json").read_text())
    doc["tables"]["settings"].append({"key": "editor", "value": json.dumps("/old/vim"), "updated_at": 2e9})
    (tmp_path / "old.json").write_text(json.dumps(doc))
    with Store.open(tmp_path / "b", clock=Clock()) as b:
        b.set_setting("editor", "code --wait")
        import_(b, tmp_path / "old.json")
        assert b.get_setting("editor") == "code --wait" and b.get_setting("editor_theme") == "dracula"


def test_importing_twice_adds_nothing_twice(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a") as a:
        _fill(a)
        export(a, tmp_path / "p.json")
        again = import_(a, tmp_path / "p.json")  # into the store it came from
        assert sum(again.added.values()) == 0 and sum(again.updated.values()) == 0
        assert again.describe() == "nothing new to import"
        assert len(a.attempts()) == 2


def test_merge_keeps_both_machines_attempts_and_the_newer_draft(tmp_path: Path) -> None:
    clock_a, clock_b = Clock(100.0), Clock(200.0)
    with Store.open(tmp_path / "a", clock=clock_a) as a, Store.open(tmp_path / "b", clock=clock_b) as b:
        a.record_attempt("q1", "choice", status="passed")
        a.save_draft("q1", "older on a")
        a.save_draft("q3", "only on a")
        b.record_attempt("q1", "choice", status="failed")
        b.save_draft("q1", "newer on b")
        export(a, tmp_path / "a.json")
        summary = import_(b, tmp_path / "a.json")
        assert len(b.attempts("q1")) == 2
        assert b.draft("q1") == "newer on b"
        assert b.draft("q3") == "only on a"
        assert summary.added["drafts"] == 1 and summary.updated["drafts"] == 0
        export(b, tmp_path / "b.json")
        summary = import_(a, tmp_path / "b.json")
        assert a.draft("q1") == "newer on b" and summary.updated["drafts"] == 1
        assert "1 attempts" in summary.describe()


BAD_FILES = {
    "not json": ("{oops", "not valid JSON"),
    "wrong format": ('{"format": "other"}', "not a quizapp progress file"),
    "newer version": ('{"format": "quizapp-progress", "version": 99, "tables": {}}', "newer quizapp"),
    "tables not an object": ('{"format": "quizapp-progress", "version": 1, "tables": []}', "tables"),
    "rows not a list": ('{"format": "quizapp-progress", "version": 1, "tables": {"drafts": {}}}', "list"),
    "row missing its key": ('{"format": "quizapp-progress", "version": 1, "tables": {"drafts": '
                            '[{"code": "x", "updated_at": 1}]}}', "lacks question_id"),
    "unknown column": ('{"format": "quizapp-progress", "version": 1, "tables": {"drafts": '
                       '[{"question_id": "q", "code": "x", "updated_at": 1, "colour": 2}]}}', "unknown column"),
    "missing required column": ('{"format": "quizapp-progress", "version": 1, "tables": {"drafts": '
                                '[{"question_id": "q"}]}}', "NOT NULL"),
    "bad json column": ('{"format": "quizapp-progress", "version": 1, "tables": {"settings": '
                        '[{"key": "k", "value": "{not json", "updated_at": 1}]}}', "JSON text"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_is_one_line_and_changes_nothing(tmp_path: Path, name: str) -> None:
    text, expected = BAD_FILES[name]
    path = tmp_path / "bad.json"
    # A valid row first, so that atomicity is tested: it must not be kept when a later row fails.
    doc = text
    if '"drafts": [' in text:
        doc = text.replace('"drafts": [', '"drafts": [{"question_id": "ok", "code": "c", "updated_at": 1}, ')
    path.write_text(doc)
    with Store.open(tmp_path / "h") as s:
        with pytest.raises(TransferError, match=expected) as info:
            import_(s, path)
        assert "\n" not in str(info.value)
        assert s.draft("ok") is None


def test_unknown_tables_from_a_newer_export_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"format": "quizapp-progress", "version": 1,
                                "tables": {"holograms": [{"x": 1}], "drafts": []}}))
    with Store.open(tmp_path / "h") as s:
        summary = import_(s, path)
    assert summary.skipped_tables == ["holograms"]
    assert "skipped unknown tables: holograms" in summary.describe()


def test_commands_print_one_line_and_return_exit_codes(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(tmp_path / "h") as s:
        _fill(s)
    assert export_command(tmp_path / "p.json", tmp_path / "h") == 0
    out = capsys.readouterr().out
    assert out.startswith("exported 2 attempts") and out.count("\n") == 1
    assert import_command(tmp_path / "p.json", tmp_path / "other") == 0
    assert capsys.readouterr().out.startswith("imported 2 attempts")
    assert import_command(tmp_path / "missing.json", tmp_path / "other") == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("quizapp: error: import: cannot read") and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err
    assert export_command(tmp_path / "no" / "such" / "dir" / "p.json", tmp_path / "h") == 2
    assert capsys.readouterr().err.startswith("quizapp: error: export: cannot write")
