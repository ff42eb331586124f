"""Word vectors from the same MiniLM model: how near a question's word is to a sentence's words in meaning."""
from __future__ import annotations

import numpy as np

from . import embed
from .lexicon import raw_words
from .text import STOPWORDS, tokens

MIN_LEN = 3


def content_words(text: str) -> list[str]:
    """The lower-case words of a text worth comparing (no stopwords, no numbers, no short words)."""
    return [w for w in raw_words(text) if len(w) >= MIN_LEN and w.isalpha() and w not in STOPWORDS]


def corpus_vectors(words) -> dict[str, np.ndarray]:
    """Vectors of the documents' words, worked out when the index is built (in runs of many words)."""
    vocab = sorted({w for w in words if len(w) >= MIN_LEN and w.isalpha() and w not in STOPWORDS})
    if not vocab:
        return {}
    vecs = embed.embed_array(vocab, batch_size=256)
    return {w: np.asarray(v, dtype=np.float16) for w, v in zip(vocab, vecs)}


def vectors(idx, words: list[str]) -> np.ndarray:
    """Unit vectors of words: the index's own, else worked out once (one word per run) and kept."""
    table = idx.vocabulary.get("vectors") or {}
    extra = idx.memo("word-vectors", dict)
    todo = [w for w in dict.fromkeys(words) if w not in table and w not in extra]
    for w, v in zip(todo, embed.embed(todo)):
        extra[w] = np.asarray(v, dtype=np.float16)
    rows = [table[w] if w in table else extra[w] for w in words]
    return np.asarray(rows, dtype=np.float32).reshape(len(words), embed.DIM)


class SoftMatch:
    """For one question: how closely a text's words come to each of the question's words."""

    def __init__(self, idx, question: str, weight, used=lambda stem: True):
        words = list(dict.fromkeys(content_words(question)))
        self.idx = idx
        self.words = words
        self.stems = [tuple(tokens(w)) for w in words]
        self.w = np.asarray([weight(s[0]) if s else 0.0 for s in self.stems], dtype=np.float32)
        # Only words the documents use (`used(stem)`) can be missing from a text: a word no document
        # has tells no sentence from another.
        self.telling = self.w * np.asarray([1.0 if s and used(s[0]) else 0.0 for s in self.stems], dtype=np.float32)
        self.q = vectors(idx, words) if words else np.zeros((0, embed.DIM), dtype=np.float32)

    def match(self, text: str) -> np.ndarray:
        """For each of the question's words, how near the text's nearest word comes (1 for the word itself)."""
        tw = list(dict.fromkeys(content_words(text)))
        if not self.words or not tw:
            return np.zeros(len(self.words), dtype=np.float32)
        sims = (self.q @ vectors(self.idx, tw).T).max(axis=1)
        have = set(tokens(text))
        exact = np.asarray([1.0 if s and s[0] in have else 0.0 for s in self.stems], dtype=np.float32)
        near = np.clip((sims - 0.3) / 0.4, 0.0, 1.0)  # below 0.3 unrelated; 0.7 and above as good as the word
        return np.maximum(exact, near)

    def cover(self, text: str, match: np.ndarray | None = None) -> float:
        """Weighted mean, over the question's words, of the nearest word of the text (`match`: the
        text's `match`, when already worked out)."""
        if not self.words or not self.w.sum():
            return 0.0
        m = self.match(text) if match is None else match
        return float((m * self.w).sum() / self.w.sum())

    def gap(self, text: str, match: np.ndarray | None = None) -> float:
        """The most telling word of the question that the text says in no way: its weight against
        the question's weightiest word, times how far the text falls short of it (0: nothing missing)."""
        if not self.telling.any():
            return 0.0
        m = self.match(text) if match is None else match
        return float(((1.0 - m) * self.telling).max() / self.telling.max())


NEIGHBOUR_MIN = 0.6  # a document word this near in meaning stands in for a word no document uses


def neighbours(idx, word: str, n: int = 2, floor: float = NEIGHBOUR_MIN) -> list[str]:
    """The documents' words nearest in meaning to a word they never use ('yearly' -> 'annually')."""
    table = idx.vocabulary.get("vectors") or {}
    if not table:
        return []
    words, matrix = idx.memo("word-matrix", lambda: (list(table), np.stack(list(table.values())).astype(np.float32)))
    sims = matrix @ vectors(idx, [word])[0]
    top = np.argsort(-sims)[:n + 1]
    return [words[i] for i in top if sims[i] >= floor and words[i] != word][:n]
