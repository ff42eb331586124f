"""Candidate answers (sentences of the retrieved passages) and the evidence the scorer weighs for each."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from . import embed, facts, lexicon, routes, versions, wordvec
from .index import Index
from .question import Question, unknown_terms
from .retrieve import Hit
from .text import bigrams, content_terms, sentences, tokens

CANDIDATE_HITS = 10  # retrieved passages whose sentences are candidates (beside their neighbours)
OTHER_WEIGHT = 0.35  # a context word (the turn before, a preamble) against a word of the sentence that asks
# The features, in the order of the scorer's weights (settings: answer.weights).
NAMES = ["dense_sentence", "dense_words", "dense_passage", "bm25", "rank", "cover_sentence", "cover_near",
         "cover_passage", "cover_heading", "soft_sentence", "soft_near", "pairs", "novelty", "length", "focus_sentence", "focus_near",
         "focus_passage", "qualifier", "kind_strict", "kind_sentence", "kind_near", "kind_soft", "route_home", "section_named", "prose",
         "defines", "opening", "version_fit", "unknown", "in_field", "follow_up", "on_path", "asks_how", "gap_near",
         "number_gap", "thread", "thread_doc", "said", "dense_asked", "dense_window", "adapted_sentence",
         "adapted_window", "dense_specific"]
MIN_PROSE = 0.35  # a sentence that reads worse than this (a table row, a budget code) never answers
HEADING_PROSE = 0.5  # how a section's own heading line reads to a question asking which section covers something
AT = {n: k for k, n in enumerate(NAMES)}
ANAPHOR_RE = re.compile(r"^(?:These|This|Such|They|Those|It|Its|The request|The requests)\b")
LEADER_RE = re.compile(r"\.{4,}|…{2,}|_{3,}")
TRAIL_RE = re.compile(r"\s(?:>>|»)\s")
NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")
ACRONYM_RE = re.compile(r"\b[A-Z][A-Z&]{1,9}\b")  # a run of capitals: an acronym, when the documents define it
CAPS_RUN_RE = re.compile(r"(?:\b[A-Z][A-Z&'’]+\b[\s,:;-]+){3,}\b[A-Z][A-Z&'’]+\b")  # four words in capitals in a row
CODE_RE = re.compile(r"\b[A-Za-z0-9]+(?:-[A-Za-z0-9]+){2,}\b")
# A list of the sections a law amends ('Sections 2872.5, 2892, and 2892.1'): references, read as one word
SECTION_LIST_RE = re.compile(r"\b(?:Sections?|§§?)\s+\d[\d.]*[a-z]?"
                             r"(?:(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|to)\s+)\d[\d.]*[a-z]?)*")
VERB_RE = re.compile(r"\b(?:is|are|was|were|be|been|being|has|have|had|will|shall|must|may|can|should|would|could|"
                     r"does|do|did|means|includes?|provides?|requires?|applies|consists?)\b|\b[a-z]{3,}(?:ed|es)\b")


@dataclass
class Candidate:
    """One sentence of a retrieved passage, with the evidence that it answers the question."""

    hit: Hit
    k: int  # position of the sentence in its passage
    text: str
    x: np.ndarray  # features, in NAMES order
    fact_at: int | None = None  # a neighbouring sentence that holds the fact asked for, if not this one
    meets: bool = True  # it, read with its neighbours, says what else is asked (a bound, a consequence)
    score: float = 0.0  # the ranker's score (log-odds scale; kb/scorer.py)
    parts: tuple = ()  # how much of each further part of a compound question it covers (facts.parts)

    def f(self, name: str) -> float:
        return float(self.x[AT[name]])


def weights(idx: Index, q: Question) -> dict[str, float]:
    """Squared IDF of each known question stem; words around the sentence that asks weigh less.
    Words no document uses cannot tell sentences apart and are left to the 'unknown' feature."""
    own = q.own_terms or set(q.terms)
    return {t: idx.idf(t) ** 2 * (1.0 if t in own else OTHER_WEIGHT)
            for t in dict.fromkeys(q.terms) if idx.df.get(t) or q.alts.get(t)}


def cover(w: dict[str, float], alts: dict, have: set[str]) -> float:
    """Weighted share of question stems a text holds: the stem itself, or another way of saying it (0.8)."""
    total = sum(w.values())
    if not total:
        return 0.0
    got = 0.0
    for t, wt in w.items():
        if t in have:
            got += wt
        elif any(all(s in have for s in alt) for alt in alts.get(t, ())):
            got += 0.8 * wt
    return got / total


def unknown_share(idx: Index, q: Question) -> float:
    """Share of the asking sentence's stems that no document uses and nothing translates."""
    terms = [t for t in (q.own_terms or set(q.terms)) if not t.isdigit()]
    return len(unknown_terms(terms, idx.df, q.alts)) / len(terms) if terms else 0.0


