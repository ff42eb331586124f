"""The one scoring step, fit on the tuning questions: rank the sentences, then decide whether the best one answers.

Both parts are logistic models over documented features (kb/features.py). The ranker's weights
come from pairs of sentences of one question (one that answers, one that does not), so it learns
which sentence answers better; the decision model reads the best sentence's evidence and its lead
over the next one, and says how likely it is to answer. The answer stands only at or above
`settings.answer.cut`, set for precision."""
from __future__ import annotations

import math

import numpy as np

from .features import NAMES, Candidate
from .select import eligible, pick

# Evidence about the best sentence that the decision model weighs.
DECIDE = ["dense_sentence", "dense_words", "dense_passage", "bm25", "cover_near", "soft_sentence", "focus_near",
          "unknown", "in_field", "follow_up", "kind_strict", "route_home", "section_named", "on_path", "asks_how",
          "top"]  # 'top': the ranker's score of that sentence


def _vec(weights: dict[str, float], names: list[str]) -> np.ndarray:
    return np.asarray([weights.get(n, 0.0) for n in names], dtype=np.float32)


def rank(cands: list[Candidate], answer) -> list[Candidate]:
    """Candidates best first by the ranker's score (Candidate.score)."""
    if not cands:
        return cands
    z = np.stack([c.x for c in cands]) @ _vec(answer.weights, NAMES)
    for c, v in zip(cands, z):
        c.score = float(v)
    return sorted(cands, key=lambda c: -c.score)


def evidence(cands: list[Candidate], on_path: bool = False) -> np.ndarray | None:
    """The decision features of a ranked list: of the sentence it would answer with (select.pick)."""
    pool = [c for c in cands if eligible(c)]
    if not pool:
        return None
    best = pick(pool, on_path)
    lead = best.score - pool[1].score if len(pool) > 1 else 5.0
    values = {"top": best.score, "lead": min(lead, 5.0)}
    return np.asarray([values[n] if n in values else best.f(n) for n in DECIDE], dtype=np.float32)


def confidence(cands: list[Candidate], answer, on_path: bool = False) -> float:
    """How likely the sentence it would answer with answers the question (0 when none is eligible)."""
    x = evidence(cands, on_path)
    if x is None:
        return 0.0
    z = float(x @ _vec(answer.decide_weights, DECIDE)) + answer.decide_bias
    return 1.0 / (1.0 + math.exp(-z))
