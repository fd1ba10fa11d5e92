"""The progress store: migrations, drafts, attempts, statuses, integrity check and backup restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizapp import progress
from quizapp.models import GradeResult, TestResult
from quizapp.progress import MIGRATIONS, Store, StoreError


class Clock:
    """A settable clock (epoch seconds)."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _result(status: str = "passed", passed: int = 2, total: int = 2) -> GradeResult:
    return GradeResult(question="q1", status=status, passed=passed, total=total, device="cpu",  # type: ignore[arg-type]
                       duration_s=0.25, tests=[TestResult("keeps shape", "passed"),
                                               TestResult("scales survivors", "failed", "off by 2")])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Store:
    s = Store.open(tmp_path, clock=clock)
    yield s  # type: ignore[misc]
    s.close()


def test_open_applies_every_migration_in_wal_mode(store: Store) -> None:
    assert store.schema_version == len(MIGRATIONS)
    assert store.query("PRAGMA journal_mode")[0][0] == "wal"
    assert store.path.name == "progress.db"


def test_default_home_honours_quizapp_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "h"))
    with Store.open() as s:
        assert s.path == tmp_path / "h" / "progress.db"


def test_appended_migration_runs_once_on_next_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(tmp_path).close()
    monkeypatch.setattr(progress, "MIGRATIONS", [*MIGRATIONS, "CREATE TABLE extra (x INTEGER);"])
    with Store.open(tmp_path) as s:
        assert s.schema_version == len(MIGRATIONS) + 1
        assert s.query("SELECT COUNT(*) FROM extra")[0][0] == 0
    with Store.open(tmp_path) as s:  # not applied twice (CREATE TABLE would fail)
        assert s.schema_version == len(MIGRATIONS) + 1


def test_failed_migration_leaves_the_version_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(tmp_path).close()
    monkeypatch.setattr(progress, "MIGRATIONS", [*MIGRATIONS, "CREATE TABLE ok (x); SELECT * FROM nowhere;"])
    with pytest.raises(StoreError):
        Store.open(tmp_path)
    monkeypatch.setattr(progress, "MIGRATIONS", MIGRATIONS)
    with Store.open(tmp_path) as s:
        assert s.schema_version == len(MIGRATIONS)
        assert not s.query("SELECT name FROM sqlite_master WHERE name = 'ok'")


