"""The question log: each question asked (who, when, what came back, how fast, the feedback) in SQLite under KB_HOME."""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .config import Settings

FILE = "questions.sqlite"  # beside feedback.sqlite in KB_HOME; the audit trail (kb/audit.py) shares it
COLUMNS = ("id", "asked_at", "user", "session", "source", "question", "history_len", "status", "route",
           "mode", "sections", "latency_ms", "answer", "rating", "comment")
SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at TEXT NOT NULL,
    user TEXT NOT NULL,
    session TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT 'app',
    question TEXT NOT NULL,
    history_len INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    route TEXT,
    mode TEXT,
    sections TEXT NOT NULL DEFAULT '[]',
    latency_ms REAL,
    answer TEXT NOT NULL DEFAULT '',
    rating INTEGER CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
"""


def path(settings: Settings) -> Path:
    return settings.home / FILE


def stamp(when: datetime | None = None) -> str:
    """A UTC time as stored: ISO 8601 to the second, so text order is time order."""
    return (when or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")


@contextmanager
def connect(settings: Settings):
    """A connection to the log (created on first use), committed when the block ends."""
    p = path(settings)
    p.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(p, timeout=10)
    try:
        con.executescript(SCHEMA)
        with con:
            yield con
    finally:
        con.close()


def prune(settings: Settings, now: datetime | None = None) -> int:
    """Delete questions and audit rows older than KB_LOG_RETENTION_DAYS; returns how many went."""
    if not path(settings).exists():
        return 0
    cutoff = stamp((now or datetime.now(timezone.utc)) - timedelta(days=settings.log_retention_days))
    with connect(settings) as con:
        gone = con.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount
        return gone + con.execute("DELETE FROM audit WHERE at < ?", (cutoff,)).rowcount


def record(settings: Settings, question: str, history_len: int, result: dict, user: str,
           latency_ms: float | None, session: str = "", source: str = "app",
           now: datetime | None = None) -> int | None:
    """Log one answered question (the JSON contract from KnowledgeBase.ask) and prune old rows.
    Returns the row id, or None when KB_QUESTION_LOG is off."""
    if not settings.question_log:
        return None
    sections = list(dict.fromkeys(c.get("section") for c in result.get("citations") or [] if c.get("section")))
    row = (stamp(now), user, session, source, question, int(history_len), result.get("status", ""),
           (result.get("guidance") or {}).get("path"), result.get("mode"), json.dumps(sections),
           None if latency_ms is None else round(float(latency_ms), 1), result.get("answer") or "")
    with connect(settings) as con:
        cur = con.execute("INSERT INTO questions (asked_at, user, session, source, question, history_len, status, "
                          "route, mode, sections, latency_ms, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        row_id = int(cur.lastrowid)
    prune(settings, now)
    return row_id


def set_feedback(settings: Settings, row_id: int | None, rating: int | None = None,
                 comment: str | None = None) -> None:
    """Attach the thumbs (+1/-1) or the comment given on an answer to its logged question."""
    if row_id is None or not settings.question_log:
        return
    with connect(settings) as con:
        if rating is not None:
            con.execute("UPDATE questions SET rating = ? WHERE id = ?", (1 if rating > 0 else -1, row_id))
        if comment is not None:
            con.execute("UPDATE questions SET comment = ? WHERE id = ?", (comment.strip(), row_id))


def rows(settings: Settings, start: datetime | None = None, end: datetime | None = None) -> list[dict]:
    """Logged questions asked from `start` up to (not including) `end`, oldest first; sections as a list."""
    if not path(settings).exists():
        return []
    with connect(settings) as con:
        cur = con.execute(f"SELECT {', '.join(COLUMNS)} FROM questions WHERE asked_at >= ? AND asked_at < ? "
                          "ORDER BY id", (stamp(start) if start else "", stamp(end) if end else "~"))
        out = [dict(zip(COLUMNS, r)) for r in cur.fetchall()]
    for r in out:
        r["sections"] = json.loads(r["sections"] or "[]")
    return out


def earlier_questions(settings: Settings, row: dict) -> list[str]:
    """The questions asked before this one in its conversation (as many as its history length)."""
    if not row.get("history_len") or not row.get("session"):
        return []
    with connect(settings) as con:
        cur = con.execute("SELECT question FROM questions WHERE session = ? AND id < ? ORDER BY id DESC LIMIT ?",
                          (row["session"], row["id"], row["history_len"]))
        return [q for (q,) in reversed(cur.fetchall())]
