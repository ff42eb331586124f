"""Versions of one section as of different dates: which text is current, and which one a question's date asks for."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.refs import ref_key

from .text import near_duplicate

YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
CURRENT_RE = re.compile(r"\bcurrent(?:ly)?\b|\bcurrent through\b", re.I)
OLDER_RE = re.compile(r"\b(?:archived|older version|former|superseded|repealed)\b", re.I)
UNDATED = 9000  # an undated copy ranks above dated editions (it is the publisher's live page)
CURRENT = 9999
# In a question: a time in the past ('under the 2007 statute', 'back in 2010', 'when first enacted').
ASK_YEAR_RE = re.compile(r"\b(?:in|of|as of|under|back in|during|before|by|until|since)?\s*(?:the\s+)?(19[5-9]\d|20[0-4]\d)\b", re.I)
ASK_FIRST_RE = re.compile(r"\b(?:originally|original(?:ly)? (?:enacted|version|text)|first (?:enacted|passed|created|set up)|"
                          r"when it was (?:first )?(?:enacted|created|set up)|at first)\b", re.I)
# A year that names a version ('the 2011 version', '2011-13 ver', 'around 2011', 'c. 2010'), though
# no preposition comes before it.
ASK_VERSION_RE = re.compile(r"\b(19[5-9]\d|20[0-4]\d)(?:\s*[-–]\s*\d{2,4})?\s+"
                            r"(?:ver|vers|version|text|wording|edition|statute)\b|"
                            r"(?:\baround|\bcirca|\bc\.|\babout|~)\s*(19[5-9]\d|20[0-4]\d)\b", re.I)
ASK_NOW_RE = re.compile(r"\b(?:today|now|currently|current|these days|at present|presently|as it stands)\b", re.I)
# Words that only say the question is about the text in force ('as it reads today'): they choose
# the version and say nothing about the answer. 'current' is left out: 'current rates' asks about rates.
NOW_WORDS_RE = re.compile(r"\bas (?:it|they|the law|the section|the statute) (?:reads?|stands?)(?: (?:today|now))?|"
                          r"\b(?:today|right now|now|currently|these days|at present|presently)\b", re.I)


@dataclass(frozen=True)
class Version:
    """Where one record's text sits among the versions of its section."""

    year: int | None  # the year its text is as of, when known
    current: bool  # the newest text of its section (or the only one)
    versions: int  # how many versions of its section the index holds


def rank(date: str | None, label: str | None) -> tuple[int, int | None]:
    """(sort rank, year) of a copy: 'current' wording first, then undated copies, then by year;
    a label saying 'archived' or 'older version' puts the copy last."""
    for text in (label, date):
        if text and OLDER_RE.search(text):
            m = YEAR_RE.search(text)
            return -1, int(m.group(1)) if m else None
    for text in (label, date):
        if text and CURRENT_RE.search(text):
            m = YEAR_RE.search(text)
            return CURRENT, int(m.group(1)) if m else None
    for text in (label, date):
        m = YEAR_RE.search(text or "")
        if m:
            return int(m.group(1)), int(m.group(1))
    return UNDATED, None


def of_index(idx) -> list[Version]:
    """Each record's Version (worked out once per index generation)."""
    return idx.memo("versions", lambda: _work_out(idx))


def _work_out(idx) -> list[Version]:
    dates = {e.get("doc"): e.get("date") for e in idx.files.values()}
    copy = {}
    for i, r in enumerate(idx.records):
        copy[i] = (r.doc, r.label)
    ranks = {c: rank(dates.get(c[0]), c[1]) for c in set(copy.values())}
    by_section: dict[str, set] = {}
    for i, r in enumerate(idx.records):
        if r.section:
            by_section.setdefault(ref_key(r.section), set()).add(copy[i])
    out = []
    for i, r in enumerate(idx.records):
        copies = by_section.get(ref_key(r.section), set()) if r.section else set()
        year = ranks[copy[i]][1]
        if len(copies) < 2:
            out.append(Version(year, True, 1))
            continue
        top = max(ranks[c][0] for c in copies)
        out.append(Version(year, ranks[copy[i]][0] == top, len(copies)))
    return out


def asked_time(question: str) -> int | str | None:
    """The time a question is about: a year, 'first' (the original text), 'now', or None."""
    if ASK_FIRST_RE.search(question):
        return "first"
    m = ASK_YEAR_RE.search(question)
    if m and re.search(r"\b(?:in|of|as of|under|back in|during|before|by|until|since)\s+(?:the\s+)?" + m.group(1), question, re.I):
        return int(m.group(1))
    m = ASK_VERSION_RE.search(question)
    if m:
        return int(m.group(1) or m.group(2))
    if ASK_NOW_RE.search(question):
        return "now"
    return None


def now_words(question: str) -> str:
    """The words of a question that ask for the text in force ('as it reads today'), if any."""
    return " ".join(m.group(0) for m in NOW_WORDS_RE.finditer(question))


def fits(v: Version, when, section_years: list[int | None]) -> bool:
    """Whether a record's version is the one the question's time asks for: the current text by
    default; for a year, the newest version as of that year; for 'first', the oldest."""
    if v.versions < 2:
        return True
    if when is None or when == "now":
        return v.current
    years = sorted(y for y in section_years if y is not None)
    if when == "first":
        return bool(years) and v.year == years[0]
    earlier = [y for y in years if y <= when]
    target = earlier[-1] if earlier else (years[0] if years else None)
    return v.year == target


def label(v: Version) -> str | None:
    """What a citation says about its version: None for the current text, else 'text as of YEAR'."""
    if v.versions < 2 or v.current:
        return None
    return f"text as of {v.year}" if v.year else "an earlier text"


def years(idx, section: str | None) -> list[int | None]:
    """The years of the versions of a section that the index holds."""
    if not section:
        return []
    table = idx.memo("version-years", lambda: _years(idx))
    return table.get(ref_key(section), [])


def _years(idx) -> dict[str, list[int | None]]:
    out: dict[str, set] = {}
    for r, v in zip(idx.records, of_index(idx)):
        if r.section:
            out.setdefault(ref_key(r.section), set()).add(v.year)
    return {k: sorted(ys, key=lambda y: y or 0) for k, ys in out.items()}


def superseded(idx, i: int, text: str, fits) -> bool:
    """Whether the version a question asks for also holds this part of record i's section (the
    same subdivision, or the same sentence reworded little), so record i's text gives way to it.
    A part only an older copy holds (the newer copy is cut short) is not superseded."""
    r = idx.records[i]
    if not r.section:
        return False
    for j in idx.sections.get(ref_key(r.section), []):
        if j == i or idx.records[j].doc == r.doc and idx.records[j].label == r.label or not fits(j):
            continue
        o = idx.records[j]
        if r.subdivision and o.subdivision == r.subdivision or near_duplicate(text, o.text, 0.5):
            return True
    return False
