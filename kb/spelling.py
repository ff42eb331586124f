"""Help-desk spelling: shorthand and typos in a question read as the documents' own words."""
from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from .text import zipf

# A word at least this common in English is taken as meant ('fine', 'penalty'), even when no
# document uses it: correcting it would change the question (wordfreq's Zipf scale, 3 = once per
# million words).
ENGLISH_ZIPF = 3.0
MIN_LEN = 4  # shorter words are not corrected (too many near neighbours)
FOREIGN_SHARE = 0.5  # above this share of unknown words a question is not English shorthand but another language
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z0-9]+|#")
VERSIONED_RE = re.compile(r"\b([A-Za-z]{3,})(\d{1,2})\b")  # a name run into its generation number ('calnet3')


def _in_order(short: str, word: str) -> bool:
    """Whether word holds every letter of short, in order (short is word with letters left out)."""
    rest = iter(word)
    return all(ch in rest for ch in short)


class Speller:
    """Corrects words against the documents' vocabulary (built once per index generation)."""

    def __init__(self, words: Counter, shorthand: dict[str, str], extra: set[str] = frozenset()):
        self.words = words + Counter({w: 1 for w in extra})  # the synonym list's words are known too
        self.shorthand = shorthand
        self.vocab = [w for w, n in self.words.items() if len(w) >= 3 and w.isalpha()]
        self._cache: dict[str, str] = {}

    def known(self, w: str) -> bool:
        """Whether a lower-case word is a word: used in the documents more than once, or common
        English (extraction debris such as 'ighj' is neither)."""
        return self.words.get(w, 0) >= 2 or zipf(w) >= 2.5

    def word(self, w: str) -> str:
        """The documents' word for w: w itself when known, its shorthand expansion, or the nearest
        document word within one edit (two for long words); else w unchanged."""
        low = w.lower()
        if low in self._cache:
            return self._cache[low]
        out = self._correct(low)
        self._cache[low] = out
        return out

    def _correct(self, low: str) -> str:
        if low in self.shorthand:
            return self.shorthand[low]
        if low in self.words or not low.isalpha() or len(low) < MIN_LEN or zipf(low) >= ENGLISH_ZIPF:
            return low
        limit = 1 if len(low) < 7 else 2
        found = process.extract(low, self.vocab, scorer=DamerauLevenshtein.distance,
                                score_cutoff=limit, limit=8)
        if found:
            # Of equally near words, one that starts alike, then one the typed word leaves a letter
            # out of (the commonest typo: 'advnce' is advance, not advice), then the most frequent.
            best = min(found, key=lambda f: (f[1], f[0][0] != low[0], not _in_order(low, f[0]), -self.words[f[0]]))
            return best[0]
        return self._abbreviation(low) or low

    def _abbreviation(self, low: str) -> str | None:
        """'rqmt' -> 'requirement': a document word that starts and ends like it and holds its
        letters in order (the most frequent such word)."""
        if len(low) > 8:
            return None
        pat = re.compile(".*".join(map(re.escape, low)))
        fits = [v for v in self.vocab if v[0] == low[0] and v[-1] == low[-1] and len(v) <= 3 * len(low)
                and pat.fullmatch(v)]
        return max(fits, key=lambda v: self.words[v]) if fits else None

    def fix(self, text: str) -> str:
        """The question with each word corrected (kept as written when nothing fits). A text that
        is mostly not English words, nor the documents' (another language), is left as it is."""
        words = [w.lower() for w in WORD_RE.findall(text) if w.isalpha() and len(w) > 2]
        strange = [w for w in words if w not in self.words and w not in self.shorthand and zipf(w) < ENGLISH_ZIPF]
        if words and len(strange) / len(words) > FOREIGN_SHARE:
            return text

        def sub(m: re.Match) -> str:
            w = m.group(0)
            got = self.word(w)
            return w if got == w.lower() else got

        def versioned(m: re.Match) -> str:  # 'calnet3' -> 'calnet 3', as the documents write it
            return f"{m.group(1)} {m.group(2)}" if self.words.get(m.group(1).lower(), 0) >= 2 else m.group(0)
        return WORD_RE.sub(sub, VERSIONED_RE.sub(versioned, text))


