"""The knowledge base: configuration, store, retrieval, cited answers, guidance and the `kb` CLI."""
from __future__ import annotations

from .config import Settings, get_settings

__all__ = ["Settings", "get_settings", "index_summary"]


def index_summary(settings: Settings | None = None) -> dict:
    """What the index holds (documents, chunks, sections, model, location), from its manifest."""
    from . import stats
    from .store import Store

    settings = settings or get_settings()
    return stats.summary(Store(settings).read_manifest(), settings)
