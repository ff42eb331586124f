"""Sentence selection: score the sentences of retrieved passages against the question, pick the few that answer."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from . import embed
from .index import Index
from .question import Question
from .retrieve import Hit, near_duplicate
from .text import bigrams, content_terms, sentences, synonyms, tokens

CANDIDATE_HITS = 8
FOLLOW_LEXICAL = 0.25  # a following sentence still on the question's words
UNKNOWN_PENALTY = 0.5  # per share of question words that no document uses
EMBEDDED = 8  # sentences that get their own embedding per question
ANAPHOR_RE = re.compile(r"^(?:These|This|Such|They|Those|It|Its|The request|The requests)\b")
LEADER_RE = re.compile(r"\.{4,}|…{2,}")
DATE_RE = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b|\b(?:January|February|March|April|May|June|July|August|"
                     r"September|October|November|December)\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
MONEY_RE = re.compile(r"\$\s?\d|\b\d+(?:\.\d+)?\s*(?:dollars|cents|percent)\b|\d\s?%")
NUMBER_RE = re.compile(r"\b\d+\b|\b(?:once|twice|annually|monthly|weekly|daily|quarterly|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                       r"thirteen|twenty|hundred|thousand)\b", re.I)
ROLE_RE = re.compile(r"\b(?:Officer|Director|Chief|chief|Secretary|Representative|Manager|Administrator|"
                     r"Governor|Controller|Deputy|CATR|ATR|AIO|CIO|supervisor|employee|head)s?\b")
PHONE_RE = re.compile(r"\(\d{3}\)\s*\d{3}-\d{4}|\b\d{3}[-.]\d{3}[-.]\d{4}\b|\b1-8\d\d-")
DURATION_RE = re.compile(r"\b(?:term|days?|weeks?|months?|years?|annual(?:ly)?|quarter(?:ly)?|once|"
                         r"until|through|expires?|limited|prior to|before|after|within)\b", re.I)
# 'approved by the Department of Finance', 'Finance will review and approve': someone acts.
AGENT_RE = re.compile(r"\bby (?:the )?(?:[A-Z][\w.&’'-]*\s?){1,6}|^(?:The )?(?:[A-Z][\w.&’'()-]*\s){1,5}"
                      r"(?:will|shall|must|may|is responsible|approves?|signs?)\b")
EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
FORM_ID_RE = re.compile(r"\b(?:Form|STD\.?|CDT|DGS)\s?[-#.]?\s?\d+", re.I)  # 'Form 400', 'STD. 20'
FORM_RE = re.compile(rf"{FORM_ID_RE.pattern}|\bform\b", re.I)
TYPE_RE = {"date": DATE_RE, "money": MONEY_RE, "number": NUMBER_RE, "phone": PHONE_RE, "email": EMAIL_RE}
SOFT_TYPE_RE = {"duration": DURATION_RE, "when": DURATION_RE, "form": FORM_RE}
# A sentence without one of these does not answer the question ('which form' needs a form named).
REQUIRED_RE = {**TYPE_RE, "form": FORM_RE}


def answers_type(q: Question, text: str) -> bool:
    """Whether a sentence holds the kind of fact asked for: a date for 'when', an amount for
    'how much does it cost' (a rate 'per minute' when a rate is asked), a number, a phone number."""
    pattern = REQUIRED_RE.get(q.kind)
    if pattern is None:
        return True
    if not pattern.search(text):
        return False
    unit = re.search(r"\bper (\w+)|\b(month|year|minute|hour|line)ly\b", q.text.lower())
    if q.kind == "money" and unit:
        u = unit.group(1) or unit.group(2)
        return bool(re.search(rf"\bper {u}|/\s?{u[:3]}|\b{u}ly\b|\beach {u}", text.lower()))
    return True


@dataclass
class Candidate:
    """One sentence of a retrieved passage, with how well it answers the question."""

    hit: Hit
    k: int  # index of the sentence within its passage
    text: str
    lexical: float = 0.0
    dense: float = 0.0
    bonus: float = 0.0
    score: float = 0.0


def _weights(index: Index, q: Question) -> dict[str, float]:
    """Squared IDF: the rare words of a question decide what answers it. Words around the
    sentence that asks (an earlier turn, a preamble) count for less than the words it asks with."""
    own = q.own_terms or set(q.terms)
    other = 0.3 if q.follow_up else 0.1
    return {t: index.idf(t) ** 2 * (1.0 if t in own else other) for t in dict.fromkeys(q.terms)}


def _coverage(weights: dict[str, float], have: set[str], context: set[str]) -> float:
    """Weighted share of question terms in the sentence (a synonym counts at 0.8), or only in
    its passage and headings (half)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    score = 0.0
    for t, w in weights.items():
        if t in have:
            score += w
        elif synonyms(t) & have:
            score += 0.8 * w
        elif synonyms(t) & context:
            score += 0.5 * w
    return score / total


