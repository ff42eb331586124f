"""Sentence choice: the best-scoring sentence that holds the fact asked, with what it needs to be read alone."""
from __future__ import annotations

from .features import ANAPHOR_RE, MIN_PROSE, Candidate
from .text import near_duplicate, sentences

PREFER_AMONG = 5  # the best sentences among which one that holds the fact asked for comes first
PATH_AMONG = 3  # the best sentences among which one of a guided path's own sections comes first
NAMES_FOCUS = 0.8  # on a path, a sentence names what is asked about in its words or another way of saying them
PART_COVER = 0.5  # a sentence covers a further part of a compound question: this share of its weighted words
PART_AMONG = 8  # the best eligible sentences among which one covering a further part is looked for
DEFINES = 0.6  # a sentence that plainly defines the term asked about ('X – ...', 'X means', 'Full Name (X)')


def eligible(c: Candidate) -> bool:
    """A sentence may answer only if it reads as prose, comes from the version of its section the
    question's time asks for (the current text by default), and, when the question asks for a
    kind of fact (an amount, a date, a number to call ...), it or its neighbour holds one, and
    says what else is asked (a maximum, what happens to those who do not comply)."""
    if c.f("prose") < MIN_PROSE or not c.f("version_fit") or not c.meets:
        return False
    if c.f("kind_strict"):  # the kind of fact asked for, what the amount or count is of, and what it is about
        return bool(c.f("kind_near")) and c.f("qualifier") > 0 and c.f("focus_near") > 0
    return True


def _sentences_of(c: Candidate) -> list[str]:
    return sentences(c.hit.record.text)


def _at(c: Candidate, k: int, by_key: dict) -> Candidate:
    got = by_key.get((c.hit.i, k))
    if got is None:
        got = Candidate(c.hit, k, _sentences_of(c)[k], c.x, score=c.score)
    return got


def with_context(c: Candidate, by_key: dict) -> list[Candidate]:
    """A sentence plus what it needs: the neighbour holding the fact asked for, the sentence
    'These agencies ...' points back to, or the list items a lead-in ending with a colon opens."""
    sents = _sentences_of(c)
    out = [c]
    if c.fact_at is not None:
        out.append(_at(c, c.fact_at, by_key))
    if ANAPHOR_RE.match(c.text) and c.k > 0:
        before = _at(c, c.k - 1, by_key)
        if before.f("prose") >= MIN_PROSE:  # not a heading or a trail of headings
            out.append(before)
    if c.text.rstrip().endswith(":"):
        out.extend(_at(c, k, by_key) for k in range(c.k + 1, min(len(sents), c.k + 5)))
    elif c.k + 1 < len(sents) and ANAPHOR_RE.match(sents[c.k + 1]):
        out.append(_at(c, c.k + 1, by_key))
    seen, uniq = set(), []
    for x in out:
        if x.k not in seen:
            seen.add(x.k)
            uniq.append(x)
    return sorted(uniq, key=lambda x: x.k)


def choose(cands: list[Candidate], runner_up: float, max_sentences: int = 3, yesno: bool = False,
           on_path: bool = False) -> list[Candidate]:
    """The sentence to answer with (pick) and its context, then close runners-up (ranker scores
    within `runner_up` of it) with theirs, leaving out repeats of what is chosen."""
    pool = [c for c in cands if eligible(c)]
    if not pool:
        return []
    by_key = {(c.hit.i, c.k): c for c in cands}
    best = pick(pool, on_path)
    floor = best.score - runner_up
    chosen = with_context(best, by_key)
    keys = {(x.hit.i, x.k) for x in chosen}
    if yesno:  # the qualification that follows a yes/no answer is usually part of it
        nxt = by_key.get((best.hit.i, max(x.k for x in chosen) + 1))
        if nxt is not None and eligible(nxt) and nxt.score >= floor - runner_up:
            chosen.append(nxt)
            keys.add((nxt.hit.i, nxt.k))
    for c in pool:  # best first, so a sentence ranked above the one picked is read too
        if len(chosen) >= max_sentences or c.score < floor:
            break
        if (c.hit.i, c.k) in keys or any(near_duplicate(c.text, x.text, 0.5) for x in chosen):
            continue
        _add(with_context(c, by_key), chosen, keys)
    # A compound question ('who owns the equipment, and who is responsible for our LAN?'): each
    # further part that no chosen sentence covers gets the best of the first few that does.
    for j in range(len(best.parts)):
        if any(len(x.parts) > j and x.parts[j] >= PART_COVER for x in chosen):
            continue
        part = [c for c in pool[:PART_AMONG] if c.parts[j] >= PART_COVER and (c.hit.i, c.k) not in keys]
        if part:
            _add(with_context(max(part, key=lambda c: (c.parts[j], c.score)), by_key), chosen, keys)
    return chosen


def _add(more: list[Candidate], chosen: list[Candidate], keys: set) -> None:
    """Append to the answer the sentences of `more` it does not hold yet."""
    for x in more:
        if (x.hit.i, x.k) not in keys:
            chosen.append(x)
            keys.add((x.hit.i, x.k))


def pick(pool: list[Candidate], on_path: bool = False) -> Candidate:
    """The sentence to answer with, of eligible ones best first: the one that most plainly defines
    the term asked about; else, among the best few, one of the section the question names by number, one that
    holds the kind of fact asked about what is asked, one that itself holds the kind of fact (not
    only its neighbour); among the best three, one from a guided path's own sections; else the best."""
    close = pool[:PREFER_AMONG]
    defining = [c for c in pool if c.f("defines") >= DEFINES]
    best = max(defining, key=lambda c: c.f("defines")) if defining else None  # the plainest, of equals the best
    if best is None and not close[0].f("section_named"):  # the section asked for by number is read first
        best = next((c for c in close if c.f("section_named")), None)
    if best is None:
        best = next((c for c in close if c.f("focus_sentence") >= 1.0 and (c.f("kind_soft") or c.f("kind_sentence"))), None)
    if best is None and close[0].f("kind_strict"):
        best = next((c for c in close if c.f("kind_sentence")), None)
    if best is None and on_path:
        best = next((c for c in close[:PATH_AMONG] if c.f("route_home")), None)
    return best or pool[0]


def path_fact(cands: list[Candidate], on_path: bool) -> bool:
    """On a guided path, a sentence of the path's own sections that holds the kind of fact asked,
    about what is asked ('who has to sign that?': the sentence on who signs), answers."""
    pool = [c for c in cands if eligible(c)]
    if not on_path or not pool:
        return False
    best = pick(pool, on_path)
    return bool(best.f("route_home")) and best.f("focus_sentence") >= NAMES_FOCUS and bool(best.f("kind_soft") or best.f("kind_sentence"))


def nearest(cands: list[Candidate], n: int = 2) -> list[Candidate]:
    """The best-scoring readable sentences, for 'what the documents say nearest to it'."""
    out: list[Candidate] = []
    for c in cands:
        if c.f("prose") >= MIN_PROSE and not any(near_duplicate(c.text, x.text, 0.5) for x in out):
            out.append(c)
        if len(out) >= n:
            break
    return out
