"""What the question log says: answer rate, unanswered questions grouped by meaning, marked-down answers, sections."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

from . import questionlog
from .config import Settings

TOP = 20  # rows in the sections and slowest-answers lists
EXAMPLES = 5  # questions shown per unanswered group
EMBED_CHARS = 1000  # a pasted page is grouped on its opening, not embedded whole


def since(days: float | None, now: datetime | None = None) -> datetime | None:
    """The start of the last `days` days (None: everything the log still holds)."""
    return None if days is None else (now or datetime.now(timezone.utc)) - timedelta(days=days)


def _key(question: str) -> str:
    return " ".join(question.split()).lower().rstrip("?.! ")


def group_unanswered(rows: list[dict], threshold: float) -> list[dict]:
    """Questions not answered, one group per meaning: the same words after case and spacing, or
    embeddings at least `threshold` apart in cosine. Largest groups first."""
    misses = [r for r in rows if r["status"] != "answered"]
    if not misses:
        return []
    by_text: dict[str, list[dict]] = {}
    for r in misses:
        by_text.setdefault(_key(r["question"]), []).append(r)
    texts = sorted(by_text, key=lambda k: -len(by_text[k]))
    from . import embed

    vectors = embed.embed_array([by_text[k][0]["question"][:EMBED_CHARS] for k in texts], batch_size=1)
    groups: list[dict] = []  # each: its first text's vector and the texts in it
    for k, vec in zip(texts, vectors):
        home = next((g for g in groups if float(vec @ g["vector"]) >= threshold), None)
        if home is None:
            groups.append({"vector": vec, "texts": [k]})
        else:
            home["texts"].append(k)
    out = []
    for g in groups:
        members = [r for k in g["texts"] for r in by_text[k]]
        asked = Counter(r["question"] for r in members)
        out.append({"question": asked.most_common(1)[0][0], "count": len(members),
                    "examples": [q for q, _ in asked.most_common(EXAMPLES)],
                    "statuses": dict(Counter(r["status"] for r in members)),
                    "last_asked": max(r["asked_at"] for r in members), "ids": [r["id"] for r in members]})
    return sorted(out, key=lambda g: (-g["count"], g["last_asked"]))


def _rate(rows: list[dict]) -> float | None:
    return round(sum(r["status"] == "answered" for r in rows) / len(rows), 4) if rows else None


def build(settings: Settings, rows: list[dict], group: bool = True) -> dict:
    """The figures of `kb report --json` and the maintainers' page, from logged question rows."""
    days: dict[str, list[dict]] = {}
    for r in rows:
        days.setdefault(r["asked_at"][:10], []).append(r)
    cited = Counter(s for r in rows for s in r["sections"])
    timed = sorted((r for r in rows if r["latency_ms"] is not None), key=lambda r: -r["latency_ms"])
    return {
        "questions": len(rows),
        "answered": sum(r["status"] == "answered" for r in rows),
        "answer_rate": _rate(rows),
        "by_status": dict(Counter(r["status"] for r in rows)),
        "people": len({r["user"] for r in rows}),
        "first": rows[0]["asked_at"] if rows else None,
        "last": rows[-1]["asked_at"] if rows else None,
        "by_day": [{"day": d, "questions": len(rs), "answer_rate": _rate(rs)} for d, rs in sorted(days.items())],
        "unanswered": group_unanswered(rows, settings.log_group_similarity) if group else [],
        "marked_down": [{"question": r["question"], "answer": r["answer"], "comment": r["comment"],
                         "status": r["status"], "asked_at": r["asked_at"], "user": r["user"], "id": r["id"]}
                        for r in reversed(rows) if r["rating"] == -1],
        "top_sections": [{"section": s, "count": n} for s, n in cited.most_common(TOP)],
        "slowest": [{"question": r["question"], "latency_ms": r["latency_ms"], "status": r["status"],
                     "asked_at": r["asked_at"], "id": r["id"]} for r in timed[:TOP]],
        "log": str(questionlog.path(settings)),
        "retention_days": settings.log_retention_days,
    }


def _short(text: str, n: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def render(rep: dict, days: float | None = None) -> str:
    """The report for a terminal."""
    span = (f"the last {days:g} days" if days is not None
            else f"the last {rep['retention_days']} days (all the log keeps)")
    if not rep["questions"]:
        return f"No questions logged in {span} ({rep['log']})."
    lines = [f"Questions:    {rep['questions']} in {span}, asked by {rep['people']} (people or anonymous sessions)",
             f"Answer rate:  {rep['answer_rate']:.0%} ({rep['answered']} answered; "
             + ", ".join(f"{n} {s}" for s, n in sorted(rep["by_status"].items()) if s != "answered") + ")"]
    lines.append(f"Not answered: {rep['questions'] - rep['answered']} questions in {len(rep['unanswered'])} "
                 "group(s), each group the same question asked in different words")
    for g in rep["unanswered"]:
        lines.append(f"  {g['count']:>4} x {_short(g['question'])}")
        lines += [f"         also: {_short(q)}" for q in g["examples"][1:]]
    lines.append(f"Marked down:  {len(rep['marked_down'])}")
    for m in rep["marked_down"]:
        lines.append(f"  {_short(m['question'])}\n      answer: {_short(m['answer'])}"
                     + (f"\n      comment: {_short(m['comment'])}" if m["comment"] else ""))
    cited = ", ".join(f"{s['section']} ({s['count']})" for s in rep["top_sections"][:10])
    lines.append("Most cited:   " + (cited or "-"))
    lines.append("Slowest:      " + ("; ".join(f"{s['latency_ms'] / 1000:.2f} s {_short(s['question'], 50)}"
                                           for s in rep["slowest"][:3]) or "-"))
    return "\n".join(lines)