def is_title(text: str) -> bool:
    """A heading or title line ('CALNET Exemption Requests and Non-CALNET Procurements'), not a statement."""
    words = [w for w in text.split() if w[:1].isalpha()]
    if not words or text.rstrip().endswith((".", ";", ":")) or len(re.findall(r"\d+", text)) >= 2:
        return False
    return sum(w[0].isupper() for w in words) / len(words) > 0.6


def _definition_bonus(subject: str, text: str) -> float:
    """How plainly a sentence defines the subject: 'X – ...', 'X means', '"X" includes', an
    expansion 'Full Name (X)' (strong); 'X is ...' (weak)."""
    subj = re.escape(subject.strip(" ?.").lower())
    low = re.sub(r"^(?:\([a-z0-9]{1,4}\)\s*|[-•·]\s*)", "", text.lower())  # '(c) "X" includes'
    low = re.sub(r"^(?:the|an?)\s+", "", low.lstrip("\"“ "))
    acronyms = [a.lower() for a in re.findall(r"\b[A-Z]{2,}\b", subject) if a.lower() != "calnet"]
    if re.match(rf"^{subj}[\"”]?\s*(?:[–—-]|means\b|refers\b|includes\b|\()", low) \
            or re.search(rf"\({subj}\)", low) or re.search(rf"known and may be cited as the {subj}", low) \
            or any(re.search(rf"\w\s*\({re.escape(a)}\)", low) for a in acronyms):
        return 0.25
    if re.match(rf"^{subj}\s+(?:is|are)\s+(?:a|an|the|one)\b", low):
        return 0.2  # 'The CATR is the single point of contact ...'
    if re.match(rf"^{subj}\s+(?:is|are)\b", low):
        return 0.05
    return 0.0


def _shape_bonus(q: Question, text: str) -> float:
    """Prefer sentences shaped like an answer to this kind of question; shun headings and debris."""
    bonus = 0.0
    words = text.split()
    if len(words) < 5:
        bonus -= 0.25
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        bonus -= 0.3
    if LEADER_RE.search(text):
        bonus -= 0.3
    if text.rstrip().endswith("?"):
        bonus -= 0.1
    if is_title(text):  # (a table row with numbers and dates is content, not a title)
        bonus -= 0.25
    if q.kind == "who" and (ROLE_RE.search(text) or AGENT_RE.search(text)):
        bonus += 0.08
    if not answers_type(q, text):
        bonus -= 0.25
    elif q.kind in TYPE_RE:
        bonus += 0.12
    elif q.kind == "form" and FORM_ID_RE.search(text):
        bonus += 0.14  # 'which form': naming the form answers it better than mentioning one
    elif q.kind in SOFT_TYPE_RE and SOFT_TYPE_RE[q.kind].search(text):
        bonus += 0.08
    if q.kind == "define" and q.subject:
        bonus += _definition_bonus(q.subject, text)
    return bonus


def heading_terms(rec) -> set[str]:
    return content_terms(rec.heading or "")


def unknown_share(index: Index, q: Question) -> float:
    """Share of the question's words that no document uses ('penalty', 'weather'): the more
    there are, the less likely the documents answer it."""
    terms = set(q.own_terms or q.terms) & set(q.terms) or set(q.terms)
    return sum(1 for t in terms if not index.df.get(t) and not t.isdigit()) / len(terms) if terms else 1.0


