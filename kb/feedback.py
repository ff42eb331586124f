"""Feedback on answers (thumbs up or down and a comment), kept in SQLite under KB_HOME and exported as CSV."""
from __future__ import annotations

import csv
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from .config import Settings, get_settings

COLUMNS = ("id", "created_at", "question", "status", "answer", "rating", "comment", "citations")
SCHEMA = """CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    status TEXT NOT NULL,
    answer TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT '',
    citations TEXT NOT NULL DEFAULT '[]'
)"""


class Feedback:
    """The feedback table in KB_HOME/feedback.sqlite (created on first use)."""

    def __init__(self, settings: Settings | None = None, path: Path | None = None):
        self.path = path or (settings or get_settings()).home / "feedback.sqlite"

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10)
        con.execute(SCHEMA)
        return con

    def add(self, result: dict, rating: int, comment: str = "") -> int:
        """Record a rating (+1 or -1) on an answer (the kb ask JSON); returns the row id."""
        if rating not in (1, -1):
            raise ValueError("rating must be +1 or -1")
        row = (datetime.now(timezone.utc).isoformat(timespec="seconds"), result["question"],
               result["status"], result["answer"], rating, comment.strip(),
               json.dumps(result.get("citations", []), ensure_ascii=False))
        with self._connect() as con:
            cur = con.execute("INSERT INTO feedback (created_at, question, status, answer, rating, comment, "
                              "citations) VALUES (?, ?, ?, ?, ?, ?, ?)", row)
            return int(cur.lastrowid)

    def update(self, row_id: int, rating: int | None = None, comment: str | None = None) -> None:
        """Change the rating or the comment of a row already recorded."""
        with self._connect() as con:
            if rating is not None:
                if rating not in (1, -1):
                    raise ValueError("rating must be +1 or -1")
                con.execute("UPDATE feedback SET rating = ? WHERE id = ?", (rating, row_id))
            if comment is not None:
                con.execute("UPDATE feedback SET comment = ? WHERE id = ?", (comment.strip(), row_id))

    def rows(self) -> list[dict]:
        if not self.path.exists():
            return []
        with self._connect() as con:
            cur = con.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id")
            return [dict(zip(COLUMNS, r)) for r in cur.fetchall()]

    def write_csv(self, out: TextIO) -> int:
        """All rows as CSV with a header line; returns how many rows were written."""
        rows = self.rows()
        w = csv.DictWriter(out, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
        return len(rows)

    def counts(self) -> dict:
        rows = self.rows()
        return {"total": len(rows), "up": sum(r["rating"] > 0 for r in rows),
                "down": sum(r["rating"] < 0 for r in rows), "path": str(self.path)}
