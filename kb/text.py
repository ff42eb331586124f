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
would you your yours yourself yourselves might also us get got one use used using
want wants wanted need needs like know tell please help question questions thing things way ok
many much kind sort often
""".split())
# Policy language says the same thing in several ways; a question's word also matches these.
SYNONYMS = [
    "allow allows allowed permit permits permitted authorize authorizes authorized may can",
    "require requires required must shall mandate mandated mandatory obligated",
    "buy buys purchase purchases purchasing procure procures procurement acquire acquires acquisition order orders ordering obtain",
    "phone phones telephone telephones voice",
    "cell cellular wireless mobile",
    "cost costs price prices pricing rate rates fee fees charge charges",
    "expire expires expiration term terms duration last lasts limited",
    "sign signs signed signature",
    "city cities county counties local municipal",
    "university universities college colleges",
    "agency agencies department departments entity entities",
    "vendor vendors provider providers carrier carriers contractor contractors supplier suppliers",
    "exemption exemptions exempt waiver",
    "publish published publication list listed",
    "cover covers covered include includes including provide provides offer offers consist consists comprise comprises addresses",
    "authority authorities responsibility responsibilities responsible jurisdiction power powers charge",
    "belong belongs part within under",
    "count counts mean means define defined",
    "notice notify notified notification announce announced advance",
]


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


NON_RE = re.compile(r"\bnon[-\s](?=[a-z])")


def tokens(text: str, keep_stopwords: bool = False) -> list[str]:
    """Lower-cased, stemmed word tokens without stopwords (or single letters). 'Non-exempt' is
    one word, so a question about exempt agencies does not match the non-exempt ones."""
    words = WORD_RE.findall(NON_RE.sub("non", text.lower()))
    if not keep_stopwords:
        words = [w for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    return _stemmer().stemWords(words)


@lru_cache(maxsize=1)
def _synonym_map() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group in SYNONYMS:
        stems = set(tokens(group, keep_stopwords=True))
        for s in stems:
            out.setdefault(s, set()).update(stems)
    return {k: frozenset(v) for k, v in out.items()}


def synonyms(term: str) -> frozenset[str]:
    """The stems that count as a match for a question's stem (itself included)."""
    return _synonym_map().get(term, frozenset((term,)))


def content_terms(text: str) -> set[str]:
    """Stemmed meaningful terms of a text, used to compare a question with a sentence."""
    return set(tokens(text))


def bigrams(toks: list[str]) -> set[tuple[str, str]]:
    """Adjacent pairs of content terms: 'managed internet' in a question and in a sentence."""
    return set(zip(toks, toks[1:]))


# A sentence ends at . ! or ? (a closing quote or bracket may follow) before a capital or a digit,
# a subdivision '(c) ', a bullet or a list dash; '(STD. 65)' or 'No. 2' does not end one (see
# ABBREV_END_RE). In a reply, a marker closed by a full stop ('... [2].') always ends one.
SENTENCE_RE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“(]?[A-Z0-9•]|\([a-z0-9]{1,4}\)\s|[\-–]\s)"
                         r"|(?<=\][.!?])\s+")
ABBREV_END_RE = re.compile(
    r"(?:\b(?:No|Nos|Sec|Secs|Inc|Co|Corp|vs|St|Gov|Cal|Stats|ch|Rev|Tax|Dept|Govt|Pub|Cont|Art|Div|Ch|Mr|Ms|Dr|Jr|Sr|Ltd|approx|etc|STD|Std|Form|Vol|Att)"
    r"|\b(?:i\.e|e\.g|U\.S|P\.O)|\b[A-Z])\.$")


def sentences(text: str) -> list[str]:
    """The one sentence splitter (passages, replies, questions): list items and lines are units of
    their own, and an abbreviation never ends a sentence."""
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
