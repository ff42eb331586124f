"""Serving set-up: one knowledge base per process, warmed in the background, tuned for short questions."""
from __future__ import annotations

import threading

from .answer import KnowledgeBase
from .config import Settings, get_settings

# A question embeds a few short texts; one torch thread answers them faster than several when the
# CPU is shared (with other sessions or processes), where thread contention costs more than it gains.
SERVE_THREADS = 1
_shared: dict[str, KnowledgeBase] = {}
_lock = threading.Lock()


def _warm(kb: KnowledgeBase, threads: int) -> None:
    kb.warm()  # loads the index and the model (which sets torch's thread count for ingesting)
    import torch

    torch.set_num_threads(threads)


def knowledge_base(settings: Settings | None = None, threads: int = SERVE_THREADS) -> KnowledgeBase:
    """The process's knowledge base for these settings: made once, its index and model loading in a
    background thread (questions asked meanwhile wait for them)."""
    settings = settings or get_settings()
    key = settings.model_copy(update={"home": settings.home.resolve()}).model_dump_json()  # every setting counts
    with _lock:
        kb = _shared.get(key)
        if kb is None:
            kb = _shared[key] = KnowledgeBase(settings)
            threading.Thread(target=_warm, args=(kb, threads), name="kb-warm", daemon=True).start()
    return kb
