"""The passages an earlier answer quoted: what a follow-up question is most likely about."""
from __future__ import annotations

import re

from .reply import body, markers, split

QUOTE_CHARS = 60  # of a quoted sentence, the run of text looked for in the passages
MAX_ROWS = 4  # passages taken from the answer before
MAX_QUOTES = 12  # sentences of it looked for (an answer quotes a few; a pasted history may hold many)
MAX_CHARS = 20_000  # of the answer read
NEAREST_RE = re.compile(r"“([^”]{12,})”")  # what an abstention quotes as stated nearest


def quoted(answer: str | None) -> list[str]:
    """The sentences of an answer that carry a citation marker ([n]), without their markers: what
    an answer quoted; for an abstention ('the documents don't state ...'), the sentences it quotes
    as nearest to the question."""
    return said(answer) or NEAREST_RE.findall((answer or "")[:MAX_CHARS])


def said(answer: str | None) -> list[str]:
    """The sentences an earlier answer quoted with a citation (not what an abstention quotes as
    nearest): what a follow-up already has, and asks beyond."""
    return [body(s) for s in split((answer or "")[:MAX_CHARS]) if markers(s) and body(s)][:MAX_QUOTES]


def rows(idx, answer: str | None) -> list[int]:
    """Positions of the passages that hold the sentences an earlier answer quoted, in the order
    the answer quoted them (an LLM's own wording, which no passage holds, finds none)."""
    out: list[int] = []
    for sentence in quoted((answer or "")[:MAX_CHARS])[:MAX_QUOTES]:
        needle = sentence.lstrip("-•· ")[:QUOTE_CHARS].strip()
        if len(needle) < 12:
            continue
        words = needle.split()[:-1] or needle.split()  # the last may be cut short
        pat = re.compile(r"\s+".join(re.escape(w) for w in words), re.I)
        out.extend(i for i in idx.matching(pat, max(words, key=len)) if i not in out)
        if len(out) >= MAX_ROWS:
            break
    return out[:MAX_ROWS]