def test_a_store_from_a_newer_quizapp_is_refused(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    conn = sqlite3.connect(tmp_path / "progress.db")
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer quizapp"):
        Store.open(tmp_path)


def test_drafts_round_trip_and_survive_reopen(tmp_path: Path, clock: Clock) -> None:
    with Store.open(tmp_path, clock=clock) as s:
        assert s.draft("q1") is None
        s.save_draft("q1", "def f():\n    pass\n")
        s.save_draft("q1", "def f():\n    return 1\n")
    with Store.open(tmp_path, clock=clock) as s:
        assert s.draft("q1") == "def f():\n    return 1\n"
        s.delete_draft("q1")
        assert s.draft("q1") is None


def test_settings_hold_json_values(store: Store) -> None:
    assert store.get_setting("device", "auto") == "auto"
    store.set_setting("device", "cpu")
    store.set_setting("layout", {"split": [2, 3]})
    assert store.get_setting("device") == "cpu"
    assert store.settings() == {"device": "cpu", "layout": {"split": [2, 3]}}


def test_attempts_record_the_grade_and_the_hints_used(store: Store, clock: Clock) -> None:
    store.reveal_hint("q1", 0)
    store.reveal_hint("q1", 1)
    store.reveal_hint("q1", 1)  # revealing twice counts once
    clock.now += 60
    attempt = store.record_grade("q1", "code", _result("failed", 1, 2))
    assert attempt.hints_used == 2
    [back] = store.attempts("q1")
    assert back.kind == "submit" and back.status == "failed" and back.created_at == clock.now
    assert back.grade_result() == _result("failed", 1, 2)
    assert back.device == "cpu" and back.duration_s == 0.25 and back.code == "code"


def test_status_is_new_attempted_solved_or_due(store: Store) -> None:
    ids = ["fresh", "drafted", "tried", "examples-only", "solved", "gave-up", "chosen"]
    store.save_draft("drafted", "x")
    store.record_grade("tried", "x", _result("failed", 0, 2))
    store.record_grade("examples-only", "x", _result("passed"), examples=True)
    store.record_grade("solved", "x", _result("failed", 0, 2))
    store.record_grade("solved", "x", _result("passed"))
    store.give_up("gave-up")
    store.record_attempt("chosen", "choice", status="passed", passed=1, total=1)
    assert store.statuses(ids) == {"fresh": "new", "drafted": "attempted", "tried": "attempted",
                                   "examples-only": "attempted", "solved": "solved", "gave-up": "attempted",
                                   "chosen": "solved"}
    assert store.can_see_answer("solved") and store.can_see_answer("gave-up")
    assert not store.can_see_answer("tried")
    assert store.status_for("solved", due={"solved"}) == "due"
    assert store.status_for("tried", due={"solved"}) == "attempted"


def test_backup_is_refreshed_at_most_once_per_interval(tmp_path: Path, clock: Clock) -> None:
    with Store.open(tmp_path, clock=clock, backup_interval_s=600) as s:
        assert s.backup_path.exists()  # first clean open writes one
        first = s.backup_path.stat().st_mtime
        assert s.maybe_backup() is False
        clock.now += 601
        assert s.maybe_backup() is True
        assert s.backup_path.stat().st_mtime > first


def _corrupt_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = b"\x00garbage" * 12 + b"xxxx"
    path.write_bytes(bytes(data))


def test_damaged_store_is_restored_from_the_backup(tmp_path: Path, clock: Clock) -> None:
    with Store.open(tmp_path, clock=clock) as s:
        s.save_draft("q1", "kept in the backup")
        s.backup()
        s.save_draft("q2", "written after the backup")
    _corrupt_header(tmp_path / "progress.db")
    clock.now += 3600
    with Store.open(tmp_path, clock=clock) as s:
        assert s.recovery is not None and "restored the backup" in s.recovery
        assert s.draft("q1") == "kept in the backup"
        assert s.draft("q2") is None
        assert s.schema_version == len(MIGRATIONS)
    kept = list(tmp_path.glob("progress.db.damaged-*"))
    assert kept, "the damaged file is kept for inspection"
    with Store.open(tmp_path, clock=clock) as s:  # the next open is clean again
        assert s.recovery is None


def test_damaged_page_is_detected_by_the_integrity_check(tmp_path: Path, clock: Clock) -> None:
    with Store.open(tmp_path, clock=clock) as s:
        with s.transaction() as conn:
            conn.executemany("INSERT INTO attempts (uid, question_id, kind, code, status, created_at) "
                             "VALUES (?, ?, 'choice', ?, 'passed', 0)",
                             [(f"u{i}", f"q{i}", "x" * 200) for i in range(300)])
        s.backup()
    db = tmp_path / "progress.db"
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(2 * page, min(len(data), 6 * page), 7):
        data[offset] = (data[offset] + 91) % 256
    db.write_bytes(bytes(data))
    with Store.open(tmp_path, clock=clock) as s:
        assert s.recovery is not None
        assert len(s.attempts()) == 300


def test_damaged_store_without_backup_starts_fresh_and_says_so(tmp_path: Path, clock: Clock) -> None:
    with Store.open(tmp_path, clock=clock) as s:
        s.save_draft("q1", "lost")
    (tmp_path / "progress.backup.db").unlink()
    _corrupt_header(tmp_path / "progress.db")
    with Store.open(tmp_path, clock=clock) as s:
        assert s.recovery is not None and "no usable backup" in s.recovery
        assert s.draft("q1") is None


def test_writes_are_committed_before_returning(tmp_path: Path) -> None:
    """A second connection (another process) sees a draft as soon as save_draft returns."""
    with Store.open(tmp_path) as s:
        s.save_draft("q1", "typed")
        other = sqlite3.connect(tmp_path / "progress.db")
        assert other.execute("SELECT code FROM drafts").fetchone() == ("typed",)
        other.close()
