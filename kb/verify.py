"""Sentence checking for LLM answers: each sentence must rest on a passage its [n] marker names."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from . import embed
from .reply import body, markers, with_markers, words_of
from .lexicon import synonyms
from .text import content_terms, sentences

# Calibrated on the development questions (README, "Optional LLM mode"): a claim needs this share
# of its content words in the cited passage, and this cosine with the passage's closest sentence.
MIN_LEXICAL = 0.60
MIN_COSINE = 0.60
SYNONYM_CREDIT = 0.8  # a synonym ('must' for 'required') counts for this much of a word
CONNECTIVE_WORDS = 8  # an unmarked sentence this short with no content words is allowed

ABSTAINED = "the model said the passages do not answer"
SHORTENED = "(Some sentences were removed because the cited passages did not support them.)"
# Text in a document that speaks to a model is data, never evidence for a claim.
INSTRUCTION_RE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|rules|prompts?|above|previous|prior)\b"
    r"|\byou are now\b|\bsystem prompt\b|\b(?:assistant|chatbot|language model|AI model|LLM)s?\b.{0,40}"
    r"\b(?:must|should|shall|say|answer|respond|reply|tell)\b", re.I | re.S)
NEGATION_RE = re.compile(r"\b(?:not|no|never|none|neither|nor|cannot|without|unless|prohibit\w*|forbid\w*)\b"
                         r"|n['’]t\b", re.I)
NOT_RE = re.compile(r"\s+not\b|n['’]t\b", re.I)  # the 'not' put into a sentence to deny it
ANSWER_WORDS_RE = re.compile(r"\b(?:yes|no|not|never|always|true|false|correct|incorrect|only)\b", re.I)
FACT_RE = re.compile(r"\d+(?:[.,]\d+)*|\b(?:January|February|March|April|May|June|July|August|September|"
                     r"October|November|December)\b")


@dataclass
class Passage:
    """A numbered passage shown to the model, with what a citation needs."""

    n: int
    text: str
    doc: str
    title: str = ""
    section: str | None = None
    heading: str | None = None
    page: int | None = None
    url: str | None = None

    @cached_property
    def statements(self) -> list[str]:
        """Sentences that can support a claim (any that address a model are left out)."""
        return [s for s in sentences(self.text) if not INSTRUCTION_RE.search(s)]

    def copied_in(self, claim: str) -> int | None:
        """The passage sentence the claim is, or a run of words of, copied as it stands (its index)."""
        words = words_of(claim)
        if len(words.split()) < 6:
            return None
        for k, s in enumerate(map(words_of, self.statements)):
            at = s.find(words)
            if at >= 0 and not NEGATION_RE.search(" ".join(s[:at].split()[-3:])):
                return k  # a run that does not leave out a 'not' just before it
        return None

    def copies(self, claim: str) -> bool:
        """Whether the claim is a passage sentence, or a run of words in one, copied as it stands."""
        return self.copied_in(claim) is not None

    @cached_property
    def terms(self) -> set[str]:
        context = " ".join(p for p in (self.title, self.section, self.heading) if p)
        return content_terms(context + " " + " ".join(self.statements))

    @cached_property
    def context_facts(self) -> set[str]:
        """Numbers of the section reference ('STMM 3-501.0'), which any claim may repeat."""
        return _facts(self.section or "")

    def citation(self, n: int, quote: str) -> dict:
        return {"n": n, "doc": self.doc, "title": self.title, "section": self.section,
                "heading": self.heading, "page": self.page, "url": self.url, "quote": quote}


@dataclass
class Support:
    """How well one passage supports one claim."""

    ok: bool
    lexical: float = 0.0
    cosine: float = 0.0
    spans: tuple[int, ...] = ()  # position in Passage.statements of the supporting sentence
    reason: str = ""


def _facts(text: str) -> set[str]:
    return {f.replace(",", "").lower() for f in FACT_RE.findall(text)}


def is_connective(text: str) -> bool:
    """Short text that makes no claim ('In short:'), allowed without a marker."""
    return (not content_terms(text) and not ANSWER_WORDS_RE.search(text)
            and len(text.split()) <= CONNECTIVE_WORDS)


_cache: dict[str, np.ndarray] = {}


def _vectors(texts: list[str]) -> np.ndarray:
    todo = [t for t in dict.fromkeys(texts) if t not in _cache]
    if todo:
        if len(_cache) > 20000:
            _cache.clear()
        for t, v in zip(todo, embed.embed(todo)):
            _cache[t] = np.asarray(v, dtype=np.float32)
    return np.stack([_cache[t] for t in texts]) if texts else np.zeros((0, embed.DIM), np.float32)


def support(claim: str, passage: Passage) -> Support:
    """Whether a passage supports a claim: enough of its words, and a sentence of the passage that
    means much the same, holds its numbers and dates, and agrees with it on negation."""
    terms = content_terms(claim)
    if not terms:
        return Support(False, reason="says nothing the passage could support")
    credit = sum(1.0 if t in passage.terms else SYNONYM_CREDIT if synonyms(t) & passage.terms else 0.0
                 for t in terms)
    lexical = credit / len(terms)
    need = _facts(claim) - passage.context_facts
    stmts = passage.statements
    fits = [k for k, s in enumerate(stmts) if need <= _facts(s)]
    if not fits:
        return Support(False, lexical, reason=f"{', '.join(sorted(need))} not in [{passage.n}]")
    sims = _vectors([stmts[k] for k in fits]) @ _vectors([claim])[0]
    j = int(np.argmax(sims))
    # The sentence the claim is about: the one it copies once a 'not' put in is taken out ('These
    # agencies are [not] mandated ...'), else the closest in meaning, which may be another sentence
    # that says 'not' about something else.
    unsaid = NOT_RE.sub("", claim, count=1)
    was = passage.copied_in(unsaid) if unsaid != claim else None
    j = fits.index(was) if was in fits else j
    k, cosine = fits[j], float(sims[j])
    if bool(NEGATION_RE.search(stmts[k])) != bool(NEGATION_RE.search(claim)) and not passage.copies(claim):
        return Support(False, lexical, cosine, reason=f"[{passage.n}] says the opposite")
    ok = lexical >= MIN_LEXICAL and cosine >= MIN_COSINE
    reason = "" if ok else f"[{passage.n}] does not support it (words {lexical:.2f}, meaning {cosine:.2f})"
    return Support(ok, lexical, cosine, (k,), reason)


@dataclass
class Verifier:
    """Checks reply sentences one at a time, renumbers markers in order of use, gathers quotes."""

    passages: list[Passage]
    kept: list[str] = field(default_factory=list)
    dropped: list[dict] = field(default_factory=list)
    claims: int = 0  # kept sentences that make a supported claim
    abstained: bool = False
    order: list[int] = field(default_factory=list)  # passage numbers in order of first use
    spans: dict[int, set[int]] = field(default_factory=dict)

    def feed(self, sentence: str, not_found: str) -> str | None:
        """The sentence as the user should see it (renumbered), or None when it is dropped."""
        by_n = {p.n: p for p in self.passages}
        text, ns = body(sentence), markers(sentence)
        if _same(text, not_found):
            self.abstained = True
            self.dropped.append({"text": sentence, "reason": ABSTAINED})
            return None
        if not ns:
            if is_connective(text):
                self.kept.append(text)
                return text
            return self._drop(sentence, "no citation marker")
        valid = [n for n in ns if n in by_n]
        if not valid:
            return self._drop(sentence, f"marker {', '.join(f'[{n}]' for n in ns)} names no passage")
        checks = [(n, support(text, by_n[n])) for n in valid]
        good = [(n, s) for n, s in checks if s.ok]
        if not good:
            return self._drop(sentence, "; ".join(s.reason for _, s in checks))
        for n, s in good:
            if n not in self.order:
                self.order.append(n)
            self.spans.setdefault(n, set()).update(s.spans)
        self.claims += 1
        shown = with_markers(text, [self.order.index(n) + 1 for n, _ in good])
        self.kept.append(shown)
        return shown

    def _drop(self, sentence: str, reason: str) -> None:
        self.dropped.append({"text": sentence, "reason": reason})
        return None

    @property
    def shortened(self) -> bool:
        return any(d["reason"] != ABSTAINED for d in self.dropped)

    def answer(self) -> str:
        """The kept sentences, and a notice when any claim was removed."""
        return " ".join(self.kept + ([SHORTENED] if self.shortened else []))

    def citations(self) -> list[dict]:
        """One citation per passage used, numbered in order of use; quote = its supporting sentences."""
        by_n = {p.n: p for p in self.passages}
        out = []
        for m, n in enumerate(self.order, 1):
            p = by_n[n]
            quote = " ".join(p.statements[k] for k in sorted(self.spans[n]))
            out.append(p.citation(m, quote))
        return out


def _same(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"[^a-z0-9]+", " ", s.lower().replace("’", "'")).strip()  # noqa: E731
    return norm(a) == norm(b)
