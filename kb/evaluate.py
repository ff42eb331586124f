"""The project's own evaluation: the same checks as the shared scorer, per question and in total."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip().lower()


def check(q: dict, r: dict) -> list[str]:
    """Reasons a response fails its question (empty when it passes)."""
    why: list[str] = []
    if q["expect"] == "abstain":
        if r.get("status") not in ("not_found", "out_of_scope"):
            why.append(f"status {r.get('status')!r}, expected an abstention")
        return why
    if r.get("status") != "answered":
        why.append(f"status {r.get('status')!r}")
    cites = r.get("citations") or []
    docs = [os.path.basename(c.get("doc") or "") for c in cites[:3]]
    if q.get("sources") and not set(docs) & set(q["sources"]):
        why.append(f"top citations {docs} miss {q['sources']}")
    text = _norm(r.get("answer")) + " " + " ".join(_norm(c.get("quote")) for c in cites)
    for m in q.get("mentions", []):
        if _norm(m) not in text:
            why.append(f"no mention of {m!r}")
    if q.get("guide") and (r.get("guidance") or {}).get("path") != q["guide"]:
        why.append(f"guidance {(r.get('guidance') or {}).get('path')!r}, expected {q['guide']!r}")
    return why


def earlier(q: dict) -> list[str]:
    """The questions asked before a question line's own, oldest first (its `history`)."""
    return [h for h in q.get("history") or [] if isinstance(h, str)]


def run(kb, path: Path) -> dict:
    qs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    rows, lat = [], []
    for q in qs:
        r = kb.ask_after(earlier(q), q["question"])
        why = check(q, r)
        lat.append(r["timing_ms"]["total"])
        rows.append({"id": q.get("id"), "question": q["question"], "passed": not why, "why": why,
                     "status": r["status"], "ms": r["timing_ms"]["total"]})
    lat.sort()
    passed = sum(r["passed"] for r in rows)
    return {"questions": len(rows), "passed": passed, "pass_rate": passed / len(rows) if rows else 0.0,
            "p50_ms": lat[len(lat) // 2] if lat else 0.0,
            "p95_ms": lat[min(len(lat) - 1, int(len(lat) * 0.95))] if lat else 0.0, "results": rows}


def render(report: dict) -> str:
    lines = [f"{'PASS' if r['passed'] else 'FAIL'} {r['id']}: {r['question']}" +
             ("" if r["passed"] else "  <- " + "; ".join(r["why"])) for r in report["results"]]
    lines.append(f"passed {report['passed']}/{report['questions']} = {report['pass_rate']:.0%}; "
                 f"latency p50 {report['p50_ms']:.0f} ms, p95 {report['p95_ms']:.0f} ms")
    return "\n".join(lines)