def prose(text: str, known) -> float:
    """How much a sentence reads as prose (1) rather than extraction debris: a budget code, a
    table row, a run of capitals, a line of leaders, letters that make no words ('Q X,ighj')."""
    text = SECTION_LIST_RE.sub("Sections", text)
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    if len(words) < 4:
        return 0.1
    real = sum(1 for w in words if len(w) > 1 and known(w.lower())) / len(words)
    letters = [c for c in text if c.isalpha()]
    upper = sum(c.isupper() for c in letters) / max(1, len(letters))
    digits = sum(c.isdigit() for c in text) / max(1, len(text))
    score = real - max(0.0, upper - 0.5) - 2 * max(0.0, digits - 0.1)
    if not VERB_RE.search(text):
        score -= 0.4  # a heading, a label or a table row, not a statement
    if LEADER_RE.search(text) or TRAIL_RE.search(text):  # a line of leaders; a trail 'Code >> Division 3. >>'
        score -= 0.5
    if not text.rstrip().endswith((".", ":", ";", ")", "”", '"')):
        score -= 0.15
        if not VERB_RE.search(text.lower()):  # (lowered: 'INTRODUCED BY ...' has a verb)
            score -= 0.2  # no verb and no full stop: a heading ('Radio Installation, Modification, and Maintenance')
    if _title_line(words, text):
        score -= 0.3  # a heading in title case ('Telephone Service in Private Residences or Vehicles')
    if CAPS_RUN_RE.search(text):
        score -= 0.3  # a letterhead or form label ('BILL ANALYSIS ... ASSEMBLY COMMITTEE ON UTILITIES AND COMMERCE')
    codes = sum(len(m) for m in CODE_RE.findall(text))
    if codes > 0.5 * len(text):
        score -= 0.5  # mostly an identifier ('ADD-CON-ITD-9-14-21-...', '0250-101-0001')
    return max(0.0, min(1.0, score))


def _title_line(words: list[str], text: str) -> bool:
    """A line whose longer words all start with a capital and that ends without a stop: a heading.
    A line with a word in capitals ('INTRODUCED BY Assembly Members ...') is a dateline, read as a statement."""
    long = [w for w in words if len(w) >= 4]
    if not long or any(w.isupper() for w in long) or text.rstrip().endswith((".", ":", ";", ")", "”", '"', "?")):
        return False
    return sum(w[0].isupper() for w in long) >= 0.8 * len(long)


def _key(sentence: str) -> str:
    """A sentence's words, for telling whether an earlier answer quoted it."""
    return " ".join(re.findall(r"[a-z0-9]+", sentence.lower()))[:120]


def _heading_line(text: str, rec) -> bool:
    """Whether a line is its section's own heading with its number, as ingest read it ('DELEGATION
    4545' opened SAM 4545, 'Delegation'): not prose, but what a question asking which section
    covers something wants."""
    num = (rec.section or "").split(" ")[-1]
    if not num or not rec.heading or num not in text:
        return False
    return re.findall(r"[a-z]+", text.replace(num, " ").lower()) == re.findall(r"[a-z]+", rec.heading.lower())


def _fact_line(text: str) -> bool:
    """A short line that is only a fact (a dateline 'FEBRUARY 19, 2010', a number to call): read
    with the sentence above it, though it is not prose by itself."""
    return len(text.split()) <= 6 and not LEADER_RE.search(text) and not TRAIL_RE.search(text)


