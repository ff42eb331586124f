"""The audit trail: sign-ins and maintainers' actions (fetch, ingest, log exports), with who and when."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from . import questionlog
from .config import Settings

COLUMNS = ("id", "at", "user", "action", "detail")


def record(settings: Settings, user: str, action: str, detail: str = "", now: datetime | None = None) -> int:
    """Add one entry (kept for KB_LOG_RETENTION_DAYS, whether or not the question log is on)."""
    with questionlog.connect(settings) as con:
        cur = con.execute("INSERT INTO audit (at, user, action, detail) VALUES (?, ?, ?, ?)",
                          (questionlog.stamp(now), user, action, detail))
        row_id = int(cur.lastrowid)
    questionlog.prune(settings, now)
    return row_id


def sign_in(settings: Settings, user: str, claims: Mapping) -> bool:
    """Record a sign-in once: every page a signed-in browser opens starts a new session with the same
    identity token, so the token's issue time (iat) tells a new sign-in from a returning tab."""
    detail = f"token issued {claims.get('iat', '?')} by {claims.get('iss', '?')}"
    with questionlog.connect(settings) as con:
        seen = con.execute("SELECT 1 FROM audit WHERE user = ? AND action = 'sign-in' AND detail = ?",
                           (user, detail)).fetchone()
    if seen:
        return False
    record(settings, user, "sign-in", detail)
    return True


def rows(settings: Settings, start: datetime | None = None, end: datetime | None = None) -> list[dict]:
    """Audit entries from `start` up to (not including) `end`, newest first."""
    if not questionlog.path(settings).exists():
        return []
    with questionlog.connect(settings) as con:
        cur = con.execute(f"SELECT {', '.join(COLUMNS)} FROM audit WHERE at >= ? AND at < ? ORDER BY id DESC",
                          (questionlog.stamp(start) if start else "", questionlog.stamp(end) if end else "~"))
        return [dict(zip(COLUMNS, r)) for r in cur.fetchall()]
