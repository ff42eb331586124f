"""The one scoring step, fit on the tuning questions: rank the sentences, then decide whether the best one answers.

Both parts are logistic models over documented features (kb/features.py). The ranker's weights
come from pairs of sentences of one question (one that answers, one that does not), so it learns
which sentence answers better; boosted trees over the same features, each also read against the
best and the mean of the question's sentences, add what a weighted sum cannot say (a kind of fact
that matters only with its focus, a passage that is close only as a whole). The decision model
reads the evidence of the sentence it would answer with (ranked with the neighbour it takes its
fact from), and says how likely it is to answer. The answer stands only at or above
`settings.answer.cut` (`cut_open` for a question that asks for no kind of fact), set for precision."""
from __future__ import annotations

import math

import numpy as np

from .features import NAMES, Candidate
from .select import eligible, pick

# Evidence about the best sentence that the decision model weighs.
DECIDE = ["dense_sentence", "dense_words", "dense_passage", "bm25", "cover_near", "soft_sentence", "focus_near",
          "unknown", "in_field", "follow_up", "kind_strict", "route_home", "section_named", "on_path", "asks_how",
          "gap_near", "number_gap", "top", "mean_gap", "margin"]
# Read off the ranking rather than the sentence: 'top', the ranker's score of that sentence;
# 'mean_gap', how far it stands above the mean of the question's eligible sentences; 'margin', how
# far above the best sentence of any other passage (ALONE when no other passage has one). An answer
# that stands out is likelier to be one, whatever words the question uses. Cross-validated by family
# on the 948 tuning questions (identical drafts): 653 passed without the two, 671 with them, of
# them plain wording 70 -> 77, with as many questions to abstain on answered.
ALONE = 3.0  # the margin of a sentence with no rival passage, in units of the ranker's score


def _vec(weights: dict[str, float], names: list[str]) -> np.ndarray:
    return np.asarray([weights.get(n, 0.0) for n in names], dtype=np.float32)


def relative(X: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Each candidate's features, then how far each lies from the best and from the mean among
    `among` (the question's eligible candidates): what the trees of the ranker read."""
    ref = among if len(among) else X
    return np.hstack([X, X - ref.max(axis=0), X - ref.mean(axis=0)])


_FOREST: list = [None, ()]  # the trees last walked and their padded arrays


def _forest(boost: dict) -> tuple:
    """The trees as padded arrays (tree, node), made once for the fitted settings in use."""
    if _FOREST[0] is not boost:
        trees = boost["trees"]
        width = max(len(t["feature"]) for t in trees)

        def pad(name, fill):
            return np.asarray([t[name] + [fill] * (width - len(t[name])) for t in trees])
        _FOREST[:] = [boost, (pad("feature", 0), pad("threshold", 0.0), pad("left", -1), pad("right", -1),
                              pad("value", 0.0))]
    return _FOREST[1]


def boosted(boost: dict, Z: np.ndarray) -> np.ndarray:
    """The log-odds the ranker's boosted trees add to each row of relative features (see `relative`):
    every tree walked at once, a row going left where its feature is at most the node's threshold."""
    feature, threshold, left, right, value = _forest(boost)
    trees = np.arange(len(feature))[:, None]
    node = np.zeros((len(feature), len(Z)), dtype=np.int64)
    for _ in range(boost["depth"]):
        f = feature[trees, node]
        go_left = Z[np.arange(len(Z))[None, :], f] <= threshold[trees, node]
        inner = left[trees, node] >= 0
        node = np.where(inner, np.where(go_left, left[trees, node], right[trees, node]), node)
    return boost["init"] + boost["rate"] * value[trees, node].sum(axis=0)


def rank(cands: list[Candidate], answer) -> list[Candidate]:
    """Candidates best first by the ranker's score (Candidate.score): the linear model's, plus the
    boosted trees' when the fit has them."""
    if not cands:
        return cands
    X = np.stack([c.x for c in cands])
    z = X @ _vec(answer.weights, NAMES)
    if answer.boost:
        z = z + boosted(answer.boost, relative(X, X[[eligible(c) for c in cands]]))
    for c, v in zip(cands, z):
        c.score = float(v)
    return sorted(cands, key=lambda c: -c.score)


def evidence(cands: list[Candidate], on_path: bool = False) -> np.ndarray | None:
    """The decision features of a ranked list: of the sentence it would answer with (select.pick)."""
    pool = [c for c in cands if eligible(c)]
    if not pool:
        return None
    best = pick(pool, on_path)
    # A sentence and the neighbour that holds the fact it is about answer together: the pair is
    # as good as the better ranked of the two ('Publication ... is done by contacting OAL.' + the number).
    top = max([best.score] + [c.score for c in pool if c.hit.i == best.hit.i and c.fact_at == best.k])
    rivals = [c.score for c in pool if c.hit.i != best.hit.i]
    read = {"top": top, "mean_gap": top - float(np.mean([c.score for c in pool])),
            "margin": top - max(rivals) if rivals else ALONE}
    return np.asarray([read[n] if n in read else best.f(n) for n in DECIDE], dtype=np.float32)


def asks_fact(cands: list[Candidate]) -> bool:
    """Whether the question these candidates answer asks for a kind of fact (an amount, a date, a
    count, a name ...): a feature every candidate of a question shares."""
    return bool(cands) and bool(cands[0].f("kind_strict"))


def cut_for(cands: list[Candidate], answer) -> float:
    """The probability the answer needs: `cut` for a question that asks for a kind of fact,
    `cut_open` for one that does not. Questions the documents leave unanswered nearly all ask for
    such a fact (a fine, a deadline, a contract number), so the two cuts, each fit on what a wrong
    answer costs, need not be one."""
    return answer.cut if asks_fact(cands) else answer.cut_open


def confidence(cands: list[Candidate], answer, on_path: bool = False) -> float:
    """How likely the sentence it would answer with answers the question (0 when none is eligible)."""
    x = evidence(cands, on_path)
    if x is None:
        return 0.0
    z = float(x @ _vec(answer.decide_weights, DECIDE)) + answer.decide_bias
    return 1.0 / (1.0 + math.exp(-z))


def sure(cands: list[Candidate], answer, on_path: bool = False) -> bool:
    """Whether the decision model is confident enough to answer: its confidence at or above the
    question's cut (`cut_for`). The answerer and the fit's simulation decide by this one test."""
    return confidence(cands, answer, on_path) >= cut_for(cands, answer)
