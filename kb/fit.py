"""Fit the answer scorer on the tuning questions: `python -m kb.fit eval/staff-tune.jsonl` writes kb/data/scorer.json."""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from . import adapter, routes
from .answer import KnowledgeBase, off_field
from .config import FITTED, get_settings
from .evaluate import check, earlier
from .compose import compose
from .features import NAMES, sentence_vectors
from .scorer import DECIDE, asks_fact, evidence, rank, relative, sure
from .select import choose, eligible, path_fact, with_context

CUTS = [round(x, 2) for x in np.arange(0.10, 0.91, 0.05)]
RUNNER_UPS = [0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0, 1.5, 2.0, 3.0]  # in units of the ranker's score
MARGINS = [round(x, 3) for x in np.arange(0.0, 0.16, 0.01)]
HOME_BONUS = [0.0, 0.02, 0.04, 0.06]
WRONG_ANSWER = 2.0  # a wrong cited answer counts this many failures ('not stated' counts one)
UNSTATED_ANSWERED = 3.0  # an answer cited to a question the documents do not answer: the worst failure
PAIRS = 60  # sentence pairs per question for the ranker, at most
FALSE_PATH = 0.1  # cost of guidance shown on a question labelled with no path (extra steps, not a wrong answer)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip().lower()


def label(q: dict, c, by_key) -> int:
    """1 when the sentence (with the context it is shown with) comes from a right source and
    holds a phrase the answer must mention; 0 otherwise."""
    if q["expect"] != "answer" or os.path.basename(c.hit.record.doc) not in q["sources"]:
        return 0
    text = _norm(" ".join(x.text for x in with_context(c, by_key)))
    return int(any(_norm(m) in text for m in q["mentions"]) if q["mentions"] else 1)


def outside(d, answer) -> bool:
    """Whether the answerer's field gate (answer.off_field) closes on a draft under these settings."""
    return off_field(d.in_field, d.hits, answer.field_dense)


def simulate(q: dict, d, answer) -> tuple[bool, bool]:
    """(passes, answered) for a question under these settings (look-ups keep the draft's result)."""
    if not d.candidates:
        return not check(q, d.result), d.result.get("status") == "answered"
    if outside(d, answer):
        return q["expect"] == "abstain", False
    ok = path_fact(d.candidates, bool(d.path)) or sure(d.candidates, answer, on_path=bool(d.path))
    chosen = choose(d.candidates, answer.runner_up, answer.max_sentences, on_path=bool(d.path)) if ok else []
    if chosen:
        _, cites = compose(chosen)
        r = {"status": "answered", "answer": " ".join(c.text for c in chosen), "citations": cites,
             "guidance": d.result.get("guidance")}
    else:
        r = {"status": "not_found", "answer": "", "citations": [], "guidance": d.result.get("guidance")}
    return not check(q, r), bool(chosen)


def cost(q: dict, d, answer) -> float:
    passed, answered = simulate(q, d, answer)
    if passed:
        return 0.0
    if answered:
        return UNSTATED_ANSWERED if q["expect"] == "abstain" else WRONG_ANSWER
    return 1.0


