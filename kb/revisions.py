"""A section's own revision note ('(Revised: 10/2020)', '(New: 07/2023)'): what 'when was SAM 8422.106 last revised?' asks."""
from __future__ import annotations

import re

import numpy as np

from . import features, versions
from .retrieve import Hit, section_rows
from .text import sentences

# The note a manual prints under a section's heading: '(Revised: 10/2020)', '(New: 07/2023)', '(Revised 09/02, 03/03)'.
DATE = r"\d{1,2}/\d{2,4}"
MARK_RE = re.compile(rf"\(\s*(New|Revised|Rev\.?)\s*:?\s*({DATE}(?:\s*,\s*{DATE})*)\s*\)", re.I)
# A question about when a section was revised or added ...
CHANGED_RE = re.compile(r"\b(?:revis(?:ed|ion|ions)|last updated?|updated|update date|added|new section|new as of|"
                        r"(?:is|was) (?:it|that|this|the (?:section|rule|policy)) (?:a )?new|new one|go in|went in|"
                        r"on the books)\b", re.I)
WHEN_RE = re.compile(r"\b(?:when|what date|date|as of when|how recent|recent|current)\b", re.I)
# ... or whether it has changed at all ('Has SAM 4605 been revised since it was added?').
WHETHER_RE = re.compile(r"^\s*(?:has|have|had|was|were|is)\b.*\b(?:revised|changed|updated|amended)\b|"
                        r"\bany (?:revisions?|changes|updates|amendments)\b", re.I)
# What a manual page says when its section has not changed since its note.
UNCHANGED_RE = re.compile(r"\bNo Revisions for this item\b", re.I)
# ... of a section: named, pointed back to, or called a section, rule or policy.
SECTION_WORD_RE = re.compile(r"\b(?:section|sam|stmm|rule|policy|chapter|it|that|this)\b", re.I)


def asks(question: str) -> bool:
    """Whether a question asks when a section was last revised or added, or whether it has been revised."""
    return bool(CHANGED_RE.search(question) and (WHEN_RE.search(question) or WHETHER_RE.search(question))
                and SECTION_WORD_RE.search(question))


def mark(text: str) -> re.Match | None:
    """The revision note a passage holds, if any."""
    return MARK_RE.search(text)


def answer(idx, q, ret, thread: list[int]) -> list[tuple[str, features.Candidate]] | None:
    """For a question about when a section was revised: claims, each with the passage sentence
    holding the note that supports it, for the section the question names, else the one the answer
    before a follow-up quoted, else one of the best three passages; the note of the version the
    question's time asks for (the current text by default) first, then an older text's. None when
    no such section has a note."""
    if not asks(q.fixed):
        return None
    sections = list(ret.routed_sections)
    sections += [idx.records[i].section for i in thread]
    sections += [h.record.section for h in ret.hits[:3]] if not sections else []
    vers = versions.of_index(idx)
    for section in dict.fromkeys(s for s in sections if s):
        rows = section_rows(idx, section)
        fit = [i for i in rows if versions.fits(vers[i], q.when, versions.years(idx, section))]
        noted = [n for n in (_noted(idx, ret, i) for i in fit) if n]
        if not noted:
            continue
        kind, dates, c = noted[0]
        rec = c.hit.record
        name = f"{section} ({rec.heading})" if rec.heading else section
        out = [(f"{name} was added as a new section in {dates[-1]}" if kind == "new"
                else f"{name} was last revised in {dates[-1]}", c)]
        unchanged = next((u for u in (_unchanged(idx, ret, i) for i in fit) if u), None)
        if unchanged:
            out.append(("its page lists no revisions since", unchanged))
        if q.when in (None, "now"):
            older = [n for n in (_noted(idx, ret, i) for i in rows if i not in fit) if n]
            out += [(f"an earlier text of it in the index is marked {o[0]} {', '.join(o[1])}", o[2]) for o in older[:1]]
        return out
    return None


def _candidate(ret, i: int, rec, k: int, sent: str) -> features.Candidate:
    hit = next((h for h in ret.hits if h.i == i), None) or Hit(i, rec, 0.0, routed=True)
    return features.Candidate(hit, k, sent, np.zeros(len(features.NAMES), dtype=np.float32))


def _unchanged(idx, ret, i: int) -> features.Candidate | None:
    """The sentence of a passage saying its section has no revisions listed, if any."""
    rec = idx.records[i]
    sents = sentences(rec.text)
    k = next((k for k, s in enumerate(sents) if UNCHANGED_RE.search(s)), None)
    return None if k is None else _candidate(ret, i, rec, k, sents[k])


def _noted(idx, ret, i: int) -> tuple[str, list[str], features.Candidate] | None:
    """(new or revised, its dates, the sentence holding it) for a passage with a revision note."""
    rec = idx.records[i]
    sents = sentences(rec.text)
    k = next((k for k, s in enumerate(sents) if mark(s)), None)
    if k is None:
        return None
    m = mark(sents[k])
    cand = _candidate(ret, i, rec, k, sents[k])
    return ("new" if m.group(1).lower() == "new" else "revised"), re.split(r"\s*,\s*", m.group(2)), cand