def defines(subject: str | None, text: str) -> float:
    """How plainly a sentence defines the subject: 'X – ...', 'X means', 'Full Name (X)' (1);
    'X (...)' (0.8: what the brackets hold may be the full name or only a label, 'CGEN (Vendor
    Managed WAN)'); 'X is a/the ...' (0.6); 'X is ...' (0.2)."""
    if not subject:
        return 0.0
    subj = re.escape(subject.strip(" ?.").lower())
    low = re.sub(r"^(?:\([a-z0-9]{1,4}\)\s*|[-•·]\s*)", "", text.lower())
    low = re.sub(r"^(?:the|an?)\s+", "", low.lstrip("\"“ "))
    acronyms = [a.lower() for a in re.findall(r"\b[A-Za-z]{2,6}\b", subject) if a.isupper() or len(subject) <= 6]
    if re.match(rf"^{subj}[\"”]?\s*(?:[–—-]|means\b|refers\b|includes\b)", low) \
            or re.search(rf"\({subj}\)", low) or re.search(rf"known and may be cited as the {subj}", low) \
            or any(re.search(rf"\w\s*\({re.escape(a)}\)", low) for a in acronyms):
        return 1.0
    if re.match(rf"^{subj}[\"”]?\s*\(", low):
        return 0.8
    if re.match(rf"^{subj}\s+(?:is|are)\s+(?:a|an|the|one)\b", low):
        return 0.6
    if re.match(rf"^{subj}\s+(?:is|are)\b", low):
        return 0.2
    return 0.0


def numbers(text: str) -> set[str]:
    """The numbers a text gives (a year, an amount, a count), written without thousands commas."""
    return {m.group(0).replace(",", "").rstrip(".") for m in NUMBER_RE.finditer(text or "")}


def spelled_out(text: str, acronyms: dict[str, str]) -> str:
    """A sentence with the acronyms the documents define written out after their first use
    ('designate one CATR' -> 'designate one CATR (chief agency telecommunications representative)'),
    unless it already holds the full name: the embedding model does not know the field's acronyms."""
    low = text.lower()
    done: set[str] = set()

    def add(m: re.Match) -> str:
        word = m.group(0)
        full = acronyms.get(word.lower())
        if not full or word in done or full in low:
            return word
        done.add(word)
        return f"{word} ({full})"
    return ACRONYM_RE.sub(add, text)


def sentence_stems(idx: Index):
    """The stems of a sentence, with the full names of the acronyms it uses ('designate one CATR'
    holds 'chief', 'agency', 'telecommunications', 'representative'), each worked out once per
    index generation: a question in the policy's full words then covers a sentence in its acronyms."""
    cache = idx.memo("sentence-stems", dict)
    acronyms = lexicon.for_index(idx)[0].acronyms

    def stems(text: str) -> set[str]:
        got = cache.get(text)
        if got is None:
            got = cache[text] = frozenset(tokens(spelled_out(text, acronyms)))
        return set(got)
    return stems


def sentence_vectors(idx: Index, texts: list[str]) -> np.ndarray:
    """Embeddings of passage sentences (acronyms spelled out), each worked out once per index generation."""
    cache = idx.memo("sentence-vectors", dict)
    todo = [t for t in dict.fromkeys(texts) if t not in cache]
    acronyms = lexicon.for_index(idx)[0].acronyms
    for t, v in zip(todo, embed.embed([spelled_out(t, acronyms) for t in todo])):
        cache[t] = np.asarray(v, dtype=np.float32)
    return np.stack([cache[t] for t in texts]) if texts else np.zeros((0, embed.DIM), dtype=np.float32)


def proper_names(idx: Index):
    """Whether the documents only ever write a word with a capital (a person's or a place's name):
    none of their passages has it in lowercase. Worked out once per index generation."""
    lower = idx.memo("lowercase-words", lambda: {w for r in idx.records
                                                  for w in LOWER_WORD_RE.findall(ADDRESS_RE.sub(" ", r.text))})
    return lambda word: word.lower() not in lower


LOWER_WORD_RE = re.compile(r"(?<![\w'’-])[a-z][a-z'’]+")
ADDRESS_RE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\b[\w.-]+\.(?:gov|com|org|net|edu)\S*")  # lowercase, but no prose
HUB_K = 10  # a sentence's closeness to questions in general: the mean of its closest example questions