def candidates(index: Index, q: Question, hits: list[Hit], qvec: list[float]) -> list[Candidate]:
    """Every sentence of the leading passages, scored; the best few also by embedding similarity.
    Words no document uses are left out of the coverage (every sentence lacks them alike) and
    count against every sentence instead, through unknown_share."""
    weights = {t: w for t, w in _weights(index, q).items() if index.df.get(t)}
    unknown = unknown_share(index, q)
    own = (q.own_terms or set(q.terms)) & set(q.terms)
    pairs = {p for p in bigrams(q.terms) if min(weights.get(t, 0) for t in p) >= 1.5}  # rarer-word pairs
    # The question's rarest word is its focus: a sentence without it (or a synonym) rarely answers.
    known = {t: w for t, w in weights.items() if index.df.get(t)}  # a word the documents never use
    focus = max(known, key=known.get) if known else None          # cannot tell sentences apart
    if focus and known[focus] < 0.3 * sum(weights.values()):
        focus = None
    cands: list[Candidate] = []
    for hit in hits[:CANDIDATE_HITS]:
        rec = hit.record
        context = content_terms(f"{rec.title} {rec.section or ''} {rec.heading or ''} {rec.label or ''} {rec.text}")
        sents = sentences(rec.text)
        for k, sent in enumerate(sents):
            c = Candidate(hit, k, sent)
            toks = tokens(sent)
            if ANAPHOR_RE.match(sent) and k > 0:  # 'These agencies ...' is read with its antecedent
                toks = tokens(sents[k - 1]) + toks
            c.lexical = _coverage(weights, set(toks), context)
            # Question words that stay together in the sentence ('managed internet services').
            near = len(pairs & bigrams(toks))
            c.bonus = _shape_bonus(q, sent) + (0.1 if hit.routed else 0.0) + min(0.16, 0.08 * near) \
                - UNKNOWN_PENALTY * unknown
            if heading_terms(rec) & own:  # 'the purpose of ...' and a 'Purpose' heading
                c.bonus += 0.1
            if focus and not synonyms(focus) & set(toks):
                c.bonus -= 0.1 if synonyms(focus) & context else 0.15
            c.score = 0.55 * c.lexical + 0.45 * max(hit.dense, 0.0) + c.bonus
            cands.append(c)
    cands.sort(key=lambda c: -c.score)
    top = cands[:EMBEDDED]
    if top:
        vecs = np.asarray(embed.embed([c.text for c in top]), dtype=np.float32)
        sims = vecs @ np.asarray(qvec, dtype=np.float32)
        for c, sim in zip(top, sims):
            c.dense = float(sim)
            c.score = 0.45 * c.lexical + 0.25 * c.dense + 0.30 * max(c.hit.dense, 0.0) + c.bonus
        top.sort(key=lambda c: -c.score)
    return top + cands[EMBEDDED:]


def _sentences_of(c: Candidate) -> list[str]:
    return sentences(c.hit.record.text)


def _with_context(c: Candidate, by_key: dict) -> list[Candidate]:
    """A sentence plus what it needs to be read alone: the sentence 'These agencies ...' points
    back to, or the list items a lead-in ending with a colon introduces."""
    sents = _sentences_of(c)
    out = [c]
    if ANAPHOR_RE.match(c.text) and c.k > 0:
        out.insert(0, by_key.get((c.hit.i, c.k - 1)) or Candidate(c.hit, c.k - 1, sents[c.k - 1], score=c.score))
    elif c.text.rstrip().endswith(":"):
        for k in range(c.k + 1, min(len(sents), c.k + 5)):
            out.append(by_key.get((c.hit.i, k)) or Candidate(c.hit, k, sents[k], score=c.score))
    elif c.k + 1 < len(sents) and ANAPHOR_RE.match(sents[c.k + 1]):
        out.append(by_key.get((c.hit.i, c.k + 1)) or Candidate(c.hit, c.k + 1, sents[c.k + 1], score=c.score))
    return out


def _dangling(c: Candidate) -> bool:
    """A lead-in ending with a colon whose items are not in the same passage."""
    return c.text.rstrip().endswith(":") and c.k == len(_sentences_of(c)) - 1


def choose(cands: list[Candidate], max_sentences: int = 3, ratio: float = 0.9,
           yesno: bool = False) -> list[Candidate]:
    """The best sentence with its context, and close runners-up with theirs. A yes/no question
    also gets the rest of the best sentence's paragraph while it stays on the question: the
    qualification ('... does not mean automatic delegation') is usually the answer."""
    if not cands:
        return []
    by_key = {(c.hit.i, c.k): c for c in cands}
    best = next((c for c in cands if not _dangling(c)), cands[0])
    chosen = _with_context(best, by_key)
    keys = {(x.hit.i, x.k) for x in chosen}
    k = max(x.k for x in chosen) + 1
    while yesno and len(chosen) < max_sentences and (nxt := by_key.get((best.hit.i, k))) is not None \
            and nxt.lexical >= FOLLOW_LEXICAL:
        chosen.append(nxt)
        keys.add((nxt.hit.i, k))
        k += 1
    for c in cands:
        if len(chosen) >= max_sentences:
            break
        if c.score < ratio * best.score or c.dense < 0.2:
            break
        if (c.hit.i, c.k) in keys or _dangling(c) or any(near_duplicate(c.text, x.text, 0.5) for x in chosen):
            continue
        for x in _with_context(c, by_key):
            if (x.hit.i, x.k) not in keys:
                chosen.append(x)
                keys.add((x.hit.i, x.k))
    return chosen
