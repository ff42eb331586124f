"""Word-level text helpers shared by lexical search and answer selection: tokens, stems, sentences."""
from __future__ import annotations

import re
from functools import lru_cache

WORD_RE = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most
my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves may might must shall also us get got one use used using
""".split())
# Words that carry meaning in this field even though they look like filler.
KEEP = frozenset({"not", "no", "must", "shall", "may"})


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokens(text: str, keep_stopwords: bool = False) -> list[str]:
    """Lower-cased, stemmed word tokens without stopwords."""
    words = WORD_RE.findall(text.lower())
    if not keep_stopwords:
        words = [w for w in words if w not in STOPWORDS]
    return _stemmer().stemWords(words)


def content_terms(text: str) -> set[str]:
    """Stemmed meaningful terms of a text, used to compare a question with a sentence."""
    return {t for t in tokens(text) if len(t) > 1 or t.isdigit()}


SENTENCE_RE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9•\-])")
ABBREV_END_RE = re.compile(
    r"(?:\b(?:No|Nos|Sec|Secs|Inc|Co|Corp|vs|St|Gov|Cal|Stats|ch|Rev|Tax|Dept|Govt|Pub|Cont|Art|Div|Ch|Mr|Ms|Dr|Jr|Sr|Ltd|approx|etc)"
    r"|\b(?:i\.e|e\.g|U\.S|P\.O)|\b[A-Z])\.$")


def sentences(text: str) -> list[str]:
    """Split a passage into sentences, keeping list items and lines as their own units."""
    out: list[str] = []
    for line in text.split("\n"):
        parts: list[str] = []
        for piece in SENTENCE_RE.split(line.strip()):
            piece = piece.strip()
            if not piece:
                continue
            if parts and ABBREV_END_RE.search(parts[-1]):
                parts[-1] = f"{parts[-1]} {piece}"
            else:
                parts.append(piece)
        out.extend(parts)
    return out
