"""LLM prompts: the numbered passages (extractive citations first) and the templates in prompts/."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .reply import MARKER_RE
from .verify import Passage

PROMPTS = Path(__file__).resolve().parents[1] / "prompts"
PASSAGES = 6  # passages shown to the model
MAX_SENTENCES = 4
HISTORY_TURNS = 2
PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=None)
def template(name: str) -> str:
    return (PROMPTS / f"{name}.txt").read_text(encoding="utf-8")


def render(name: str, **values) -> str:
    """Fill a template's {placeholders}; the values are inserted as they are, never re-read as a template."""
    return PLACEHOLDER_RE.sub(lambda m: str(values.get(m.group(1), m.group(0))), template(name)).strip()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def select(hits, extractive: dict, k: int = PASSAGES) -> list[Passage]:
    """The passages for the model: those the extractive answer cites, then the best other hits."""
    used = {int(n) for g in MARKER_RE.findall(extractive.get("answer") or "") for n in re.split(r"[,;]", g)}
    chosen: list[tuple[str, object]] = []
    seen: set[int] = set()
    for c in extractive.get("citations") or []:
        if c["n"] not in used:
            continue  # a guidance step's citation, not the answer's
        quote = _norm(c.get("quote"))
        hit = next((h for h in hits if h.record.doc == c["doc"] and quote in _norm(h.record.text)), None)
        if hit is None:
            chosen.append(("cite", c))
        elif hit.i not in seen:
            seen.add(hit.i)
            chosen.append(("hit", hit))
    for h in hits:
        if len(chosen) >= max(k, len(used)):
            break
        if h.i not in seen:
            seen.add(h.i)
            chosen.append(("hit", h))
    out = []
    for n, (kind, x) in enumerate(chosen, 1):
        if kind == "hit":
            r = x.record
            out.append(Passage(n, r.text, r.doc, r.title, r.section, r.heading, r.page, r.url))
        else:  # cited text outside the hits: the quote itself is the passage
            out.append(Passage(n, x["quote"], x["doc"], x.get("title") or "", x.get("section"),
                               x.get("heading"), x.get("page"), x.get("url")))
    return out


def _source(p: Passage) -> str:
    where = ", ".join(x for x in (p.section, p.heading) if x)
    return _attr(f"{p.title} ({where})" if where else p.title or p.doc)


def _attr(text: str) -> str:
    return _norm(text).replace('"', "'").replace("<", "(").replace(">", ")")


def _data(text: str) -> str:
    """Document text inside a passage cannot close the passage or open another."""
    return re.sub(r"<\s*(/?)\s*(passage|question)", r"(\1\2", text, flags=re.I)


def messages(question: str, history: list[dict] | None, passages: list[Passage], not_found: str) -> list[dict]:
    """System rules and one user message holding the passages and the question as delimited data."""
    blocks = "\n\n".join(render("passage", n=p.n, source=_source(p), text=_data(p.text)) for p in passages)
    earlier = [h.get("question", "") for h in (history or []) if h.get("question")][-HISTORY_TURNS:]
    hist = render("history", questions="\n".join(f"- {_data(_norm(q))[:500]}" for q in earlier)) + "\n\n" \
        if earlier else ""
    user = render("answer", passages=blocks, history=hist, question=_data(question.strip()),
                  max_sentences=MAX_SENTENCES, not_found=not_found)
    system = render("system", max_sentences=MAX_SENTENCES, not_found=not_found)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]
