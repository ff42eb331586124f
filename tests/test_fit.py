"""Fitting the answer scorer: `python -m kb.fit` writes a complete scorer, and its cross-validation counts every question."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kb import fit
from kb.answer import KnowledgeBase
from kb.features import NAMES
from kb.scorer import DECIDE, cut_for

TUNING = Path(__file__).resolve().parents[1] / "eval" / "staff-tune.jsonl"


@pytest.fixture(scope="module")
def questions(tmp_path_factory):
    """Two families of every kind of question, as a small tuning file."""
    rows = [json.loads(line) for line in TUNING.read_text().splitlines() if line.strip()]
    keep, seen = [], {}
    for r in rows:
        fams = seen.setdefault(r["kind"], set())
        if r["family"] in fams or len(fams) < 2:
            fams.add(r["family"])
            keep.append(r)
    path = tmp_path_factory.mktemp("fit") / "tune.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in keep))
    return path, keep


def test_a_fit_writes_every_weight_and_a_cut_from_its_grid(corpus_env, questions, tmp_path):
    path, _ = questions
    out = tmp_path / "scorer.json"
    assert fit.main([str(path), "--out", str(out)]) == 0
    got = json.loads(out.read_text())
    assert set(got["weights"]) == set(NAMES) and set(got["decide_weights"]) == set(DECIDE)
    assert got["cut"] in fit.CUTS and got["cut_open"] in fit.CUTS and got["runner_up"] in fit.RUNNER_UPS
    assert got["fit"]["n_questions"] == len(questions[1])
    assert got["adapter"] == str(tmp_path / "scorer.adapter.npy") and (tmp_path / "scorer.adapter.npy").exists()  # beside it


def test_cross_validation_answers_each_question_once(corpus_env, questions, capsys):
    path, rows = questions
    assert fit.main([str(path), "--cv"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("cross-validated: passed ")
    passed, asked = line.split("passed ")[1].split(" =")[0].split("/")
    assert int(asked) == len(rows) and 0 <= int(passed) <= len(rows)


def test_another_seed_cuts_the_families_into_other_folds_each_kept_whole():
    rows = [{"id": f"f{n}-{k}", "family": f"f{n}"} for n in range(40) for k in range(3)]
    by_seed = {seed: fit.folds(rows, seed) for seed in (0, 1, 2)}
    for fold in by_seed.values():
        of = {}
        for r, f in zip(rows, fold):
            assert of.setdefault(r["family"], f) == f  # a family's questions share a fold
        assert sorted(set(fold)) == list(range(fit.FOLDS))
    assert len({tuple(fold) for fold in by_seed.values()}) == 3  # three seeds, three cuts
    assert fit.folds(rows, 1) == by_seed[1]  # a seed gives the same folds each time


def test_the_rankers_trees_score_as_the_fitted_model_does():
    """The trees written to scorer.json give, walked by the answerer, the log-odds the fitted model gives."""
    from sklearn.ensemble import GradientBoostingClassifier

    from kb.scorer import boosted

    rng = np.random.default_rng(3)
    X = rng.normal(size=(800, 5)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] * X[:, 2] > 0).astype(int)  # an interaction a weighted sum cannot learn
    model = GradientBoostingClassifier(**fit.BOOST).fit(X, y)
    trees = json.loads(json.dumps(fit.export_trees(model, X[:1])))  # as read back from the file
    assert np.allclose(boosted(trees, X), model.decision_function(X), atol=1e-4)
    assert boosted(trees, X[y == 1]).mean() > boosted(trees, X[y == 0]).mean()


def test_the_shipped_scorer_is_the_weighted_sum_and_a_fit_may_add_trees(corpus_env, questions, tmp_path):
    got = json.loads((Path(fit.__file__).parent / "data" / "scorer.json").read_text())
    assert got["boost"] == {} and set(got["weights"]) == set(NAMES)
    path, _ = questions
    out = tmp_path / "scorer.json"
    assert fit.main([str(path), "--out", str(out), "--trees", "20"]) == 0
    trees = json.loads(out.read_text())["boost"]
    assert len(trees["trees"]) == 20 and trees["depth"] == fit.BOOST["max_depth"]


def test_the_fits_simulation_closes_the_field_gate_as_the_answerer_does():
    """A question with no word of the field and no passage as close as the gate asks is not answered:
    an off-topic question passes, an answerable one fails, whatever its candidates would say."""
    from types import SimpleNamespace

    from kb.config import get_settings

    far = SimpleNamespace(in_field=False, hits=[SimpleNamespace(dense=0.3)], candidates=[object()], result={}, path=None)
    gate = get_settings().answer.model_copy(update={"field_dense": 0.4})
    assert fit.outside(far, gate) and not fit.outside(far, gate.model_copy(update={"field_dense": 0.25}))
    assert fit.simulate({"expect": "abstain"}, far, gate) == (True, False)
    assert fit.simulate({"expect": "answer", "sources": ["x.md"], "mentions": []}, far, gate) == (False, False)
    near = SimpleNamespace(**{**vars(far), "in_field": True})
    assert not fit.outside(near, gate)  # a word of the field opens the gate


def test_a_question_that_asks_for_a_kind_of_fact_is_held_to_its_own_cut(corpus_kb):
    """'What fine ...' is held to `cut`, an open question ('What is the purpose ...') to `cut_open`."""
    question = "What is the purpose of the CALNET exemption process?"
    strict = corpus_kb.draft("What fine does a department pay for buying telecom services outside CALNET?")
    open_ = corpus_kb.draft(question)
    apart = corpus_kb.settings.answer.model_copy(update={"cut": 0.99, "cut_open": 0.01})
    assert cut_for(strict.candidates, apart) == 0.99 and cut_for(open_.candidates, apart) == 0.01
    # the open question is answered under a low open cut though the other cut would hold it back
    assert KnowledgeBase(corpus_kb.settings.model_copy(update={"answer": apart})).ask(question)["status"] == "answered"