def hubness(idx: Index, texts: list[str], vecs: np.ndarray) -> np.ndarray:
    """How close each sentence is to the field's questions in general (the mean cosine of its
    HUB_K closest example questions in kb/data/routes.toml), worked out once per index generation.
    A sentence close to every question ('this allows entities to easily order services') is close
    to a new one for no reason of its own: its closeness less this says how close it is to this one."""
    cache = idx.memo("sentence-hubness", dict)
    todo = [(t, v) for t, v in zip(texts, vecs) if t not in cache]
    if todo:
        ex = routes.example_vectors()
        sims = np.stack([v for _, v in todo]) @ ex.T
        for (t, _), row in zip(todo, np.sort(sims, axis=1)[:, -HUB_K:]):
            cache[t] = float(row.mean())
    return np.asarray([cache[t] for t in texts], dtype=np.float32)


def _windows(vecs: np.ndarray, starts: dict[int, int], rows) -> np.ndarray:
    """Each sentence read with its neighbours: the mean of the three sentences' vectors, unit
    length, so that its dot product with a question vector is their closeness (a fact split over
    two sentences is close as a pair)."""
    out = np.zeros_like(vecs)
    for n, (hit, k, _, sents) in enumerate(rows):
        v = vecs[starts[hit.i] + max(0, k - 1):starts[hit.i] + min(len(sents), k + 2)].mean(axis=0)
        out[n] = v / (float(np.linalg.norm(v)) or 1.0)
    return out