def fit_ranker(questions, drafts, labels, C: float) -> dict[str, float]:
    """Pairwise logistic ranker: for each question, differences between a sentence that answers
    and one that does not (eligible sentences only), so it learns which answers better. Half the
    pairs are two sentences of one passage, so that what tells sentences apart within a passage
    is learnt as well as what tells passages apart."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    X, y = [], []
    for q, d, lab in zip(questions, drafts, labels):
        pos = [c for c, v in zip(d.candidates, lab) if v and eligible(c)]
        neg = [c for c, v in zip(d.candidates, lab) if not v and eligible(c)]
        if not pos or not neg:
            continue
        same = [(a, b) for a in pos for b in neg if a.hit.i == b.hit.i]
        other = [(a, b) for a in pos for b in neg if a.hit.i != b.hit.i]
        chosen = [same[n] for n in rng.permutation(len(same))[:PAIRS // 2]]
        chosen += [other[n] for n in rng.permutation(len(other))[:PAIRS - len(chosen)]]
        for a, b in chosen:
            X += [a.x - b.x, b.x - a.x]
            y += [1, 0]
    model = LogisticRegression(C=C, fit_intercept=False, max_iter=5000)
    model.fit(np.asarray(X), np.asarray(y))
    w = model.coef_[0] / (np.linalg.norm(model.coef_[0]) or 1.0)  # unit length: scores of any fit compare
    return {n: round(float(v), 5) for n, v in zip(NAMES, w)}


BOOST = {"n_estimators": 150, "learning_rate": 0.05, "max_depth": 3, "min_samples_leaf": 20, "subsample": 0.8,
         "random_state": 0}  # the ranker's trees, when asked for: few and shallow, slowly learnt, each on a part of the data
# Trees the ranker is fit with by default: none. Cross-validated by family on the 948 tuning
# questions, the weighted sum alone passes 600 and with 150 trees 574: what the trees learn is
# particular to the tuning questions' facts.
TREES = 0


def fit_boost(drafts, labels, trees: int = TREES) -> dict:
    """Boosted trees that say how likely each eligible sentence is to answer, from its features
    read beside the best and the mean of its question's (scorer.relative); written out as plain
    arrays for scorer.boosted. No trees (an empty dict) when `trees` is 0."""
    from sklearn.ensemble import GradientBoostingClassifier

    X, y = [], []
    for d, lab in zip(drafts, labels):
        pool = [(c, v) for c, v in zip(d.candidates, lab) if eligible(c)]
        if pool:
            A = np.stack([c.x for c, _ in pool])
            X.append(relative(A, A))
            y.extend(v for _, v in pool)
    if not trees or not X or len(set(y)) < 2:
        return {}
    X = np.vstack(X).astype(np.float32)
    return export_trees(GradientBoostingClassifier(**{**BOOST, "n_estimators": trees}).fit(X, np.asarray(y)), X[:1])


def export_trees(model, row: np.ndarray) -> dict:
    """A fitted binary GradientBoostingClassifier as plain arrays (JSON) for scorer.boosted: each
    tree's split features, thresholds, children and leaf values, the learning rate, and the
    starting log-odds (worked out on one row of the training data)."""
    out = {"depth": int(model.max_depth), "rate": float(model.learning_rate), "trees": []}
    for est in model.estimators_[:, 0]:
        t = est.tree_
        out["trees"].append({"feature": [max(int(f), 0) for f in t.feature],
                             "threshold": [float(v) for v in t.threshold],  # exact: a row on a threshold goes left
                             "left": [int(v) for v in t.children_left], "right": [int(v) for v in t.children_right],
                             "value": [round(float(v), 6) for v in t.value[:, 0, 0]]})
    walked = sum(float(e.predict(row)[0]) for e in model.estimators_[:, 0])
    out["init"] = round(float(model.decision_function(row)[0]) - out["rate"] * walked, 6)
    return out


def fit_decider(questions, drafts, labels, C: float, max_sentences: int = 3) -> tuple[dict[str, float], float]:
    """Decision model: does the answer it would give hold the fact asked? That is the sentence it
    answers with and the runners-up shown with it (as many as the widest runner-up the fit tries
    lets in), read from the evidence of the first. A question the documents do not answer has no
    sentence that does."""
    from sklearn.linear_model import LogisticRegression

    X, y = [], []
    for q, d, lab in zip(questions, drafts, labels):
        x = evidence(d.candidates, bool(d.path))
        if x is None:
            continue
        of = {(c.hit.i, c.k): v for c, v in zip(d.candidates, lab)}
        shown = choose(d.candidates, RUNNER_UPS[-1], max_sentences, on_path=bool(d.path))
        X.append(x)
        y.append(int(any(of.get((c.hit.i, c.k), 0) for c in shown)))
    model = LogisticRegression(C=C, max_iter=5000)
    model.fit(np.asarray(X), np.asarray(y))
    return ({n: round(float(w), 4) for n, w in zip(DECIDE, model.coef_[0])}, round(float(model.intercept_[0]), 4))


FIELD_DENSE = [round(x, 2) for x in np.arange(0.2, 0.61, 0.05)]


def fit_field(questions, drafts, answer) -> float:
    """The closeness a question with no word of the field needs to be answered at all: the value
    that costs least on the tuning questions without field words (off-topic ones above all), as
    answered by the decision model and cut in `answer` from rankings made without the question's
    family, as a new question would be (a ranker that has seen the question is surer of it)."""
    best = None
    for t in FIELD_DENSE:
        gated = answer.model_copy(update={"field_dense": t})
        total = sum(cost(q, d, gated) for q, d in zip(questions, drafts) if not d.in_field and d.candidates)
        if best is None or total <= best[0]:  # of equal costs the highest: precision first
            best = (total, t)
    return best[1]


def fit_routes(questions: list[dict], drafts) -> tuple[float, float, int]:
    """The margin and home bonus that put the most labelled questions on their path, with a
    small cost for a path on questions labelled with none."""
    best = (-1e9, 0.06, 0.0, 0)
    for bonus in HOME_BONUS:
        for margin in MARGINS:
            score, right = 0.0, 0
            for q, d in zip(questions, drafts):
                if d.vector is None or not (d.in_field or q.get("guide")):
                    continue
                got, _ = routes.path(d.vector, margin, d.sections, bonus)
                if q.get("guide"):
                    right += got == q["guide"]
                    score += 1.0 if got == q["guide"] else 0.0
                elif q["expect"] == "answer" and got is not None:
                    score -= FALSE_PATH
            if score > best[0]:
                best = (score, margin, bonus, right)
    return best[1], best[2], best[3]


FOLDS = 5  # the decision model learns from rankings made without the question's own family


def folds(questions: list[dict], seed: int = 0) -> list[int]:
    """Each question's fold (0 to FOLDS - 1): all questions of a family share one. Seed 0 deals the
    families out in name order; another seed shuffles them first, so that a cross-validated figure
    can be read beside its spread over other ways of cutting the same questions."""
    families = sorted({q.get("family") or q.get("id") for q in questions})
    if seed:
        random.Random(seed).shuffle(families)
    fold_of = {f: n % FOLDS for n, f in enumerate(families)}
    return [fold_of[q.get("family") or q.get("id")] for q in questions]


def _ranked(drafts, labels, answer):
    """Each draft's candidates ranked under these settings, with their labels in the same order.
    The candidates are copies: their scores are this ranker's, whatever ranks the drafts next."""
    out = []
    for d, lab in zip(drafts, labels):
        copies = [replace(c) for c in d.candidates]
        of = {id(c): v for c, v in zip(copies, lab)}
        ranked = rank(copies, answer)
        out.append((ranked, [of[id(c)] for c in ranked]))
    return out


