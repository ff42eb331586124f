"""The question's embedding moved toward the sentences that answer such questions: a linear adapter fit on the tuning questions.

The embedding model knows English, not this field: staff's plain words for a thing can lie far
from the documents' terms for it. The adapter is one
matrix D, fit so that (I + D) q, for a tuning question q, lies closer to the sentences that answer
it than to the other sentences retrieved for it (a softmax over them, at temperature TAU), with
D kept small (L2 weight LAMBDA), so what it learns is how staff's words map onto the documents'
words, not any one question. The documents' vectors are untouched, so the index needs no
rebuilding. The adapted vector is used beside the question's own, not instead of it: its nearest
passages join retrieval, and its closeness to each sentence, alone and with its neighbours, are
two features the scorer weighs (kb/features.py). Cross-validated by family on the 706 tuning
questions with a candidate that answers, cosine alone puts such a sentence first for 303 of them,
the adapted cosine for 350."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data"
TAU = 0.05  # softmax temperature over a question's candidate sentences
LAMBDA = 0.1  # L2 weight on D: how far the adapter may move questions from where the model puts them
EPOCHS = 60  # full passes over the tuning questions (Adam, learning rate LR)
LR = 0.01


@lru_cache(maxsize=4)
def load(name: str) -> np.ndarray | None:
    """The adapter matrix D in this file, a name in kb/data or a full path (None for no name or no file)."""
    if not name or not (DATA / name).exists():
        return None
    return np.load(DATA / name).astype(np.float32)  # (DATA / an absolute path is that path)


def apply(D: np.ndarray | None, vector) -> list[float]:
    """A question vector moved by the adapter, unit length again (as given when D is None)."""
    if D is None or vector is None:
        return vector
    v = np.asarray(vector, dtype=np.float32)
    a = v + D @ v
    return (a / (float(np.linalg.norm(a)) or 1.0)).tolist()


def fit(items: list[tuple[np.ndarray, np.ndarray, np.ndarray]], lam: float = LAMBDA, epochs: int = EPOCHS,
        lr: float = LR, tau: float = TAU) -> np.ndarray:
    """D from (question vector, its candidate sentences' vectors, which of them answer) triples."""
    import torch

    torch.manual_seed(0)
    dim = len(items[0][0])
    D = torch.zeros(dim, dim, requires_grad=True)
    opt = torch.optim.Adam([D], lr=lr)
    Q = [torch.tensor(q, dtype=torch.float32) for q, _, _ in items]
    V = [torch.tensor(v, dtype=torch.float32) for _, v, _ in items]
    L = [torch.tensor(lab, dtype=torch.bool) for _, _, lab in items]
    for _ in range(epochs):
        opt.zero_grad()
        loss = torch.zeros(())
        for q, v, lab in zip(Q, V, L):
            a = q + D @ q
            s = (v @ (a / a.norm())) / tau
            loss = loss - (torch.logsumexp(s[lab], 0) - torch.logsumexp(s, 0))
        loss = loss / len(Q) + lam * (D ** 2).sum()
        loss.backward()
        opt.step()
    return D.detach().numpy().astype(np.float32)


def save(D: np.ndarray, path: Path) -> str:
    """Write D to a .npy file (half precision: the adapter moves vectors by far more than that
    rounds); returns how settings name it: its name when it is in kb/data, else its full path."""
    path = Path(path).resolve()
    np.save(path, D.astype(np.float16))
    load.cache_clear()
    return path.name if path.parent == DATA else str(path)
