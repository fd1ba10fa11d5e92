"""Move progress between machines: `quizapp export FILE` and `quizapp import FILE`.

The file is versioned JSON holding every table in `progress.SYNCED_TABLES` as a list of row
objects. Importing merges: rows are matched by each table's key, so importing the same file twice
(or a file exported from a machine that had imported ours) adds nothing twice; for drafts and
settings the newer row wins. A bad file is reported as one line (`TransferError`), never a traceback,
and leaves the store untouched.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.errors import QuizappError, print_error
from quizapp.progress import SYNCED_TABLES, Store, StoreError, SyncedTable

FORMAT = "quizapp-progress"
VERSION = 1


class TransferError(QuizappError):
    """The export or import cannot be done; the message is one line for the user."""


@dataclass
class ImportSummary:
    """What an import changed."""

    added: dict[str, int] = field(default_factory=dict)
    """New rows per table."""
    updated: dict[str, int] = field(default_factory=dict)
    """Rows replaced by a newer incoming row, per table."""
    skipped_tables: list[str] = field(default_factory=list)
    """Tables in the file this quizapp does not know (written by a newer version)."""

    def describe(self) -> str:
        """One line, e.g. `imported 12 attempts, 3 drafts (1 updated)`."""
        parts = []
        for table, added in self.added.items():
            updated = self.updated.get(table, 0)
            if added or updated:
                extra = f" ({updated} updated)" if updated else ""
                parts.append(f"{added} {table.replace('_', ' ')}{extra}")
        text = "imported " + ", ".join(parts) if parts else "nothing new to import"
        if self.skipped_tables:
            text += f"; skipped unknown tables: {', '.join(self.skipped_tables)}"
        return text


def _columns(store: Store, table: str) -> list[str]:
    return [r["name"] for r in store.query(f"PRAGMA table_info({table})")]


def export(store: Store, path: Path) -> dict[str, int]:
    """Write the synced tables to `path` as JSON; return the row count per table."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for spec in SYNCED_TABLES:
        cols = [c for c in _columns(store, spec.name) if c not in spec.local]
        order = ", ".join(spec.key)
        rows = store.query(f"SELECT {', '.join(cols)} FROM {spec.name} ORDER BY {order}")
        tables[spec.name] = [row for row in (dict(zip(cols, tuple(r), strict=True)) for r in rows)
                             if not _machine_row(spec, row)]
    doc = {"format": FORMAT, "version": VERSION, "schema_version": store.schema_version,
           "exported_at": store.clock(), "tables": tables}
    text = json.dumps(doc, indent=1, ensure_ascii=False)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise TransferError(f"cannot write {path}: {exc.strerror or exc}") from None
    return {name: len(rows) for name, rows in tables.items()}


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TransferError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise TransferError(f"{path} is not a quizapp progress file (not UTF-8 text)") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TransferError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                            f"{exc.msg})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise TransferError(f"{path} is not a quizapp progress file (no \"format\": \"{FORMAT}\")")
    version = doc.get("version")
    if not isinstance(version, int) or version < 1:
        raise TransferError(f"{path}: \"version\" must be a positive integer")
    if version > VERSION:
        raise TransferError(f"{path} was written by a newer quizapp (file version {version}, this one "
                            f"reads {VERSION}); upgrade quizapp")
    if not isinstance(doc.get("tables"), dict):
        raise TransferError(f"{path}: \"tables\" must be an object of table name -> list of rows")
    return doc


def _machine_row(spec: SyncedTable, row: dict[str, Any]) -> bool:
    return bool(spec.machine_keys) and row.get(spec.key[0]) in spec.machine_keys


def _merge_table(conn: sqlite3.Connection, spec: SyncedTable, columns: list[str],
                 rows: Any, where: str) -> tuple[int, int]:
    if not isinstance(rows, list):
        raise TransferError(f"{where}: {spec.name} must be a list of rows")
    usable = [c for c in columns if c not in spec.local]
    added = updated = 0
    for index, row in enumerate(rows):
        here = f"{where}: {spec.name}[{index}]"
        if not isinstance(row, dict):
            raise TransferError(f"{here} must be an object")
        missing = [k for k in spec.key if row.get(k) is None]
        if missing:
            raise TransferError(f"{here} lacks {', '.join(missing)}")
        if _machine_row(spec, row):  # another machine's editor path or device: not for this one
            continue
        unknown = sorted(set(row) - set(usable))
        if unknown:
            raise TransferError(f"{here} has unknown column {unknown[0]!r}")
        cols = list(row)
        values = []
        for c in cols:
            v = row[c]
            if isinstance(v, (dict, list)):
                raise TransferError(f"{here}.{c} must be a plain value, not {type(v).__name__}")
            if c in spec.json:
                try:
                    json.loads(v)
                except (TypeError, ValueError):
                    raise TransferError(f"{here}.{c} must be JSON text") from None
            values.append(v)
        keys = ", ".join(spec.key)
        sql = f"INSERT INTO {spec.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        if spec.newer is not None and spec.newer in cols:
            sets = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in spec.key)
            sql += (f" ON CONFLICT ({keys}) DO UPDATE SET {sets}"
                    f" WHERE excluded.{spec.newer} > {spec.name}.{spec.newer}")
        else:
            sql += f" ON CONFLICT ({keys}) DO NOTHING"
        exists = conn.execute(f"SELECT 1 FROM {spec.name} WHERE "
                              + " AND ".join(f"{k} = ?" for k in spec.key),
                              tuple(row[k] for k in spec.key)).fetchone() is not None
        try:
            cursor = conn.execute(sql, values)
        except sqlite3.Error as exc:
            raise TransferError(f"{here}: {exc}") from None
        if cursor.rowcount > 0:
            if exists:
                updated += 1
            else:
                added += 1
    return added, updated


def import_(store: Store, path: Path) -> ImportSummary:
    """Merge the progress in `path` into `store` atomically; raise `TransferError` on a bad file."""
    doc = _read(path)
    tables: dict[str, Any] = doc["tables"]
    known = {spec.name: spec for spec in SYNCED_TABLES}
    summary = ImportSummary(skipped_tables=sorted(set(tables) - set(known)))
    with store.transaction() as conn:
        for name, spec in known.items():
            if name not in tables:
                continue
            added, updated = _merge_table(conn, spec, _columns(store, name), tables[name], str(path))
            summary.added[name] = added
            summary.updated[name] = updated
    return summary


def export_command(path: Path, home: Path | None = None) -> int:
    """`quizapp export FILE`: print one line; exit 0, or 2 with the reason on stderr."""
    try:
        with Store.open(home) as store:
            counts = export(store, path)
    except (TransferError, StoreError) as exc:
        print_error(f"export: {exc}")
        return 2
    total = ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in counts.items())
    print(f"exported {total} to {path}")
    return 0


def import_command(path: Path, home: Path | None = None) -> int:
    """`quizapp import FILE`: print one line; exit 0, or 2 with the reason on stderr."""
    try:
        with Store.open(home) as store:
            summary = import_(store, path)
    except (TransferError, StoreError) as exc:
        print_error(f"import: {exc}")
        return 2
    print(summary.describe())
    return 0