def _low_cut(cost_at) -> tuple[float, float]:
    """The cut in the middle of a low stretch of cost, not at a lone dip (each cut's cost averaged with
    its neighbours'; of equal ones the highest, for precision), and that averaged cost."""
    best = None
    for n, cut in enumerate(CUTS):
        near = CUTS[max(0, n - 1):n + 2]
        mean = sum(cost_at(c) for c in near) / len(near)
        if best is None or (mean, -cut) < best[0]:
            best = ((mean, -cut), cut)
    return best[1], best[0][0]


def fit_all(questions, drafts, labels, base, C: float = 1.0, trees: int = TREES):
    """The ranker (weights and trees) on every question; the decision model on rankings made by
    rankers that did not see the question's family (as a new question would be ranked); then the
    two cuts (questions that ask for a kind of fact, and the others) and the runner-up, then the
    field gate, that cost least on the tuning questions. Returns the
    settings and the estimated pass count."""
    weights = fit_ranker(questions, drafts, labels, C)
    boost = fit_boost(drafts, labels, trees)
    fold = folds(questions)
    held = [None] * len(questions)
    for k in range(FOLDS):
        train = [n for n, f in enumerate(fold) if f != k]
        w = fit_ranker([questions[n] for n in train], [drafts[n] for n in train], [labels[n] for n in train], C)
        b = fit_boost([drafts[n] for n in train], [labels[n] for n in train], trees)
        mine = [n for n, f in enumerate(fold) if f == k]
        ranked = _ranked([drafts[n] for n in mine], [labels[n] for n in mine],
                         base.model_copy(update={"weights": w, "boost": b}))
        for n, r in zip(mine, ranked):
            held[n] = r
    held_drafts = [replace(d, candidates=r[0]) for d, r in zip(drafts, held)]
    decide_weights, decide_bias = fit_decider(questions, held_drafts, [r[1] for r in held], C, base.max_sentences)
    answer = base.model_copy(update={"weights": weights, "boost": boost, "decide_weights": decide_weights,
                                     "decide_bias": decide_bias})
    # The cut for questions that ask for a kind of fact and the one for the others are chosen apart
    # (their costs add up), each with the runner-up distance they share.
    strict = [asks_fact(d.candidates) for d in held_drafts]
    table = {}
    for cut in CUTS:
        for ru in RUNNER_UPS:
            tried = answer.model_copy(update={"cut": cut, "cut_open": cut, "runner_up": ru})
            costs = [cost(q, d, tried) for q, d in zip(questions, held_drafts)]
            table[(cut, ru)] = (sum(c for c, s in zip(costs, strict) if s), sum(c for c, s in zip(costs, strict) if not s))
    best = None
    for ru in RUNNER_UPS:
        (cut, fact_cost), (cut_open, open_cost) = (_low_cut(lambda c, s=side: table[(c, ru)][s]) for side in (0, 1))
        key = (fact_cost + open_cost, -cut, -cut_open)
        if best is None or key < best[0]:
            best = (key, cut, cut_open, ru)
    answer = answer.model_copy(update={"cut": best[1], "cut_open": best[2], "runner_up": best[3]})
    answer = answer.model_copy(update={"field_dense": fit_field(questions, held_drafts, answer)})
    passed = sum(simulate(q, d, answer)[0] for q, d in zip(questions, held_drafts))
    return answer, passed


