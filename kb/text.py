"""Word-level text helpers shared by lexical search and answer selection: tokens, stems, sentences, how common a word is."""
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
whats whos hows wheres whens arent isnt dont doesnt didnt cant wont wouldnt shouldnt theyre thats
don doesn isn aren didn wasn weren hasn haven hadn couldn wouldn shouldn re ve ll
go goes going went gone say says said told put puts come comes came actually exactly really
anything something anyone someone stuff lot lots
""".split())
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


def _shingles(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[k:k + 3]) for k in range(max(1, len(words) - 2))}


NEAR_SHARE = 0.6  # of the shorter text's three-word runs, the share the other must hold to be a near duplicate
COPY_SHARE = 0.9  # the same, for a passage less than half as long as the other to be its copy


def _overlap(a: str, b: str) -> tuple[float, bool]:
    """The share of the shorter text's three-word runs that occur in the other, and whether it is
    less than half as long."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0, False
    short, long_ = sorted((len(sa), len(sb)))
    return len(sa & sb) / short, 2 * short < long_


def near_duplicate(a: str, b: str, threshold: float = NEAR_SHARE) -> bool:
    """Whether two texts carry the same words: the shorter one's three-word runs mostly occur in
    the other (the same statute from two publishers, the same sentence in two versions)."""
    return _overlap(a, b)[0] >= threshold


def same_passage(a: str, b: str) -> bool:
    """Whether two passages are copies of one (two publishers, two versions of a statute): near
    duplicates, and, when one is less than half as long, nearly all of it in the other. A short
    passage a longer one quotes in part ('"Chief" means the Chief of the Office of Technology
    Services' beside a passage that names that Chief) says something of its own."""
    share, much_shorter = _overlap(a, b)
    return share >= (COPY_SHARE if much_shorter else NEAR_SHARE)


@lru_cache(maxsize=50000)
def zipf(word: str) -> float:
    """How common a word is in English (wordfreq's Zipf scale: 3 = once per million words)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")
