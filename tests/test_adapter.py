"""The question adapter: fit on questions whose wording differs from the sentences that answer them, it ranks those sentences first on new questions."""
import numpy as np

from kb import adapter, embed
from kb.config import AnswerSettings


def _unit(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _questions(rng, n, M, dim=16, cands=8):
    """Questions worded apart from their answers: the answer is a fixed mix of the question's
    directions (M), the other candidates are random; plain cosine often misses the answer."""
    items = []
    for _ in range(n):
        q = _unit(rng.normal(size=dim))
        answer = _unit(M @ q + 0.3 * rng.normal(size=dim))
        others = _unit(rng.normal(size=(cands - 1, dim)))
        V = np.vstack([answer, others]).astype(np.float32)
        lab = np.zeros(cands, dtype=bool)
        lab[0] = True
        items.append((q.astype(np.float32), V, lab))
    return items


def _first_right(items, D):
    return sum(int(np.argmax(V @ np.asarray(adapter.apply(D, q))) == 0) for q, V, _ in items)


def test_a_fitted_adapter_ranks_the_answering_sentence_first_on_new_questions():
    rng = np.random.default_rng(1)
    M = rng.normal(size=(16, 16))  # staff's words and the documents' words, far apart
    train, new = _questions(rng, 200, M), _questions(rng, 100, M)
    D = adapter.fit(train, lam=0.001, epochs=80, lr=0.05)
    assert _first_right(new, D) >= _first_right(new, None) + 20


def test_no_adapter_leaves_the_question_as_embedded_and_an_adapted_one_stays_unit_length(tmp_path):
    v = _unit(np.arange(1.0, 5.0)).tolist()
    assert adapter.apply(None, v) == v
    assert adapter.load("") is None and adapter.load("no-such-adapter.npy") is None
    name = adapter.save(np.eye(4, dtype=np.float32), tmp_path / "a.npy")
    assert name == str(tmp_path / "a.npy")  # outside kb/data, named by its full path
    D = adapter.load(name)
    assert D is not None and abs(np.linalg.norm(adapter.apply(D, v)) - 1.0) < 1e-5
    assert np.allclose(adapter.apply(D, v), v, atol=1e-3)  # (I + I) v, made unit length again, points where v does


def test_the_shipped_fit_names_an_adapter_that_is_there():
    name = AnswerSettings().adapter
    D = adapter.load(name)
    assert name and D is not None and D.shape == (embed.DIM, embed.DIM)  # a missing file would quietly mean none