def cross_validate(questions, drafts, labels, base, C: float = 1.0,
                   trees: int = TREES, seed: int = 0) -> tuple[int, dict[str, list[int]]]:
    """What the fit would pass on questions it has not seen: each fifth of the families answered by a
    scorer (ranker, decision model, cut) fit on the other four fifths. Returns the pass count and
    [passed, asked] for each kind of question (`seed`: how the families are cut into folds)."""
    fold = folds(questions, seed)
    passed, by_kind = 0, {}
    for k in range(FOLDS):
        train = [n for n, f in enumerate(fold) if f != k]
        answer, _ = fit_all([questions[n] for n in train], [drafts[n] for n in train], [labels[n] for n in train],
                            base, C, trees)
        for n, q in enumerate(questions):
            if fold[n] != k:
                continue
            ok, _ = simulate(q, replace(drafts[n], candidates=_ranked([drafts[n]], [labels[n]], answer)[0][0]), answer)
            passed += ok
            tally = by_kind.setdefault(q.get("kind") or "-", [0, 0])
            tally[0] += ok
            tally[1] += 1
    return passed, by_kind


ADAPTER = ".adapter.npy"  # the question adapter is written beside the scorer: kb/data/scorer.adapter.npy


def adapter_items(idx, drafts, labels) -> list[tuple]:
    """What the adapter learns from: each question's vector (as embedded), its candidate sentences'
    vectors and which of them answer; questions none of whose candidates answer teach nothing."""
    out = []
    for d, lab in zip(drafts, labels):
        if d.vector is not None and d.candidates and any(lab):
            out.append((np.asarray(d.vector, dtype=np.float32), sentence_vectors(idx, [c.text for c in d.candidates]),
                        np.asarray(lab, dtype=bool)))
    return out


def labels_of(questions, drafts) -> list[list[int]]:
    """Each draft's candidates labelled (see `label`), in their order."""
    out = []
    for q, d in zip(questions, drafts):
        by_key = {(c.hit.i, c.k): c for c in d.candidates}
        out.append([label(q, c, by_key) for c in d.candidates])
    return out


NUMBERS_RE = re.compile(r"\[\s*([-0-9.eE+,\s]+?)\s*\]")


