"""The learner's progress: a SQLite store of attempts, drafts, settings, hints and give-ups.

Why SQLite in WAL mode with `synchronous=FULL`: every committed write (a draft saved half a second
after typing, an attempt) survives a crash, `kill -9` or a power cut, and a second process (the TUI
and `quizapp watch` side by side) can read while the other writes.

Why an integrity check and a rolling backup on open: a damaged file must never cost the learner
their history silently. When the check fails, the damaged file is moved aside, the last good
backup is restored, and `Store.recovery` says so in a sentence the UI shows.

Schema changes are append-only: add a script to `MIGRATIONS` (never edit an applied one); the
version lives in `PRAGMA user_version`. Tables that should travel with `quizapp export`/`import`
are listed in `SYNCED_TABLES`.

This module never imports Textual or torch: the CLI, `watch` and the TUI all share it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from quizapp.errors import QuizappError

if TYPE_CHECKING:  # imported lazily: pydantic-backed models cost ~60 ms, and the app's first screen needs none
    from quizapp.models import GradeResult

Clock = Callable[[], float]
"""Returns the current time as seconds since the epoch (injected so tests control time)."""

AttemptKind = Literal["submit", "examples", "choice", "short"]
QuestionStatus = Literal["new", "attempted", "solved", "due"]
Rating = Literal["again", "hard", "good", "easy"]
RATINGS: tuple[Rating, ...] = ("again", "hard", "good", "easy")
SOLVED_RATINGS: tuple[Rating, ...] = ("good", "easy")
"""A self-rated answer counts as solved with one of these ratings (in practice and in mock interviews)."""
RATING_SCORE: dict[Rating, float] = {"again": 0.0, "hard": 0.5, "good": 1.0, "easy": 1.0}
"""How much of a question a self-rating says the learner knew: mastery and review both use it."""

DB_NAME = "progress.db"
BACKUP_NAME = "progress.backup.db"
BACKUP_INTERVAL_S = 10 * 60.0

MIGRATIONS: list[str] = [
    # 1: the first schema.
    """
    CREATE TABLE attempts (
        id          INTEGER PRIMARY KEY,
        uid         TEXT    NOT NULL UNIQUE,          -- random; lets imports merge without duplicates
        question_id TEXT    NOT NULL,
        kind        TEXT    NOT NULL,                 -- submit | examples | choice | short
        code        TEXT    NOT NULL DEFAULT '',      -- the submitted code or the typed answer
        status      TEXT    NOT NULL,                 -- GradeResult.status; passed/failed for conceptual
        passed      INTEGER NOT NULL DEFAULT 0,
        total       INTEGER NOT NULL DEFAULT 0,
        result      TEXT    NOT NULL DEFAULT '{}',    -- JSON: GradeResult.to_json() or answer details
        rating      TEXT,                             -- again | hard | good | easy (self-rated answers)
        device      TEXT    NOT NULL DEFAULT '',
        duration_s  REAL    NOT NULL DEFAULT 0,
        hints_used  INTEGER NOT NULL DEFAULT 0,
        created_at  REAL    NOT NULL
    );
    CREATE INDEX attempts_by_question ON attempts (question_id, created_at);
    CREATE TABLE drafts (
        question_id TEXT PRIMARY KEY,
        code        TEXT NOT NULL,
        updated_at  REAL NOT NULL
    );
    CREATE TABLE settings (
        key         TEXT PRIMARY KEY,
        value       TEXT NOT NULL,                    -- JSON
        updated_at  REAL NOT NULL
    );
    CREATE TABLE hints_revealed (
        question_id TEXT    NOT NULL,
        hint_index  INTEGER NOT NULL,
        revealed_at REAL    NOT NULL,
        PRIMARY KEY (question_id, hint_index)
    );
    CREATE TABLE gave_up (
        question_id TEXT PRIMARY KEY,
        created_at  REAL NOT NULL
    );
    """,
    # 2: mock interviews and review cards (quizapp/mock_store.py).
    """
    CREATE TABLE mock_sessions (
        id          INTEGER PRIMARY KEY,
        uid         TEXT    NOT NULL UNIQUE,          -- random; lets imports merge without duplicates
        plan        TEXT    NOT NULL,                 -- JSON: MockPlan.to_json()
        state       TEXT    NOT NULL,                 -- JSON: MockSession.to_json(), saved on every tick
        started_at  REAL    NOT NULL,
        finished_at REAL,                             -- NULL while the interview can still be resumed
        report      TEXT,                             -- JSON: MockReport.to_json() once finished
        updated_at  REAL    NOT NULL
    );
    CREATE INDEX mock_sessions_by_start ON mock_sessions (finished_at, started_at);
    CREATE TABLE review_cards (
        question_id TEXT PRIMARY KEY,
        card        TEXT NOT NULL,                    -- JSON: fsrs.Card.to_json()
        updated_at  REAL NOT NULL
    );
    """,
    # 3: a discarded interview is kept (its answers are not lost) and its id is never reused.
    """
    ALTER TABLE mock_sessions ADD COLUMN discarded_at REAL;   -- NULL unless discarded unfinished
    """,
    # Append new scripts here; never edit the ones above.
]


@dataclass(frozen=True)
class SyncedTable:
    """A table that `quizapp export` writes and `quizapp import` merges."""

    name: str
    """The SQL table name."""
    key: tuple[str, ...]
    """Columns that identify a row across machines; they must carry a UNIQUE or PRIMARY KEY constraint."""
    newer: str | None = None
    """On a key clash, the row with the larger value in this column wins; None keeps the existing row."""
    local: tuple[str, ...] = ()
    """Columns that only make sense on one machine (e.g. an autoincrement id); never exported."""
    json: tuple[str, ...] = ()
    """Columns holding JSON text; an import checks that they parse."""
    machine_keys: tuple[str, ...] = ()
    """Values of the (single-column) key whose rows belong to this machine: never exported, ignored
    on import (the external editor's path, the grading device)."""


SYNCED_TABLES: list[SyncedTable] = [
    SyncedTable("attempts", key=("uid",), local=("id",), json=("result",)),
    SyncedTable("drafts", key=("question_id",), newer="updated_at"),
    SyncedTable("settings", key=("key",), newer="updated_at", json=("value",), machine_keys=("editor", "device")),
    SyncedTable("hints_revealed", key=("question_id", "hint_index")),
    SyncedTable("gave_up", key=("question_id",)),
    SyncedTable("mock_sessions", key=("uid",), newer="updated_at", local=("id",), json=("plan", "state")),
    SyncedTable("review_cards", key=("question_id",), newer="updated_at", json=("card",)),
]
"""Append a `SyncedTable` when a migration adds a table that should move between machines."""


class StoreError(QuizappError):
    """The store cannot be used (e.g. written by a newer quizapp); the message is one sentence."""


@dataclass(frozen=True)
class Attempt:
    """One recorded attempt at a question."""

    uid: str
    """Stable id, unique across machines."""
    question_id: str
    kind: AttemptKind
    """submit (hidden tests), examples (visible tests), choice or short."""
    code: str
    """The submitted code or the typed answer."""
    status: str
    """GradeResult.status for code; passed/failed for conceptual answers."""
    passed: int
    total: int
    result: dict[str, Any]
    """GradeResult.to_json() for code; the selection or rubric ticks for conceptual answers."""
    rating: Rating | None
    device: str
    duration_s: float
    hints_used: int
    created_at: float

    def grade_result(self) -> GradeResult | None:
        """The grading result for code attempts, None for conceptual ones."""
        if self.kind in ("submit", "examples") and self.result:
            from quizapp.models import GradeResult

            return GradeResult.from_json(self.result)
        return None


def default_home() -> Path:
    """Where progress lives: `$QUIZAPP_HOME`, else the platform's user data dir for "quizapp"."""
    from quizapp.paths import home_dir

    return home_dir()


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
    conn.row_factory = sqlite3.Row
    return conn


def _check(path: Path) -> str | None:
    """Run `PRAGMA integrity_check` on `path`; None when healthy, else what is wrong (one line)."""
    conn = None
    try:
        conn = _connect(path)
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        if conn is not None:
            conn.close()
    if rows == ["ok"]:
        return None
    return "; ".join(rows[:3]) or "integrity check failed"


def _sidecars(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


class Store:
    """The progress store. Open with `Store.open(home)`; use from one thread at a time (it locks anyway).

    Args:
        path: the database file.
        clock: current time in epoch seconds; injected for tests.
        backup_interval_s: a clean open refreshes the rolling backup when it is older than this.
    """

    def __init__(self, path: Path, *, clock: Clock = time.time,
                 backup_interval_s: float = BACKUP_INTERVAL_S) -> None:
        self.path = path
        self.backup_path = path.with_name(BACKUP_NAME)
        self.clock = clock
        self.backup_interval_s = backup_interval_s
        self.recovery: str | None = None
        """Set when the store was damaged and restored on open: what happened, for the user."""
        """Review scheduling plugs in here: returns True when a question is due for review."""
        self._lock = threading.RLock()
        path.parent.mkdir(parents=True, exist_ok=True)
        problem = _check(path) if path.exists() else None
        if problem is not None:
            self.recovery = self._recover(problem)
        self._conn = _connect(path)
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreError(f"cannot open the progress store {path}: {exc}") from None
        except StoreError:
            self._conn.close()
            raise
        if problem is None:
            self.maybe_backup()

    @classmethod
    def open(cls, home: Path | None = None, *, clock: Clock = time.time,
             backup_interval_s: float = BACKUP_INTERVAL_S) -> Store:
        """Open (creating if needed) the store in `home` (default: `default_home()`)."""
        home = Path(home) if home is not None else default_home()
        return cls(home / DB_NAME, clock=clock, backup_interval_s=backup_interval_s)

    # -- lifecycle ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The applied migration count (`PRAGMA user_version`)."""
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer quizapp (schema {version}, this one "
                             f"knows {len(MIGRATIONS)}); upgrade quizapp to use it")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            try:
                self._conn.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
            except sqlite3.DatabaseError:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside commits together or not at all."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Read rows (for helpers such as `transfer` that work on whole tables)."""
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # -- backup and recovery -----------------------------------------------------------------------

    def backup(self) -> Path:
        """Write a consistent copy of the store to the rolling backup file, atomically."""
        tmp = self.backup_path.with_name(self.backup_path.name + ".tmp")
        for p in _sidecars(tmp):
            p.unlink(missing_ok=True)
        with self._lock:
            dst = sqlite3.connect(tmp)
            try:
                self._conn.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        os.replace(tmp, self.backup_path)
        now = self.clock()
        os.utime(self.backup_path, (now, now))
        return self.backup_path

    def maybe_backup(self) -> bool:
        """Refresh the backup when it is missing or older than `backup_interval_s`; True if written."""
        try:
            age = self.clock() - self.backup_path.stat().st_mtime
        except FileNotFoundError:
            age = float("inf")
        if age < self.backup_interval_s:
            return False
        try:
            self.backup()
        except (OSError, sqlite3.Error):
            return False  # a missing backup must never stop the learner from practising
        return True

    def _recover(self, problem: str) -> str:
        """Move the damaged file aside and restore the backup; return what happened, for the user."""
        stamp = datetime.fromtimestamp(self.clock()).strftime("%Y%m%d-%H%M%S")
        kept = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        for src in _sidecars(self.path):
            if src.exists():
                os.replace(src, kept.with_name(kept.name + src.name[len(self.path.name):]))
        if self.backup_path.exists() and _check(self.backup_path) is None:
            src_conn = sqlite3.connect(self.backup_path)
            dst_conn = sqlite3.connect(self.path)
            try:
                src_conn.backup(dst_conn)
            finally:
                src_conn.close()
                dst_conn.close()
            when = datetime.fromtimestamp(self.backup_path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
            return (f"The progress store was damaged ({problem}); restored the backup from {when}. "
                    f"The damaged file is kept at {kept}.")
        return (f"The progress store was damaged ({problem}) and no usable backup exists; started a "
                f"fresh one. The damaged file is kept at {kept}.")

    # -- attempts ----------------------------------------------------------------------------------

    def record_attempt(self, question_id: str, kind: AttemptKind, *, status: str, code: str = "",
                       result: dict[str, Any] | None = None, passed: int = 0, total: int = 0,
                       rating: Rating | None = None, device: str = "", duration_s: float = 0.0,
                       hints_used: int | None = None) -> Attempt:
        """Record one attempt; `hints_used` defaults to the hints revealed so far for the question."""
        if hints_used is None:
            hints_used = self.hints_revealed(question_id)
        attempt = Attempt(uid=uuid.uuid4().hex, question_id=question_id, kind=kind, code=code,
                          status=status, passed=passed, total=total, result=result or {}, rating=rating,
                          device=device, duration_s=duration_s, hints_used=hints_used,
                          created_at=self.clock())
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO attempts (uid, question_id, kind, code, status, passed, total, result, rating,"
                " device, duration_s, hints_used, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (attempt.uid, question_id, kind, code, status, passed, total, json.dumps(attempt.result),
                 rating, device, duration_s, hints_used, attempt.created_at))
        return attempt

    def record_grade(self, question_id: str, code: str, result: GradeResult, *,
                     examples: bool = False, hints_used: int | None = None) -> Attempt:
        """Record a graded code submission (hidden tests) or a run of the visible examples."""
        return self.record_attempt(
            question_id, "examples" if examples else "submit", status=result.status, code=code,
            result=result.to_json(), passed=result.passed, total=result.total, device=result.device,
            duration_s=result.duration_s, hints_used=hints_used)

    def record_choice(self, question_id: str, selected: Iterable[int], correct: Iterable[int], *,
                      mock: bool = False) -> Attempt:
        """Record a multiple-choice answer: solved exactly when the selection is the correct set.
        Practice and mock interviews both record through here, so "solved" means one thing."""
        picked, right = sorted(set(selected)), sorted(set(correct))
        ok = picked == right
        return self.record_attempt(question_id, "choice", status="passed" if ok else "failed",
                                   code=json.dumps(picked), result={"selected": picked, "correct": right, "mock": mock},
                                   passed=int(ok), total=1, hints_used=0)

    def record_short(self, question_id: str, text: str, rating: Rating, rubric: list[bool], *,
                     mock: bool = False) -> Attempt:
        """Record a self-rated short answer: solved exactly when rated good or easy (a mock interview
        rates it from the rubric points ticked, `quizapp.review.rating_for`). One definition for both."""
        return self.record_attempt(question_id, "short", status="passed" if rating in SOLVED_RATINGS else "failed",
                                   code=text, rating=rating, result={"rating": rating, "rubric": rubric, "mock": mock},
                                   passed=sum(rubric), total=len(rubric), hints_used=0)

    def attempts(self, question_id: str | None = None) -> list[Attempt]:
        """Attempts, oldest first; all of them or one question's."""
        sql = "SELECT * FROM attempts"
        params: tuple[Any, ...] = ()
        if question_id is not None:
            sql += " WHERE question_id = ?"
            params = (question_id,)
        rows = self.query(sql + " ORDER BY created_at, id", params)
        return [Attempt(uid=r["uid"], question_id=r["question_id"], kind=r["kind"], code=r["code"],
                        status=r["status"], passed=r["passed"], total=r["total"],
                        result=json.loads(r["result"] or "{}"), rating=r["rating"], device=r["device"],
                        duration_s=r["duration_s"], hints_used=r["hints_used"],
                        created_at=r["created_at"]) for r in rows]

    # -- drafts ------------------------------------------------------------------------------------

    def save_draft(self, question_id: str, code: str) -> None:
        """Keep the editor buffer; committed (fsynced) before returning."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO drafts (question_id, code, updated_at) VALUES (?,?,?) "
                         "ON CONFLICT (question_id) DO UPDATE SET code = excluded.code, "
                         "updated_at = excluded.updated_at", (question_id, code, self.clock()))

    def draft(self, question_id: str) -> str | None:
        """The saved buffer, or None if the learner never typed in this question."""
        rows = self.query("SELECT code FROM drafts WHERE question_id = ?", (question_id,))
        return str(rows[0]["code"]) if rows else None

    def delete_draft(self, question_id: str) -> None:
        """Forget the buffer (the next open starts from the starter)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM drafts WHERE question_id = ?", (question_id,))

    # -- settings ----------------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A setting's value (any JSON value), or `default`."""
        rows = self.query("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(rows[0]["value"]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        """Persist a setting (any JSON-serialisable value)."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO settings (key, value, updated_at) VALUES (?,?,?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                         "updated_at = excluded.updated_at", (key, json.dumps(value), self.clock()))

    def settings(self) -> dict[str, Any]:
        """Every stored setting."""
        return {r["key"]: json.loads(r["value"]) for r in self.query("SELECT key, value FROM settings")}

    # -- hints and giving up -----------------------------------------------------------------------

    def reveal_hint(self, question_id: str, index: int) -> None:
        """Record that hint `index` (0-based) was shown."""
        with self.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO hints_revealed (question_id, hint_index, revealed_at) "
                         "VALUES (?,?,?)", (question_id, index, self.clock()))

    def hints_revealed(self, question_id: str) -> int:
        """How many hints the learner has seen for the question."""
        rows = self.query("SELECT COUNT(*) FROM hints_revealed WHERE question_id = ?", (question_id,))
        return int(rows[0][0])

    def give_up(self, question_id: str) -> None:
        """Record that the learner chose to see the model answer before solving the question."""
        with self.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO gave_up (question_id, created_at) VALUES (?,?)",
                         (question_id, self.clock()))

    def gave_up(self, question_id: str) -> bool:
        """Whether the learner gave up on the question (at any time)."""
        return bool(self.query("SELECT 1 FROM gave_up WHERE question_id = ?", (question_id,)))

    # -- status ------------------------------------------------------------------------------------

    def is_solved(self, question_id: str) -> bool:
        """Solved: hidden tests all passed, a choice answered right, or a short answer rated good/easy."""
        rows = self.query("SELECT 1 FROM attempts WHERE question_id = ? AND kind != 'examples' "
                          "AND status = 'passed' LIMIT 1", (question_id,))
        return bool(rows)

    def can_see_answer(self, question_id: str) -> bool:
        """The model answer is shown once the question is solved or the learner gave up."""
        return self.is_solved(question_id) or self.gave_up(question_id)

    def status_for(self, question_id: str, due: Collection[str] = ()) -> QuestionStatus:
        """new, attempted, solved, or due (for review: in `due`, which wins over the others)."""
        return self.statuses([question_id], due)[question_id]

    def statuses(self, question_ids: list[str], due: Collection[str] = ()) -> dict[str, QuestionStatus]:
        """`status_for` for many questions with three queries in all (the browse table).

        `due` is the set of questions due for review (`quizapp.review.due_ids`): spaced review sits a
        layer above the store, so it is passed in, never looked up from here."""
        solved = {r[0] for r in self.query(
            "SELECT DISTINCT question_id FROM attempts WHERE kind != 'examples' AND status = 'passed'")}
        touched = {r[0] for r in self.query(
            "SELECT question_id FROM attempts UNION SELECT question_id FROM drafts "
            "UNION SELECT question_id FROM gave_up")}
        out: dict[str, QuestionStatus] = {}
        for qid in question_ids:
            if qid in due:
                out[qid] = "due"
            elif qid in solved:
                out[qid] = "solved"
            elif qid in touched:
                out[qid] = "attempted"
            else:
                out[qid] = "new"
        return out