def candidates(idx: Index, q: Question, hits: list[Hit], qvec, path_homes: list[str], known,
               wvec=None, thread: list[int] = (), said: list[str] = (), avec=None, adapted=None) -> list[Candidate]:
    """Every sentence of the given passages, with its features (`wvec`: the question in the
    documents' words, when that differs from the question; `avec`: the sentence that asks alone,
    when the question has more than it; `adapted`: the question's vector moved toward the
    documents' words by the fitted adapter (kb/adapter.py), when there is one; `thread`: the passages the answer
    before a follow-up quoted; `said`: the sentences it quoted, which a follow-up asks beyond)."""
    w = weights(idx, q)
    focus = [t for t in q.fact.focus if idx.df.get(t) or q.alts.get(t)] or q.fact.focus
    fw = {t: 1.0 for t in focus}
    no_focus = 1.0 if not fw else None  # nothing named to look for: the focus features hold
    qw = {t: 1.0 for t in q.fact.qualifier}
    part_w = [{t: w[t] for t in part if t in w} for part in q.fact.parts]
    unknown = unknown_share(idx, q)
    lex_max = max((h.lexical for h in hits), default=0.0) or 1.0
    vers = versions.of_index(idx)
    thread_docs = {idx.records[i].doc for i in thread}
    out: list[Candidate] = []
    rows: list[tuple[Hit, int, str, list[str]]] = []
    starts: dict[int, int] = {}  # each passage's first row
    for hit in hits:
        sents = sentences(hit.record.text)
        starts[hit.i] = len(rows)
        rows.extend((hit, k, s, sents) for k, s in enumerate(sents))
    if not rows:
        return []
    vecs = sentence_vectors(idx, [r[2] for r in rows])
    sims = vecs @ np.asarray(qvec, dtype=np.float32)
    wsims = vecs @ np.asarray(wvec, dtype=np.float32) if wvec is not None else sims
    asims = vecs @ np.asarray(avec, dtype=np.float32) if avec is not None else sims
    hubs = hubness(idx, [r[2] for r in rows], vecs)
    windows = _windows(vecs, starts, rows)
    wins = windows @ np.asarray(qvec, dtype=np.float32)
    if adapted is not None:
        adapted = np.asarray(adapted, dtype=np.float32)
        adapted_sims, adapted_wins = vecs @ adapted, windows @ adapted
    else:
        adapted_sims, adapted_wins = sims, wins
    qpairs = bigrams(q.terms)
    soft = wordvec.SoftMatch(idx, q.fixed, lambda t: idx.idf(t), lambda t: bool(idx.df.get(t)))
    asked_numbers = numbers(q.asked)
    qset = set(q.terms) | {s for alts in q.alts.values() for alt in alts for s in alt}
    per_hit: dict[int, tuple] = {}
    for rank, hit in enumerate(hits):
        rec = hit.record
        heading = f"{rec.title} {rec.section or ''} {rec.heading or ''} {rec.label or ''}"
        head = content_terms(heading)
        ctx = head | content_terms(rec.text) | content_terms(rec.lead or "")
        fit = versions.fits(vers[hit.i], q.when, versions.years(idx, rec.section))
        per_hit[hit.i] = (rank, ctx, fit, cover(w, q.alts, head), numbers(heading))
    fits = lambda j: versions.fits(vers[j], q.when, versions.years(idx, idx.records[j].section))  # noqa: E731
    stems = sentence_stems(idx)
    proper = proper_names(idx)
    said_keys = {_key(t) for t in said}
    for (hit, k, s, sents), sim, wsim, asim, win, adsim, adwin, hub in zip(rows, sims, wsims, asims, wins,
                                                                         adapted_sims, adapted_wins, hubs):
        rank, ctx, fit, head_cover, head_numbers = per_hit[hit.i]
        fit = fit or not versions.superseded(idx, hit.i, s, fits)
        toks = tokens(s)
        novelty = len(set(toks) - qset) / len(set(toks)) if toks else 0.0
        own = stems(s)
        if ANAPHOR_RE.match(s) and k > 0:  # 'These agencies ...' is read with what it points back to
            own |= stems(sents[k - 1])
        window = " ".join(sents[max(0, k - 1):k + 2])
        window_match = soft.match(window)
        near = own.union(*(stems(sents[j]) for j in (k - 1, k + 1) if 0 <= j < len(sents)))
        kind_own = facts.holds(q.fact.kind, s, q.asked, proper)
        fact_at = None if kind_own else next(
            (j for j in (k + 1, k - 1) if 0 <= j < len(sents) and facts.holds(q.fact.kind, sents[j], q.asked, proper)
             and (prose(sents[j], known) >= MIN_PROSE or _fact_line(sents[j]))), None)
        x = [float(sim), float(wsim), max(hit.dense, 0.0), hit.lexical / lex_max, 1.0 / (1 + rank),
             cover(w, q.alts, own), cover(w, q.alts, near), cover(w, q.alts, ctx), head_cover,
             soft.cover(s), soft.cover(window, window_match),
             min(1.0, len(qpairs & bigrams(toks)) / 2), novelty, min(1.0, len(s.split()) / 30),
             no_focus or cover(fw, q.alts, own), no_focus or cover(fw, q.alts, near), no_focus or cover(fw, q.alts, ctx),
             cover(qw, q.alts, near) if qw else 1.0,
             1.0 if q.fact.strict else 0.0, 1.0 if kind_own and q.fact.strict else 0.0,
             1.0 if (kind_own or fact_at is not None) and q.fact.strict else 0.0,
             1.0 if kind_own and q.fact.kind and not q.fact.strict else 0.0,
             1.0 if hit.record.section in path_homes else 0.0, 1.0 if hit.routed else 0.0,
             max(prose(s, known), HEADING_PROSE) if q.fact.section and _heading_line(s, hit.record) else prose(s, known),
             defines(q.subject, s), 1.0 if k == 0 else 0.0, 1.0 if fit else 0.0,
             unknown, 1.0 if q.in_field else 0.0, 1.0 if q.follow_up else 0.0, 1.0 if path_homes else 0.0,
             1.0 if q.kind in ("procedure", "yesno") else 0.0, soft.gap(window, window_match),
             1.0 if asked_numbers - numbers(window) - head_numbers else 0.0,
             1.0 if hit.i in thread else 0.0, 1.0 if hit.record.doc in thread_docs else 0.0,
             1.0 if said_keys and _key(s) in said_keys else 0.0, float(asim), float(win), float(adsim), float(adwin),
             float(sim - hub)]
        out.append(Candidate(hit, k, s, np.asarray(x, dtype=np.float32), fact_at,
                             facts.meets(q.fact.needs, window),
                             parts=tuple(cover(pw, q.alts, own) for pw in part_w)))
    return out
