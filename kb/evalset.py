"""Logged questions into the evaluation set: JSON Lines in the `kb eval` format, the expectation left to fill in."""
from __future__ import annotations

import json
from pathlib import Path

from . import questionlog
from .config import Settings

FILE = "eval-from-log.jsonl"
TODO = ("fill in: expect is 'answer' or 'abstain'; for an answer, the documents (sources) and words (mentions) "
        "it must hold")


def path(settings: Settings) -> Path:
    return settings.home / FILE


def item(settings: Settings, row: dict) -> dict:
    """One `kb eval` question from a logged row; a follow-up keeps the questions asked before it."""
    out = {"id": f"log-{row['id']}", "question": row["question"], "expect": "", "guide": None,
           "sources": [], "mentions": []}
    earlier = questionlog.earlier_questions(settings, row)
    if earlier:
        out["history"] = earlier
    out["note"] = f"asked {row['asked_at']}, status {row['status']}; {TODO}"
    return out


def add(settings: Settings, rows: list[dict]) -> int:
    """Append these logged questions to KB_HOME/eval-from-log.jsonl, skipping any already there;
    returns how many were added."""
    p = path(settings)
    have = set()
    if p.exists():
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                have.add((q.get("question"), tuple(q.get("history") or ())))
    added = []
    for r in rows:
        q = item(settings, r)
        key = (q["question"], tuple(q.get("history") or ()))
        if key not in have:
            have.add(key)
            added.append(json.dumps(q, ensure_ascii=False))
    if added:
        p.parent.mkdir(parents=True, exist_ok=True)
        with p.open("a", encoding="utf-8") as f:
            f.write("\n".join(added) + "\n")
    return len(added)