def dump(out: dict) -> str:
    """The fitted settings as JSON, a list of numbers (a tree's thresholds) on one line."""
    text = json.dumps(out, indent=2)
    return NUMBERS_RE.sub(lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]", text) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("questions", nargs="+", help="tuning questions (JSON Lines, kb eval format)")
    ap.add_argument("--out", default=str(FITTED))
    ap.add_argument("--C", type=float, default=1.0, help="inverse regularisation strength")
    ap.add_argument("--trees", type=int, default=TREES,
                    help=f"boosted trees of the ranker (default {TREES}: the weighted sum alone; "
                         f"{BOOST['n_estimators']} is the size tried)")
    ap.add_argument("--no-adapter", action="store_true",
                    help="embed questions as the model gives them (no adapter is fit or used)")
    ap.add_argument("--cv", action="store_true",
                    help="print the pass rate of a 5-fold cross-validation by family instead of writing a fit")
    ap.add_argument("--seed", type=int, default=0,
                    help="with --cv: how the families are cut into folds (0: in name order; another number "
                         "shuffles them). A change is a gain when it holds over several seeds")
    a = ap.parse_args(argv)

    questions = [json.loads(line) for p in a.questions for line in Path(p).read_text().splitlines() if line.strip()]
    settings = get_settings()

    def drafts_with(answer, adapters=None):
        """Every question drafted under these settings; `adapters`, when given, is the adapter
        matrix for each question (in cross-validation, one fit without the question's family)."""
        kb = KnowledgeBase(settings.model_copy(update={"answer": answer}))
        kb.warm()
        out = []
        for n, q in enumerate(questions):
            if adapters is not None:
                kb.adapter = adapters[n]
            # A follow-up is drafted after its conversation's earlier answers (which the fitted settings
            # in use give), since it is read beside the passages they quoted.
            out.append(kb.draft(q["question"], kb.conversation(earlier(q))))
        return out, kb.index()

    # The paths first (from the questions' vectors alone), then the adapter from every question drafted
    # as embedded, then every question drafted again with it, the field gate open, so that the fit
    # depends on the tuning questions, not on an earlier fit.
    plain = settings.answer.model_copy(update={"adapter": "", "field_dense": -1.0})
    first, idx = drafts_with(plain)
    margin, bonus, right = fit_routes(questions, first)
    base = plain.model_copy(update={"route_margin": margin, "route_home_bonus": bonus})
    if a.no_adapter:
        drafts, _ = drafts_with(base)
    elif a.cv:  # each question drafted with an adapter fit on the other folds' families
        items_of = labels_of(questions, first)
        fold = folds(questions, a.seed)
        fitted = [adapter.fit(adapter_items(idx, [d for d, f in zip(first, fold) if f != k],
                                            [x for x, f in zip(items_of, fold) if f != k])) for k in range(FOLDS)]
        drafts, _ = drafts_with(base, [fitted[f] for f in fold])
    else:
        name = adapter.save(adapter.fit(adapter_items(idx, first, labels_of(questions, first))),
                            Path(a.out).with_suffix(ADAPTER))
        base = base.model_copy(update={"adapter": name})
        drafts, _ = drafts_with(base)
    labels = labels_of(questions, drafts)
    if a.cv:
        passed, by_kind = cross_validate(questions, drafts, labels, base, a.C, a.trees, a.seed)
        kinds = ", ".join(f"{k} {p}/{n}" for k, (p, n) in by_kind.items())
        print(f"cross-validated: passed {passed}/{len(questions)} = {passed / len(questions):.0%} ({kinds})")
        return 0
    answer, passed = fit_all(questions, drafts, labels, base, a.C, a.trees)
    out = {"adapter": answer.adapter, "weights": answer.weights, "boost": answer.boost, "decide_weights": answer.decide_weights,
           "decide_bias": answer.decide_bias,
           "cut": answer.cut, "cut_open": answer.cut_open, "runner_up": answer.runner_up, "route_margin": margin, "route_home_bonus": bonus,
           "field_dense": answer.field_dense,
           "fit": {"questions": [str(p) for p in a.questions], "n_questions": len(questions),
                   "candidates": sum(len(x) for x in labels), "positives": sum(sum(x) for x in labels), "C": a.C,
                   "tuning_pass_estimate": round(passed / len(questions), 4),
                   "guided_right": right, "guided_labelled": sum(1 for q in questions if q.get("guide"))}}
    Path(a.out).write_text(dump(out), encoding="utf-8")
    print(json.dumps(out["fit"]), file=sys.stderr)
    print(f"cut {answer.cut}, open cut {answer.cut_open}, runner-up {answer.runner_up}, route margin {margin}, home bonus {bonus}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
